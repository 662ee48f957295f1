"""The testing schedule: the site's streams (потоки) and their exam dates (п. 79.2)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from arm_base_ppent.site import current_site
from common import codebook
from common.db.models import RoomStream, School, Stream
from common.errors import Refused
from common.i18n import _

MAX_STREAM: int = 10**codebook.STREAM_DIGITS - 1


@dataclass(frozen=True)
class StreamRow:
    number: int
    exam_date: date
    rooms: int
    schools: int


def list_streams(session: Session) -> list[StreamRow]:
    site = current_site(session)
    rooms = (select(RoomStream.stream_id, func.count().label("n")).group_by(RoomStream.stream_id)).subquery()
    schools = (select(School.stream_id, func.count().label("n")).group_by(School.stream_id)).subquery()
    query = (
        select(Stream.number, Stream.exam_date, func.coalesce(rooms.c.n, 0), func.coalesce(schools.c.n, 0))
        .outerjoin(rooms, rooms.c.stream_id == Stream.id)
        .outerjoin(schools, schools.c.stream_id == Stream.id)
        .where(Stream.site_id == site.id)
        .order_by(Stream.number)
    )
    return [
        StreamRow(number, exam_date, int(room_count), int(school_count))
        for number, exam_date, room_count, school_count in session.execute(query).all()
    ]


def find_stream(session: Session, number: int) -> Stream:
    site = current_site(session)
    stream = session.scalar(select(Stream).where(Stream.site_id == site.id, Stream.number == number))
    if stream is None:
        raise Refused(_("There is no stream {stream} in the schedule.").format(stream=number))
    return stream


def stream_problem(
    session: Session, number: int, exam_date: date | None, *, replacing: int | None = None
) -> str | None:
    """What is wrong with stream ``number`` on ``exam_date``, or None."""
    if not 1 <= number <= MAX_STREAM:
        return _("A stream number runs from 1 to {maximum}.").format(maximum=MAX_STREAM)
    if exam_date is None:
        return _("Enter the exam date of stream {stream}.").format(stream=number)
    taken = {row.number for row in list_streams(session)} - {replacing}
    if number in taken:
        return _("Stream {stream} is already in the schedule.").format(stream=number)
    return None


def add_stream(session: Session, exam_date: date, number: int | None = None) -> StreamRow:
    """Add a stream on ``exam_date``; its number is the next free one unless given."""
    site = current_site(session)
    if number is None:
        number = max((row.number for row in list_streams(session)), default=0) + 1
    problem = stream_problem(session, number, exam_date)
    if problem:
        raise Refused(problem)
    session.add(Stream(site_id=site.id, number=number, exam_date=exam_date))
    session.flush()
    return StreamRow(number, exam_date, 0, 0)


def set_stream_date(session: Session, number: int, exam_date: date) -> StreamRow:
    stream = find_stream(session, number)
    stream.exam_date = exam_date
    session.flush()
    return next(row for row in list_streams(session) if row.number == number)


def remove_stream(session: Session, number: int) -> None:
    """Remove an empty stream; one with rooms or schools is refused (move them first)."""
    stream = find_stream(session, number)
    row = next(row for row in list_streams(session) if row.number == number)
    if row.rooms or row.schools:
        raise Refused(
            _(
                "Stream {stream} still has {rooms} room(s) and {schools} school(s); "
                "take them out of the stream first."
            ).format(stream=number, rooms=row.rooms, schools=row.schools)
        )
    session.delete(stream)
    session.flush()
