"""The simulated scanner: filled, printed and scanned sheets that the reader reads back."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from common.omr.damage import Profile
from common.omr.reader import read_page
from common.omr.synth import MarkSpec, group_answers
from common.scanning.driver import ScannerDriver
from common.scanning.simulated import SimulatedScanner, SimulatedSheet, encode_page
from common.scanning.watched_folder import WatchedFolder
from forms.registry import get_layout

DPI = 150


def sheets() -> list[SimulatedSheet]:
    layout = get_layout("answer-sheet")
    first = {
        "math_literacy.q01": "C",
        "math_literacy.q02": "A",
        "history_kz.q05": "E",
        **group_answers(layout, "ikt", "004517283"),
    }
    second = {"reading_literacy.q10": "B", **group_answers(layout, "seat", "017")}
    return [
        SimulatedSheet(first, number="0012345", name="Әлібек Нұрлан"),
        SimulatedSheet(second, marks={"history_kz.q01.D": MarkSpec(0.5, "partial")}, number="0012346", stray_marks=3),
        SimulatedSheet({}, number="0012347"),
    ]


def test_simulated_pages_read_back_as_what_was_filled() -> None:
    layout = get_layout("answer-sheet")
    scanner = SimulatedScanner(layout, sheets(), dpi=DPI, damage_profile=Profile.production(), seed=3)
    assert isinstance(scanner, ScannerDriver)

    pages = list(scanner.acquire())

    assert [p.source for p in pages] == [f"simulated:answer-sheet#{n}" for n in (1, 2, 3)]
    results = [read_page(page.image, layout) for page in pages]
    for page, result in zip(pages, results, strict=True):
        truth = scanner.truths[page.page_id]
        assert result.sheet_number == truth.sheet.number
        assert result.orientation == truth.damage.orientation
        ambiguous = {flag.field for flag in result.flags if flag.kind == "ambiguous"}
        for name, value in truth.sheet.answers.items():
            assert result.fields[name] == value
        assert {name for name, value in result.fields.items() if value and name not in ambiguous} <= set(
            truth.sheet.answers
        )
    assert "history_kz.q01" in {flag.field for flag in results[1].flags if flag.kind == "ambiguous"}
    assert results[2].has_flag("blank")


def test_the_same_seed_scans_the_same_pages() -> None:
    layout = get_layout("answer-sheet")
    first = list(SimulatedScanner(layout, sheets()[:1], dpi=DPI, damage_profile=Profile.harsh(), seed=9).acquire())
    again = list(SimulatedScanner(layout, sheets()[:1], dpi=DPI, damage_profile=Profile.harsh(), seed=9).acquire())
    other = list(SimulatedScanner(layout, sheets()[:1], dpi=DPI, damage_profile=Profile.harsh(), seed=10).acquire())

    assert first[0].page_id == again[0].page_id and np.array_equal(first[0].image, again[0].image)
    assert other[0].page_id != first[0].page_id


def test_two_passes_over_one_sheet_seed_scan_the_same_paper_with_their_own_damage() -> None:
    """The programmer scans every sheet twice: the marks are the paper's, only the scan differs. (Each pass used
    to draw its marks afresh: a firm fill of true 0.83 in one pass and 0.95 in the other, read as a difference
    between the passes that no sheet had.)"""
    from dataclasses import replace

    layout = get_layout("answer-sheet")
    paper = sheets()
    passes = [SimulatedScanner(layout, paper, dpi=DPI, damage_profile=Profile.production(), seed=pass_number,
                               natural=False, sheet_seed=7) for pass_number in (1, 2)]
    scanned = [list(scanner.acquire()) for scanner in passes]
    truths = [[scanner.truths[page.page_id].true_fills for page in pages] for scanner, pages in zip(passes, scanned,
                                                                                              strict=True)]
    assert truths[0] == truths[1]
    assert not np.array_equal(scanned[0][0].image, scanned[1][0].image)  # each pass its own damage
    changed = replace(paper[0], answers={**paper[0].answers, "math_literacy.q01": "D"})
    third = SimulatedScanner(layout, [changed, *paper[1:]], dpi=DPI, damage_profile=Profile.production(), seed=3,
                             natural=False, sheet_seed=7)
    fills = [third.truths[page.page_id].true_fills for page in third.acquire()]
    moved = {bubble for bubble, fill in fills[0].items() if abs(fill - truths[0][0][bubble]) > 1e-9}
    assert moved == {"math_literacy.q01.C", "math_literacy.q01.D"}  # the one answer changed, nothing else
    assert fills[1:] == truths[0][1:]


def test_exported_scans_arrive_through_a_watched_folder(tmp_path: Path) -> None:
    layout = get_layout("answer-sheet")
    scanner = SimulatedScanner(layout, sheets(), dpi=DPI, seed=4)
    written = scanner.export(tmp_path, jpeg_quality=90)

    folder = WatchedFolder(tmp_path, settle_seconds=0.05, poll_seconds=0.02, idle_timeout=0.3)
    taken = []
    for page in folder.acquire():
        taken.append(page)
        folder.acknowledge(page.page_id)

    assert [p.name for p in written] == ["scan0001.jpg", "scan0002.jpg", "scan0003.jpg"]
    assert [p.source for p in taken] == [f"{p.name}#1" for p in written]
    assert all(page.dpi == DPI for page in taken)
    assert read_page(taken[0].image, layout).fields["math_literacy.q01"] == "C"


def test_exported_png_pages_are_the_scanned_pixels_at_their_dpi(tmp_path: Path) -> None:
    """The PNG files a pass is exported as (the benchmark's 12 000) hold the scanned pixels bit for bit, grey
    and colour, and state the dpi, so the folder driver reads them as the scanner delivered them."""
    layout = get_layout("answer-sheet")
    scanner = SimulatedScanner(layout, sheets()[:1], dpi=DPI, damage_profile=Profile.production(), seed=5)
    scanned = next(iter(scanner.acquire()))
    colour = np.dstack([scanned.image // 2, scanned.image, np.full_like(scanned.image, 200)])
    for index, image in enumerate((scanned.image, colour), start=1):
        (tmp_path / f"scan{index:04d}.png").write_bytes(encode_page(image, DPI))

    folder = WatchedFolder(tmp_path, settle_seconds=0.05, poll_seconds=0.02, idle_timeout=0.3)
    taken = list(folder.acquire())

    assert [page.dpi for page in taken] == [DPI, DPI]
    assert np.array_equal(taken[0].image, scanned.image) and np.array_equal(taken[1].image, colour)


def test_stop_ends_the_batch() -> None:
    scanner = SimulatedScanner(get_layout("answer-sheet"), iter(sheets() * 10), dpi=DPI)
    taken = 0
    for _page in scanner.acquire():
        taken += 1
        if taken == 2:
            scanner.stop()
    assert taken == 2


@pytest.mark.parametrize("form", ["application"])
def test_other_forms_simulate_too(form: str) -> None:
    layout = get_layout(form)
    answers = {**group_answers(layout, "surname", "ӘЛІБЕК"), "sex": "M", "language": "kk"}
    page = next(iter(SimulatedScanner(layout, [SimulatedSheet(answers)], dpi=200, seed=1).acquire()))

    result = read_page(page.image, layout)

    assert result.groups["surname"] == "ӘЛІБЕК"
    assert result.fields["sex"] == "M" and result.fields["language"] == "kk"


def test_marks_printed_with_the_form_are_part_of_the_truth() -> None:
    layout = get_layout("control-sheet")
    printed = {"math_literacy.q01.A": 1.0, "math_literacy.q02.B": 0.5, "math_literacy.q03.C": 0.2}
    scanner = SimulatedScanner(layout, [SimulatedSheet(printed=printed, number="0000001")], dpi=DPI, seed=2)
    page = next(iter(scanner.acquire()))
    truth = scanner.truths[page.page_id]

    assert [round(truth.true_fills[b], 1) for b in printed] == [1.0, 0.5, 0.2]
    assert truth.fields["math_literacy.q01"] == "A" and truth.fields["math_literacy.q03"] == ""
    result = read_page(page.image, layout)
    assert "math_literacy.q02" in {flag.field for flag in result.flags if flag.kind == "ambiguous"}
