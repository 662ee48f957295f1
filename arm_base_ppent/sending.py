"""The site database to НЦТ (п. 79.3): one sealed "site-database" package in ``outbox/``.

The payload (format 1) is the contract agreed with НЦТ's importer (``docs/packages.md``): the site
and its facts, the streams, the rooms, each room's use per stream, and the schools with their
expected applicants per language and stream. НЦТ keeps the newest package a site sent: a later
send supersedes the earlier one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy.orm import Session

from arm_base_ppent.snapshot import SiteSnapshot, load_snapshot
from common.errors import Refused
from common.i18n import _
from common.workstation import DataFolder

KIND: Final = "site-database"
PAYLOAD_FORMAT: Final = 1


@dataclass(frozen=True)
class SentDatabase:
    file_name: str
    path: str
    sequence: int
    size: int
    rooms: int
    streams: int
    schools: int
    warnings: tuple[str, ...]


def site_database_payload(snapshot: SiteSnapshot) -> dict[str, Any]:
    """The payload of the package (plain JSON types only)."""
    site, facts = snapshot.site, snapshot.site.facts
    return {
        "format": PAYLOAD_FORMAT,
        "site": {
            "code": site.code,
            "name": site.name_ru,
            "name_kk": site.name_kk,
            "region_code": site.region_code,
            "address": facts.building,
            "building": facts.building,
            "directory_version": None,
            "facts": {
                "lodging_places": facts.lodging_places,
                "meal_places": facts.meal_places,
                "restroom_location": facts.restroom_location,
                "metal_detector_type": facts.metal_detector_type,
                "metal_detectors": facts.metal_detector_count,
                "jammers": facts.jammers_count,
                "cameras": facts.cameras_count,
            },
        },
        "streams": [
            {"stream": stream.number, "date": stream.exam_date.isoformat()} for stream in snapshot.streams
        ],
        "rooms": [
            {
                "number": room.number,
                "desks": room.desks,
                "seats": room.seats,
                "ventilation": room.ventilation,
                "jammers": room.jammers,
                "cameras": room.cameras,
            }
            for room in snapshot.rooms
        ],
        "room_streams": [
            {
                "stream": use.stream,
                "room_number": room.number,
                "language": use.language,
                "reserve": use.reserve,
                "seats": room.seats,
            }
            for room in snapshot.rooms
            for use in room.uses
        ],
        "schools": [
            {
                "bin": school.bin,
                "name": school.name_ru,
                "region_code": school.region_code,
                "district_code": school.district_code,
                "school_code": school.code,
                "language": school.language_status,
                "settlement": school.settlement,
                "streams": [school.stream] if school.stream is not None else [],
                "expected_applicants": school.expected_total,
                "expected_by_language": dict(school.expected),
                "details": {
                    "name_kk": school.name_kk,
                    "address": school.address,
                    "students_by_grade": dict(school.students_per_grade),
                    "foreign_languages": list(school.foreign_languages),
                    "ownership": school.ownership,
                    "school_type": school.school_type,
                    "school_kind": school.school_kind,
                    "transport": school.transport,
                    "delivery": school.delivery,
                    "distance_km": school.distance_km,
                },
            }
            for school in snapshot.schools
        ],
    }


def readiness_problems(snapshot: SiteSnapshot) -> list[str]:
    """What keeps the database from being sent at all."""
    problems = []
    if not snapshot.streams:
        problems.append(_("The schedule has no streams yet."))
    if not any(room.uses for room in snapshot.rooms):
        problems.append(_("No room is used in any stream yet."))
    if not snapshot.schools:
        problems.append(_("No schools or colleges are entered yet."))
    return problems


def plan_warnings(snapshot: SiteSnapshot) -> list[str]:
    """What НЦТ should know but does not stop the sending: schools outside streams, too few seats."""
    from arm_base_ppent.vocabulary import ROOM_LANGUAGE, label

    warnings = []
    if snapshot.distribution.unassigned_schools:
        warnings.append(
            _("{schools} school(s) are not in any stream.").format(
                schools=snapshot.distribution.unassigned_schools
            )
        )
    for load in snapshot.distribution.streams:
        for language in load.languages:
            if language.shortfall:
                warnings.append(
                    _("Stream {stream}: {expected} expected in {language}, {seats} seats.").format(
                        stream=load.stream,
                        expected=language.expected,
                        language=label(ROOM_LANGUAGE, language.language),
                        seats=language.seats,
                    )
                )
    return warnings


def send_site_database(session: Session, folder: DataFolder, *, password: str, actor: str) -> SentDatabase:
    """Seal the site database to НЦТ into ``outbox/`` (the key unlocked with ``password``)."""
    from common.exchange.addresses import NCT_ADDRESS
    from common.exchange.store import load_identity, load_trust, send_package
    from common.security.audit import AuditLog

    snapshot = load_snapshot(session)
    problems = readiness_problems(snapshot)
    if problems:
        raise Refused(_("Nothing to send yet: {problem}").format(problem=problems[0]))
    identity = load_identity(session, password)
    sent = send_package(
        session,
        identity=identity,
        trust=load_trust(session),
        recipient=NCT_ADDRESS,
        kind=KIND,
        payload=site_database_payload(snapshot),
        outbox=folder.outbox,
        audit=AuditLog(folder.audit_log),
        actor=actor,
    )
    return SentDatabase(
        file_name=sent.path.name,
        path=str(sent.path),
        sequence=sent.sequence,
        size=sent.size,
        rooms=len(snapshot.rooms),
        streams=len(snapshot.streams),
        schools=len(snapshot.schools),
        warnings=tuple(plan_warnings(snapshot)),
    )
