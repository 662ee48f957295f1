"""НЦТ's room opening (``room-opening``, п. 89.11): which rooms of which stream take applicants.

After the site closed its applicant database and sent the final applicant file, НЦТ opens, per
stream and language status, as many of the site's rooms as its applicants need; reserve rooms are
kept back unless they are needed. Taking the package (``rooms import FILE`` or ``package open``)
writes the rooms and their per-stream use into this workstation's ``rooms`` and ``room_streams``
with ``opened`` set as НЦТ says, in one transaction, and keeps the payload whole. A later opening
replaces the earlier one and undoes a distribution made on it; after the hand-over it is refused.
The payload: ``docs/packages.md``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from arm_applications.closing import database_state
from common import codebook
from common.db.models import Application, LanguageStatus, Room, RoomStream, Stream, Ventilation
from common.errors import Refused
from common.exchange import kinds
from common.exchange.importers import ImportContext, register_importer
from common.exchange.package import OpenedPackage
from common.exchange.store import keep_payload
from common.exchange.taking import TakenPackage, take_package
from common.i18n import _

KIND: Final = kinds.ROOM_OPENING.name
PAYLOAD_FORMAT: Final = 1


@dataclass(frozen=True)
class RoomUse:
    stream: int
    room: str
    language: str
    seats: int
    reserve: bool
    opened: bool
    placed: int
    """Applicants the distribution placed in it (0 before the distribution)."""


def _bad(section: str) -> Refused:
    return Refused(_("The room opening's section {section} is malformed.").format(section=section))


def _whole(value: Any, section: str, *, least: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise _bad(section)
    return value


def _rooms(raw: Any) -> dict[str, Mapping[str, Any]]:
    if not isinstance(raw, list):
        raise _bad("rooms")
    rooms: dict[str, Mapping[str, Any]] = {}
    for number, item in enumerate(raw, start=1):
        section = f"rooms[{number}]"
        if not isinstance(item, Mapping):
            raise _bad(section)
        room = item.get("number")
        if not isinstance(room, str) or not codebook.is_code(room, codebook.ROOM_DIGITS) or room in rooms:
            raise _bad(section)
        _whole(item.get("seats"), section, least=1)
        _whole(item.get("desks", 0), section)
        if item.get("ventilation", Ventilation.NATURAL.value) not in {value.value for value in Ventilation}:
            raise _bad(section)
        rooms[room] = item
    return rooms


def _uses(raw: Any, rooms: Mapping[str, Mapping[str, Any]], streams: Mapping[int, Stream]) -> list[dict[str, Any]]:
    if not isinstance(raw, list):
        raise _bad("room_streams")
    uses: list[dict[str, Any]] = []
    seen: set[tuple[int, str]] = set()
    for number, item in enumerate(raw, start=1):
        section = f"room_streams[{number}]"
        if not isinstance(item, Mapping):
            raise _bad(section)
        stream, room = item.get("stream"), item.get("room_number")
        if not isinstance(room, str) or room not in rooms or not isinstance(stream, int) or (stream, room) in seen:
            raise _bad(section)
        if stream not in streams:
            raise Refused(_("НЦТ's room opening uses stream {stream}, which the site plan does not have.").format(
                stream=stream))
        if item.get("language") not in {value.value for value in LanguageStatus}:
            raise _bad(section)
        if not isinstance(item.get("reserve", False), bool) or not isinstance(item.get("opened"), bool):
            raise _bad(section)
        seen.add((stream, room))
        uses.append({"stream": stream, "room": room, "language": LanguageStatus(item["language"]),
                     "reserve": item.get("reserve", False), "opened": item["opened"],
                     "seats": _whole(item.get("seats", rooms[room]["seats"]), section, least=1)})
    return uses


def import_room_opening(session: Session, opened: OpenedPackage, context: ImportContext) -> str:
    """The importer of ``room-opening`` packages: the rooms and which of them НЦТ opened per stream."""
    payload = opened.payload
    if payload.get("format") != PAYLOAD_FORMAT:
        raise Refused(_("The room opening is in format {format}, which this program does not know.").format(
            format=payload.get("format")))
    from arm_applications.plan import plan_site

    site = plan_site(session)
    if payload.get("site") != site.code:
        raise Refused(_("The room opening is of site {inside}, but this workstation is at site {own}.").format(
            inside=payload.get("site"), own=site.code))
    state = database_state(session)
    if state is None:
        raise Refused(_("НЦТ opens the rooms after the applicant database is closed: close it first."))
    if state.handed_over_at is not None:
        raise Refused(_("The database is handed over to the programmer: a new room opening is not taken."))
    streams = {stream.number: stream for stream in site.streams}
    rooms = _rooms(payload.get("rooms"))
    uses = _uses(payload.get("room_streams"), rooms, streams)
    if not any(use["opened"] for use in uses):
        raise Refused(_("НЦТ's room opening opens no room."))

    # a new opening undoes the distribution made on the earlier one
    session.execute(update(Application).values(room_stream_id=None, place=None))
    state.distributed_at = None
    existing = {room.number: room for room in site.rooms}
    for number, entry in rooms.items():
        row = existing.get(number)
        if row is None:
            row = Room(site_id=site.id, number=number, desks=0, seats=1, ventilation=Ventilation.NATURAL)
            session.add(row)
        row.seats = entry["seats"]
        row.desks = entry.get("desks", 0)
        row.ventilation = Ventilation(entry.get("ventilation", Ventilation.NATURAL.value))
    session.flush()
    rooms_by_number = {room.number: room for room in session.scalars(select(Room).where(Room.site_id == site.id))}
    for old in session.scalars(select(RoomStream).join(Room).where(Room.site_id == site.id)):
        session.delete(old)
    session.flush()
    for use in uses:
        session.add(RoomStream(room_id=rooms_by_number[use["room"]].id, stream_id=streams[use["stream"]].id,
                               language_status=use["language"], is_reserve=use["reserve"], seats=use["seats"],
                               opened=use["opened"]))
    state.rooms_opened_at = datetime.now(UTC)
    keep_payload(session, opened)
    session.flush()
    opened_uses = [use for use in uses if use["opened"]]
    return _("НЦТ's room opening taken: {opened} room(s) opened in {streams} stream(s), {seats} seats; {kept} reserve "
             "room(s) kept back.").format(
        opened=len(opened_uses), streams=len({use["stream"] for use in opened_uses}),
        seats=sum(use["seats"] for use in opened_uses),
        kept=sum(1 for use in uses if use["reserve"] and not use["opened"]))


register_importer(KIND, import_room_opening, role="applications")


def room_uses(session: Session) -> list[RoomUse]:
    """Every room per stream as НЦТ's opening left it, with the applicants placed, by stream and room."""
    from sqlalchemy import func

    placed = {use: count for use, count in session.execute(
        select(Application.room_stream_id, func.count()).where(Application.room_stream_id.is_not(None))
        .group_by(Application.room_stream_id))}
    rows = session.execute(select(RoomStream, Stream.number, Room.number, Room.seats)
                           .join(Stream, RoomStream.stream_id == Stream.id).join(Room, RoomStream.room_id == Room.id)
                           .order_by(Stream.number, RoomStream.is_reserve, Room.number))
    return [RoomUse(stream, room, use.language_status.value, use.seats if use.seats is not None else seats,
                    use.is_reserve, use.opened, placed.get(use.id, 0))
            for use, stream, room, seats in rows]


def take_room_opening(session: Session, data: bytes, password: str, name: str, context: ImportContext
                      ) -> TakenPackage:
    """Open, check and import a ``room-opening`` package file in ``session``'s transaction."""

    return take_package(session, data, password, name, context, {KIND: import_room_opening})


def summary_lines(uses: Sequence[RoomUse]) -> list[str]:
    lines = []
    for use in uses:
        state = _("opened") if use.opened else _("kept back")
        reserve = " " + _("(reserve)") if use.reserve else ""
        lines.append(_("Stream {stream}, room {room}{reserve}: {language}, {seats} seats, {state}, {placed} placed")
                     .format(stream=use.stream, room=use.room, reserve=reserve, language=use.language,
                             seats=use.seats, state=state, placed=use.placed))
    return lines
