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
``tools/fit_fill_curve.py`` (least squares: the fill is linear in the table).

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
    (-0.017, 0.000, -0.000, 0.002, 0.008, 0.003, -0.031, -0.067, -0.001, 0.275, 0.677, 1.010, 1.111, 0.947, 0.613),
    (-0.059, -0.009, 0.008, -0.049, -0.043, 0.034, 0.169, 0.343, 0.535, 0.771, 0.986, 1.038, 0.962, 1.033, 0.909),
    (-0.019, -0.013, -0.008, 0.022, 0.147, 0.301, 0.451, 0.575, 0.677, 0.785, 0.911, 0.995, 0.989, 1.121, 1.198),
)
"""Expected ink per sample, E[ink | darkness ÷ level, level]: one row per LEVEL_KNOTS, one column
per RATIO_KNOTS. Fitted by ``tools/fit_fill_curve.py`` (its defaults; the output pasted here): the
real-pencil corpus (``forms.corpus``, ``real_pencils``), seeds 10–11, 150 sheets each at 200 and
at 300 dpi, half with production and half with harsh damage; weighted least squares of the true
fills with a smoothness penalty. Judged on seeds 12–13: marks of true 0.62–0.75 read with sd 0.015
(200 dpi) and 0.014 (300 dpi), the hard threshold's 0.026 and 0.023. Refit after changing the
sampling, the sharpening or the corpus's marks."""
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
    kth = min(samples - 1, int(LEVEL_SHARE * samples))
    level = np.maximum(np.partition(darkness, kth, axis=1)[:, kth], LEVEL_FLOOR)
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
