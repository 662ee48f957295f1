"""The desk plan of a room: where each seat number is, and which seats are neighbours.

This is the one place that says how a room's seats are numbered and laid out; the seat-numbering
scheme АРМ «База ППЕНТ» prints (прил. 12, п. 32.2), the seating draw and the booklet hand-out order
of АРМ «Программиста Министерства» (``arm_programmer/seating.py``) all read it.

The plan (an assumption: the instruction gives only two persons to a desk, п. 80.6, and seats from
30 to 120, п. 80.4)::

                 BOARD
      row 1       row 2       row 3          ← rows (ряды) of desks, side by side, aisles between
    [ 1 | 2 ]   [11 |12 ]   [21 |22 ]        ← place 0: the desks at the board
    [ 3 | 4 ]   [13 |14 ]   [23 |24 ]        ← place 1
      …           …           …
    [ 9 |10 ]   [19 |20 ]   [29 |30 ]        ← the back of the room

* The desks stand in :func:`rows_of_desks` rows: 3 for up to 15 desks, 4 up to 24, 5 up to 40, 6 above.
  Each row holds ``ceil(desks / rows)`` desks one behind the other (the last row may hold fewer).
* Seats are numbered row after row, each row from the board to the back, each desk left seat
  first: 1, 2 on the first desk of row 1, 3, 4 behind it, …
* A room with no desks entered (the programmer's copy of the database knows only its seats) has
  ``ceil(seats / 2)`` desks. A stream that uses fewer seats than the room has uses seats 1 … ``seats``.
* **Neighbours** of a seat are the seats directly left and right of it in the same line of desks
  — the desk-mate, and across the aisle the nearest seat of the next row — and directly in front
  of and behind it in the same row. Diagonal seats are not neighbours.

Seen as a grid, seat (row ``r``, place ``p``, side ``s``) is at column ``2r + s`` and line ``p``,
and neighbours differ by one in exactly one coordinate: the plan is a grid graph, so any number of
variants from two upwards can be handed out with no two neighbours alike; one variant cannot as
soon as two neighbouring seats are taken.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from common.codebook import SEATS_PER_DESK


@dataclass(frozen=True)
class DeskPlace:
    """A desk: ``row`` is the ряд (0 = leftmost seen from the board), ``place`` 0 = at the board."""

    row: int
    place: int
    seats: tuple[int, ...]


def rows_of_desks(desks: int) -> int:
    """How many rows (ряды) the desks stand in: 3 for a small room, up to 6 for the largest."""
    return 3 if desks <= 15 else 4 if desks <= 24 else 5 if desks <= 40 else 6


def seat_layout(desks: int) -> list[DeskPlace]:
    """Every desk with its seat numbers, numbered row after row from the board to the back."""
    rows = rows_of_desks(desks)
    per_row = math.ceil(desks / rows)
    places = []
    seat = 1
    for index in range(desks):
        row, place = divmod(index, per_row)
        places.append(DeskPlace(row, place, tuple(range(seat, seat + SEATS_PER_DESK))))
        seat += SEATS_PER_DESK
    return places


@dataclass(frozen=True)
class SeatPosition:
    """Where a seat is: ``column`` across the room from the left (two a desk), ``line`` from the board."""

    seat: int
    row: int
    place: int
    side: int
    """0 the desk's left seat, 1 its right seat."""

    @property
    def column(self) -> int:
        return self.row * SEATS_PER_DESK + self.side

    @property
    def line(self) -> int:
        return self.place


@dataclass(frozen=True)
class DeskPlan:
    """The seats 1 … ``seats`` of a room with ``desks`` desks. Build it with :func:`desk_plan`."""

    desks: int
    seats: int
    positions: tuple[SeatPosition, ...] = field(repr=False)
    """``positions[n - 1]`` is seat ``n``."""

    @property
    def rows(self) -> int:
        return rows_of_desks(self.desks)

    def position(self, seat: int) -> SeatPosition:
        if not 1 <= seat <= self.seats:
            raise ValueError(f"seat {seat} is not in a plan of {self.seats} seats")
        return self.positions[seat - 1]

    def neighbours(self, seat: int) -> tuple[int, ...]:
        """The seats left, right, in front of and behind ``seat`` (those of the plan), in seat order."""
        here = self.position(seat)
        around = {(here.column - 1, here.line), (here.column + 1, here.line),
                  (here.column, here.line - 1), (here.column, here.line + 1)}
        return tuple(sorted(other.seat for other in self.positions if (other.column, other.line) in around))

    def neighbour_pairs(self) -> tuple[tuple[int, int], ...]:
        """Every pair of neighbouring seats ``(lower, higher)``, once."""
        by_place = {(position.column, position.line): position.seat for position in self.positions}
        pairs = []
        for position in self.positions:
            for other in ((position.column + 1, position.line), (position.column, position.line + 1)):
                seat = by_place.get(other)
                if seat is not None:
                    pairs.append((min(position.seat, seat), max(position.seat, seat)))
        return tuple(sorted(pairs))


def desk_plan(desks: int, seats: int) -> DeskPlan:
    """The plan of a room of ``desks`` desks (0: unknown, then ``ceil(seats / 2)``) using ``seats`` seats."""
    if seats < 1:
        raise ValueError("a room has at least one seat")
    desks = max(desks, math.ceil(seats / SEATS_PER_DESK))
    positions = [
        SeatPosition(seat, place.row, place.place, side)
        for place in seat_layout(desks)
        for side, seat in enumerate(place.seats)
        if seat <= seats
    ]
    return DeskPlan(desks, seats, tuple(positions))
