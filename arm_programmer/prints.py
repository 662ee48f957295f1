"""The exam-day prints of a stream from this workstation's database, kept in ``printed/`` (п. 52.11–52.12).

:func:`print_stream` gathers the stream's rooms and applicants into the plain rows of
:mod:`arm_programmer.exam_prints`, builds the print and saves it (audited, in the caller's
transaction). Every print waits for the take-over to be closed (``close``). The seating lists and
the hand-out order need the stream's seats drawn (``draw --stream N``); the hand-out order also needs
НЦТ's variants file for the stream (``variants import FILE``). The room lists and the blanks can be
printed before the draw (the room lists then show no seats).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from arm_programmer import exam_prints
from arm_programmer.exam_prints import ExamDay, RoomPrint, SeatedApplicant
from common.db import workstation_info
from common.db.models import (
    Applicant,
    Application,
    ApplicationStatus,
    IktRow,
    Room,
    RoomStream,
    Site,
    Stream,
)
from common.errors import Refused
from common.i18n import _, current_language
from common.reports import PrintedForm, save_printed
from common.workstation import DataFolder

PRINTS: Final = ("seating", "room-lists", "handout", "acts")
FORM_LANGUAGES: Final = ("kk", "ru")


def default_language() -> str:
    language = current_language()
    return language if language in FORM_LANGUAGES else "ru"


def exam_day(session: Session, stream_number: int) -> ExamDay:
    """The site and the stream as the prints name them (``Refused`` for a stream not taken over here)."""
    from arm_programmer.draw import stream_of

    stream = stream_of(session, stream_number)
    identity = workstation_info.get_identity(session)
    site = None if identity is None else session.scalar(select(Site).where(Site.code == identity.site_code))
    if site is None:
        site = stream.site
    return ExamDay(site.code, site.name_kk or site.code, site.name_ru or site.code, stream.number, stream.exam_date,
                   site.address)


def _placed(session: Session, stream: Stream) -> dict[str, list[SeatedApplicant]]:
    """The applicants the distribution placed in each room of the stream (before the draw: no seats)."""
    from arm_programmer.draw import full_name

    rows = session.execute(
        select(IktRow.ikt, Applicant, Room.number)
        .join(Application, Application.ikt_row_id == IktRow.id)
        .join(Applicant, Application.applicant_id == Applicant.id)
        .join(RoomStream, Application.room_stream_id == RoomStream.id)
        .join(Room, RoomStream.room_id == Room.id)
        .where(RoomStream.stream_id == stream.id, Application.status != ApplicationStatus.ANNULLED)
        .order_by(Room.number, Application.place, Application.id))
    placed: dict[str, list[SeatedApplicant]] = {}
    for ikt, applicant, room in rows:
        placed.setdefault(room, []).append(SeatedApplicant(ikt, full_name(applicant)))
    return placed


def stream_rooms(session: Session, stream_number: int, *, booklets: bool = True) -> list[RoomPrint]:
    """The stream's rooms (opened by НЦТ, or holding a late-seated applicant) with their applicants:
    seated by the draw once it is done, else as the distribution placed them."""
    from arm_programmer.draw import drawn_seats, stream_draw, stream_of
    from arm_programmer.variants import room_booklets

    stream = stream_of(session, stream_number)
    if stream_draw(session, stream_number) is not None:
        applicants: dict[str, list[SeatedApplicant]] = {}
        for seat in drawn_seats(session, stream_number):
            applicants.setdefault(seat.room_number, []).append(
                SeatedApplicant(seat.ikt, seat.full_name, seat.seat, seat.late))
    else:
        applicants = _placed(session, stream)
    uses = session.execute(
        select(RoomStream, Room).join(Room, RoomStream.room_id == Room.id)
        .where(RoomStream.stream_id == stream.id).order_by(Room.number)).all()
    rooms = []
    for use, room in uses:
        people = applicants.get(room.number, [])
        if not use.opened and not people:
            continue
        rooms.append(RoomPrint(room.number, use.language_status.value, use.seats or room.seats, room.desks,
                               tuple(people), use.is_reserve, room.jammers_count,
                               room_booklets(session, stream_number, room.number) if booklets else {}))
    return rooms


def _check(language: str, what: str) -> None:
    if language not in FORM_LANGUAGES:
        raise Refused(_("Forms are printed in Kazakh (kk) or Russian (ru), not {language}.").format(
            language=language))
    if what not in PRINTS:
        raise Refused(_("Unknown print {print}; expected one of: {prints}.").format(print=what,
                                                                                   prints=", ".join(PRINTS)))


def print_stream(
    session: Session,
    folder: DataFolder,
    what: str,
    stream_number: int,
    language: str,
    *,
    actor: str,
    room: str | None = None,
    acts: Sequence[str] = (),
) -> list[PrintedForm]:
    """Print ``what`` (one of :data:`PRINTS`) for the stream, or for its room ``room``; ``acts`` picks blanks
    (all of :data:`~arm_programmer.exam_prints.ACT_KEYS` when empty). Refused in one line, nothing written,
    before the take-over is closed, before the draw where the print needs it, for an unknown room or act."""
    from arm_programmer.draw import stream_draw
    from arm_programmer.takeover import require_closed

    _check(language, what)
    unknown = [key for key in acts if key not in exam_prints.ACT_KEYS]
    if unknown:
        raise Refused(_("Unknown act {act}; expected one of: {acts}.").format(act=unknown[0],
                                                                             acts=", ".join(exam_prints.ACT_KEYS)))
    require_closed(session)
    day = exam_day(session, stream_number)
    if what in ("seating", "handout") and stream_draw(session, stream_number) is None:
        raise Refused(_("The seats of stream {stream} are not drawn yet: draw them first (draw --stream "
                        "{stream}).").format(stream=stream_number))
    rooms = stream_rooms(session, stream_number)
    if room is not None:
        rooms = [item for item in rooms if item.room == room]
        if not rooms:
            raise Refused(_("Room {room} is not a room of stream {stream}.").format(room=room, stream=stream_number))
    if not any(item.applicants for item in rooms):
        raise Refused(_("Nobody is placed in stream {stream}: there is nothing to print.").format(
            stream=stream_number))
    suffix = f"stream-{stream_number}" + (f"-room-{room}" if room else "")
    if what == "handout":
        missing = [item.room for item in rooms if item.applicants and not item.booklets]
        if missing:
            raise Refused(_("The booklets of room {room} are not known yet: take НЦТ's variants file for stream "
                            "{stream} first (variants import FILE).").format(room=missing[0], stream=stream_number))
    if what == "acts":
        return [save_printed(folder, key, exam_prints.build_act(day, rooms, key, language), session=session,
                             actor=actor, suffix=suffix)
                for key in (acts or exam_prints.ACT_KEYS)]
    builder = {"seating": exam_prints.build_seating_lists, "room-lists": exam_prints.build_room_lists,
               "handout": exam_prints.build_handout}[what]
    key = {"seating": exam_prints.SEATING_KEY, "room-lists": exam_prints.ROOM_LISTS_KEY,
           "handout": exam_prints.HANDOUT_KEY}[what]
    return [save_printed(folder, key, builder(day, rooms, language), session=session, actor=actor, suffix=suffix)]


def print_exam_day(session: Session, folder: DataFolder, stream_number: int, language: str, *,
                   actor: str) -> list[PrintedForm]:
    """Everything of the morning for a drawn stream: seating lists, room lists, the hand-out order (when the
    variants file is here) and every blank."""
    printed = []
    for what in PRINTS:
        if what == "handout" and not any(room.booklets for room in stream_rooms(session, stream_number)):
            continue
        printed += print_stream(session, folder, what, stream_number, language, actor=actor)
    return printed
