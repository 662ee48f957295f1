"""The SANE driver against SANE's own ``test`` backend (a virtual scanner with a 10-sheet feeder).

Needs the Debian package ``libsane1`` (the backend) and ``python-sane`` (in the ``test`` extra on
Linux): CI installs both, so on Linux these tests run rather than being skipped. SANE is Linux only.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from common.scanning.driver import ScannerDriver, ScannerError
from common.scanning.sane_driver import SaneScanner, list_devices

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SANE is the Linux driver")

MM_PER_INCH = 25.4
TEST_BACKEND_FEEDER_SHEETS = 10
TEST_BACKEND_AREA_MM = (80.0, 100.0)  # its default scan area: width, height


@pytest.fixture(autouse=True)
def sane_test_backend(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Only SANE's ``test`` backend, whatever the machine's /etc/sane.d enables (PITFALLS.md)."""
    config = tmp_path / "sane.d"
    config.mkdir()
    (config / "dll.conf").write_text("test\n", encoding="ascii")
    monkeypatch.setenv("SANE_CONFIG_DIR", str(config))
    yield


def test_the_test_backend_is_listed() -> None:
    names = [device.name for device in list_devices()]
    assert "test:0" in names


def test_the_feeder_is_scanned_to_the_last_sheet_at_the_asked_resolution() -> None:
    scanner = SaneScanner("test:0", dpi=100, source="adf", options={"test-picture": "Grid"})
    assert isinstance(scanner, ScannerDriver)

    pages = list(scanner.acquire())

    assert len(pages) == TEST_BACKEND_FEEDER_SHEETS
    expected_width = round(TEST_BACKEND_AREA_MM[0] / MM_PER_INCH * 100)
    expected_height = round(TEST_BACKEND_AREA_MM[1] / MM_PER_INCH * 100)
    for page in pages:
        assert page.dpi == 100
        assert page.image.dtype == np.uint8 and page.image.ndim == 2
        assert abs(page.image.shape[1] - expected_width) <= 1
        assert abs(page.image.shape[0] - expected_height) <= 1
    assert [p.source for p in pages] == [f"sane:test:0#{n}" for n in range(1, 11)]
    assert len({p.page_id for p in pages}) == TEST_BACKEND_FEEDER_SHEETS


def test_the_grid_picture_arrives_as_black_and_white_squares_of_ten_millimetres() -> None:
    scanner = SaneScanner("test:0", dpi=254, source="flatbed", options={"test-picture": "Grid"})
    page = next(iter(scanner.acquire()))

    row = page.image[page.image.shape[0] // 2].astype(int)
    edges = np.flatnonzero(np.diff(row > 127))
    square_px = np.median(np.diff(edges))
    assert set(np.unique(page.image)) <= {0, 255}
    assert square_px == pytest.approx(10.0 / MM_PER_INCH * 254, abs=2)


def test_colour_mode_gives_three_channels() -> None:
    pages = list(SaneScanner("test:0", dpi=50, colour=True, source="flatbed").acquire())

    assert len(pages) == 1
    assert pages[0].image.ndim == 3 and pages[0].image.shape[2] == 3


def test_stop_leaves_the_rest_of_the_feeder() -> None:
    scanner = SaneScanner("test:0", dpi=50, source="adf")
    taken = []
    for page in scanner.acquire():
        taken.append(page)
        if len(taken) == 3:
            scanner.stop()

    assert len(taken) == 3


def test_an_unknown_device_or_setting_is_refused_in_words() -> None:
    with pytest.raises(ScannerError):
        list(SaneScanner("nonexistent:0").acquire())
    with pytest.raises(ScannerError):
        list(SaneScanner("test:0", options={"no-such-option": 1}).acquire())
