"""Issue 15 end to end on the command line: a stream of three rooms from the simulated scanner, scanned twice —
a late-seated applicant, a seat mismatch, a wrong ИКТ, a sheet of another room, a pass-2 sheet that differs
from pass 1 — identified automatically, the protocol (прил. 36) printed and entered, the end reported to НЦТ
(п. 176, kept by ``ent-nct import``) after variant identification (прил. 37), the stream "ready for answer
codes", one sheet re-identified with НЦТ's code (п. 173–175). Stream 1 has three applicants, so a second test
takes the other cases: an applicant removed by an act (прил. 35), an absent one, a double mark in the ИКТ."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from applications_support import ok
from base_ppent_support import flat
from exchange_support import Scene
from pdf_support import pdf_text
from programmer_support import audit_entries, drawn_scene, programmer, scan_twice, session_of

from arm_programmer.room_simulation import filled_sheet, room_envelope, with_changed_mark
from common.db.variant_models import RoomSheets
from common.i18n import set_language
from common.omr.synth import group_answers
from common.scanning.simulated import SimulatedSheet
from common.workstation import DataFolder


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


@pytest.fixture
def scene(tmp_path_factory: pytest.TempPathFactory) -> Scene:
    return drawn_scene(tmp_path_factory)


def test_a_stream_scanned_twice_identified_with_the_protocol_and_reported(scene: Scene) -> None:
    seats = {seat["full_name"].split()[0]: seat
             for seat in ok(programmer(scene, "draw", "show", "--stream", "1", "--json")).json()["seats"]}
    late = ok(programmer(scene, "late-seat", "--ikt", seats["Иванов"]["ikt"], "--member", "Сейітов Б.", "--language",
                         "kk", "--json")).json()
    assert late["room"] == "03"
    with session_of(scene) as session:
        layout, room1 = room_envelope(session, 1, "01", blanks=1)
        _layout, room2 = room_envelope(session, 1, "02")
        last_of_01 = session.query(RoomSheets).filter_by(spare=False).order_by(RoomSheets.last).first()
        spare = session.query(RoomSheets).filter_by(spare=True).one()
        assert last_of_01 is not None
    # the late-seated applicant writes on a spare sheet of the stream (п. 142) in reserve room 03
    room3 = [filled_sheet(layout, f"{spare.first:07d}", late["ikt"], late["seat"], "0101", 1, "03",
                          np.random.default_rng(3))]
    abaev, petrov = room1[0], room2[0]
    wrong_seat = replace(abaev, answers={**abaev.answers, **group_answers(layout, "seat", "077")})
    wrong_ikt = replace(petrov, answers={**petrov.answers, **group_answers(layout, "ikt", "199999999")})
    foreign = replace(petrov, number=f"{last_of_01.last:07d}",
                      answers={**petrov.answers, **group_answers(layout, "ikt", "188888888")})
    differs = with_changed_mark(wrong_ikt, "history_kz.q03", "A" if wrong_ikt.answers["history_kz.q03"] != "A"
                                else "B")
    scan_twice(scene, "01", [wrong_seat, *room1[1:]], [wrong_seat, *room1[1:]])
    scan_twice(scene, "02", [wrong_ikt, foreign], [differs, foreign])
    scan_twice(scene, "03", room3, room3)

    status = ok(programmer(scene, "identify", "status", "--stream", "1", "--json")).json()
    assert not status["ready_for_answer_codes"]
    assert any("difference(s) between the passes" in line for line in status["blockers"])
    ok(programmer(scene, "passes", "resolve", "--room", "02", "--stream", "1", "--sheet", petrov.number, "--field",
                  "history_kz.q03", "--value", wrong_ikt.answers["history_kz.q03"]))

    auto = ok(programmer(scene, "identify", "auto", "--stream", "1", "--json")).json()
    lower = {row["sheet_number"]: row for row in auto["lower"]}
    assert lower[abaev.number]["reasons"] == ["seat-mismatch"]
    assert lower[petrov.number]["reasons"] == ["ikt-unknown"]
    assert "not-in-room" in lower[foreign.number]["reasons"] and lower[foreign.number]["suggestion"] == "delete"
    assert lower[room3[0].number]["reasons"] == ["late-seated"] and lower[room3[0].number]["suggestion"] == "late"
    assert lower[room1[1].number]["blank"]
    assert auto["identified"] == 0

    printed = ok(programmer(scene, "protocol", "print", "--stream", "1", "--language", "ru", "--json")).json()
    words = flat(pdf_text(Path(printed["path"]), layout=False))
    assert "Протокол идентификации листов ответов" in words and petrov.number in words and "Петров" in words

    early = programmer(scene, "identify", "end", "--stream", "1")
    assert early.code == 1 and "cannot end yet" in early.err and early.err.count("\n") == 1
    refused = programmer(scene, "identify", "sheet", "--stream", "1", "--sheet", foreign.number, "--decision",
                         "correct", "--ikt", seats["Абаев"]["ikt"], "--seat", "1", "--variant", "0101",
                         "--subjects", "MATH-PHYS")
    assert refused.code == 1 and "Delete sheet" in refused.err

    from arm_programmer.sheets import read_sheets

    with session_of(scene) as session:
        booklet = {sheet.sheet_number: sheet.fields["variant"] for sheet in read_sheets(session, 1)}

    def enter(number: str, decision: str, who: str, seat: int, variant: str) -> None:
        ok(programmer(scene, "identify", "sheet", "--stream", "1", "--sheet", number, "--decision", decision,
                      "--ikt", seats[who]["ikt"] if who != "Иванов" else late["ikt"], "--seat", str(seat),
                      "--variant", variant, "--subjects", "MATH-PHYS", "--name", f"{who} (as written)"))

    enter(abaev.number, "correct", "Абаев", seats["Абаев"]["seat"], "9999")  # a variant no booklet of the room has
    enter(petrov.number, "correct", "Петров", seats["Петров"]["seat"], booklet[petrov.number])
    enter(room3[0].number, "late", "Иванов", late["seat"], booklet[room3[0].number])
    ok(programmer(scene, "identify", "sheet", "--stream", "1", "--sheet", foreign.number, "--decision", "delete"))
    variants = programmer(scene, "identify", "end", "--stream", "1")
    assert variants.code == 1 and "Room 01: variant 9999 on 1 sheet(s), 0 booklet(s) given" in variants.err
    assert "прил. 37" in variants.err
    form = ok(programmer(scene, "protocol", "print", "--stream", "1", "--form", "variants", "--language", "ru",
                         "--json")).json()
    words = flat(pdf_text(Path(form["path"]), layout=False))
    assert "Идентификация вариантов" in words and "Приложение 37" in words and abaev.number in words
    enter(abaev.number, "correct", "Абаев", seats["Абаев"]["seat"], booklet[abaev.number])  # from the booklet

    ended = ok(programmer(scene, "identify", "end", "--stream", "1", "--json")).json()
    rooms = {room["room"]: room for room in ended["payload"]["rooms"]}
    assert rooms["02"]["deleted"] == 1 and rooms["03"]["by_protocol"] == 1 and rooms["01"]["unused"] == 1
    # counts only, no personal data (docs/packages.md, identification-end): the room's number and its counts
    assert set(ended["payload"]) == {"format", "stream", "rooms"}
    counts = {"sheets", "identified", "by_protocol", "deleted", "unused", "absent", "annulled", "not_admitted"}
    for room in rooms.values():
        assert set(room) == {"room", *counts} and all(isinstance(room[key], int) for key in counts), room
    ok(scene.nct("import", ended["path"]))
    status = ok(programmer(scene, "identify", "status", "--stream", "1", "--json")).json()
    assert status["ready_for_answer_codes"], status["blockers"]
    assert "ready for answer codes" in ok(programmer(scene, "identify", "status", "--stream", "1")).out

    issued = ok(scene.nct("password", "issue", "--site", "017", "--purpose", "re-identification", "--stream", "1",
                          "--out", str(scene.out), "--json")).json()
    ok(programmer(scene, "package", "open", str(issued["package"])))
    redone = ok(programmer(scene, "identify", "reidentify", "--stream", "1", "--sheet", petrov.number, "--subjects",
                           "MATH-CHEM", "--json", ENT_CODE=str(issued["code"]))).json()
    assert redone["revision"] == 2
    form = ok(programmer(scene, "protocol", "print", "--stream", "1", "--form", "reidentification", "--language",
                         "kk", "--json")).json()
    words = flat(pdf_text(Path(form["path"]), layout=False))
    assert "38-қосымша" in words and petrov.number in words and "MATH-CHEM" in words
    log = (DataFolder(scene.folder("programmer")).audit_log).read_text(encoding="utf-8")
    assert "as written" not in log and "Петров" not in log, "no names in the audit log"
    assert len(audit_entries(scene, "identify.sheet")) == 5 and audit_entries(scene, "identify.end")


def test_a_removed_an_absent_applicant_and_a_double_mark_in_the_ikt(scene: Scene) -> None:
    """Room 01: Абаев removed from the room (act, прил. 35): his sheet is not scanned; room 02: Петров absent (his
    sheet left blank), Иванов's ИКТ with a double mark in one column."""
    seats = {seat["full_name"].split()[0]: seat
             for seat in ok(programmer(scene, "draw", "show", "--stream", "1", "--json")).json()["seats"]}
    with session_of(scene) as session:
        _layout, room1 = room_envelope(session, 1, "01", blanks=1)
        _layout, room2 = room_envelope(session, 1, "02", blanks=1)
    removed = room1[0]
    ok(programmer(scene, "sheets", "exclude", "--stream", "1", "--room", "01", "--sheet", removed.number or "",
                  "--reason", "removed", "--act", "А-1"))
    ivanov_ikt, petrov_ikt = seats["Иванов"]["ikt"], seats["Петров"]["ikt"]
    ivanov = next(sheet for sheet in room2[:2] if "".join(
        sheet.answers.get(f"ikt.c{index:02d}", "") for index in range(1, 10)) == ivanov_ikt)
    petrov = next(sheet for sheet in room2[:2] if sheet is not ivanov)
    doubled = replace(ivanov, answers={**ivanov.answers, "ikt.c09": ivanov_ikt[-1] + ("1" if ivanov_ikt[-1] != "1"
                                                                                        else "2")})
    absent = SimulatedSheet(number=petrov.number)  # handed out, left blank
    scan_twice(scene, "01", room1[1:], room1[1:])
    scan_twice(scene, "02", [doubled, absent, *room2[2:]], [doubled, absent, *room2[2:]])

    auto = ok(programmer(scene, "identify", "auto", "--stream", "1", "--json")).json()
    lower = {row["sheet_number"]: row for row in auto["lower"]}
    assert set(lower[ivanov.number]["reasons"]) & {"ikt-unreadable", "double-mark"}
    assert lower[petrov.number]["blank"]
    upper = {row["application_id"]: row for row in auto["upper"]}
    assert upper[seats["Петров"]["application_id"]]["may_be_absent"] is False  # Иванов's sheet is still open
    ok(programmer(scene, "identify", "sheet", "--stream", "1", "--sheet", ivanov.number or "", "--decision",
                  "correct", "--ikt", ivanov_ikt, "--seat", str(seats["Иванов"]["seat"]), "--variant",
                  "".join(ivanov.answers.get(f"variant.c{index:02d}", "") for index in range(1, 5)) or "0001",
                  "--subjects", "MATH-PHYS"))
    refused = programmer(scene, "identify", "note", "--stream", "1", "--ikt", ivanov_ikt, "--note", "absent")
    assert refused.code == 1 and "Absent" in refused.err
    ok(programmer(scene, "identify", "note", "--stream", "1", "--ikt", petrov_ikt, "--note", "absent"))
    early = programmer(scene, "identify", "end", "--stream", "1")
    assert early.code == 1 and "1 applicant(s) of the upper table without a note" in early.err
    ok(programmer(scene, "identify", "note", "--stream", "1", "--ikt", seats["Абаев"]["ikt"], "--note", "annulled"))
    excluded = ok(programmer(scene, "sheets", "excluded", "--stream", "1", "--json")).json()
    assert [item["reason"] for item in excluded] == ["removed"]
    ended = ok(programmer(scene, "identify", "end", "--stream", "1", "--json")).json()
    rooms = {room["room"]: room for room in ended["payload"]["rooms"]}
    assert rooms["01"]["annulled"] == 1 and rooms["02"]["absent"] == 1 and rooms["02"]["by_protocol"] == 1
    assert ok(programmer(scene, "identify", "status", "--stream", "1", "--json")).json()["ready_for_answer_codes"]
