"""Synthetic filling: marks look like a pencil's, and their true fill is what the pixels say."""

from __future__ import annotations

import numpy as np
import pytest

from common.omr.layout import Rect
from common.omr.sampling import INK_MARGIN
from common.omr.synth import (
    MarkSpec,
    SheetPainter,
    answers_to_marks,
    fill_page,
    fill_page_with_truth,
    group_answers,
    read_back,
    split_value,
)
from forms.registry import get_layout
from forms.render import render_page_image

DPI = 150


@pytest.fixture(scope="module")
def answer_sheet() -> tuple[object, np.ndarray]:
    layout = get_layout("answer-sheet")
    return layout, render_page_image(layout, DPI, number="0012345")


def task_bubbles(layout: object, count: int) -> list[str]:
    return [b.id for b in layout.bubbles if ".q" in b.field][:count]  # type: ignore[attr-defined]


def ink_share_on_the_image(layout: object, filled: np.ndarray, blank: np.ndarray, bubble_id: str) -> float:
    """READER.md's fill — the share of the interior's AREA darker than the paper by the margin —
    measured independently on the composed image, from the mark alone (the image relative to the
    blank under it): a pixel as dark as the mark is all ink, a paler pixel past the tooth's gaps
    (12–92 % of the mark's own darkness) is an edge the mark covers in that proportion."""
    bubble = layout.bubble_by_id[bubble_id]  # type: ignore[attr-defined]
    ppm = DPI / 25.4
    top, left = int((bubble.y_mm - bubble.h_mm) * ppm), int((bubble.x_mm - bubble.w_mm) * ppm)
    ys, xs = np.mgrid[top : int((bubble.y_mm + bubble.h_mm) * ppm), left : int((bubble.x_mm + bubble.w_mm) * ppm)]
    semi_x = (bubble.w_mm / 2 - layout.bubble_line_mm) * ppm  # type: ignore[attr-defined]
    semi_y = (bubble.h_mm / 2 - layout.bubble_line_mm) * ppm  # type: ignore[attr-defined]
    inside = ((xs + 0.5 - bubble.x_mm * ppm) / semi_x) ** 2 + ((ys + 0.5 - bubble.y_mm * ppm) / semi_y) ** 2 <= 1
    rows, cols = ys[inside], xs[inside]
    darkness = 1 - filled[rows, cols].astype(float) / np.maximum(blank[rows, cols], 1)
    past_margin = darkness >= INK_MARGIN - 0.5 / 255
    if not past_margin.any():
        return 0.0
    level = np.quantile(darkness[past_margin], 0.9)
    edge_share = np.minimum(darkness / (0.965 * level), 1.0)
    return float(np.where(darkness >= 0.92 * level, 1.0, np.where(darkness > 0.12 * level, edge_share, 0.0)).mean())


@pytest.mark.parametrize(
    ("style", "target"),
    [
        ("pencil", 0.9),
        ("pen", 0.97),
        ("partial", 0.3),
        ("partial", 0.5),
        ("partial", 0.75),
        ("tick", 0.2),
        ("cross", 0.3),
        ("scribble", 0.8),
        ("pencil", 0.65),
        ("residue", 0.1),
        ("residue", 0.25),
    ],
)
def test_marks_reach_their_aim_and_the_truth_is_what_the_pixels_show(
    answer_sheet: tuple[object, np.ndarray], style: str, target: float
) -> None:
    layout, blank = answer_sheet
    painter = SheetPainter(blank, layout, DPI, np.random.default_rng(5))  # type: ignore[arg-type]
    bubbles = task_bubbles(layout, 6)
    drawn = [painter.mark(b, MarkSpec(target, style)) for b in bubbles]  # type: ignore[arg-type]
    image = painter.image()
    truths = painter.true_fills()

    for bubble_id, fill in zip(bubbles, drawn, strict=True):
        assert fill == pytest.approx(truths[bubble_id])
        assert abs(fill - target) <= 0.06, (bubble_id, fill)
        assert abs(ink_share_on_the_image(layout, image, blank, bubble_id) - fill) <= 0.01


def test_a_full_pencil_fill_is_not_assumed_to_be_full(answer_sheet: tuple[object, np.ndarray]) -> None:
    layout, blank = answer_sheet
    painter = SheetPainter(blank, layout, DPI, np.random.default_rng(1))  # type: ignore[arg-type]
    fills = [painter.mark(b, MarkSpec(1.0, "pencil")) for b in task_bubbles(layout, 10)]

    assert all(0.85 <= fill < 1.0 for fill in fills), "paper shows through the graphite's grain"


def test_erasure_leaves_a_visible_smudge_far_under_the_margin(answer_sheet: tuple[object, np.ndarray]) -> None:
    layout, blank = answer_sheet
    painter = SheetPainter(blank, layout, DPI, np.random.default_rng(2))  # type: ignore[arg-type]
    bubble_id = task_bubbles(layout, 1)[0]
    fill = painter.mark(bubble_id, MarkSpec(0.0, "erasure"))
    image = painter.image()

    assert fill == 0.0
    assert (blank.astype(int) - image).max() >= 15
    assert painter.darkness.max() < 255 * INK_MARGIN * 0.6


def test_a_spilling_mark_fills_the_bubble_and_runs_over_its_outline(answer_sheet: tuple[object, np.ndarray]) -> None:
    layout, blank = answer_sheet
    painter = SheetPainter(blank, layout, DPI, np.random.default_rng(6))  # type: ignore[arg-type]
    bubble_id = task_bubbles(layout, 1)[0]
    fill = painter.mark(bubble_id, MarkSpec(0.98, "spill"))
    bubble = layout.bubble_by_id[bubble_id]  # type: ignore[attr-defined]
    ppm = DPI / 25.4
    beyond = painter.darkness[round(bubble.y_mm * ppm), round((bubble.x_mm + bubble.w_mm / 2 + 0.15) * ppm)]

    assert fill >= 0.9
    assert beyond >= 255 * INK_MARGIN, "graphite outside the printed outline"


def test_residue_of_an_erased_mark_is_patchy_and_light(answer_sheet: tuple[object, np.ndarray]) -> None:
    layout, blank = answer_sheet
    painter = SheetPainter(blank, layout, DPI, np.random.default_rng(7))  # type: ignore[arg-type]
    bubble_id = task_bubbles(layout, 1)[0]
    painter.mark(bubble_id, MarkSpec(0.2, "residue"))

    assert painter.darkness.max() < 255 * INK_MARGIN + 45


def test_filling_touches_only_the_marked_bubbles(answer_sheet: tuple[object, np.ndarray]) -> None:
    layout, blank = answer_sheet
    marks = {"math_literacy.q01.B": MarkSpec(), "ikt.c01.7": MarkSpec(0.9, "pen")}
    image = fill_page(blank, layout, DPI, marks, np.random.default_rng(3))  # type: ignore[arg-type]
    same, fills = fill_page_with_truth(blank, layout, DPI, marks, np.random.default_rng(3))  # type: ignore[arg-type]
    assert np.array_equal(image, same)
    assert {bubble for bubble, fill in fills.items() if fill > 0} == set(marks)

    rows, cols = np.nonzero(image != blank)
    ppm = DPI / 25.4
    distance = np.full(rows.shape, np.inf)
    for bubble in (layout.bubble_by_id[i] for i in marks):  # type: ignore[attr-defined]
        away = np.maximum(
            np.abs(cols / ppm - bubble.x_mm) - bubble.w_mm / 2, np.abs(rows / ppm - bubble.y_mm) - bubble.h_mm / 2
        )
        distance = np.minimum(distance, away)
    assert len(rows) > 50 and distance.max() <= 1.5


def test_stray_marks_and_handwriting_stay_out_of_the_bubbles(answer_sheet: tuple[object, np.ndarray]) -> None:
    layout, blank = answer_sheet
    painter = SheetPainter(blank, layout, DPI, np.random.default_rng(4))  # type: ignore[arg-type]
    placed = painter.stray_marks(25)
    painter.handwriting("Әлібек Нұрлан", Rect(20.0, 260.0, 120.0, 9.0))

    assert placed == 25
    assert max(painter.true_fills().values()) == 0.0
    assert (painter.image() < blank).sum() > 2000


def test_answers_become_the_marks_that_read_back_as_those_answers(answer_sheet: tuple[object, np.ndarray]) -> None:
    layout, blank = answer_sheet
    answers = {"math_literacy.q03": "D", "reading_literacy.q02": "", **group_answers(layout, "ikt", "004517283")}
    multi = next(f for f in layout.fields if f.kind == "multi")  # type: ignore[attr-defined]
    answers[multi.name] = multi.values[0] + multi.values[2]
    painter = SheetPainter(blank, layout, DPI, np.random.default_rng(6))  # type: ignore[arg-type]
    painter.marks(answers_to_marks(layout, answers, rng=np.random.default_rng(7)))  # type: ignore[arg-type]

    read = read_back(layout, painter.true_fills())  # type: ignore[arg-type]
    for name, value in answers.items():
        assert read[name] == value
    assert sum(1 for value in read.values() if value) == sum(1 for value in answers.values() if value)


def test_values_split_back_into_layout_values() -> None:
    assert split_value(("kk", "ru", "en"), "kk") == ["kk"]
    assert split_value(("A", "B", "C", "D"), "AC") == ["A", "C"]
    assert split_value(("0", "1"), "") == []
    with pytest.raises(ValueError):
        split_value(("A", "B"), "AX")
    with pytest.raises(ValueError):
        group_answers(get_layout("answer-sheet"), "ikt", "1234567890")
