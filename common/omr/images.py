"""Page images from files: PNG, JPEG, TIFF (multi-page), PDF (every page), as grey ``uint8``.

Decoding is :mod:`common.scanning.images` (what the scanner drivers use too), except that
single-image PNG and JPEG files go straight to OpenCV's decoder in grey, which is what the reader
needs and the fastest way there.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np

from common.scanning.images import UnreadableImage, decode_pages

__all__ = ["UnreadableImage", "as_gray", "load_pages"]

_OPENCV_SUFFIXES = frozenset({".png", ".jpg", ".jpeg"})


def load_pages(path: Path) -> Iterator[np.ndarray]:
    """Every page of the image file at ``path``, in order, as grey ``uint8`` arrays.

    Raises :class:`UnreadableImage` (or OSError) when the file cannot be opened or decoded.
    """
    data = Path(path).read_bytes()
    if Path(path).suffix.lower() in _OPENCV_SUFFIXES and _complete(data):
        image = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_GRAYSCALE)
        if image is not None:
            yield image
            return
    for page in decode_pages(data, Path(path).name):
        yield as_gray(page.image)


def _complete(data: bytes) -> bool:
    tail = data[-64:]
    if data.startswith(b"\x89PNG"):
        return b"IEND" in tail
    if data.startswith(b"\xff\xd8"):
        return b"\xff\xd9" in tail and not _has_exif_orientation(data)
    return False


def _has_exif_orientation(data: bytes) -> bool:
    """True when a JPEG carries EXIF (it may say to turn the picture; PIL's path applies that)."""
    return b"Exif\x00\x00" in data[:65536]


def as_gray(image: np.ndarray) -> np.ndarray:
    """Any page array (grey, BGR, BGRA; 8 or 16 bit; float 0–1) as grey ``uint8``."""
    array = np.asarray(image)
    if array.dtype != np.uint8:
        if array.dtype == np.uint16:
            array = (array >> 8).astype(np.uint8)
        elif np.issubdtype(array.dtype, np.floating):
            top = 1.0 if float(np.nanmax(array, initial=0.0)) <= 1.0 else 255.0
            array = np.clip(np.nan_to_num(array) * (255.0 / top) + 0.5, 0, 255).astype(np.uint8)
        elif array.dtype == np.bool_:
            array = array.astype(np.uint8) * 255
        else:
            array = np.clip(array, 0, 255).astype(np.uint8)
    if array.ndim == 3:
        if array.shape[2] == 1:
            array = array[:, :, 0]
        elif array.shape[2] == 4:
            array = cv2.cvtColor(array, cv2.COLOR_BGRA2GRAY)
        else:
            array = cv2.cvtColor(array, cv2.COLOR_BGR2GRAY)
    return np.ascontiguousarray(array)
