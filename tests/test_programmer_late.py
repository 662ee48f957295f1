"""Late seating (досадка, п. 130, 169): the state commission's decision recorded with the member's name, the
applicant given a free seat of the stream's reserve room, and refused with the reason when there is none."""

from __future__ import annotations

from pathlib import Path

import pytest
from applications_support import ok
from exchange_support import Scene
from programmer_support import audit_entries, draw_code, handed_over_scene, programmer, session_of
from sqlalchemy import select

from common.i18n import set_language


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Scene:
    scene = handed_over_scene(tmp_path_factory)
    return scene


@pytest.fixture
def scene(base: Scene, tmp_path: Path) -> Scene:
    return base.copy(tmp_path / "scene")


def seats(scene: Scene, stream: int = 1) -> dict[str, tuple[str, int, bool]]:
    shown = ok(programmer(scene, "draw", "show", "--stream", str(stream), "--json")).json()["seats"]
    return {seat["full_name"].split()[0]: (seat["room_number"], seat["seat"], seat["late"]) for seat in shown}


def ikt_of(scene: Scene, surname: str) -> str:
    shown = ok(programmer(scene, "draw", "show", "--stream", "1", "--json")).json()["seats"]
    return str(next(seat["ikt"] for seat in shown if seat["full_name"].startswith(surname)))


def test_the_commission_seats_an_applicant_in_the_reserve_room_recorded_with_the_members_name(scene: Scene) -> None:
    from common.db.programmer_models import LateSeating

    code = draw_code(scene, 1)
    ok(programmer(scene, "close"))
    ok(programmer(scene, "draw", "--stream", "1", ENT_CODE=code))
    ivanov = ikt_of(scene, "Иванов")
    before = seats(scene)
    assert before["Иванов"][0] == "02"

    # the secretary wrote Russian, the applicant takes the test in Kazakh (п. 130): room 03 is stream 1's kk reserve
    done = ok(programmer(scene, "late-seat", "--ikt", ivanov, "--member", "Сейітов Б.", "--language", "kk",
                         "--json")).json()
    assert (done["room"], done["seat"], done["stream"], done["language"]) == ("03", 1, 1, "kk")
    after = seats(scene)
    assert after["Иванов"] == ("03", 1, True)
    assert {name: place for name, place in after.items() if name != "Иванов"} == {
        name: place for name, place in before.items() if name != "Иванов"}
    with session_of(scene) as session:
        [row] = session.scalars(select(LateSeating)).all()
        assert (row.member, row.seat, row.from_seat) == ("Сейітов Б.", 1, before["Иванов"][1])
    [entry] = audit_entries(scene, "late.seat")
    assert entry["target"] == ivanov and entry["details"]["room"] == "03"
    assert "Сейітов" not in (scene.folder("programmer") / "audit.log").read_text(encoding="utf-8")
    assert "(late seating)" in ok(programmer(scene, "draw", "show", "--stream", "1")).out

    again = programmer(scene, "late-seat", "--ikt", ivanov, "--member", "Сейітов Б.")
    assert again.code == 1 and "seated late already" in again.err


def test_late_seating_is_refused_with_the_reason(scene: Scene) -> None:
    from common.db.models import Application, ApplicationStatus, IktRow, Room, RoomStream

    code = draw_code(scene, 1)
    ok(programmer(scene, "close"))
    before = programmer(scene, "late-seat", "--ikt", "000000001", "--member", "Сейітов Б.")
    assert before.code == 1 and "No application" in before.err
    early = ok(programmer(scene, "draw", "show", "--stream", "1", "--json")).json()
    assert early["seats"] == []
    ok(programmer(scene, "draw", "--stream", "1", ENT_CODE=code))
    petrov, abaev = ikt_of(scene, "Петров"), ikt_of(scene, "Абаев")

    for arguments, reason in (
        (["--ikt", petrov, "--member", " "], "Name the state commission member"),
        (["--ikt", petrov, "--member", "Сейітов Б."], "no reserve room of language status ru"),  # no ru reserve
        (["--ikt", abaev, "--member", "Сейітов Б.", "--stream", "2"], "stream 2 are not drawn yet"),
    ):
        refused = programmer(scene, "late-seat", *arguments)
        assert refused.code == 1 and reason in refused.err and refused.err.count("\n") == 1, refused.err

    with session_of(scene) as session:  # the reserve room of stream 1 with one seat, then taken
        use = session.scalar(select(RoomStream).join(Room).where(Room.number == "03"))
        assert use is not None
        use.seats = 1
    ok(programmer(scene, "late-seat", "--ikt", abaev, "--member", "Сейітов Б."))
    full = programmer(scene, "late-seat", "--ikt", petrov, "--member", "Сейітов Б.", "--language", "kk")
    assert full.code == 1 and "no free seat" in full.err and "03" in full.err
    assert [seat for seat in seats(scene).values() if seat[2]] == [("03", 1, True)]

    with session_of(scene) as session:  # an annulled application is not seated late (its room is the room it had)
        application = session.scalar(select(Application).join(IktRow, Application.ikt_row_id == IktRow.id)
                                     .where(IktRow.ikt == petrov))
        assert application is not None
        application.status = ApplicationStatus.ANNULLED
    annulled = programmer(scene, "late-seat", "--ikt", petrov, "--member", "Сейітов Б.", "--language", "kk")
    assert annulled.code == 1 and "is annulled" in annulled.err and annulled.err.count("\n") == 1, annulled.err


def test_several_applicants_seated_late_in_one_reserve_room_take_the_next_seats(scene: Scene) -> None:
    """Each late seating takes the room's next place too, whatever place the applicant had in the old room."""
    code = draw_code(scene, 1)
    ok(programmer(scene, "close"))
    ok(programmer(scene, "draw", "--stream", "1", ENT_CODE=code))
    movers = sorted(name for name, (room, _seat, _late) in seats(scene).items() if room != "03")
    assert len(movers) >= 3  # every room's place 1 among them
    for number, surname in enumerate(movers, start=1):
        done = ok(programmer(scene, "late-seat", "--ikt", ikt_of(scene, surname), "--member", "Сейітов Б.",
                             "--language", "kk", "--json")).json()
        assert (done["room"], done["seat"]) == ("03", number)
    assert {seats(scene)[name] for name in movers} == {("03", number, True) for number in range(1, len(movers) + 1)}
