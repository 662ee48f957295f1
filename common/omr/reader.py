"""Reading filled forms: page images in, :class:`PageResult` out (READER.md's JSON lines).

``read_page`` locates the page (corner squares, identity strip, transform), measures every
bubble's fill ratio, reads the sheet number, and decides each field: a bubble is marked at fill
≥ 0.5 (п. 196); a fill inside the page's band (``PRODUCTION_BAND`` on a production scan, else the
wide ``AMBIGUOUS_BAND``) flags its field ``ambiguous`` for an operator to confirm. A soft scan is
sharpened first, by as much as it measured blurred. Every page also gets its page-quality verdict
(:mod:`common.omr.pagecheck`). ``read_files`` reads files in input order on several processes.
Nothing here draws or prints; see :mod:`common.omr.debug` and :mod:`common.omr.explain` for
pictures.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np

from common.omr.barcode import read_sheet_number
from common.omr.geometry import (
    MAX_FIT_RESIDUAL_MM,
    PageFit,
    WorkImage,
    black_level,
    locate_page,
    project,
    read_spec_identity,
    to_small,
    work_image,
)
from common.omr.images import as_gray, load_pages
from common.omr.layout import Layout
from common.omr.pagecheck import DPI_RANGE, MAX_BLUR_MM, PageCheck, Problem, assess, file_problem, unlocated
from common.omr.sampling import (
    background,
    darkness_samples,
    fill_features,
    fills_from_features,
    refine_fills,
    sampling_plan,
)

if TYPE_CHECKING:
    from common.testspec import TestSpecification

log = logging.getLogger(__name__)

MARKED_AT = 0.5
"""п. 196: a bubble at least half filled is marked."""
AMBIGUOUS_BAND = (0.30, 0.66)
"""Fills in [low, high) are flagged ``ambiguous`` on a page that is not a production scan (see
:func:`ambiguous_band`). Sized, for the hard-threshold reader the fitted curve replaced, from the
measured fill error on damaged synthetic scans (harsh profile, 150–600 dpi): for true fills near
0.5 it stayed within −0.12…+0.09, except thin pencil scribbles on blurred 150 dpi scans, which
read low (to −0.27) — hence the wider lower side. So a true 0.42–0.58 is always flagged, a true
≥ 0.62 or ≤ 0.38 lands on its side or in the band, and clear marks (≥ 0.7) and stray ticks (≤ 0.3)
stay outside it: on 800 corpus sheets no page without a borderline mark was flagged. The curve
reads no worse there (the corpus benchmarks' 150–600 dpi pages: no silent error, every borderline
mark flagged)."""
PRODUCTION_BAND = (0.39, 0.60)
"""The band on a page whose page check passed its resolution and sharpness (``DPI_RANGE``,
``MAX_BLUR_MM``): a production scan, whose fills the curve reads and the refinement corrects
(:func:`common.omr.sampling.refine_fills`). Sized from the fill error measured there
(``tools/fit_fill_curve.py``: real-pencil corpus, 200 and 300 dpi, fitted on seeds 10, 11 and
20–27, judged on 12–13): sd 0.008 / 0.006 (200 / 300 dpi) for marks of 0.62–0.75 and 0.011 /
0.012 for marks of 0.38–0.62, at most −0.044…+0.032. The band reaches 0.03 below READER.md's
0.42–0.58 and 0.02 above: scribbles read low more often than high (on seeds 14–18 a true 0.422
scribble read 0.394), while the needless reviews come from light marks of 0.62–0.66 on the upper
side. Held out, 0.40–0.60 missed no borderline mark and sent 0.8 % (200 dpi) and 0 % (300 dpi) of
pages without one to review, all for a mark of 0.58–0.60 inside the band; 0.39–0.61 1.5 % and
1.1 %, the earlier 0.38–0.62 5.7 % and 4.9 %. A narrower band misses borderline marks
(0.41–0.59: 4 of 447 on seeds 14–18). 150 dpi and 400–600 dpi pages,
not fitted on, and pages the check finds soft keep the wide band and the curve's reading."""
BLANK_BELOW = AMBIGUOUS_BAND[0]
"""A page none of whose bubbles reaches this fill is ``blank``."""
SHARPEN_FROM_MM = 0.11
"""A scan whose printed edges are softer than this (``page_check.blur_mm``) is sharpened before its
fills are measured: thin pencil lines fade under the ink margin on a soft scan and read low.
Measured on 50 damaged 150–300 dpi pages (934 marks of true fill 0.42–0.58 in pencil, partial,
scribble and pen; 70 % harsh): at blur 0.15–0.3 mm the lowest reading of such a mark rose from
0.26 (under the band: unflagged) to 0.37 with the sharpening, and the fill error's sd there from
0.041 to 0.030, with stray touches and 0.62–0.75 marks read no worse; sharp scans (≤ 0.11 mm)
are measured as they are."""
SHARPEN_AMOUNT = 1.5
"""Unsharp masking ``image × (1 + a) − a × blurred``, the blur matched to the measured one."""

FLAG_KINDS = ("ambiguous", "multiple", "blank", "unreadable", "wrong_form")


@dataclass(frozen=True)
class Flag:
    """A reason for an operator to look: ``field`` is None for page-level flags.

    ``reason`` (an extra key, on ``unreadable``) says why: ``cannot_open``, ``marks_not_found``,
    ``unknown_form``, ``poor_fit`` or ``error``; on ``wrong_form`` it is ``other_spec`` when the
    form is right but was printed for another test specification.
    """

    field: str | None
    kind: str
    bubbles: tuple[str, ...] = ()
    reason: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"field": self.field, "kind": self.kind, "bubbles": list(self.bubbles)}
        if self.reason is not None:
            data["reason"] = self.reason
        return data


@dataclass
class PageResult:
    """One page read (one line of ``ent-omr read --json``)."""

    image: str
    page: int
    form: str | None
    sheet_number: str | None = None
    orientation: int = 0
    quality: float = 0.0
    transform: list[list[float]] | None = None
    fields: dict[str, str] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)
    bubbles: dict[str, float] = field(default_factory=dict)
    flags: list[Flag] = field(default_factory=list)
    page_check: PageCheck = field(default_factory=PageCheck)

    def to_json(self) -> dict[str, Any]:
        return {
            "image": self.image,
            "page": self.page,
            "form": self.form,
            "sheet_number": self.sheet_number,
            "orientation": self.orientation,
            "quality": self.quality,
            "transform": self.transform,
            "fields": self.fields,
            "groups": self.groups,
            "bubbles": self.bubbles,
            "flags": [flag.to_json() for flag in self.flags],
            "page_check": self.page_check.to_json(),
        }

    def has_flag(self, kind: str) -> bool:
        return any(flag.kind == kind for flag in self.flags)

    @property
    def unreadable(self) -> bool:
        return self.has_flag("unreadable")


def unreadable_result(image: str, page: int, reason: str, check: PageCheck | None = None) -> PageResult:
    return PageResult(
        image, page, None, flags=[Flag(None, "unreadable", reason=reason)], page_check=check or file_problem(reason)
    )


def read_page(
    image: np.ndarray, layout_or_forms: Layout | Sequence[Layout], *, image_name: str = "", page: int = 1
) -> PageResult:
    """Read one page image (grey or colour) as ``layout`` (or as whichever of several layouts the
    page turns out to be). Never raises: a failure gives an ``unreadable`` result."""
    layouts = (layout_or_forms,) if isinstance(layout_or_forms, Layout) else tuple(layout_or_forms)
    try:
        return _read_page(as_gray(image), layouts, image_name, page)
    except Exception:  # one bad page must never stop a batch
        log.exception("reading page %s of %s failed", page, image_name)
        return unreadable_result(image_name, page, "error")


def check_page(image: np.ndarray, layout_or_forms: Layout | Sequence[Layout]) -> PageCheck:
    """The page-quality verdict on one scan (see :mod:`common.omr.pagecheck`): what a scanning loop
    asks as each page arrives. The page is read whole (the checks use what reading measures)."""
    return read_page(image, layout_or_forms).page_check


def _read_page(gray: np.ndarray, layouts: tuple[Layout, ...], image_name: str, page: int) -> PageResult:
    work = work_image(gray)
    fit = locate_page(work, gray)
    if fit is None:
        return unreadable_result(image_name, page, "marks_not_found", unlocated(work, "marks_not_found"))
    if fit.form is None:
        return unreadable_result(image_name, page, "unknown_form", unlocated(work, "unknown_form"))
    result = PageResult(image_name, page, fit.form, orientation=fit.orientation, transform=_rounded(fit.transform))
    black = black_level(work.image, to_small(fit.transform, work.scale), fit.missing_corner)
    result.page_check = assess(gray, work, fit, black, tuple(layout.form for layout in layouts))
    if fit.residual_mm > MAX_FIT_RESIDUAL_MM:
        result.flags.append(Flag(None, "unreadable", reason="poor_fit"))
        result.page_check.problems.insert(0, Problem("located", "poor_fit"))
        return result
    layout = next((item for item in layouts if item.form == fit.form), None)
    any_layout = layout or layouts[0]
    result.sheet_number = read_sheet_number(gray, fit.transform, any_layout.barcode_box)
    fit_quality = _fit_quality(fit)
    if (
        layout is not None
        and layout.spec_identity
        and read_spec_identity(work.image, to_small(fit.transform, work.scale)) != layout.spec_identity
    ):
        result.page_check.problems.insert(0, Problem("wrong_form", "other_spec"))
        result.quality = round(fit_quality, 2)
        result.flags.append(Flag(None, "wrong_form", reason="other_spec"))
        return result
    if layout is None:
        result.quality = round(fit_quality, 2)
        result.flags.append(Flag(None, "wrong_form"))
        return result
    darkness = _darkness(gray, work, fit, black, result.page_check.blur_mm, layout)
    features, levels = fill_features(darkness)
    fills = fills_from_features(features, levels)
    band = ambiguous_band(result.page_check.dpi, result.page_check.blur_mm)
    if band == PRODUCTION_BAND:  # the refinement is fitted on production scans only
        fills = refine_fills(darkness, features, levels, fills, result.page_check.blur_mm)
    _decide(layout, fills, result, band)
    result.quality = round(fit_quality * _margin_quality(fills), 2)
    return result


def _darkness(
    gray: np.ndarray, work: WorkImage, fit: PageFit, black: float, blur_mm: float | None, layout: Layout
) -> np.ndarray:
    """Every bubble's darkness samples (:func:`common.omr.sampling.darkness_samples`), a soft scan
    sharpened first."""
    paper_small = background(work.image, _pixels_per_mm(fit.transform) * work.scale)
    measured = _sharpened(gray, blur_mm, _pixels_per_mm(fit.transform))
    return darkness_samples(measured, fit.transform, paper_small, work.scale, sampling_plan(layout), black)


def bubble_darkness(image: np.ndarray, layout: Layout) -> tuple[np.ndarray, float | None] | None:
    """The darkness samples the reader measures a page's fills from, and the page's blur
    (``tools/fit_fill_curve.py`` fits the transfer curve on them); None when the page is not
    found as ``layout``."""
    gray = as_gray(image)
    work = work_image(gray)
    fit = locate_page(work, gray)
    if fit is None or fit.form != layout.form or fit.residual_mm > MAX_FIT_RESIDUAL_MM:
        return None
    black = black_level(work.image, to_small(fit.transform, work.scale), fit.missing_corner)
    check = assess(gray, work, fit, black, (layout.form,))
    return _darkness(gray, work, fit, black, check.blur_mm, layout), check.blur_mm


def _pixels_per_mm(transform: np.ndarray) -> float:
    """The image's scale at the page's centre."""
    centre = np.array([[105.0, 148.5], [106.0, 148.5]])
    return float(np.linalg.norm(np.diff(project(transform, centre), axis=0)))


def _rounded(matrix: np.ndarray) -> list[list[float]]:
    return [[round(float(value), 6) for value in row] for row in matrix]


def _fit_quality(fit: PageFit) -> float:
    return float(np.clip(1.0 - fit.residual_mm / MAX_FIT_RESIDUAL_MM, 0.0, 1.0))


def _margin_quality(fills: np.ndarray) -> float:
    """1 when every fill is far from the 0.5 line, falling towards 0.4 as the closest one nears it."""
    if fills.size == 0:
        return 1.0
    closest = float(np.min(np.abs(fills - MARKED_AT)))
    return 0.4 + 0.6 * float(np.clip(closest / 0.4, 0.0, 1.0))


@dataclass(frozen=True, eq=False)
class _FieldPlan:
    """Per layout: every field's bubble range, and which fields make each group."""

    ids: list[str]
    fields: list[tuple[str, str, tuple[str, ...], int, int]]  # name, kind, values, start, stop
    groups: list[tuple[str, list[str]]]


_field_plans: dict[int, tuple[Layout, _FieldPlan]] = {}


def _field_plan(layout: Layout) -> _FieldPlan:
    cached = _field_plans.get(id(layout))
    if cached is not None and cached[0] is layout:
        return cached[1]
    fields: list[tuple[str, str, tuple[str, ...], int, int]] = []
    start = 0
    for item in layout.fields:
        stop = start + len(item.values)
        fields.append((item.name, item.kind, item.values, start, stop))
        start = stop
    groups = [(group, [member.name for member in members]) for group, members in layout.fields_by_group.items()]
    plan = _FieldPlan([bubble.id for bubble in layout.bubbles], fields, groups)
    _field_plans[id(layout)] = (layout, plan)
    return plan


def _sharpened(gray: np.ndarray, blur_mm: float | None, pixels_per_mm: float) -> np.ndarray:
    """``gray`` itself when sharp; else unsharp-masked with a Gaussian matched to the measured blur
    (an edge's 25–75 % width is about 1.35 σ)."""
    if blur_mm is None or blur_mm <= SHARPEN_FROM_MM:
        return gray
    soft = cv2.GaussianBlur(gray, (0, 0), blur_mm / 1.35 * pixels_per_mm)
    return np.asarray(cv2.addWeighted(gray, 1.0 + SHARPEN_AMOUNT, soft, -SHARPEN_AMOUNT, 0))


def ambiguous_band(dpi: int | None, blur_mm: float | None) -> tuple[float, float]:
    """The band of fills flagged ``ambiguous`` on a page of this measured resolution and blur:
    :data:`PRODUCTION_BAND` on a production scan, else the wide :data:`AMBIGUOUS_BAND`."""
    if dpi is not None and DPI_RANGE[0] <= dpi <= DPI_RANGE[1] and blur_mm is not None and blur_mm <= MAX_BLUR_MM:
        return PRODUCTION_BAND
    return AMBIGUOUS_BAND


def _decide(layout: Layout, fills: np.ndarray, result: PageResult, band: tuple[float, float]) -> None:
    plan = _field_plan(layout)
    ids = plan.ids
    result.bubbles = dict(zip(ids, np.round(fills, 2).tolist(), strict=True))
    low, high = band
    marked = (fills >= MARKED_AT).tolist()
    doubtful = ((fills >= low) & (fills < high)).tolist()
    values: dict[str, str] = {}
    for name, kind, field_values, start, stop in plan.fields:
        chosen = [i for i in range(start, stop) if marked[i]]
        values[name] = "".join(field_values[i - start] for i in chosen) if chosen else ""
        if len(chosen) > 1 and kind != "multi":
            result.flags.append(Flag(name, "multiple", tuple(ids[i] for i in chosen)))
        if True in doubtful[start:stop]:
            result.flags.append(Flag(name, "ambiguous", tuple(ids[i] for i in range(start, stop) if doubtful[i])))
    result.fields = values
    result.groups = {group: "".join(values[name] or " " for name in names).rstrip(" ") for group, names in plan.groups}
    if fills.size and float(fills.max()) < BLANK_BELOW:
        result.flags.insert(0, Flag(None, "blank"))


# --- files and batches ---------------------------------------------------------------------------


def read_file(path: Path, layouts: Sequence[Layout]) -> list[PageResult]:
    """Every page of one file; a file that cannot be opened gives one ``unreadable`` line."""
    name = str(path)
    results: list[PageResult] = []
    try:
        for number, image in enumerate(load_pages(path), start=1):
            results.append(read_page(image, layouts, image_name=name, page=number))
    except Exception:
        log.info("cannot open %s", name, exc_info=True)
        results.append(unreadable_result(name, len(results) + 1, "cannot_open"))
    return results


_worker_layouts: tuple[Layout, ...] = ()


def _init_worker(layouts: tuple[Layout, ...]) -> None:
    global _worker_layouts
    _worker_layouts = layouts


def _read_in_worker(path: Path) -> list[PageResult]:
    return read_file(path, _worker_layouts)


PARALLEL_FROM = 6
"""Fewer files than this are read in the calling process (starting workers costs more)."""
IN_FLIGHT_PER_WORKER = 4


def read_files(
    form: str | Layout, paths: Iterable[Path], spec: TestSpecification | None = None, workers: int = 2
) -> Iterator[PageResult]:
    """Read image files as ``form`` (a layout, or a form name of :mod:`common.omr.registry`),
    yielding every page's result in input order.

    ``workers`` processes share the work (both cores of a site PC by default); they are handed
    the layout itself.
    """
    from common.omr.registry import get_layout

    layout = form if isinstance(form, Layout) else get_layout(form, spec)
    files = [Path(path) for path in paths]
    if workers <= 1 or len(files) < PARALLEL_FROM:
        for path in files:
            yield from read_file(path, (layout,))
        return
    yield from _read_in_pool(layout, files, workers)


def _read_in_pool(
    layout: Layout,
    files: list[Path],
    workers: int,
    work: Callable[[Path], list[PageResult]] = _read_in_worker,
) -> Iterator[PageResult]:
    """Files read by ``workers`` processes, results in input order.

    If a worker dies (a crash in native code on some file), the file that was being waited for is
    read again alone in a fresh process: if that one dies too, the file is ``unreadable``
    (reason ``error``); either way the batch goes on with a new pool.
    """
    pending = deque(files)
    in_flight: deque[tuple[Path, Future[list[PageResult]]]] = deque()
    pool: ProcessPoolExecutor | None = None
    try:
        while pending or in_flight:
            if pool is None:
                pool = _new_pool(layout, workers)
            while pending and len(in_flight) < workers * IN_FLIGHT_PER_WORKER:
                path = pending.popleft()
                try:
                    future = pool.submit(work, path)
                except BrokenProcessPool:  # a worker died since the last submission: handled below
                    pending.appendleft(path)
                    break
                in_flight.append((path, future))
            if not in_flight:  # broken before anything was in flight: start a new pool
                pool.shutdown(wait=False, cancel_futures=True)
                pool = None
                continue
            path, future = in_flight.popleft()
            try:
                results = future.result()
            except BrokenProcessPool:
                pending.extendleft(reversed([waiting for waiting, _future in in_flight]))
                in_flight.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                pool = None
                results = _read_alone(layout, path, work)
            yield from results
    finally:
        if pool is not None:
            # waited for (the running reads are a few files at most): a pool left to shut down on its own after the
            # batch was abandoned could keep a worker waiting on its pipe and hang the process's exit
            pool.shutdown(wait=True, cancel_futures=True)


def _new_pool(layout: Layout, workers: int) -> ProcessPoolExecutor:
    context = multiprocessing.get_context("spawn")  # safe in a process with threads (Qt)
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=((layout,),))


def _read_alone(layout: Layout, path: Path, work: Callable[[Path], list[PageResult]]) -> list[PageResult]:
    with _new_pool(layout, 1) as pool:
        try:
            return pool.submit(work, path).result()
        except BrokenProcessPool:
            log.warning("reading %s crashed its process", path)
            return [unreadable_result(str(path), 1, "error")]
