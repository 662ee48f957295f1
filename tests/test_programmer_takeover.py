"""Taking the applicant database over (п. 52.6–52.10): the package complete (rooms with their desks,
placements, applicants), the journal of changes (прил. 13, п. 52.9, 109) entered and audited, the closing,
and after it only the exam-day operations write — before it they wait."""

from __future__ import annotations

from pathlib import Path

import pytest
from applications_support import applications, ok
from exchange_support import Scene
from programmer_support import audit_entries, draw_code, handed_over_scene, programmer, session_of
from sqlalchemy import select

from common.desk_plan import desk_plan, seat_layout
from common.i18n import set_language


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Scene:
    return handed_over_scene(tmp_path_factory)


@pytest.fixture
def scene(base: Scene, tmp_path: Path) -> Scene:
    return base.copy(tmp_path / "scene")


def ikts(scene: Scene) -> dict[str, str]:
    """ИКТ by surname, as the programmer holds them."""
    from common.db.models import Applicant, Application, IktRow

    with session_of(scene) as session:
        return {surname: ikt for surname, ikt in session.execute(
            select(Applicant.surname, IktRow.ikt).join(Application, Application.applicant_id == Applicant.id)
            .join(IktRow, Application.ikt_row_id == IktRow.id))}


def test_the_package_brings_rooms_with_their_desks_placements_and_applicants(base: Scene) -> None:
    from arm_programmer.draw import draw_rooms, stream_of
    from common.db.models import Application, Room, RoomStream

    shown = ok(programmer(base, "handover", "show", "--json")).json()
    assert (shown["streams"], shown["rooms"], shown["applicants"], shown["placed"]) == (2, 3, 4, 4)
    with session_of(base) as session:
        # the desks the site database gave (base ППЕНТ: rooms 01 and 03 of 15 desks, 02 of 30), through НЦТ's
        # room opening and the hand-over — before, every room arrived with 0 desks
        assert {room.number: room.desks for room in session.scalars(select(Room))} == {"01": 15, "02": 30, "03": 15}
        # the reserve room НЦТ kept back comes too, not opened: late seating (п. 130) seats applicants there
        assert [(number, use.is_reserve, use.opened) for use, number in session.execute(
            select(RoomStream, Room.number).join(Room).where(RoomStream.is_reserve.is_(True)))] == [("03", True, False)]
        assert all(application.room_stream_id is not None and application.place is not None
                   for application in session.scalars(select(Application)))
        rooms = {room.room: room for room in draw_rooms(session, stream_of(session, 1))}
    assert {room: len(item.applicants) for room, item in rooms.items()} == {"01": 1, "02": 2}
    scheme = {seat: (place.row, place.place) for place in seat_layout(15) for seat in place.seats}
    assert {position.seat: (position.row, position.place) for position in rooms["01"].plan.positions} == scheme


def test_a_stream_using_fewer_seats_is_laid_out_as_the_printed_seat_scheme(scene: Scene) -> None:
    """Room 01 (15 desks) used with 24 seats: seats 1–24 stay where прил. 12 prints them; with the desks
    unknown (0) the plan would be of 12 desks and seat 11 would move to the next row."""
    from arm_programmer.draw import draw_rooms, stream_of
    from common.db.models import Room, RoomStream

    with session_of(scene) as session:
        use = session.scalar(select(RoomStream).join(Room).where(Room.number == "01"))
        assert use is not None
        use.seats = 24
        session.flush()
        room = next(item for item in draw_rooms(session, stream_of(session, 1)) if item.room == "01")
    scheme = {seat: (place.row, place.place) for place in seat_layout(15) for seat in place.seats if seat <= 24}
    assert {position.seat: (position.row, position.place) for position in room.plan.positions} == scheme
    unknown = {position.seat: (position.row, position.place) for position in desk_plan(0, 24).positions}
    assert unknown[11] != scheme[11]


def test_two_changes_are_entered_audited_without_the_values_and_listed(scene: Scene) -> None:
    numbers = ikts(scene)
    first = ok(programmer(scene, "changes", "add", "--ikt", numbers["Абаев"], "--field", "surname", "--value",
                          "Абаев-Ёлкин", "--row", "1", "--json")).json()
    assert (first["old"], first["new"]) == ("Абаев", "Абаев-Ёлкин")
    ok(programmer(scene, "changes", "add", "--ikt", numbers["Иванов"], "--field", "patronymic", "--value",
                  "Сергеевич", "--row", "2"))
    listed = ok(programmer(scene, "changes", "list", "--json")).json()["changes"]
    assert [(line["row"], line["field"], line["new"]) for line in listed] == [
        (1, "surname", "Абаев-Ёлкин"), (2, "patronymic", "Сергеевич")]
    entries = audit_entries(scene, "changes.add")
    assert [(entry["target"], entry["details"]) for entry in entries] == [
        (numbers["Абаев"], {"field": "surname", "row": 1}), (numbers["Иванов"], {"field": "patronymic", "row": 2})]
    log = (scene.folder("programmer") / "audit.log").read_text(encoding="utf-8")
    assert "Ёлкин" not in log and "Сергеевич" not in log
    assert "Row 1" in ok(programmer(scene, "changes", "list")).out

    for arguments, expected in (
        (["--ikt", "999999999", "--field", "surname", "--value", "Х"], "No application with ИКТ 999999999"),
        (["--ikt", numbers["Петров"], "--field", "sex", "--value", "X"], "M or F"),
        (["--ikt", numbers["Петров"], "--field", "surname", "--value", " "], "cannot be empty"),
        (["--ikt", numbers["Петров"], "--field", "birth_date", "--value", "2001-02-03"], "ИИН"),
        (["--ikt", numbers["Петров"], "--field", "citizenship", "--value", "12"], "3 digits"),
    ):
        refused = programmer(scene, "changes", "add", *arguments, "--row", "3")
        assert refused.code == 1 and expected in refused.err and refused.err.count("\n") == 1, refused.err
    assert len(ok(programmer(scene, "changes", "list", "--json")).json()["changes"]) == 2


def test_after_the_closing_only_the_exam_day_operations_write_and_before_it_they_wait(scene: Scene) -> None:
    numbers = ikts(scene)
    code = draw_code(scene, 1)
    for arguments in (["draw", "--stream", "1"], ["late-seat", "--ikt", numbers["Иванов"], "--member", "Сейітов Б."]):
        waits = programmer(scene, *arguments, ENT_CODE=code)  # the exam day's operations, before the closing
        assert waits.code == 1 and "not closed yet" in waits.err and waits.err.count("\n") == 1, arguments

    closed = ok(programmer(scene, "close", "--json")).json()
    assert closed["closed_at"] and audit_entries(scene, "takeover.close")

    handover = ok(applications(scene, "send", "handover", "--json")).json()
    for arguments in (["changes", "add", "--ikt", numbers["Петров"], "--field", "name", "--value", "Иван", "--row",
                       "3"], ["handover", "import", handover["path"]], ["close"]):  # the take-over's operations
        refused = programmer(scene, *arguments)
        assert refused.code == 1 and "was closed" in refused.err and refused.err.count("\n") == 1, arguments
    assert ok(programmer(scene, "changes", "list", "--json")).json()["changes"] == []
    ok(programmer(scene, "draw", "--stream", "1", ENT_CODE=code))  # the exam day's operations go on
