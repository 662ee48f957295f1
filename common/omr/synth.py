"""Fill a blank form the way a person with a pencil does, and know exactly what was drawn.

Marks are drawn into a darkness layer (0 = nothing, 255 = black) that is laid over the blank page
as ink is: ``page × (1 − darkness/255)``, so graphite over the printed outline stays dark. The
TRUE fill of every bubble follows READER.md's definition — the share of the interior's AREA (inside
the printed outline) darker than the paper by the reader's margin — and is never taken from what was
asked for: a pencil leaves paper showing through its grain, a tick covers what its width covers, and
a mark may spill into its neighbour. It is kept as a second layer, ``ink`` (0–1 a pixel): the share
of the pixel's area a mark covers (its polygon or stroke, anti-aliased at 4×) where the graphite on
that pixel's tooth passes the margin. Counting the darkness layer's pixels past the margin instead
would make an edge pixel ink when covered from 42 % (a dark mark) or only from 74 % (a light one):
an error along every edge that depends on the mark's level, which no scan can see.

Styles (:data:`MarkStyle`): ``pencil`` (graphite, grainy), ``pen`` (dark, even), ``partial`` (a
pencil mark covering only part of the interior: a band, a lower part or a smaller blob), ``tick``,
``cross``, ``scribble`` (pencil lines whose width sets the fill), ``erasure`` (the light smudge an
eraser leaves, far under the margin), ``residue`` (what an eraser leaves of a firm mark: graphite
just past the margin, patchy), ``spill`` (a firm fill drawn larger than the bubble, over its
outline and towards its neighbours; its size, not its fill, is drawn at random). Each other mark
aims at :attr:`MarkSpec.fill`; its size or line width is searched until the measured fill is
closest to it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Literal

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from common.omr.layout import Bubble, Layout, Rect
from common.omr.sampling import INK_MARGIN

MM_PER_INCH = 25.4
TRUTH_MARGIN = INK_MARGIN * 255.0
"""A pixel of the layer counts as ink when the mark darkens it by this much (of 255)."""
BORDERLINE = (0.42, 0.58)
"""True fills the reader must flag as ambiguous (READER.md)."""

MarkStyle = Literal["pencil", "pen", "partial", "tick", "cross", "scribble", "erasure", "residue", "spill"]
MARK_STYLES: tuple[MarkStyle, ...] = (
    "pencil", "pen", "partial", "tick", "cross", "scribble", "erasure", "residue", "spill",
)  # fmt: skip
_SUPERSAMPLE = 4
_TOOTH_MM = 0.22  # spacing of the paper-tooth pattern a pencil leaves
_FILL_TOLERANCE = 0.012  # how close to its aim a mark's true fill is drawn
_SHIFT = 2  # cv2 drawing with 2 fractional bits
_FONT = Path(__file__).resolve().parent.parent / "fonts" / "DejaVuSans.ttf"


@dataclass(frozen=True)
class MarkSpec:
    """A mark to draw: the fill it aims at (share of the interior, 0–1) and how it is made."""

    fill: float = 0.95
    style: MarkStyle = "pencil"
    at_least: float = 0.0
    """The true fill must not fall below this: a style whose fill moves in steps (a scribble's line
    width, a partial fill's edge column) then takes the step above its aim rather than the nearest."""


class SheetPainter:
    """One sheet being filled in: marks, stray marks and handwriting over a blank page image."""

    def __init__(self, page: np.ndarray, layout: Layout, dpi: float, rng: np.random.Generator) -> None:
        if page.ndim != 2 or page.dtype != np.uint8:
            raise ValueError("the blank page must be a grey uint8 image")
        self.page = page
        self.layout = layout
        self.dpi = float(dpi)
        self.px_per_mm = self.dpi / MM_PER_INCH
        self.rng = rng
        self.darkness: np.ndarray = np.zeros(page.shape[:2], np.uint8)
        self.ink: np.ndarray = np.zeros(page.shape[:2], np.float32)
        """The share of each pixel's area that is ink (darker than the paper by the margin)."""

    # -- marks in bubbles --------------------------------------------------------------------

    def mark(self, bubble_id: str, spec: MarkSpec) -> float:
        """Draw one mark; return the true fill it gave its own bubble."""
        bubble = self.layout.bubble_by_id[bubble_id]
        region = self._region(bubble, spare_mm=1.2)
        ys, xs = region
        before = self.darkness[ys, xs].astype(np.float32)
        ink_before = self.ink[ys, xs]
        inside = self._interior(bubble, region)
        draw = _StyleDrawing(spec.style, bubble, self, region, self.rng)
        best_layer, best_ink, best_short, best_error = before, ink_before, True, math.inf
        low, high = 0.0, draw.largest
        for _ in range(9):
            size = high if math.isinf(best_error) else (low + high) / 2
            coverage = draw.coverage(size)
            layer = _over(before, draw.darkness(coverage))
            ink = _union(ink_before, draw.ink(coverage))
            fill = float(ink[inside].mean()) if inside.any() else 0.0
            short = spec.at_least > 0 and fill < spec.at_least
            if (short, abs(fill - spec.fill)) < (best_short, best_error):
                best_layer, best_ink, best_short, best_error = layer, ink, short, abs(fill - spec.fill)
            fixed = spec.style in ("erasure", "spill")
            close = best_error <= _FILL_TOLERANCE and not best_short
            if close or fixed or (size == draw.largest and fill <= spec.fill):
                break
            if fill < spec.fill:
                low = size
            else:
                high = size
        self.darkness[ys, xs] = np.clip(best_layer + 0.5, 0, 255).astype(np.uint8)
        self.ink[ys, xs] = best_ink
        return float(best_ink[inside].mean()) if inside.any() else 0.0

    def marks(self, marks: Mapping[str, MarkSpec]) -> None:
        for bubble_id, spec in marks.items():
            self.mark(bubble_id, spec)

    # -- marks outside bubbles ---------------------------------------------------------------

    def stray_marks(self, count: int) -> int:
        """Pencil strokes (from a dot to a bent 14 mm line) away from bubbles, location marks and barcode.

        Returns how many were placed (a crowded page may have no room for all).
        """
        free = _free_map(self.layout)
        placed = 0
        for _ in range(count * 20):
            if placed == count:
                break
            length_mm = float(self.rng.uniform(1.0, 14.0))
            x_mm = float(self.rng.uniform(5, self.layout.width_mm - 5))
            y_mm = float(self.rng.uniform(5, self.layout.height_mm - 5))
            angle = float(self.rng.uniform(0, math.pi))
            end = (x_mm + length_mm * math.cos(angle), y_mm + length_mm * math.sin(angle))
            middle = ((x_mm + end[0]) / 2 + float(self.rng.normal(0, 1.0)), (y_mm + end[1]) / 2)
            path = [(x_mm, y_mm), middle, end]
            if not _path_is_free(free, path):
                continue
            self._stroke(path, width_mm=float(self.rng.uniform(0.25, 0.6)))
            placed += 1
        return placed

    def handwriting(self, text: str, box: Rect) -> None:
        """Write ``text`` by hand (a slanting, wobbling pen) inside ``box``."""
        height_px = max(8, round(box.h_mm * 0.6 * self.px_per_mm))
        font = ImageFont.truetype(str(_FONT), height_px)
        width_px = round(box.w_mm * self.px_per_mm)
        canvas = Image.new("L", (width_px, round(box.h_mm * self.px_per_mm)), 0)
        pen = ImageDraw.Draw(canvas)
        x = float(self.rng.uniform(0.02, 0.08)) * width_px
        for character in text:
            lift = float(self.rng.normal(0, height_px * 0.06))
            pen.text((x, canvas.height * 0.15 + lift), character, fill=int(self.rng.integers(170, 230)), font=font)
            x += pen.textlength(character, font=font) * float(self.rng.uniform(0.95, 1.12))
            if x > width_px * 0.97:
                break
        slant = np.array([[1.0, -0.18, canvas.height * 0.09], [0.0, 1.0, 0.0]], np.float32)
        written = cv2.warpAffine(np.asarray(canvas), slant, canvas.size)
        left, top = round(box.x_mm * self.px_per_mm), round(box.y_mm * self.px_per_mm)
        ys = slice(top, top + written.shape[0])
        xs = slice(left, left + written.shape[1])
        written = written[: self.darkness[ys, xs].shape[0], : self.darkness[ys, xs].shape[1]]
        self.darkness[ys, xs] = np.maximum(self.darkness[ys, xs], written)
        self.ink[ys, xs] = np.maximum(self.ink[ys, xs], written >= TRUTH_MARGIN)

    # -- results -----------------------------------------------------------------------------

    def image(self) -> np.ndarray:
        """The filled page: the blank under the darkness layer."""
        light = 255 - self.darkness
        return cv2.multiply(self.page, light, scale=1.0 / 255.0)

    def true_fill(self, bubble_id: str) -> float:
        bubble = self.layout.bubble_by_id[bubble_id]
        region = self._region(bubble, spare_mm=0.0)
        inside = self._interior(bubble, region)
        patch = self.ink[region]
        return float(patch[inside].mean()) if inside.any() else 0.0

    def true_fills(self) -> dict[str, float]:
        """The true fill of every bubble of the layout, measured on what was drawn."""
        pixels, starts = _interior_pixels(self.layout, self.dpi, self.darkness.shape)
        ink = self.ink.reshape(-1)[pixels]
        counts = np.diff(np.append(starts, len(pixels)))
        fills = np.add.reduceat(ink, starts) / np.maximum(counts, 1)
        return {bubble.id: float(fill) for bubble, fill in zip(self.layout.bubbles, fills, strict=True)}

    # -- geometry ------------------------------------------------------------------------------

    def _region(self, bubble: Bubble, spare_mm: float) -> tuple[slice, slice]:
        ppm = self.px_per_mm
        half_w, half_h = (bubble.w_mm / 2 + spare_mm) * ppm, (bubble.h_mm / 2 + spare_mm) * ppm
        cx, cy = bubble.x_mm * ppm, bubble.y_mm * ppm
        height, width = self.darkness.shape[:2]
        x0, x1 = max(0, math.floor(cx - half_w)), min(width, math.ceil(cx + half_w) + 1)
        y0, y1 = max(0, math.floor(cy - half_h)), min(height, math.ceil(cy + half_h) + 1)
        return slice(y0, y1), slice(x0, x1)

    def _interior(self, bubble: Bubble, region: tuple[slice, slice]) -> np.ndarray:
        return _interior_mask(bubble, self.layout.bubble_line_mm, self.px_per_mm, region)

    def _stroke(self, points_mm: list[tuple[float, float]], width_mm: float) -> None:
        ppm = self.px_per_mm
        xs_mm = [p[0] for p in points_mm]
        ys_mm = [p[1] for p in points_mm]
        spare = width_mm + 0.5
        left, top = max(0, math.floor((min(xs_mm) - spare) * ppm)), max(0, math.floor((min(ys_mm) - spare) * ppm))
        right = min(self.darkness.shape[1], math.ceil((max(xs_mm) + spare) * ppm))
        bottom = min(self.darkness.shape[0], math.ceil((max(ys_mm) + spare) * ppm))
        if right <= left or bottom <= top:
            return
        local = [((x * ppm - left), (y * ppm - top)) for x, y in points_mm]
        coverage = _polyline_coverage((bottom - top, right - left), local, width_mm * ppm)
        level = float(self.rng.uniform(130, 200))
        graphite = level * _grain(coverage.shape, ppm, self.rng, gaps=0.1)
        region = (slice(top, bottom), slice(left, right))
        self.darkness[region] = np.clip(
            _over(self.darkness[region].astype(np.float32), coverage * graphite) + 0.5, 0, 255
        ).astype(np.uint8)
        self.ink[region] = _union(self.ink[region], coverage * (graphite >= TRUTH_MARGIN))


class _StyleDrawing:
    """The darkness of one mark as a function of one size parameter (monotone in it)."""

    def __init__(
        self,
        style: MarkStyle,
        bubble: Bubble,
        painter: SheetPainter,
        region: tuple[slice, slice],
        rng: np.random.Generator,
    ) -> None:
        ys, xs = region
        ppm = painter.px_per_mm
        self.style = style
        self.shape = (ys.stop - ys.start, xs.stop - xs.start)
        self.centre = (bubble.x_mm * ppm - xs.start, bubble.y_mm * ppm - ys.start)
        self.semi = (bubble.w_mm / 2 * ppm, bubble.h_mm / 2 * ppm)
        self.px_per_mm = ppm
        self.variant = int(rng.integers(0, 3))
        self.offset = (float(rng.normal(0, 0.1 * ppm)), float(rng.normal(0, 0.08 * ppm)))
        self.outline = _hand_drawn_ellipse(self.semi, float(rng.normal(0, 4.0)), rng.normal(0, 0.04, size=(3, 2)))
        self._whole: np.ndarray | None = None
        self.jitter = rng.normal(0, 0.08, size=(8, 2))
        if style == "pen":
            self.level = float(rng.uniform(200, 235))
            self.grain = _grain(self.shape, ppm, rng, gaps=0.01)
        elif style == "erasure":
            self.level = float(rng.uniform(18, 45))
            self.grain = _grain(self.shape, ppm, rng, gaps=0.3)
        elif style == "residue":
            self.level = float(rng.uniform(TRUTH_MARGIN + 8, TRUTH_MARGIN + 40))
            self.grain = _grain(self.shape, ppm, rng, gaps=float(rng.uniform(0.25, 0.5)))
        elif style == "spill":
            self.level = float(rng.uniform(150, 215))
            self.grain = _grain(self.shape, ppm, rng, gaps=float(rng.uniform(0.01, 0.04)))
            self.spill = float(rng.uniform(1.12, 1.35))
        else:
            self.level = float(rng.uniform(130, 210))
            self.grain = _grain(self.shape, ppm, rng, gaps=float(rng.uniform(0.02, 0.09)))
        self.largest = 2.0 * ppm if style in ("tick", "cross", "scribble") else 1.12

    def darkness(self, coverage: np.ndarray) -> np.ndarray:
        """The mark's darkness (0–255) where it covers each pixel's area by ``coverage``."""
        return coverage * (self.level * self.grain)

    def ink(self, coverage: np.ndarray) -> np.ndarray:
        """The share of each pixel's area that is ink: what the mark covers where its graphite
        passes the margin (the tooth's gaps and an erasure's smudge do not)."""
        return coverage * (self.level * self.grain >= TRUTH_MARGIN)

    def coverage(self, size: float) -> np.ndarray:
        cx, cy = self.centre[0] + self.offset[0], self.centre[1] + self.offset[1]
        if self.style == "spill":
            return _polygon_coverage(self.shape, (cx, cy), self.outline * self.spill)
        if self.style in ("pencil", "pen", "erasure", "residue"):
            scale = 1.1 if self.style == "erasure" else size
            return _polygon_coverage(self.shape, (cx, cy), self.outline * scale)
        if self.style == "partial":
            return self._partial(size, (cx, cy))
        if self.style == "tick":
            path = [(-0.75, 0.0), (-0.15, 0.8), (1.05, -1.1)]
        elif self.style == "cross":
            first = _polyline_coverage(self.shape, self._points([(-1.05, -1.0), (1.05, 1.0)], (cx, cy)), size)
            second = _polyline_coverage(self.shape, self._points([(-1.0, 1.05), (1.0, -1.0)], (cx, cy), 4), size)
            return np.maximum(first, second)
        else:  # scribble: a zig-zag across the bubble
            path = [(-0.9 if k % 2 == 0 else 0.9, -0.8 + 1.6 * k / 5) for k in range(6)]
        return _polyline_coverage(self.shape, self._points(path, (cx, cy)), size)

    def _points(
        self, path: list[tuple[float, float]], centre: tuple[float, float], first: int = 0
    ) -> list[tuple[float, float]]:
        sx, sy = self.semi
        return [
            (
                centre[0] + (u + self.jitter[(first + k) % 8, 0]) * sx,
                centre[1] + (v + self.jitter[(first + k) % 8, 1]) * sy,
            )
            for k, (u, v) in enumerate(path)
        ]

    def _partial(self, size: float, centre: tuple[float, float]) -> np.ndarray:
        sx, sy = self.semi
        if self._whole is None:
            self._whole = _polygon_coverage(self.shape, centre, self.outline * 1.05)
        whole = self._whole
        share = min(1.0, size / 1.12)
        if self.variant == 0:  # filled from the left, stopped part-way
            edge = centre[0] - sx * 1.05 + 2.1 * sx * share
            return whole * _half_plane(self.shape, axis=1, edge=edge)
        if self.variant == 1:  # the lower part only
            edge = centre[1] + sy * 1.05 - 2.1 * sy * share
            return whole * (1.0 - _half_plane(self.shape, axis=0, edge=edge))
        return _polygon_coverage(self.shape, centre, self.outline * size)


def fill_page(
    page: np.ndarray, layout: Layout, dpi: float, marks: Mapping[str, MarkSpec], rng: np.random.Generator
) -> np.ndarray:
    """The blank ``page`` (grey ``uint8`` at ``dpi``) with ``marks`` drawn into its bubbles."""
    painter = SheetPainter(page, layout, dpi, rng)
    painter.marks(marks)
    return painter.image()


def fill_page_with_truth(
    page: np.ndarray, layout: Layout, dpi: float, marks: Mapping[str, MarkSpec], rng: np.random.Generator
) -> tuple[np.ndarray, dict[str, float]]:
    """:func:`fill_page` and the true fill of every bubble, measured on what was drawn."""
    painter = SheetPainter(page, layout, dpi, rng)
    painter.marks(marks)
    return painter.image(), painter.true_fills()


def answers_to_marks(
    layout: Layout, answers: Mapping[str, str], *, spec: MarkSpec = MarkSpec(), rng: np.random.Generator | None = None
) -> dict[str, MarkSpec]:
    """The marks that give ``answers`` (field name → value as READER.md writes it, ``""`` for none).

    With ``rng`` each mark varies as people's do (firm pencil 0.8–1.0, now and then a pen).
    Raises KeyError for an unknown field and ValueError for a value the field does not have.
    """
    marks: dict[str, MarkSpec] = {}
    for name, value in answers.items():
        field = layout.field_by_name[name]
        for part in split_value(field.values, value):
            if rng is None:
                marks[f"{name}.{part}"] = spec
            else:
                style: MarkStyle = "pen" if rng.random() < 0.1 else "pencil"
                marks[f"{name}.{part}"] = MarkSpec(float(rng.uniform(0.8, 1.0)), style)
    return marks


def group_answers(layout: Layout, group: str, text: str) -> dict[str, str]:
    """Field answers that spell ``text`` in a grid group (one character a column, space = empty)."""
    columns = layout.fields_by_group[group]
    if len(text) > len(columns):
        raise ValueError(f"{len(text)} characters do not fit the {len(columns)} columns of {group}")
    padded = text.ljust(len(columns))
    return {column.name: "" if char == " " else char for column, char in zip(columns, padded, strict=True)}


def split_value(values: tuple[str, ...], value: str) -> list[str]:
    """A field value as READER.md joins it (``"AC"``, ``"kk"``) split back into the field's values."""
    parts: list[str] = []
    rest = value
    by_length = sorted(values, key=len, reverse=True)
    while rest:
        found = next((v for v in by_length if rest.startswith(v)), None)
        if found is None:
            raise ValueError(f"{value!r} is not made of the values {values}")
        parts.append(found)
        rest = rest[len(found) :]
    return parts


def name_box(layout: Layout) -> Rect | None:
    """Where a name is written by hand on ``layout`` (``None`` if the form has no such box)."""
    box = layout.extra.get("name_box")
    return box if isinstance(box, Rect) else None


def read_back(layout: Layout, true_fills: Mapping[str, float]) -> dict[str, str]:
    """The field values a perfect reader gives for ``true_fills``: marked at fill ≥ 0.5."""
    return {
        field.name: "".join(b.value for b in layout.bubbles_by_field[field.name] if true_fills.get(b.id, 0.0) >= 0.5)
        for field in layout.fields
    }


# -- drawing primitives -------------------------------------------------------------------------


def _over(below: np.ndarray, above: np.ndarray) -> np.ndarray:
    """Two darkness layers combined as ink combines: transmissions multiply."""
    return 255.0 - (255.0 - below) * (255.0 - above) / 255.0


def _union(below: np.ndarray, above: np.ndarray) -> np.ndarray:
    """Two ink-area layers combined: a pixel's area is ink where either layer's is (independently)."""
    return 1.0 - (1.0 - below) * (1.0 - above)


def _grain(shape: tuple[int, int], px_per_mm: float, rng: np.random.Generator, gaps: float) -> np.ndarray:
    """Graphite on paper tooth: ~1 where it took, 0.1 in the ``gaps`` share where paper shows.

    The tooth has a physical size (specks of paper about 0.2 mm across), not a pixel size, so the
    same mark has the same true fill at every resolution and a scanner can resolve its gaps.
    """
    cells = (
        max(2, math.ceil(shape[0] / (_TOOTH_MM * px_per_mm)) + 1),
        max(2, math.ceil(shape[1] / (_TOOTH_MM * px_per_mm)) + 1),
    )
    coarse = rng.standard_normal(cells).astype(np.float32)
    tooth = cv2.resize(coarse, (shape[1], shape[0]), interpolation=cv2.INTER_LINEAR)
    threshold = float(np.quantile(tooth, gaps)) if gaps > 0 else -np.inf
    shade = np.float32(0.93) + np.float32(0.07) * rng.random(shape, dtype=np.float32)
    return np.where(tooth < threshold, np.float32(0.1), shade)


def _hand_drawn_ellipse(semi: tuple[float, float], angle: float, wobble: np.ndarray) -> np.ndarray:
    """Outline (48 × 2, around the origin) of an ellipse drawn by hand: tilted, its rim wobbling."""
    theta = np.linspace(0, 2 * np.pi, 48, endpoint=False)
    radius = 1.0 + sum(wobble[k, 0] * np.cos((k + 2) * theta + wobble[k, 1] * 10) for k in range(len(wobble)))
    cos_a, sin_a = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    u, v = semi[0] * radius * np.cos(theta), semi[1] * radius * np.sin(theta)
    return np.column_stack([u * cos_a - v * sin_a, u * sin_a + v * cos_a])


def _polygon_coverage(shape: tuple[int, int], centre: tuple[float, float], outline: np.ndarray) -> np.ndarray:
    """Anti-aliased coverage (0–1) of the polygon ``outline`` placed at ``centre``."""
    canvas = np.zeros((shape[0] * _SUPERSAMPLE, shape[1] * _SUPERSAMPLE), np.uint8)
    fixed = np.round((outline + np.asarray(centre)) * _SUPERSAMPLE * (1 << _SHIFT)).astype(np.int32)
    cv2.fillPoly(canvas, [fixed], 255, lineType=cv2.LINE_8, shift=_SHIFT)
    return _downsample(canvas, shape)


def _polyline_coverage(shape: tuple[int, int], points: list[tuple[float, float]], width_px: float) -> np.ndarray:
    """Anti-aliased coverage (0–1) of a pencil line ``width_px`` wide along ``points``; drawn at
    twice the polygons' supersampling, as a line's width moves its fill in steps of a sub-pixel."""
    factor = 2 * _SUPERSAMPLE
    canvas = np.zeros((shape[0] * factor, shape[1] * factor), np.uint8)
    fixed = np.round(np.array(points) * factor * (1 << _SHIFT)).astype(np.int32)
    thickness = max(1, round(width_px * factor))
    cv2.polylines(canvas, [fixed], False, 255, thickness=thickness, lineType=cv2.LINE_8, shift=_SHIFT)
    return _downsample(canvas, shape)


def _half_plane(shape: tuple[int, int], axis: int, edge: float) -> np.ndarray:
    """1 before ``edge`` along ``axis`` (0 = rows, 1 = columns), 0 after, soft at the pixel."""
    positions = np.arange(shape[axis], dtype=np.float32) + 0.5
    ramp = np.clip(edge - positions + 0.5, 0.0, 1.0)
    return ramp[None, :] if axis == 1 else ramp[:, None]


def _downsample(canvas: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    small = cv2.resize(canvas, (shape[1], shape[0]), interpolation=cv2.INTER_AREA)
    return small.astype(np.float32) / 255.0


def _interior_mask(bubble: Bubble, line_mm: float, px_per_mm: float, region: tuple[slice, slice]) -> np.ndarray:
    """Pixels of ``region`` whose centre lies inside the bubble's printed outline."""
    ys, xs = region
    semi_x = (bubble.w_mm / 2 - line_mm) * px_per_mm
    semi_y = (bubble.h_mm / 2 - line_mm) * px_per_mm
    px = (np.arange(xs.start, xs.stop) + 0.5 - bubble.x_mm * px_per_mm) / semi_x
    py = (np.arange(ys.start, ys.stop) + 0.5 - bubble.y_mm * px_per_mm) / semi_y
    return np.asarray(py[:, None] ** 2 + px[None, :] ** 2 <= 1.0)


@lru_cache(maxsize=16)
def _interior_pixels(layout: Layout, dpi: float, shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Flat indices of every bubble's interior pixels, bubble after bubble, and where each starts."""
    px_per_mm = dpi / MM_PER_INCH
    height, width = shape[:2]
    chunks: list[np.ndarray] = []
    for bubble in layout.bubbles:
        half_w, half_h = bubble.w_mm / 2 * px_per_mm, bubble.h_mm / 2 * px_per_mm
        cx, cy = bubble.x_mm * px_per_mm, bubble.y_mm * px_per_mm
        x0, x1 = max(0, math.floor(cx - half_w)), min(width, math.ceil(cx + half_w) + 1)
        y0, y1 = max(0, math.floor(cy - half_h)), min(height, math.ceil(cy + half_h) + 1)
        mask = _interior_mask(bubble, layout.bubble_line_mm, px_per_mm, (slice(y0, y1), slice(x0, x1)))
        rows, cols = np.nonzero(mask)
        chunks.append((rows + y0) * width + cols + x0)
    starts = np.cumsum([0] + [len(chunk) for chunk in chunks[:-1]])
    return np.concatenate(chunks), starts


@cache
def _free_map(layout: Layout) -> np.ndarray:
    """A 1-px-per-mm map of where stray marks may go: not near bubbles, marks, barcode or number."""
    free = np.ones((math.ceil(layout.height_mm), math.ceil(layout.width_mm)), np.uint8)

    def block(x: float, y: float, w: float, h: float, spare: float) -> None:
        top, left = max(0, math.floor(y - spare)), max(0, math.floor(x - spare))
        free[top : math.ceil(y + h + spare), left : math.ceil(x + w + spare)] = 0

    for bubble in layout.bubbles:
        block(bubble.x_mm - bubble.w_mm / 2, bubble.y_mm - bubble.h_mm / 2, bubble.w_mm, bubble.h_mm, 1.5)
    for mark in (*layout.marks, *layout.code_cells):
        block(mark.x_mm - mark.w_mm / 2, mark.y_mm - mark.h_mm / 2, mark.w_mm, mark.h_mm, 4.0)
    for rect in (layout.barcode_box, layout.number_box):
        block(rect.x_mm, rect.y_mm, rect.w_mm, rect.h_mm, 3.0)
    return free


def _path_is_free(free: np.ndarray, path: list[tuple[float, float]]) -> bool:
    """True when every point of the polyline, every half millimetre, is on free paper."""
    for (x0, y0), (x1, y1) in itertools.pairwise(path):
        steps = max(1, math.ceil(math.hypot(x1 - x0, y1 - y0) * 2))
        for k in range(steps + 1):
            x, y = int(x0 + (x1 - x0) * k / steps), int(y0 + (y1 - y0) * k / steps)
            if not (0 <= y < free.shape[0] and 0 <= x < free.shape[1] and free[y, x]):
                return False
    return True
