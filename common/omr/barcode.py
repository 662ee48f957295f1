"""The pre-printed sheet number: its Code128 barcode read with zxing-cpp from its known box.

Only the barcode's box is cut out of the page, turned upright through the page's transform and
resampled to a fixed resolution, so reading takes about a millisecond whatever the scan's dpi,
rotation or orientation.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import zxingcpp

from common.errors import Refused
from common.i18n import _
from common.omr.layout import Rect

CROP_MARGIN_MM = 2.5
FALLBACK_PIXELS_PER_MM = (10.0, 6.0)
_CODE128 = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.Code128)


def read_sheet_number(gray: np.ndarray, transform: np.ndarray, box: Rect) -> str | None:
    """The digits of the Code128 barcode in ``box`` (page mm), or None when it does not read.

    The box is resampled first at the image's own scale (no resampling pattern), then enlarged and
    sharpened (a blurred low-resolution scan), then binarised at fixed scales; each try costs a
    fraction of a millisecond and only a failure leads to the next.
    """
    native = _pixels_per_mm(transform, box)
    attempts = (
        (native, "plain"),
        (native * 1.5, "sharpened"),
        *((scale, "binarised") for scale in FALLBACK_PIXELS_PER_MM),
    )
    for pixels_per_mm, treatment in attempts:
        crop = _upright_crop(gray, transform, box, pixels_per_mm)
        if treatment == "sharpened":
            crop = cv2.addWeighted(crop, 2.0, cv2.GaussianBlur(crop, (0, 0), 1.5), -1.0, 0)
        elif treatment == "binarised":
            _threshold, crop = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
        results = zxingcpp.read_barcodes(crop, formats=_CODE128, try_rotate=False, try_invert=False)
        for result in results:
            text = result.text.strip()
            if text.isdigit():
                return text
    return None


def _pixels_per_mm(transform: np.ndarray, box: Rect) -> float:
    centre_x, centre_y = box.x_mm + box.w_mm / 2, box.y_mm + box.h_mm / 2
    points = np.array([[centre_x, centre_y, 1.0], [centre_x + 1.0, centre_y, 1.0]]) @ transform.T
    pixels = points[:, :2] / points[:, 2:]
    return float(np.clip(np.linalg.norm(pixels[1] - pixels[0]), 4.0, 12.0))


def _upright_crop(gray: np.ndarray, transform: np.ndarray, box: Rect, pixels_per_mm: float) -> np.ndarray:
    left, top = box.x_mm - CROP_MARGIN_MM, box.y_mm - CROP_MARGIN_MM
    width = round((box.w_mm + 2 * CROP_MARGIN_MM) * pixels_per_mm)
    height = round((box.h_mm + 2 * CROP_MARGIN_MM) * pixels_per_mm)
    crop_to_page = np.array([[1 / pixels_per_mm, 0.0, left], [0.0, 1 / pixels_per_mm, top], [0.0, 0.0, 1.0]])
    return cv2.warpPerspective(
        gray,
        transform @ crop_to_page,
        (width, height),
        flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=255,
    )


def qr_text(image_path: Path, prefix: str) -> str | None:
    """The text of the first QR code starting with ``prefix`` on any page of a scan or photograph (the statement
    seal's, the certificate's), or None when none reads; ``Refused`` (one line) when the file is not an image."""
    from common.omr.images import load_pages
    from common.scanning.images import UnreadableImage

    path = Path(image_path)
    try:
        pages = list(load_pages(path))
    except (OSError, UnreadableImage) as error:
        raise Refused(_("{name} is not an image that can be read.").format(name=path.name)) from error
    for image in pages:
        for barcode in zxingcpp.read_barcodes(image):
            if barcode.valid and barcode.text.startswith(prefix):
                return str(barcode.text)
    return None
