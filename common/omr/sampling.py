"""Fill ratios of every bubble of a layout on a located page, in a few vectorised steps.

A bubble's fill ratio is the share of its interior — inside the printed outline — that is darker
than the local paper by ``INK_MARGIN`` of the way from paper to black (READER.md; the corpus's
truth, :mod:`common.omr.synth`, counts the drawn pixels so). ``paper`` is local (uneven light);
``black`` is the page's black, measured on the printed corner squares (a scanner lifts black and
compresses contrast; this calibrates it away). Each bubble's interior is sampled on the same
pattern of points (a grid over the unit disc, stretched to the bubble's inner ellipse, keeping
``EDGE_CLEARANCE_MM`` from the outline), so all bubbles are read with one ``cv2.remap``; a sample's
darkness runs from 0 at the local paper to 1 at the page's black, less the blank print's own.

A scan does not show which pixels were ink: resampling and blur spread a mark's edges and its
pencil grain over intermediate darkness, and a hard threshold at ``INK_MARGIN`` moves light marks
down and dark ones up (±0.02–0.05 on a 0.62–0.75 mark). So a fill is not a count of samples past
the margin but the expected share of ink: the mean over the samples of ``FILL_CURVE`` read at the
sample's darkness ÷ the mark's own level (its 90th-percentile darkness), interpolated between the
curves for light, medium and dark marks. The curve is fitted on the real-pencil corpus by
``tools/fit_fill_curve.py`` (least squares: the fill is linear in the table). On a production scan
the fills that decide a page's review (0.25–0.80) are then refined by where the mark's ink lies
(:func:`refine_fills`: ring by ring and neighbour to neighbour), fitted by the same tool.

The local paper level is the page's background: a grey-level dilation of the downscaled page wider
than a bubble (it takes the brightest paper nearby, so marks and print vanish), smoothed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from common.omr.geometry import to_small
from common.omr.layout import Layout

INK_MARGIN = 0.35
"""A sample is ink when it has come this share of the way from the local paper to black."""
EDGE_CLEARANCE_MM = 0.02
"""Distance kept from the inner edge of the printed outline (blur and registration)."""
BACKGROUND_WINDOW_MM = 9.0
"""Width of the dilation that finds the paper around a bubble: wider than a bubble and a gap."""
SAMPLE_RINGS = 12
SAMPLES_PER_RING = 24
"""Each bubble's interior is sampled at SAMPLE_RINGS × SAMPLES_PER_RING points of equal area,
interpolated (measured on the real-pencil corpus at 200 dpi, the curve fitted for each: the error
of 0.62–0.75 marks has sd 0.0152 with 288 points, 0.0150 with 432, 0.0148 with 864)."""
SAMPLE_INTERPOLATION = cv2.INTER_LINEAR
LEVEL_SHARE = 0.9
"""A mark's own level is the darkness its samples reach at this quantile (not below LEVEL_FLOOR)."""
LEVEL_FLOOR = 0.25
RATIO_KNOTS = np.linspace(-0.2, 1.2, 15)
"""Knots of the transfer curve over a sample's darkness ÷ its mark's level."""
RATIO_BIN = 0.02
LEVEL_KNOTS = (0.25, 0.55, 0.9)
"""Knots over the mark's level: the curve is interpolated between its rows for these levels."""
FILL_CURVE: tuple[tuple[float, ...], ...] = (
    (-0.019, 0.001, -0.000, 0.001, 0.003, -0.004, -0.015, 0.010, 0.132, 0.401, 0.747, 1.027, 1.118, 0.975, 0.662),
    (-0.040, -0.004, 0.004, -0.024, 0.055, 0.176, 0.307, 0.447, 0.601, 0.782, 0.971, 1.036, 0.959, 0.966, 0.735),
    (0.083, 0.041, -0.008, -0.030, 0.040, 0.162, 0.295, 0.426, 0.564, 0.742, 0.929, 1.021, 0.986, 1.096, 1.138),
)
"""Expected ink per sample, E[ink | darkness ÷ level, level]: one row per LEVEL_KNOTS, one column
per RATIO_KNOTS. Fitted by ``tools/fit_fill_curve.py`` (its defaults; the output pasted here): the
real-pencil corpus (``forms.corpus``, ``real_pencils``), seeds 10–11, 150 sheets each at 200 and
at 300 dpi (half of them borderline sheets), half with production and half with harsh damage;
weighted least squares of the true fills (the share of each interior's area that is ink) with a
smoothness penalty. Judged on seeds 12–13: marks of true 0.62–0.75 read with sd 0.013 (200 and 300
dpi), the hard threshold's 0.026 and 0.023; with :func:`refine_fills` 0.009 and 0.008. Refit
(with the refinement) after changing the sampling, the sharpening or the corpus's marks."""
REFINE_RANGE = (0.25, 0.80)
"""Fills the curve reads in this range — where decisions are made — are refined (:func:`refine_fills`)."""
REFINE_LIMIT = 0.08
"""The most a refinement moves the curve's reading: it corrects the curve's small errors, never
overrules it (a bubble unlike any the refinement was fitted on keeps nearly the curve's reading)."""
REFINE_COEFFICIENTS: tuple[float, ...] = (
    -0.113626, 0.0779289, -0.0865694, -0.0822823, -0.198418, 0.118265, -0.278685, -0.20699,
    -0.0150425, -0.0420423, -0.129661, 0.442661, 0.308897, -0.0494583, -0.513053, 0.130707,
    -0.075823, -0.0749004, -0.133061, -0.163385, -0.170465, -0.115777, -0.0463821, 0.0648571,
    0.12669, 0.246918, 0.386512, 0.256953, 0.44067, -1.1351, 0.131954, -0.0477106,
    -0.0963067, -0.0907553, -0.164664, -0.0662203, -0.0523676, -0.00196598, 0.00231068, 0.0886213,
    0.138003, 0.391041, 0.290266, 0.458557, 0.0900552, 0.0616939, 0.126261, 0.0347146,
    0.137691, -0.0361076, 0.113868, 0.048216, 0.0728914, 0.0526101, -0.0706406, 0.105495,
    0.170697, -0.0382309, 0.0169233, -0.0399946, 0.0438025, 0.0123561, 0.0863807, -0.0350696,
    0.0526224, -0.00518197, 0.0278517, 0.0179157, -0.0221043, 0.0579658, -0.00312624, -0.0168801,
    -0.0267614, -0.0938041, 0.0432694, -0.123992, -0.00226343, -0.0490146, 0.0143148, -0.0155003,
    -0.148395, 0.00426047, -0.0162429, 0.0293203, -0.0484912, 0.0548386, -0.00942358, 0.0148683,
    0.0072498, -0.0629328, 0.0483285, 0.0148825, -0.0215435, 0.00752683, -0.0135091, 0.00891437,
    -0.0272175, 0.0260829, -0.0274736, 0.0254664, -0.0219878, -0.0146918, -0.0239259, 0.024266,
    -0.00395476, -0.0115151, -0.00622506, 0.0175473, 0.0139424, 0.012647, -0.0222783, 0.00137331,
    -0.013112, 0.0431373, -0.00204187, -0.00312183, -0.0121963, 0.00867941, -0.212189, 0.00606668,
    0.1433, -0.0448556, -0.175194, 0.0952349, 0.350419, -0.228534, -0.154731, 0.369531,
    -0.0740658, 0.381157, 0.118163, -0.12917, -0.159765, -0.221862, -0.215141, -0.106597,
    -0.0768055, -0.12551, -0.123125, 0.30317, 0.304228, -0.329842, 0.352233, -0.00603837,
    0.288398, 0.492286, 0.208028, 0.454187, -0.0649625, 0.216637, 0.0458107, 0.0377302,
    0.0859459, -0.0474747, -0.0280295, -0.0518506, -0.032945, 0.0429839, -0.0537336, -0.0226411,
    -0.0659902, 0.18282, 0.0628908, -0.170375, -0.0217765, -0.0298688, -0.0200834, 0.0549118,
    0.039431, -0.0399471, -0.0304753, 0.00818757, -0.0168591, 0.0733085, 0.0377995, -0.139973,
    0.0258883, -0.000291258, -0.0148445, -0.0392749, -0.040378, 0.0641523, -0.0351236, 0.15759,
    0.0300696, -0.0464367, -0.0109831, 0.0663377, 0.269635, 0.0411573,
)
"""Weights of :func:`refine_design`'s columns (empty: no refinement). Fitted by
``tools/fit_fill_curve.py`` with :data:`FILL_CURVE` (the same run and corpus; ridge regression on
the bubbles that curve reads within :data:`REFINE_RANGE`). Judged on seeds 12–13: marks of true
0.62–0.75 read with sd 0.0092 (200 dpi) and 0.0082 (300 dpi), marks of 0.38–0.62 with sd 0.014
(at most −0.043…+0.046), against the curve's 0.013 and 0.017."""
MIN_BASELINE_BUBBLES = 12
"""Fewer bubbles of a size than this are read without a measured print baseline."""
MAX_PRINT_BASELINE = 0.3
"""The print baseline is capped here, so that no blank print can hide a real mark."""


@dataclass(frozen=True, eq=False)
class SamplingPlan:
    """What is fixed per layout: bubble centres and interior sample offsets in page mm."""

    layout: Layout
    centres_mm: np.ndarray  # (n, 2)
    interior_mm: np.ndarray  # (n, p, 2) float32, ready for cv2.perspectiveTransform
    styles: tuple[np.ndarray, ...]  # indices of the bubbles of each size (one print baseline each)


_plans: dict[int, SamplingPlan] = {}
_plans_lock = threading.Lock()


def unit_disc_pattern(rings: int = SAMPLE_RINGS, per_ring: int = SAMPLES_PER_RING) -> np.ndarray:
    """Points (p, 2) covering the unit disc with equal area each: ``rings`` rings of equal area,
    each sampled at its area-median radius by ``per_ring`` points (turned half a step per ring).

    The outermost ring reaches close to the rim, so a fill up to the outline is seen, not guessed.
    """
    points = []
    for ring in range(rings):
        radius = np.sqrt((ring + 0.5) / rings)
        angles = 2 * np.pi * (np.arange(per_ring) + 0.5 * (ring % 2)) / per_ring
        points.append(np.column_stack([radius * np.cos(angles), radius * np.sin(angles)]))
    return np.concatenate(points)


def sampling_plan(layout: Layout) -> SamplingPlan:
    """The plan of ``layout`` (built once per layout object)."""
    with _plans_lock:
        plan = _plans.get(id(layout))
        if plan is not None and plan.layout is layout:
            return plan
    bubbles = layout.bubbles
    centres = np.array([(b.x_mm, b.y_mm) for b in bubbles], dtype=np.float64).reshape(-1, 2)
    inset = layout.bubble_line_mm + EDGE_CLEARANCE_MM
    semi_axes = np.array([(b.w_mm / 2 - inset, b.h_mm / 2 - inset) for b in bubbles]).reshape(-1, 2)
    pattern = unit_disc_pattern()
    interior = centres[:, None, :] + pattern[None, :, :] * semi_axes[:, None, :]
    sizes = [(b.w_mm, b.h_mm) for b in bubbles]
    styles = tuple(
        np.array([i for i, size in enumerate(sizes) if size == style], dtype=np.intp) for style in sorted(set(sizes))
    )
    plan = SamplingPlan(layout, centres, interior.astype(np.float32), styles)
    with _plans_lock:
        _plans[id(layout)] = plan
    return plan


def project_grid(transform: np.ndarray, points: np.ndarray) -> np.ndarray:
    """``points`` (…, 2) in page mm → a float32 two-channel pixel map of the same leading shape."""
    flat = np.asarray(points, dtype=np.float32).reshape(-1, 1, 2)
    mapped = cv2.perspectiveTransform(flat, transform)
    return mapped.reshape(*points.shape[:-1], 2)


def remap(
    image: np.ndarray, pixel_map: np.ndarray, *, border: int | None, interpolation: int = cv2.INTER_LINEAR
) -> np.ndarray:
    """Bilinear samples of ``image`` at a two-channel float32 map; outside reads ``border``
    (or the nearest edge pixel when None)."""
    mode = cv2.BORDER_REPLICATE if border is None else cv2.BORDER_CONSTANT
    value = 0 if border is None else border
    # OpenCV's stubs changed between releases (a plain int for borderValue was once rejected); call it
    # untyped so the check is the same whichever opencv the lock pins.
    cv2_remap: Callable[..., Any] = cv2.remap
    return np.asarray(cv2_remap(image, pixel_map, None, interpolation, borderMode=mode, borderValue=value))


def background(small: np.ndarray, pixels_per_mm: float) -> np.ndarray:
    """The paper level everywhere on the downscaled page (marks and print removed)."""
    size = max(3, int(BACKGROUND_WINDOW_MM * pixels_per_mm) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (size, size))
    paper = cv2.dilate(small, kernel)
    return cv2.blur(paper, (size, size))


def darkness_samples(
    gray: np.ndarray,
    transform: np.ndarray,
    paper_small: np.ndarray,
    small_scale: float,
    plan: SamplingPlan,
    black: float,
) -> np.ndarray:
    """Every bubble's samples (n, p) as darkness — 0 at the local paper, 1 at the page's black —
    with the blank print's own darkness removed.

    ``transform`` maps page mm to ``gray``'s pixels; ``paper_small`` is :func:`background` of the
    copy scaled by ``small_scale``; ``black`` the grey level of the page's printed black.
    """
    centres = project_grid(to_small(transform, small_scale), plan.centres_mm[None, :, :])
    paper = remap(paper_small, centres, border=None).reshape(-1).astype(np.float32)
    values = remap(gray, project_grid(transform, plan.interior_mm), border=255, interpolation=SAMPLE_INTERPOLATION)
    span = np.maximum(paper - black, 1.0)[:, None]
    darkness = (paper[:, None] - values.astype(np.float32)) / span
    # Inside the outline the print reaches a sample only through blur, which adds darkness.
    return darkness - print_baseline(darkness, plan)


def fill_features(darkness: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """What a fill is computed from: per bubble, the share of its samples on each knot of
    :data:`RATIO_KNOTS` (each sample's darkness over the mark's own level, split linearly between
    the two nearest knots; binned at :data:`RATIO_BIN`), and the weights (n, 3) of the mark's
    level on :data:`LEVEL_KNOTS`. The fill is linear in both (:func:`fills_from_features`), so
    ``tools/fit_fill_curve.py`` fits :data:`FILL_CURVE` by least squares on them."""
    count, samples = darkness.shape
    if count == 0:
        return np.zeros((0, len(RATIO_KNOTS))), np.zeros((0, len(LEVEL_KNOTS)))
    level = mark_level(darkness)
    low, high = RATIO_KNOTS[0], RATIO_KNOTS[-1]
    bins = round((high - low) / RATIO_BIN)
    index = ((darkness / level[:, None] - low) * (1.0 / RATIO_BIN)).astype(np.int32)
    np.clip(index, 0, bins - 1, out=index)
    index += (np.arange(count, dtype=np.int32) * bins)[:, None]
    shares = np.bincount(index.ravel(), minlength=count * bins).reshape(count, bins) / samples
    # einsum, not ``@``: a small matrix product through a threaded BLAS costs more than all the rest
    return np.einsum("nb,bk->nk", shares, _ratio_basis(bins)), _hat(np.asarray(LEVEL_KNOTS), level)


def fills_from_features(features: np.ndarray, levels: np.ndarray, curve: np.ndarray | None = None) -> np.ndarray:
    """Fill ratios (0–1) from :func:`fill_features`: the expected share of ink among the samples,
    the transfer curve (``FILL_CURVE`` unless given) read at each sample's darkness ÷ level."""
    table = np.einsum("nl,lk->nk", levels, np.asarray(FILL_CURVE) if curve is None else curve)
    return np.clip((features * table).sum(axis=1), 0.0, 1.0)


def mark_level(darkness: np.ndarray) -> np.ndarray:
    """Each bubble's own level: the darkness its samples reach at :data:`LEVEL_SHARE` (≥ :data:`LEVEL_FLOOR`)."""
    samples = darkness.shape[1]
    kth = min(samples - 1, int(LEVEL_SHARE * samples))
    return np.maximum(np.partition(darkness, kth, axis=1)[:, kth], LEVEL_FLOOR)


def spatial_features(darkness: np.ndarray) -> np.ndarray:
    """Where a bubble's ink lies (n, 36), each sample's darkness taken over its mark's level: the mean
    of each ring of samples (12, centre to rim), the mean step between neighbours around each ring
    (12: a grain or an edge crossing the ring) and between neighbouring rings (11), and the share of
    samples half-way between paper and the mark (an edge's or a blur's width)."""
    count = len(darkness)
    ratio = (darkness / mark_level(darkness)[:, None]).reshape(count, SAMPLE_RINGS, SAMPLES_PER_RING)
    around = np.abs(ratio - np.roll(ratio, -1, axis=2)).mean(axis=2)
    across = np.abs(np.diff(ratio, axis=1)).mean(axis=2)
    halfway = ((ratio > 0.25) & (ratio < 0.75)).mean(axis=(1, 2))
    return np.hstack([ratio.mean(axis=2), around, across, halfway[:, None]])


def refine_design(
    spatial: np.ndarray,
    level: np.ndarray,
    features: np.ndarray,
    levels: np.ndarray,
    fills: np.ndarray,
    blur_mm: float | np.ndarray,
) -> np.ndarray:
    """The refinement's columns for some bubbles: the curve's own features (:func:`fill_features`,
    each ratio knot times each level knot), then :func:`spatial_features` as they are, over the
    mark's level, times the page's blur (mm; one for all, or one a bubble) and times the curve's
    reading, and a constant."""
    curve_columns = (levels[:, :, None] * features[:, None, :]).reshape(len(features), -1)
    return np.hstack(
        [
            curve_columns,
            spatial,
            spatial / level[:, None],
            spatial * np.reshape(blur_mm, (-1, 1)),
            spatial * fills[:, None],
            np.ones((len(fills), 1)),
        ]
    )


def refine_fills(
    darkness: np.ndarray,
    features: np.ndarray,
    levels: np.ndarray,
    fills: np.ndarray,
    blur_mm: float | None,
    coefficients: np.ndarray | None = None,
) -> np.ndarray:
    """The curve's ``fills`` (:func:`fills_from_features`), those in :data:`REFINE_RANGE` refined by
    where their ink lies (:func:`refine_design`, linear; :data:`REFINE_COEFFICIENTS` unless given).

    The curve reads a mark from how dark its samples are, not where: a straight edge, a scribble's
    lines and pencil grain of the same darkness hide different shares of ink between the samples.
    Fitted on the real-pencil corpus, the refinement halves the error of the marks that decide a
    page's review (0.62–0.75 and 0.38–0.62); it moves a reading by at most :data:`REFINE_LIMIT`."""
    weights = np.asarray(REFINE_COEFFICIENTS if coefficients is None else coefficients, dtype=np.float64)
    chosen = refined_bubbles(fills)
    if len(weights) == 0 or len(chosen) == 0:
        return fills
    picked = darkness[chosen]
    design = refine_design(
        spatial_features(picked), mark_level(picked), features[chosen], levels[chosen], fills[chosen], blur_mm or 0.0
    )
    return with_refinement(fills, chosen, design @ weights)


def refined_bubbles(fills: np.ndarray) -> np.ndarray:
    """The indices of the fills the refinement reads: those in :data:`REFINE_RANGE`."""
    low, high = REFINE_RANGE
    return np.flatnonzero((fills >= low) & (fills <= high))


def with_refinement(fills: np.ndarray, chosen: np.ndarray, estimates: np.ndarray) -> np.ndarray:
    """``fills`` with those at ``chosen`` replaced by the refinement's ``estimates``, each kept within
    :data:`REFINE_LIMIT` of the curve's reading and within 0–1."""
    refined = fills.copy()
    base = fills[chosen]
    refined[chosen] = np.clip(np.clip(estimates, base - REFINE_LIMIT, base + REFINE_LIMIT), 0.0, 1.0)
    return refined


def _hat(knots: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Piecewise-linear ("hat") weights (len(values), len(knots)) of ``values`` on ``knots``,
    clamped to the end knots."""
    clamped = np.clip(values, knots[0], knots[-1])
    left = np.clip(np.searchsorted(knots, clamped, side="right") - 1, 0, len(knots) - 2)
    right_share = (clamped - knots[left]) / (knots[left + 1] - knots[left])
    weights = np.zeros((len(clamped), len(knots)))
    rows = np.arange(len(clamped))
    weights[rows, left] = 1.0 - right_share
    weights[rows, left + 1] = right_share
    return weights


_ratio_bases: dict[int, np.ndarray] = {}


def _ratio_basis(bins: int) -> np.ndarray:
    """The hat weights of each ratio bin's centre on :data:`RATIO_KNOTS` (bins, knots)."""
    basis = _ratio_bases.get(bins)
    if basis is None:
        centres = RATIO_KNOTS[0] + (np.arange(bins) + 0.5) * RATIO_BIN
        basis = _ratio_bases[bins] = _hat(np.asarray(RATIO_KNOTS), centres)
    return basis


def print_baseline(darkness: np.ndarray, plan: SamplingPlan) -> np.ndarray:
    """How dark the blank print is at each sample position, per bubble size, on this page.

    Near the outline a blurred scan darkens the interior a little (and the letter grids print a
    light glyph inside): measured on the emptier half of the bubbles of each size, position by
    position, so the outline and glyphs never count as a mark whatever the scanner's blur.
    """
    baseline = np.zeros_like(darkness)
    for members in plan.styles:
        if len(members) < MIN_BASELINE_BUBBLES:
            continue
        group = darkness[members]
        means = group.mean(axis=1)
        emptier = group[means <= np.median(means)]
        baseline[members] = np.clip(emptier.mean(axis=0), 0.0, MAX_PRINT_BASELINE)
    return baseline
