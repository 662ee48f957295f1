"""A stream's exam day at a glance (the window's seating stage): its rooms, whether the take-over is closed,
the packages received (the applicant database, НЦТ's password data for the draw, the test specification,
the variants file), whether the seats are drawn, and what blocks the next step. Read only."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from arm_programmer.draw import stream_draw
from arm_programmer.takeover import takeover_state
from common.db.exchange_models import PasswordVerifier
from common.db.models import ApplicantDatabaseState, Application, ApplicationStatus, Room, RoomStream, Stream
from common.db.programmer_models import LateSeating
from common.db.variant_models import StreamSpecification, StreamVariants
from common.exchange.dictated import slot_code
from common.exchange.ledger import stream_key
from common.i18n import _


@dataclass(frozen=True)
class DayRoom:
    room: str
    language: str
    reserve: bool
    opened: bool
    seats: int
    desks: int
    placed: int
    late: int


@dataclass(frozen=True)
class StreamDay:
    stream: int
    date: str
    taken: bool
    closed: bool
    draw_code: bool
    """НЦТ's password data for this stream's draw has arrived."""
    specification: str | None
    variants: bool
    drawn_at: str | None
    digest: str | None
    rooms: tuple[DayRoom, ...]
    next_step: str
    """What to do next, or what blocks it — one translated line."""


def stream_numbers(session: Session) -> list[int]:
    return list(session.scalars(select(Stream.number).order_by(Stream.number)))


def stream_day(session: Session, stream_number: int) -> StreamDay:
    stream = session.scalar(select(Stream).where(Stream.number == stream_number))
    taken = session.get(ApplicantDatabaseState, 1) is not None
    closed = takeover_state(session) is not None
    code = session.scalar(select(func.count()).select_from(PasswordVerifier).where(
        PasswordVerifier.purpose == "seating-draw", PasswordVerifier.stream_key == stream_key(stream_number),
        PasswordVerifier.slot == slot_code())) or 0
    if stream is None:
        return StreamDay(stream_number, "", taken, closed, bool(code), None, False, None, None, (),
                         _("Take the applicant database (handover import FILE)."))
    spec = session.scalar(select(StreamSpecification.spec_code).where(StreamSpecification.stream_id == stream.id))
    variants = session.scalar(select(StreamVariants.id).where(StreamVariants.stream_id == stream.id)) is not None
    drawn = stream_draw(session, stream_number)
    counts = {use: (placed, late) for use, placed, late in session.execute(
        select(Application.room_stream_id, func.count(Application.id), func.count(LateSeating.id))
        .outerjoin(LateSeating, LateSeating.application_id == Application.id)
        .where(Application.status != ApplicationStatus.ANNULLED, Application.room_stream_id.is_not(None))
        .group_by(Application.room_stream_id))}
    rooms = tuple(
        DayRoom(number, use.language_status.value, use.is_reserve, use.opened, use.seats or seats, desks,
                *counts.get(use.id, (0, 0)))
        for use, number, seats, desks in session.execute(
            select(RoomStream, Room.number, Room.seats, Room.desks).join(Room, RoomStream.room_id == Room.id)
            .where(RoomStream.stream_id == stream.id).order_by(RoomStream.is_reserve, Room.number)))
    if not closed:
        step = _("Enter the journal of changes, then close the database (takeover stage).")
    elif drawn is None and not code:
        step = _("Blocked: НЦТ's password data for the seating draw of stream {stream} has not arrived — take its "
                 "package.").format(stream=stream_number)
    elif drawn is None:
        step = _("Draw the seats with the code НЦТ dictates for stream {stream}.").format(stream=stream_number)
    elif spec is None or not variants:
        step = _("Seats drawn. Waiting for НЦТ's test specification and variants file (variants import FILE).")
    else:
        step = _("Seats drawn and НЦТ's files received: print the seating lists.")
    return StreamDay(stream_number, stream.exam_date.isoformat(), taken, closed, bool(code), spec, variants,
                     None if drawn is None else drawn.drawn_at.isoformat(), None if drawn is None else drawn.digest,
                     rooms, step)
