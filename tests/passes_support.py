"""A site's applications workstation built straight in its database for the tests of the passes and
the registers: two streams, three schools, applicants in Kazakh, Russian and English (one with a
hyphen, one with «ё», one too long for the surname grid, one annulled)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from base_ppent_support import database
from sqlalchemy import select

from common.db.models import (
    Applicant,
    ApplicantDatabaseState,
    Application,
    ApplicationStatus,
    ExamLanguage,
    HistoryLanguage,
    IktRow,
    IktStatus,
    LanguageStatus,
    Room,
    RoomStream,
    School,
    Sex,
    Site,
    Stream,
    Ventilation,
)
from common.db.workstation_info import set_enrolment
from common.workstation import DataFolder

SITE_CODE = "017"
SCHOOLS = ("11/001/0001", "11/001/0002", "11/002/0001")


@dataclass(frozen=True)
class Person:
    school: str
    surname: str
    name: str
    patronymic: str
    language: str
    history: str | None = None
    annulled: bool = False


PEOPLE = (
    Person(SCHOOLS[0], "Серікбаев", "Ерлан", "Болатұлы", "kk"),
    Person(SCHOOLS[0], "Әбенова", "Айгерім", "Нұрланқызы", "kk"),
    Person(SCHOOLS[0], "Смирнов-Задунайский", "Пётр", "Ильич", "ru"),
    Person(SCHOOLS[0], "Жанұзақова", "Дана", "", "en", "kk"),
    Person(SCHOOLS[1], "Иванова", "Ольга", "Петровна", "ru"),
    Person(SCHOOLS[1], "Константинопольская", "Анастасия", "Александровна", "ru"),
    Person(SCHOOLS[1], "Ким", "Виктор", "", "en", "ru"),
    Person(SCHOOLS[1], "Annulled", "Person", "", "ru", annulled=True),
    Person(SCHOOLS[2], "Мұратов", "Асқар", "Серікұлы", "kk"),
    Person(SCHOOLS[2], "Оспанова", "Гүлнар", "", "kk"),
)
STREAM_OF = {SCHOOLS[0]: 1, SCHOOLS[1]: 1, SCHOOLS[2]: 2}


def applications_folder(root: Path) -> DataFolder:
    """``init``, enrolment at site 017 and :data:`PEOPLE` entered (no distribution)."""
    from arm_applications.cli import build

    assert build().run(["init", "--data-dir", str(root)]) == 0
    folder = DataFolder(root)
    with database(folder) as session:
        set_enrolment(session, SITE_CODE)
        site = Site(code=SITE_CODE, name_kk="Көкшетау ҰБТ өткізу пункті", name_ru="ППЕНТ Кокшетау", region_code="11")
        session.add(site)
        session.flush()
        streams = {number: Stream(site_id=site.id, number=number, exam_date=date(2027, 6, 19 + number))
                   for number in (1, 2)}
        session.add_all(streams.values())
        session.flush()
        schools = {}
        for index, key in enumerate(SCHOOLS, start=1):
            region, district, code = key.split("/")
            schools[key] = School(site_id=site.id, region_code=region, district_code=district, code=code,
                                  name_kk=f"№{index} жалпы орта білім беретін мектеп",
                                  name_ru=f"Средняя общеобразовательная школа №{index}",
                                  stream_id=streams[STREAM_OF[key]].id)
        session.add_all(schools.values())
        session.flush()
        for number, person in enumerate(PEOPLE, start=1):
            school = schools[person.school]
            row = IktRow(ikt=f"{100000000 + number:09d}", school_id=school.id, row_number=number,
                         status=IktStatus.USED)
            applicant = Applicant(birth_date=date(2009, 1, number), surname=person.surname, name=person.name,
                                  patronymic=person.patronymic or None, sex=Sex.MALE, citizenship_code="398",
                                  nationality_code="005")
            session.add_all([row, applicant])
            session.flush()
            session.add(Application(
                applicant_id=applicant.id, ikt_row_id=row.id, school_id=school.id, region_code=school.region_code,
                district_code=school.district_code, test_language=ExamLanguage(person.language),
                history_language=None if person.history is None else HistoryLanguage(person.history),
                status=ApplicationStatus.ANNULLED if person.annulled else ApplicationStatus.ENTERED))
    return folder


# (stream, room, language status, seats, reserve): room 02 holds two of stream 1's three Russian
# takers, the third goes to the reserve room 03
ROOMS = ((1, "01", "kk", 10, False), (1, "02", "ru", 2, False), (1, "03", "ru", 10, True),
         (1, "04", "en-kk", 5, False), (1, "05", "en-ru", 5, False), (2, "01", "kk", 10, False))


def open_rooms(folder: DataFolder) -> None:
    """Close the database as НЦТ's code does and open :data:`ROOMS` as НЦТ's room opening does."""
    with database(folder) as session:
        now = datetime.now(UTC)
        session.add(ApplicantDatabaseState(id=1, closed_at=now, closed_by="test", rooms_opened_at=now))
        site = session.scalars(select(Site)).one()
        streams = {stream.number: stream for stream in session.scalars(select(Stream))}
        rooms: dict[str, Room] = {}
        for stream, number, language, seats, reserve in ROOMS:
            if number not in rooms:
                rooms[number] = Room(site_id=site.id, number=number, desks=5, seats=10,
                                     ventilation=Ventilation.NATURAL)
                session.add(rooms[number])
                session.flush()
            session.add(RoomStream(room_id=rooms[number].id, stream_id=streams[stream].id,
                                   language_status=LanguageStatus(language), is_reserve=reserve, seats=seats,
                                   opened=True))


def distribute(folder: DataFolder) -> None:
    """:func:`open_rooms`, then distribute (the service the ``distribute`` command calls)."""
    from arm_applications.distribution import distribute as place_applicants

    open_rooms(folder)
    with database(folder) as session:
        place_applicants(session)


def distributed_folder(root: Path) -> DataFolder:
    folder = applications_folder(root)
    distribute(folder)
    return folder
