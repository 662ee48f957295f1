"""Finding a form on a page image: its corner squares, orientation, identity and transform.

Pure functions on grey ``uint8`` arrays. The page is located on a downscaled copy (about 1000
pixels on its long side): an adaptive threshold at the scale of the corner squares keeps a dark
backing or uneven light from merging with them; connected components give candidate squares; the
four that make the page's rectangle are the corners. The identity strip along the top edge then
gives the form and whether the page is upside down (see :mod:`forms.marks`). The transform is a
homography from page millimetres to image pixels, refined by least squares on every solid mark
found, whose residual tells how well the page fitted.

A torn or covered corner square does not lose the page: when no four squares make the rectangle,
three that make three of its corners do, the fourth is put where the rectangle has it, and the fit
uses the three squares and the identity strip (an affine fit: with one corner gone the remaining
marks cannot pin a perspective). :attr:`PageFit.missing_corner` names the square not found; with
two missing the page is not located, as before.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np

from forms.layout import Mark
from forms.marks import (
    CORNER_IDS,
    CORNER_INSET_MM,
    CORNER_SIZE_MM,
    PAGE_HEIGHT_MM,
    PAGE_WIDTH_MM,
    code_bits,
    code_cells,
    corner_centres,
    decode_form,
    spec_cells,
    spec_from_bits,
)

WORK_LONG_SIDE = 900
"""Longest side, in pixels, of the working copy (paper level, identity strip)."""
DETECT_LONG_SIDE = 450
"""Longest side, in pixels, of the copy the corner squares are searched on."""
CODE_DARK = 0.45
"""A strip cell is black when its centre is this much darker than the paper beside it."""
MARK_SEARCH_MM = 1.5
"""How far beyond its printed edge a mark's centre is looked for at full resolution."""
MIN_PAGE_SHARE = 0.6
"""A page found from three corner squares spans at least this share of the image's scale."""
MAX_DIAGONAL_MISMATCH = 0.04
"""The corner squares' diagonals may differ by this share (perspective); more is not the page."""
MAX_FIT_RESIDUAL_MM = 0.8
"""Marks further than this from where the fitted transform puts them make the page unreadable."""

_CORNER_SPAN_X = PAGE_WIDTH_MM - 2 * CORNER_INSET_MM
_CORNER_SPAN_Y = PAGE_HEIGHT_MM - 2 * CORNER_INSET_MM


@dataclass(frozen=True)
class WorkImage:
    """The downscaled copy and its scale (``small = full × scale``)."""

    image: np.ndarray
    scale: float


@dataclass(frozen=True)
class PageFit:
    """Where the page is: ``transform`` maps page mm to full-image pixels (upright page)."""

    transform: np.ndarray
    orientation: int
    form: str | None
    residual_mm: float
    marks_found: int
    missing_corner: str | None = None
    """The corner square (``tl``, ``tr``, ``br``, ``bl`` of the upright page) that was not found."""


def work_image(gray: np.ndarray) -> WorkImage:
    """The page halved (pixel-exact box averaging, OpenCV's fast path) until its long side is at
    most ``WORK_LONG_SIDE``: 150–600 dpi scans all end up at about 2–3 pixels per mm."""
    small = gray
    scale = 1.0
    while max(small.shape[:2]) > WORK_LONG_SIDE:
        height, width = small.shape[:2]
        even = small[: height - height % 2, : width - width % 2]
        small = cv2.resize(even, (width // 2, height // 2), interpolation=cv2.INTER_AREA)
        scale /= 2
    return WorkImage(small, scale)


def locate_page(work: WorkImage, gray: np.ndarray) -> PageFit | None:
    """The fit of the page ``gray`` (found on its copy ``work``), or None without corner squares."""
    small = work.image
    detect, factor = small, 1.0
    if max(small.shape) > DETECT_LONG_SIDE:  # the squares are found at about 1 px/mm, then refined
        height, width = small.shape
        detect = cv2.resize(small[: height - height % 2, : width - width % 2], (width // 2, height // 2),
                            interpolation=cv2.INTER_AREA)  # fmt: skip
        factor = 2.0
    pixels_per_mm = max(detect.shape) / PAGE_HEIGHT_MM  # an upper bound: the page fills the image
    block = int(CORNER_SIZE_MM * pixels_per_mm * 3) | 1
    ink = cv2.adaptiveThreshold(detect, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, max(block, 15), 40)
    _count, _labels, stats, centroids = cv2.connectedComponentsWithStats(ink, connectivity=8)
    candidates = _square_candidates(stats, centroids, pixels_per_mm)
    four = _pick_corners(candidates)
    attempts = [] if four is None else [(four, None)]
    fallback: PageFit | None = None
    for found, missing_index in itertools.chain(attempts, _lazy_three(candidates, pixels_per_mm)):
        corners = (found + 0.5) * factor - 0.5
        # corners: image positions (small px) in image order tl, tr, br, bl
        upright = _homography(corners, list(corner_centres().values()))
        for orientation in (0, 180):
            transform = upright if orientation == 0 else upright @ _half_turn()
            cells = _read_strip(small, transform)
            form = decode_form(cells)
            if form is None:
                continue
            missing = None
            if missing_index is not None:
                missing = CORNER_IDS[(missing_index + (2 if orientation == 180 else 0)) % 4]
            refined, residual, used = _refine(gray, _to_full(transform, work.scale), form, missing)
            return PageFit(refined / refined[2, 2], orientation, form, residual, used, missing)
        if fallback is None:
            missing = None if missing_index is None else CORNER_IDS[missing_index]
            fallback = PageFit(_to_full(upright, work.scale), 0, None, 0.0, 4 if missing is None else 3, missing)
    return fallback


def _lazy_three(candidates: np.ndarray, pixels_per_mm: float) -> Iterator[tuple[np.ndarray, int | None]]:
    """The three-corner reading, looked for only when asked (the four-corner one did not read)."""
    three = _pick_three_corners(candidates, pixels_per_mm)
    if three is not None:
        yield three[0], three[1]


def _square_candidates(stats: np.ndarray, centroids: np.ndarray, pixels_per_mm: float) -> np.ndarray:
    """Centroids and sides (small px) of components shaped like a solid corner square: (n, 3)."""
    widths = stats[1:, cv2.CC_STAT_WIDTH].astype(np.float64)
    heights = stats[1:, cv2.CC_STAT_HEIGHT].astype(np.float64)
    areas = stats[1:, cv2.CC_STAT_AREA].astype(np.float64)
    largest = CORNER_SIZE_MM * pixels_per_mm * 1.35
    smallest = CORNER_SIZE_MM * pixels_per_mm / 2.2
    sides = np.maximum(widths, heights)
    keep = (
        (sides <= largest)
        & (np.minimum(widths, heights) >= max(smallest, 4))
        & (sides <= 1.3 * np.minimum(widths, heights))
        & (areas >= 0.62 * widths * heights)
    )
    index = np.nonzero(keep)[0]
    equivalent_side = np.sqrt(areas[index])
    return np.column_stack([centroids[index + 1], equivalent_side])


def _pick_corners(candidates: np.ndarray) -> np.ndarray | None:
    if len(candidates) < 4:
        return None
    points = candidates[:, :2]
    extreme = [
        int(np.argmin(points[:, 0] + points[:, 1])),
        int(np.argmax(points[:, 0] - points[:, 1])),
        int(np.argmax(points[:, 0] + points[:, 1])),
        int(np.argmin(points[:, 0] - points[:, 1])),
    ]
    if len(set(extreme)) == 4 and _plausible(candidates[extreme]):
        return points[extreme]
    # Something square-like lies outside the page (or a corner is spoilt): search the biggest few.
    order = np.argsort(-candidates[:, 2])[:14]
    best: tuple[float, np.ndarray] | None = None
    for combination in itertools.combinations(order, 4):
        chosen = candidates[list(combination)]
        quad = _image_order(chosen[:, :2])
        if quad is None:
            continue
        ordered = chosen[[int(np.argmin(np.linalg.norm(chosen[:, :2] - q, axis=1))) for q in quad]]
        if _plausible(ordered):
            area = abs(_polygon_area(quad))
            if best is None or area > best[0]:
                best = (area, quad)
    return None if best is None else best[1]


def _pick_three_corners(candidates: np.ndarray, pixels_per_mm: float) -> tuple[np.ndarray, int] | None:
    """Three candidates that make three corners of the corner rectangle, and the fourth corner put
    where the rectangle has it: (tl, tr, br, bl image positions, index of the inferred one).

    ``pixels_per_mm`` is the scale if the page filled the image: the rectangle must span most of
    what that gives (smaller square things, such as the identity cells, make smaller rectangles).
    """
    if len(candidates) < 3:
        return None
    shortest_side = MIN_PAGE_SHARE * _CORNER_SPAN_X * pixels_per_mm
    order = np.argsort(-candidates[:, 2])[:14]
    best: tuple[float, np.ndarray, int] | None = None
    for combination in itertools.combinations(order, 3):
        chosen = candidates[list(combination)]
        for middle in range(3):  # the corner between the other two (opposite the missing one)
            ends = chosen[[(middle + 1) % 3, (middle + 2) % 3], :2]
            fourth = ends[0] + ends[1] - chosen[middle, :2]
            four = np.vstack([chosen, [fourth[0], fourth[1], float(chosen[:, 2].mean())]])
            quad = _image_order(four[:, :2])
            if quad is None:
                continue
            picked = [int(np.argmin(np.linalg.norm(four[:, :2] - q, axis=1))) for q in quad]
            if len(set(picked)) != 4 or not _plausible(four[picked]):
                continue
            if min(np.linalg.norm(quad[1] - quad[0]), np.linalg.norm(quad[2] - quad[1])) < shortest_side:
                continue
            area = abs(_polygon_area(quad))
            if best is None or area > best[0]:
                best = (area, quad, picked.index(3))
    return None if best is None else (best[1], best[2])


def _image_order(points: np.ndarray) -> np.ndarray | None:
    s, d = points[:, 0] + points[:, 1], points[:, 0] - points[:, 1]
    order = [int(np.argmin(s)), int(np.argmax(d)), int(np.argmax(s)), int(np.argmin(d))]
    return points[order] if len(set(order)) == 4 else None


def _plausible(quad: np.ndarray) -> bool:
    """Four candidates (tl, tr, br, bl) that make the corner rectangle with equal squares."""
    points, sides = quad[:, :2], quad[:, 2]
    top = np.linalg.norm(points[1] - points[0])
    bottom = np.linalg.norm(points[2] - points[3])
    left = np.linalg.norm(points[3] - points[0])
    right = np.linalg.norm(points[2] - points[1])
    if min(top, bottom, left, right) <= 0:
        return False
    if not (0.85 < top / bottom < 1.18 and 0.85 < left / right < 1.18):
        return False
    aspect = ((top + bottom) / 2) / ((left + right) / 2)
    if abs(aspect / (_CORNER_SPAN_X / _CORNER_SPAN_Y) - 1) > 0.08:
        return False
    expected_side = CORNER_SIZE_MM * (top + bottom) / 2 / _CORNER_SPAN_X
    if not np.all((sides > 0.7 * expected_side) & (sides < 1.35 * expected_side)):
        return False
    diagonals = np.linalg.norm(points[2] - points[0]) / max(float(np.linalg.norm(points[3] - points[1])), 1e-9)
    if abs(diagonals - 1) > MAX_DIAGONAL_MISMATCH:  # a rectangle's diagonals are equal
        return False
    return abs(_polygon_area(points)) > 0


def _polygon_area(points: np.ndarray) -> float:
    x, y = points[:, 0], points[:, 1]
    return float(0.5 * (np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))


def _homography(image_points: np.ndarray, page_points: list[tuple[float, float]]) -> np.ndarray:
    source = np.asarray(page_points, dtype=np.float64)
    target = np.asarray(image_points, dtype=np.float64)
    if len(source) == 4:
        return cv2.getPerspectiveTransform(source.astype(np.float32), target.astype(np.float32)).astype(np.float64)
    matrix, _mask = cv2.findHomography(source, target, 0)
    return np.asarray(matrix, dtype=np.float64)


def _affine(image_points: np.ndarray, page_points: np.ndarray) -> np.ndarray:
    """The least-squares affine map page mm → image px, as a 3×3 matrix."""
    design = np.column_stack([page_points, np.ones(len(page_points))])
    solution, *_rest = np.linalg.lstsq(design, image_points, rcond=None)
    return np.vstack([solution.T, [0.0, 0.0, 1.0]])


def _half_turn() -> np.ndarray:
    """Page mm → page mm of the page turned by 180° (applied before the image-order fit)."""
    return np.array([[-1.0, 0.0, PAGE_WIDTH_MM], [0.0, -1.0, PAGE_HEIGHT_MM], [0.0, 0.0, 1.0]])


def project(transform: np.ndarray, points_mm: np.ndarray) -> np.ndarray:
    """Page mm points (n, 2) → image pixels (n, 2) under ``transform``."""
    points = np.asarray(points_mm, dtype=np.float64)
    x = transform[0, 0] * points[:, 0] + transform[0, 1] * points[:, 1] + transform[0, 2]
    y = transform[1, 0] * points[:, 0] + transform[1, 1] * points[:, 1] + transform[1, 2]
    w = transform[2, 0] * points[:, 0] + transform[2, 1] * points[:, 1] + transform[2, 2]
    return np.column_stack([x / w, y / w])


def sample(image: np.ndarray, points: np.ndarray, border: int = 255) -> np.ndarray:
    """Bilinear samples of ``image`` at pixel positions ``points`` (n, 2); outside reads ``border``."""
    map_x = points[:, 0].astype(np.float32).reshape(1, -1)
    map_y = points[:, 1].astype(np.float32).reshape(1, -1)
    values = cv2.remap(image, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=border)
    return values.reshape(-1).astype(np.float64)


def _sample(image: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Bilinear samples of ``image`` at pixel positions ``points`` (n, 2); outside reads white."""
    map_x = points[:, 0].astype(np.float32).reshape(1, -1)
    map_y = points[:, 1].astype(np.float32).reshape(1, -1)
    values = cv2.remap(image, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=255)
    return values.reshape(-1).astype(np.float64)


def black_level(small: np.ndarray, small_transform: np.ndarray, missing: str | None = None) -> float:
    """The grey level of printed black: the median of the corner squares' middles (small px)."""
    half = CORNER_SIZE_MM * 0.3
    offsets = np.array([(dx, dy) for dx in np.linspace(-half, half, 5) for dy in np.linspace(-half, half, 5)])
    centres = np.array([centre for mark_id, centre in corner_centres().items() if mark_id != missing])
    points = (centres[:, None, :] + offsets[None, :, :]).reshape(-1, 2)
    return float(np.median(_sample(small, project(small_transform, points))))


def read_spec_identity(small: np.ndarray, small_transform: np.ndarray) -> int:
    """The number the specification cells spell on the located page (0: all white)."""
    return spec_from_bits(_read_strip(small, small_transform, spec_cells()))


def _read_strip(small: np.ndarray, transform: np.ndarray, cells: tuple[Mark, ...] | None = None) -> tuple[int, ...]:
    """Black (1) or white (0) of every identity-strip cell (or of ``cells``) under ``transform``
    (small px)."""
    cells = code_cells() if cells is None else cells
    offsets = np.array([(dx, dy) for dx in (-0.9, 0.0, 0.9) for dy in (-0.9, 0.0, 0.9)])
    centres = np.array([(cell.x_mm, cell.y_mm) for cell in cells])
    inner = (centres[:, None, :] + offsets[None, :, :]).reshape(-1, 2)
    gaps = np.array([(cell.x_mm + dx, cell.y_mm + dy) for cell in cells for dx in (-4.0, 4.0) for dy in (-2, 2)])
    cell_values = _sample(small, project(transform, inner)).reshape(len(cells), -1).mean(axis=1)
    paper = float(np.percentile(_sample(small, project(transform, gaps)), 80))
    if paper <= 0:
        return tuple(0 for _cell in cells)
    darkness = 1.0 - cell_values / paper
    return tuple(int(value > CODE_DARK) for value in darkness)


def _refine(
    gray: np.ndarray, transform: np.ndarray, form: str, missing: str | None = None
) -> tuple[np.ndarray, float, int]:
    """Least-squares transform (full px) on the centres of every solid mark, measured at full
    resolution around where ``transform`` puts them; the RMS residual in mm and marks used.

    Without the ``missing`` corner square the fit is affine (the other marks cannot pin more)."""
    marks = [(x, y, CORNER_SIZE_MM) for mark_id, (x, y) in corner_centres().items() if mark_id != missing]
    marks += [(c.x_mm, c.y_mm, c.w_mm) for c, bit in zip(code_cells(), code_bits(form), strict=True) if bit]
    page_points = np.array([(x, y) for x, y, _size in marks])
    predicted = project(transform, page_points)
    pixels_per_mm = _scale_at(transform, page_points.mean(axis=0))
    found_page: list[np.ndarray] = []
    found_image: list[np.ndarray] = []
    for (x, y, size), guess in zip(marks, predicted, strict=True):
        centre = _mark_centre(gray, guess, (size / 2 + MARK_SEARCH_MM) * pixels_per_mm)
        if centre is not None:
            found_page.append(np.array([x, y]))
            found_image.append(centre)
    if len(found_page) < 4:
        return transform, float("inf"), len(found_page)
    image_points = np.asarray(found_image)
    if missing is not None:
        refined = _affine(image_points, np.asarray(found_page))
    else:
        refined = _homography(image_points, [tuple(p) for p in found_page])
    errors = np.linalg.norm(project(refined, np.asarray(found_page)) - image_points, axis=1)
    residual = float(np.sqrt(np.mean(errors**2)) / max(pixels_per_mm, 1e-9))
    return refined, residual, len(found_page)


def _mark_centre(gray: np.ndarray, guess: np.ndarray, reach: float) -> np.ndarray | None:
    """The centroid (full px) of the dark pixels near ``guess``: a solid mark's centre."""
    height, width = gray.shape
    left, top = max(0, int(guess[0] - reach)), max(0, int(guess[1] - reach))
    right, bottom = min(width, int(guess[0] + reach) + 1), min(height, int(guess[1] + reach) + 1)
    if right - left < 4 or bottom - top < 4:
        return None
    window = gray[top:bottom, left:right]
    low, high = np.percentile(window[::3, ::3], (3, 90))  # every third pixel is plenty for levels
    if high - low < 40:
        return None
    dark = window < (low + high) / 2
    moments = cv2.moments(dark.astype(np.uint8), binaryImage=True)
    if moments["m00"] < 4:
        return None
    return np.array([left + moments["m10"] / moments["m00"], top + moments["m01"] / moments["m00"]])


def _scale_at(transform: np.ndarray, point: np.ndarray) -> float:
    """Pixels per mm of ``transform`` at the page point ``point``."""
    pair = np.array([point, point + np.array([1.0, 0.0])])
    return float(np.linalg.norm(np.diff(project(transform, pair), axis=0)))


def _to_full(transform: np.ndarray, scale: float) -> np.ndarray:
    """A page mm → small-px transform as page mm → full-px (pixel centres at integers)."""
    back = np.array([[1.0 / scale, 0.0, 0.5 / scale - 0.5], [0.0, 1.0 / scale, 0.5 / scale - 0.5], [0, 0, 1.0]])
    full = back @ transform
    return full / full[2, 2]


def to_small(transform: np.ndarray, scale: float) -> np.ndarray:
    """A page mm → full-px transform as page mm → small-px (the inverse of :func:`_to_full`)."""
    forward = np.array([[scale, 0.0, 0.5 * scale - 0.5], [0.0, scale, 0.5 * scale - 0.5], [0.0, 0.0, 1.0]])
    small = forward @ transform
    return small / small[2, 2]
