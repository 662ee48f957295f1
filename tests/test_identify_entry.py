"""Identification on the workstation's database: the protocol entered (audited, no names in the log), refused
entries write nothing, the end of identification (п. 176) once nothing is open, then re-identification only
with НЦТ's code (п. 173–175)."""

from __future__ import annotations

from pathlib import Path

import pytest
from applications_support import ok
from exchange_support import Scene
from programmer_support import audit_entries, drawn_scene, programmer
from test_identify_auto import Sheet

from arm_programmer.draw import DrawnSeat, drawn_seats
from arm_programmer.identification import (
    check_reidentification_code,
    end_identification,
    enter_note,
    enter_sheet,
    identify_stream,
    reidentify,
)
from arm_programmer.identify import Decision
from arm_programmer.resolution import ApplicantState, SheetState
from arm_programmer.variants import stream_variants
from common.db.engine import open_engine, transaction
from common.errors import Refused
from common.i18n import set_language
from common.security.audit import AuditLog
from common.security.codes import generate_code
from common.workstation import DataFolder


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Scene:
    return drawn_scene(tmp_path_factory)


@pytest.fixture
def scene(base: Scene, tmp_path: Path) -> Scene:
    return base.copy(tmp_path / "scene")


VARIANT: dict[str, str] = {}
"""A variant of each room's booklets (the variants file's)."""


def filled(sheet_id: int, room: str, number: str, seat: DrawnSeat, *, seat_number: int | None = None,
           ikt: str | None = None) -> Sheet:
    return Sheet(sheet_id, room, number, {"ikt": ikt or seat.ikt, "seat": f"{seat_number or seat.seat:03d}",
                                          "variant": VARIANT[room], "subjects": "MATH-PHYS", "answers": "ABCD"})


def stream_sheets(scene: Scene) -> tuple[list[Sheet], list[DrawnSeat]]:
    """Room 01 (one applicant): the sheet identifies; room 02 (two): a seat mismatch, the other applicant absent
    (an unused sheet); a sheet with room 02's number and an unknown ИКТ in room 01's envelope."""
    engine = open_engine(DataFolder(scene.folder("programmer")).database)
    with transaction(engine) as session:
        seats = drawn_seats(session, 1)
        rooms = {room.room: room for room in stream_variants(session, 1).rooms}
    engine.dispose()
    VARIANT.update({room: next(iter(item.booklets)) for room, item in rooms.items()})
    first = [seat for seat in seats if seat.room_number == "01"]
    second = [seat for seat in seats if seat.room_number == "02"]
    assert len(first) == 1 and len(second) == 2
    one, two = int(rooms["01"].sheets[0]), int(rooms["02"].sheets[0])
    sheets = [filled(1, "01", f"{one:07d}", first[0]),
              filled(2, "02", f"{two:07d}", second[0], seat_number=second[0].seat % 30 + 1),
              Sheet(4, "02", f"{two + 1:07d}", {"ikt": "", "seat": "", "answers": ""}),
              filled(5, "01", f"{two + 2:07d}", first[0], ikt="188888888")]
    return sheets, seats


def test_the_protocol_entered_then_the_end_then_re_identification_with_the_code(scene: Scene) -> None:
    sheets, seats = stream_sheets(scene)
    folder = DataFolder(scene.folder("programmer"))
    audit = AuditLog(folder.audit_log)
    engine = open_engine(folder.database)
    first = [seat for seat in seats if seat.room_number == "01"]
    second = [seat for seat in seats if seat.room_number == "02"]
    number = {sheet.sheet_id: sheet.sheet_number or "" for sheet in sheets}
    with transaction(engine) as session:
        current = identify_stream(session, 1, sheets)
        assert current.resolution.sheet(1).state is SheetState.IDENTIFIED
        assert current.resolution.sheet(4).state is SheetState.UNUSED
        assert [item.sheet_id for item in current.resolution.open_sheets()] == [5, 2]
        with pytest.raises(Refused, match="cannot end yet"):
            end_identification(session, 1, sheets, actor="prog")
    with pytest.raises(Refused, match="Delete sheet"), transaction(engine) as session:
        enter_sheet(session, 1, sheets, sheet_number=number[5], decision=Decision.CORRECT, ikt=first[0].ikt,
                    seat=first[0].seat, variant="0101", subjects="MATH-PHYS", audit=audit, actor="prog")
    with transaction(engine) as session:
        enter_sheet(session, 1, sheets, sheet_number=number[2], decision=Decision.CORRECT, ikt=second[0].ikt,
                    seat=second[0].seat, variant=VARIANT["02"], subjects="MATH-PHYS", name="Иванов Олег", audit=audit,
                    actor="prog")
        enter_sheet(session, 1, sheets, sheet_number=number[5], decision=Decision.DELETE, audit=audit, actor="prog")
        enter_note(session, 1, sheets, ikt=second[1].ikt, note="absent", audit=audit, actor="prog")
    with transaction(engine) as session:
        current = identify_stream(session, 1, sheets)
        assert current.resolution.complete
        assert current.resolution.sheet(5).state is SheetState.DELETED and not current.resolution.sheet(5).in_statement
        assert current.resolution.applicant(second[0].application_id).state is ApplicantState.IDENTIFIED
        assert current.resolution.applicant(second[1].application_id).state is ApplicantState.ABSENT
        report = end_identification(session, 1, sheets, actor="prog")
    rooms = {room["room"]: room for room in report.payload["rooms"]}
    assert rooms["01"]["deleted"] == 1 and rooms["02"]["by_protocol"] == 1 and rooms["02"]["unused"] == 1
    assert rooms["02"]["absent"] == 1
    logged = audit_entries(scene, "identify.sheet")
    assert [entry["details"]["decision"] for entry in logged] == ["correct", "delete"]
    text = folder.audit_log.read_text(encoding="utf-8")
    assert "Иванов" not in text and "Олег" not in text, "no names in the audit log"

    with pytest.raises(Refused, match="re-identification"), transaction(engine) as session:
        enter_sheet(session, 1, sheets, sheet_number=number[2], decision=Decision.DELETE, audit=audit, actor="prog")
    with pytest.raises(Refused, match="has ended"), transaction(engine) as session:
        enter_note(session, 1, sheets, ikt=second[1].ikt, note="annulled", audit=audit, actor="prog")
    issued = ok(scene.nct("password", "issue", "--site", "017", "--purpose", "re-identification", "--stream", "1",
                          "--out", str(scene.out), "--json")).json()
    ok(programmer(scene, "package", "open", str(issued["package"])))
    with transaction(engine) as session:
        assert check_reidentification_code(session, 1, code=generate_code(), audit=audit, actor="prog") is not None
    with transaction(engine) as session:
        assert check_reidentification_code(session, 1, code=str(issued["code"]), audit=audit, actor="prog") is None
        done = reidentify(session, 1, sheets, sheet_number=number[2], code_ok=True, variant="0103", audit=audit,
                          actor="prog")
        assert done.revision == 2
        assert identify_stream(session, 1, sheets).resolution.sheet(2).variant == "0103"
    assert audit_entries(scene, "password.wrong") and audit_entries(scene, "identify.reidentify")
    engine.dispose()
