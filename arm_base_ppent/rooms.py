"""The room fund («Аудиторный фонд», п. 80–82): rooms of one building and their use per stream.

A room is entered once (number, desks, ventilation, jammers, cameras, building); for each stream
it is used in, a record says its language status and whether it is a reserve room. Every change
is checked against :mod:`arm_base_ppent.rules` before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from arm_base_ppent.rules import (
    RoomDraft,
    StreamUse,
    normalise_room_number,
    room_problems,
    stream_use_problems,
)
from arm_base_ppent.site import current_site
from arm_base_ppent.streams import find_stream
from common.db.models import LanguageStatus, Room, RoomStream, Stream, Ventilation
from common.errors import Refused
from common.i18n import _


@dataclass(frozen=True)
class RoomRow:
    """A room with its use in every stream, ordered by stream."""

    number: str
    desks: int
    seats: int
    ventilation: str
    jammers: int
    cameras: int
    building: str
    uses: tuple[StreamUse, ...] = ()

    def use_in(self, stream: int) -> StreamUse | None:
        return next((use for use in self.uses if use.stream == stream), None)

    def draft(self) -> RoomDraft:
        return RoomDraft(self.number, self.desks, self.ventilation, self.jammers, self.cameras, self.building)


def list_rooms(session: Session) -> list[RoomRow]:
    site = current_site(session)
    rooms = session.scalars(
        select(Room)
        .where(Room.site_id == site.id)
        .order_by(Room.number)
        .options(selectinload(Room.streams).selectinload(RoomStream.stream))
    ).all()
    return [_row(room) for room in rooms]


def stream_uses(session: Session, stream: int | None = None) -> list[StreamUse]:
    """Every room's record in ``stream`` (or in every stream), ordered by stream and room."""
    site = current_site(session)
    query = (
        select(RoomStream, Room.number, Stream.number)
        .join(Room, RoomStream.room_id == Room.id)
        .join(Stream, RoomStream.stream_id == Stream.id)
        .where(Room.site_id == site.id)
        .order_by(Stream.number, Room.number)
    )
    if stream is not None:
        query = query.where(Stream.number == stream)
    return [
        StreamUse(
            room_number=number,
            stream=stream_number,
            language=str(record.language_status.value),
            reserve=record.is_reserve,
        )
        for record, number, stream_number in session.execute(query).all()
    ]


def check_room(session: Session, draft: RoomDraft, *, replacing: str | None = None) -> list[str]:
    """The rules ``draft`` breaks against the rooms already saved (``replacing``: its own old number)."""
    site = current_site(session)
    others = [room for room in list_rooms(session) if room.number != replacing]
    buildings = [room.building for room in others]
    if site.address:
        buildings.append(site.address)
    return room_problems(draft, taken_numbers=[room.number for room in others], other_buildings=buildings)


def add_room(session: Session, draft: RoomDraft) -> RoomRow:
    """Add a room to the fund; ``Refused`` with the first broken rule."""
    draft = _normalised(draft)
    _refuse_if_any(check_room(session, draft))
    site = current_site(session)
    room = Room(
        site_id=site.id,
        number=draft.number,
        desks=draft.desks,
        seats=draft.seats,
        ventilation=Ventilation(draft.ventilation),
        jammers_count=draft.jammers,
        cameras_count=draft.cameras,
        building=draft.building.strip(),
    )
    session.add(room)
    session.flush()
    return _row(room)


def update_room(session: Session, number: str, draft: RoomDraft) -> RoomRow:
    """Change room ``number`` (its number too, if ``draft`` has another one)."""
    room = _room(session, number)
    draft = _normalised(draft)
    _refuse_if_any(check_room(session, draft, replacing=room.number))
    room.number = draft.number
    room.desks = draft.desks
    room.seats = draft.seats
    room.ventilation = Ventilation(draft.ventilation)
    room.jammers_count = draft.jammers
    room.cameras_count = draft.cameras
    room.building = draft.building.strip()
    session.flush()
    return _row(room)


def room_row(session: Session, number: str) -> RoomRow:
    """Room ``number`` with its use in every stream (refused when there is no such room)."""
    return _row(_room(session, number))


def removal_warning(room: RoomRow) -> str | None:
    """What else goes when ``room`` is removed (its use in streams), or None when nothing does.

    The window asks with this text before removing; the command refuses with it unless confirmed.
    """
    if not room.uses:
        return None
    return _("Room {room} is used in {count} stream(s) ({streams}); its use there is removed too.").format(
        room=room.number, count=len(room.uses), streams=", ".join(str(use.stream) for use in room.uses)
    )


def remove_room(session: Session, number: str, *, with_uses: bool = False) -> None:
    """Remove room ``number``; a room used in streams is refused unless ``with_uses`` (its records
    in every stream go with it)."""
    room = _room(session, number)
    warning = removal_warning(_row(room))
    if warning and not with_uses:
        raise Refused(warning + " " + _("Confirm to remove it with its use in the streams."))
    session.delete(room)
    session.flush()


def check_use(session: Session, use: StreamUse) -> list[str]:
    """The rules a room's record in a stream would break (п. 80.2, 80.5)."""
    return stream_use_problems(use, stream_uses(session, use.stream))


def set_room_use(session: Session, number: str, stream: int, language: str, reserve: bool = False) -> RoomRow:
    """Use room ``number`` in ``stream`` with ``language`` status, as a reserve room or not."""
    room = _room(session, number)
    stream_row = find_stream(session, stream)
    use = StreamUse(room.number, stream, language, reserve)
    _refuse_if_any(check_use(session, use))
    record = next((r for r in room.streams if r.stream_id == stream_row.id), None)
    if record is None:
        record = RoomStream(
            room=room, stream=stream_row, language_status=LanguageStatus(language), is_reserve=reserve
        )
        session.add(record)
    else:
        record.language_status = LanguageStatus(language)
        record.is_reserve = reserve
    session.flush()
    session.refresh(room)
    return _row(room)


def clear_room_use(session: Session, number: str, stream: int) -> RoomRow:
    """Room ``number`` is not used in ``stream`` any more."""
    room = _room(session, number)
    stream_row = find_stream(session, stream)
    record = next((r for r in room.streams if r.stream_id == stream_row.id), None)
    if record is None:
        message = _("Room {room} is not used in stream {stream}.")
        raise Refused(message.format(room=room.number, stream=stream))
    room.streams.remove(record)
    session.delete(record)
    session.flush()
    return _row(room)


def rooms_by_number(rows: Iterable[RoomRow]) -> dict[str, RoomRow]:
    return {row.number: row for row in rows}


def _room(session: Session, number: str) -> Room:
    site = current_site(session)
    normalised = normalise_room_number(number)
    room = session.scalar(select(Room).where(Room.site_id == site.id, Room.number == normalised))
    if room is None:
        raise Refused(_("There is no room {room} in the room fund.").format(room=normalised))
    return room


def _normalised(draft: RoomDraft) -> RoomDraft:
    return RoomDraft(
        normalise_room_number(draft.number),
        draft.desks,
        draft.ventilation,
        draft.jammers,
        draft.cameras,
        " ".join(draft.building.split()),
    )


def _refuse_if_any(problems: list[str]) -> None:
    if problems:
        raise Refused(problems[0])


def _row(room: Room) -> RoomRow:
    uses = sorted(
        (
            StreamUse(room.number, record.stream.number, str(record.language_status.value), record.is_reserve)
            for record in room.streams
        ),
        key=lambda use: use.stream,
    )
    return RoomRow(
        number=room.number,
        desks=room.desks,
        seats=room.seats,
        ventilation=str(room.ventilation.value),
        jammers=room.jammers_count,
        cameras=room.cameras_count,
        building=room.building or "",
        uses=tuple(uses),
    )
