"""Taking over the applicant database (п. 52.6–52.8): the sealed ``applicant-database`` package that АРМ
«Заявления ЕНТ» of the same site sends once its database is closed and distributed.

Taking it (``handover import FILE`` or ``package open``) writes the site, its streams, the opened
rooms per stream, the schools, the applicants and their applications with their room and place
into this workstation's own database — the shared model (``common/db/models.py``), each ИКТ on a
journal row of its school — in one transaction, keeps the payload whole, and marks the database
closed and distributed as it came. It is refused when the package is not closed and distributed,
is of another site, or when this workstation already holds applicants. The payload:
``docs/packages.md``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from common import codebook
from common.db import workstation_info
from common.db.models import (
    Applicant,
    ApplicantDatabaseState,
    Application,
    ApplicationStatus,
    IktRow,
    IktStatus,
    LanguageStatus,
    Room,
    RoomStream,
    School,
    Site,
    Stream,
    Ventilation,
)
from common.errors import Refused
from common.exchange import kinds
from common.exchange.importers import ImportContext, register_importer
from common.exchange.package import OpenedPackage
from common.exchange.store import keep_payload
from common.exchange.taking import TakenPackage, take_package
from common.i18n import _

KIND: Final = kinds.APPLICANT_DATABASE.name
PAYLOAD_FORMAT: Final = 1
COLUMNS: Final = ("ikt", "iin", "surname", "name", "patronymic", "sex", "birth_date", "citizenship", "nationality",
                  "region", "district", "school", "test_language", "history_language", "status", "stream", "room",
                  "place")


@dataclass(frozen=True)
class HandoverCounts:
    site: str
    closed_at: str | None
    distributed_at: str | None
    streams: int
    rooms: int
    schools: int
    applicants: int
    annulled: int
    placed: int


def _bad(section: str) -> Refused:
    return Refused(_("The applicant database package's section {section} is malformed.").format(section=section))


def _moment(value: Any, section: str) -> datetime:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise _bad(section) from None
    if moment.tzinfo is None:
        raise _bad(section)
    return moment


def _records(payload: Mapping[str, Any]) -> list[dict[str, Any]]:
    table = payload.get("applicants")
    if not isinstance(table, Mapping) or not isinstance(table.get("columns"), list) \
            or not isinstance(table.get("rows"), list):
        raise _bad("applicants")
    columns = table["columns"]
    if set(COLUMNS) - set(columns):
        raise _bad("applicants")
    records = []
    for number, row in enumerate(table["rows"], start=1):
        if not isinstance(row, list) or len(row) != len(columns):
            raise _bad(f"applicants[{number}]")
        record = dict(zip(columns, row, strict=True))
        _check(record, number)
        records.append(record)
    return records


def _check(record: Mapping[str, Any], number: int) -> None:
    ikt, iin, born = record["ikt"], record["iin"], record["birth_date"]
    language, history = record["test_language"], record["history_language"]
    ok = (isinstance(ikt, str) and codebook.is_code(ikt, codebook.IKT_DIGITS)
          and (iin is None or (isinstance(iin, str) and codebook.is_valid_iin(iin)))
          and (iin is not None or born is not None)
          and isinstance(record["surname"], str) and record["surname"] and isinstance(record["name"], str)
          and record["name"] and record["sex"] in codebook.SEXES and language in codebook.TEST_LANGUAGES
          and (history in codebook.HISTORY_LANGUAGES if language == "en" else history is None)
          and record["status"] in {status.value for status in ApplicationStatus})
    if not ok:
        raise Refused(_("Applicant record {number} of the applicant database package is not valid.").format(
            number=number))


def import_handover(session: Session, opened: OpenedPackage, context: ImportContext) -> str:
    """The importer of ``applicant-database`` packages on the programmer's workstation."""
    payload = opened.payload
    if payload.get("format") != PAYLOAD_FORMAT:
        raise Refused(_("The applicant database package is in format {format}, which this program does not know.")
                      .format(format=payload.get("format")))
    identity = workstation_info.get_identity(session)
    site_entry = payload.get("site")
    if not isinstance(site_entry, Mapping):
        raise _bad("site")
    if identity is None or identity.site_code != site_entry.get("code"):
        raise Refused(_("The applicant database is of site {inside}, but this workstation is at site {own}.").format(
            inside=site_entry.get("code"), own=None if identity is None else identity.site_code))
    if not payload.get("closed_at") or not payload.get("distributed_at"):
        raise Refused(_("The applicant database package is not of a closed and distributed database: it is not "
                        "taken."))
    closed_at, distributed_at = _moment(payload["closed_at"], "closed_at"), _moment(payload["distributed_at"],
                                                                                    "distributed_at")
    from arm_programmer.takeover import require_open

    require_open(session)
    if session.scalar(select(func.count()).select_from(Application)):
        raise Refused(_("This workstation already holds an applicant database: a second one is not taken."))
    records = _records(payload)

    site = session.scalar(select(Site).where(Site.code == site_entry["code"]))
    if site is None:
        site = Site(code=str(site_entry["code"]), name_kk="", name_ru="", region_code="")
        session.add(site)
    site.name_kk, site.name_ru = str(site_entry.get("name_kk") or ""), str(site_entry.get("name_ru") or "")
    site.region_code, site.address = str(site_entry.get("region_code") or ""), str(site_entry.get("address") or "")
    session.flush()
    streams = _streams(session, site, payload.get("streams"))
    uses = _rooms(session, site, streams, payload.get("rooms"))
    schools = _schools(session, site, streams, payload.get("schools"))
    _applications(session, records, schools, uses)
    session.add(ApplicantDatabaseState(id=1, closed_at=closed_at, closed_by="", distributed_at=distributed_at,
                                       rooms_opened_at=distributed_at))
    keep_payload(session, opened)
    session.flush()
    counts = handover_counts(session)
    return _("Applicant database of site {site} taken: {applicants} applicant(s) ({annulled} annulled), {placed} "
             "placed in {rooms} room(s) of {streams} stream(s).").format(
        site=counts.site, applicants=counts.applicants, annulled=counts.annulled, placed=counts.placed,
        rooms=counts.rooms, streams=counts.streams)


register_importer(KIND, import_handover, role="programmer")


def _streams(session: Session, site: Site, raw: Any) -> dict[int, Stream]:
    if not isinstance(raw, list):
        raise _bad("streams")
    existing = {stream.number: stream for stream in site.streams}
    result = {}
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, Mapping) or not isinstance(item.get("stream"), int):
            raise _bad(f"streams[{number}]")
        try:
            day = date.fromisoformat(str(item.get("date")))
        except ValueError:
            raise _bad(f"streams[{number}]") from None
        row = existing.get(item["stream"]) or Stream(site_id=site.id, number=item["stream"], exam_date=day)
        row.exam_date = day
        session.add(row)
        result[item["stream"]] = row
    session.flush()
    return result


def _rooms(session: Session, site: Site, streams: Mapping[int, Stream], raw: Any) -> dict[tuple[int, str], int]:
    if not isinstance(raw, list):
        raise _bad("rooms")
    rooms = {room.number: room for room in site.rooms}
    uses: dict[tuple[int, str], RoomStream] = {}
    for number, item in enumerate(raw, start=1):
        section = f"rooms[{number}]"
        if not isinstance(item, Mapping) or item.get("stream") not in streams:
            raise _bad(section)
        room_number, seats, desks = item.get("room"), item.get("seats"), item.get("desks", 0)
        if not isinstance(desks, int) or isinstance(desks, bool) or desks < 0:
            raise _bad(section)
        if not isinstance(room_number, str) or not isinstance(seats, int) or seats < 1 \
                or item.get("language") not in {value.value for value in LanguageStatus}:
            raise _bad(section)
        room = rooms.get(room_number)
        if room is None:
            room = Room(site_id=site.id, number=room_number, desks=desks, seats=seats, ventilation=Ventilation.NATURAL)
            session.add(room)
            rooms[room_number] = room
        room.seats = max(room.seats, seats)
        room.desks = max(room.desks, desks)
        session.flush()
        use = RoomStream(room_id=room.id, stream_id=streams[item["stream"]].id,
                         language_status=LanguageStatus(item["language"]), is_reserve=bool(item.get("reserve")),
                         seats=seats, opened=item.get("opened", True) is not False)
        session.add(use)
        uses[(item["stream"], room_number)] = use
    session.flush()
    return {key: use.id for key, use in uses.items()}


def _schools(session: Session, site: Site, streams: Mapping[int, Stream], raw: Any) -> dict[tuple[str, str, str], int]:
    if not isinstance(raw, list):
        raise _bad("schools")
    existing = {(school.region_code, school.district_code, school.code): school for school in site.schools}
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, Mapping):
            raise _bad(f"schools[{number}]")
        key = (str(item.get("region")), str(item.get("district")), str(item.get("school")))
        row = existing.get(key)
        if row is None:
            row = School(site_id=site.id, region_code=key[0], district_code=key[1], code=key[2], name_kk="",
                         name_ru="")
            session.add(row)
            existing[key] = row
        row.name_kk, row.name_ru = str(item.get("name_kk") or ""), str(item.get("name_ru") or "")
        stream = item.get("stream")
        row.stream = streams.get(stream) if isinstance(stream, int) else None
    session.flush()
    return {key: school.id for key, school in existing.items()}


def _applications(session: Session, records: Sequence[Mapping[str, Any]], schools: Mapping[tuple[str, str, str], int],
                  uses: Mapping[tuple[int, str], int]) -> None:
    """Journal rows, applicants (one per ИИН) and applications, written in bulk."""
    connection = session.connection()
    rows_per_school: dict[int, int] = {}
    ikt_rows = []
    for record in records:
        key = (record["region"], record["district"], record["school"])
        if key not in schools:
            raise Refused(_("An applicant of the package is of school {school}, which the package does not list.")
                          .format(school="/".join(str(part) for part in key)))
        school_id = schools[key]
        rows_per_school[school_id] = rows_per_school.get(school_id, 0) + 1
        ikt_rows.append({"ikt": record["ikt"], "school_id": school_id, "row_number": rows_per_school[school_id],
                         "status": IktStatus.USED})
    connection.execute(insert(IktRow), ikt_rows)
    row_ids = {ikt: row_id for ikt, row_id in connection.execute(select(IktRow.ikt, IktRow.id))}
    people: dict[str, dict[str, Any]] = {}
    for number, record in enumerate(records):
        person_key = record["iin"] or f"#{number}"
        person = people.get(person_key)
        if person is None or record["status"] != ApplicationStatus.ANNULLED.value:
            people[person_key] = {
                "iin": record["iin"], "surname": record["surname"], "name": record["name"],
                "patronymic": record["patronymic"] or None, "sex": record["sex"].lower(),
                "birth_date": None if record["birth_date"] is None else date.fromisoformat(record["birth_date"]),
                "citizenship_code": record["citizenship"], "nationality_code": record["nationality"],
            }
    keys = list(people)
    connection.execute(insert(Applicant), [people[key] for key in keys])
    by_iin = {iin: person_id for iin, person_id in
              connection.execute(select(Applicant.iin, Applicant.id).where(Applicant.iin.is_not(None)))}
    without = list(connection.execute(select(Applicant.id).where(Applicant.iin.is_(None)).order_by(Applicant.id))
                   .scalars())
    no_iin_ids = dict(zip([key for key in keys if key.startswith("#")], without, strict=True))
    applications = []
    for number, record in enumerate(records):
        place, room, stream = record["place"], record["room"], record["stream"]
        use = uses.get((stream, room)) if place is not None else None
        if place is not None and use is None:
            raise Refused(_("Applicant record {number} of the applicant database package is not valid.").format(
                number=number + 1))
        applications.append({
            "applicant_id": by_iin[record["iin"]] if record["iin"] else no_iin_ids[f"#{number}"],
            "ikt_row_id": row_ids[record["ikt"]], "school_id": schools[(record["region"], record["district"],
                                                                         record["school"])],
            "region_code": record["region"], "district_code": record["district"],
            "test_language": record["test_language"], "history_language": record["history_language"],
            "status": record["status"], "room_stream_id": use, "place": place,
        })
    connection.execute(insert(Application), applications)


def handover_counts(session: Session) -> HandoverCounts:
    """What this workstation holds of the applicant database (``handover show``)."""
    state = session.get(ApplicantDatabaseState, 1)
    identity = workstation_info.get_identity(session)
    statuses = {status: count for status, count in
                session.execute(select(Application.status, func.count()).group_by(Application.status))}
    return HandoverCounts(
        site="" if identity is None or identity.site_code is None else identity.site_code,
        closed_at=None if state is None else state.closed_at.isoformat(),
        distributed_at=None if state is None or state.distributed_at is None else state.distributed_at.isoformat(),
        streams=session.scalar(select(func.count()).select_from(Stream)) or 0,
        rooms=session.scalar(select(func.count()).select_from(RoomStream).where(RoomStream.opened.is_(True))) or 0,
        schools=session.scalar(select(func.count()).select_from(School)) or 0,
        applicants=sum(statuses.values()) - statuses.get(ApplicationStatus.ANNULLED, 0),
        annulled=statuses.get(ApplicationStatus.ANNULLED, 0),
        placed=session.scalar(select(func.count()).select_from(Application)
                              .where(Application.place.is_not(None))) or 0,
    )


def take_handover(session: Session, data: bytes, password: str, name: str, context: ImportContext
                  ) -> TakenPackage:
    """Open, check and import an ``applicant-database`` package file in ``session``'s transaction."""

    return take_package(session, data, password, name, context, {KIND: import_handover})
