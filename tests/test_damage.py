"""Scan damage: seeded, within the profile's ranges, and with a true transform that is true."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from common.omr.damage import Profile, damage, damage_with_record

DPI = 100
PX_PER_MM = DPI / 25.4
SQUARE_CENTRES_MM = {"tl": (11.0, 11.0), "tr": (199.0, 11.0), "br": (199.0, 286.0), "bl": (11.0, 286.0)}


def page_with_squares() -> np.ndarray:
    """A white A4 page at 100 dpi with 7 mm black squares near the corners."""
    page = np.full((round(297 * PX_PER_MM), round(210 * PX_PER_MM)), 255, np.uint8)
    half = round(3.5 * PX_PER_MM)
    for x_mm, y_mm in SQUARE_CENTRES_MM.values():
        x, y = round(x_mm * PX_PER_MM), round(y_mm * PX_PER_MM)
        page[y - half : y + half, x - half : x + half] = 0
    return page


def to_scan(transform: np.ndarray, x_mm: float, y_mm: float) -> tuple[float, float]:
    point = transform @ np.array([x_mm * PX_PER_MM, y_mm * PX_PER_MM, 1.0])
    return point[0] / point[2], point[1] / point[2]


def grey(image: np.ndarray) -> np.ndarray:
    return image if image.ndim == 2 else image.mean(axis=2)


def test_the_same_seed_gives_the_same_scan_and_another_seed_another() -> None:
    page = page_with_squares()
    first, first_transform = damage(page, np.random.default_rng(7), Profile.harsh(), dpi=DPI)
    again, again_transform = damage(page, np.random.default_rng(7), Profile.harsh(), dpi=DPI)
    other, _ = damage(page, np.random.default_rng(8), Profile.harsh(), dpi=DPI)

    assert np.array_equal(first, again) and np.array_equal(first_transform, again_transform)
    assert first.shape != other.shape or not np.array_equal(first, other)


def test_no_damage_is_the_page_itself() -> None:
    page = page_with_squares()
    scan, transform = damage(page, np.random.default_rng(1), Profile.none(), dpi=DPI)

    assert np.array_equal(scan, page)
    assert np.allclose(transform, np.eye(3), atol=1e-9)


@pytest.mark.parametrize("seed", range(12))
def test_the_true_transform_puts_every_corner_square_where_the_scan_shows_it(seed: int) -> None:
    page = page_with_squares()
    profile = replace(Profile.harsh(), upside_down_rate=0.5)
    scan, record = damage_with_record(page, np.random.default_rng(seed), profile, dpi=DPI)
    image = grey(scan)

    for x_mm, y_mm in SQUARE_CENTRES_MM.values():
        x, y = to_scan(record.transform, x_mm, y_mm)
        assert 0 <= x < image.shape[1] and 0 <= y < image.shape[0], "the whole page is captured"
        window = image[round(y) - 2 : round(y) + 3, round(x) - 2 : round(x) + 3]
        assert window.mean() < record.black_level + 90, record.describe()
        beside = image[round(y) - 1 : round(y) + 2, round(x + 6 * PX_PER_MM) - 1 : round(x + 6 * PX_PER_MM) + 2]
        assert beside.mean() > window.mean() + 60 or record.dark_backing


def test_upside_down_pages_are_turned_half_round() -> None:
    page = page_with_squares()
    profile = replace(Profile.harsh(), upside_down_rate=1.0)
    scan, record = damage_with_record(page, np.random.default_rng(3), profile, dpi=DPI)

    top_left_x, top_left_y = to_scan(record.transform, *SQUARE_CENTRES_MM["tl"])
    assert record.orientation == 180
    assert top_left_x > scan.shape[1] / 2 and top_left_y > scan.shape[0] / 2


def test_drawn_parameters_stay_within_the_profile() -> None:
    page = page_with_squares()
    profile = Profile.harsh()
    rng = np.random.default_rng(11)
    records = [damage_with_record(page, rng, profile, dpi=DPI)[1] for _ in range(40)]

    assert all(abs(r.rotation_deg) <= profile.rotation_deg for r in records)
    assert all(profile.scale[0] <= r.scale <= profile.scale[1] for r in records)
    assert all(r.jpeg_quality is None or r.jpeg_quality >= 50 for r in records)
    assert all(profile.paper_level[0] <= r.paper_level <= profile.paper_level[1] for r in records)
    assert max(abs(r.rotation_deg) for r in records) > 7, "the range is used, not only its middle"
    assert any(r.jpeg_quality is not None and r.jpeg_quality < 60 for r in records)
    assert any(r.dark_backing for r in records) and any(not r.dark_backing for r in records)
    assert any(r.upside_down for r in records)


def test_colour_scans_come_as_three_channels_and_jpeg_loses_detail() -> None:
    page = page_with_squares()
    colour = replace(Profile.none(), colour_rate=1.0)
    scan, record = damage_with_record(page, np.random.default_rng(2), colour, dpi=DPI)
    assert record.colour and scan.ndim == 3 and scan.shape[2] == 3

    noisy = replace(Profile.none(), noise_sigma=(4.0, 4.0), jpeg_rate=1.0, jpeg_quality=(50.0, 50.0))
    lossy, record = damage_with_record(page, np.random.default_rng(2), noisy, dpi=DPI)
    assert record.jpeg_quality == 50
    assert 0 < np.abs(lossy.astype(int) - page).mean() < 10


def test_low_contrast_and_uneven_light_darken_the_paper_but_keep_the_marks_darker() -> None:
    page = page_with_squares()
    dim = replace(
        Profile.none(),
        paper_level=(215.0, 215.0),
        black_level=(60.0, 60.0),
        lamp_gradient=(0.22, 0.22),
        vignette=(0.18, 0.18),
    )
    scan, _record = damage_with_record(page, np.random.default_rng(4), dim, dpi=DPI)

    paper = scan[page == 255]
    ink = scan[page == 0]
    assert paper.max() <= 216 and paper.min() < 185, "the light falls off across the page"
    assert ink.max() < paper.min()


def test_the_millimetre_transform_agrees_with_the_reader_on_a_real_form() -> None:
    from common.omr.reader import read_page
    from forms.registry import get_layout
    from forms.render import render_page_image

    layout = get_layout("answer-sheet")
    page = render_page_image(layout, 150, number="0012345")
    scan, record = damage_with_record(page, np.random.default_rng(21), Profile.harsh(), dpi=150)
    result = read_page(scan, layout)
    assert result.transform is not None

    truth, read = record.page_mm_transform(150), np.array(result.transform)
    for x_mm, y_mm in ((20.0, 30.0), (190.0, 280.0), (105.0, 148.5)):
        expected = truth @ (x_mm, y_mm, 1.0)
        found = read @ (x_mm, y_mm, 1.0)
        assert np.hypot(*(expected[:2] / expected[2] - found[:2] / found[2])) < 1.5  # pixels at 150 dpi
