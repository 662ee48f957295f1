"""Distribution of the applicants to the rooms НЦТ opened (п. 89.12–89.14, 110; прил. 2).

After closing (п. 107) НЦТ opens the site's rooms per stream (``room-opening``, п. 89.11). Every live
application (not annulled) goes to its school's stream and to a room of its language status
(п. 80.2: ``kk``, ``ru``, ``en-kk``, ``en-ru``), in order: the applicants by school (region,
district, school code) and ИКТ; the rooms by number, the ordinary rooms first and the reserve rooms
last, and only those НЦТ opened. A room is filled to its seats before the next is opened.

:func:`distribute_applicants` is the rule — a pure function of (applicants, opened rooms) giving the
placements or refusing with the numbers that do not fit (per stream and language status: applicants
and seats). :func:`distribute` applies it to the database; :func:`placements` reads the result.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from common import codebook
from common.db.models import (
    Application,
    ApplicationStatus,
    IktRow,
    LanguageStatus,
    Room,
    RoomStream,
    School,
    Stream,
)
from common.errors import Refused
from common.i18n import _


@dataclass(frozen=True)
class Placement:
    application_id: int
    ikt: str
    stream_number: int
    room_number: str
    place: int
    """1.. within the room, in distribution order."""
    language_status: LanguageStatus
    is_reserve_room: bool


@dataclass(frozen=True)
class Candidate:
    """An applicant to place: ``stream_number`` is the stream of the school (``None``: not in one)."""

    application_id: int
    ikt: str
    stream_number: int | None
    language_status: LanguageStatus


@dataclass(frozen=True)
class OpenedRoom:
    stream_number: int
    room_number: str
    language_status: LanguageStatus
    seats: int
    is_reserve: bool = False


@dataclass(frozen=True)
class Shortfall:
    """``applicants`` of ``stream_number`` and ``language_status`` for only ``seats`` opened seats."""

    stream_number: int | None
    language_status: LanguageStatus
    applicants: int
    seats: int

    @property
    def missing(self) -> int:
        return self.applicants - self.seats


class NotDistributable(Refused):
    """The applicants do not fit in the opened rooms; ``shortfalls`` says where and by how many."""

    def __init__(self, shortfalls: Sequence[Shortfall]) -> None:
        self.shortfalls = tuple(shortfalls)
        parts = []
        for item in self.shortfalls:
            if item.stream_number is None:
                parts.append(_("{count} applicant(s) of schools in no stream").format(count=item.applicants))
            else:
                parts.append(_("stream {stream}, {language}: {applicants} applicant(s), {seats} seat(s) opened").format(
                    stream=item.stream_number, language=item.language_status.value, applicants=item.applicants,
                    seats=item.seats))
        super().__init__(_("The applicants do not fit in the rooms НЦТ opened — {details}.").format(
            details="; ".join(parts)))


def room_order(room: OpenedRoom) -> tuple[bool, str]:
    """Ordinary rooms before reserve rooms, each by number."""
    return (room.is_reserve, room.room_number)


def distribute_applicants(candidates: Sequence[Candidate], rooms: Iterable[OpenedRoom]) -> list[Placement]:
    """Every candidate placed, in the candidates' order, into the rooms (only opened rooms are given).

    Raises :class:`NotDistributable` naming every stream and language status whose applicants
    outnumber its seats (and the applicants of schools in no stream); nothing is placed then.
    """
    by_group: dict[tuple[int, LanguageStatus], list[OpenedRoom]] = defaultdict(list)
    for room in rooms:
        if room.seats > 0:
            by_group[(room.stream_number, room.language_status)].append(room)
    wanted: dict[tuple[int | None, LanguageStatus], int] = defaultdict(int)
    for candidate in candidates:
        wanted[(candidate.stream_number, candidate.language_status)] += 1
    shortfalls = []
    for (stream, language), count in sorted(wanted.items(), key=lambda item: (item[0][0] or 0, item[0][1].value)):
        seats = 0 if stream is None else sum(room.seats for room in by_group.get((stream, language), ()))
        if count > seats:
            shortfalls.append(Shortfall(stream, language, count, seats))
    if shortfalls:
        raise NotDistributable(shortfalls)

    # (rooms in order, index of the room being filled, places taken in it) per group
    queues = {key: sorted(value, key=room_order) for key, value in by_group.items()}
    filling: dict[tuple[int, LanguageStatus], list[int]] = {key: [0, 0] for key in queues}
    result: list[Placement] = []
    for candidate in candidates:
        assert candidate.stream_number is not None  # refused above otherwise
        key = (candidate.stream_number, candidate.language_status)
        queue, state = queues[key], filling[key]
        room = queue[state[0]]
        if state[1] >= room.seats:
            state[0] += 1
            state[1] = 0
            room = queue[state[0]]
        state[1] += 1
        result.append(Placement(candidate.application_id, candidate.ikt, candidate.stream_number, room.room_number,
                                state[1], candidate.language_status, room.is_reserve))
    return result


# --- the database --------------------------------------------------------------------------------


def candidates(session: Session) -> list[Candidate]:
    """The live applications in distribution order: by school (region, district, code), then ИКТ."""
    rows = session.execute(
        select(Application.id, IktRow.ikt, Stream.number, Application.test_language, Application.history_language)
        .join(IktRow, Application.ikt_row_id == IktRow.id)
        .join(School, Application.school_id == School.id)
        .outerjoin(Stream, School.stream_id == Stream.id)
        .where(Application.status != ApplicationStatus.ANNULLED)
        .order_by(School.region_code, School.district_code, School.code, IktRow.ikt))
    statuses: dict[tuple[object, object], LanguageStatus] = {}
    result = []
    for application_id, ikt, stream, test, history in rows:
        status = statuses.get((test, history))
        if status is None:
            status = statuses[(test, history)] = LanguageStatus(codebook.room_language_status(
                test.value, None if history is None else history.value))
        result.append(Candidate(application_id, ikt, stream, status))
    return result


def opened_rooms(session: Session) -> list[OpenedRoom]:
    """The rooms НЦТ opened, per stream, in the order they are filled."""
    rows = session.execute(
        select(Stream.number, Room.number, RoomStream.language_status, RoomStream.seats, Room.seats,
               RoomStream.is_reserve)
        .join(RoomStream, RoomStream.stream_id == Stream.id)
        .join(Room, RoomStream.room_id == Room.id)
        .where(RoomStream.opened.is_(True)))
    rooms = [OpenedRoom(stream, room, language, room_seats if seats is None else seats, reserve)
             for stream, room, language, seats, room_seats, reserve in rows]
    return sorted(rooms, key=lambda room: (room.stream_number, *room_order(room)))


@dataclass(frozen=True)
class Distributed:
    applicants: int
    rooms: int
    """Rooms (per stream) with at least one applicant."""
    reserve_rooms: int


def distribute(session: Session) -> Distributed:
    """Place the live applications into the opened rooms (replacing an earlier distribution).

    Needs the database closed and НЦТ's room opening taken; refused after the hand-over.
    """
    from arm_applications.closing import database_state

    state = database_state(session)
    if state is None:
        raise Refused(_("Close the applicant database with НЦТ's code first: the distribution comes after closing."))
    if state.handed_over_at is not None:
        raise Refused(_("The database is handed over to the programmer: the distribution is not redone."))
    if state.rooms_opened_at is None:
        raise Refused(_("НЦТ has not opened the rooms yet: take its room-opening package first (rooms import FILE)."))
    result = distribute_applicants(candidates(session), opened_rooms(session))
    room_ids = {(stream, room): room_stream_id for room_stream_id, stream, room in session.execute(
        select(RoomStream.id, Stream.number, Room.number)
        .join(Stream, RoomStream.stream_id == Stream.id).join(Room, RoomStream.room_id == Room.id))}
    # on the connection, one executemany: the ORM's bulk update would cost seconds for 100 000 rows
    connection = session.connection()
    connection.execute(update(Application).values(room_stream_id=None, place=None))
    if result:
        connection.execute(
            update(Application).where(Application.id == bindparam("placed_id"))
            .values(room_stream_id=bindparam("placed_room"), place=bindparam("placed_place")),
            [{"placed_id": item.application_id, "placed_room": room_ids[(item.stream_number, item.room_number)],
              "placed_place": item.place} for item in result])
    session.expire_all()
    state.distributed_at = datetime.now(UTC)
    session.flush()
    used = {(item.stream_number, item.room_number, item.is_reserve_room) for item in result}
    return Distributed(applicants=len(result), rooms=len(used), reserve_rooms=sum(1 for *_key, reserve in used
                                                                                   if reserve))


def placements(session: Session, stream_number: int | None = None) -> list[Placement]:
    """The distribution's result (empty before it), ordered by stream, room and place."""
    statement = (
        select(Application.id, IktRow.ikt, Stream.number, Room.number, Application.place, RoomStream.language_status,
               RoomStream.is_reserve)
        .join(IktRow, Application.ikt_row_id == IktRow.id)
        .join(RoomStream, Application.room_stream_id == RoomStream.id)
        .join(Stream, RoomStream.stream_id == Stream.id)
        .join(Room, RoomStream.room_id == Room.id)
        .where(Application.place.is_not(None))
        .order_by(Stream.number, Room.number, Application.place))
    if stream_number is not None:
        statement = statement.where(Stream.number == stream_number)
    return [Placement(application_id, ikt, stream, room, place, language, reserve)
            for application_id, ikt, stream, room, place, language, reserve in session.execute(statement)
            if place is not None]
