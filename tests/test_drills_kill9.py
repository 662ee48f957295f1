"""Failure drills (issue 19): each workstation killed (``kill -9``, a real process) in the middle of its longest write
and restarted — nothing lost, nothing duplicated, the audit chain intact.

Two crash points bracket a write's commit: ``audit.before_commit`` (every row of the change written into the
transaction, not committed) and ``audit.after_commit`` (committed, its audit line not yet in ``audit.log``). The scan
loops (``ent-programmer scan``, ``ent-applications scan``) and a small ``ent-nct import`` are drilled already
(tests/test_programmer_room_scan.py, tests/test_applications_scanning.py, tests/test_nct_hardening.py); here:
``ent-applications distribute``, ``ent-programmer score``, ``ent-programmer statement print`` and ``ent-nct import``
of a 3 000-applicant file.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from applications_support import ok
from base_ppent_support import database
from drills_support import opened_stage
from exchange_support import Scene
from passes_support import applications_folder, open_rooms
from programmer_support import audit_entries, programmer, session_of
from sqlalchemy import func, select

from common.workstation import DataFolder

ROOT = Path(__file__).resolve().parents[1]


def run(module: str, folder: Path, *args: str, crash: str | None = None,
        password: str | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m MODULE ARGS --data-dir FOLDER`` as its own process; killed at ``crash`` when given."""
    env = {key: value for key, value in os.environ.items() if key not in ("ENT_CRASH_AT", "ENT_PASSWORD")}
    env.update({"PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"})
    if crash:
        env["ENT_CRASH_AT"] = crash
    if password:
        env["ENT_PASSWORD"] = password
    return subprocess.run([sys.executable, "-m", module, *args, "--data-dir", str(folder), "--lang", "en"],
                          env=env, capture_output=True, text=True, cwd=ROOT, timeout=300, check=False)


def killed(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 137, done.stdout + done.stderr


def chain_intact(module: str, folder: Path) -> None:
    verified = run(module, folder, "audit", "verify")
    assert verified.returncode == 0 and "chain intact" in verified.stdout, verified.stdout + verified.stderr


# --- ent-applications distribute -----------------------------------------------------------------------------


def opened_not_distributed(root: Path) -> DataFolder:
    """An applications workstation closed, its rooms opened by НЦТ (:data:`passes_support.ROOMS`), not distributed."""
    folder = applications_folder(root)
    open_rooms(folder)
    return folder


def placed(folder: DataFolder) -> list[tuple[int, int | None, int | None]]:
    from common.db.models import Application

    with database(folder) as session:
        return [tuple(row) for row in session.execute(  # type: ignore[misc]
            select(Application.id, Application.room_stream_id, Application.place).order_by(Application.id))]


def distributions(folder: DataFolder) -> list[dict[str, object]]:
    import json

    lines = folder.audit_log.read_text(encoding="utf-8").splitlines()
    return [entry for entry in map(json.loads, lines) if entry.get("action") == "applications.distribute"]


def test_a_distribution_killed_before_its_commit_leaves_nobody_placed_and_the_rerun_places_each_once(
        tmp_path: Path) -> None:
    folder = opened_not_distributed(tmp_path / "applications")
    killed(run("arm_applications", folder.root, "distribute", crash="audit.before_commit"))
    assert all(room is None and place is None for _id, room, place in placed(folder))  # nobody half placed
    chain_intact("arm_applications", folder.root)
    assert distributions(folder) == []

    killed(run("arm_applications", folder.root, "distribute", crash="audit.after_commit"))
    after_commit = placed(folder)
    assert sum(1 for _id, room, _place in after_commit if room is not None) == 9  # every live applicant, once
    chain_intact("arm_applications", folder.root)  # the committed change's line is written by the next command
    assert len(distributions(folder)) == 1

    again = run("arm_applications", folder.root, "distribute")
    assert again.returncode == 0 and "9 applicant(s) distributed" in again.stdout, again.stderr
    assert placed(folder) == after_commit  # the same rooms and places: nothing twice, nothing lost
    seats = [(room, place) for _id, room, place in after_commit if room is not None]
    assert len(set(seats)) == len(seats)
    assert len(distributions(folder)) == 2
    chain_intact("arm_applications", folder.root)


# --- ent-programmer score and statement print --------------------------------------------------------------


@pytest.fixture(scope="module")
def opened(tmp_path_factory: pytest.TempPathFactory) -> Scene:
    """Stream 1 scanned twice, identified, its answer codes opened (not scored)."""
    return opened_stage(tmp_path_factory, tmp_path_factory.mktemp("kill9") / "scene")


def counted(scene: Scene) -> dict[str, int]:
    """The programmer's score rows and the applications they belong to."""
    from common.db.score_models import SheetScoreRow

    with session_of(scene) as session:
        return {"rows": session.scalar(select(func.count()).select_from(SheetScoreRow)) or 0,
                "applications": len(set(session.scalars(select(SheetScoreRow.application_id))))}


def test_scoring_killed_before_and_after_its_commit_keeps_each_sheets_score_once(opened: Scene) -> None:
    folder = opened.folder("programmer")
    password = opened.passwords["programmer"]
    killed(run("arm_programmer", folder, "score", "--stream", "1", crash="audit.before_commit", password=password))
    before = counted(opened)
    assert before["rows"] == 0  # nothing of the half-done scoring is kept
    chain_intact("arm_programmer", folder)
    assert audit_entries(opened, "scores.stored") == []

    killed(run("arm_programmer", folder, "score", "--stream", "1", crash="audit.after_commit", password=password))
    committed = counted(opened)
    assert committed == {"rows": 2, "applications": 2}
    chain_intact("arm_programmer", folder)

    again = run("arm_programmer", folder, "score", "--stream", "1", "--json", password=password)
    assert again.returncode == 0, again.stderr
    rerun = counted(opened)
    assert rerun == committed  # replaced, not added
    assert [entry["details"]["scored"] for entry in audit_entries(opened, "scores.stored")] == [2, 2]
    chain_intact("arm_programmer", folder)


def test_a_statement_print_killed_around_its_commit_leaves_exactly_the_audited_files(opened: Scene) -> None:
    folder = opened.folder("programmer")
    password = opened.passwords["programmer"]
    ok(programmer(opened, "score", "--stream", "1"))
    printed = folder / "printed"

    def statements() -> list[str]:
        return sorted(path.name for path in printed.glob("statement*.pdf"))

    before = statements()
    killed(run("arm_programmer", folder, "statement", "print", "--stream", "1", crash="audit.before_commit",
               password=password))
    assert statements() == before  # the print was not committed: no statement without its audit entry
    assert len(list(printed.glob("*.pending"))) == 1  # what the killed print wrote, under a name no one reads
    chain_intact("arm_programmer", folder)

    killed(run("arm_programmer", folder, "statement", "print", "--stream", "1", crash="exchange.outbox.after_commit",
               password=password))  # committed, the file not yet under its name
    assert statements() == before
    done = run("arm_programmer", folder, "statement", "print", "--stream", "1", "--json", password=password)
    assert done.returncode == 0, done.stderr
    audited = [entry["target"] for entry in audit_entries(opened, "form.printed")
               if entry["target"].startswith("statement")]
    assert statements() == sorted(audited) and len(audited) == len(before) + 2  # the committed one finished
    assert list(printed.glob("*.pending")) == []  # the next print removed the killed one's leftover
    chain_intact("arm_programmer", folder)


# --- ent-nct import of a large package ------------------------------------------------------------------------


def test_a_large_applicant_file_killed_around_its_commit_at_nct_is_imported_once(
        tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    import test_nct_cli
    from test_nct_cli import PASSWORD, _nct, directories

    from nct_hub import sample_data

    monkeypatch.setenv("ENT_PASSWORD", PASSWORD)
    made = test_nct_cli.made_nct.__wrapped__(tmp_path_factory)  # type: ignore[attr-defined]
    nct = _nct(made, tmp_path / "nct", capsys)
    applicants = sample_data.sample_applicants(directories(), 3000, region_code="11")
    package = nct.seal(tmp_path, "applicants.entpkg", "applicants", applicants, 1, nct.applications)

    def stored() -> tuple[int, int]:
        with sqlite3.connect(nct.folder / "nct.sqlite") as connection:
            count, distinct = connection.execute("SELECT count(*), count(DISTINCT ikt) FROM applicants").fetchone()
        connection.close()
        return int(count), int(distinct)

    def imports() -> int:
        lines = (nct.folder / "audit.log").read_text(encoding="utf-8").splitlines()
        return sum(1 for line in lines if '"nct.import"' in line)

    killed(run("nct_hub.cli", nct.folder, "import", str(package), crash="audit.before_commit", password=PASSWORD))
    assert stored() == (0, 0) and imports() == 0  # 3 000 rows written, not committed: none kept
    assert nct.run("audit", "verify")[0] == 0
    killed(run("nct_hub.cli", nct.folder, "import", str(package), crash="audit.after_commit", password=PASSWORD))
    assert stored() == (3000, 3000)
    code, out = nct.run("audit", "verify")  # the committed import's line is written by the next command
    assert code == 0 and imports() == 1, out
    code, out = nct.run("import", str(package))
    assert code == 0 and "already taken" in out, out
    assert stored() == (3000, 3000) and imports() == 1
    assert nct.run("audit", "verify")[0] == 0


# --- ent-scanner-check print-set: a PDF and its key --------------------------------------------------------------


def test_a_control_set_print_killed_before_its_commit_leaves_neither_its_sheets_nor_its_key(tmp_path: Path) -> None:
    from arm_scanner_check.cli import build

    folder = tmp_path / "scanner-check"
    assert build().run(["init", "--data-dir", str(folder), "--lang", "en"]) == 0
    printed = folder / "printed"
    killed(run("arm_scanner_check", folder, "print-set", crash="audit.before_commit"))
    assert sorted(path.name for path in printed.iterdir() if not path.name.endswith(".pending")) == []
    killed(run("arm_scanner_check", folder, "print-set", crash="exchange.outbox.after_commit"))  # set 1 committed
    done = run("arm_scanner_check", folder, "print-set", "--json")
    assert done.returncode == 0, done.stderr
    names = sorted(path.name for path in printed.iterdir())
    assert len([name for name in names if name.endswith(".pdf")]) == 2  # sets 1 and 2, each with its key
    assert len([name for name in names if name.endswith(".key.json")]) == 2 and not any(
        name.endswith(".pending") for name in names), names
    chain_intact("arm_scanner_check", folder)
