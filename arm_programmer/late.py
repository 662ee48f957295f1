"""Late seating (досадка, п. 130, 169): the state commission, with the Ministry's representative, decides to
seat an applicant whose test language the technical secretary entered wrongly; the programmer records it
here with the name of the commission member who gave the decision.

The applicant gets the lowest free seat of a reserve room of the stream (the applicant's own unless
another is named) whose language status is the one the commission decided (the applicant's room's
unless another is named); the application moves there — its language follows the room's — and a
:class:`~common.db.programmer_models.LateSeating` row keeps the decision, the member, and where the
applicant sat before. The seating list marks the applicant as late-seated (п. 169). Refused, with the
reason: the take-over not closed, the stream's seats not drawn yet (the draw would redo the seat), the
applicant annulled or seated late already, no reserve room of that language in the stream, or no free
seat in it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from arm_programmer.draw import stream_draw, stream_of
from arm_programmer.takeover import require_closed
from common import codebook
from common.db.models import (
    Application,
    ApplicationStatus,
    ExamLanguage,
    HistoryLanguage,
    IktRow,
    LanguageStatus,
    Room,
    RoomStream,
    Stream,
)
from common.db.programmer_models import LateSeating
from common.errors import Refused
from common.i18n import _

MEMBER_LENGTH = 300


@dataclass(frozen=True)
class LateSeat:
    ikt: str
    stream: int
    room: str
    seat: int
    language: str
    member: str


def _language_of(application: Application) -> LanguageStatus:
    history = application.history_language
    return LanguageStatus(codebook.room_language_status(application.test_language.value,
                                                        None if history is None else history.value))


def _set_language(application: Application, status: LanguageStatus) -> None:
    if status in {LanguageStatus.KAZAKH, LanguageStatus.RUSSIAN}:
        application.test_language, application.history_language = ExamLanguage(status.value), None
    else:
        application.test_language = ExamLanguage.ENGLISH
        application.history_language = HistoryLanguage(status.value.split("-")[1])


def late_seat(session: Session, *, ikt: str, member: str, actor: str, stream_number: int | None = None,
              language: str | None = None) -> LateSeat:
    """Record the commission's late seating of the applicant with ``ikt``, in ``session``'s transaction."""
    require_closed(session)
    member = " ".join(member.split())
    if not member or len(member) > MEMBER_LENGTH:
        raise Refused(_("Name the state commission member who decided the late seating."))
    application = session.scalar(select(Application).join(IktRow, Application.ikt_row_id == IktRow.id)
                                 .where(IktRow.ikt == ikt.strip()))
    if application is None:
        raise Refused(_("No application with ИКТ {ikt} in the applicant database.").format(ikt=ikt.strip()))
    if application.status == ApplicationStatus.ANNULLED:
        raise Refused(_("The application with ИКТ {ikt} is annulled: it is not seated.").format(ikt=ikt.strip()))
    held = session.scalar(select(LateSeating).where(LateSeating.application_id == application.id))
    if held is not None:
        raise Refused(_("The applicant with ИКТ {ikt} is seated late already (seat {seat}).").format(
            ikt=ikt.strip(), seat=held.seat))
    own = application.room_stream
    if stream_number is None:
        if own is None:
            raise Refused(_("The applicant with ИКТ {ikt} is in no stream: say which stream (--stream N).").format(
                ikt=ikt.strip()))
        stream = session.get(Stream, own.stream_id)
        assert stream is not None
    else:
        stream = stream_of(session, stream_number)
    if stream_draw(session, stream.number) is None:
        raise Refused(_("The seats of stream {stream} are not drawn yet: late seating comes after the draw.").format(
            stream=stream.number))
    try:
        wanted = _language_of(application) if language is None else LanguageStatus(language)
    except ValueError:
        raise Refused(_("Unknown language status {status}.").format(status=language)) from None
    reserves = session.execute(
        select(RoomStream, Room.number, Room.seats).join(Room, RoomStream.room_id == Room.id)
        .where(RoomStream.stream_id == stream.id, RoomStream.is_reserve.is_(True),
               RoomStream.language_status == wanted).order_by(Room.number)).all()
    if not reserves:
        raise Refused(_("Stream {stream} has no reserve room of language status {language}: the applicant cannot be "
                        "seated late.").format(stream=stream.number, language=wanted.value))
    for use, number, room_seats in reserves:
        capacity = use.seats or room_seats
        taken = set(session.scalars(select(Application.seat).where(
            Application.room_stream_id == use.id, Application.seat.is_not(None),
            Application.status != ApplicationStatus.ANNULLED)))
        free = [seat for seat in range(1, capacity + 1) if seat not in taken]
        if free:
            session.add(LateSeating(application_id=application.id, room_stream_id=use.id, seat=free[0],
                                    from_room_stream_id=None if own is None else own.id, from_seat=application.seat,
                                    member=member, recorded_by=actor[:100]))
            # the next place is read before the application moves: an autoflush in between would write it
            # into the room with its old place, which may be taken there
            place = (session.scalar(select(func.max(Application.place))
                                    .where(Application.room_stream_id == use.id)) or 0) + 1
            application.room_stream_id, application.seat, application.place = use.id, free[0], place
            _set_language(application, wanted)
            session.flush()
            return LateSeat(ikt.strip(), stream.number, number, free[0], wanted.value, member)
    rooms = ", ".join(number for _use, number, _seats in reserves)
    raise Refused(_("The reserve room(s) {rooms} of stream {stream} have no free seat: the applicant cannot be seated "
                    "late.").format(rooms=rooms, stream=stream.number))
