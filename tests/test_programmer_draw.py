"""The seating draw on the programmer's workstation (п. 52.11): with НЦТ's code, once — a second attempt
refused and audited, also from a new process — the digest of the draw in the audit log, the seats read back."""

from __future__ import annotations

from pathlib import Path

import pytest
from applications_support import ok
from exchange_support import Scene
from programmer_support import audit_entries, draw_code, handed_over_scene, programmer

from common.i18n import set_language
from common.security.codes import generate_code


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Scene:
    return handed_over_scene(tmp_path_factory)


@pytest.fixture
def scene(base: Scene, tmp_path: Path) -> Scene:
    return base.copy(tmp_path / "scene")


def test_the_draw_waits_for_the_closing_then_seats_everyone_once_with_the_digest_audited(scene: Scene) -> None:
    code = draw_code(scene, 1)
    early = programmer(scene, "draw", "--stream", "1", ENT_CODE=code)
    assert early.code == 1 and "not closed yet" in early.err and early.err.count("\n") == 1
    ok(programmer(scene, "close"))
    assert programmer(scene, "draw", "--stream", "1", "--code", code).code != 0  # never on the command line
    drawn = ok(programmer(scene, "draw", "--stream", "1", "--json", ENT_CODE=code)).json()
    assert (drawn["stream_number"], drawn["applicants"], drawn["rooms"]) == (1, 3, 2)

    shown = ok(programmer(scene, "draw", "show", "--stream", "1", "--json")).json()
    assert shown["draw"]["digest"] == drawn["digest"]
    seats = shown["seats"]
    assert [(seat["room_number"], seat["seat"]) for seat in seats] == sorted(
        (seat["room_number"], seat["seat"]) for seat in seats)
    by_room: dict[str, list[int]] = {}
    for seat in seats:
        by_room.setdefault(seat["room_number"], []).append(seat["seat"])
        assert seat["late"] is False and seat["full_name"]
    assert {room: len(set(numbers)) for room, numbers in by_room.items()} == {"01": 1, "02": 2}
    done = audit_entries(scene, "draw.done")
    assert len(done) == 1 and done[0]["details"]["digest"] == drawn["digest"] and done[0]["target"] == "stream/1"

    again = programmer(scene, "draw", "--stream", "1")  # a new process: the draw is in the database
    assert again.code == 1 and "drawn already" in again.err and drawn["digest"][:12] in again.err
    refused = audit_entries(scene, "draw.refused")
    assert len(refused) == 1 and refused[0]["details"]["digest"] == drawn["digest"]
    after = ok(programmer(scene, "draw", "show", "--stream", "1", "--json")).json()
    assert after["seats"] == seats  # nothing redrawn

    not_yet = ok(programmer(scene, "draw", "show", "--stream", "2"))
    assert "not drawn yet" in not_yet.out


def test_a_wrong_code_is_counted_and_draws_nothing(scene: Scene) -> None:
    code = draw_code(scene, 2)
    ok(programmer(scene, "close"))
    wrong = programmer(scene, "draw", "--stream", "2", ENT_CODE=generate_code())
    assert wrong.code == 1 and "4 attempt(s) left" in wrong.err
    assert ok(programmer(scene, "draw", "show", "--stream", "2", "--json")).json()["draw"] is None
    assert [entry["target"] for entry in audit_entries(scene, "password.wrong")] == ["seating-draw/2"]
    assert audit_entries(scene, "draw.done") == []
    unknown = programmer(scene, "draw", "--stream", "9", ENT_CODE=code)
    assert unknown.code == 1 and "Stream 9" in unknown.err
    ok(programmer(scene, "draw", "--stream", "2", ENT_CODE=code))


def test_drawn_seats_api_reads_the_stream_by_room_and_seat(scene: Scene) -> None:
    from arm_programmer.draw import DrawnSeat, drawn_seats
    from common.db.engine import open_engine, transaction
    from common.workstation import DataFolder

    code = draw_code(scene, 1)
    ok(programmer(scene, "close"))
    ok(programmer(scene, "draw", "--stream", "1", ENT_CODE=code))
    engine = open_engine(DataFolder(scene.folder("programmer")).database)
    with transaction(engine) as session:
        seats = drawn_seats(session, 1)
        assert drawn_seats(session, 2) == []
    engine.dispose()
    assert all(isinstance(seat, DrawnSeat) and seat.stream_number == 1 for seat in seats)
    assert {seat.language_status.value for seat in seats} == {"kk", "ru"}
    assert sorted(seat.full_name.split()[0] for seat in seats) == ["Абаев", "Иванов", "Петров"]
