"""Appeals on the command line (ch. 32–39, п. 181–213): stream 1 identified, its answer codes opened and scored,
its statement printed (the results announced). A technical appeal on a bubble filled about 60 % and read as empty
(the stored test-day fill and a fresh scan from the simulated scanner), a content appeal on a task answered right
(«не удовлетворено» at once), a content appeal voted on a tie, one «не явился», one after 13:00 of the next day;
the file to НЦТ with both images; НЦТ's decisions applied — the scores after appeal equal a recomputation written
here from the stored marks, the key and the decisions —; a second decision on a decided task refused; closing and
the results with appeal sealed."""

from __future__ import annotations

import contextlib
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from applications_support import ok
from exchange_support import NCT_PASSWORD, Scene
from programmer_support import (
    audit_entries,
    identified_stream,
    programmer,
    session_of,
    sheet_ikt,
    three_passwords,
)
from sqlalchemy import select

from common.db.answer_models import SheetScan
from common.db.score_models import SheetScoreRow
from common.i18n import set_language
from common.omr.synth import MarkSpec
from common.scanning.simulated import SimulatedSheet
from common.workstation import DataFolder

CHAIR = "Сәрсенбаева Гүлнар"
RECEIVER = "Тұрсынов Марат"
NAMES = ("Абаев", "Иванов", "Петров", "Қасымов", "Сәрсенбаева", "Тұрсынов")


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


class Stage:
    """What the ordered tests of this module share."""

    def __init__(self, scene: Scene, paper: dict[str, SimulatedSheet]) -> None:
        self.scene = scene
        self.paper = paper
        self.facts: dict[str, Any] = {}


@pytest.fixture(scope="module")
def stage(tmp_path_factory: pytest.TempPathFactory) -> Stage:
    scene, passwords, paper = identified_stream(tmp_path_factory)
    ok(programmer(scene, "codes", "open", "--stream", "1", **three_passwords(passwords)))
    ok(programmer(scene, "score", "--stream", "1"))
    return Stage(scene, paper)


def _score_row(stage: Stage, ikt: str) -> SheetScoreRow:
    from arm_programmer.draw import drawn_seats

    with session_of(stage.scene) as session:
        seat = next(seat for seat in drawn_seats(session, 1) if seat.ikt == ikt)
        row = session.scalar(select(SheetScoreRow).where(SheetScoreRow.application_id == seat.application_id))
        assert row is not None
        session.expunge(row)
    return row


def _key_and_spec(stage: Stage) -> tuple[Any, Any]:
    from arm_programmer.codes import stream_key

    with session_of(stage.scene) as session:
        return stream_key(session, 1)


def _max(spec: Any, block: str, number: int) -> int:
    task = spec.subject(block).task(number)
    return int(spec.rule(task.rule).max_points)


def add(stage: Stage, *args: str) -> Any:
    return programmer(stage.scene, "appeal", "add", "--stream", "1", "--chair", CHAIR, "--received-by", RECEIVER,
                      *args)


def test_no_appeal_before_the_results_are_announced(stage: Stage) -> None:
    ikt = sheet_ikt(stage.paper["marked"])
    early = add(stage, "--ikt", ikt, "--kind", "content", "--task", "reading_literacy:1:no-right-answer")
    assert early.code == 1 and "are not announced yet" in early.err
    ok(programmer(stage.scene, "statement", "print", "--stream", "1"))
    ok(programmer(stage.scene, "statement", "print", "--stream", "1"))
    announced = audit_entries(stage.scene, "appeals.announced")
    assert len(announced) == 1  # the first print only
    stage.facts["announced"] = datetime.fromisoformat(announced[0]["details"]["announced_at"])


def test_entry_refusals_in_one_line(stage: Stage) -> None:
    from arm_programmer.results import ResultStatus
    from arm_programmer.scores import result_rows

    ikt = sheet_ikt(stage.paper["marked"])
    with session_of(stage.scene) as session:
        absent = next(row.ikt for row in result_rows(session, 1) if row.status is ResultStatus.ABSENT)
    local = stage.facts["announced"].astimezone()
    late = (local + timedelta(days=1)).replace(hour=13, minute=1).strftime("%Y-%m-%dT%H:%M")
    early = (local - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")
    cases = {
        "before the results were announced": ("--ikt", ikt, "--kind", "content", "--task",
                                              "reading_literacy:2:no-right-answer", "--received-at", early),
        "after the deadline": ("--ikt", ikt, "--kind", "content", "--task", "reading_literacy:2:no-right-answer",
                               "--received-at", late),
        "is not one of an appeal on technical grounds": (
            "--ikt", ikt, "--kind", "technical", "--task", "reading_literacy:2:no-right-answer"),
        "the applicant was not tested in it": ("--ikt", sheet_ikt(stage.paper["creative"]), "--kind", "content",
                                               "--task", "math_literacy:1:no-right-answer"),
        "is named twice": ("--ikt", ikt, "--kind", "content", "--task", "reading_literacy:2:no-right-answer",
                           "--task", "reading_literacy:2:incorrect-task"),
        "has no score in stream 1": ("--ikt", absent, "--kind", "content", "--task",
                                     "reading_literacy:2:no-right-answer"),
    }
    for expected, args in cases.items():
        refused = add(stage, *args)
        assert refused.code == 1 and expected in refused.err, (expected, refused.err)
        assert len(refused.err.strip().splitlines()) == 1
    deadline = (local + timedelta(days=1)).strftime("%d.%m.%Y") + " 13:00"
    assert deadline in add(stage, *cases["after the deadline"]).err
    assert not programmer(stage.scene, "appeal", "list", "--stream", "1", "--json").json()["appeals"]


def test_entry_takes_the_facts_and_decides_a_right_answer_at_once(stage: Stage) -> None:
    ikt = sheet_ikt(stage.paper["marked"])
    spec, key = _key_and_spec(stage)
    row = _score_row(stage, ikt)
    correct = "".join(sorted(key.variants[row.variant]["math_literacy"][1]))
    assert row.per_task["math_literacy"][0] == 0 and row.marks["math_literacy"]["1"] == ""
    with session_of(stage.scene) as session:  # the bubble of the answer code was filled ~60 % on the test day
        for scan in session.scalars(select(SheetScan).where(SheetScan.sheet_id == row.sheet_id)):
            scan.fills = {**scan.fills, f"math_literacy.q01.{correct}": 0.62}
    technical = ok(add(stage, "--ikt", ikt, "--kind", "technical", "--task", "math_literacy:1:read-as-empty",
                       "--json")).json()
    assert technical["number"] == 1 and technical["state"] == "registered"
    assert technical["tasks"][0]["marks"] == "" and technical["tasks"][0]["correct"] == correct
    twice = add(stage, "--ikt", ikt, "--kind", "content", "--task", "math_literacy:1:incorrect-task")
    assert twice.code == 1 and "math_literacy:1 is disputed already in application number 1" in twice.err
    right = next(number for number in range(6, 21) if row.per_task["history_kz"][number - 1]
                 == _max(spec, "history_kz", number))
    content = ok(add(stage, "--ikt", ikt, "--kind", "content", "--task",
                     f"history_kz:{right}:key-mismatch:{'A' if correct != 'A' else 'B'}", "--json"))
    assert content.json()["state"] == "decided" and content.json()["tasks"][0]["decision"] == "not-satisfied"
    creative = _score_row(stage, sheet_ikt(stage.paper["creative"]))
    wrong = [number for number in range(1, 21) if creative.per_task["reading_literacy"][number - 1] == 0][:2]
    local = stage.facts["announced"].astimezone()
    in_time = (local + timedelta(days=1)).replace(hour=12, minute=59).strftime("%Y-%m-%dT%H:%M")
    voted = ok(add(stage, "--ikt", sheet_ikt(stage.paper["creative"]), "--kind", "content", "--task",
                   f"reading_literacy:{wrong[0]}:incorrect-task", "--received-at", in_time, "--json")).json()
    absent = ok(add(stage, "--ikt", sheet_ikt(stage.paper["creative"]), "--kind", "content", "--task",
                    f"reading_literacy:{wrong[1]}:no-right-answer", "--json")).json()
    assert (voted["number"], absent["number"]) == (3, 4)
    stage.facts.update(ikt=ikt, correct=correct, right=right, wrong=wrong[0])
    with session_of(stage.scene) as session:
        from arm_programmer.appeals import find_appeal

        held = find_appeal(session, 1, 1)
        assert held.variant == row.variant and held.profile_subjects == row.profile_subjects
        assert held.tasks[0].fills[correct] == pytest.approx(0.62)
    listed = ok(programmer(stage.scene, "appeal", "list", "--stream", "1", "--json")).json()["appeals"]
    assert listed[0]["tasks"][0]["fills"][correct] == pytest.approx(0.62) and listed[0]["ikt"] == ikt
    assert [item["state"] for item in listed] == ["registered", "decided", "registered", "registered"]
    log = (stage.scene.folder("programmer") / "audit.log").read_text(encoding="utf-8")
    assert len(audit_entries(stage.scene, "appeal.added")) == 4
    assert not any(name in log for name in NAMES)


def test_the_file_waits_for_the_local_commission_then_carries_both_images(stage: Stage) -> None:
    from common.exchange.ledger import MemoryLedger
    from common.exchange.package import open_package
    from nct_hub.keys import load_nct_identity, load_trust

    scene = stage.scene
    held = programmer(scene, "send", "appeals", "--stream", "1")
    assert held.code == 1 and "Appeal 1: task math_literacy:1 has no proposal" in held.err
    tie = programmer(scene, "appeal", "vote", "--stream", "1", "--number", "3", "--task",
                     f"reading_literacy:{stage.facts['wrong']}", "--for", "3", "--against", "3")
    assert tie.code == 1 and "the chair's vote decides" in tie.err
    voted = ok(programmer(scene, "appeal", "vote", "--stream", "1", "--number", "3", "--task",
                          f"reading_literacy:{stage.facts['wrong']}", "--for", "3", "--against", "3",
                          "--chair-for", "yes", "--json")).json()
    assert voted["satisfied"] and voted["proposed_points"] == 1
    ok(programmer(scene, "appeal", "no-show", "--stream", "1", "--number", "4"))
    unscanned = programmer(scene, "send", "appeals", "--stream", "1")
    assert unscanned.code == 1 and "Appeal 1: task math_literacy:1 has no proposal" in unscanned.err
    test_day = ok(programmer(scene, "appeal", "propose", "--stream", "1", "--number", "1", "--task",
                             "math_literacy:1", "--json")).json()
    assert test_day["satisfied"] and test_day["proposed_points"] == 1 and "п. 196, 1" in test_day["reason"]
    stillborn = programmer(scene, "send", "appeals", "--stream", "1")
    assert stillborn.code == 1 and "appeal rescan" in stillborn.err
    from arm_programmer.room_simulation import scanner
    from arm_programmer.sheets import answer_layouts

    with session_of(scene) as session:
        layout = answer_layouts(session, 1)
    sheet = stage.paper["marked"]
    fresh = SimulatedSheet(answers=sheet.answers, number=sheet.number,
                           marks={f"math_literacy.q01.{stage.facts['correct']}": MarkSpec(0.62, "pencil", 0.58)})
    folder = scene.out / "appeal-rescan"
    folder.mkdir()
    image = scanner(layout, [fresh], pass_number=1, seed=5).export(folder)[0]
    rescanned = ok(programmer(scene, "appeal", "rescan", "--stream", "1", "--number", "1", "--image", str(image),
                              "--json")).json()
    kept = scene.folder("programmer") / "scans" / rescanned["image"]
    assert kept.read_bytes() == image.read_bytes() and not kept.stat().st_mode & 0o222
    fill = rescanned["fills"]["math_literacy:1"][stage.facts["correct"]]
    assert 0.5 <= fill < 0.8
    again = programmer(scene, "appeal", "rescan", "--stream", "1", "--number", "1", "--image", str(image))
    assert again.code == 1 and "kept as it is" in again.err
    proposed = ok(programmer(scene, "appeal", "propose", "--stream", "1", "--number", "1", "--task",
                             "math_literacy:1", "--json")).json()
    assert proposed["satisfied"] and "the fresh scan" in proposed["reason"]
    sent = ok(programmer(scene, "send", "appeals", "--stream", "1", "--json")).json()
    assert (sent["appeals"], sent["images"]) == (4, 2)
    opened = open_package(Path(sent["path"]).read_bytes(), load_nct_identity(scene.nct_dir, NCT_PASSWORD),
                          load_trust(scene.nct_dir), MemoryLedger())
    assert opened.manifest.kind == "appeals" and opened.manifest.stream == 1
    payload = opened.payload
    assert [item["state"] for item in payload["appeals"]] == ["registered", "decided", "registered", "no-show"]
    names = payload["appeals"][0]["images"]
    assert opened.attachments[names["appeal"]] == image.read_bytes() and names["test_day"] in opened.attachments
    assert payload["appeals"][0]["tasks"][0]["case"] == "unread-mark"
    # НЦТ takes a disputed task of one of the applicant's subjects: the mandatory ones are named too
    assert all(task["subject"] in item["subjects"] for item in payload["appeals"] for task in item["tasks"])
    assert not any(name in json.dumps(payload, ensure_ascii=False) for name in NAMES)
    # НЦТ takes the file as sent: the content appeal on history_kz (a common subject) is one of the applicant's
    imported = ok(scene.nct("import", sent["path"]))
    assert "appeals 4, tasks 4" in imported.out, imported.out
    at_nct = ok(scene.nct("appeals", "list", "--site", "017", "--stream", "1", "--json")).json()
    assert "history_kz" in at_nct[1]["subjects"] and at_nct[1]["tasks"][0]["subject"] == "history_kz"


def _send_decisions(stage: Stage, decisions: list[Any], name: str, *, scene: Scene | None = None) -> Path:
    from arm_programmer.appeal_records import decisions_payload

    scene = scene or stage.scene
    payload = scene.out / f"{name}.json"
    payload.write_text(json.dumps(decisions_payload("017", 1, decisions), ensure_ascii=False), encoding="utf-8")
    sent = ok(scene.nct("package", "send", "--kind", "appeal-decisions", "--to", "017/programmer",
                        "--payload", str(payload), "--stream", "1", "--out", str(scene.out), "--json"))
    return Path(sent.json()["path"])


def test_decisions_are_audited_in_the_workstation_log_wherever_its_database_is(stage: Stage, tmp_path: Path) -> None:
    """The importer records each decision in the audit log of the command or window that takes the package — not
    in a log it guessed beside the database file (a database elsewhere had its decisions audited in the wrong log,
    or in none)."""
    import sqlite3

    from arm_programmer.appeal_records import RepublicanDecision, TaskDecision
    from arm_programmer.appeal_view import take_decisions
    from common.db.engine import open_engine, transaction
    from common.exchange.importers import ImportContext
    from common.security.audit import AuditLog

    scene = stage.scene.copy(tmp_path / "scene")  # the stage's own workstation stays as it is
    folder = DataFolder(scene.folder("programmer"))
    database = tmp_path / "elsewhere" / "workstation.sqlite"
    database.parent.mkdir()
    with contextlib.closing(sqlite3.connect(folder.database)) as held, \
            contextlib.closing(sqlite3.connect(database)) as copy:
        held.backup(copy)
    for name in ("workstation.sqlite", "workstation.sqlite-wal", "workstation.sqlite-shm"):
        (folder.root / name).unlink(missing_ok=True)
    decided = [RepublicanDecision(1, stage.facts["ikt"], "math_literacy", 1, TaskDecision.SATISFIED, 1)]
    package = _send_decisions(stage, decided, "decisions-elsewhere", scene=scene)
    engine = open_engine(database)
    try:
        with transaction(engine) as session:
            taken = take_decisions(session, package.read_bytes(), scene.passwords["programmer"], package.name,
                                   ImportContext(AuditLog(folder.audit_log), "Жұмабаев Ерлан"))
        assert taken.taken and "1 decision(s) of the Republican commission applied" in taken.message
        with transaction(engine) as session:
            assert AuditLog(folder.audit_log).verify(session).ok
    finally:
        engine.dispose()
    entries = [entry for entry in map(json.loads, folder.audit_log.read_text(encoding="utf-8").splitlines())
               if entry["action"] == "appeal.decided"]
    assert [(entry["target"], entry["actor"]) for entry in entries] == [("stream/1/appeal/1", "Жұмабаев Ерлан")]
    assert not (database.parent / "audit.log").exists()


def _recomputed(stage: Stage, ikt: str, decided: dict[tuple[str, int], int]) -> tuple[dict[str, list[int]], int]:
    """The points per task from the stored marks and the key by the specification's rules, written here again,
    then the decided tasks' points."""
    spec, key = _key_and_spec(stage)
    row = _score_row(stage, ikt)
    document = spec.to_dict()
    rules = {name: rule["points_by_errors"] for name, rule in document["scoring_rules"].items()}
    slots = dict(zip((slot.code for slot in spec.profile_slot_subjects), row.profile_subjects, strict=False))
    per_task: dict[str, list[int]] = {}
    for block, tasks in row.marks.items():
        code = slots.get(block, block)
        points = []
        for number in sorted(int(text) for text in tasks):
            marked = set(tasks[str(number)])
            errors = len(marked ^ set(key.variants[row.variant][code][number]))
            table = rules[spec.subject(block).task(number).rule]
            value = 0 if not marked or errors >= len(table) else table[errors]
            points.append(decided.get((code, number), value))
        per_task[code] = points
    return per_task, sum(sum(points) for points in per_task.values())


def test_decisions_are_applied_once_and_final(stage: Stage) -> None:
    from arm_programmer.appeal_records import RepublicanDecision, TaskDecision
    from arm_programmer.scores import result_rows

    scene, ikt = stage.scene, stage.facts["ikt"]
    creative_ikt = sheet_ikt(stage.paper["creative"])
    early = programmer(scene, "appeal", "close", "--stream", "1")
    assert early.code == 1 and "2 appeal(s) of stream 1 are neither" in early.err and "number 1" in early.err
    before = {ikt: _score_row(stage, ikt).total, creative_ikt: _score_row(stage, creative_ikt).total}
    decisions = [RepublicanDecision(1, ikt, "math_literacy", 1, TaskDecision.SATISFIED, 1),
                 RepublicanDecision(3, creative_ikt, "reading_literacy", stage.facts["wrong"],
                                    TaskDecision.SATISFIED, 1)]
    unknown = [decisions[0], RepublicanDecision(9, ikt, "math_literacy", 2, TaskDecision.SATISFIED, 1)]
    refused = programmer(scene, "package", "open", str(_send_decisions(stage, unknown, "decisions-0")))
    assert refused.code == 1 and "appeal 9, which stream 1 does not have" in refused.err
    assert _score_row(stage, ikt).total == before[ikt] and not audit_entries(scene, "appeal.decided")
    ok(programmer(scene, "package", "open", str(_send_decisions(stage, decisions, "decisions-1"))))
    rows = {row.ikt: row for row in _results(stage)}
    for who, decided in ((ikt, {("math_literacy", 1): 1}),
                         (creative_ikt, {("reading_literacy", stage.facts["wrong"]): 1})):
        per_task, total = _recomputed(stage, who, decided)
        stored = _score_row(stage, who)
        assert stored.per_task == per_task and stored.total == total == before[who] + 1
        assert rows[who].total == total
        assert {subject.code: subject.points for subject in rows[who].subjects} == {
            code: sum(points) for code, points in per_task.items()}
    states = [item["state"] for item in ok(programmer(scene, "appeal", "list", "--stream", "1", "--json"))
              .json()["appeals"]]
    assert states == ["decided", "decided", "decided", "no-show"]
    entries = audit_entries(scene, "appeal.decided")
    assert [entry["target"] for entry in entries] == ["stream/1/appeal/1", "stream/1/appeal/3"]
    assert all(entry["details"]["package"] for entry in entries)
    changing = [RepublicanDecision(1, ikt, "math_literacy", 1, TaskDecision.NOT_SATISFIED, 0)]
    refused = programmer(scene, "package", "open", str(_send_decisions(stage, changing, "decisions-2")))
    assert refused.code == 1 and "the decision is final (п. 205)" in refused.err
    assert _score_row(stage, ikt).total == before[ikt] + 1
    sheet = stage.paper["marked"]  # a mark decided behind the scores' back is still caught
    room = "01" if sheet.answers.get("room.c02") == "1" else "02"
    ok(programmer(scene, "passes", "resolve", "--stream", "1", "--room", room, "--sheet", sheet.number or "",
                  "--field", "history_kz.q01", "--value", "C"))
    stale = programmer(scene, "send", "results", "--stream", "1")
    assert stale.code == 1 and "1 score(s) of stream 1 no longer match" in stale.err
    ok(programmer(scene, "score", "--stream", "1"))  # scoring again keeps the decisions' points
    per_task, total = _recomputed(stage, ikt, {("math_literacy", 1): 1})
    assert _score_row(stage, ikt).per_task == per_task and _score_row(stage, ikt).total == total
    with session_of(scene) as session:
        assert len(result_rows(session, 1)) == 3


def _results(stage: Stage) -> list[Any]:
    from arm_programmer.scores import result_rows

    with session_of(stage.scene) as session:
        return result_rows(session, 1)


def test_closing_and_the_results_with_appeal(stage: Stage) -> None:
    from common.exchange.ledger import MemoryLedger
    from common.exchange.package import open_package
    from nct_hub.keys import load_nct_identity, load_trust

    scene = stage.scene
    unclosed = programmer(scene, "send", "final-results", "--stream", "1")
    assert unclosed.code == 1 and "are not closed yet" in unclosed.err
    ok(programmer(scene, "appeal", "close", "--stream", "1"))
    after = add(stage, "--ikt", stage.facts["ikt"], "--kind", "content", "--task", "reading_literacy:3:incorrect-task")
    assert after.code == 1 and "are closed (п. 209)" in after.err
    sent = ok(programmer(scene, "send", "final-results", "--stream", "1", "--json")).json()
    opened = open_package(Path(sent["path"]).read_bytes(), load_nct_identity(scene.nct_dir, NCT_PASSWORD),
                          load_trust(scene.nct_dir), MemoryLedger())
    assert opened.manifest.kind == "final-results"
    payload = opened.payload
    changes = {(item["ikt"], item["subject"], item["task"]): (item["before"], item["after"], item["appeal"])
               for item in payload["changes"]}
    assert changes == {(stage.facts["ikt"], "math_literacy", 1): (0, 1, 1),
                       (sheet_ikt(stage.paper["creative"]), "reading_literacy", stage.facts["wrong"]): (0, 1, 3)}
    totals = {item["ikt"]: item["total"] for item in payload["results"]}
    assert totals == {row.ikt: row.total for row in _results(stage)}
    assert not any(name in json.dumps(payload, ensure_ascii=False) for name in NAMES)


def test_the_appeal_forms_print_after_closing_and_the_statement_with_appeal_checks(
        stage: Stage, tmp_path: Path) -> None:
    import subprocess

    from pdf_support import pdf_text

    scene = stage.scene
    printed: dict[str, list[dict[str, Any]]] = {}
    for form in ("journal", "register", "cards", "protocol", "report", "appeal-report", "tasks-report"):
        printed[form] = ok(programmer(scene, "appeal", "print", form, "--stream", "1", "--language", "ru",
                                      "--chair", "Председатель Ә.", "--json")).json()
        assert all(Path(item["path"]).is_file() and item["pages"] >= 1 for item in printed[form]), form
    listed = ok(programmer(scene, "appeal", "list", "--stream", "1", "--json")).json()["appeals"]
    assert len(printed["cards"]) == len([item for item in listed if item["state"] != "no-show"]) >= 1
    card = pdf_text(Path(printed["cards"][0]["path"]))
    assert "Приложение 39" in card and "Карта анализа ответов" in card
    register = pdf_text(Path(printed["register"][0]["path"]))
    assert "решение принято" in register
    statement = ok(programmer(scene, "appeal", "print", "statement", "--stream", "1", "--language", "kk",
                              "--json")).json()[0]
    text = pdf_text(Path(statement["path"]))
    assert "3-қосымша" in text and "→" in text  # the totals changed on appeal, before → after
    subprocess.run(["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", statement["path"], str(tmp_path / "p")],
                   check=True)
    [page] = tmp_path.glob("p*.png")
    assert ok(programmer(scene, "statement", "check", str(page), "--json")).json()["matches"]
