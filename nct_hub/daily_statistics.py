"""The "daily-statistics" packages: the applications workstation's (п. 12) and the programmer's (п. 53.6).

НЦТ keeps each package whole (``received_packages``); the two senders' packages have different
shapes and supersede only their own sender's (``nct_hub.imports.PER_SENDER``).

The applications workstation's payload (``docs/packages.md``) counts the site's applications per
stream and room language status, entered / changed / annulled. ``ent-nct stats`` counts a site's
applicants from its applicant file once it sent one, and until then from its newest daily
statistics; entries that do not follow the payload's format are left out.

The programmer's payload (``arm_programmer.statistics.daily_statistics_payload``) counts an exam
day per stream: seated, present, identified, scored, absent, annulled, not admitted, the average
total. :func:`check_programmer_statistics` refuses a malformed one before it is kept;
:func:`exam_days` is what ``ent-nct results daily`` lists: each site's newest package per exam day.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.errors import Refused
from common.i18n import _
from nct_hub.db.import_models import ReceivedPackage

KIND = "daily-statistics"
PAYLOAD_FORMAT = 1
LANGUAGES = ("kk", "ru", "en-kk", "en-ru")


def daily_applicants(session: Session) -> Iterator[tuple[str, int | None, str, int]]:
    """(site, stream, language status, live applications) from each site's newest daily statistics."""
    query = select(ReceivedPackage.site_code, ReceivedPackage.payload).where(
        ReceivedPackage.kind == KIND, ReceivedPackage.current.is_(True),
        ReceivedPackage.sender.like("%/applications"))
    for site, payload in session.execute(query):
        if not site or not isinstance(payload, dict) or payload.get("format") != PAYLOAD_FORMAT:
            continue
        counts = payload.get("counts")
        for item in counts if isinstance(counts, list) else ():
            entry = _entry(item)
            if entry is not None:
                yield (site, *entry)


def _entry(item: Any) -> tuple[int | None, str, int] | None:
    if not isinstance(item, dict):
        return None
    stream, language = item.get("stream"), item.get("language")
    values = [item.get(key, 0) for key in ("entered", "changed")]
    if (stream is not None and (isinstance(stream, bool) or not isinstance(stream, int))) or language not in LANGUAGES:
        return None
    if any(isinstance(value, bool) or not isinstance(value, int) or value < 0 for value in values):
        return None
    return stream, language, sum(values)


# --- the programmer's (п. 53.6) -------------------------------------------------------------------
PROGRAMMER_FORMAT: Final = 1
COUNTS: Final = ("seated", "present", "identified", "scored", "absent", "annulled", "not_admitted")


def check_programmer_statistics(site_code: str, payload: Mapping[str, Any]) -> None:
    """Refuse, in one line, a programmer's daily statistics that do not follow the format."""
    where = _programmer_fault(site_code, payload)
    if where is not None:
        raise Refused(_("The programmer's daily statistics are not valid: {where}.").format(where=where))


def _programmer_fault(site_code: str, payload: Mapping[str, Any]) -> str | None:
    if payload.get("format") != PROGRAMMER_FORMAT or payload.get("source") != "programmer":
        return "format"
    if payload.get("site_code") != site_code:
        return "site_code"
    try:
        date.fromisoformat(str(payload.get("date")))
    except ValueError:
        return "date"
    streams = payload.get("streams")
    if not isinstance(streams, list):
        return "streams"
    numbers: set[int] = set()
    for index, entry in enumerate(streams):
        if not isinstance(entry, Mapping) or not _whole(entry.get("stream")) or entry["stream"] < 1 \
                or entry["stream"] in numbers:
            return f"streams[{index}].stream"
        numbers.add(entry["stream"])
        for key in COUNTS:
            if entry.get(key) is not None and not _whole(entry.get(key)):
                return f"streams[{index}].{key}"
        average = entry.get("average_total")
        if average is not None and (isinstance(average, bool) or not isinstance(average, int | float)
                                    or average < 0):
            return f"streams[{index}].average_total"
    return None


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


@dataclass(frozen=True)
class ExamDay:
    """One site's exam day as its programmer's newest daily statistics for that day gave it."""

    site_code: str
    date: str
    sequence: int
    streams: tuple[dict[str, Any], ...]


def exam_days(session: Session, site_code: str | None = None) -> list[ExamDay]:
    """The programmers' daily statistics: per site and exam day the newest package, by site and day."""
    query = select(ReceivedPackage).where(
        ReceivedPackage.kind == KIND, ReceivedPackage.sender.like("%/programmer")).order_by(ReceivedPackage.id)
    if site_code is not None:
        query = query.where(ReceivedPackage.site_code == site_code)
    newest: dict[tuple[str, str], ExamDay] = {}
    for package in session.scalars(query):
        payload = package.payload or {}
        if package.site_code is None or _programmer_fault(package.site_code, payload) is not None:
            continue
        day = ExamDay(package.site_code, str(payload["date"]), package.sequence, tuple(payload["streams"]))
        newest[(day.site_code, day.date)] = day  # in import order: the ledger refuses an older package
    return [newest[key] for key in sorted(newest)]
