"""Decode the files scanners' capture software writes into page arrays.

TIFF (multi-page, any bit depth, bilevel), PNG, JPEG (EXIF orientation applied) and PDF (a scanned
page's embedded image is taken pixel for pixel; any other page is rendered). Pages come back as
``uint8`` grey or BGR arrays (OpenCV's order) with the resolution the file states.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, ImageSequence

from common.i18n import _

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".tif", ".tiff", ".png", ".jpg", ".jpeg", ".pdf"})
PDF_RENDER_DPI = 300
"""Resolution for PDF pages that are not one plain scanned image."""
_LOWEST_CREDIBLE_DPI = 50


MAX_PAGE_PIXELS = 120_000_000
"""The largest page decoded: an A3 sheet at 600 dpi is 70 million pixels. Anything larger would take
gigabytes of memory (a "decompression bomb": a small file that decodes to a huge image)."""


class UnreadableImage(Exception):
    """The bytes are not a complete image of a supported kind (yet: it may still be being written).

    ``permanent``: more bytes cannot help (the file says it is a page no scanner makes), so the
    watched folder sets it aside at once instead of waiting for it to complete.
    """

    permanent = False


class ImageTooLarge(UnreadableImage):
    permanent = True


def _too_large(width: float, height: float) -> ImageTooLarge | None:
    if width * height <= MAX_PAGE_PIXELS:
        return None
    return ImageTooLarge(
        _("The image is {width} × {height} pixels, larger than any scanned page; it is not decoded.").format(
            width=round(width), height=round(height)
        )
    )


@dataclass(frozen=True, eq=False)
class DecodedPage:
    image: np.ndarray
    dpi: int | None


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def page_id_for(digest: str, page_number: int) -> str:
    """The stable id of page ``page_number`` (1-based) of the file whose SHA-256 is ``digest``."""
    return f"{digest}:{page_number}"


def decode_pages(data: bytes, name: str) -> list[DecodedPage]:
    """Every page of the file ``data`` (its ``name`` only chooses PDF or raster decoding).

    Raises :class:`UnreadableImage` when the data is truncated, damaged or of another kind.
    """
    if not _has_trailer(data):
        raise UnreadableImage(_("The file is not a complete image."))
    if data[:5] == b"%PDF-" or name.lower().endswith(".pdf"):
        return _decode_pdf(data)
    return _decode_raster(data)


def _has_trailer(data: bytes) -> bool:
    """False for PNG, JPEG and PDF data that stop before their end marker (a file still being written).

    Decoders forgive a missing end (PIL's ``LOAD_TRUNCATED_IMAGES``, pdfium's repair); the watched
    folder must not.
    """
    tail = data[-1024:]
    if data.startswith(b"\x89PNG"):
        return b"IEND" in tail[-16:]
    if data.startswith(b"\xff\xd8"):
        return b"\xff\xd9" in tail
    if data.startswith(b"%PDF-"):
        return b"%%EOF" in tail
    return True


def read_pages(path: Path) -> tuple[str, list[DecodedPage]]:
    """``(sha256 of the file bytes, pages)`` of the image file at ``path``."""
    data = path.read_bytes()
    return file_digest(data), decode_pages(data, path.name)


def pil_to_array(image: Image.Image) -> np.ndarray:
    """A PIL image of any mode as ``uint8`` grey or BGR (alpha flattened onto white)."""
    mode = image.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        values = np.asarray(image, dtype=np.float64)
        top = 65535.0 if mode.startswith("I;16") or values.max(initial=0) > 255 else 255.0
        return np.clip(values * (255.0 / top) + 0.5, 0, 255).astype(np.uint8)
    if mode in ("1", "L"):
        return np.asarray(image.convert("L"), dtype=np.uint8).copy()
    if mode in ("LA", "RGBA", "PA", "P") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        flattened = Image.alpha_composite(white, rgba).convert("RGB")
        if mode in ("LA", "PA") or (mode == "P" and _palette_is_grey(image)):
            return np.asarray(flattened.convert("L"), dtype=np.uint8).copy()
        return _rgb_to_bgr(np.asarray(flattened, dtype=np.uint8))
    return _rgb_to_bgr(np.asarray(image.convert("RGB"), dtype=np.uint8))


def _rgb_to_bgr(rgb: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(rgb[:, :, ::-1])


def _palette_is_grey(image: Image.Image) -> bool:
    palette = image.getpalette() or []
    triples = np.asarray(palette[: len(palette) // 3 * 3]).reshape(-1, 3)
    return bool(np.all(triples[:, 0] == triples[:, 1]) and np.all(triples[:, 1] == triples[:, 2]))


def _stated_dpi(image: Image.Image) -> int | None:
    dpi = image.info.get("dpi")
    if not dpi:
        return None
    try:
        value = round(float(dpi[0]))
    except (TypeError, ValueError, IndexError):
        return None
    return value if value >= _LOWEST_CREDIBLE_DPI else None


_EXIF_ORIENTATION = 0x0112


def _opencv_page(opened: Image.Image, data: bytes) -> DecodedPage | None:
    """The page of a plain scan — one 8-bit grey or RGB PNG or JPEG page, no transparency, no EXIF
    rotation — decoded by OpenCV, as the sheet reader decodes (a fifth faster than Pillow, and
    decoding is most of a scan loop's time); ``None`` for anything else (Pillow decodes it)."""
    if (opened.format not in ("PNG", "JPEG") or getattr(opened, "n_frames", 1) != 1
            or opened.mode not in ("L", "RGB") or "transparency" in opened.info or _turned(opened)):
        return None
    import cv2

    flags = (cv2.IMREAD_GRAYSCALE if opened.mode == "L" else cv2.IMREAD_COLOR) | cv2.IMREAD_IGNORE_ORIENTATION
    image = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), flags)
    return None if image is None else DecodedPage(image, _stated_dpi(opened))


def _turned(opened: Image.Image) -> bool:
    """Whether the header's EXIF asks for a rotation (read from the header only: Pillow's
    ``getexif`` decodes a whole PNG to look for EXIF after the pixels)."""
    if "exif" not in opened.info:
        return False
    exif = Image.Exif()
    exif.load(opened.info["exif"])
    return exif.get(_EXIF_ORIENTATION, 1) != 1


def _decode_raster(data: bytes) -> list[DecodedPage]:
    try:
        with Image.open(io.BytesIO(data)) as opened:
            if _too_large(*opened.size) is None:
                plain = _opencv_page(opened, data)
                if plain is not None:
                    return [plain]
            pages: list[DecodedPage] = []
            for frame in ImageSequence.Iterator(opened):
                too_large = _too_large(*frame.size)  # checked from the header, before any pixel is decoded
                if too_large is not None:
                    raise too_large
                frame.load()
                upright = ImageOps.exif_transpose(frame) or frame
                pages.append(DecodedPage(pil_to_array(upright), _stated_dpi(frame)))
            return pages
    except UnreadableImage:
        raise
    except Image.DecompressionBombError as error:
        raise ImageTooLarge(_("The image is larger than any scanned page; it is not decoded.")) from error
    except MemoryError as error:
        raise ImageTooLarge(_("The image is larger than any scanned page; it is not decoded.")) from error
    except Exception as error:  # Pillow's plugins raise many kinds for damaged data
        raise UnreadableImage(_("The file is not a complete image.")) from error


def _decode_pdf(data: bytes) -> list[DecodedPage]:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise UnreadableImage(_("The file is not a complete PDF document.")) from error
    try:
        return list(_pdf_pages(document))
    except pdfium.PdfiumError as error:
        raise UnreadableImage(_("The file is not a complete PDF document.")) from error
    finally:
        document.close()


def _pdf_pages(document: object) -> Iterator[DecodedPage]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    assert isinstance(document, pdfium.PdfDocument)
    for index in range(len(document)):
        page = document[index]
        try:
            embedded = _single_scanned_image(page, pdfium_c.FPDF_PAGEOBJ_IMAGE)
            if embedded is not None:
                yield embedded
                continue
            width, height = page.get_size()
            too_large = _too_large(width * PDF_RENDER_DPI / 72, height * PDF_RENDER_DPI / 72)
            if too_large is not None:
                raise too_large
            bitmap = page.render(scale=PDF_RENDER_DPI / 72, grayscale=False)
            yield DecodedPage(pil_to_array(bitmap.to_pil()), PDF_RENDER_DPI)
        finally:
            page.close()


def _single_scanned_image(page: object, image_type: int) -> DecodedPage | None:
    """The page's one full-page, upright image at its own resolution, if that is all it holds."""
    import pypdfium2 as pdfium

    assert isinstance(page, pdfium.PdfPage)
    if page.get_rotation() != 0:
        return None
    objects = list(page.get_objects(max_depth=1))
    if len(objects) != 1 or objects[0].type != image_type:
        return None
    image = objects[0]
    assert isinstance(image, pdfium.PdfImage)
    matrix = image.get_matrix().get()
    a, b, c, d = matrix[:4]
    if b != 0 or c != 0 or a <= 0 or d <= 0:
        return None
    left, bottom, right, top = image.get_bounds()
    page_width, page_height = page.get_size()
    if (right - left) * (top - bottom) < 0.95 * page_width * page_height:
        return None
    width_px, height_px = image.get_px_size()
    too_large = _too_large(width_px, height_px)
    if too_large is not None:
        raise too_large
    pil = image.get_bitmap(render=False).to_pil()
    dpi = round(width_px / ((right - left) / 72.0))
    return DecodedPage(pil_to_array(pil), dpi if dpi >= _LOWEST_CREDIBLE_DPI else None)
