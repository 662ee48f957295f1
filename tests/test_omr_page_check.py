"""The page-quality verdict (READER.md ``page_check``): each check fails on an image spoilt in exactly
that way and only there, a clean production scan passes every check, and one torn or covered
corner square no longer loses the page."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from common import i18n
from common.omr.corpus import random_answers
from common.omr.damage import Profile, damage
from common.omr.reader import PageResult, check_page, read_page
from common.omr.synth import answers_to_marks, fill_page
from common.testspec import shipped_spec
from forms.cli import main
from forms.layout import Layout
from forms.marks import NO_SPEC, corner_centres, spec_bits, spec_cells, spec_from_bits
from forms.registry import DEFAULT_SPEC, get_layout
from forms.render import render_page_image

DPI = 200
PX = DPI / 25.4
BACKING = 35


@pytest.fixture(scope="module")
def layout() -> Layout:
    return get_layout("answer-sheet")


@pytest.fixture(scope="module")
def answers(layout: Layout) -> dict[str, str]:
    return random_answers(layout, np.random.default_rng(10))


@pytest.fixture(scope="module")
def sheet(layout: Layout, answers: dict[str, str]) -> np.ndarray:
    """A filled answer sheet scanned perfectly at 200 dpi."""
    blank = render_page_image(layout, DPI, number="0012345")
    return fill_page(blank, layout, DPI, answers_to_marks(layout, answers), np.random.default_rng(1))


def on_backing(page: np.ndarray, margin_mm: float = 6.0, level: int = BACKING) -> np.ndarray:
    margin = round(margin_mm * PX)
    return cv2.copyMakeBorder(page, margin, margin, margin, margin, cv2.BORDER_CONSTANT, value=level)


def checks(result: PageResult) -> list[str]:
    return [problem.check for problem in result.page_check.problems]


def test_a_clean_production_scan_passes_every_check(layout: Layout, sheet: np.ndarray) -> None:
    for seed in range(4):
        scan, _transform = damage(sheet, np.random.default_rng(seed), Profile.production(), dpi=DPI)
        result = read_page(scan, layout)
        check = result.page_check
        assert check.ok, (seed, [p.message() for p in check.problems])
        assert 190 <= (check.dpi or 0) <= 210 and abs(check.skew_deg or 99) <= 3.2
        assert (check.contrast or 0) > 0.6 and (check.blur_mm or 1) < 0.2 and not result.flags


def test_150_dpi_fails_only_the_resolution(layout: Layout, sheet: np.ndarray) -> None:
    low = cv2.resize(sheet, None, fx=0.75, fy=0.75, interpolation=cv2.INTER_AREA)
    result = read_page(low, layout)
    assert checks(result) == ["resolution"] and result.page_check.dpi == 150
    assert "150 dpi" in result.page_check.problems[0].message()
    assert not result.flags  # still read


def test_a_sheet_turned_7_degrees_fails_only_the_skew(layout: Layout, sheet: np.ndarray) -> None:
    height, width = sheet.shape
    canvas = (round(width * 1.2), round(height * 1.12))
    rotation = cv2.getRotationMatrix2D((width / 2, height / 2), -7.0, 1.0)
    rotation[:, 2] += [(canvas[0] - width) / 2, (canvas[1] - height) / 2]
    turned = cv2.warpAffine(sheet, rotation, canvas, flags=cv2.INTER_LINEAR, borderValue=255)
    result = read_page(turned, layout)
    assert checks(result) == ["skew"]
    assert result.page_check.skew_deg == pytest.approx(7.0, abs=0.3)


def test_a_blurred_scan_fails_only_the_sharpness(layout: Layout, sheet: np.ndarray) -> None:
    blurred = cv2.GaussianBlur(sheet, (0, 0), 2.6)
    result = read_page(blurred, layout)
    assert checks(result) == ["sharpness"]
    assert (result.page_check.blur_mm or 0) > 0.25 > (read_page(sheet, layout).page_check.blur_mm or 1)


def test_a_dark_scan_fails_only_the_darkness(layout: Layout, sheet: np.ndarray) -> None:
    dark = (sheet.astype(np.float32) * 0.45).astype(np.uint8)
    result = read_page(dark, layout)
    assert checks(result) == ["darkness"]
    assert (result.page_check.paper or 1) < 0.5


def test_a_washed_out_scan_fails_only_the_contrast(layout: Layout, sheet: np.ndarray) -> None:
    washed = (120 + sheet.astype(np.float32) * (235 - 120) / 255).astype(np.uint8)
    result = read_page(washed, layout)
    assert checks(result) == ["contrast"]
    assert (result.page_check.contrast or 1) < 0.5


def test_a_folded_corner_over_a_dark_backing_fails_only_the_corner(layout: Layout, sheet: np.ndarray) -> None:
    scan = on_backing(sheet)
    margin = round(6.0 * PX)
    right = margin + sheet.shape[1]
    fold = np.array([[right, margin], [right - round(9 * PX), margin], [right, margin + round(9 * PX)]], np.int32)
    cv2.fillPoly(scan, [fold], BACKING)
    result = read_page(scan, layout)
    assert checks(result) == ["corner"]
    assert result.page_check.problems[0].values == (("corner", "tr"),)


def test_a_page_cut_by_the_capture_area_fails_only_the_corner(layout: Layout, sheet: np.ndarray) -> None:
    cut = np.ascontiguousarray(sheet[:, : sheet.shape[1] - round(4 * PX)])
    result = read_page(cut, layout)
    assert checks(result) == ["corner", "corner"]
    assert {p.values for p in result.page_check.problems} == {(("corner", "tr"),), (("corner", "br"),)}


def test_a_streak_from_dirty_glass_fails_only_the_streaks(layout: Layout, sheet: np.ndarray) -> None:
    streaked = sheet.copy()
    streaked[:, 700:702] = (streaked[:, 700:702].astype(np.int16) - 60).clip(0, 255).astype(np.uint8)
    result = read_page(streaked, layout)
    assert checks(result) == ["streaks"]
    assert read_page(sheet, layout).page_check.ok


def test_an_empty_paper_fails_only_the_blank_check(layout: Layout) -> None:
    rng = np.random.default_rng(3)
    paper = np.clip(rng.normal(240, 2, size=(2339, 1654)), 0, 255).astype(np.uint8)
    result = check_page(paper, layout)
    assert [p.check for p in result.problems] == ["blank"]


def test_an_unused_sheet_is_flagged_blank_but_is_a_good_scan(layout: Layout) -> None:
    result = read_page(render_page_image(layout, DPI, number="0012345"), layout)
    assert result.has_flag("blank") and result.page_check.ok


def test_another_form_fails_only_the_wrong_form_check(layout: Layout) -> None:
    application = render_page_image(get_layout("application"), DPI, number=None)
    result = read_page(application, layout)
    assert checks(result) == ["wrong_form"] and result.has_flag("wrong_form")


def test_a_sheet_printed_for_another_exam_is_the_wrong_form(layout: Layout, sheet: np.ndarray) -> None:
    i18n.set_language("en")  # the conftest puts the language back
    spec = shipped_spec(DEFAULT_SPEC)
    other_year = get_layout("answer-sheet", dataclasses.replace(spec, exam_year=2026))
    other_variants = get_layout("answer-sheet", dataclasses.replace(spec, variants=(*spec.variants, "99")))
    assert len({layout.spec_identity, other_year.spec_identity, other_variants.spec_identity}) == 3
    for other in (other_year, other_variants):
        result = read_page(sheet, other)
        assert result.has_flag("wrong_form") and result.fields == {} and result.form == "answer-sheet"
        assert [(flag.kind, flag.reason) for flag in result.flags] == [("wrong_form", "other_spec")]
        assert checks(result) == ["wrong_form"]
        assert "another test specification" in result.page_check.problems[0].message()
    printed = render_page_image(other_year, DPI, number="0012345")
    assert not read_page(printed, other_year).has_flag("wrong_form")
    assert read_page(printed, layout).has_flag("wrong_form")


def test_the_specification_cells_spell_the_identity_printed() -> None:
    assert all(spec_from_bits(spec_bits(value)) == value for value in range(256))
    application = get_layout("application")
    assert application.spec_identity == NO_SPEC
    assert not {mark.id for mark in application.marks} & {cell.id for cell in spec_cells()}


@pytest.mark.parametrize("corner", ["tl", "tr", "br", "bl"])
def test_a_covered_corner_square_still_reads_and_says_so(
    layout: Layout, sheet: np.ndarray, answers: dict[str, str], corner: str
) -> None:
    covered = sheet.copy()
    x, y = corner_centres()[corner]
    half = round(5.0 * PX)
    cx, cy = round(x * PX), round(y * PX)
    covered[cy - half : cy + half, cx - half : cx + half] = 255
    result = read_page(covered, layout)
    assert result.fields == answers and not result.flags
    assert checks(result) == ["corner_mark"]
    assert result.page_check.problems[0].values == (("corner", corner),)


def test_a_torn_corner_on_a_dark_backing_read_upside_down_reads(
    layout: Layout, sheet: np.ndarray, answers: dict[str, str]
) -> None:
    scan = on_backing(sheet)
    margin = round(6.0 * PX)
    tear = np.array([[margin, margin + round(22 * PX)], [margin, margin], [margin + round(24 * PX), margin]], np.int32)
    cv2.fillPoly(scan, [tear], BACKING)  # the top-left corner torn off, square and all
    turned = np.ascontiguousarray(scan[::-1, ::-1])
    result = read_page(turned, layout)
    assert result.orientation == 180 and result.fields == answers and not result.flags
    assert sorted(checks(result)) == ["corner", "corner_mark"]
    assert ("corner", "tl") in {p.values[0] for p in result.page_check.problems}


def test_two_corner_squares_missing_is_unreadable(layout: Layout, sheet: np.ndarray) -> None:
    covered = sheet.copy()
    half = round(5.0 * PX)
    for corner in ("tl", "br"):
        x, y = corner_centres()[corner]
        covered[round(y * PX) - half : round(y * PX) + half, round(x * PX) - half : round(x * PX) + half] = 255
    result = read_page(covered, layout)
    assert result.unreadable and checks(result) == ["located"]


def test_the_page_check_is_in_every_json_line_in_the_operators_language(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, sheet: np.ndarray
) -> None:
    low = tmp_path / "low.png"
    cv2.imwrite(str(low), cv2.resize(sheet, None, fx=0.75, fy=0.75, interpolation=cv2.INTER_AREA))
    missing = tmp_path / "missing.png"
    try:
        assert main(["--lang", "ru", "read", "answer-sheet", str(low), str(missing), "--json"]) == 1
    finally:
        i18n.set_language(i18n.DEFAULT_LANGUAGE)
    first, second = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    check = first["page_check"]
    assert check["ok"] is False and check["dpi"] == 150 and set(check) >= {"skew_deg", "contrast", "problems"}
    [problem] = check["problems"]
    assert problem["check"] == "resolution" and "150" in problem["reason"] and "dpi" in problem["reason"]
    assert problem["reason"] != "Scanned at 150 dpi: set the scanner to 200–300 dpi."  # translated
    assert second["page_check"]["ok"] is False and second["page_check"]["problems"][0]["check"] == "file"
