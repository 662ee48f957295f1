"""The ``results`` packages at НЦТ (п. 180): a stream's results without appeal, per site and stream.

:func:`import_results` checks the payload ``arm_programmer.results.results_payload`` writes
(docs/packages.md, ``results``) field by field and files one :class:`ExamResult` per seated
applicant, written in bulk (one executemany, :func:`nct_hub.bulk.insert_rows`); anything
malformed refuses the whole package in one line and nothing is kept (the caller's transaction). A later
package for the same site and stream replaces the stream's rows (``nct_hub.imports`` removes the superseded
package's rows in one statement and keeps the package as history).
:func:`results_summary` is what ``ent-nct results show`` prints: counts by status and averages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from arm_programmer.results import RESULTS_FORMAT, ResultStatus
from common.errors import Refused
from common.i18n import _
from nct_hub.bulk import insert_rows
from nct_hub.db.import_models import ReceivedPackage
from nct_hub.db.results_models import ExamResult
from nct_hub.payload_checks import IKT, Bad, count_of, date_of, entry_of, list_of, text_of

KIND: Final = "results"
LANGUAGES: Final = ("kk", "ru", "en")
STATUSES: Final = tuple(status.value for status in ResultStatus)
_IIN = re.compile(r"^[0-9]{12}$")


def import_results(session: Session, received_id: int, site_code: str, payload: Mapping[str, Any]) -> dict[str, int]:
    """File a stream's results; returns the counts for the import summary. Refused when malformed."""
    received = session.get(ReceivedPackage, received_id)
    stream = received.stream_key if received is not None else 0
    try:
        rows = checked_results(payload, site_code, stream)
    except Bad as bad:
        raise Refused(_("The results are not valid: {where}: {problem}.").format(
            where=bad.where, problem=bad.problem)) from None  # fmt: skip
    for row in rows:
        row["received_id"] = received_id
    insert_rows(session, ExamResult, rows)
    counts = {status: sum(1 for row in rows if row["status"] == status) for status in STATUSES}
    return {"results": len(rows), **counts}


def checked_results(payload: Mapping[str, Any], site_code: str, stream: int, format_: int = RESULTS_FORMAT
                    ) -> list[dict[str, Any]]:
    """The payload's results, checked: one row of :class:`ExamResult`'s columns (but ``received_id``) each."""
    if payload.get("format") != format_:
        raise Bad("format", _("format {format} is not known to this program").format(format=payload.get("format")))
    if payload.get("site_code") != site_code:
        raise Bad("site_code", _("the results are of site {inside}, but the package came from site {sender}").format(
            inside=payload.get("site_code"), sender=site_code))  # fmt: skip
    if stream < 1 or payload.get("stream") != stream or isinstance(payload.get("stream"), bool):
        raise Bad("stream", _("the results are of stream {inside}, but the package is of stream {sender}").format(
            inside=payload.get("stream"), sender=stream or "—"))  # fmt: skip
    exam_date = date_of(payload.get("date"), "date")
    entries = list_of(payload.get("results"), "results")
    rows = [_row(entry, f"results[{index}]", site_code, stream, exam_date) for index, entry in enumerate(entries)]
    seen: set[str] = set()
    for index, row in enumerate(rows):
        if row["ikt"] in seen:
            raise Bad(f"results[{index}].ikt", _("the ИКТ appears twice"))
        seen.add(row["ikt"])
    counts = payload.get("counts")
    expected = {status: sum(1 for row in rows if row["status"] == status) for status in STATUSES}
    if counts != expected:
        raise Bad("counts", _("the counts do not match the results"))
    return rows


def _row(value: Any, where: str, site_code: str, stream: int, exam_date: date) -> dict[str, Any]:
    entry = entry_of(value, where)
    ikt = text_of(entry, "ikt", where, pattern=IKT)
    iin = text_of(entry, "iin", where, pattern=_IIN, optional=True)
    language = text_of(entry, "test_language", where)
    if language not in LANGUAGES:
        raise Bad(f"{where}.test_language", _("unknown test language {language}").format(language=language))
    status = text_of(entry, "status", where)
    if status not in STATUSES:
        raise Bad(f"{where}.status", _("unknown status {status}").format(status=status))
    creative = entry.get("creative")
    if not isinstance(creative, bool):
        raise Bad(f"{where}.creative", _("not true or false"))
    subjects = _subjects(entry.get("subjects"), f"{where}.subjects")
    total = count_of(entry, "total", where)
    max_total = count_of(entry, "max_total", where)
    if status == ResultStatus.SCORED.value:
        if not subjects or total != sum(item["points"] for item in subjects) \
                or max_total != sum(item["max"] for item in subjects):
            raise Bad(f"{where}.total", _("the total is not the sum of the subjects' points"))
    elif subjects or total is not None:
        raise Bad(f"{where}.subjects", _("points for an applicant who was not scored"))
    return {
        "site_code": site_code, "stream": stream, "exam_date": exam_date, "ikt": ikt, "iin": iin,
        "school_code": text_of(entry, "school_code", where, limit=6), "test_language": language,
        "room_number": text_of(entry, "room", where, limit=4), "seat": count_of(entry, "seat", where),
        "sheet_number": text_of(entry, "sheet_number", where, optional=True, limit=20),
        "variant": text_of(entry, "variant", where, optional=True, limit=10), "creative": creative, "status": status,
        "subjects": subjects, "total": total, "max_total": max_total,
    }  # fmt: skip


def _subjects(value: Any, where: str) -> list[dict[str, Any]]:
    subjects = []
    for index, element in enumerate(list_of(value, where)):
        place = f"{where}[{index}]"
        item = entry_of(element, place)
        code = text_of(item, "code", place)
        points, most = count_of(item, "points", place), count_of(item, "max", place)
        if points is None or most is None or points > most:
            raise Bad(f"{place}.points", _("the points are missing or above the subject's maximum"))
        subjects.append({"code": code, "points": points, "max": most})
    return subjects


# --- what `ent-nct results show` prints ---------------------------------------------------------
@dataclass(frozen=True)
class SubjectAverage:
    code: str
    scored: int
    average: float
    max_points: int


@dataclass(frozen=True)
class ResultsSummary:
    """One site's stream as its newest ``results`` package gave it."""

    site_code: str
    stream: int
    exam_date: str
    sequence: int
    received_at: str
    seated: int
    counts: dict[str, int]
    average_total: float | None
    """Over the scored applicants; ``None`` when nobody was scored."""
    max_total: int | None
    subjects: tuple[SubjectAverage, ...]
    final: bool = False
    """The results with appeal (п. 206)."""
    changes: int = 0
    """With appeal: how many tasks' points the appeals changed."""


def results_summary(session: Session, site_code: str, stream: int, *, final: bool = False) -> ResultsSummary | None:
    """The stream's counts and averages, or ``None`` when the site sent no results for it.

    ``final``: the results with appeal (the ``final-results`` package, п. 206) instead of those without."""
    from nct_hub.db.appeal_models import FinalExamResult

    kind, model = ("final-results", FinalExamResult) if final else (KIND, ExamResult)
    package = session.scalar(select(ReceivedPackage).where(
        ReceivedPackage.site_code == site_code, ReceivedPackage.kind == kind, ReceivedPackage.stream_key == stream,
        ReceivedPackage.current.is_(True)))  # fmt: skip
    if package is None:
        return None
    rows: Sequence[ExamResult | FinalExamResult] = list(
        session.scalars(select(model).where(model.received_id == package.id)))
    scored = [row for row in rows if row.status == ResultStatus.SCORED.value and row.total is not None]
    by_subject: dict[str, list[tuple[int, int]]] = {}
    for row in scored:
        for item in row.subjects:
            by_subject.setdefault(str(item["code"]), []).append((int(item["points"]), int(item["max"])))
    subjects = tuple(
        SubjectAverage(code, len(points), _average([p for p, _m in points]), max(m for _p, m in points))
        for code, points in sorted(by_subject.items()))  # fmt: skip
    return ResultsSummary(
        site_code=site_code, stream=stream, exam_date=rows[0].exam_date.isoformat() if rows else "",
        sequence=package.sequence, received_at=package.accepted_at.isoformat(), seated=len(rows),
        counts={status: sum(1 for row in rows if row.status == status) for status in STATUSES},
        average_total=_average([row.total for row in scored if row.total is not None]) if scored else None,
        max_total=max((row.max_total or 0) for row in scored) if scored else None, subjects=subjects,
        final=final, changes=sum(len(getattr(row, "changes", [])) for row in rows),
    )  # fmt: skip


def _average(values: Sequence[int]) -> float:
    return round(sum(values) / len(values), 2) if values else 0.0


def summary_text(summary: ResultsSummary) -> str:
    """The summary for people, one fact a line."""
    labels = {
        "scored": _("scored"), "absent": _("absent"), "annulled": _("annulled"), "not-admitted": _("not admitted"),
    }
    head = _("Site {site}, stream {stream}, {date}: results with appeal number {number}, {seated} seated, "
             "{changes} tasks changed by appeals.") if summary.final else \
        _("Site {site}, stream {stream}, {date}: results number {number}, {seated} seated.")
    lines = [
        head.format(site=summary.site_code, stream=summary.stream, date=summary.exam_date, number=summary.sequence,
                    seated=summary.seated, changes=summary.changes),
        ", ".join(f"{labels[status]} {summary.counts[status]}" for status in STATUSES),
    ]  # fmt: skip
    if summary.average_total is None:
        lines.append(_("Nobody was scored."))
    else:
        lines.append(_("Average total: {average} of {most}.").format(
            average=f"{summary.average_total:.2f}", most=summary.max_total))  # fmt: skip
    lines += [_("{subject}: average {average} of {most} ({count} scored)").format(
        subject=item.code, average=f"{item.average:.2f}", most=item.max_points, count=item.scored)
        for item in summary.subjects]  # fmt: skip
    return "\n".join(lines)
