"""The room-fund rules of п. 80–81 as the expert meets them while typing."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from arm_base_ppent.rules import (
    RoomDraft,
    StreamUse,
    building_problem,
    normalise_room_number,
    room_number_problem,
    room_problems,
    stream_use_problems,
)
from common import i18n


def draft(**changes: object) -> RoomDraft:
    values: dict[str, object] = {"number": "01", "desks": 15, "ventilation": "natural", "jammers": 1, "cameras": 2,
                                 "building": "Корпус 1"}
    values.update(changes)
    return RoomDraft(**values)  # type: ignore[arg-type]


def test_a_well_formed_room_has_no_problem() -> None:
    assert room_problems(draft(), taken_numbers=["02"], other_buildings=["корпус  1"]) == []


@given(st.integers(min_value=1, max_value=80))
def test_seats_are_two_per_desk_and_allowed_only_in_tens_from_30_to_120(desks: int) -> None:
    i18n.set_language("en")
    problems = room_problems(draft(desks=desks))
    seats = desks * 2
    allowed = 30 <= seats <= 120 and seats % 10 == 0
    assert (problems == []) is allowed
    if not allowed:
        assert problems[0].startswith(f"{desks} desks give {seats} seats (2 per desk, п. 80.6).")


def test_the_seat_message_is_translated() -> None:
    i18n.set_language("ru")
    assert room_problems(draft(desks=17)) == [
        "17 парт дают 34 мест (по 2 за партой, п. 80.6). "
        "В аудитории должно быть от 30 до 120 мест, кратно 10; 34 не допускается."
    ]
    i18n.set_language("kk")
    assert "80.6-тармақ" in room_problems(draft(desks=17))[0]


def test_room_numbers_are_two_digits_and_unique() -> None:
    i18n.set_language("en")
    assert normalise_room_number(" 3 ") == "03"
    assert room_number_problem("3") is None
    assert room_number_problem("00") is not None
    assert room_number_problem("1A") is not None
    assert room_number_problem("3", taken=["03"]) == "Room 03 is already in the room fund."


def test_all_rooms_are_in_one_building() -> None:
    i18n.set_language("en")
    assert building_problem("КОРПУС 1", ["Корпус 1"]) is None
    message = building_problem("Корпус 2", ["Корпус 1", "корпус 1"])
    assert message == "All rooms must be in one building (п. 80.1); the other rooms are in «Корпус 1»."
    assert building_problem("  ", []) is not None


def uses(stream: int, regular: int, reserve: int) -> list[StreamUse]:
    rooms = [StreamUse(f"{n:02d}", stream, "kk", False) for n in range(1, regular + 1)]
    return rooms + [StreamUse(f"{n:02d}", stream, "ru", True) for n in range(regular + 1, regular + reserve + 1)]


def test_a_stream_takes_at_most_twelve_rooms_and_two_reserve_rooms() -> None:
    i18n.set_language("en")
    full = uses(1, 12, 2)
    assert stream_use_problems(StreamUse("20", 1, "kk", False), full) == [
        "Stream 1 already has 12 rooms, the most allowed (п. 80.5); a further room can only be a reserve room."
    ]
    assert stream_use_problems(StreamUse("20", 1, "kk", True), full) == [
        "Stream 1 already has 2 reserve rooms, the most allowed (п. 80.5)."
    ]
    assert stream_use_problems(StreamUse("20", 1, "kk", True), uses(1, 12, 1)) == []
    # A room already counted in the stream may change its own record.
    assert stream_use_problems(StreamUse("01", 1, "en-ru", False), full) == []


def test_a_stream_record_needs_one_of_the_four_language_statuses() -> None:
    assert stream_use_problems(StreamUse("01", 1, "en", False), []) != []
    for status in ("kk", "ru", "en-kk", "en-ru"):
        assert stream_use_problems(StreamUse("01", 1, status, False), []) == []


def test_ventilation_must_be_chosen() -> None:
    assert room_problems(draft(ventilation="")) != []
    assert room_problems(draft(ventilation="air-conditioning")) == []
