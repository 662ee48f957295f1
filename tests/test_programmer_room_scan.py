"""``ent-programmer scan --room R --pass 1|2``, ``passes diff/resolve``, ``sheets exclude`` (п. 156.1, прил. 35):
each room's envelope through the scan loop twice, the passes compared bubble by bubble, the decisions and the
sheets not scanned audited; what identification reads (``arm_programmer.sheets.read_sheets``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from applications_support import ok
from exchange_support import Scene
from programmer_support import audit_entries, programmer, session_of, variants_taken_scene

from arm_programmer.room_simulation import room_envelope, scanner, with_changed_mark
from arm_programmer.sheets import DIFFERS, ONE_PASS, RESCAN, not_scanned, read_sheets
from common.i18n import set_language
from common.scanning.simulated import SimulatedSheet


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Scene:
    """Handed over, closed, the variants file of stream 1 taken; not drawn."""
    scene, code = variants_taken_scene(tmp_path_factory)
    (scene.root / "draw-code").write_text(code, encoding="utf-8")
    return scene


@pytest.fixture(scope="module")
def drawn(base: Scene, tmp_path_factory: pytest.TempPathFactory) -> Scene:
    scene = base.copy(tmp_path_factory.mktemp("drawn") / "scene")
    ok(programmer(scene, "draw", "--stream", "1", ENT_CODE=(scene.root / "draw-code").read_text(encoding="utf-8")))
    return scene


@pytest.fixture
def scene(drawn: Scene, tmp_path: Path) -> Scene:
    return drawn.copy(tmp_path / "scene")


def export(scene: Scene, sheets: list[SimulatedSheet], pass_number: int, name: str) -> Path:
    with session_of(scene) as session:
        layout, _sheets = room_envelope(session, 1, "01")
    folder = scene.out / name
    folder.mkdir()
    scanner(layout, sheets, pass_number=pass_number).export(folder)
    return folder


def scan(scene: Scene, folder: Path, pass_number: int, room: str = "01") -> dict[str, object]:
    return dict(ok(programmer(scene, "scan", "--room", room, "--pass", str(pass_number), "--from", str(folder),
                              "--settle", "0", "--idle", "0.3", "--json")).json())


def test_scanning_waits_for_the_draw(base: Scene, tmp_path: Path) -> None:
    scene = base.copy(tmp_path / "scene")
    folder = tmp_path / "pages"
    folder.mkdir()
    early = programmer(scene, "scan", "--room", "01", "--pass", "1", "--stream", "1", "--from", str(folder),
                       "--idle", "0.1")
    assert early.code == 1 and "not been drawn" in early.err and early.err.count("\n") == 1


def test_two_passes_are_stored_compared_and_a_difference_resolved(scene: Scene) -> None:
    with session_of(scene) as session:
        _layout, sheets = room_envelope(session, 1, "01", blanks=2)
    assert len(sheets) == 3  # one seated applicant, two sheets left blank
    first = scan(scene, export(scene, sheets, 1, "pass1"), 1)
    assert first["stored"] == len(sheets) and first["rescan"] == 0
    changed_field = "history_kz.q03"
    old = sheets[0].answers[changed_field]
    new = "A" if old != "A" else "B"
    second_sheets = [with_changed_mark(sheets[0], changed_field, new), *sheets[1:-1]]  # the blank one not fed
    second = scan(scene, export(scene, second_sheets, 2, "pass2"), 2)
    assert second["stored"] == len(second_sheets)

    diff = ok(programmer(scene, "passes", "diff", "--room", "01", "--json")).json()["differences"]
    kinds = {(item["sheet_number"], item["kind"], item["bubble"]) for item in diff}
    number0, blank = sheets[0].number, sheets[-1].number
    assert (number0, "decision", f"{changed_field}.{old}") in kinds
    assert (number0, "decision", f"{changed_field}.{new}") in kinds
    assert (blank, ONE_PASS, None) in kinds
    assert all(item["sheet_number"] in (number0, blank) for item in diff), diff  # nothing else read differently
    side = next(item for item in diff if item["bubble"] == f"{changed_field}.{old}")
    assert float(side["pass1"]) >= 0.5 > float(side["pass2"])

    with session_of(scene) as session:
        read = {sheet.sheet_number: sheet for sheet in read_sheets(session, 1, "01")}
    assert DIFFERS in read[number0].flags and ONE_PASS in read[blank].flags
    assert read[number0].fields[changed_field] == old  # pass 1's reading until decided
    assert read[sheets[1].number].flags == () and read[sheets[1].number].fields["ikt"] == ""
    ikt = "".join(sheets[0].answers[f"ikt.c{i:02d}"] for i in range(1, 10))
    assert read[number0].fields["ikt"] == ikt and read[number0].fields["room"] == "01"
    data = scene.folder("programmer")
    assert read[number0].image_pass1 and read[number0].image_pass2
    images = [data / read[number0].image_pass1, data / read[number0].image_pass2]
    assert images[0] != images[1] and all(path.is_file() for path in images)
    if os.name == "posix":
        assert all(not path.stat().st_mode & 0o222 for path in images)  # kept read-only, for root too

    ok(programmer(scene, "passes", "resolve", "--room", "01", "--sheet", str(number0), "--field", changed_field,
                  "--value", new))
    with session_of(scene) as session:
        after = {sheet.sheet_number: sheet for sheet in read_sheets(session, 1, "01")}
    assert DIFFERS not in after[number0].flags and after[number0].fields[changed_field] == new
    resolved = audit_entries(scene, "sheet.resolved")
    assert len(resolved) == 1 and resolved[0]["details"]["field"] == changed_field
    unknown = programmer(scene, "passes", "resolve", "--room", "01", "--sheet", str(number0), "--field", "nope",
                         "--value", "A")
    assert unknown.code == 1 and "no field nope" in unknown.err

    again = scan(scene, export(scene, sheets, 1, "pass1-again"), 1)  # the same pages fed again
    assert again["stored"] == 0
    with session_of(scene) as session:
        assert len(read_sheets(session, 1, "01")) == len(sheets)


def test_a_sheet_not_scanned_is_recorded_with_its_reason_and_act(scene: Scene) -> None:
    ok(programmer(scene, "sheets", "exclude", "--room", "01", "--sheet", "0000123", "--reason", "removed", "--act",
                  "Акт №3"))
    twice = programmer(scene, "sheets", "exclude", "--room", "01", "--sheet", "0000123", "--reason", "late",
                       "--act", "4")
    assert twice.code == 1 and "already recorded" in twice.err
    with session_of(scene) as session:
        items = not_scanned(session, 1)
    assert [(item.room_number, item.sheet_number, item.reason, item.act) for item in items] == [
        ("01", "0000123", "removed", "Акт №3")]
    listed = ok(programmer(scene, "sheets", "excluded", "--json")).json()
    assert listed[0]["reason"] == "removed"
    entries = audit_entries(scene, "sheet.excluded")
    assert len(entries) == 1 and entries[0]["details"]["act"] == "Акт №3"

    with session_of(scene) as session:
        _layout, sheets = room_envelope(session, 1, "01", blanks=1)
    ok(programmer(scene, "sheets", "exclude", "--room", "01", "--sheet", str(sheets[1].number), "--reason", "spoiled",
                  "--act", "5"))
    scan(scene, export(scene, sheets[1:], 1, "pass1"), 1)  # put through the scanner all the same
    with session_of(scene) as session:
        [read] = read_sheets(session, 1, "01")
    assert "excluded" in read.flags


def test_a_scanner_not_proven_fit_may_not_scan(scene: Scene, tmp_path: Path) -> None:
    from exchange_support import run_cli

    from arm_scanner_check.cli import build

    checks = tmp_path / "scanner-check"
    assert run_cli(build(), ["init", "--data-dir", str(checks)]).code == 0
    folder = tmp_path / "pages"
    folder.mkdir()
    refused = programmer(scene, "scan", "--room", "01", "--pass", "1", "--from", str(folder), "--idle", "0.1",
                         "--checks", str(checks), "--model", "Canon DR-G2140")
    assert refused.code == 1 and "has not been checked" in refused.err and refused.err.count("\n") == 1
    unnamed = programmer(scene, "scan", "--room", "01", "--pass", "1", "--from", str(folder), "--idle", "0.1",
                         "--model", "Canon DR-G2140")
    assert unnamed.code == 1 and "--checks" in unnamed.err
    assert audit_entries(scene, "scan.room") == []


def _scan_process(scene: Scene, folder: Path, crash_at: str | None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ENT_PASSWORD": scene.passwords["programmer"], "QT_QPA_PLATFORM": "offscreen"}
    env.pop("ENT_CRASH_AT", None)
    if crash_at:
        env["ENT_CRASH_AT"] = crash_at
    return subprocess.run([sys.executable, "-m", "arm_programmer", "scan", "--room", "01", "--pass", "1", "--from",
                           str(folder), "--settle", "0", "--idle", "0.3", "--json", "--lang", "en", "--data-dir",
                           str(scene.folder("programmer"))], env=env, capture_output=True, text=True, timeout=300,
                          check=False)


def test_a_room_killed_mid_scan_resumes_where_it_stopped(scene: Scene) -> None:
    from common.db.answer_models import SheetScan

    with session_of(scene) as session:
        _layout, sheets = room_envelope(session, 1, "01", blanks=3)
    folder = export(scene, sheets, 1, "pass1")
    first = _scan_process(scene, folder, "scan.result_kept")  # page 1 stored, the folder not told
    assert first.returncode == 137, first.stderr
    second = _scan_process(scene, folder, "scan.image_kept")  # page 1 only acknowledged; page 2's image, no result
    assert second.returncode == 137, second.stderr
    with session_of(scene) as session:
        assert session.query(SheetScan).count() == 1
    last = _scan_process(scene, folder, None)
    assert last.returncode == 0, last.stderr
    assert [event["outcome"] for event in json.loads(last.stdout)["events"]] == ["stored"] * 3  # pages 2–4
    with session_of(scene) as session:
        read = read_sheets(session, 1, "01")
        scans = session.query(SheetScan).all()
    assert [sheet.sheet_number for sheet in read] == [sheet.number for sheet in sheets]  # in order, each once
    assert len(scans) == len(sheets) and len({scan.page_id for scan in scans}) == len(sheets)
    kept = sorted((scene.folder("programmer") / "scans").iterdir())
    assert len(kept) == len(sheets)  # page 2's image, kept before the kill, is the one its result names
    assert "chain intact" in ok(programmer(scene, "audit", "verify")).out  # issue 19's drills


def test_a_page_failing_the_page_check_asks_for_a_rescan_and_the_rescan_counts(scene: Scene) -> None:
    from common.scanning.simulated import SimulatedScanner

    with session_of(scene) as session:
        layout, sheets = room_envelope(session, 1, "01")
    folder = scene.out / "low"
    folder.mkdir()
    SimulatedScanner(layout, sheets[:1], dpi=100, natural=False).export(folder)  # under the page check's resolution
    low = scan(scene, folder, 1)
    assert low["rescan"] == 1 and low["stored"] == 0 and low["events"][0]["reasons"]  # type: ignore[index]
    with session_of(scene) as session:
        assert RESCAN in read_sheets(session, 1, "01")[0].flags
    scan(scene, export(scene, sheets[:1], 1, "again"), 1)
    with session_of(scene) as session:
        read = read_sheets(session, 1, "01")
    assert len(read) == 1 and read[0].flags == (ONE_PASS,) and read[0].image_pass1


def test_a_fill_beyond_the_readers_error_and_a_number_read_differently_are_listed_side_by_side(scene: Scene) -> None:
    from dataclasses import replace

    from common.omr.synth import MarkSpec

    with session_of(scene) as session:
        _layout, sheets = room_envelope(session, 1, "01", blanks=2)
    marked = f"history_kz.q05.{sheets[0].answers['history_kz.q05']}"
    faint = replace(sheets[0], marks={marked: MarkSpec(0.64)})  # still marked, but far lighter than in pass 1
    renumbered = replace(sheets[2], number="0009999")  # the same place in the envelope, another number read
    scan(scene, export(scene, sheets, 1, "pass1"), 1)
    scan(scene, export(scene, [faint, sheets[1], renumbered], 2, "pass2"), 2)
    diff = ok(programmer(scene, "passes", "diff", "--room", "01", "--json")).json()["differences"]
    fill = [item for item in diff if item["kind"] == "fill"]
    assert [(item["sheet_number"], item["bubble"]) for item in fill] == [(sheets[0].number, marked)]
    assert float(fill[0]["pass1"]) - float(fill[0]["pass2"]) > 0.12  # beyond the production band's half-width
    number = [item for item in diff if item["kind"] == "sheet_number"]
    assert [(item["pass1"], item["pass2"]) for item in number] == [(sheets[2].number, "0009999")]
    assert {item["kind"] for item in diff} == {"fill", "sheet_number"}, diff
    with session_of(scene) as session:
        read = {sheet.sheet_number: sheet for sheet in read_sheets(session, 1, "01")}
    assert DIFFERS in read[sheets[0].number].flags and DIFFERS not in read[sheets[1].number].flags
    assert "other_room" in read["0009999"].flags
    ok(programmer(scene, "passes", "resolve", "--room", "01", "--sheet", "0009999", "--field", "sheet_number",
                  "--value", str(sheets[2].number)))  # the same sheet: its pages join pass 1's
    after = ok(programmer(scene, "passes", "diff", "--room", "01", "--json")).json()["differences"]
    assert {item["kind"] for item in after} == {"fill"}
    with session_of(scene) as session:
        merged = {sheet.sheet_number: sheet for sheet in read_sheets(session, 1, "01")}
    assert sorted(merged) == sorted(sheet.number for sheet in sheets)
    assert merged[sheets[2].number].flags == () and merged[sheets[2].number].image_pass2
    two = programmer(scene, "passes", "resolve", "--room", "01", "--sheet", str(sheets[1].number), "--field",
                     "sheet_number", "--value", str(sheets[2].number))
    assert two.code == 1 and "two sheets" in two.err


def test_pages_of_a_sheet_with_a_protocol_entry_do_not_join_another_sheet(scene: Scene) -> None:
    """A sheet number read differently in pass 2 makes a sheet of its own; once the protocol has an entry for it,
    joining its pages to the sheet of the right number would delete it and leave the entry naming no sheet."""
    from dataclasses import replace

    from sqlalchemy import select

    from common.db.answer_models import AnswerSheet
    from common.db.identification_models import SheetEntry

    with session_of(scene) as session:
        _layout, sheets = room_envelope(session, 1, "01", blanks=2)
    renumbered = replace(sheets[2], number="0009999")
    scan(scene, export(scene, sheets, 1, "pass1"), 1)
    scan(scene, export(scene, [sheets[0], sheets[1], renumbered], 2, "pass2"), 2)
    ok(programmer(scene, "identify", "sheet", "--stream", "1", "--sheet", "0009999", "--decision", "delete"))
    refused = programmer(scene, "passes", "resolve", "--room", "01", "--sheet", "0009999", "--field", "sheet_number",
                         "--value", str(sheets[2].number))
    assert refused.code == 1 and refused.err.count("\n") == 1, refused.err
    assert "Sheet 0009999 has an entry of the identification protocol («delete»)" in refused.err
    with session_of(scene) as session:
        entry = session.scalars(select(SheetEntry)).one()
        assert session.get(AnswerSheet, entry.sheet_id) is not None
