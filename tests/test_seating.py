"""The desk plan, the seating draw (п. 52.11) and the booklet hand-out order, without a database."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arm_programmer.seating import (
    DrawRoom,
    SeatAssignment,
    balanced_booklets,
    draw_digest,
    draw_seats,
    handout_order,
    production_random,
)
from common.desk_plan import desk_plan
from common.errors import Refused

# chi-square critical values at p = 0.001 (tables): a fair draw exceeds them once in a thousand runs
CHI2_0001 = {29: 58.30, 9: 27.88}


def chi_square(counts: Counter[int], cells: range, draws: int) -> float:
    expected = draws / len(cells)
    return sum((counts.get(cell, 0) - expected) ** 2 / expected for cell in cells)


# --- the desk plan ------------------------------------------------------------------------------


def test_neighbours_are_the_desk_mate_the_seat_across_the_aisle_and_front_and_back() -> None:
    plan = desk_plan(15, 30)  # 3 rows of 5 desks: row 1 seats 1–10, row 2 11–20, row 3 21–30
    assert plan.rows == 3
    assert plan.neighbours(1) == (2, 3)
    assert plan.neighbours(2) == (1, 4, 11)
    assert plan.neighbours(11) == (2, 12, 13)
    assert plan.neighbours(13) == (4, 11, 14, 15)
    assert plan.neighbours(14) == (12, 13, 16, 23)
    assert plan.neighbours(30) == (28, 29)  # the last desk of the last row: nothing right or behind
    assert len(plan.neighbour_pairs()) == sum(len(plan.neighbours(seat)) for seat in range(1, 31)) // 2


def test_a_room_without_desks_has_half_its_seats_as_desks_and_a_stream_may_use_fewer_seats() -> None:
    assert desk_plan(0, 30) == desk_plan(15, 30)
    plan = desk_plan(60, 100)  # a 120-seat room used for 100 seats
    assert (plan.desks, plan.seats, plan.rows) == (60, 100, 6)
    assert plan.neighbours(100) == (98, 99)  # seat 119 across the aisle is not in use, nothing behind
    with pytest.raises(ValueError):
        plan.position(101)


# --- the draw -----------------------------------------------------------------------------------

ROOMS = (DrawRoom("01", 30, 15, tuple(range(1, 29))), DrawRoom("02", 30, 0, tuple(range(100, 120))))


def test_every_applicant_gets_one_seat_of_their_room_and_no_seat_is_given_twice() -> None:
    result = draw_seats(ROOMS, random.Random(7))
    assert sorted(item.application_id for item in result) == [*range(1, 29), *range(100, 120)]
    for room in ROOMS:
        seats = [item.seat for item in result if item.room == room.room]
        assert len(seats) == len(set(seats)) == len(room.applicants)
        assert all(1 <= seat <= room.seats for seat in seats)
        assert {item.application_id for item in result if item.room == room.room} == set(room.applicants)
    assert result == sorted(result, key=lambda item: (item.room, item.seat))  # the seating list's order
    assert result == draw_seats(ROOMS, random.Random(7))
    assert result != draw_seats(ROOMS, random.Random(8))


def test_the_production_source_is_the_systems_and_draws_differently_each_time() -> None:
    import secrets

    assert isinstance(production_random(), secrets.SystemRandom)
    draws = {tuple(item.seat for item in draw_seats(ROOMS, production_random())) for _ in range(5)}
    assert len(draws) == 5


def test_every_seat_is_equally_likely_for_an_applicant() -> None:
    rng = random.Random(52_11)
    room = DrawRoom("01", 30, 15, tuple(range(20)))  # 20 applicants, 30 seats: ten stay empty
    draws = 6_000
    per_applicant: dict[int, Counter[int]] = {applicant: Counter() for applicant in room.applicants}
    for _ in range(draws):
        for item in draw_seats([room], rng):
            per_applicant[item.application_id][item.seat] += 1
    statistics = [chi_square(counts, range(1, 31), draws) for counts in per_applicant.values()]
    assert max(statistics) < CHI2_0001[29] + 15  # the largest of 20: a little above one applicant's bound
    assert sum(statistics) / len(statistics) < 29 + 6  # the mean is the degrees of freedom for a fair draw
    # the test can tell: seats given in distribution order (applicant 0 always on seat 1) fail it
    biased = Counter({1: draws})
    assert chi_square(biased, range(1, 31), draws) > CHI2_0001[29]


def test_a_full_room_is_a_random_permutation() -> None:
    rng = random.Random(3)
    room = DrawRoom("03", 10, 5, tuple(range(10)))
    counts: Counter[int] = Counter()
    draws = 5_000
    for _ in range(draws):
        counts.update(item.seat for item in draw_seats([room], rng) if item.application_id == 9)
    assert chi_square(counts, range(1, 11), draws) < CHI2_0001[9]


def test_an_overfull_room_or_an_applicant_twice_is_refused() -> None:
    with pytest.raises(Refused, match="Room 04 holds 31 applicant"):
        draw_seats([DrawRoom("04", 30, 15, tuple(range(31)))], random.Random(1))
    with pytest.raises(Refused, match="placed twice"):
        draw_seats([DrawRoom("01", 30, 15, (1, 2)), DrawRoom("02", 30, 15, (2, 3))], random.Random(1))
    with pytest.raises(Refused, match="listed twice"):
        draw_seats([DrawRoom("01", 30, 15, (1,)), DrawRoom("01", 30, 15, (2,))], random.Random(1))


def test_the_digest_names_the_inputs_and_the_result() -> None:
    result = draw_seats(ROOMS, random.Random(7))
    digest = draw_digest(ROOMS, result)
    assert len(digest) == 64 and digest == draw_digest(tuple(reversed(ROOMS)), list(reversed(result)))
    moved = [SeatAssignment(item.application_id, item.room, item.seat) for item in result]
    first = moved[0]
    moved[0] = SeatAssignment(first.application_id, first.room, 30 if first.seat != 30 else 29)
    assert draw_digest(ROOMS, moved) != digest


# --- the booklet hand-out order -----------------------------------------------------------------


def check_handout(plan_desks: int, seats: int, booklets: dict[str, int], taken: set[int] | None) -> None:
    plan = desk_plan(plan_desks, seats)
    order = handout_order(plan, booklets, taken, room="01")
    expected = sorted(range(1, seats + 1) if taken is None else taken)
    assert [item.seat for item in order] == expected  # from seat 1 upwards (п. 146)
    given_out = {item.seat: item.variant for item in order}
    for low, high in plan.neighbour_pairs():
        if low in given_out and high in given_out:
            assert given_out[low] != given_out[high], (low, high)
    used = Counter(given_out.values())
    assert all(used[variant] <= booklets.get(variant, 0) for variant in used)


@settings(max_examples=300, deadline=None)
@given(
    seats=st.integers(min_value=30, max_value=120).map(lambda value: value - value % 10),
    extra_desks=st.integers(min_value=0, max_value=10),
    variants=st.integers(min_value=2, max_value=12),
    start=st.integers(min_value=0, max_value=11),
    empty=st.sets(st.integers(min_value=1, max_value=120), max_size=40),
)
def test_neighbours_never_get_the_same_variant(
    seats: int, extra_desks: int, variants: int, start: int, empty: set[int]
) -> None:
    names = [f"{number:04d}" for number in range(1, variants + 1)]
    booklets = balanced_booklets(names, seats, start % variants)
    taken = set(range(1, seats + 1)) - empty
    check_handout(seats // 2 + extra_desks, seats, booklets, taken)
    check_handout(0, seats, booklets, None)  # every seat taken, the booklets exactly enough


@pytest.mark.parametrize("seats", [30, 40, 50, 60, 70, 80, 90, 100, 110, 120])
@pytest.mark.parametrize("variants", [2, 3, 4, 5, 6, 7, 12])
def test_every_room_size_and_variant_count_when_the_room_is_full(seats: int, variants: int) -> None:
    names = [f"{number:04d}" for number in range(1, variants + 1)]
    check_handout(0, seats, balanced_booklets(names, seats), None)


def test_booklets_are_given_out_evenly() -> None:
    order = handout_order(desk_plan(15, 30), {"0001": 10, "0002": 10, "0003": 10})
    assert Counter(item.variant for item in order) == {"0001": 10, "0002": 10, "0003": 10}


def test_one_variant_is_impossible_once_two_neighbours_sit() -> None:
    plan = desk_plan(15, 30)
    with pytest.raises(Refused, match="one variant only"):
        handout_order(plan, {"0001": 30}, {1, 2}, room="05")
    # seats with nobody beside, in front or behind may share it
    assert [item.variant for item in handout_order(plan, {"0001": 30}, {1, 4, 5})] == ["0001"] * 3


def test_too_few_booklets_or_counts_that_allow_no_order_are_refused() -> None:
    plan = desk_plan(15, 30)
    with pytest.raises(Refused, match="Room 02 has 29 booklet"):
        handout_order(plan, {"0001": 15, "0002": 14}, room="02")
    # two variants on a full room: the seats split 15/15 like a chessboard, so 16 + 14 cannot work
    with pytest.raises(Refused, match="cannot be handed out"):
        handout_order(plan, {"0001": 16, "0002": 14}, room="02")
