"""Issue 11: ``ent-applications scan --scanner NAME`` — a school's pages straight from a SANE scanner,
here SANE's own ``test`` backend (a virtual scanner whose feeder holds 10 sheets of a test picture,
none of them a form). Needs ``libsane1`` and ``python-sane``, as tests/test_scanning_sane.py.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from applications_support import applications, ok, planned_scene, schools_by_expected
from exchange_support import Scene

from common.scanning.sane_driver import SaneScanner

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SANE is the Linux driver")

FEEDER_SHEETS = 10


@pytest.fixture(autouse=True)
def sane_test_backend(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Only SANE's ``test`` backend, whatever the machine's /etc/sane.d enables (PITFALLS.md)."""
    config = tmp_path / "sane.d"
    config.mkdir()
    (config / "dll.conf").write_text("test\n", encoding="ascii")
    monkeypatch.setenv("SANE_CONFIG_DIR", str(config))
    yield


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Scene:
    scene = planned_scene(tmp_path_factory)
    ok(applications(scene, "journals", "print", "--school", schools_by_expected(scene)[12]))
    return scene


def test_pages_from_the_scanner_are_kept_acknowledged_and_a_non_form_asked_again(
        scene: Scene, monkeypatch: pytest.MonkeyPatch) -> None:
    school = schools_by_expected(scene)[12]
    acknowledged: list[str] = []
    monkeypatch.setattr(SaneScanner, "acknowledge", lambda self, page_id: acknowledged.append(page_id))

    first = applications(scene, "scan", "--school", school, "--scanner", "test:0", "--json")

    assert first.code == 0, first.err
    data = first.json()
    assert data["pages"] == FEEDER_SHEETS  # the whole feeder arrived
    assert data["counts"] == {"rescan": FEEDER_SHEETS}  # each kept, as a page to scan again
    assert all(event["outcome"] == "rescan" and event["reasons"] for event in data["events"])
    assert len(acknowledged) == len(set(acknowledged)) == FEEDER_SHEETS  # each told to the driver once it was kept
    kept = [path for path in (scene.folder("applications") / "scans").iterdir() if path.is_file()]
    assert len(kept) == FEEDER_SHEETS  # every page's image is kept
    assert ok(applications(scene, "applications", "list", "--school", school, "--json")).json() == []

    again = ok(applications(scene, "scan", "--school", school, "--scanner", "test:0", "--json")).json()
    assert again["counts"] == {"rescan": FEEDER_SHEETS}  # the same pages again: nothing stored twice
    assert [event["outcome"] for event in again["events"]] == ["already"] * FEEDER_SHEETS
    said = ok(applications(scene, "scan", "--school", school, "--scanner", "test:0")).out
    assert f"{FEEDER_SHEETS} to scan again" in said


def test_an_unknown_scanner_is_refused_in_one_line(scene: Scene) -> None:
    refused = applications(scene, "scan", "--school", schools_by_expected(scene)[12], "--scanner", "nonexistent:0")
    assert refused.code == 1
    assert "nonexistent:0" in refused.err and len(refused.err.strip().splitlines()) == 1
