"""What is printed once the applicants are distributed into rooms (ch. 21, п. 14, 32.1, 107–108):
the rows the prints of :mod:`arm_applications.forms.passes` and :mod:`arm_applications.forms.registers`
take, built here from the database.

- :class:`PassRow` — one applicant placed in a room: his pass with its stub (ch. 21), his line in the
  register of issued passes (прил. 6), in his room's folder (п. 32.1) and in the site journal of his
  stream (прил. 17);
- :class:`JournalRow` — one applicant of a stream in the site journal (прил. 17), printed at closing
  (п. 107) before the distribution too, when his room is not known yet;
- :class:`ChangeRow` — one name the journal of changes (прил. 13) is pre-filled with (п. 108): a
  surname, name or patronymic the application form's letter grid cannot hold exactly.

The rows are plain data, so the prints can be built (and tested) without a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from arm_applications.plan import school_key
from common import codebook
from common.db.models import Application, ApplicationStatus, School, Stream
from common.errors import Refused
from common.i18n import _

PASS_LANGUAGES: Final = ("kk", "ru")
NAME_FIELDS: Final = (("surname", codebook.SURNAME_LETTERS), ("name", codebook.NAME_LETTERS),
                      ("patronymic", codebook.PATRONYMIC_LETTERS))


def full_name(surname: str, name: str, patronymic: str | None) -> str:
    return " ".join(part for part in (surname, name, patronymic) if part)


def pass_language(test_language: str, history_language: str | None) -> str:
    """The language of an applicant's pass and stub: the language he takes the test in; an English
    taker's is the language of his history test (his room's status en-kk / en-ru, п. 80.2).

    The instruction does not name the pass's language; п. 114 has the applicant sign that he read
    the rules of conduct printed on it, so it is printed in the language he is tested in (an
    ASSUMPTION of this program).
    """
    if test_language in PASS_LANGUAGES:
        return test_language
    return history_language if history_language in PASS_LANGUAGES else "ru"


@dataclass(frozen=True)
class PassRow:
    """An applicant placed in a room of a stream (from the distribution)."""

    ikt: str
    surname: str
    name: str
    patronymic: str
    school_key: str
    school_name_kk: str
    school_name_ru: str
    stream: int
    exam_date: date
    room: str
    place: int
    test_language: str
    history_language: str | None = None
    reserve_room: bool = False

    @property
    def full_name(self) -> str:
        return full_name(self.surname, self.name, self.patronymic)

    @property
    def language(self) -> str:
        """The language his pass is printed in (:func:`pass_language`)."""
        return pass_language(self.test_language, self.history_language)

    def school_name(self, language: str) -> str:
        return self.school_name_kk if language == "kk" else self.school_name_ru


@dataclass(frozen=True)
class JournalRow:
    """An applicant of a stream in the site journal (прил. 17); room and place once distributed."""

    ikt: str
    full_name: str
    school_key: str
    test_language: str
    history_language: str | None
    room: str | None
    place: int | None


@dataclass(frozen=True)
class ChangeRow:
    """A name of an application the journal of changes is pre-filled with (п. 108)."""

    ikt: str
    school_key: str
    field: str
    """``surname``, ``name`` or ``patronymic``."""
    value: str
    problems: tuple[str, ...]
    """Reason codes of :func:`common.codebook.name_grid_problems`."""


@dataclass(frozen=True)
class StreamInfo:
    number: int
    exam_date: date


def _with_people(statement: Select[Application]) -> Select[Application]:
    """``statement`` loading each application's person, school and journal row in a few queries."""
    return statement.options(selectinload(Application.applicant), selectinload(Application.school),
                             selectinload(Application.ikt_row))


def _live_applications(session: Session) -> list[Application]:
    return list(session.scalars(_with_people(select(Application).where(
        Application.status != ApplicationStatus.ANNULLED).order_by(Application.id))))


# --- the journal of changes (прил. 13, п. 108) ----------------------------------------------------


def change_rows(applications: Iterable[Application]) -> list[ChangeRow]:
    """Each name of ``applications`` that the letter grid cannot hold, by school and ИКТ (п. 94.1, 108)."""
    rows = []
    for application in applications:
        person = application.applicant
        values = {"surname": person.surname, "name": person.name, "patronymic": person.patronymic or ""}
        for field, length in NAME_FIELDS:
            problems = codebook.name_grid_problems(values[field], length)
            if problems:
                rows.append(ChangeRow(application.ikt, school_key(application.school), field, values[field],
                                      problems))
    return sorted(rows, key=lambda row: (row.school_key, row.ikt))


def journal_of_changes_rows(session: Session, school: School | None = None) -> list[ChangeRow]:
    """The names п. 108 sends to the journal of changes, of every live application (or one school's)."""
    applications = [application for application in _live_applications(session)
                    if school is None or application.school_id == school.id]
    return change_rows(applications)


# --- the distribution's rows -------------------------------------------------------------------------


def _no_distribution() -> Refused:
    return Refused(_("The applicants are not distributed into rooms yet: run the distribution first (distribute)."))


def pass_rows(session: Session, *, school: School | None = None, stream: int | None = None) -> list[PassRow]:
    """The placed applicants (of ``school``, of ``stream``), by school and ИКТ; ``Refused`` before the
    distribution."""
    from arm_applications.distribution import placements

    placed = placements(session, stream)
    if not placed:
        if stream is not None and placements(session):
            raise Refused(_("No applicant is placed in stream {stream}.").format(stream=stream))
        raise _no_distribution()
    applications = {application.id: application for application in session.scalars(
        _with_people(select(Application).where(Application.room_stream_id.is_not(None))))}
    dates = {row.number: row.exam_date for row in session.scalars(select(Stream))}
    rows = []
    for placement in placed:
        application = applications[placement.application_id]
        if school is not None and application.school_id != school.id:
            continue
        person = application.applicant
        history = application.history_language
        rows.append(PassRow(
            ikt=placement.ikt, surname=person.surname, name=person.name, patronymic=person.patronymic or "",
            school_key=school_key(application.school), school_name_kk=application.school.name_kk,
            school_name_ru=application.school.name_ru, stream=placement.stream_number,
            exam_date=dates[placement.stream_number], room=placement.room_number, place=placement.place,
            test_language=application.test_language.value, history_language=None if history is None else history.value,
            reserve_room=placement.is_reserve_room))
    if school is not None and not rows:
        raise Refused(_("No applicant of school {school} is placed in a room.").format(school=school_key(school)))
    return sorted(rows, key=lambda row: (row.school_key, row.ikt))


def by_room(rows: Sequence[PassRow]) -> list[tuple[str, list[PassRow]]]:
    """``rows`` of one stream grouped by room (rooms in number order), each room's by place."""
    rooms: dict[str, list[PassRow]] = {}
    for row in rows:
        rooms.setdefault(row.room, []).append(row)
    return [(room, sorted(rooms[room], key=lambda row: row.place)) for room in sorted(rooms, key=_room_order)]


def _room_order(room: str) -> tuple[int, str]:
    return (int(room), room) if room.isdigit() else (10**6, room)


def streams(session: Session) -> list[StreamInfo]:
    return [StreamInfo(row.number, row.exam_date) for row in session.scalars(select(Stream).order_by(Stream.number))]


def stream_info(session: Session, number: int) -> StreamInfo:
    for info in streams(session):
        if info.number == number:
            return info
    raise Refused(_("The site has no stream {stream}.").format(stream=number))


def site_journal_rows(session: Session, stream: int) -> list[JournalRow]:
    """The live applicants of the schools of ``stream`` by surname and name, with room and place
    once the distribution is made (прил. 17)."""
    from arm_applications.distribution import placements

    stream_info(session, stream)
    where = {placement.application_id: placement for placement in placements(session, stream)}
    rows = []
    for application in _live_applications(session):
        school_stream = application.school.stream
        placement = where.get(application.id)
        if placement is None and (school_stream is None or school_stream.number != stream):
            continue
        person = application.applicant
        history = application.history_language
        rows.append(JournalRow(
            ikt=application.ikt, full_name=full_name(person.surname, person.name, person.patronymic),
            school_key=school_key(application.school), test_language=application.test_language.value,
            history_language=None if history is None else history.value,
            room=None if placement is None else placement.room_number,
            place=None if placement is None else placement.place))
    if not rows:
        raise Refused(_("Stream {stream} has no applications.").format(stream=stream))
    return sorted(rows, key=lambda row: (row.full_name.casefold(), row.ikt))
