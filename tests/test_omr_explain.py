"""``ent-omr explain``: a picture that shows a person why each bubble was read as it was."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from common.omr.explain import AMBIGUOUS, EMPTY, FIELD_PIXELS_PER_MM, MARKED, MULTIPLE, PAGE_PIXELS_PER_MM, explain
from common.omr.layout import Layout
from common.omr.reader import read_page
from common.omr.synth import MarkSpec, fill_page
from forms.cli import main
from forms.registry import get_layout
from forms.render import render_page_image

DPI = 200


@pytest.fixture(scope="module")
def layout() -> Layout:
    return get_layout("answer-sheet")


@pytest.fixture(scope="module")
def scan(layout: Layout) -> np.ndarray:
    """A sheet with a clear mark, a borderline one and a double mark, scanned upside down."""
    marks = {
        "history_kz.q01.A": MarkSpec(0.95),
        "history_kz.q05.B": MarkSpec(0.5, "partial"),
        "history_kz.q06.A": MarkSpec(0.95),
        "history_kz.q06.C": MarkSpec(0.9),
    }
    page = fill_page(render_page_image(layout, DPI, number="0012345"), layout, DPI, marks, np.random.default_rng(4))
    return np.ascontiguousarray(page[::-1, ::-1])


def outline_colours(picture: np.ndarray, header: int, x: float, y: float) -> set[tuple[int, ...]]:
    """The colours drawn within 3 px of the picture position (x, y) below the header."""
    row, column = picture.shape[0] - header + round(y), round(x)
    window = picture[row - 3 : row + 4, column - 3 : column + 4].reshape(-1, 3)
    return {tuple(int(v) for v in pixel) for pixel in window}


def test_each_bubble_of_a_field_is_outlined_in_the_colour_of_its_decision(layout: Layout, scan: np.ndarray) -> None:
    result = read_page(scan, layout)
    assert result.orientation == 180
    picture = explain(scan, layout, result, "history_kz.q06")
    bubbles = layout.bubbles_by_field["history_kz.q06"]
    left = min(b.x_mm - b.w_mm / 2 for b in bubbles) - 3.0
    top = min(b.y_mm - b.h_mm / 2 for b in bubbles) - 3.0
    crop_height = round((max(b.y_mm + b.h_mm / 2 for b in bubbles) + 3.0 - top) * FIELD_PIXELS_PER_MM)
    expected = {"A": MULTIPLE, "B": EMPTY, "C": MULTIPLE, "D": EMPTY, "E": EMPTY}
    for bubble in bubbles:
        # the leftmost point of the outline, drawn inward from the bubble's edge
        x = (bubble.x_mm - bubble.w_mm / 2 - left) * FIELD_PIXELS_PER_MM + 2
        y = (bubble.y_mm - top) * FIELD_PIXELS_PER_MM
        drawn = outline_colours(picture, crop_height, x, y) & {MULTIPLE, EMPTY, MARKED, AMBIGUOUS}
        assert drawn == {expected[bubble.value]}, bubble.id


def test_the_whole_page_shows_every_bubble_and_the_borderline_one_in_orange(layout: Layout, scan: np.ndarray) -> None:
    result = read_page(scan, layout)
    picture = explain(scan, layout, result)
    page_height = round(layout.height_mm * PAGE_PIXELS_PER_MM)
    assert picture.shape[1] >= round(layout.width_mm * PAGE_PIXELS_PER_MM) and picture.shape[0] > page_height
    for bubble_id, colour in (("history_kz.q05.B", AMBIGUOUS), ("history_kz.q01.A", MARKED)):
        bubble = layout.bubble_by_id[bubble_id]
        x = (bubble.x_mm - bubble.w_mm / 2) * PAGE_PIXELS_PER_MM + 1
        drawn = outline_colours(picture, page_height, x, bubble.y_mm * PAGE_PIXELS_PER_MM)
        assert drawn & {MULTIPLE, EMPTY, MARKED, AMBIGUOUS} == {colour}, bubble_id


def test_the_command_writes_a_png_and_refuses_what_it_cannot_explain(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, scan: np.ndarray
) -> None:
    image = tmp_path / "scan.png"
    cv2.imwrite(str(image), scan)
    out = tmp_path / "field.png"
    assert main(["explain", "answer-sheet", str(image), "--field", "history_kz.q05", "--out", str(out)]) == 0
    written = cv2.imread(str(out))
    assert written is not None and written.shape[0] > written.shape[1] / 4

    assert main(["explain", "answer-sheet", str(image), "--field", "no.such", "--out", str(tmp_path / "x.png")]) == 1
    assert "no.such" in capsys.readouterr().err
    paper = tmp_path / "paper.png"
    cv2.imwrite(str(paper), np.full((2339, 1654), 245, np.uint8))
    assert main(["--lang", "en", "explain", "answer-sheet", str(paper), "--out", str(tmp_path / "y.png")]) == 1
    assert "Nothing is printed" in capsys.readouterr().err
    assert not (tmp_path / "x.png").exists() and not (tmp_path / "y.png").exists()


def test_the_kept_image_is_read_once_for_all_the_fields_an_appeal_disputes(
        layout: Layout, scan: np.ndarray, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``arm_programmer.identification.explain_fields``: an analysis card's crops (one per disputed task) and the
    whole page come from one reading of the image; a field the layout lacks is left out."""
    import common.omr.reader
    from arm_programmer.identification import explain_fields, explain_image

    path = tmp_path / "kept.png"
    assert cv2.imwrite(str(path), cv2.cvtColor(scan, cv2.COLOR_RGB2BGR) if scan.ndim == 3 else scan)
    reads: list[str] = []
    real = common.omr.reader.read_page

    def counted(*args: object, **kwargs: object) -> object:
        reads.append("read")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(common.omr.reader, "read_page", counted)
    pictures = explain_fields(path, layout, ["history_kz.q06", "history_kz.q01", "no_such.q01", None,
                                             "history_kz.q06"])
    assert len(reads) == 1 and set(pictures) == {"history_kz.q06", "history_kz.q01", None}
    assert all(picture.startswith(b"\x89PNG") for picture in pictures.values())
    assert explain_image(path, layout, "history_kz.q06") == pictures["history_kz.q06"]
    assert explain_image(path, layout, "no_such.q01") is None and explain_image(tmp_path / "gone.png", layout) is None
    assert explain_fields(path, layout, ["no_such.q01"]) == {} and len(reads) == 2  # nothing wanted: not read
