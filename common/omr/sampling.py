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
(:func:`refine_fills`: ring by ring and neighbour to neighbour, linearly and then by regression
trees), fitted by the same tool.

The local paper level is the page's background: a grey-level dilation of the downscaled page wider
than a bubble (it takes the brightest paper nearby, so marks and print vanish), smoothed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from common.omr.geometry import to_small
from common.omr.layout import Layout
from common.omr.trees import TreeEnsemble

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
    (-0.029, 0.002, -0.000, 0.002, 0.007, 0.009, 0.001, -0.036, 0.019, 0.331, 0.751, 1.038, 1.134, 1.073, 0.670),
    (-0.046, -0.008, 0.004, -0.032, 0.059, 0.166, 0.302, 0.452, 0.592, 0.765, 0.972, 1.034, 0.959, 1.055, 0.664),
    (0.072, 0.022, -0.010, -0.050, 0.046, 0.183, 0.309, 0.426, 0.540, 0.726, 0.924, 1.016, 0.987, 1.244, 1.250),
)
"""Expected ink per sample, E[ink | darkness ÷ level, level]: one row per LEVEL_KNOTS, one column
per RATIO_KNOTS. Fitted by ``tools/fit_fill_curve.py`` (its defaults; the output pasted here): the
real-pencil corpus (``forms.corpus``, ``real_pencils``), seeds 10, 11 and 20–27, 150 sheets each
at 200 and at 300 dpi (half of them borderline sheets), half with production and half with harsh
damage; weighted least squares of the true fills (the share of each interior's area that is ink)
with a smoothness penalty. Judged on seeds 12–13: marks of true 0.62–0.75 read with sd 0.013 (200
and 300 dpi), the hard threshold's 0.026 and 0.023; with :func:`refine_fills` 0.0077 and 0.0062.
Refit (with the refinement) after changing the sampling, the sharpening or the corpus's marks."""
REFINE_RANGE = (0.25, 0.80)
"""Fills the curve reads in this range — where decisions are made — are refined (:func:`refine_fills`)."""
REFINE_LIMIT = 0.08
"""The most a refinement moves the curve's reading: it corrects the curve's small errors, never
overrules it (a bubble unlike any the refinement was fitted on keeps nearly the curve's reading)."""
REFINE_COEFFICIENTS: tuple[float, ...] = (
    -0.505381, -0.0192559, -0.159629, -0.180828, -0.140784, 0.118179, -0.173414, -0.0766062,
    -0.226729, -0.143725, 0.0537407, 0.520797, 0.410353, -0.112234, -0.626595, -0.00163582,
    -0.176454, -0.161832, -0.1834, -0.228035, -0.202061, -0.116172, -0.00768101, 0.0967309,
    0.191699, 0.333572, 0.486669, 0.371886, 0.514653, -1.07621, 0.100007, -0.163512,
    -0.174959, -0.144338, -0.194186, -0.0628787, -0.0355447, 0.049627, 0.0655346, 0.183394,
    0.20225, 0.488736, 0.40817, 0.562164, 0.25888, 0.0495002, 0.0922483, 0.0186316,
    0.0712902, 0.0260416, 0.0624099, 0.109698, -0.0387363, 0.0737335, -0.0653624, 0.099049,
    0.12339, -0.089381, -0.0421272, -0.00862958, 0.012018, 0.0441137, 0.0378416, 0.0449714,
    0.0279699, -0.0338764, 0.056273, 0.0336746, -0.0464067, 0.0774295, -0.00165747, 0.0121793,
    0.0169068, -0.0702336, 0.0252403, -0.180873, 0.0405911, -0.0463766, -0.0505627, -0.0209294,
    -0.216133, 0.00216645, -0.00391856, 0.0152178, -0.0118088, 0.0138651, 0.00522073, -0.00658418,
    0.0226163, -0.0495513, 0.0224459, 0.00961833, -0.00263744, 0.0238461, 0.00820261, 0.00198633,
    -0.0109291, 0.00124175, -0.00568117, -0.00244677, -0.00970441, -0.00962946, -0.0212054, 0.0105452,
    -0.00267164, -0.0141696, -0.00796243, 0.00850699, -0.000355193, 0.00386436, -0.00805113, 0.0168058,
    -0.0106727, 0.0270706, 0.0233014, 0.0152416, 0.00777123, 0.0344078, -0.19498, 0.0287515,
    0.0482239, 0.0267388, -0.225243, 0.099136, 0.445486, -0.526493, -0.0486143, 0.526748,
    -0.147531, 0.450506, 0.112943, -0.129225, -0.0930556, -0.267735, -0.190531, -0.115455,
    -0.0933105, -0.127493, -0.166386, 0.251142, 0.259346, -0.341856, 0.349849, -0.0399241,
    0.32741, 0.421002, 0.174996, 0.549109, -0.211964, 0.491955, 0.134524, -0.00453034,
    0.149045, -0.0514082, -0.0382338, -0.014487, -0.0316247, -0.00470818, -0.0152604, -0.0891174,
    0.0292687, 0.134482, 0.0789381, -0.194562, -0.0128739, 0.00517697, 0.0218108, 0.0381767,
    0.0348056, -0.0281763, -0.0140649, -0.0404612, -0.000703328, 0.103581, -0.0106574, -0.122028,
    0.0668136, -0.0231513, -0.0214442, -0.0591926, -0.0729748, 0.0630709, -0.0288911, 0.186971,
    -0.0175728, -0.0572982, 0.019554, 0.0363842, 0.285387, 0.122962,
)
"""Weights of :func:`refine_design`'s columns (empty: no refinement). Fitted by
``tools/fit_fill_curve.py`` with :data:`FILL_CURVE` (the same run and corpus; ridge regression on
the bubbles that curve reads within :data:`REFINE_RANGE`). Judged on seeds 12–13: marks of true
0.62–0.75 read with sd 0.0093 (200 dpi) and 0.0081 (300 dpi), marks of 0.38–0.62 with sd 0.013,
against the curve's 0.013 and 0.017; :data:`FILL_TREES` take them further."""
FILL_TREES = Path(__file__).with_name("fill_trees.npz")
"""The regression trees :func:`refine_fills` adds to the linear refinement, fitted by
``tools/fit_fill_curve.py`` with :data:`FILL_CURVE` and :data:`REFINE_COEFFICIENTS` (the same run
and corpus; gradient boosting on what the linear step left of the true fills: 221 trees of at most
31 leaves). Judged on seeds 12–13: marks of true 0.62–0.75 read with sd 0.0077 (200 dpi) and
0.0062 (300 dpi), marks of 0.38–0.62 with sd 0.011 and 0.012 (at most −0.044…+0.032), against
the linear step's 0.0093 / 0.0081 and 0.013 / 0.013."""
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


def ring_profile(darkness: np.ndarray) -> np.ndarray:
    """Each bubble's samples over its mark's level, sorted within each ring (n, rings × per ring):
    what lies how far from the centre, whichever way the mark was drawn."""
    count, samples = len(darkness), SAMPLE_RINGS * SAMPLES_PER_RING
    ratio = darkness / mark_level(darkness)[:, None]
    return np.sort(ratio.reshape(count, SAMPLE_RINGS, SAMPLES_PER_RING), axis=2).reshape(count, samples)


def tree_design(
    design: np.ndarray, profile: np.ndarray, curve_fills: np.ndarray, linear_fills: np.ndarray
) -> np.ndarray:
    """The trees' columns: :func:`refine_design`'s, :func:`ring_profile`'s, the curve's reading and
    the linear refinement's."""
    return np.hstack([design, profile, curve_fills[:, None], linear_fills[:, None]])


@cache
def fill_trees() -> TreeEnsemble:
    """The shipped trees (:data:`FILL_TREES`), read once."""
    return TreeEnsemble.load(FILL_TREES)


def refine_fills(
    darkness: np.ndarray,
    features: np.ndarray,
    levels: np.ndarray,
    fills: np.ndarray,
    blur_mm: float | None,
    coefficients: np.ndarray | None = None,
) -> np.ndarray:
    """The curve's ``fills`` (:func:`fills_from_features`), those in :data:`REFINE_RANGE` refined by
    where their ink lies: linearly (:func:`refine_design`; :data:`REFINE_COEFFICIENTS` unless
    ``coefficients`` are given), then by regression trees on what the linear step left
    (:func:`tree_design`; :data:`FILL_TREES`). A reading moves by at
    most :data:`REFINE_LIMIT` from the curve's.

    The curve reads a mark from how dark its samples are, not where: a straight edge, a scribble's
    lines and pencil grain of the same darkness hide different shares of ink between the samples.
    Fitted on the real-pencil corpus, the two steps cut the error of the marks that decide a page's
    review (0.62–0.75 and 0.38–0.62) to about half of the curve's."""
    weights = np.asarray(REFINE_COEFFICIENTS if coefficients is None else coefficients, dtype=np.float64)
    # read before anything is chosen, so that a bundle without its trees fails on its first page
    trees = fill_trees()
    chosen = refined_bubbles(fills)
    if len(weights) == 0 or len(chosen) == 0:
        return fills
    picked = darkness[chosen]
    design = refine_design(
        spatial_features(picked), mark_level(picked), features[chosen], levels[chosen], fills[chosen], blur_mm or 0.0
    )
    linear = with_refinement(fills, chosen, design @ weights)[chosen]
    residual = trees.predict(tree_design(design, ring_profile(picked), fills[chosen], linear))
    return with_refinement(fills, chosen, linear + residual)


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
