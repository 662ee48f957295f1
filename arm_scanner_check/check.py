"""The check of a scanner with a control set (п. 52.5): fit or not fit, and what to fix.

Every scanned page is read as the control sheet of the set's test specification
(:func:`common.omr.reader.read_page`); its page check (:mod:`common.omr.pagecheck`: resolution,
skew, darkness, streaks, cut corners …) is taken as it is, except that the feed skew is held to
:data:`MAX_FEED_SKEW_DEG` — a page turned 3° is still readable, but a scanner that turns every sheet
so is not fit to scan an exam. Every bubble is then compared with the key: the decision (marked from
0.5, п. 196) must be the key's, and the fill ratio measured within :data:`MAX_FILL_ERROR` of the
printed one (the worst cells are named). The pages must be the set's sheets, each once, in order.

The verdict is a list of findings, one line each for the operator, in words that say what to fix;
no finding means fit. Findings are kept as a key and values and translated when shown, so a check
stored in one language is reported in another.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Final

import cv2
import numpy as np

from arm_scanner_check.control_set import ControlSet
from common.i18n import N_, _, tr
from common.omr import pagecheck
from common.omr.images import as_gray
from common.omr.marks import CORNER_INSET_MM, PAGE_HEIGHT_MM, PAGE_WIDTH_MM
from common.omr.pagecheck import MIN_PAPER, STREAK_DEPTH
from common.omr.reader import MARKED_AT, PageResult, read_page
from common.scanning.driver import ScannedPage

MAX_FEED_SKEW_DEG: Final = 2.0
"""A fit scanner feeds sheets straighter than this (the page check allows 5° for one page)."""
MAX_FILL_ERROR: Final = 0.15
"""The most a bubble's measured fill ratio may differ from the printed one (clean 150–300 dpi scans
of the control set measure within 0.08)."""
WORST_CELLS: Final = 3
STREAK_PIXELS_PER_MM: Final = 4.0

_MESSAGES: Final[dict[str, str]] = {
    "no_pages": N_("No page came from the scanner: put the control set in the feeder and scan again."),
    "resolution": N_("The scans measure {dpi} dpi: set the scanner's resolution to 200 dpi (200–300 dpi)."),
    "skew": N_("The feed turns the sheets by up to {skew}° (at most {limit}°): set the paper guides to the "
               "sheets and clean the feed rollers."),
    "streak": N_("A streak along the scan at {mm} mm from the sheet's left edge: clean the scanner's glass."),
    "streaks": N_("Streaks along the scan at {count} place(s): clean the scanner's glass."),
    "darkness": N_("The scans are too dark (paper brightness {paper} %, at least {limit} %): make them "
                   "lighter with the brightness setting."),
    "page": N_("Sheet {sheet}: {problem}"),
    "unread": N_("Page {page} could not be read: {problem}"),
    "marks": N_("{count} mark(s) read unlike the key ({cells}): the scanner loses or invents marks; clean "
                "the glass and check the brightness and contrast."),
    "fill": N_("Fill ratios are off by up to {error} (at most {limit}) at {cells}: check the brightness and "
               "contrast settings."),
    "missing": N_("Not scanned: sheet(s) {sheets} of the control set; scan the whole set, every sheet once."),
    "order": N_("Sheet {sheet} came out after sheet {previous}: the feeder mixes or pulls sheets together; "
                "put the set in order and scan it again."),
    "twice": N_("Sheet {sheet} was scanned twice: the feeder pulled it again; scan the set once."),
    "foreign": N_("Page {page} is not a sheet of this control set (number {sheet}): scan only the control set."),
}  # fmt: skip
_AGGREGATED: Final = frozenset({"resolution", "skew", "streaks", "darkness"})


@dataclass(frozen=True)
class Finding:
    """One reason the scanner is not fit: ``code`` a key of the messages, ``values`` their fields."""

    code: str
    values: dict[str, Any] = field(default_factory=dict)

    def message(self, language: str | None = None) -> str:
        """The one line an operator reads, in ``language`` (default: the current one)."""

        def translate(message: str) -> str:
            return _(message) if language is None else tr(language, message)

        values = dict(self.values)
        try:
            problem = values.get("problem")
            if isinstance(problem, dict):
                # the page check's own reason, in the same language (its messages are the reader's)
                values["problem"] = pagecheck.reason_message(problem["reason"], problem["values"], translate)
            return translate(_MESSAGES[self.code]).format(**values)
        except (KeyError, IndexError, ValueError, TypeError):  # a finding stored by another version
            details = ", ".join(f"{key} {value}" for key, value in sorted(self.values.items()))
            return f"{self.code}: {details}" if details else self.code

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "values": self.values}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Finding:
        return cls(str(data["code"]), dict(data.get("values") or {}))


@dataclass
class PageRead:
    """One scanned page, what the reader made of it, and what the check found on it."""

    page: ScannedPage
    result: PageResult
    outcome: dict[str, Any]


@dataclass
class CheckOutcome:
    """The verdict: ``fit`` when there is no finding; the figures and every page's outcome."""

    findings: list[Finding]
    figures: dict[str, Any]
    pages: list[PageRead]

    @property
    def fit(self) -> bool:
        return not self.findings


Progress = Callable[[int, int], None]
"""Told (pages done, pages expected) after each page."""


def check_pages(
    control_set: ControlSet, pages: Iterable[ScannedPage], progress: Progress | None = None
) -> CheckOutcome:
    """Read and compare every page the scanner delivers; return the verdict."""
    layout = control_set.layout
    reads: list[PageRead] = []
    expected = len(control_set.sheets)
    for index, page in enumerate(pages, start=1):
        result = read_page(page.image, layout, image_name=page.source, page=index)
        reads.append(PageRead(page, result, _page_outcome(control_set, index, page, result)))
        if progress is not None:
            progress(index, expected)
    return evaluate(control_set, reads)


def evaluate(control_set: ControlSet, reads: list[PageRead]) -> CheckOutcome:
    """The findings and figures from pages already read and compared."""
    findings: list[Finding] = []
    outcomes = [read.outcome for read in reads]
    if not outcomes:
        findings.append(Finding("no_pages"))
    findings += _quality_findings(outcomes)
    findings += _order_findings(control_set, outcomes)
    findings += _mark_findings(outcomes)
    return CheckOutcome(findings, _figures(control_set, outcomes), reads)


def _page_outcome(control_set: ControlSet, index: int, page: ScannedPage, result: PageResult) -> dict[str, Any]:
    check = result.page_check
    problems = [[problem.check, problem.reason, [list(pair) for pair in problem.values]] for problem in check.problems]
    outcome: dict[str, Any] = {
        "page": index,
        "source": page.source,
        "sheet": result.sheet_number,
        "located": result.transform is not None,
        "dpi": check.dpi,
        "skew_deg": check.skew_deg,
        "blur_mm": check.blur_mm,
        "paper": check.paper,
        "contrast": check.contrast,
        "problems": problems,
        "streaks_mm": [],
        "compared": 0,
        "wrong": [],
        "max_error": None,
        "mean_error": None,
        "worst": [],
    }
    if check.failed("streaks") and result.transform is not None:
        levels = max(20.0, 255.0 * (check.contrast or 0.0))
        outcome["streaks_mm"] = streak_positions_mm(as_gray(page.image), np.asarray(result.transform), levels)
    sheet = control_set.sheet(result.sheet_number)
    if sheet is None or not result.bubbles or result.has_flag("wrong_form"):
        return outcome
    errors: list[tuple[float, str, float, float]] = []
    wrong = []
    for bubble, measured in result.bubbles.items():
        printed = sheet.fill(bubble)
        errors.append((abs(measured - printed), bubble, measured, printed))
        if (measured >= MARKED_AT) != (printed >= MARKED_AT):
            wrong.append([bubble, measured, printed])
    errors.sort(reverse=True)
    outcome.update(
        compared=len(errors),
        wrong=wrong,
        max_error=round(errors[0][0], 2) if errors else None,
        mean_error=round(sum(item[0] for item in errors) / len(errors), 3) if errors else None,
        worst=[[bubble, measured, printed] for _error, bubble, measured, printed in errors[:WORST_CELLS]],
    )
    return outcome


def _quality_findings(outcomes: list[dict[str, Any]]) -> list[Finding]:
    findings: list[Finding] = []
    located = [outcome for outcome in outcomes if outcome["located"]]
    failing = {problem[0] for outcome in outcomes for problem in outcome["problems"]}
    if "resolution" in failing:
        dpis = [outcome["dpi"] for outcome in located if outcome["dpi"]]
        far = max(dpis, key=lambda dpi: abs(dpi - 200)) if dpis else 0
        findings.append(Finding("resolution", {"dpi": far}))
    skews = [abs(outcome["skew_deg"]) for outcome in located if outcome["skew_deg"] is not None]
    if skews and max(skews) > MAX_FEED_SKEW_DEG:
        findings.append(Finding("skew", {"skew": f"{max(skews):.1f}", "limit": f"{MAX_FEED_SKEW_DEG:.0f}"}))
    if "streaks" in failing:
        positions = sorted({round(mm) for outcome in outcomes for mm in outcome["streaks_mm"]})
        if positions:
            findings += [Finding("streak", {"mm": mm}) for mm in _merged(positions)]
        else:
            counts = [problem[2] for outcome in outcomes for problem in outcome["problems"] if problem[0] == "streaks"]
            findings.append(Finding("streaks", {"count": dict(counts[0]).get("count", 1)}))
    if "darkness" in failing:
        papers = [outcome["paper"] for outcome in located if outcome["paper"] is not None]
        findings.append(Finding("darkness", {"paper": round(100 * min(papers or [0.0])),
                                             "limit": round(100 * MIN_PAPER)}))  # fmt: skip
    told: set[str] = set()
    for outcome in outcomes:
        for check, reason, values in outcome["problems"]:
            if check in _AGGREGATED or check in told:
                continue
            told.add(check)
            problem = {"check": check, "reason": reason, "values": values}
            if outcome["located"] and outcome["sheet"]:
                findings.append(Finding("page", {"sheet": outcome["sheet"], "problem": problem}))
            else:
                findings.append(Finding("unread", {"page": outcome["page"], "problem": problem}))
    return findings


def _merged(positions: list[int]) -> list[int]:
    """Streak positions a few mm apart (one streak seen on several pages) told once."""
    merged: list[int] = []
    for mm in positions:
        if not merged or mm - merged[-1] > 3:
            merged.append(mm)
    return merged


def _order_findings(control_set: ControlSet, outcomes: list[dict[str, Any]]) -> list[Finding]:
    findings: list[Finding] = []
    order = control_set.numbers
    seen: list[str] = []
    out_of_order = False
    for outcome in outcomes:
        number = outcome["sheet"]
        if not outcome["located"]:
            continue  # told as unread
        if number is None or number not in order:
            findings.append(Finding("foreign", {"page": outcome["page"], "sheet": number or "—"}))
            continue
        if number in seen:
            findings.append(Finding("twice", {"sheet": number}))
            continue
        if seen and order.index(number) < order.index(seen[-1]) and not out_of_order:
            findings.append(Finding("order", {"sheet": number, "previous": seen[-1]}))
            out_of_order = True
        seen.append(number)
    missing = [number for number in order if number not in seen]
    if missing:
        findings.append(Finding("missing", {"sheets": ", ".join(missing)}))
    return findings


def _mark_findings(outcomes: list[dict[str, Any]]) -> list[Finding]:
    findings: list[Finding] = []
    wrong = [(outcome["sheet"], cell) for outcome in outcomes for cell in outcome["wrong"]]
    if wrong:
        wrong.sort(key=lambda item: -abs(item[1][1] - item[1][2]))
        findings.append(Finding("marks", {"count": len(wrong), "cells": _cells(wrong)}))
    worst = [(outcome["sheet"], cell) for outcome in outcomes for cell in outcome["worst"]]
    worst.sort(key=lambda item: -abs(item[1][1] - item[1][2]))
    if worst and abs(worst[0][1][1] - worst[0][1][2]) > MAX_FILL_ERROR:
        error = abs(worst[0][1][1] - worst[0][1][2])
        findings.append(Finding("fill", {"error": f"{error:.2f}", "limit": f"{MAX_FILL_ERROR:.2f}",
                                         "cells": _cells(worst)}))  # fmt: skip
    return findings


def _cells(cells: list[tuple[str, list[Any]]]) -> str:
    """The worst cells, named by sheet and bubble: ``9001002 math.t12.B 0.42/0.80`` (read/printed)."""
    return "; ".join(f"{sheet} {bubble} {measured:.2f}/{printed:.2f}"
                     for sheet, (bubble, measured, printed) in cells[:WORST_CELLS])  # fmt: skip


def _figures(control_set: ControlSet, outcomes: list[dict[str, Any]]) -> dict[str, Any]:
    located = [outcome for outcome in outcomes if outcome["located"]]

    def values(name: str) -> list[float]:
        return [outcome[name] for outcome in located if outcome[name] is not None]

    dpis, skews, papers = values("dpi"), [abs(value) for value in values("skew_deg")], values("paper")
    compared = sum(outcome["compared"] for outcome in outcomes)
    errors = [outcome["max_error"] for outcome in outcomes if outcome["max_error"] is not None]
    means = [(outcome["mean_error"], outcome["compared"]) for outcome in outcomes if outcome["mean_error"] is not None]
    return {
        "pages_expected": len(control_set.sheets),
        "pages_scanned": len(outcomes),
        "dpi_min": min(dpis) if dpis else None,
        "dpi_max": max(dpis) if dpis else None,
        "skew_max_deg": round(max(skews), 1) if skews else None,
        "paper_min": min(papers) if papers else None,
        "contrast_min": min(values("contrast")) if located else None,
        "blur_max_mm": max(values("blur_mm")) if values("blur_mm") else None,
        "bubbles_compared": compared,
        "marks_wrong": sum(len(outcome["wrong"]) for outcome in outcomes),
        "fill_error_max": max(errors) if errors else None,
        "fill_error_mean": round(sum(mean * count for mean, count in means) / compared, 3) if compared else None,
    }


def streak_positions_mm(gray: np.ndarray, transform: np.ndarray, contrast_levels: float) -> list[float]:
    """Where streaks run, in mm from the sheet's left edge: the page drawn upright, its band between
    the corner squares averaged down its height, and the columns darker than their neighbours over
    the whole height (as :func:`common.omr.pagecheck.count_streaks` finds them)."""
    scale = STREAK_PIXELS_PER_MM
    to_page = np.array([[1 / scale, 0.0, 0.0], [0.0, 1 / scale, 0.0], [0.0, 0.0, 1.0]])
    size = (round(PAGE_WIDTH_MM * scale), round(PAGE_HEIGHT_MM * scale))
    upright = cv2.warpPerspective(gray, transform @ to_page, size, flags=cv2.INTER_AREA | cv2.WARP_INVERSE_MAP,
                                  borderMode=cv2.BORDER_CONSTANT, borderValue=255)  # fmt: skip
    top, bottom = round(CORNER_INSET_MM * scale), round((PAGE_HEIGHT_MM - CORNER_INSET_MM) * scale)
    left, right = round(CORNER_INSET_MM * scale), round((PAGE_WIDTH_MM - CORNER_INSET_MM) * scale)
    band = upright[top:bottom, left:right]
    rows = max(20, (bottom - top) // 12)
    averaged = cv2.resize(band, (right - left, rows), interpolation=cv2.INTER_AREA)
    bright = averaged.max(axis=0).astype(np.uint8)
    window = max(5, int(4.0 * scale) | 1)
    neighbours = cv2.medianBlur(np.ascontiguousarray(bright.reshape(1, -1)), window).reshape(-1)
    dark = (neighbours.astype(np.float32) - bright.astype(np.float32)) > STREAK_DEPTH * contrast_levels
    positions: list[float] = []
    start: int | None = None
    for column, is_dark in enumerate([*dark.tolist(), False]):
        if is_dark and start is None:
            start = column
        elif not is_dark and start is not None:
            centre = (start + column - 1) / 2
            positions.append(round((left + centre + 0.5) / scale, 1))
            start = None
    return [mm for mm in positions if not math.isnan(mm)]
