"""Pictures for operators: a flagged field cut out upright, and the reader's overlay."""

from __future__ import annotations

import numpy as np

from common.omr.debug import AMBIGUOUS_COLOUR, MARKED_COLOUR, MULTIPLE_COLOUR, field_crop, overlay
from common.omr.reader import read_page
from common.omr.synth import MarkSpec, fill_page
from forms.registry import get_layout
from forms.render import render_page_image


def test_a_field_is_cut_out_upright_from_a_page_scanned_upside_down() -> None:
    layout = get_layout("answer-sheet")
    page = fill_page(
        render_page_image(layout, 150, number=None),
        layout,
        150,
        {"history_kz.q02.A": MarkSpec(0.95), "history_kz.q02.E": MarkSpec(0.95)},
        np.random.default_rng(1),
    )
    turned = np.ascontiguousarray(page[::-1, ::-1])
    result = read_page(turned, layout)
    assert result.orientation == 180 and result.has_flag("multiple")
    crop = field_crop(turned, layout, result, "history_kz.q02", pixels_per_mm=10)
    bubbles = layout.bubbles_by_field["history_kz.q02"]
    left = min(b.x_mm - b.w_mm / 2 for b in bubbles) - 3.0
    top = min(b.y_mm - b.h_mm / 2 for b in bubbles) - 3.0

    def darkness_at(value: str) -> float:
        bubble = layout.bubble_by_id[f"history_kz.q02.{value}"]
        x, y = round((bubble.x_mm - left) * 10), round((bubble.y_mm - top) * 10)
        return 255.0 - float(crop[y - 5 : y + 5, x - 8 : x + 8].mean())

    assert darkness_at("A") > 100 and darkness_at("E") > 100
    assert darkness_at("B") < 40 and darkness_at("C") < 40 and darkness_at("D") < 40

    picture = overlay(turned, layout, result)
    assert picture.shape == (*turned.shape, 3)

    def painted(colour: tuple[int, int, int]) -> int:
        return int(np.all(picture == np.array(colour, dtype=np.uint8), axis=2).sum())

    assert painted(MULTIPLE_COLOUR) > 0 and painted(AMBIGUOUS_COLOUR) == 0 and painted(MARKED_COLOUR) == 0
