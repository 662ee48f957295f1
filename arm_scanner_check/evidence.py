"""The sheet image behind a verdict: a scanned control sheet drawn upright by
:func:`common.omr.explain.explain` (every bubble outlined in the colour of the reader's decision, its
fill ratio printed on it), with the cells that failed the check — read unlike the key, or off by more
than the allowed fill error — framed in magenta and the key's fill written beside them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageDraw

from arm_scanner_check.check import MAX_FILL_ERROR
from common.omr.explain import PAGE_PIXELS_PER_MM, explain
from common.omr.layout import Layout
from common.omr.reader import PageResult, read_page

FAILED = (220, 0, 200)
FRAME_MM = 1.2


def failing_cells(outcome: dict[str, Any]) -> dict[str, float]:
    """The cells of a page that failed: bubble id → the key's fill."""
    cells = {bubble: printed for bubble, _measured, printed in outcome.get("wrong", [])}
    for bubble, measured, printed in outcome.get("worst", []):
        if abs(measured - printed) > MAX_FILL_ERROR:
            cells[bubble] = printed
    return cells


def evidence_picture(image: np.ndarray, layout: Layout, result: PageResult, failing: dict[str, float]) -> np.ndarray:
    """The explained page (RGB) with ``failing`` cells framed; raises ValueError when the page was
    not located (there is nothing to draw on). The explanation's header (the reader's flags — on a
    control sheet, double marks everywhere by design) is left off: the verdict says what failed."""
    explained = explain(image, layout, result)
    picture = Image.fromarray(explained[explained.shape[0] - round(layout.height_mm * PAGE_PIXELS_PER_MM) :])
    header = 0
    pen = ImageDraw.Draw(picture)
    scale = PAGE_PIXELS_PER_MM
    bubbles = layout.bubble_by_id
    for bubble_id, printed in failing.items():
        bubble = bubbles.get(bubble_id)
        if bubble is None:
            continue
        left = (bubble.x_mm - bubble.w_mm / 2 - FRAME_MM) * scale
        top = (bubble.y_mm - bubble.h_mm / 2 - FRAME_MM) * scale + header
        right = (bubble.x_mm + bubble.w_mm / 2 + FRAME_MM) * scale
        bottom = (bubble.y_mm + bubble.h_mm / 2 + FRAME_MM) * scale + header
        pen.rectangle((left, top, right, bottom), outline=FAILED, width=max(3, round(scale / 3)))
        pen.text((right + 2, top), f"{printed:.2f}", fill=FAILED)
    return np.asarray(picture)


def evidence_for_file(path: Path, layout: Layout, outcome: dict[str, Any]) -> np.ndarray:
    """:func:`evidence_picture` of a kept scan (``scans/…/page-NNN.png``) and its stored outcome."""
    image = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
    if image is None:
        raise ValueError(f"cannot open {path.name}")
    result = read_page(image, layout, image_name=path.name, page=int(outcome.get("page", 1)))
    return evidence_picture(image, layout, result, failing_cells(outcome))
