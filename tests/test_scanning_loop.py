"""The shared scan loop (``common.scanning.loop``): image first, read, page check → rescan request,
result, acknowledge; never twice; after a ``kill -9`` at either crash point it resumes where it
stopped — each page's result stored exactly once and its image kept once.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from common.omr.synth import group_answers
from common.scanning.simulated import SimulatedScanner, SimulatedSheet
from forms.registry import get_layout

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = '''
import sqlite3, sys
from pathlib import Path
from forms.registry import get_layout
from common.scanning.loop import run_scan_loop
from common.scanning.watched_folder import WatchedFolder

folder, database, scans = (Path(arg) for arg in sys.argv[1:4])

class Sink:
    def __init__(self):
        self.db = sqlite3.connect(database, isolation_level=None)
        self.db.execute("CREATE TABLE IF NOT EXISTS results (page_id TEXT, image TEXT, rescan INTEGER, ikt TEXT)")

    def done(self, page_id):
        return self.db.execute("SELECT 1 FROM results WHERE page_id = ?", (page_id,)).fetchone() is not None

    def keep(self, page, image, result, rescan):
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute("INSERT INTO results VALUES (?, ?, ?, ?)",
                            (page.page_id, image.name, int(rescan), result.groups.get("ikt")))
        return result.groups.get("ikt")

driver = WatchedFolder(folder, settle_seconds=0, poll_seconds=0.05, idle_timeout=0.5)
summary = run_scan_loop(driver, get_layout("application"), Sink(), scans)
print(" ".join(event.outcome for event in summary.events))
'''


def sheet(ikt: str) -> SimulatedSheet:
    layout = get_layout("application")
    return SimulatedSheet(answers={**group_answers(layout, "ikt", ikt), **group_answers(layout, "surname", "АБАЙ")})


def run(tmp: Path, crash_at: str | None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("ENT_CRASH_AT", None)
    if crash_at:
        env["ENT_CRASH_AT"] = crash_at
    script = tmp / "loop.py"
    script.write_text(SCRIPT, encoding="utf-8")
    return subprocess.run([sys.executable, str(script), str(tmp / "in"), str(tmp / "results.sqlite"),
                           str(tmp / "scans")], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)


def stored(tmp: Path) -> list[tuple[str, str, int, str]]:
    with sqlite3.connect(tmp / "results.sqlite") as db:
        return list(db.execute("SELECT page_id, image, rescan, ikt FROM results ORDER BY rowid"))


def test_the_loop_resumes_after_kill_9_and_takes_no_page_twice(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    ikts = ["100000001", "100000002", "100000003"]
    SimulatedScanner(get_layout("application"), [sheet(ikt) for ikt in ikts], seed=3).export(tmp_path / "in")

    crashed = run(tmp_path, "scan.result_kept")  # page 1 stored, not acknowledged
    assert crashed.returncode == 137, crashed.stderr
    assert [row[3] for row in stored(tmp_path)] == ["100000001"]

    crashed = run(tmp_path, "scan.image_kept")  # page 1 only acknowledged; page 2's image kept, no result
    assert crashed.returncode == 137, crashed.stderr
    assert [row[3] for row in stored(tmp_path)] == ["100000001"]
    assert len(list((tmp_path / "scans").glob("*.png"))) == 2

    finished = run(tmp_path, None)
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.split() == ["stored", "stored"]  # pages 2 and 3; page 1 never came again
    rows = stored(tmp_path)
    assert [row[3] for row in rows] == ikts
    assert len({row[0] for row in rows}) == 3 and not any(row[2] for row in rows)
    assert sorted(path.name for path in (tmp_path / "scans").glob("*.png")) == sorted(row[1] for row in rows)

    again = run(tmp_path, None)  # everything acknowledged: nothing comes again
    assert again.returncode == 0 and again.stdout.split() == []
    assert len(stored(tmp_path)) == 3


def test_a_page_that_fails_the_page_check_is_a_rescan_request(tmp_path: Path) -> None:
    from common.scanning.loop import run_scan_loop

    layout = get_layout("application")
    kept: list[tuple[str, bool]] = []

    class Sink:
        def done(self, page_id: str) -> bool:
            return any(page_id == seen for seen, _rescan in kept)

        def keep(self, page, image, result, rescan):  # type: ignore[no-untyped-def]
            kept.append((page.page_id, rescan))
            return None

    events = []
    scanner = SimulatedScanner(layout, [sheet("100000001")], dpi=100, seed=1)  # below the resolution limit
    summary = run_scan_loop(scanner, layout, Sink(), tmp_path / "scans", on_page=events.append)
    assert [event.outcome for event in summary.events] == ["rescan"]
    assert "resolution" in summary.events[0].reasons
    assert kept == [(events[0].page_id, True)]
    assert events[0].image is not None and events[0].image.exists()  # the bad page's image is kept too


def test_a_capture_folder_file_is_kept_as_the_scanner_wrote_it(tmp_path: Path) -> None:
    """The kept image is the scanner's own file, byte for byte (PNG or JPEG), not a re-encoding."""
    from common.scanning.loop import run_scan_loop
    from common.scanning.watched_folder import WatchedFolder

    layout = get_layout("application")
    (tmp_path / "in").mkdir()
    scanner = SimulatedScanner(layout, [sheet("100000001")], seed=4)
    [png] = scanner.export(tmp_path / "in")
    [jpeg] = SimulatedScanner(layout, [sheet("100000002")], seed=5).export(tmp_path / "in", jpeg_quality=90,
                                                                            prefix="photo")
    kept: list[tuple[str, bool]] = []

    class Sink:
        def done(self, page_id: str) -> bool:
            return False

        def keep(self, page, image, result, rescan):  # type: ignore[no-untyped-def]
            kept.append((result.groups.get("ikt"), rescan))
            return None

    driver = WatchedFolder(tmp_path / "in", settle_seconds=0, poll_seconds=0.02, idle_timeout=0.3)
    summary = run_scan_loop(driver, layout, Sink(), tmp_path / "scans")

    assert sorted(kept) == [("100000001", False), ("100000002", False)]
    images = {event.source.split("#")[0]: event.image for event in summary.events}
    assert images[png.name] is not None and images[png.name].suffix == ".png"
    assert images[png.name].read_bytes() == png.read_bytes()
    assert images[jpeg.name] is not None and images[jpeg.name].suffix == ".jpg"
    assert images[jpeg.name].read_bytes() == jpeg.read_bytes()


def _capture_page(tmp_path: Path, ikt: str = "100000001", seed: int = 6):  # type: ignore[no-untyped-def]
    """One page of a capture folder as the watched folder delivers it (with its file as origin)."""
    from common.scanning.watched_folder import WatchedFolder

    (tmp_path / "in").mkdir(exist_ok=True)
    [capture] = SimulatedScanner(get_layout("application"), [sheet(ikt)], seed=seed).export(tmp_path / "in")
    driver = WatchedFolder(tmp_path / "in", settle_seconds=0, poll_seconds=0.02, idle_timeout=0.2)
    [page] = list(driver.acquire())
    return capture, page


@pytest.mark.skipif(os.name != "posix", reason="kept images are linked on POSIX only (common/scanning/README.md)")
def test_a_capture_file_is_kept_by_a_hard_link_read_only_and_survives_its_deletion_and_replacement(
    tmp_path: Path,
) -> None:
    """No second copy of 3 MB: the kept image is the capture file itself (same inode), read-only so
    an in-place overwrite is refused; the capture software deleting or replacing its file (a new
    file under the same name) leaves the kept image as it was."""
    from common.scanning.loop import keep_image

    capture, page = _capture_page(tmp_path)
    original = capture.read_bytes()
    kept = keep_image(tmp_path / "scans", page)

    assert kept.read_bytes() == original
    assert os.path.samefile(kept, capture) and kept.stat().st_nlink == 2
    assert not kept.stat().st_mode & 0o222  # nobody may write into it in place
    assert keep_image(tmp_path / "scans", page) == kept  # a second attempt finds it there

    replacement = capture.with_name("new.png")
    replacement.write_bytes(b"another scan")
    os.replace(replacement, capture)  # the capture software writes a new file under the old name
    assert kept.read_bytes() == original
    capture.unlink()
    assert kept.read_bytes() == original and kept.stat().st_nlink == 1


def test_a_capture_file_on_another_file_system_or_refused_a_link_is_copied(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import errno

    from common.scanning import loop

    capture, page = _capture_page(tmp_path)
    for number in (errno.EXDEV, errno.EPERM):
        def refuse(source, target, number=number):  # type: ignore[no-untyped-def]
            raise OSError(number, os.strerror(number))

        monkeypatch.setattr(loop.os, "link", refuse)
        scans = tmp_path / f"scans{number}"
        kept = loop.keep_image(scans, page)
        assert kept.read_bytes() == capture.read_bytes()
        assert not os.path.samefile(kept, capture) and capture.stat().st_nlink == 1
        assert not kept.stat().st_mode & 0o222 or os.name != "posix"
        assert [path.name for path in scans.iterdir()] == [kept.name]  # no temporary left behind


def test_a_capture_file_changed_since_it_was_read_is_not_linked_the_bytes_read_are_kept(tmp_path: Path) -> None:
    """The page's id is the hash of the bytes that were read: a file rewritten in place after that
    is not what was read, so those bytes are written instead of linking the new content."""
    from common.scanning.loop import keep_image

    capture, page = _capture_page(tmp_path)
    original = capture.read_bytes()
    capture.write_bytes(original + b"\0")  # rewritten in place, in the same moment as the read
    kept = keep_image(tmp_path / "scans", page)
    assert kept.read_bytes() == original
    assert not os.path.samefile(kept, capture)
