"""What scanning does to a page, with every parameter drawn from a seeded generator.

:func:`damage` takes a clean page image (grey ``uint8``, as :func:`forms.render.render_page_image`
or :func:`common.omr.synth.fill_page` make it) and returns the "scan" and the true 3×3 transform
from the page image's pixels to the scan's pixels, so a test knows where every bubble went.

In the order a scanner does it: the sheet lies rotated (up to ±10°, sometimes upside down), shifted,
scaled 95–105 % and slightly out of plane (perspective) on a capture area larger than the page, over
a white or dark backing; dust lands on it; the optics blur; the lamp lights it unevenly (a gradient
and a vignette); the sensor adds noise and compresses the contrast; the file is saved as JPEG at
quality down to 50, sometimes in colour.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import cv2
import numpy as np

MM_PER_INCH = 25.4
Range = tuple[float, float]


@dataclass(frozen=True)
class Profile:
    """The ranges damage parameters are drawn from (uniformly, unless said otherwise).

    Lengths are in mm and blur in px at 200 dpi, so one profile fits any resolution.
    ``*_rate`` fields are probabilities that the damage happens at all.
    """

    rotation_deg: float = 10.0
    upside_down_rate: float = 0.15
    scale: Range = (0.95, 1.05)
    perspective_mm: float = 1.5
    margin_mm: Range = (-2.0, 15.0)
    dark_backing_rate: float = 0.35
    dust_per_dm2: Range = (0.0, 25.0)
    pixel_speckle: Range = (0.0, 0.0008)
    blur_px: Range = (0.0, 1.2)
    lamp_gradient: Range = (0.0, 0.22)
    vignette: Range = (0.0, 0.18)
    paper_level: Range = (215.0, 255.0)
    black_level: Range = (0.0, 60.0)
    noise_sigma: Range = (0.0, 5.0)
    jpeg_rate: float = 0.6
    jpeg_quality: Range = (50.0, 95.0)
    colour_rate: float = 0.1

    @classmethod
    def none(cls) -> Profile:
        """No damage at all: the scan is the page itself."""
        return cls(
            rotation_deg=0.0,
            upside_down_rate=0.0,
            scale=(1.0, 1.0),
            perspective_mm=0.0,
            margin_mm=(0.0, 0.0),
            dark_backing_rate=0.0,
            dust_per_dm2=(0.0, 0.0),
            pixel_speckle=(0.0, 0.0),
            blur_px=(0.0, 0.0),
            lamp_gradient=(0.0, 0.0),
            vignette=(0.0, 0.0),
            paper_level=(255.0, 255.0),
            black_level=(0.0, 0.0),
            noise_sigma=(0.0, 0.0),
            jpeg_rate=0.0,
            colour_rate=0.0,
        )

    @classmethod
    def production(cls) -> Profile:
        """What a maintained document scanner typically gives: small skew, light noise."""
        return replace(
            cls(),
            rotation_deg=3.0,
            upside_down_rate=0.05,
            scale=(0.98, 1.02),
            perspective_mm=0.5,
            margin_mm=(0.0, 6.0),
            blur_px=(0.0, 0.7),
            lamp_gradient=(0.0, 0.08),
            vignette=(0.0, 0.06),
            paper_level=(230.0, 255.0),
            black_level=(0.0, 35.0),
            noise_sigma=(0.0, 3.0),
            jpeg_quality=(75.0, 95.0),
        )

    @classmethod
    def harsh(cls) -> Profile:
        """The whole range the reader must survive (issue 4): the default ranges."""
        return cls()


@dataclass(frozen=True)
class DamageRecord:
    """The parameters drawn for one page, and the true transform (page pixels → scan pixels)."""

    transform: np.ndarray
    rotation_deg: float
    upside_down: bool
    scale: float
    dark_backing: bool
    blur_px: float
    lamp_gradient: float
    vignette: float
    paper_level: float
    black_level: float
    noise_sigma: float
    jpeg_quality: int | None
    colour: bool
    dust: int
    extras: dict[str, float] = field(default_factory=dict)
    jpeg_bytes: bytes | None = field(default=None, repr=False, compare=False)
    """The JPEG file exactly as the scanner wrote it (when the scan was saved as JPEG)."""

    def page_mm_transform(self, dpi: float) -> np.ndarray:
        """The true transform from page millimetres to scan pixels (READER.md's ``transform``), for a
        page image rendered at ``dpi`` (pixel centres at half-pixel positions, as OpenCV takes them)."""
        px_per_mm = dpi / MM_PER_INCH
        to_pixels = np.array([[px_per_mm, 0.0, -0.5], [0.0, px_per_mm, -0.5], [0.0, 0.0, 1.0]])
        return np.asarray(self.transform @ to_pixels)

    @property
    def orientation(self) -> int:
        """0 or 180: how far the page is turned in the scan (READER.md's ``orientation``)."""
        return 180 if self.upside_down else 0

    def describe(self) -> str:
        """One line for a findings report: which damage this page got."""
        parts = [
            f"rot {self.rotation_deg:+.1f}°" + (" upside-down" if self.upside_down else ""),
            f"scale {self.scale:.3f}",
            "dark backing" if self.dark_backing else "white backing",
            f"blur {self.blur_px:.2f}px",
            f"lamp {self.lamp_gradient:.2f}/vignette {self.vignette:.2f}",
            f"levels {self.black_level:.0f}–{self.paper_level:.0f}",
            f"noise {self.noise_sigma:.1f}",
            f"dust {self.dust}",
            f"jpeg q{self.jpeg_quality}" if self.jpeg_quality else "lossless",
        ]
        if self.colour:
            parts.append("colour")
        return ", ".join(parts)


def damage(
    image: np.ndarray, rng: np.random.Generator, profile: Profile, *, dpi: float = 200.0
) -> tuple[np.ndarray, np.ndarray]:
    """``(scan, transform)``: the damaged image and the 3×3 page-pixel → scan-pixel matrix."""
    scan, record = damage_with_record(image, rng, profile, dpi=dpi)
    return scan, record.transform


def damage_with_record(
    image: np.ndarray, rng: np.random.Generator, profile: Profile, *, dpi: float = 200.0
) -> tuple[np.ndarray, DamageRecord]:
    """Like :func:`damage`, with every drawn parameter recorded."""
    if image.ndim != 2 or image.dtype != np.uint8:
        raise ValueError("damage expects a grey uint8 page image")
    px_per_mm = dpi / MM_PER_INCH
    resolution = dpi / 200.0

    upside_down = bool(rng.random() < profile.upside_down_rate)
    rotation = float(rng.uniform(-profile.rotation_deg, profile.rotation_deg))
    scale = float(rng.uniform(*profile.scale))
    dark_backing = bool(rng.random() < profile.dark_backing_rate)
    backing = float(rng.uniform(15, 55) if dark_backing else rng.uniform(235, 255))
    transform, size = _placement(
        image.shape, rotation + (180.0 if upside_down else 0.0), scale, profile, px_per_mm, rng
    )

    scan = cv2.warpPerspective(
        image, transform, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=backing
    ).astype(np.float32)
    dust = _dust(scan, rng, profile, px_per_mm)

    blur = float(rng.uniform(*profile.blur_px)) * resolution
    if blur > 0.05:
        cv2.GaussianBlur(scan, (0, 0), blur, dst=scan)

    gradient = float(rng.uniform(*profile.lamp_gradient))
    vignette = float(rng.uniform(*profile.vignette))
    if gradient > 0 or vignette > 0:
        scan *= _lighting(scan.shape, gradient, vignette, rng)

    paper = float(rng.uniform(*profile.paper_level))
    black = float(rng.uniform(*profile.black_level))
    scan *= (paper - black) / 255.0
    scan += black

    sigma = float(rng.uniform(*profile.noise_sigma))
    if sigma > 0:
        noise = np.empty_like(scan)
        cv2.setRNGSeed(int(rng.integers(0, 2**31 - 1)))
        cv2.randn(noise, np.array([0.0]), np.array([sigma]))
        scan += noise
    speckle = float(rng.uniform(*profile.pixel_speckle))
    if speckle > 0:
        _pixel_speckle(scan, rng, speckle, black, paper)

    scan += 0.5
    out = np.clip(scan, 0, 255, out=scan).astype(np.uint8)
    colour = bool(rng.random() < profile.colour_rate)
    if colour:
        out = _tinted(out, rng)
    quality: int | None = None
    jpeg_bytes: bytes | None = None
    if rng.random() < profile.jpeg_rate:
        quality = round(float(rng.uniform(*profile.jpeg_quality)))
        out, jpeg_bytes = _jpeg(out, quality)

    record = DamageRecord(
        transform=transform,
        rotation_deg=rotation,
        upside_down=upside_down,
        scale=scale,
        dark_backing=dark_backing,
        blur_px=blur,
        lamp_gradient=gradient,
        vignette=vignette,
        paper_level=paper,
        black_level=black,
        noise_sigma=sigma,
        jpeg_quality=quality,
        colour=colour,
        dust=dust,
        extras={"backing": backing, "pixel_speckle": speckle},
        jpeg_bytes=jpeg_bytes,
    )
    return out, record


def _placement(
    shape: tuple[int, ...],
    angle_deg: float,
    scale: float,
    profile: Profile,
    px_per_mm: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, tuple[int, int]]:
    """The page → scan homography and the scan size: the page turned, scaled, tilted, with margins."""
    height, width = shape[:2]
    corners = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float64)
    centre = np.array([width / 2, height / 2])
    angle = math.radians(angle_deg)
    rotation = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    placed = (corners - centre) @ rotation.T * scale
    tilt = profile.perspective_mm * px_per_mm
    if tilt > 0:
        placed += rng.uniform(-tilt, tilt, size=placed.shape)
    margins = rng.uniform(*profile.margin_mm, size=4) * px_per_mm  # left, top, right, bottom
    low = placed.min(axis=0) - margins[:2]
    high = placed.max(axis=0) + margins[2:]
    placed -= low
    size = (max(1, round(high[0] - low[0])), max(1, round(high[1] - low[1])))
    transform = cv2.getPerspectiveTransform(corners.astype(np.float32), placed.astype(np.float32))
    return transform, size


def _dust(scan: np.ndarray, rng: np.random.Generator, profile: Profile, px_per_mm: float) -> int:
    """Dark specks of dust and paper fibre (0.1–0.4 mm), anywhere on the capture."""
    area_dm2 = scan.shape[0] * scan.shape[1] / (px_per_mm * 100) ** 2
    count = int(rng.poisson(rng.uniform(*profile.dust_per_dm2) * area_dm2))
    for _ in range(count):
        x, y = int(rng.integers(0, scan.shape[1])), int(rng.integers(0, scan.shape[0]))
        radius = max(1, round(float(rng.uniform(0.05, 0.2)) * px_per_mm))
        level = float(rng.uniform(20, 150))
        cv2.circle(scan, (x, y), radius, level, thickness=-1, lineType=cv2.LINE_AA)
    return count


def _lighting(shape: tuple[int, ...], gradient: float, vignette: float, rng: np.random.Generator) -> np.ndarray:
    """A multiplicative light field: a linear fall-off in a random direction times a vignette.

    Smooth, so it is computed on a coarse grid and enlarged.
    """
    height, width = shape[:2]
    coarse_h, coarse_w = max(2, height // 16), max(2, width // 16)
    ys = np.linspace(-1.0, 1.0, coarse_h, dtype=np.float32)[:, None]
    xs = np.linspace(-1.0, 1.0, coarse_w, dtype=np.float32)[None, :]
    direction = float(rng.uniform(0, 2 * math.pi))
    along = (xs * math.cos(direction) + ys * math.sin(direction)) / math.sqrt(2)  # -1..1
    light = 1.0 - gradient * (along + 1.0) / 2.0
    if vignette > 0:
        light = light * (1.0 - vignette * (xs * xs + ys * ys) / 2.0)
    return cv2.resize(light.astype(np.float32), (width, height), interpolation=cv2.INTER_LINEAR)


def _pixel_speckle(scan: np.ndarray, rng: np.random.Generator, density: float, black: float, paper: float) -> None:
    """Isolated dark and light pixels (sensor defects, paper grain)."""
    count = int(scan.size * density)
    ys = rng.integers(0, scan.shape[0], size=count)
    xs = rng.integers(0, scan.shape[1], size=count)
    scan[ys, xs] = np.where(rng.random(count) < 0.5, black, paper)


def _tinted(grey: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A colour scan of the page: slightly cream paper, neutral graphite (BGR)."""
    blue, green = float(rng.uniform(0.90, 0.97)), float(rng.uniform(0.96, 1.0))
    return cv2.merge([cv2.convertScaleAbs(grey, alpha=blue), cv2.convertScaleAbs(grey, alpha=green), grey])


def _jpeg(image: np.ndarray, quality: int) -> tuple[np.ndarray, bytes]:
    ok, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise RuntimeError("JPEG encoding failed")
    flag = cv2.IMREAD_COLOR if image.ndim == 3 else cv2.IMREAD_GRAYSCALE
    decoded = cv2.imdecode(encoded, flag)
    assert decoded is not None
    return decoded, encoded.tobytes()
