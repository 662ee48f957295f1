"""The site's plan from НЦТ (``site-plan``, п. 89.1): the site, its streams, its schools with their
stream and expected applicants, and the site's ИКТ blocks.

НЦТ makes the plan from the site database АРМ «База ППЕНТ» sent it (п. 79.3) and allocates the ИКТ
blocks so that an ИКТ is unique in the country. Taking the package (``plan import`` or ``package
open``) writes the site, streams and schools into this workstation's database in one transaction;
the payload is kept whole too, and the newest one's blocks are where the journals take their ИКТ.
A later plan updates the schools in place: a school whose journal is printed is never removed, and
the new blocks must still hold every ИКТ already printed. The payload: ``docs/packages.md``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Any, Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from arm_applications.closing import refuse_if_closed
from common import codebook
from common.db import workstation_info
from common.db.models import (
    Application,
    IktRow,
    LanguageStatus,
    School,
    SchoolLanguage,
    Settlement,
    Site,
    Stream,
)
from common.errors import Refused
from common.exchange import kinds
from common.exchange.importers import ImportContext, register_importer
from common.exchange.package import OpenedPackage
from common.exchange.store import keep_payload, latest_payload
from common.exchange.taking import TakenPackage, take_package
from common.i18n import _

KIND: Final = kinds.SITE_PLAN.name
PAYLOAD_FORMAT: Final = 1
_LANGUAGES: Final = frozenset(status.value for status in LanguageStatus)


@dataclass(frozen=True)
class IktBlock:
    first: int
    last: int

    @property
    def size(self) -> int:
        return self.last - self.first + 1

    def __contains__(self, ikt: object) -> bool:
        return isinstance(ikt, int) and self.first <= ikt <= self.last


@dataclass(frozen=True)
class PlanStream:
    stream: int
    date: date
    seats_by_language: dict[str, int]


@dataclass(frozen=True)
class PlanSchool:
    key: str
    """``region/district/school`` — the school as sectors 8–10 of the form name it."""
    name_kk: str
    name_ru: str
    stream: int | None
    expected: int
    expected_by_language: dict[str, int]
    journal_rows: int
    """Rows of its registration journal printed so far (0 before ``journals print``)."""


@dataclass(frozen=True)
class Plan:
    site_code: str
    site_name_kk: str
    site_name_ru: str
    sequence: int
    """The number of the ``site-plan`` package it came from."""
    streams: tuple[PlanStream, ...]
    schools: tuple[PlanSchool, ...]
    ikt_blocks: tuple[IktBlock, ...]

    @property
    def expected(self) -> int:
        return sum(school.expected for school in self.schools)

    @property
    def ikt_total(self) -> int:
        return sum(block.size for block in self.ikt_blocks)


def school_key(school: School) -> str:
    return f"{school.region_code}/{school.district_code}/{school.code}"


# --- checking the payload ----------------------------------------------------------------------


def _bad(section: str) -> Refused:
    return Refused(_("The site plan's section {section} is malformed.").format(section=section))


def _mapping(value: Any, section: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _bad(section)
    return value


def _list(value: Any, section: str) -> Sequence[Any]:
    if not isinstance(value, list):
        raise _bad(section)
    return value


def _count(value: Any, section: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _bad(section)
    return value


def _text(value: Any, section: str, *, empty: bool = False) -> str:
    if not isinstance(value, str) or (not empty and not value.strip()):
        raise _bad(section)
    return value.strip()


def _code(value: Any, digits: int, section: str) -> str:
    if not isinstance(value, str) or not codebook.is_code(value, digits):
        raise _bad(section)
    return value


def _streams(raw: Any) -> dict[int, PlanStream]:
    streams: dict[int, PlanStream] = {}
    for number, item in enumerate(_list(raw, "streams"), start=1):
        section = f"streams[{number}]"
        entry = _mapping(item, section)
        stream = entry.get("stream")
        if isinstance(stream, bool) or not isinstance(stream, int) or not 1 <= stream <= 99 or stream in streams:
            raise _bad(section)
        try:
            day = date.fromisoformat(str(entry.get("date")))
        except ValueError:
            raise Refused(_("Stream {stream} of the site plan has no exam date.").format(stream=stream)) from None
        seats = _mapping(entry.get("seats_by_language") or {}, section)
        if not set(seats) <= _LANGUAGES:
            raise _bad(section)
        streams[stream] = PlanStream(stream, day, {key: _count(value, section) for key, value in seats.items()})
    return streams


def _school_values(item: Any, number: int, streams: Mapping[int, PlanStream]) -> dict[str, Any]:
    section = f"schools[{number}]"
    entry = _mapping(item, section)
    bin_code = entry.get("bin")
    if bin_code is not None and not (isinstance(bin_code, str) and codebook.is_valid_bin(bin_code)):
        raise _bad(section)
    by_language = _mapping(entry.get("expected_by_language") or {}, section)
    if not set(by_language) <= _LANGUAGES:
        raise _bad(section)
    stream = entry.get("stream")
    if stream is not None and stream not in streams:
        raise Refused(_("School number {number} of the site plan is in stream {stream}, which the plan does not "
                        "have.").format(number=number, stream=stream))
    language, settlement = entry.get("language"), entry.get("settlement")
    if language not in {None, *SchoolLanguage} or settlement not in {None, *Settlement}:
        raise _bad(section)
    return {
        "region_code": _code(entry.get("region_code"), codebook.REGION_DIGITS, section),
        "district_code": _code(entry.get("district_code"), codebook.DISTRICT_DIGITS, section),
        "code": _code(entry.get("school_code"), codebook.SCHOOL_DIGITS, section),
        "name_ru": _text(entry.get("name_ru"), section),
        "name_kk": _text(entry.get("name_kk"), section),
        "bin": bin_code,
        "language_status": None if language is None else SchoolLanguage(language),
        "settlement": None if settlement is None else Settlement(settlement),
        "expected_applicants": {key: _count(value, section) for key, value in by_language.items()},
        "stream": stream,
        "expected_total": _count(entry.get("expected_applicants", sum(by_language.values())), section),
    }


def _blocks(raw: Any) -> tuple[IktBlock, ...]:
    blocks = []
    for number, item in enumerate(_list(raw, "ikt_blocks"), start=1):
        section = f"ikt_blocks[{number}]"
        entry = _mapping(item, section)
        first = int(_code(entry.get("first"), codebook.IKT_DIGITS, section))
        last = int(_code(entry.get("last"), codebook.IKT_DIGITS, section))
        if last < first:
            raise _bad(section)
        blocks.append(IktBlock(first, last))
    blocks.sort(key=lambda block: block.first)
    if not blocks:
        raise Refused(_("The site plan carries no ИКТ block."))
    if any(later.first <= earlier.last for earlier, later in pairwise(blocks)):
        raise _bad("ikt_blocks")
    return tuple(blocks)


# --- taking the package ------------------------------------------------------------------------


def import_site_plan(session: Session, opened: OpenedPackage, context: ImportContext) -> str:
    """The importer of ``site-plan`` packages (after :func:`common.exchange.store.accept_package`)."""
    refuse_if_closed(session)
    payload = opened.payload
    if payload.get("format") != PAYLOAD_FORMAT:
        raise Refused(_("The site plan is in format {format}, which this program does not know.").format(
            format=payload.get("format")))
    site_entry = _mapping(payload.get("site"), "site")
    identity = workstation_info.get_identity(session)
    site_code = _text(site_entry.get("code"), "site")
    if identity is None or identity.site_code != site_code:
        raise Refused(_("The site plan is of site {inside}, but this workstation is enrolled at site {own}.").format(
            inside=site_code, own=None if identity is None else identity.site_code))
    streams = _streams(payload.get("streams"))
    schools = [_school_values(item, number, streams)
               for number, item in enumerate(_list(payload.get("schools"), "schools"), start=1)]
    keys = [(school["region_code"], school["district_code"], school["code"]) for school in schools]
    if len(set(keys)) != len(keys):
        raise _bad("schools")
    blocks = _blocks(payload.get("ikt_blocks"))
    outside = [row for row in session.scalars(select(IktRow.ikt))
               if not any(int(row) in block for block in blocks)]
    if outside:
        raise Refused(_("The new site plan's ИКТ blocks leave out {count} ИКТ already printed in journals; ask НЦТ "
                        "for a plan that keeps them.").format(count=len(outside)))

    site = session.scalar(select(Site).where(Site.code == site_code))
    if site is None:
        site = Site(code=site_code, name_kk="", name_ru="", region_code="")
        session.add(site)
    site.name_kk = _text(site_entry.get("name_kk"), "site")
    site.name_ru = _text(site_entry.get("name_ru"), "site")
    site.region_code = _code(site_entry.get("region_code"), codebook.REGION_DIGITS, "site")
    site.address = str(site_entry.get("address") or "")
    session.flush()
    by_number = _write_streams(session, site, streams)
    kept = _write_schools(session, site, schools, by_number)
    keep_payload(session, opened)
    session.flush()
    summary = _("Plan of site {site} taken: {schools} schools, {streams} streams, {expected} applicants expected, "
                "{ikt} ИКТ in the block.").format(site=site_code, schools=len(schools), streams=len(streams),
                                                    expected=sum(school["expected_total"] for school in schools),
                                                    ikt=sum(block.size for block in blocks))
    if kept:
        summary += " " + _("{count} school(s) no longer in the plan are kept: their journals are printed.").format(
            count=kept)
    return summary


def _write_streams(session: Session, site: Site, streams: Mapping[int, PlanStream]) -> dict[int, Stream]:
    existing = {stream.number: stream for stream in session.scalars(select(Stream).where(Stream.site_id == site.id))}
    for number, stream in existing.items():
        if number not in streams and not stream.room_streams:
            for school in stream.schools:
                school.stream_id = None
            session.delete(stream)
    result = {}
    for number, planned in streams.items():
        row = existing.get(number)
        if row is None:
            row = Stream(site_id=site.id, number=number, exam_date=planned.date)
            session.add(row)
        row.exam_date = planned.date
        result[number] = row
    session.flush()
    return result


def _write_schools(
    session: Session, site: Site, schools: Sequence[Mapping[str, Any]], streams: Mapping[int, Stream]
) -> int:
    existing = {(row.region_code, row.district_code, row.code): row
                for row in session.scalars(select(School).where(School.site_id == site.id))}
    planned = {(school["region_code"], school["district_code"], school["code"]) for school in schools}
    kept = 0
    for key, row in existing.items():
        if key in planned:
            continue
        used = session.scalar(select(func.count()).select_from(IktRow).where(IktRow.school_id == row.id))
        applied = session.scalar(select(func.count()).select_from(Application).where(Application.school_id == row.id))
        if used or applied:
            kept += 1
        else:
            session.delete(row)
    session.flush()
    for values in schools:
        key = (values["region_code"], values["district_code"], values["code"])
        found = existing.get(key)
        row = found if found is not None else School(
            site_id=site.id, region_code=key[0], district_code=key[1], code=key[2], name_kk="", name_ru="")
        session.add(row)
        row.name_kk, row.name_ru, row.bin = values["name_kk"], values["name_ru"], values["bin"]
        row.language_status, row.settlement = values["language_status"], values["settlement"]
        row.expected_applicants = dict(values["expected_applicants"])
        stream = values["stream"]
        row.stream = None if stream is None else streams[stream]
    session.flush()
    return kept


register_importer(KIND, import_site_plan, role="applications")


# --- reading the plan --------------------------------------------------------------------------


def ikt_blocks(session: Session) -> tuple[IktBlock, ...]:
    """The site's ИКТ blocks from the newest plan (empty before a plan is taken)."""
    stored = latest_payload(session, KIND)
    return () if stored is None else _blocks(stored.payload.get("ikt_blocks"))


def _no_plan() -> Refused:
    return Refused(_("No site plan yet: take the plan package from НЦТ first (plan import FILE)."))


def plan_site(session: Session) -> Site:
    """The site of this workstation's plan; ``Refused`` before the plan is taken."""
    identity = workstation_info.get_identity(session)
    site = None if identity is None else session.scalar(select(Site).where(Site.code == identity.site_code))
    if site is None:
        raise _no_plan()
    return site


def load_plan(session: Session) -> Plan:
    """The plan as this workstation holds it; ``Refused`` before a plan is taken."""
    stored = latest_payload(session, KIND)
    if stored is None:
        raise _no_plan()
    site = plan_site(session)
    streams = _streams(stored.payload.get("streams"))
    rows = {school_id: count for school_id, count in
            session.execute(select(IktRow.school_id, func.count()).group_by(IktRow.school_id))}
    schools = tuple(
        PlanSchool(
            key=school_key(school), name_kk=school.name_kk, name_ru=school.name_ru,
            stream=None if school.stream is None else school.stream.number,
            expected=sum(school.expected_applicants.values()),
            expected_by_language=dict(school.expected_applicants),
            journal_rows=rows.get(school.id, 0),
        )
        for school in sorted(site.schools, key=school_key)
    )
    return Plan(site_code=site.code, site_name_kk=site.name_kk, site_name_ru=site.name_ru,
                sequence=stored.sequence, streams=tuple(streams.values()), schools=schools,
                ikt_blocks=ikt_blocks(session))


def schools_in_order(session: Session) -> list[School]:
    """The site's schools as the journals and prints list them: by region, district and school code."""
    return list(session.scalars(select(School).order_by(School.region_code, School.district_code, School.code)))


def applications_of(session: Session, school: School) -> list[Application]:
    """A school's applications in the order they were entered."""
    return list(session.scalars(select(Application).where(Application.school_id == school.id)
                                .order_by(Application.id)))  # fmt: skip


def find_school(session: Session, key: str) -> School:
    """The school ``region/district/school`` (or just the school code when it is unique); ``Refused`` if unknown."""
    parts = key.strip().split("/")
    statement = select(School)
    if len(parts) == 3:
        statement = statement.where(School.region_code == parts[0], School.district_code == parts[1],
                                    School.code == parts[2])
    elif len(parts) == 1:
        statement = statement.where(School.code == parts[0])
    else:
        raise Refused(_("Name a school as region/district/school, e.g. 11/001/0001."))
    found = session.scalars(statement).all()
    if len(found) != 1:
        message = (_("School {key} is not in the site plan.") if not found
                   else _("School code {key} is in several districts: name it as region/district/school."))
        raise Refused(message.format(key=key))
    return found[0]


def take_plan_package(session: Session, data: bytes, password: str, name: str, context: ImportContext
                      ) -> TakenPackage:
    """Open, check and import a ``site-plan`` package file in ``session``'s transaction."""
    return take_package(session, data, password, name, context, {KIND: import_site_plan},
                        other_kind=_("{file} is not a site plan but a package of kind {kind!r}: take it with "
                                     "'package open'."))
