"""Schools and colleges («Учебные заведения», п. 83–84) and their distribution over streams.

A school is identified by its БИН (12 digits with the check digit): two schools with one БИН are
refused. Its НЦТ code (sector 10 of the application form) is kept with its region and district.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from arm_base_ppent.site import current_site
from arm_base_ppent.streams import find_stream
from arm_base_ppent.vocabulary import OWNERSHIP, SCHOOL_LANGUAGE, SETTLEMENT
from common import codebook
from common.db.models import Ownership, School, SchoolLanguage, Settlement, Stream
from common.errors import Refused
from common.i18n import _

_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
_GRADE = re.compile(r"^[0-9A-Za-z.-]{1,12}$")


@dataclass(frozen=True)
class SchoolRecord:
    """Every parameter of п. 84, plus the expected applicants per room language and the stream.

    ``expected`` maps a room language status (kk, ru, en-kk, en-ru) to the number of applicants the
    school is expected to send; ``students_per_grade`` maps a grade or course ("11") to its head count.
    """

    code: str
    name_kk: str
    name_ru: str
    bin: str
    region_code: str
    district_code: str
    address: str = ""
    students_per_grade: Mapping[str, int] = field(default_factory=dict)
    foreign_languages: tuple[str, ...] = ()
    language_status: str = ""
    settlement: str = ""
    ownership: str = ""
    school_type: str = ""
    school_kind: str = ""
    transport: str = ""
    delivery: str = ""
    distance_km: float | None = None
    expected: Mapping[str, int] = field(default_factory=dict)
    stream: int | None = None

    @property
    def expected_total(self) -> int:
        return sum(self.expected.values())

    def name(self, language: str) -> str:
        return self.name_kk if language == "kk" else self.name_ru


def school_problems(record: SchoolRecord) -> list[str]:
    """Every field of ``record`` that cannot be saved, as one-line messages (БИН first)."""
    problems: list[str] = []
    if not record.bin.strip():
        problems.append(_("Enter the school's БИН (12 digits)."))
    elif not codebook.is_valid_bin(record.bin.strip()):
        problems.append(
            _("БИН {bin} is not valid: it needs 12 digits with a correct check digit.").format(
                bin=record.bin.strip()
            )
        )
    if not codebook.is_code(record.code.strip(), codebook.SCHOOL_DIGITS):
        problems.append(
            _("The school code from the NTC directory has {digits} digits.").format(
                digits=codebook.SCHOOL_DIGITS
            )
        )
    if not record.name_kk.strip() or not record.name_ru.strip():
        problems.append(_("Enter the school's name in Kazakh and in Russian."))
    if not codebook.is_code(record.region_code, codebook.REGION_DIGITS):
        problems.append(_("A region code has {digits} digits.").format(digits=codebook.REGION_DIGITS))
    if not codebook.is_code(record.district_code, codebook.DISTRICT_DIGITS):
        problems.append(_("A district code has {digits} digits.").format(digits=codebook.DISTRICT_DIGITS))
    for value, names, what in (
        (record.language_status, SCHOOL_LANGUAGE, _("language status")),
        (record.settlement, SETTLEMENT, _("city/village status")),
        (record.ownership, OWNERSHIP, _("ownership")),
    ):
        if value and value not in names:
            problems.append(
                _("Unknown {what} «{value}»; expected one of: {choices}.").format(
                    what=what, value=value, choices=", ".join(names)
                )
            )
    if any(not _LANGUAGE_CODE.match(code) for code in record.foreign_languages):
        problems.append(_("Foreign languages are two-letter codes such as en, de, fr."))
    if any(not _GRADE.match(grade) or count < 0 for grade, count in record.students_per_grade.items()):
        problems.append(_("Students per grade must be numbers of zero or more."))
    if any(key not in codebook.ROOM_LANGUAGE_STATUSES or count < 0 for key, count in record.expected.items()):
        problems.append(
            _("Expected applicants are counted per language (kk, ru, en-kk, en-ru), zero or more.")
        )
    if record.distance_km is not None and record.distance_km < 0:
        problems.append(_("The distance to the site cannot be negative."))
    if record.stream is not None and record.stream < 1:
        problems.append(_("A stream number runs from 1."))
    return problems


def list_schools(session: Session) -> list[SchoolRecord]:
    site = current_site(session)
    schools = session.scalars(
        select(School)
        .where(School.site_id == site.id)
        .options(selectinload(School.stream))
        .order_by(School.region_code, School.district_code, School.code)
    ).all()
    return [school_record(school) for school in schools]


def find_school(session: Session, bin_number: str) -> School:
    site = current_site(session)
    school = session.scalar(select(School).where(School.site_id == site.id, School.bin == bin_number.strip()))
    if school is None:
        raise Refused(_("There is no school with БИН {bin}.").format(bin=bin_number.strip()))
    return school


def add_school(session: Session, record: SchoolRecord) -> SchoolRecord:
    """Add one school; ``Refused`` on a bad field or a БИН or code already in the database."""
    return save_schools(session, [record])[0]


def update_school(session: Session, bin_number: str, record: SchoolRecord) -> SchoolRecord:
    """Change the school with ``bin_number`` (its БИН too, if ``record`` has another one)."""
    school = find_school(session, bin_number)
    name = _("school {code}").format(code=record.code)
    streams = _streams(session)
    _refuse_problems(record, name)
    _refuse_clashes(record, name, _SchoolIndex.of(_site_schools(session)), school)
    _refuse_unknown_stream(record, name, streams)
    _apply(school, record, streams)
    session.flush()
    return school_record(school)


def remove_schools(session: Session, bins: Iterable[str]) -> int:
    count = 0
    for bin_number in bins:
        session.delete(find_school(session, bin_number))
        count += 1
    session.flush()
    return count


def save_schools(
    session: Session,
    records: Sequence[SchoolRecord],
    *,
    allow_update: bool = False,
    row_names: Sequence[str] | None = None,
) -> list[SchoolRecord]:
    """Check all ``records`` first, then write them all (or nothing).

    A БИН twice among ``records`` is refused naming both rows (``row_names`` say how to call a row,
    "row 7" of a file). A БИН already in the database is refused unless ``allow_update``, which
    updates that school instead.
    """
    site = current_site(session)
    names = (
        list(row_names)
        if row_names is not None
        else [_("school {code}").format(code=record.code) for record in records]
    )
    index = _SchoolIndex.of(_site_schools(session))
    streams = _streams(session)
    seen_bin: dict[str, str] = {}
    seen_code: dict[tuple[str, str, str], str] = {}
    targets: list[School | None] = []
    for record, name in zip(records, names, strict=True):
        _refuse_problems(record, name)
        bin_number, key = record.bin.strip(), _code_key(record)
        if bin_number in seen_bin:
            raise Refused(
                _("{row}: БИН {bin} is already in {other}.").format(
                    row=name, bin=bin_number, other=seen_bin[bin_number]
                )
            )
        if key in seen_code:
            raise Refused(
                _("{row}: school code {code} is already in {other}.").format(
                    row=name, code=record.code, other=seen_code[key]
                )
            )
        seen_bin[bin_number], seen_code[key] = name, name
        target = index.by_bin.get(bin_number) if allow_update else None
        _refuse_clashes(record, name, index, target)
        _refuse_unknown_stream(record, name, streams)
        targets.append(target)
    saved = []
    for record, target in zip(records, targets, strict=True):
        school = target or School(site_id=site.id)
        _apply(school, record, streams)
        if target is None:
            session.add(school)
        saved.append(school)
    session.flush()
    return [school_record(school) for school in saved]


def _refuse_problems(record: SchoolRecord, name: str) -> None:
    problems = school_problems(record)
    if problems:
        raise Refused(_("{row}: {problem}").format(row=name, problem=problems[0]))


def _refuse_clashes(record: SchoolRecord, name: str, index: _SchoolIndex, itself: School | None) -> None:
    """``record``'s БИН or code is already used by a school other than ``itself``."""
    bin_number, key = record.bin.strip(), _code_key(record)
    other = index.by_bin.get(bin_number)
    if other is not None and other is not itself:
        raise Refused(
            _("{row}: a school with БИН {bin} is already in the database ({code}).").format(
                row=name, bin=bin_number, code=other.code
            )
        )
    other = index.by_code.get(key)
    if other is not None and other is not itself:
        raise Refused(
            _("{row}: school code {code} is already used by the school with БИН {bin}.").format(
                row=name, code=record.code, bin=other.bin
            )
        )


def _refuse_unknown_stream(record: SchoolRecord, name: str, streams: Mapping[int, Stream]) -> None:
    if record.stream is not None and record.stream not in streams:
        raise Refused(
            _("{row}: there is no stream {stream} in the schedule.").format(row=name, stream=record.stream)
        )


@dataclass
class _SchoolIndex:
    by_bin: dict[str, School]
    by_code: dict[tuple[str, str, str], School]

    @classmethod
    def of(cls, schools: Iterable[School]) -> _SchoolIndex:
        listed = list(schools)
        return cls({s.bin or "": s for s in listed}, {_code_key_of(s): s for s in listed})


def _site_schools(session: Session) -> list[School]:
    site = current_site(session)
    return list(session.scalars(select(School).where(School.site_id == site.id)))


def _streams(session: Session) -> dict[int, Stream]:
    site = current_site(session)
    streams = session.scalars(select(Stream).where(Stream.site_id == site.id))
    return {stream.number: stream for stream in streams}


def assign_stream(session: Session, bins: Iterable[str], stream: int | None) -> int:
    """Put the schools of ``bins`` into ``stream`` (None: take them out of any stream)."""
    target = find_stream(session, stream) if stream is not None else None
    wanted = [bin_number.strip() for bin_number in bins]
    by_bin = {school.bin: school for school in _site_schools(session)}
    missing = [bin_number for bin_number in wanted if bin_number not in by_bin]
    if missing:
        raise Refused(_("There is no school with БИН {bin}.").format(bin=missing[0]))
    for bin_number in wanted:
        by_bin[bin_number].stream = target
    session.flush()
    return len(wanted)


def _code_key(record: SchoolRecord) -> tuple[str, str, str]:
    return (record.region_code, record.district_code, record.code.strip())


def _code_key_of(school: School) -> tuple[str, str, str]:
    return (school.region_code or "", school.district_code or "", school.code)


def _apply(school: School, record: SchoolRecord, streams: Mapping[int, Stream]) -> None:
    school.code = record.code.strip()
    school.name_kk = record.name_kk.strip()
    school.name_ru = record.name_ru.strip()
    school.bin = record.bin.strip()
    school.address = record.address.strip()
    school.region_code = record.region_code
    school.district_code = record.district_code
    school.students_per_grade = {grade: int(count) for grade, count in record.students_per_grade.items()}
    school.foreign_languages = list(record.foreign_languages)
    school.language_status = SchoolLanguage(record.language_status) if record.language_status else None
    school.settlement = Settlement(record.settlement) if record.settlement else None
    school.ownership = Ownership(record.ownership) if record.ownership else None
    school.school_type = record.school_type.strip() or None
    school.school_kind = record.school_kind.strip() or None
    school.transport = record.transport.strip() or None
    school.delivery = record.delivery.strip() or None
    school.distance_km = record.distance_km
    school.expected_applicants = {key: int(count) for key, count in record.expected.items() if count}
    school.stream = streams[record.stream] if record.stream is not None else None


def school_record(school: School) -> SchoolRecord:
    return SchoolRecord(
        code=school.code,
        name_kk=school.name_kk,
        name_ru=school.name_ru,
        bin=school.bin or "",
        address=school.address or "",
        region_code=school.region_code or "",
        district_code=school.district_code or "",
        students_per_grade=dict(school.students_per_grade or {}),
        foreign_languages=tuple(school.foreign_languages or ()),
        language_status=school.language_status.value if school.language_status else "",
        settlement=school.settlement.value if school.settlement else "",
        ownership=school.ownership.value if school.ownership else "",
        school_type=school.school_type or "",
        school_kind=school.school_kind or "",
        transport=school.transport or "",
        delivery=school.delivery or "",
        distance_km=school.distance_km,
        expected=dict(school.expected_applicants or {}),
        stream=school.stream.number if school.stream else None,
    )
