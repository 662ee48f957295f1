"""The "room-opening" package: НЦТ → АРМ «Заявления ЕНТ» (п. 89.11), and the "room-counts" it gets back.

НЦТ opens a site's rooms from the rooms it imported (``site-database``, п. 79.3) and the applicants
the site sent in its final applicant file (``applicants``, п. 89.10): per stream and room language
status it opens the ordinary rooms in number order until their seats hold the live applicants,
then reserve rooms only if those are still short; every other room is kept back. A group whose
rooms cannot hold its applicants has all of them opened, and the command says by how many it is
short: the site's distribution refuses then, with the same numbers. The payload: ``docs/packages.md``.

The site answers with ``room-counts`` (п. 89.14), kept whole by ``ent-nct import``;
:func:`room_counts` reads the newest of each site for ``ent-nct rooms counts``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final, TypeGuard

from sqlalchemy import select
from sqlalchemy.orm import Session

from common import codebook
from common.errors import Refused
from common.i18n import _
from nct_hub.db.import_models import Applicant, ReceivedPackage, SiteRecord, SiteRoom, SiteRoomStream

KIND: Final = "room-opening"
COUNTS_KIND: Final = "room-counts"
PAYLOAD_FORMAT: Final = 1


@dataclass(frozen=True)
class Short:
    stream: int
    language: str
    applicants: int
    seats: int


def _current(session: Session, site_code: str, kind: str) -> ReceivedPackage | None:
    return session.scalar(select(ReceivedPackage).where(
        ReceivedPackage.site_code == site_code, ReceivedPackage.kind == kind, ReceivedPackage.current.is_(True))
        .order_by(ReceivedPackage.id.desc()))


def live_applicants(session: Session, site_code: str) -> dict[tuple[int, str], int]:
    """The site's live applicants (not annulled) per stream and room language status."""
    counts: dict[tuple[int, str], int] = defaultdict(int)
    rows = session.execute(select(Applicant.stream, Applicant.test_language, Applicant.history_language)
                           .where(Applicant.site_code == site_code, Applicant.status != "annulled"))
    for stream, test, history in rows:
        if stream is not None:
            counts[(stream, codebook.room_language_status(test, history))] += 1
    return counts


def room_opening_payload(session: Session, site_code: str) -> tuple[dict[str, Any], list[Short]]:
    """The opening of ``site_code``'s rooms and the groups whose rooms are short of seats."""
    record = session.get(SiteRecord, site_code)
    if record is None:
        raise Refused(_("НЦТ has no site database of site {code} yet: import the package from АРМ «База ППЕНТ» "
                        "first.").format(code=site_code))
    applicant_file = _current(session, site_code, "applicants")
    if applicant_file is None:
        raise Refused(_("Site {code} has not sent its applicant file yet: the rooms are opened for its "
                        "applicants.").format(code=site_code))
    database = session.get(ReceivedPackage, record.received_id)
    rooms = session.scalars(select(SiteRoom).where(SiteRoom.site_code == site_code)
                            .order_by(SiteRoom.number)).all()
    uses = session.scalars(select(SiteRoomStream).where(SiteRoomStream.site_code == site_code)
                           .order_by(SiteRoomStream.stream, SiteRoomStream.reserve, SiteRoomStream.room_number)).all()
    wanted = live_applicants(session, site_code)
    seats_left = dict(wanted)
    opened: dict[tuple[int, str], bool] = {}
    for use in uses:  # ordinary rooms before reserve rooms, each by number
        key = (use.stream, use.language)
        need = seats_left.get(key, 0)
        opened[(use.stream, use.room_number)] = need > 0
        if need > 0:
            seats_left[key] = need - use.seats
    short = [Short(stream, language, wanted[(stream, language)], wanted[(stream, language)] - left)
             for (stream, language), left in sorted(seats_left.items()) if left > 0]
    payload = {
        "format": PAYLOAD_FORMAT,
        "site": site_code,
        "site_database": None if database is None else database.sequence,
        "applicant_file": applicant_file.sequence,
        "rooms": [{"number": room.number, "desks": room.desks, "seats": room.seats,
                   "ventilation": room.ventilation or "natural"} for room in rooms],
        "room_streams": [{"stream": use.stream, "room_number": use.room_number, "language": use.language,
                          "reserve": use.reserve, "seats": use.seats,
                          "opened": opened[(use.stream, use.room_number)]} for use in uses],
        "applicants": [{"stream": stream, "language": language, "applicants": count}
                       for (stream, language), count in sorted(wanted.items())],
    }
    return payload, short


@dataclass(frozen=True)
class RoomCount:
    site: str
    stream: int
    room: str
    language: str
    seats: int
    applicants: int
    reserve: bool


def room_counts(session: Session, site_code: str | None = None) -> Iterator[RoomCount]:
    """The rooms' counts from each site's newest ``room-counts`` (entries not in its format left out)."""
    query = select(ReceivedPackage.site_code, ReceivedPackage.payload).where(
        ReceivedPackage.kind == COUNTS_KIND, ReceivedPackage.current.is_(True)).order_by(ReceivedPackage.site_code)
    if site_code is not None:
        query = query.where(ReceivedPackage.site_code == site_code)
    for site, payload in session.execute(query):
        if not site or not isinstance(payload, dict) or payload.get("format") != PAYLOAD_FORMAT:
            continue
        rooms = payload.get("rooms")
        for item in rooms if isinstance(rooms, list) else ():
            entry = _count_entry(site, item)
            if entry is not None:
                yield entry


def _count_entry(site: str, item: Any) -> RoomCount | None:
    if not isinstance(item, dict):
        return None
    stream, room, language = item.get("stream"), item.get("room"), item.get("language")
    seats, applicants = item.get("seats"), item.get("applicants")
    if (_count(stream) and _count(seats) and _count(applicants) and isinstance(room, str)
            and isinstance(language, str)):
        return RoomCount(site, stream, room, language, seats, applicants, bool(item.get("reserve", False)))
    return None


def _count(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
