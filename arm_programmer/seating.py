"""The seating draw of a stream (п. 52.11) and the booklet hand-out order of a room — pure functions.

No database here: the draw command reads the stream's placements and rooms, calls these and writes
the result. The rooms' seats are laid out by ``common/desk_plan.py`` (the one place that says where
each seat is and which seats are neighbours).

**The draw** (:func:`draw_seats`). The distribution put each applicant in a room; on the morning of
the exam each gets a seat of that room at random, once (п. 52.11). For a room of ``s`` seats and
``n`` applicants the seats are a uniformly random choice of ``n`` distinct seats out of ``s`` in a
uniformly random order, so every seat is equally likely (``1/s``) for every applicant. The random
source is ``secrets.SystemRandom()`` in production (:func:`production_random`); tests pass a seeded
``random.Random``. :func:`draw_digest` is the SHA-256 of the draw's inputs and result, for the audit log.

**The booklet hand-out order** (:func:`handout_order`; beyond the instruction). The proctor hands
out the booklets from seat 1 upwards (п. 146); this gives each taken seat a variant from the booklets
the room received (НЦТ's ``variants`` file, п. 171) so that no two neighbouring seats — left, right,
in front, behind — get the same variant. With two variants or more that is always possible when
the booklets are dealt evenly (the plan is a grid, see ``common/desk_plan.py``); with one variant it
is impossible as soon as two neighbouring seats are taken, and the function refuses then. Booklets
are given out as evenly as the room's booklets allow (the variant with the most booklets left first).
"""

from __future__ import annotations

import hashlib
import json
import random
import secrets
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from common.desk_plan import DeskPlan, desk_plan
from common.errors import Refused
from common.i18n import _

SEARCH_LIMIT: Final = 200_000
"""Steps the hand-out search may take before it gives up on a room (a guard: even booklets take about
one step a seat)."""


def production_random() -> random.Random:
    """The random source of a real draw: the operating system's (``secrets``), never seeded."""
    return secrets.SystemRandom()


@dataclass(frozen=True)
class DrawRoom:
    """A room of the stream as the draw sees it: ``applicants`` are application ids placed in it."""

    room: str
    seats: int
    """The seats the room has in this stream (``RoomStream.seats``)."""
    desks: int
    """The room's desks (0: not known, then half its seats; see ``common/desk_plan.py``)."""
    applicants: tuple[int, ...]

    @property
    def plan(self) -> DeskPlan:
        return desk_plan(self.desks, self.seats)


@dataclass(frozen=True)
class SeatAssignment:
    application_id: int
    room: str
    seat: int


def draw_seats(rooms: Sequence[DrawRoom], random_source: random.Random) -> list[SeatAssignment]:
    """Each applicant's seat in the room the distribution gave them, drawn with ``random_source``.

    The result is ordered by room and seat (the order of the seating list, прил. 5 Правил). Refused
    when a room holds more applicants than seats, or a room or an applicant is listed twice.
    """
    seen_rooms: set[str] = set()
    seen_applicants: set[int] = set()
    for room in rooms:
        if room.room in seen_rooms:
            raise Refused(_("Room {room} is listed twice for the seating draw.").format(room=room.room))
        seen_rooms.add(room.room)
        if len(room.applicants) > room.seats:
            raise Refused(_("Room {room} holds {applicants} applicant(s) but has only {seats} seat(s): the seats "
                            "cannot be drawn.").format(room=room.room, applicants=len(room.applicants),
                                                       seats=room.seats))
        repeated = seen_applicants.intersection(room.applicants)
        if repeated or len(set(room.applicants)) != len(room.applicants):
            raise Refused(_("An applicant is placed twice in the stream: the seats cannot be drawn."))
        seen_applicants.update(room.applicants)
    result: list[SeatAssignment] = []
    for room in rooms:
        seats = random_source.sample(range(1, room.seats + 1), len(room.applicants))
        result.extend(SeatAssignment(applicant, room.room, seat)
                      for applicant, seat in zip(room.applicants, seats, strict=True))
    return sorted(result, key=lambda item: (item.room, item.seat))


def draw_digest(rooms: Sequence[DrawRoom], result: Sequence[SeatAssignment]) -> str:
    """SHA-256 (hex) of the draw's inputs and result, the same for the same draw on any machine."""
    document = {
        "rooms": [{"room": room.room, "seats": room.seats, "desks": room.desks, "applicants": list(room.applicants)}
                  for room in sorted(rooms, key=lambda item: item.room)],
        "seats": [[item.application_id, item.room, item.seat]
                  for item in sorted(result, key=lambda item: (item.room, item.seat))],
    }
    text = json.dumps(document, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Handout:
    seat: int
    variant: str


def handout_order(
    plan: DeskPlan, booklets: Mapping[str, int], taken: Collection[int] | None = None, *, room: str = ""
) -> list[Handout]:
    """The variant booklet for each taken seat, in seat order, no two neighbouring seats alike.

    ``booklets`` is how many booklets of each variant the room has (its order breaks ties);
    ``taken`` the seats with an applicant (all seats of the plan when ``None``); ``room`` names the
    room in a refusal. Refused when there are fewer booklets than taken seats, when one variant
    would have to sit next to itself, or when the booklets' counts allow no such order.
    """
    seats = sorted(range(1, plan.seats + 1) if taken is None else set(taken))
    for seat in seats:
        plan.position(seat)  # ValueError for a seat outside the plan: the caller's mistake
    left = {variant: count for variant, count in booklets.items() if count > 0}
    if sum(left.values()) < len(seats):
        raise Refused(_("Room {room} has {booklets} booklet(s) for {seats} applicant(s).").format(
            room=room, booklets=sum(left.values()), seats=len(seats)))
    taken_set = set(seats)
    earlier = {seat: [other for other in plan.neighbours(seat) if other < seat and other in taken_set]
               for seat in seats}
    if len(left) == 1 and any(earlier.values()):
        raise Refused(_("Room {room} has booklets of one variant only: neighbouring seats cannot get different "
                        "variants.").format(room=room))
    order = list(left)
    chosen: dict[int, str] = {}
    steps = 0

    def candidates(seat: int) -> list[str]:
        banned = {chosen[other] for other in earlier[seat]}
        free = [variant for variant in order if left[variant] > 0 and variant not in banned]
        return sorted(free, key=lambda variant: -left[variant])  # stable: ties keep the booklets' order

    # depth-first over the seats in order; each level keeps the variants still to try
    stack: list[list[str]] = []
    index = 0
    while index < len(seats):
        seat = seats[index]
        if len(stack) == index:
            stack.append(candidates(seat))
        else:  # back here after a dead end further on: give this seat's booklet back
            left[chosen.pop(seat)] += 1
        steps += 1
        if steps > SEARCH_LIMIT:
            break
        if stack[index]:
            variant = stack[index].pop(0)
            chosen[seat] = variant
            left[variant] -= 1
            index += 1
            continue
        stack.pop()
        index -= 1
        if index < 0:
            break
    if len(chosen) < len(seats):
        raise Refused(_("The booklets of room {room} cannot be handed out with no two neighbours alike: "
                        "ask for booklets of more variants.").format(room=room))
    return [Handout(seat, chosen[seat]) for seat in seats]


def balanced_booklets(variants: Sequence[str], seats: int, start: int = 0) -> dict[str, int]:
    """``seats`` booklets dealt over ``variants`` in turn from ``variants[start]``: counts differ by one at most."""
    if not variants:
        raise ValueError("no variants")
    counts = dict.fromkeys(variants, 0)
    for number in range(seats):
        counts[variants[(start + number) % len(variants)]] += 1
    return counts
