"""The programmer's daily statistics to НЦТ (п. 53.6): per stream of the day, who sat and how it went.

:func:`daily_statistics_payload` is the ``daily-statistics`` package's payload when the programmer
sends it (docs/packages.md; the applications workstation sends the same kind with its own shape and
НЦТ tells them apart by the sender's role). Pure: the caller reads the streams' result rows
(``arm_programmer.results.ResultRow``; ``None`` for a stream not scored yet) and the identification
counts from its database. Counts only, no personal data.

The instruction names the statistics but not their content; the shape is an assumption stated here
once: per stream, ``seated`` (applicants on the stream's seating), ``present`` (seated less absent
and not admitted; the annulled were present), ``identified`` (sheets identified), ``scored``,
``absent``, ``annulled``, ``not_admitted`` and ``average_total`` (over the scored; ``null`` before
scoring). Before scoring the counts come from :class:`StreamAttendance`; once the rows exist they
come from the rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from arm_programmer.results import ResultRow, ResultStatus

STATISTICS_FORMAT: Final = 1
SOURCE: Final = "programmer"
"""The payload's ``source``: НЦТ checks it against the sender's role."""


@dataclass(frozen=True)
class StreamAttendance:
    """What identification knows of a stream before its sheets are scored (its ``identification-end``)."""

    seated: int
    identified: int
    absent: int
    annulled: int
    not_admitted: int


def daily_statistics_payload(
    site_code: str, exam_date: str, streams: Mapping[int, Sequence[ResultRow] | None],
    identified: Mapping[int, StreamAttendance],
) -> dict[str, Any]:
    """The day's statistics: one entry per stream in ``streams`` or ``identified``, by stream number."""
    entries = []
    for stream in sorted(set(streams) | set(identified)):
        rows, attendance = streams.get(stream), identified.get(stream)
        entries.append(_scored_entry(stream, rows, attendance) if rows is not None
                       else _attendance_entry(stream, attendance))
    return {"format": STATISTICS_FORMAT, "source": SOURCE, "site_code": site_code, "date": exam_date,
            "streams": entries}


def _scored_entry(stream: int, rows: Sequence[ResultRow], attendance: StreamAttendance | None) -> dict[str, Any]:
    def count(status: ResultStatus) -> int:
        return sum(1 for row in rows if row.status is status)

    totals = [row.total for row in rows if row.status is ResultStatus.SCORED and row.total is not None]
    absent, not_admitted = count(ResultStatus.ABSENT), count(ResultStatus.NOT_ADMITTED)
    return {
        "stream": stream, "seated": len(rows), "present": len(rows) - absent - not_admitted,
        "identified": attendance.identified if attendance is not None else count(ResultStatus.SCORED),
        "scored": count(ResultStatus.SCORED), "absent": absent, "annulled": count(ResultStatus.ANNULLED),
        "not_admitted": not_admitted,
        "average_total": round(sum(totals) / len(totals), 2) if totals else None,
    }  # fmt: skip


def _attendance_entry(stream: int, attendance: StreamAttendance | None) -> dict[str, Any]:
    if attendance is None:
        return {"stream": stream, "seated": None, "present": None, "identified": None, "scored": None,
                "absent": None, "annulled": None, "not_admitted": None, "average_total": None}
    return {
        "stream": stream, "seated": attendance.seated,
        "present": attendance.seated - attendance.absent - attendance.not_admitted,
        "identified": attendance.identified, "scored": None, "absent": attendance.absent,
        "annulled": attendance.annulled, "not_admitted": attendance.not_admitted, "average_total": None,
    }  # fmt: skip
