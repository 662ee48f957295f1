"""Decoding what scanners write: every kind of file becomes upright uint8 pages with their dpi."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from common.scanning.images import PDF_RENDER_DPI, UnreadableImage, decode_pages
from forms.registry import get_layout
from forms.render import pdf_bytes


def saved(image: Image.Image, kind: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


def test_a_vector_pdf_page_is_rendered_at_the_documented_resolution() -> None:
    pages = decode_pages(pdf_bytes(get_layout("answer-sheet"), number="0012345"), "form.pdf")

    assert len(pages) == 1
    page = pages[0]
    assert page.dpi == PDF_RENDER_DPI
    height, width = page.image.shape[:2]
    assert abs(height - 297 / 25.4 * PDF_RENDER_DPI) <= 1 and abs(width - 210 / 25.4 * PDF_RENDER_DPI) <= 1
    assert page.image.min() < 50 and np.median(page.image) > 240


def test_sixteen_bit_grey_is_scaled_not_clipped() -> None:
    ramp = (np.arange(256, dtype=np.uint16) * 257).reshape(16, 16)
    page = decode_pages(saved(Image.fromarray(ramp), "TIFF"), "deep.tif")[0]

    assert page.image.dtype == np.uint8
    assert np.array_equal(page.image, (ramp // 257).astype(np.uint8))


def test_transparency_is_flattened_onto_white_and_grey_palettes_stay_grey() -> None:
    rgba = np.zeros((4, 4, 4), np.uint8)
    rgba[..., 3] = 0  # fully transparent black
    flattened = decode_pages(saved(Image.fromarray(rgba, "RGBA"), "PNG"), "a.png")[0].image
    assert flattened.shape == (4, 4, 3) and flattened.min() == 255

    grey = Image.fromarray(np.arange(16, dtype=np.uint8).reshape(4, 4) * 16).convert("P")
    assert decode_pages(saved(grey, "PNG"), "p.png")[0].image.ndim == 2


def test_a_jpeg_marked_as_turned_is_turned_upright() -> None:
    tall = np.full((40, 20, 3), 255, np.uint8)
    tall[:5, :, :] = 0  # a dark band at the top
    picture = Image.fromarray(np.rot90(tall).copy())  # stored lying on its side
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view"
    page = decode_pages(saved(picture, "JPEG", exif=exif, quality=95), "photo.jpg")[0]

    assert page.image.shape[:2] == (40, 20)
    assert page.image[:5].mean() < 60 and page.image[-5:].mean() > 200


def test_other_bytes_are_refused() -> None:
    with pytest.raises(UnreadableImage):
        decode_pages(b"this is not a picture", "notes.png")
    with pytest.raises(UnreadableImage):
        decode_pages(b"%PDF-1.4 truncated", "broken.pdf")


def test_plain_grey_and_colour_scans_decode_to_their_pixels_and_dpi() -> None:
    """A plain PNG or JPEG scan (the quick OpenCV path) gives what Pillow would: the same pixels,
    grey stays grey, colour comes in BGR order, the stated dpi."""
    grey = np.random.default_rng(1).integers(0, 256, (300, 200), dtype=np.uint8)
    [page] = decode_pages(saved(Image.fromarray(grey), "PNG", dpi=(300, 300)), "scan.png")
    assert page.image.dtype == np.uint8 and np.array_equal(page.image, grey) and page.dpi == 300

    colour = np.zeros((120, 90, 3), dtype=np.uint8)
    colour[:, :, 0] = 200  # red in RGB
    [page] = decode_pages(saved(Image.fromarray(colour), "PNG", dpi=(200, 200)), "scan.png")
    assert page.image.shape == (120, 90, 3) and page.image[0, 0].tolist() == [0, 0, 200]  # BGR
    assert page.dpi == 200

    [page] = decode_pages(saved(Image.fromarray(grey), "JPEG", quality=95, dpi=(150, 150)), "scan.jpg")
    assert page.image.ndim == 2 and page.dpi == 150
    assert float(np.abs(page.image.astype(int) - grey.astype(int)).mean()) < 12
