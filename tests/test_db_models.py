"""The shared models: the rules the database itself keeps, and what deletes take with them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session

from common.db.engine import open_engine, transaction
from common.db.migrate import upgrade
from common.db.models import (
    Applicant,
    Application,
    ApplicationStatus,
    ApplicationStatusHistory,
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
    TechnicalSecretary,
    Ventilation,
)
from common.db.workstation_info import get_identity, set_enrolment, set_identity
from common.errors import Refused


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated database, copied for each test (migrating each time would be slower)."""
    path = tmp_path_factory.mktemp("template") / "workstation.sqlite"
    engine = open_engine(path)
    upgrade(engine)
    engine.dispose()  # checkpoints the WAL into the file
    return path


@pytest.fixture
def engine(template: Path, tmp_path: Path) -> Iterator[Engine]:
    path = tmp_path / "workstation.sqlite"
    path.write_bytes(template.read_bytes())
    engine = open_engine(path)
    yield engine
    engine.dispose()


def _site(session: Session, code: str = "101") -> Site:
    site = Site(code=code, name_kk="Астана ППЕНТ", name_ru="ППЕНТ Астана", region_code="02")
    session.add(site)
    session.flush()
    return site


def _school(
    session: Session, site: Site, code: str = "0042", bin: str | None = "123456789012", district: str = "001"
) -> School:
    school = School(
        site=site,
        region_code="02",
        district_code=district,
        code=code,
        name_kk="№42 мектеп",
        name_ru="Школа №42",
        bin=bin,
    )
    session.add(school)
    session.flush()
    return school


def _journal(session: Session, school: School, first_ikt: int, rows: int) -> list[IktRow]:
    journal = [IktRow(ikt=f"{first_ikt + n:09d}", school=school, row_number=n + 1) for n in range(rows)]
    session.add_all(journal)
    session.flush()
    return journal


def _applicant(session: Session, iin: str | None = "010203500123") -> Applicant:
    person = Applicant(
        iin=iin,
        birth_date=None if iin else date(2001, 2, 3),
        surname="Серікова",
        name="Айгерім",
        sex=Sex.FEMALE,
        citizenship_code="398",
        nationality_code="005",
    )
    session.add(person)
    session.flush()
    return person


def _application(session: Session, person: Applicant, row: IktRow, **values: object) -> Application:
    row.status = IktStatus.USED
    application = Application(
        applicant=person,
        ikt_row=row,
        school=row.school,
        region_code="02",
        district_code="001",
        test_language=values.pop("test_language", ExamLanguage.KAZAKH),
        **values,
    )
    session.add(application)
    session.flush()
    return application


def test_room_stream_values_round_trip_as_the_instruction_writes_them(engine: Engine) -> None:
    with transaction(engine) as session:
        site = _site(session)
        stream = Stream(site=site, number=1, exam_date=date(2026, 6, 20))
        room = Room(site=site, number="01", building="A", desks=15, seats=30, ventilation=Ventilation.NATURAL)
        room.streams.append(RoomStream(stream=stream, language_status=LanguageStatus.ENGLISH_HISTORY_KAZAKH))
        session.add_all([stream, room])
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT language_status, is_reserve FROM room_streams")).one()
    assert tuple(stored) == ("en-kk", 0)
    with transaction(engine) as session:
        loaded = session.scalars(select(RoomStream)).one()
        assert loaded.language_status is LanguageStatus.ENGLISH_HISTORY_KAZAKH


def test_a_value_outside_the_enumeration_is_refused_by_the_database(engine: Engine) -> None:
    with transaction(engine) as session:
        site = _site(session)
        school = _school(session, site)
        _journal(session, school, 100000001, 1)
    with pytest.raises(IntegrityError, match="CHECK"), engine.begin() as connection:
        connection.execute(text("UPDATE ikt_rows SET status = 'lost'"))
    with pytest.raises(StatementError), transaction(engine) as session:
        session.scalars(select(IktRow)).one().status = "lost"  # type: ignore[assignment]


def test_an_ikt_is_unique_across_schools(engine: Engine) -> None:
    with transaction(engine) as session:
        site = _site(session)
        _journal(session, _school(session, site, "0001", "111111111111"), 100000001, 3)
    with pytest.raises(IntegrityError), transaction(engine) as session:
        site = session.scalars(select(Site)).one()
        _journal(session, _school(session, site, "0002", "222222222222"), 100000003, 1)


def test_bin_is_unique_within_a_site_only(engine: Engine) -> None:
    with transaction(engine) as session:
        first, second = _site(session, "101"), _site(session, "102")
        _school(session, first, "0001", "111111111111")
        _school(session, second, "0001", "111111111111")
        _school(session, first, "0002", None)
        _school(session, first, "0003", None)  # BIN not known yet for two schools: allowed
    with pytest.raises(IntegrityError), transaction(engine) as session:
        site = session.scalars(select(Site).where(Site.code == "101")).one()
        _school(session, site, "0004", "111111111111")


def test_a_school_code_is_unique_within_its_district(engine: Engine) -> None:
    with transaction(engine) as session:
        site = _site(session)
        _school(session, site, "0042", "1" * 12, district="001")
        _school(session, site, "0042", "2" * 12, district="002")  # another district: another school
    with pytest.raises(IntegrityError), transaction(engine) as session:
        _school(session, session.scalars(select(Site)).one(), "0042", "3" * 12, district="001")


def test_school_json_fields_round_trip(engine: Engine) -> None:
    with transaction(engine) as session:
        school = _school(session, _site(session))
        school.students_per_grade = {"9": 25, "11": 48}
        school.expected_applicants = {"kk": 30, "en-ru": 4}
        school.foreign_languages = ["en", "de"]
    with transaction(engine) as session:
        loaded = session.scalars(select(School)).one()
        assert loaded.students_per_grade == {"9": 25, "11": 48}
        assert loaded.expected_applicants == {"kk": 30, "en-ru": 4}
        assert loaded.foreign_languages == ["en", "de"]


def test_deleting_a_room_removes_its_per_stream_rows_in_the_database(engine: Engine) -> None:
    with transaction(engine) as session:
        site = _site(session)
        streams = [Stream(site=site, number=n, exam_date=date(2026, 6, 19 + n)) for n in (1, 2)]
        room = Room(site=site, number="01", desks=15, seats=30, ventilation=Ventilation.MECHANICAL)
        for stream in streams:
            room.streams.append(RoomStream(stream=stream, language_status=LanguageStatus.RUSSIAN))
        session.add(room)
    with transaction(engine) as session:
        session.delete(session.scalars(select(Room)).one())
    with transaction(engine) as session:
        assert session.scalars(select(RoomStream)).all() == []
        assert len(session.scalars(select(Stream)).all()) == 2


def test_deleting_a_stream_unassigns_its_schools(engine: Engine) -> None:
    with transaction(engine) as session:
        site = _site(session)
        stream = Stream(site=site, number=1, exam_date=date(2026, 6, 20))
        session.add(stream)
        school = _school(session, site)
        school.stream = stream
    with transaction(engine) as session:
        session.delete(session.scalars(select(Stream)).one())
    with transaction(engine) as session:
        assert session.scalars(select(School.stream_id)).one() is None


def test_deleting_a_school_takes_its_secretaries_but_never_its_journal(engine: Engine) -> None:
    with transaction(engine) as session:
        site = _site(session)
        with_journal = _school(session, site, "0001", "1" * 12)
        without = _school(session, site, "0002", "2" * 12)
        _journal(session, with_journal, 100000001, 2)
        without.secretaries.append(TechnicalSecretary(full_name="Secretary", approved=True))
        with_journal.secretaries.append(TechnicalSecretary(full_name="Secretary", approved=True))
    with transaction(engine) as session:
        session.delete(session.scalars(select(School).where(School.code == "0002")).one())
    with transaction(engine) as session:
        assert len(session.scalars(select(TechnicalSecretary)).all()) == 1
    with pytest.raises(IntegrityError), transaction(engine) as session:
        session.delete(session.scalars(select(School).where(School.code == "0001")).one())
    with transaction(engine) as session:
        assert len(session.scalars(select(IktRow)).all()) == 2


def test_reentry_after_annulment_is_a_new_application_with_a_new_ikt(engine: Engine) -> None:
    with transaction(engine) as session:
        school = _school(session, _site(session))
        first_row, second_row = _journal(session, school, 100000001, 2)
        person = _applicant(session)
        first = _application(session, person, first_row)
        with pytest.raises(IntegrityError), session.begin_nested():
            _application(session, person, second_row)  # two live applications for one person
        first.status = ApplicationStatus.ANNULLED
        first.history.append(
            ApplicationStatusHistory(
                old_status=ApplicationStatus.ENTERED, new_status=ApplicationStatus.ANNULLED, reason="language"
            )
        )
        session.flush()
        second = _application(
            session,
            person,
            second_row,
            test_language=ExamLanguage.ENGLISH,
            history_language=HistoryLanguage.RUSSIAN,
            replaces=first,
        )
    with transaction(engine) as session:
        person = session.scalars(select(Applicant)).one()
        assert [(a.ikt, a.status) for a in person.applications] == [
            ("100000001", ApplicationStatus.ANNULLED),
            ("100000002", ApplicationStatus.ENTERED),
        ]
        assert person.applications[1].replaces_id == person.applications[0].id
        assert second.id == person.applications[1].id


def test_an_ikt_carries_one_application_only(engine: Engine) -> None:
    with transaction(engine) as session:
        (row,) = _journal(session, _school(session, _site(session)), 100000001, 1)
        _application(session, _applicant(session, "010203500123"), row)
    with pytest.raises(IntegrityError), transaction(engine) as session:
        row = session.scalars(select(IktRow)).one()
        _application(session, _applicant(session, "020304600456"), row)


@pytest.mark.parametrize(
    ("test_language", "history_language", "accepted"),
    [
        (ExamLanguage.ENGLISH, HistoryLanguage.KAZAKH, True),
        (ExamLanguage.ENGLISH, None, False),
        (ExamLanguage.RUSSIAN, None, True),
        (ExamLanguage.RUSSIAN, HistoryLanguage.KAZAKH, False),
    ],
)
def test_history_language_is_given_by_english_takers_only(
    engine: Engine, test_language: ExamLanguage, history_language: HistoryLanguage | None, accepted: bool
) -> None:
    with transaction(engine) as session:
        (row,) = _journal(session, _school(session, _site(session)), 100000001, 1)
        person = _applicant(session)
    try:
        with transaction(engine) as session:
            _application(
                session,
                session.merge(person),
                session.merge(row),
                test_language=test_language,
                history_language=history_language,
            )
    except IntegrityError:
        assert not accepted
    else:
        assert accepted


def test_an_applicant_needs_an_iin_or_a_birth_date(engine: Engine) -> None:
    with transaction(engine) as session:
        _applicant(session, iin=None)  # birth date instead
    with pytest.raises(IntegrityError), transaction(engine) as session:
        person = _applicant(session, iin="030405700789")
        person.iin = None
        session.flush()


def test_moments_are_stored_in_utc_and_read_back_aware(engine: Engine) -> None:
    almaty = timezone(timedelta(hours=5))
    with transaction(engine) as session:
        (row,) = _journal(session, _school(session, _site(session)), 100000001, 1)
        application = _application(session, _applicant(session), row)
        application.created_at = datetime(2026, 3, 1, 9, 0, tzinfo=almaty)
    with transaction(engine) as session:
        assert session.scalars(select(Application.created_at)).one() == datetime(2026, 3, 1, 4, 0, tzinfo=UTC)
    with pytest.raises(StatementError), transaction(engine) as session:
        session.scalars(select(Application)).one().created_at = datetime(2026, 3, 1, 9, 0)
        session.flush()


def test_workstation_identity_is_set_once(engine: Engine) -> None:
    with transaction(engine) as session:
        assert get_identity(session) is None
        created = set_identity(session, "applications")
    with transaction(engine) as session:
        assert set_identity(session, "applications") == created
        with pytest.raises(Refused):
            set_identity(session, "programmer")
        enrolled = set_enrolment(session, "101")
    with transaction(engine) as session:
        identity = get_identity(session)
    assert identity == enrolled
    assert identity is not None
    assert (identity.workstation_code, identity.site_code) == ("applications", "101")
    assert identity.enrolled_at is not None and identity.enrolled_at.tzinfo is not None
