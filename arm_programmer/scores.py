"""Scoring a stream's identified sheets (п. 179–180) and its results without appeal.

:func:`score_stream` scores every sheet the identification gives to an applicant
(:func:`arm_programmer.identification.identify_stream`: the protocol's entries override the variant and the
profile subjects; sheets decided «Удалить бланк» are left out, п. 170) by the stream's test specification and
its opened answer key (:func:`arm_programmer.codes.stream_key`), through :func:`common.testspec.score_sheet`.
The marks are the sheet's fields as decided after the passes (``<block>.qNN``); sector 6 «Творческий
экзамен» marked (``creative``) scores the sheet in the creative exam's subjects only, without profile subjects
(п. 150 note, the specification's rule). Every score is stored per task with the marks it was computed from
(:class:`~common.db.score_models.SheetScoreRow`), in one transaction; scoring again replaces the stream's rows.
The audit log gets counts, never names.

:func:`result_rows` gives every seated applicant of the stream as a :class:`~arm_programmer.results.ResultRow`:
scored, or absent / annulled / not admitted as the identification says; ``Refused`` while a score is missing or
no longer matches the sheet (a re-identification or a decided mark after the scoring: score again).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from arm_programmer.draw import drawn_seats, stream_of
from arm_programmer.resolution import ApplicantState, FinalSheet
from arm_programmer.results import ResultRow, ResultStatus, SubjectPoints
from common.db.models import Application
from common.db.score_models import SheetScoreRow
from common.errors import Refused
from common.i18n import _
from common.security.audit import AuditLog
from common.testspec import AnswerKey, TestSpecification, score_sheet
from common.workstation import DataFolder

CREATIVE_FIELD = "creative"
CREATIVE_MARK = "Y"


@dataclass(frozen=True)
class ToScore:
    """What one identified sheet is scored with."""

    application_id: int
    sheet_id: int
    sheet_number: str | None
    room_number: str
    variant: str
    profile_subjects: tuple[str, ...]
    creative: bool
    marks: dict[str, dict[str, str]]
    """``{block code: {task number (text): letters}}`` — JSON keys are text."""


@dataclass(frozen=True)
class ScoredStream:
    stream_number: int
    scored: int
    deleted: int
    """Sheets decided «Удалить бланк» (п. 170), left out."""
    replaced: int
    """Rows of an earlier scoring replaced."""


def _label(sheet: FinalSheet) -> str:
    return sheet.sheet_number or f"#{sheet.sheet_id}"


def profile_codes(spec: TestSpecification, text: str, sheet: str) -> tuple[str, ...]:
    """The profile subjects the protocol gives (``"01-05"``, ``"01 05"``), checked against the specification."""
    codes = tuple(part for part in re.split(r"[^0-9A-Za-z]+", text.strip()) if part)
    choices = {choice.code for choice in spec.profile_subject_choices}
    if len(codes) != spec.profile_slots or not set(codes) <= choices:
        raise Refused(_("Sheet {sheet}: the profile subjects «{subjects}» are not {slots} of the test's profile "
                        "subject codes ({codes}): correct them by re-identification (п. 174).").format(
            sheet=sheet, subjects=text, slots=spec.profile_slots, codes=", ".join(sorted(choices))))
    return codes


def to_score(spec: TestSpecification, sheet: FinalSheet, fields: Mapping[str, str]) -> ToScore:
    """The variant, profile subjects, sector 6 and marks one identified sheet is scored with."""
    label = _label(sheet)
    creative = fields.get(CREATIVE_FIELD, "") == CREATIVE_MARK
    if creative and spec.creative_exam is None:
        raise Refused(_("Sheet {sheet}: sector 6 «Творческий экзамен» is marked, but the test has no creative exam.")
                      .format(sheet=label))
    subjects: tuple[str, ...] = ()
    if creative:
        pass  # a creative-exam applicant is tested in no profile subject: marks there do not count (п. 150 note)
    elif sheet.subjects:
        subjects = profile_codes(spec, sheet.subjects, label)
    else:
        marked = [fields.get(f"{slot.code}_subject", "") or "—" for slot in spec.profile_slot_subjects]
        subjects = profile_codes(spec, " ".join(marked), label)
    variant = sheet.variant or fields.get("variant", "")
    marks = {subject.code: {str(task.number): fields.get(f"{subject.code}.q{task.number:02d}", "")
                            for task in subject.tasks}
             for subject in spec.tested_subjects(creative)}
    return ToScore(sheet.application_id or 0, sheet.sheet_id, sheet.sheet_number, sheet.room_number, variant,
                   subjects, creative, marks)


def planned(session: Session, stream_number: int, spec: TestSpecification) -> tuple[list[ToScore], int, Any]:
    """Every sheet of the stream to score, the number left out by «Удалить бланк», and the identification."""
    from arm_programmer.identification import identify_stream, stream_sheets
    from arm_programmer.resolution import SheetState

    sheets = stream_sheets(session, stream_number)
    fields = {sheet.sheet_id: sheet.fields for sheet in sheets}
    current = identify_stream(session, stream_number, sheets)
    items = [to_score(spec, sheet, fields.get(sheet.sheet_id, {})) for sheet in current.resolution.sheets
             if sheet.in_statement and sheet.application_id is not None]
    deleted = sum(1 for sheet in current.resolution.sheets if sheet.state is SheetState.DELETED)
    return items, deleted, current


def score_one(spec: TestSpecification, key: AnswerKey, item: ToScore) -> dict[str, Any]:
    """The stored columns of one sheet's score (``Refused`` naming the sheet when it cannot be scored)."""
    answers = {code: {int(number): letters for number, letters in tasks.items()} for code, tasks in item.marks.items()}
    try:
        score = score_sheet(spec, key, item.variant, answers, item.profile_subjects, item.creative)
    except Refused as refusal:
        raise Refused(_("Sheet {sheet}: {reason}").format(sheet=item.sheet_number or f"#{item.sheet_id}",
                                                          reason=refusal.message)) from refusal
    return {
        "per_task": {code: list(points) for code, points in score.per_task.items()},
        "per_subject": [[code, points, score.max_per_subject[code]] for code, points in score.per_subject.items()],
        "total": score.total,
        "max_total": score.max_total,
    }


def score_stream(session: Session, stream_number: int, actor: str, audit: AuditLog) -> ScoredStream:
    """Score the stream's identified sheets and store them per task (see the module's text), in the caller's
    transaction; ``Refused`` before the answer codes are opened or when a sheet cannot be scored."""
    from arm_programmer.codes import stream_key

    spec, key = stream_key(session, stream_number)
    stream = stream_of(session, stream_number)
    items, deleted, _current = planned(session, stream_number, spec)
    rows = []
    for item in items:
        scored = score_one(spec, key, item)
        rows.append(SheetScoreRow(stream_id=stream.id, application_id=item.application_id, sheet_id=item.sheet_id,
                                  room_number=item.room_number, variant=item.variant,
                                  profile_subjects=list(item.profile_subjects), creative=item.creative,
                                  marks=item.marks, scored_by=actor[:100], **scored))
    held = list(session.scalars(select(SheetScoreRow).where(SheetScoreRow.stream_id == stream.id)))
    for row in held:
        session.delete(row)
    session.flush()
    replaced = len(held)
    from arm_programmer.appeal_exchange import reapply_changes

    reapply_changes(session, stream.id, rows)
    session.add_all(rows)
    session.flush()
    audit.record(session, actor=actor, action="scores.stored", target=f"stream/{stream_number}",
                 details={"scored": len(rows), "deleted": deleted, "replaced": replaced})
    return ScoredStream(stream_number, len(rows), deleted, replaced)


def stored_scores(session: Session, stream_number: int) -> list[SheetScoreRow]:
    stream = stream_of(session, stream_number)
    return list(session.scalars(select(SheetScoreRow).where(SheetScoreRow.stream_id == stream.id)
                                .order_by(SheetScoreRow.id)))


_STATUS = {ApplicantState.ABSENT: ResultStatus.ABSENT, ApplicantState.ANNULLED: ResultStatus.ANNULLED,
           ApplicantState.NOT_ADMITTED: ResultStatus.NOT_ADMITTED}


def _matches(row: SheetScoreRow, item: ToScore) -> bool:
    return (row.sheet_id == item.sheet_id and row.variant == item.variant and row.creative == item.creative
            and tuple(row.profile_subjects) == item.profile_subjects and row.marks == item.marks)


def result_rows(session: Session, stream_number: int) -> list[ResultRow]:
    """Every seated applicant of the stream with their result (see the module's text), by room and seat."""
    from arm_programmer.codes import stream_key

    spec, _key = stream_key(session, stream_number)
    items, _deleted, current = planned(session, stream_number, spec)
    by_application = {item.application_id: item for item in items}
    scores = {row.application_id: row for row in stored_scores(session, stream_number)}
    if not scores and items:
        raise Refused(_("The sheets of stream {stream} are not scored yet (score).").format(stream=stream_number))
    stale = [item for item in items if item.application_id not in scores
             or not _matches(scores[item.application_id], item)]
    stale_rows = [row for application_id, row in scores.items() if application_id not in by_application]
    if stale or stale_rows:
        raise Refused(_("{count} score(s) of stream {stream} no longer match the identified sheets (a sheet "
                        "re-identified or a mark decided after the scoring): score the stream again (score).")
                      .format(count=len(stale) + len(stale_rows), stream=stream_number))
    seats = {seat.application_id: seat for seat in drawn_seats(session, stream_number)}
    applications = {application.id: application for application in session.scalars(
        select(Application).where(Application.id.in_(list(seats))))}
    numbers = {sheet.sheet_id: sheet.sheet_number for sheet in current.resolution.sheets}
    rows: list[ResultRow] = []
    for applicant in current.resolution.applicants:
        seat = seats[applicant.application_id]
        application = applications[applicant.application_id]
        person = application.applicant
        common: dict[str, Any] = {
            "application_id": application.id, "ikt": seat.ikt, "iin": person.iin, "surname": person.surname,
            "name": person.name, "patronymic": person.patronymic, "school_code": application.school.code,
            "test_language": application.test_language.value, "room_number": seat.room_number, "seat": seat.seat}
        if applicant.state is ApplicantState.IDENTIFIED:
            score = scores[applicant.application_id]
            subjects = tuple(SubjectPoints(str(code), int(points), int(most))
                             for code, points, most in score.per_subject)
            rows.append(ResultRow(**common, sheet_number=numbers.get(score.sheet_id), variant=score.variant,
                                  creative=score.creative, subjects=subjects, total=score.total,
                                  max_total=score.max_total, status=ResultStatus.SCORED))
        elif applicant.state in _STATUS:
            rows.append(ResultRow(**common, sheet_number=None, variant=None, creative=False, subjects=(), total=None,
                                  max_total=None, status=_STATUS[applicant.state]))
        else:
            raise Refused(_("Stream {stream}: an applicant of room {room} is not settled by the identification "
                            "(identify status).").format(stream=stream_number, room=applicant.room_number))
    return sorted(rows, key=lambda row: (row.room_number, row.seat or 0, row.ikt))


def scores_summary(rows: Sequence[ResultRow]) -> dict[str, int]:
    """Counts by status (what ``score --json`` and the window show)."""
    return {status.value: sum(1 for row in rows if row.status is status) for status in ResultStatus}


@dataclass(frozen=True)
class SentResults:
    stream_number: int
    path: str
    payload: dict[str, Any]


def send_results(session: Session, folder: DataFolder, stream_number: int, *, password: str, actor: str,
                 audit: AuditLog) -> SentResults:
    """Seal the stream's results without appeal (:func:`arm_programmer.results.results_payload`) in a ``results``
    package to НЦТ (п. 180) in the caller's transaction; ``Refused`` until the stream is scored."""
    from arm_programmer.prints import exam_day
    from arm_programmer.results import results_payload
    from common.exchange import kinds
    from common.exchange.addresses import NCT_ADDRESS
    from common.exchange.store import load_identity, load_trust, send_package

    rows = result_rows(session, stream_number)
    day = exam_day(session, stream_number)
    payload = results_payload(day.site_code, stream_number, day.exam_date.isoformat(), rows)
    sent = send_package(session, identity=load_identity(session, password), trust=load_trust(session),
                        recipient=NCT_ADDRESS, kind=kinds.RESULTS.name, payload=payload, outbox=folder.outbox,
                        audit=audit, actor=actor, stream=stream_number)
    audit.record(session, actor=actor, action="results.sent", target=f"stream/{stream_number}",
                 details={"package": sent.path.name, **payload["counts"]})
    return SentResults(stream_number, str(sent.path), payload)
