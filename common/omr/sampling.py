"""Fill ratios of every bubble of a layout on a located page, in a few vectorised steps.

A bubble's fill ratio is the share of its interior — inside the printed outline — that is darker
than the local paper by ``INK_MARGIN`` of the way from paper to black: a pixel is ink when
``value < paper − INK_MARGIN × (paper − black)``. ``paper`` is local (uneven light); ``black`` is
the page's black, measured on the printed corner squares (a scanner lifts black and compresses
contrast; this calibrates it away). Samples keep ``EDGE_CLEARANCE_MM`` from the outline so that
the outline never counts; the thin strip left unsampled is taken to be as inked as the outer band
of the samples (so a centred blot, a one-sided fill and a full fill come out near their share).
Each bubble's interior is sampled on the same pattern of points (a grid over the unit disc,
stretched to the bubble's inner ellipse), so all bubbles are read with one ``cv2.remap``. The
local paper level is the page's background: a grey-level dilation of the downscaled page wider
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
SAMPLES_PER_RING = 16
"""Each bubble's interior is sampled at SAMPLE_RINGS × SAMPLES_PER_RING points of equal area."""
SAMPLE_INTERPOLATION = cv2.INTER_NEAREST
MIN_BASELINE_BUBBLES = 12
"""Fewer bubbles of a size than this are read without a measured print baseline."""
MAX_PRINT_BASELINE = 0.3
"""The print baseline is capped here, so that no blank print can hide a real mark."""
RIM_SHARE = 0.1
"""The outermost share of the samples stands in for the thin unsampled strip along the outline."""


@dataclass(frozen=True, eq=False)
class SamplingPlan:
    """What is fixed per layout: bubble centres and interior sample offsets in page mm."""

    layout: Layout
    centres_mm: np.ndarray  # (n, 2)
    interior_mm: np.ndarray  # (n, p, 2) float32, ready for cv2.perspectiveTransform
    sampled_share: np.ndarray  # (n,) area sampled / whole interior
    rim: np.ndarray  # (p,) bool: the pattern's outer band, standing in for the unsampled edge
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
    inner = np.array([(b.w_mm / 2 - layout.bubble_line_mm, b.h_mm / 2 - layout.bubble_line_mm) for b in bubbles])
    shares = np.prod(semi_axes, axis=1) / np.prod(inner.reshape(-1, 2), axis=1)
    pattern = unit_disc_pattern()
    interior = centres[:, None, :] + pattern[None, :, :] * semi_axes[:, None, :]
    rim = np.hypot(pattern[:, 0], pattern[:, 1]) >= np.sqrt(1 - RIM_SHARE)
    sizes = [(b.w_mm, b.h_mm) for b in bubbles]
    styles = tuple(
        np.array([i for i, size in enumerate(sizes) if size == style], dtype=np.intp) for style in sorted(set(sizes))
    )
    plan = SamplingPlan(layout, centres, interior.astype(np.float32), shares, rim, styles)
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


def fill_ratios(
    gray: np.ndarray,
    transform: np.ndarray,
    paper_small: np.ndarray,
    small_scale: float,
    plan: SamplingPlan,
    black: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Fill ratio of every bubble (layout order) and the local paper level at each.

    ``transform`` maps page mm to ``gray``'s pixels; ``paper_small`` is :func:`background` of the
    copy scaled by ``small_scale``; ``black`` the grey level of the page's printed black.
    """
    centres = project_grid(to_small(transform, small_scale), plan.centres_mm[None, :, :])
    paper = remap(paper_small, centres, border=None).reshape(-1).astype(np.float32)
    values = remap(gray, project_grid(transform, plan.interior_mm), border=255, interpolation=SAMPLE_INTERPOLATION)
    span = np.maximum(paper - black, 1.0)[:, None]
    darkness = (paper[:, None] - values.astype(np.float32)) / span
    printed = print_baseline(darkness, plan)
    # Inside the outline the print reaches a sample only through blur, which adds darkness.
    ink = darkness - printed >= INK_MARGIN
    sampled = ink.mean(axis=1)
    rim = ink[:, plan.rim].mean(axis=1)
    return plan.sampled_share * sampled + (1.0 - plan.sampled_share) * rim, paper


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
