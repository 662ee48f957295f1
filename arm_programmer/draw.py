"""The seating draw of a stream on the workstation (п. 52.11): done once, kept, read back.

:func:`draw_stream` gives every applicant the distribution placed in the stream a seat of their room
at random (``arm_programmer.seating.draw_seats``), writes the seats (``Application.seat``) and a
:class:`~common.db.programmer_models.StreamDraw` row with the digest of the draw's inputs and result —
in the caller's transaction. A second draw of the same stream raises :class:`AlreadyDrawn`, also
after a restart (the row is in the database); the command audits that refusal before it refuses.
:func:`drawn_seats` reads a stream's seats back for the prints (by room, then seat).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from arm_programmer.seating import DrawRoom, draw_digest, draw_seats
from common.db.models import (
    Applicant,
    Application,
    ApplicationStatus,
    IktRow,
    LanguageStatus,
    Room,
    RoomStream,
    Stream,
)
from common.db.programmer_models import LateSeating, StreamDraw
from common.errors import Refused
from common.i18n import _
from common.security.audit import AuditLog


@dataclass(frozen=True)
class DrawnSeat:
    """An applicant's seat in the stream (the seating list's line, прил. 5 Правил)."""

    application_id: int
    ikt: str
    full_name: str
    stream_number: int
    room_number: str
    seat: int
    language_status: LanguageStatus
    late: bool
    """Seated by the state commission's decision (досадка, п. 130), not by the draw."""


@dataclass(frozen=True)
class DrawResult:
    stream_number: int
    rooms: int
    applicants: int
    digest: str
    drawn_at: datetime
    drawn_by: str


class AlreadyDrawn(Refused):
    """The stream's seats were drawn already (the draw happens once, п. 52.11)."""

    def __init__(self, stream_number: int, held: StreamDraw) -> None:
        super().__init__(_("The seats of stream {stream} were drawn already ({moment}, digest {digest}…): the draw "
                           "happens only once (п. 52.11).").format(
            stream=stream_number, moment=f"{held.drawn_at:%Y-%m-%d %H:%M} UTC", digest=held.digest[:12]))
        self.held = held


def stream_of(session: Session, stream_number: int) -> Stream:
    stream = session.scalar(select(Stream).where(Stream.number == stream_number))
    if stream is None:
        raise Refused(_("Stream {stream} is not a stream of the applicant database here.").format(
            stream=stream_number))
    return stream


def stream_draw(session: Session, stream_number: int) -> StreamDraw | None:
    """The stream's draw, or ``None`` when its seats are not drawn yet."""
    return session.scalar(select(StreamDraw).join(Stream, StreamDraw.stream_id == Stream.id)
                          .where(Stream.number == stream_number))


def draw_rooms(session: Session, stream: Stream) -> list[DrawRoom]:
    """The draw's inputs: each opened room of the stream with its seats, desks and the applications placed in it."""
    uses = session.execute(
        select(RoomStream.id, Room.number, RoomStream.seats, Room.seats, Room.desks)
        .join(Room, RoomStream.room_id == Room.id)
        .where(RoomStream.stream_id == stream.id, RoomStream.opened.is_(True))
        .order_by(Room.number)).all()
    placed: dict[int, list[int]] = {use_id: [] for use_id, *_rest in uses}
    rows = session.execute(
        select(Application.room_stream_id, Application.id)
        .where(Application.room_stream_id.in_(list(placed)), Application.status != ApplicationStatus.ANNULLED)
        .order_by(Application.place, Application.id))
    for use_id, application_id in rows:
        if use_id is not None:
            placed[use_id].append(application_id)
    return [DrawRoom(room=number, seats=use_seats or room_seats, desks=desks, applicants=tuple(placed[use_id]))
            for use_id, number, use_seats, room_seats, desks in uses]


def draw_stream(session: Session, stream_number: int, *, code_ok: bool, actor: str,
                random_source: random.Random) -> DrawResult:
    """Draw the stream's seats once, in ``session``'s transaction (``code_ok``: НЦТ's code was accepted).

    Raises :class:`AlreadyDrawn` for a second draw, ``Refused`` when the code was not accepted, the
    stream is unknown or has nobody placed in it.
    """
    if not code_ok:
        raise Refused(_("The seating draw needs НЦТ's password for the stream."))
    stream = stream_of(session, stream_number)
    held = stream_draw(session, stream_number)
    if held is not None:
        raise AlreadyDrawn(stream_number, held)
    rooms = draw_rooms(session, stream)
    if not any(room.applicants for room in rooms):
        raise Refused(_("Nobody is placed in stream {stream}: there are no seats to draw.").format(
            stream=stream_number))
    result = draw_seats(rooms, random_source)
    seats = {item.application_id: item.seat for item in result}
    for application in session.scalars(select(Application).where(Application.id.in_(list(seats)))):
        application.seat = seats[application.id]
    digest = draw_digest(rooms, result)
    row = StreamDraw(stream_id=stream.id, drawn_by=actor[:100], digest=digest, applicants=len(result),
                     rooms=sum(1 for room in rooms if room.applicants))
    session.add(row)
    session.flush()
    return DrawResult(stream_number, row.rooms, row.applicants, digest, row.drawn_at, row.drawn_by)


def full_name(applicant: Applicant) -> str:
    return " ".join(part for part in (applicant.surname, applicant.name, applicant.patronymic) if part)


def drawn_seats(session: Session, stream_number: int) -> list[DrawnSeat]:
    """Every seated applicant of the stream, by room then seat (empty before the draw)."""
    late = set(session.scalars(select(LateSeating.application_id)))
    rows = session.execute(
        select(Application.id, IktRow.ikt, Applicant, Room.number, Application.seat, RoomStream.language_status)
        .join(IktRow, Application.ikt_row_id == IktRow.id)
        .join(Applicant, Application.applicant_id == Applicant.id)
        .join(RoomStream, Application.room_stream_id == RoomStream.id)
        .join(Room, RoomStream.room_id == Room.id)
        .join(Stream, RoomStream.stream_id == Stream.id)
        .where(Stream.number == stream_number, Application.seat.is_not(None),
               Application.status != ApplicationStatus.ANNULLED))
    seats = [DrawnSeat(application_id, ikt, full_name(applicant), stream_number, room, seat or 0,
                       LanguageStatus(language),
                       application_id in late)
             for application_id, ikt, applicant, room, seat, language in rows]
    return sorted(seats, key=lambda item: (item.room_number, item.seat))


@dataclass(frozen=True)
class DrawOutcome:
    """What :func:`draw_with_code` did; the caller commits (the audit and the counted attempt stay), then
    calls :meth:`raise_if_refused`."""

    result: DrawResult | None
    refusal: Refused | None

    def raise_if_refused(self) -> DrawResult:
        if self.refusal is not None:
            raise self.refusal
        assert self.result is not None
        return self.result


def draw_with_code(session: Session, stream_number: int, *, code: str, audit: AuditLog, actor: str,
                   random_source: random.Random) -> DrawOutcome:
    """The draw as the command and the window do it: the take-over closed, not drawn before (a repeat is
    audited, with the digest of the draw that stands), НЦТ's ``seating-draw`` code for the stream, then
    :func:`draw_stream` and its digest in the audit log."""
    from arm_programmer.takeover import require_closed
    from common.db import workstation_info
    from common.exchange.dictated import check_dictated_code

    require_closed(session)
    stream_of(session, stream_number)  # Refused for a stream not here
    target = f"stream/{stream_number}"
    held = stream_draw(session, stream_number)
    if held is not None:
        audit.record(session, actor=actor, action="draw.refused", target=target,
                     details={"reason": "drawn already", "digest": held.digest})
        return DrawOutcome(None, AlreadyDrawn(stream_number, held))
    identity = workstation_info.get_identity(session)
    site_code = "" if identity is None or identity.site_code is None else identity.site_code
    check = check_dictated_code(session, site_code=site_code, purpose="seating-draw", stream=stream_number,
                                typed=code, audit=audit, actor=actor)
    if not check.accepted:
        return DrawOutcome(None, Refused(check.message))
    result = draw_stream(session, stream_number, code_ok=True, actor=actor, random_source=random_source)
    audit.record(session, actor=actor, action="draw.done", target=target,
                 details={"digest": result.digest, "rooms": result.rooms, "applicants": result.applicants})
    return DrawOutcome(result, None)
