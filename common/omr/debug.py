"""Pictures of what the reader saw, for operators and for debugging — kept apart from reading.

``overlay`` draws every bubble of a read page on the scan (marked, flagged, empty) and the corner
marks where the transform puts them; ``field_crop`` cuts a field out of the scan, upright, for an
operator to confirm an ``ambiguous`` or ``multiple`` field.
"""

from __future__ import annotations

import cv2
import numpy as np

from common.omr.images import as_gray
from common.omr.layout import Layout
from common.omr.reader import MARKED_AT, PageResult

MARKED_COLOUR = (40, 170, 40)  # BGR
AMBIGUOUS_COLOUR = (0, 140, 255)
MULTIPLE_COLOUR = (40, 40, 220)
EMPTY_COLOUR = (200, 160, 60)


def overlay(image: np.ndarray, layout: Layout, result: PageResult) -> np.ndarray:
    """A colour copy of ``image`` with each bubble outlined by what the reader decided."""
    canvas = cv2.cvtColor(as_gray(image), cv2.COLOR_GRAY2BGR)
    if result.transform is None:
        return canvas
    transform = np.asarray(result.transform, dtype=np.float64)
    ambiguous = {b for flag in result.flags if flag.kind == "ambiguous" for b in flag.bubbles}
    multiple = {b for flag in result.flags if flag.kind == "multiple" for b in flag.bubbles}
    for bubble in layout.bubbles:
        fill = result.bubbles.get(bubble.id, 0.0)
        if bubble.id in ambiguous:
            colour = AMBIGUOUS_COLOUR
        elif bubble.id in multiple:
            colour = MULTIPLE_COLOUR
        elif fill >= MARKED_AT:
            colour = MARKED_COLOUR
        else:
            colour = EMPTY_COLOUR
        outline = _ellipse_points(bubble.x_mm, bubble.y_mm, bubble.w_mm / 2, bubble.h_mm / 2)
        pixels = _project(transform, outline).round().astype(np.int32)
        cv2.polylines(canvas, [pixels], True, colour, 2 if fill >= MARKED_AT or colour != EMPTY_COLOUR else 1)
    for mark in layout.marks:
        centre = _project(transform, np.array([[mark.x_mm, mark.y_mm]]))[0]
        cv2.drawMarker(canvas, (round(centre[0]), round(centre[1])), (255, 0, 255), cv2.MARKER_CROSS, 20, 2)
    return canvas


def field_crop(
    image: np.ndarray, layout: Layout, result: PageResult, field: str, *, pixels_per_mm: float = 10.0
) -> np.ndarray:
    """The field's bubbles (with 3 mm around them) cut out of the scan and turned upright (grey)."""
    if result.transform is None:
        raise ValueError("the page was not located, so no field can be cut out of it")
    bubbles = layout.bubbles_by_field[field]
    left = min(b.x_mm - b.w_mm / 2 for b in bubbles) - 3.0
    top = min(b.y_mm - b.h_mm / 2 for b in bubbles) - 3.0
    right = max(b.x_mm + b.w_mm / 2 for b in bubbles) + 3.0
    bottom = max(b.y_mm + b.h_mm / 2 for b in bubbles) + 3.0
    crop_to_page = np.array([[1 / pixels_per_mm, 0.0, left], [0.0, 1 / pixels_per_mm, top], [0.0, 0.0, 1.0]])
    size = (round((right - left) * pixels_per_mm), round((bottom - top) * pixels_per_mm))
    return cv2.warpPerspective(
        as_gray(image),
        np.asarray(result.transform, dtype=np.float64) @ crop_to_page,
        size,
        flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=255,
    )


def _ellipse_points(x: float, y: float, rx: float, ry: float) -> np.ndarray:
    angles = np.linspace(0, 2 * np.pi, 24, endpoint=False)
    return np.column_stack([x + rx * np.cos(angles), y + ry * np.sin(angles)])


def _project(transform: np.ndarray, points: np.ndarray) -> np.ndarray:
    homogeneous = np.column_stack([points, np.ones(len(points))]) @ transform.T
    return homogeneous[:, :2] / homogeneous[:, 2:]
