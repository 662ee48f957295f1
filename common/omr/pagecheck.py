"""The page-quality verdict: is this scan good enough, or should the sheet be scanned again?

A scanning loop (applications, scanner check, exam day) asks as each page arrives, while the
envelope is still open: :func:`check_page` reads the page and returns its :class:`PageCheck`, the
``page_check`` object of ``ent-omr read --json`` (READER.md). Each check has a limit below; the
instruction sets none of them, so they are the reader's own, chosen so that a production scan
(200–300 dpi, small skew, ordinary light) passes every one:

- ``resolution``: the measured resolution (page scale on the scan) within
  :data:`DPI_RANGE` — production scanners are set to 200–300 dpi; 5 % either side allows for a
  sheet scaled by the scanner's feed. The reader itself reads 150–600 dpi.
- ``skew``: the page turned at most :data:`MAX_SKEW_DEG` in the image (the reader copes with 10°;
  more than 5° means a badly fed sheet, which also bends it).
- ``sharpness``: a printed edge (the corner squares' sides) spread over at most
  :data:`MAX_BLUR_MM` from a quarter to three quarters of its step (``blur_mm``): a sharp
  200–300 dpi scan measures 0.06–0.15 mm; more is an out-of-focus or smeared scan.
- ``darkness``: the paper at least :data:`MIN_PAPER` of white (a lid left open, a grey setting).
- ``contrast``: paper minus printed black (measured on the corner squares) at least
  :data:`MIN_CONTRAST` of the full range.
- ``corner``: no page corner cut off by the capture area or folded over (the margin outside a corner
  square must show paper; a fold shows only over a dark backing).
- ``corner_mark``: all four corner squares found; a page located from three (a torn or covered
  corner) stays readable and says which square was missing.
- ``streaks``: no line from dirty glass or a scratched sensor along the feed direction (image
  columns): a column inside the page darker than its neighbours over its whole length by at least
  :data:`STREAK_DEPTH` of the contrast.
- ``blank``: something is printed on the page (an empty paper or the back of a sheet fails);
  an unused answer sheet is not a bad scan — the reader flags it ``blank``, the check passes.
- ``wrong_form``: the page is the form being read, printed for the test specification being read
  (the specification cells of its identity strip, :func:`common.omr.marks.spec_identity`).
- ``located``: the corner squares were found and the fit is close enough to trust.
- ``file``: the file could be opened.

Reasons are kept as a check name and values and translated when written out, so a page read in a
worker process is reported in the operator's language.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np

from common.i18n import N_, _
from common.omr.geometry import PageFit, project, sample
from common.omr.marks import CORNER_INSET_MM, CORNER_SIZE_MM, PAGE_HEIGHT_MM, PAGE_WIDTH_MM, corner_centres

if TYPE_CHECKING:
    from common.omr.geometry import WorkImage

DPI_RANGE = (190, 315)
"""Measured resolutions outside this range ask for a rescan (production: 200–300 dpi)."""
MAX_SKEW_DEG = 5.0
MAX_BLUR_MM = 0.25
MIN_PAPER = 0.55
"""Paper darker than this share of white is too dark."""
MIN_CONTRAST = 0.5
"""Paper minus printed black, as a share of 0–255."""
CORNER_DARK_SHARE = 0.35
"""A page corner whose margin is this share dark (backing) or outside the image is cut or folded."""
STREAK_DEPTH = 0.1
"""A column this share of the contrast darker than its neighbours over the whole page is a streak."""
STREAK_NEIGHBOURHOOD_MM = 4.0
BLANK_SPREAD = 40
"""An image whose 1st and 99th percentile grey levels are closer than this holds no print."""

CHECKS = ("file", "blank", "located", "wrong_form", "resolution", "skew", "sharpness", "darkness", "contrast",
          "corner", "corner_mark", "streaks")  # fmt: skip

_REASONS: dict[str, str] = {
    "file": N_("The file cannot be opened as an image."),
    "error": N_("The page could not be read: scan it again."),
    "blank": N_("Nothing is printed on the page: an empty paper or the back of a sheet."),
    "located": N_("The page's corner squares were not found: scan the whole sheet, flat."),
    "poor_fit": N_("The corner squares do not fit the form: the sheet is bent or crumpled; scan it flat."),
    "wrong_form": N_("This is not the form being scanned ({form})."),
    "other_spec": N_("This sheet was printed for another test specification (another exam or variant set)."),
    "unknown_form": N_("The form is not recognised: its identity strip does not read."),
    "resolution": N_("Scanned at {dpi} dpi: set the scanner to 200–300 dpi."),
    "skew": N_("The sheet is turned {skew}° (at most {limit}°): feed it straight."),
    "sharpness": N_(
        "The scan is blurred (edges {blur} mm wide, at most {limit} mm): check the scanner's glass and focus."
    ),
    "darkness": N_("The scan is too dark (paper brightness {paper} %, at least {limit} %)."),
    "contrast": N_("The scan's contrast is too low ({contrast} %, at least {limit} %)."),
    "corner": N_("Corner {corner} of the sheet is cut off or folded over."),
    "corner_mark": N_("Corner square {corner} is torn or covered: the page was located from the other three."),
    "streaks": N_("Streaks along the scan (dirty glass?) at {count} place(s): clean the scanner."),
}
_CORNER_NAMES = {
    "tl": N_("top left"),
    "tr": N_("top right"),
    "br": N_("bottom right"),
    "bl": N_("bottom left"),
}


def reason_message(
    reason: str, values: Iterable[tuple[str, Any]], translate: Callable[[str], str] = _
) -> str:
    """The line for a page-check ``reason`` with its ``values``, through ``translate`` (default: the
    current language; a report in another language passes its own)."""
    fields = {key: translate(_CORNER_NAMES[value]) if key == "corner" else value for key, value in values}
    return translate(_REASONS[reason]).format(**fields)


@dataclass(frozen=True)
class Problem:
    """One failed check: ``check`` is one of :data:`CHECKS`; ``reason`` a key of the messages."""

    check: str
    reason: str
    values: tuple[tuple[str, Any], ...] = ()

    def message(self) -> str:
        """The one translated line an operator reads."""
        return reason_message(self.reason, self.values)

    def to_json(self) -> dict[str, Any]:
        return {"check": self.check, "reason": self.message()}


@dataclass
class PageCheck:
    """The verdict on one scan: the measurements and what failed (``ok`` when nothing did)."""

    dpi: int | None = None
    skew_deg: float | None = None
    blur_mm: float | None = None
    contrast: float | None = None
    paper: float | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def failed(self, check: str) -> bool:
        return any(problem.check == check for problem in self.problems)

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "dpi": self.dpi,
            "skew_deg": self.skew_deg,
            "blur_mm": self.blur_mm,
            "contrast": self.contrast,
            "paper": self.paper,
            "problems": [problem.to_json() for problem in self.problems],
        }


def file_problem(reason: str = "cannot_open") -> PageCheck:
    """The verdict on a page that was never looked at: the file did not open, or reading failed."""
    if reason == "cannot_open":
        return PageCheck(problems=[Problem("file", "file")])
    return PageCheck(problems=[Problem("located", "error")])


def unlocated(work: WorkImage, reason: str) -> PageCheck:
    """The verdict on a page whose corner squares were not found (``reason``: the reader's)."""
    small = work.image
    low, high = np.percentile(small[::2, ::2], (1, 99))
    dpi = round(max(small.shape) / work.scale / PAGE_HEIGHT_MM * 25.4)
    if high - low < BLANK_SPREAD:
        return PageCheck(dpi=dpi, problems=[Problem("blank", "blank")])
    if reason == "unknown_form":
        return PageCheck(dpi=dpi, problems=[Problem("wrong_form", "unknown_form")])
    return PageCheck(dpi=dpi, problems=[Problem("located", "located")])


def assess(gray: np.ndarray, work: WorkImage, fit: PageFit, black: float, expected: tuple[str, ...]) -> PageCheck:
    """The verdict on a located page: ``black`` is the printed black (full-image grey level),
    ``expected`` the forms being read."""
    from common.omr.geometry import to_small

    small_transform = to_small(fit.transform, work.scale)
    pixels_per_mm = _scale(fit.transform)
    paper = _paper_level(work.image, small_transform)
    blur = edge_blur_mm(gray, fit.transform, fit.missing_corner)
    check = PageCheck(
        dpi=round(pixels_per_mm * 25.4),
        skew_deg=round(_skew(fit), 1),
        blur_mm=None if math.isnan(blur) else round(blur, 3),
        contrast=round(max(0.0, paper - black) / 255.0, 2),
        paper=round(paper / 255.0, 2),
    )
    problems = check.problems
    if fit.form is not None and fit.form not in expected:
        problems.append(Problem("wrong_form", "wrong_form", (("form", fit.form),)))
    if not DPI_RANGE[0] <= (check.dpi or 0) <= DPI_RANGE[1]:
        problems.append(Problem("resolution", "resolution", (("dpi", check.dpi),)))
    if abs(check.skew_deg or 0.0) > MAX_SKEW_DEG:
        problems.append(Problem("skew", "skew", (("skew", f"{abs(check.skew_deg or 0):.1f}"), ("limit", MAX_SKEW_DEG))))
    if check.blur_mm is not None and check.blur_mm > MAX_BLUR_MM:
        problems.append(Problem("sharpness", "sharpness", (("blur", f"{check.blur_mm:.2f}"), ("limit", MAX_BLUR_MM))))
    if (check.paper or 0.0) < MIN_PAPER:
        problems.append(Problem("darkness", "darkness", (("paper", round(100 * (check.paper or 0))),
                                                           ("limit", round(100 * MIN_PAPER)))))  # fmt: skip
    elif (check.contrast or 0.0) < MIN_CONTRAST:
        problems.append(Problem("contrast", "contrast", (("contrast", round(100 * (check.contrast or 0))),
                                                           ("limit", round(100 * MIN_CONTRAST)))))  # fmt: skip
    for corner in _cut_corners(work.image, small_transform, paper, black):
        problems.append(Problem("corner", "corner", (("corner", corner),)))
    if fit.missing_corner is not None:
        problems.append(Problem("corner_mark", "corner_mark", (("corner", fit.missing_corner),)))
    streaks = count_streaks(gray, fit.transform, paper - black)
    if streaks:
        problems.append(Problem("streaks", "streaks", (("count", streaks),)))
    return check


def _scale(transform: np.ndarray) -> float:
    centre = np.array([[PAGE_WIDTH_MM / 2, PAGE_HEIGHT_MM / 2], [PAGE_WIDTH_MM / 2 + 1.0, PAGE_HEIGHT_MM / 2]])
    return float(np.linalg.norm(np.diff(project(transform, centre), axis=0)))


def _skew(fit: PageFit) -> float:
    """How far the page's horizontal is turned in the image, degrees (the half turn taken out)."""
    ends = project(fit.transform, np.array([[CORNER_INSET_MM, PAGE_HEIGHT_MM / 2],
                                            [PAGE_WIDTH_MM - CORNER_INSET_MM, PAGE_HEIGHT_MM / 2]]))  # fmt: skip
    dx, dy = ends[1] - ends[0]
    angle = math.degrees(math.atan2(dy, dx)) - fit.orientation
    return (angle + 180.0) % 360.0 - 180.0


def _paper_level(small: np.ndarray, small_transform: np.ndarray) -> float:
    """The page's paper: the 75th percentile of a grid of points over the page (most is paper)."""
    xs = np.linspace(CORNER_INSET_MM, PAGE_WIDTH_MM - CORNER_INSET_MM, 24)
    ys = np.linspace(CORNER_INSET_MM, PAGE_HEIGHT_MM - CORNER_INSET_MM, 34)
    grid = np.array([(x, y) for y in ys for x in xs])
    return float(np.percentile(sample(small, project(small_transform, grid)), 75))


def _cut_corners(small: np.ndarray, small_transform: np.ndarray, paper: float, black: float) -> list[str]:
    """The page corners whose margin (outside the corner square) shows backing or lies off the image."""
    inner = CORNER_INSET_MM - CORNER_SIZE_MM / 2 - 1.0  # paper between the page edge and the square
    steps = np.linspace(2.5, inner, 4)
    offsets = np.array([(u, v) for u in steps for v in steps])
    cut = []
    threshold = paper - 0.5 * max(paper - black, 1.0)
    for corner, (cx, cy) in corner_centres().items():
        sx = -1.0 if cx < PAGE_WIDTH_MM / 2 else 1.0
        sy = -1.0 if cy < PAGE_HEIGHT_MM / 2 else 1.0
        page_x = 0.0 if sx < 0 else PAGE_WIDTH_MM
        page_y = 0.0 if sy < 0 else PAGE_HEIGHT_MM
        points = np.column_stack([page_x - sx * offsets[:, 0], page_y - sy * offsets[:, 1]])
        values = sample(small, project(small_transform, points), border=0)
        if float(np.mean(values < threshold)) >= CORNER_DARK_SHARE:
            cut.append(corner)
    return cut


def count_streaks(gray: np.ndarray, transform: np.ndarray, contrast_levels: float) -> int:
    """Lines along the image's columns that darken the page over its whole height (dirty glass).

    The page band between the corner squares is averaged down its height (a streak keeps its depth,
    print and marks fade), then each column's brightest level is compared with its neighbours': a printed line
    stops somewhere between the corner squares, a streak does not.
    """
    corners = project(transform, np.array(list(corner_centres().values())))
    xs, ys = np.sort(corners[:, 0]), np.sort(corners[:, 1])
    left, right = math.ceil(xs[1]), math.floor(xs[2])
    top, bottom = math.ceil(ys[1]), math.floor(ys[2])
    height, width = gray.shape
    left, right, top, bottom = max(0, left), min(width, right), max(0, top), min(height, bottom)
    if right - left < 50 or bottom - top < 50:
        return 0
    band = gray[top:bottom, left:right]
    rows = max(20, min(160, (bottom - top) // 12))
    averaged = cv2.resize(band, (right - left, rows), interpolation=cv2.INTER_AREA)
    bright = averaged.max(axis=0)
    pixels_per_mm = _scale(transform)
    window = max(5, int(STREAK_NEIGHBOURHOOD_MM * pixels_per_mm) | 1)
    neighbours = cv2.medianBlur(np.ascontiguousarray(bright.reshape(1, -1)), min(window, 255)).reshape(-1)
    dip = neighbours.astype(np.float32) - bright.astype(np.float32)
    dark = dip > STREAK_DEPTH * max(contrast_levels, 20.0)
    if not dark.any():
        return 0
    starts = np.flatnonzero(np.diff(np.concatenate([[0], dark.astype(np.int8)])) == 1)
    return len(starts)


EDGE_REACH_MM = 1.2
EDGE_STEP_MM = 0.04


def edge_blur_mm(gray: np.ndarray, transform: np.ndarray, missing: str | None = None) -> float:
    """How soft the scan is: the width, in page mm, over which a printed edge (the corner squares'
    sides) goes from a quarter to three quarters of the way from paper to black."""
    half = CORNER_SIZE_MM / 2
    steps = np.arange(-EDGE_REACH_MM, EDGE_REACH_MM + EDGE_STEP_MM / 2, EDGE_STEP_MM)
    along = np.linspace(-half * 0.6, half * 0.6, 7)
    profiles = []
    for corner, (cx, cy) in corner_centres().items():
        if corner == missing:
            continue
        for nx, ny in ((-1.0, 0.0), (1.0, 0.0), (0.0, -1.0), (0.0, 1.0)):
            # points across the edge, from inside the square (dark) to outside (paper)
            base = np.array([cx + nx * half, cy + ny * half])
            across = np.array([nx, ny])
            side = np.array([-ny, nx])
            points = base[None, None, :] + steps[None, :, None] * across + along[:, None, None] * side
            values = sample(gray, project(transform, points.reshape(-1, 2))).reshape(len(along), len(steps))
            profiles.append(values.mean(axis=0))
    profile = np.median(np.asarray(profiles), axis=0)
    dark, light = float(profile[: len(steps) // 4].mean()), float(profile[-len(steps) // 4 :].mean())
    if light - dark < 20:
        return float("nan")
    level = (profile - dark) / (light - dark)
    quarter = float(np.interp(0.25, np.maximum.accumulate(level), steps))
    three_quarters = float(np.interp(0.75, np.maximum.accumulate(level), steps))
    return max(0.0, three_quarters - quarter)
