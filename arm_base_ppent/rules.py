"""The rules of the room fund (п. 80–81), as pure checks the window runs while the user types and
the services run again before they write.

Each check returns translated one-line messages (empty when all is well), so the same words reach
the window, the command line and the tests.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from arm_base_ppent.vocabulary import VENTILATION
from common import codebook
from common.i18n import _


@dataclass(frozen=True)
class RoomDraft:
    """A room as typed in the form, before it is saved (п. 80–81)."""

    number: str
    desks: int
    ventilation: str
    jammers: int = 0
    cameras: int = 0
    building: str = ""

    @property
    def seats(self) -> int:
        """Two persons to a desk (п. 80.6)."""
        return self.desks * codebook.SEATS_PER_DESK


@dataclass(frozen=True)
class StreamUse:
    """How one room is used in one stream: its language status and whether it is a reserve room."""

    room_number: str
    stream: int
    language: str
    reserve: bool


def normalise_room_number(number: str) -> str:
    """``"3"`` → ``"03"``; other text is returned stripped, for :func:`room_number_problem` to judge."""
    text = number.strip()
    if text.isascii() and text.isdigit() and 0 < int(text) < 10**codebook.ROOM_DIGITS:
        return codebook.format_code(int(text), codebook.ROOM_DIGITS)
    return text


def room_number_problem(number: str, taken: Iterable[str] = ()) -> str | None:
    """A message when ``number`` is not a room number (01, 02 …, прил. 11) or is already taken."""
    normalised = normalise_room_number(number)
    if not codebook.is_code(normalised, codebook.ROOM_DIGITS) or normalised == "00":
        return _("A room number has {digits} digits: 01, 02, 03 … (прил. 11).").format(
            digits=codebook.ROOM_DIGITS
        )
    if normalised in set(taken):
        return _("Room {room} is already in the room fund.").format(room=normalised)
    return None


def building_key(building: str) -> str:
    """Buildings compared without case and extra spaces: «Корпус 1» and «корпус  1» are one."""
    return " ".join(building.casefold().split())


def building_problem(building: str, other_buildings: Iterable[str]) -> str | None:
    """п. 80.1: every room is in one building (корпус)."""
    if not building.strip():
        return _("Name the building the room is in (п. 80.1).")
    others = sorted({b.strip() for b in other_buildings if b.strip()}, key=lambda b: (building_key(b), b))
    mine = building_key(building)
    different = [b for b in others if building_key(b) != mine]
    if different:
        return _("All rooms must be in one building (п. 80.1); the other rooms are in «{building}».").format(
            building=different[0]
        )
    return None


def room_problems(
    draft: RoomDraft, *, taken_numbers: Iterable[str] = (), other_buildings: Iterable[str] = ()
) -> list[str]:
    """Every rule of п. 80–81 that ``draft`` breaks, in the order of the form's fields."""
    problems: list[str] = []
    number = room_number_problem(draft.number, taken_numbers)
    if number:
        problems.append(number)
    if draft.desks <= 0:
        problems.append(_("Enter the number of desks; a room has two seats per desk (п. 80.6)."))
    else:
        seats = codebook.validate_room_seats(draft.seats)
        if seats:
            problems.append(
                _("{desks} desks give {seats} seats (2 per desk, п. 80.6). {rule}").format(
                    desks=draft.desks, seats=draft.seats, rule=seats
                )
            )
    building = building_problem(draft.building, other_buildings)
    if building:
        problems.append(building)
    if draft.jammers < 0 or draft.cameras < 0:
        problems.append(_("The numbers of jammers and cameras cannot be negative."))
    if draft.ventilation not in VENTILATION:
        problems.append(_("Choose the room's type of ventilation (п. 81)."))
    return problems


def stream_use_problems(use: StreamUse, others_in_stream: Iterable[StreamUse]) -> list[str]:
    """п. 80.2, 80.5: a known language status; at most 12 rooms and 2 reserve rooms in a stream.

    ``others_in_stream`` are the other rooms of the same stream (this room's old record excluded).
    """
    problems: list[str] = []
    if use.language not in codebook.ROOM_LANGUAGE_STATUSES:
        problems.append(
            _("Choose the room's language status in stream {stream} (п. 80.2).").format(stream=use.stream)
        )
    others = [other for other in others_in_stream if other.room_number != use.room_number]
    if use.reserve:
        reserves = sum(1 for other in others if other.reserve)
        if reserves >= codebook.MAX_RESERVE_ROOMS_PER_STREAM:
            message = _("Stream {stream} already has {count} reserve rooms, the most allowed (п. 80.5).")
            problems.append(message.format(stream=use.stream, count=reserves))
    else:
        rooms = sum(1 for other in others if not other.reserve)
        if rooms >= codebook.MAX_ROOMS_PER_STREAM:
            message = _(
                "Stream {stream} already has {count} rooms, the most allowed (п. 80.5); "
                "a further room can only be a reserve room."
            )
            problems.append(message.format(stream=use.stream, count=rooms))
    return problems


def seats_hint(desks: int) -> str:
    """What the seat count of ``desks`` desks is, for the form's live label."""
    return _("{seats} seats ({desks} desks × 2)").format(seats=desks * codebook.SEATS_PER_DESK, desks=desks)
