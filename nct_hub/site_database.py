"""The "site-database" package (АРМ «База ППЕНТ», п. 79.3) into НЦТ's tables.

The payload is documented in ``docs/packages.md``. Everything is checked before a row is written;
a problem is refused naming the section and the entry number (no personal data is in this kind).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, TypeGuard

from sqlalchemy import insert
from sqlalchemy.orm import Session

from common import codebook
from common.directories import TEACHING_LANGUAGES
from common.errors import Refused
from common.i18n import _
from nct_hub.db.import_models import SiteRecord, SiteRoom, SiteRoomStream, SiteSchool, SiteStream

PAYLOAD_FORMAT = 1
FACT_KEYS = (
    "lodging_places", "meal_places", "restroom_location", "metal_detector_type", "metal_detectors",
    "jammers", "cameras",
)  # fmt: skip


def import_site_database(
    session: Session, received_id: int, site_code: str, payload: Mapping[str, Any]
) -> dict[str, int]:
    """Write the site's rooms, streams, schools and facts; returns counts for the import summary.

    The caller has removed the rows of the package this one supersedes.
    """
    if payload.get("format") != PAYLOAD_FORMAT:
        raise Refused(_("The site database is in format {format}, which this program does not know.").format(
            format=payload.get("format")))
    site = _mapping(payload.get("site"), "site")
    if str(site.get("code", "")) != site_code:
        message = _("The site database is of site {inside}, but the package came from site {sender}.")
        raise Refused(message.format(inside=site.get("code"), sender=site_code))
    streams = _streams(payload.get("streams"))
    rooms = _rooms(payload.get("rooms"))
    room_streams = _room_streams(payload.get("room_streams"), streams, rooms)
    schools = _schools(payload.get("schools"), streams)
    facts = site.get("facts") or {}
    if not isinstance(facts, Mapping):
        raise Refused(_("The site database's section {section} is malformed.").format(section="site.facts"))
    session.add(SiteRecord(
        site_code=site_code, received_id=received_id, name=str(site.get("name") or ""),
        region_code=str(site.get("region_code") or ""), address=str(site.get("address") or ""),
        directory_version=_optional_int(site.get("directory_version")),
        facts={key: facts[key] for key in facts if isinstance(key, str)},
    ))
    common = {"site_code": site_code, "received_id": received_id}
    for model, rows in ((SiteStream, streams.values()), (SiteRoom, rooms.values()),
                        (SiteRoomStream, room_streams), (SiteSchool, schools)):
        values = [{**common, **row} for row in rows]
        if values:
            session.execute(insert(model), values)
    return {"streams": len(streams), "rooms": len(rooms), "room_streams": len(room_streams),
            "schools": len(schools)}


def _entries(value: object, section: str) -> list[Mapping[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        raise Refused(_("The site database's section {section} is malformed.").format(section=section))
    return value


def _mapping(value: object, section: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise Refused(_("The site database's section {section} is malformed.").format(section=section))
    return value


def _refuse(section: str, number: int, problem: str) -> Refused:
    return Refused(_("Site database, {section} entry {number}: {problem}").format(
        section=section, number=number, problem=problem))


def _streams(value: object) -> dict[int, dict[str, Any]]:
    streams: dict[int, dict[str, Any]] = {}
    for number, item in enumerate(_entries(value, "streams"), start=1):
        stream = item.get("stream")
        if not _is_whole(stream) or not 1 <= stream < 10**codebook.STREAM_DIGITS:
            raise _refuse("streams", number, _("the stream number is not valid."))
        if stream in streams:
            raise _refuse("streams", number, _("stream {stream} is listed twice.").format(stream=stream))
        try:
            when = date.fromisoformat(item["date"]) if item.get("date") else None
        except (TypeError, ValueError) as error:
            raise _refuse("streams", number, _("the date is not a date (YYYY-MM-DD).")) from error
        streams[stream] = {"stream": stream, "date": when}
    return streams


def _rooms(value: object) -> dict[str, dict[str, Any]]:
    rooms: dict[str, dict[str, Any]] = {}
    for number, item in enumerate(_entries(value, "rooms"), start=1):
        room = str(item.get("number", ""))
        if not codebook.is_code(room, codebook.ROOM_DIGITS):
            raise _refuse("rooms", number, _("the room number must have {digits} digits.").format(
                digits=codebook.ROOM_DIGITS))
        if room in rooms:
            raise _refuse("rooms", number, _("room {room} is listed twice.").format(room=room))
        seats = item.get("seats")
        if not isinstance(seats, int) or isinstance(seats, bool) or seats <= 0:
            raise _refuse("rooms", number, _("the number of seats is not valid."))
        desks = item.get("desks", 0)
        if not isinstance(desks, int) or isinstance(desks, bool) or desks < 0:
            raise _refuse("rooms", number, _("the number of desks is not valid."))
        rooms[room] = {
            "number": room, "seats": seats, "desks": desks, "ventilation": str(item.get("ventilation") or ""),
            "jammers": _count(item, "jammers", "rooms", number),
            "cameras": _count(item, "cameras", "rooms", number),
        }
    return rooms


def _room_streams(
    value: object, streams: Mapping[int, Any], rooms: Mapping[str, Mapping[str, Any]]
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    seen: set[tuple[int, str]] = set()
    for number, item in enumerate(_entries(value, "room_streams"), start=1):
        stream, room = item.get("stream"), str(item.get("room_number", ""))
        if stream not in streams:
            message = _("stream {stream} is not in the schedule.")
            raise _refuse("room_streams", number, message.format(stream=stream))
        if room not in rooms:
            raise _refuse("room_streams", number, _("room {room} is not in the room fund.").format(room=room))
        assert isinstance(stream, int)
        if (stream, room) in seen:
            message = _("room {room} is listed twice for stream {stream}.")
            raise _refuse("room_streams", number, message.format(room=room, stream=stream))
        seen.add((stream, room))
        language = item.get("language")
        if language not in codebook.ROOM_LANGUAGE_STATUSES:
            message = _("unknown language status {status}.")
            raise _refuse("room_streams", number, message.format(status=language))
        seats = item.get("seats", rooms[room]["seats"])
        if not isinstance(seats, int) or isinstance(seats, bool) or seats <= 0:
            raise _refuse("room_streams", number, _("the number of seats is not valid."))
        rows.append({"stream": stream, "room_number": room, "language": language,
                     "reserve": bool(item.get("reserve")), "seats": seats})
    return rows


def _schools(value: object, streams: Mapping[int, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    bins: set[str] = set()
    for number, item in enumerate(_entries(value, "schools"), start=1):
        bin_ = str(item.get("bin", ""))
        if not codebook.is_valid_bin(bin_):
            raise _refuse("schools", number, _("the БИН is not valid."))
        if bin_ in bins:
            raise _refuse("schools", number, _("БИН {bin} is listed twice.").format(bin=bin_))
        bins.add(bin_)
        school_streams = item.get("streams") or []
        if not isinstance(school_streams, list) or any(stream not in streams for stream in school_streams):
            message = _("the school is distributed to a stream that is not in the schedule.")
            raise _refuse("schools", number, message)
        language = str(item.get("language") or "")
        by_language = item.get("expected_by_language") or {}
        if not isinstance(by_language, Mapping) or any(
            key not in codebook.ROOM_LANGUAGE_STATUSES or not isinstance(count, int) or count < 0
            for key, count in by_language.items()
        ):
            raise _refuse("schools", number, _("the expected applicants by language are malformed."))
        details = item.get("details") or {}
        rows.append({
            "bin": bin_, "name": str(item.get("name") or ""),
            "region_code": str(item.get("region_code") or ""),
            "district_code": str(item.get("district_code") or ""),
            "school_code": str(item.get("school_code") or ""),
            "language": language if language in TEACHING_LANGUAGES else language[:8],
            "settlement": str(item.get("settlement") or ""), "streams": sorted(set(school_streams)),
            "expected_applicants": _count(item, "expected_applicants", "schools", number),
            "expected_by_language": dict(by_language),
            "details": dict(details) if isinstance(details, Mapping) else {},
        })
    return rows


def _count(item: Mapping[str, Any], key: str, section: str, number: int) -> int:
    """A count that may be absent (0); a negative or non-whole one is refused."""
    value = item.get(key)
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int) and value >= 0:
        return value
    if value in (None, ""):
        return 0
    raise _refuse(section, number, _("{field} must be a whole number.").format(field=key))


def _is_whole(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _optional_int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
