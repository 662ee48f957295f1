"""Issue 13: the distribution of applicants to the rooms НЦТ opened (п. 89.12–89.14, 110), as a pure rule."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arm_applications.distribution import (
    Candidate,
    NotDistributable,
    OpenedRoom,
    distribute_applicants,
)
from common.db.models import LanguageStatus
from common.i18n import set_language

KK, RU, EN_KK = LanguageStatus.KAZAKH, LanguageStatus.RUSSIAN, LanguageStatus.ENGLISH_HISTORY_KAZAKH


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def people(*groups: tuple[int | None, LanguageStatus, int]) -> list[Candidate]:
    result = []
    for stream, language, count in groups:
        for _ in range(count):
            number = len(result) + 1
            result.append(Candidate(number, f"{100000000 + number:09d}", stream, language))
    return result


def test_rooms_are_filled_in_order_before_the_next_and_reserves_come_last() -> None:
    rooms = [OpenedRoom(1, "03", KK, 2, is_reserve=True), OpenedRoom(1, "02", KK, 2), OpenedRoom(1, "01", KK, 3),
             OpenedRoom(1, "04", RU, 5)]
    placed = distribute_applicants(people((1, KK, 6), (1, RU, 1)), rooms)
    assert [(item.room_number, item.place) for item in placed] == [
        ("01", 1), ("01", 2), ("01", 3), ("02", 1), ("02", 2), ("03", 1), ("04", 1)]
    assert [item.is_reserve_room for item in placed][:6] == [False] * 5 + [True]
    assert [item.ikt for item in placed] == [f"{100000000 + number:09d}" for number in range(1, 8)]


def test_a_reserve_room_not_opened_is_not_used_and_the_refusal_gives_the_numbers() -> None:
    rooms = [OpenedRoom(1, "01", KK, 3), OpenedRoom(2, "01", RU, 10)]  # the reserve room 02 is kept back
    with pytest.raises(NotDistributable) as refused:
        distribute_applicants(people((1, KK, 5), (1, EN_KK, 1), (2, RU, 4), (None, RU, 2)), rooms)
    assert str(refused.value) == (
        "The applicants do not fit in the rooms НЦТ opened — 2 applicant(s) of schools in no stream; "
        "stream 1, en-kk: 1 applicant(s), 0 seat(s) opened; stream 1, kk: 5 applicant(s), 3 seat(s) opened.")
    assert [(item.stream_number, item.missing) for item in refused.value.shortfalls] == [
        (None, 2), (1, 1), (1, 2)]


def test_nobody_to_place_gives_no_placement() -> None:
    assert distribute_applicants([], [OpenedRoom(1, "01", KK, 3)]) == []


LANGUAGES = list(LanguageStatus)


@st.composite
def cases(draw: st.DrawFn) -> tuple[list[Candidate], list[OpenedRoom]]:
    rooms = []
    for number in range(draw(st.integers(0, 12))):
        rooms.append(OpenedRoom(draw(st.integers(1, 3)), f"{number + 1:02d}", draw(st.sampled_from(LANGUAGES)),
                                draw(st.integers(1, 8)), draw(st.booleans())))
    groups = draw(st.lists(st.tuples(st.sampled_from([1, 2, 3, None]), st.sampled_from(LANGUAGES),
                                     st.integers(0, 20)), max_size=8))
    return people(*groups), rooms


@settings(max_examples=300, deadline=None)
@given(cases())
def test_everyone_is_placed_within_seats_and_languages_or_the_refusal_counts_exactly(
    case: tuple[list[Candidate], list[OpenedRoom]],
) -> None:
    candidates, rooms = case
    seats: dict[tuple[int | None, LanguageStatus], int] = defaultdict(int)
    for room in rooms:
        seats[(room.stream_number, room.language_status)] += room.seats
    wanted = Counter((item.stream_number, item.language_status) for item in candidates)
    short = {key: count for key, count in wanted.items() if count > seats.get(key, 0)}
    try:
        placed = distribute_applicants(candidates, rooms)
    except NotDistributable as refused:
        assert {(item.stream_number, item.language_status): (item.applicants, item.seats)
                for item in refused.shortfalls} == {key: (count, seats.get(key, 0)) for key, count in short.items()}
        assert short
        return
    assert not short
    assert sorted(item.application_id for item in placed) == [item.application_id for item in candidates]
    by_room = {(room.stream_number, room.room_number): room for room in rooms}
    people_by_id = {item.application_id: item for item in candidates}
    used = Counter((item.stream_number, item.room_number) for item in placed)
    for key, count in used.items():
        assert count <= by_room[key].seats  # no room over its seats
    for item in placed:
        room, person = by_room[(item.stream_number, item.room_number)], people_by_id[item.application_id]
        assert (room.language_status, room.stream_number) == (person.language_status, person.stream_number)
        assert item.is_reserve_room == room.is_reserve
    for key in {(room.stream_number, room.language_status) for room in rooms}:
        ordered = sorted((room for room in rooms if (room.stream_number, room.language_status) == key),
                         key=lambda room: (room.is_reserve, room.room_number))
        filled = [used.get((room.stream_number, room.room_number), 0) for room in ordered]
        # a room is opened only once the ones before it are full
        for earlier, later, room in zip(filled, filled[1:], ordered, strict=False):
            assert later == 0 or earlier == room.seats
    places: dict[tuple[int, str], list[int]] = defaultdict(list)
    for item in placed:
        places[(item.stream_number, item.room_number)].append(item.place)
    assert all(value == list(range(1, len(value) + 1)) for value in places.values())
