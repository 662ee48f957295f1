"""The appeals to НЦТ and back (п. 203–205) and their closing (п. 201–202, 206, 209), on the programmer's
workstation: the ``appeals`` file with the technical appeals' images, the Republican commission's
``appeal-decisions`` applied (each task's points changed in the stored score, a
:class:`~common.db.appeal_models.ScoreChange` keeping the old points; decisions are final, п. 205), the closing of
a stream's appeal once every application is «не явился» or «решение принято», and the ``final-results`` file.
Entry and the local commission's work are :mod:`arm_programmer.appeals`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from arm_programmer.appeal_records import (
    AppealKind,
    AppealState,
    RepublicanDecision,
    TaskDecision,
)
from arm_programmer.appeals import appeal_records, open_window, stream_appeals, unsettled, window_of
from arm_programmer.draw import drawn_seats, stream_of
from common.db.appeal_models import Appeal, AppealTask, ScoreChange, StreamAppealWindow
from common.db.base import utc_now
from common.db.score_models import SheetScoreRow
from common.errors import Refused
from common.exchange.importers import ImportContext
from common.exchange.package import OpenedPackage
from common.i18n import _
from common.security.audit import AuditLog

REPUBLICAN = "republican-commission"



# --- to НЦТ -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SentAppeals:
    stream_number: int
    path: str
    appeals: int
    images: int


def _unready(appeal: Appeal) -> AppealTask | None:
    """The first task the local commission has not voted (content) or proposed (technical) yet."""
    if appeal.state == AppealState.NO_SHOW.value:
        return None
    for task in appeal.tasks:
        if task.decision == TaskDecision.PENDING.value and task.proposed_points is None:
            return task
    return None


def send_appeals(session: Session, scans: Path, outbox: Path, stream_number: int, *, password: str, actor: str,
                 audit: AuditLog) -> SentAppeals:
    """Seal the stream's applications (:func:`arm_programmer.appeal_records.appeals_payload`) for НЦТ, each
    technical appeal with its test-day image and fresh scan attached (п. 203.1, 204.4); ``Refused`` while a content
    task is not voted or a technical task has no proposal (an application «не явился» excepted)."""
    from arm_programmer.appeal_records import appeals_payload
    from arm_programmer.prints import exam_day
    from common.exchange import kinds
    from common.exchange.addresses import NCT_ADDRESS
    from common.exchange.store import load_identity, load_trust, send_package

    open_window(session, stream_number)
    appeals = stream_appeals(session, stream_number)
    if not appeals:
        raise Refused(_("Stream {stream} has no appeal to send.").format(stream=stream_number))
    for appeal in appeals:
        waiting = _unready(appeal)
        if waiting is not None:
            step = "appeal vote" if appeal.kind == AppealKind.CONTENT.value else "appeal propose"
            raise Refused(_("Appeal {number}: task {subject}:{task} has no proposal of the local commission yet "
                            "({step}).").format(number=appeal.number, subject=waiting.subject, task=waiting.task,
                                               step=step))
    attachments: dict[str, bytes] = {}
    images: dict[int, dict[str, str]] = {}
    for appeal in appeals:
        if appeal.kind != AppealKind.TECHNICAL.value or appeal.state == AppealState.NO_SHOW.value:
            continue
        named: dict[str, str] = {}
        for role, name in (("test_day", appeal.test_day_image), ("appeal", appeal.appeal_image)):
            if name is None:
                if role == "appeal":
                    raise Refused(_("Appeal {number} is on technical grounds: its sheet is scanned again for the "
                                    "commission first (appeal rescan, п. 204.4).").format(number=appeal.number))
                continue
            attached = f"appeal-{appeal.number}-{role.replace('_', '-')}{Path(name).suffix}"
            attachments[attached] = (scans / name).read_bytes()
            named[role] = attached
        images[appeal.number] = named
    day = exam_day(session, stream_number)
    rows = {row.application_id: row for row in session.scalars(select(SheetScoreRow).where(
        SheetScoreRow.application_id.in_([appeal.application_id for appeal in appeals])))}
    tested = {appeal.number: [str(code) for code in rows[appeal.application_id].per_task]
              for appeal in appeals if appeal.application_id in rows}
    payload = appeals_payload(day.site_code, stream_number, appeal_records(session, stream_number), images, tested)
    sent = send_package(session, identity=load_identity(session, password), trust=load_trust(session),
                        recipient=NCT_ADDRESS, kind=kinds.APPEALS.name, payload=payload, outbox=outbox, audit=audit,
                        actor=actor, stream=stream_number, attachments=attachments)
    audit.record(session, actor=actor, action="appeals.sent", target=f"stream/{stream_number}",
                 details={"package": sent.path.name, "appeals": [appeal.number for appeal in appeals],
                          "images": sorted(attachments)})
    return SentAppeals(stream_number, str(sent.path), len(appeals), len(attachments))


# --- decisions back ---------------------------------------------------------------------------------------------


def _bad_decisions(what: str) -> Refused:
    return Refused(_("The appeal decisions file is damaged: {what} is missing or wrong.").format(what=what))


def parse_decisions(payload: dict[str, Any]) -> list[RepublicanDecision]:
    from arm_programmer.appeal_records import DECISIONS_FORMAT

    if payload.get("format") != DECISIONS_FORMAT:
        raise Refused(_("The package from НЦТ is in format {format}, which this program does not know.").format(
            format=payload.get("format")))
    items = payload.get("decisions")
    if not isinstance(items, list) or not items:
        raise _bad_decisions("decisions")
    decisions = []
    outcomes = {TaskDecision.SATISFIED.value, TaskDecision.NOT_SATISFIED.value}
    for item in items:
        if not isinstance(item, dict) or not all(isinstance(item.get(name), int) and not isinstance(
                item.get(name), bool) for name in ("number", "task", "points")) \
                or not isinstance(item.get("subject"), str) or item.get("decision") not in outcomes:
            raise _bad_decisions("decisions")
        decisions.append(RepublicanDecision(number=item["number"], ikt=str(item.get("ikt", "")),
                                            subject=item["subject"], task=item["task"],
                                            decision=TaskDecision(item["decision"]), points=item["points"],
                                            note=str(item.get("note", ""))))
    return decisions


def rescore_row(row: SheetScoreRow, subject: str, task: int, points: int) -> None:
    """Set one task's points in a stored score and its subject's and the sheet's totals."""
    per_task = {code: list(values) for code, values in row.per_task.items()}
    per_task[subject][task - 1] = points
    row.per_task = per_task
    row.per_subject = [[code, sum(per_task[code]) if code in per_task else held, most]
                       for code, held, most in row.per_subject]
    row.total = sum(int(points) for _code, points, _most in row.per_subject)


@dataclass(frozen=True)
class AppliedDecisions:
    stream_number: int
    decided: int
    changed: int


def apply_decisions(session: Session, stream_number: int, decisions: Sequence[RepublicanDecision], package_id: str,
                    *, actor: str, audit: AuditLog) -> AppliedDecisions:
    """Apply the Republican commission's decisions (see the module's text) all or none, in the caller's
    transaction."""
    open_window(session, stream_number)
    seats = {seat.application_id: seat.ikt for seat in drawn_seats(session, stream_number)}
    appeals = {appeal.number: appeal for appeal in stream_appeals(session, stream_number)}
    source = f"{REPUBLICAN} {package_id[:16]}"
    planned: list[tuple[Appeal, AppealTask, RepublicanDecision]] = []
    seen: set[tuple[int, str, int]] = set()
    for decision in decisions:
        appeal = appeals.get(decision.number)
        if appeal is None:
            raise Refused(_("The decisions name appeal {number}, which stream {stream} does not have.").format(
                number=decision.number, stream=stream_number))
        if decision.ikt and seats.get(appeal.application_id) != decision.ikt:
            raise Refused(_("The decisions give appeal {number} to ИКТ {ikt}, but it is another applicant's.").format(
                number=decision.number, ikt=decision.ikt))
        if appeal.state == AppealState.NO_SHOW.value:
            raise Refused(_("Appeal {number}: the applicant did not come (п. 192); it has no decision.").format(
                number=decision.number))
        task = next((item for item in appeal.tasks if item.subject == decision.subject
                     and item.task == decision.task), None)
        if task is None:
            raise Refused(_("Appeal {number} does not dispute task {subject}:{task}.").format(
                number=decision.number, subject=decision.subject, task=decision.task))
        if (decision.number, decision.subject, decision.task) in seen:
            raise Refused(_("The decisions name task {subject}:{task} of appeal {number} twice.").format(
                number=decision.number, subject=decision.subject, task=decision.task))
        seen.add((decision.number, decision.subject, decision.task))
        if not 0 <= decision.points <= task.max_points:
            raise Refused(_("Appeal {number}, task {subject}:{task}: {points} point(s) is not from 0 to {most}.")
                          .format(number=decision.number, subject=decision.subject, task=decision.task,
                                  points=decision.points, most=task.max_points))
        if decision.decision is TaskDecision.NOT_SATISFIED and decision.points != task.points:
            raise Refused(_("Appeal {number}, task {subject}:{task}: «не удовлетворено» keeps the points "
                            "({points}).").format(number=decision.number, subject=decision.subject,
                                                 task=decision.task, points=task.points))
        if task.decision != TaskDecision.PENDING.value:
            if task.decision == decision.decision.value and task.decided_points == decision.points:
                continue  # the same decision again: nothing to change
            raise Refused(_("Appeal {number}, task {subject}:{task} is decided already; the decision is final "
                            "(п. 205): nothing applied.").format(number=decision.number, subject=decision.subject,
                                                               task=decision.task))
        planned.append((appeal, task, decision))
    now = utc_now()
    changed = 0
    for appeal, task, decision in planned:
        task.decision = decision.decision.value
        task.decided_points = decision.points
        task.decided_by = source[:100]
        task.decided_at = now
        task.decision_package = package_id[:100]
        if decision.points != task.points:
            row = session.scalar(select(SheetScoreRow).where(SheetScoreRow.application_id == appeal.application_id))
            if row is None:
                raise Refused(_("Appeal {number}: the applicant's score is not stored any more (score).").format(
                    number=appeal.number))
            before = int(row.per_task[task.subject][task.task - 1])
            rescore_row(row, task.subject, task.task, decision.points)
            session.add(ScoreChange(stream_id=appeal.stream_id, application_id=appeal.application_id,
                                    appeal_task_id=task.id, subject=task.subject, task=task.task, before=before,
                                    after=decision.points, decided_by=source[:100], applied_at=now,
                                    applied_by=actor[:100]))
            changed += 1
        if all(item.decision != TaskDecision.PENDING.value for item in appeal.tasks):
            appeal.state = AppealState.DECIDED.value
        session.flush()
        audit.record(session, actor=actor, action="appeal.decided",
                     target=f"stream/{stream_number}/appeal/{appeal.number}",
                     details={"appeal": appeal.id, "task": f"{task.subject}:{task.task}",
                              "decision": decision.decision.value, "before": task.points,
                              "after": decision.points, "package": package_id[:16]})
    return AppliedDecisions(stream_number, len(planned), changed)


def reapply_changes(session: Session, stream_id: int, rows: Sequence[SheetScoreRow]) -> None:
    """Scoring a stream again keeps the points its appeals' decisions gave (the changes stay recorded)."""
    changes = list(session.scalars(select(ScoreChange).where(ScoreChange.stream_id == stream_id)
                                   .order_by(ScoreChange.id)))
    by_application = {row.application_id: row for row in rows}
    for change in changes:
        row = by_application.get(change.application_id)
        if row is not None and change.subject in row.per_task:
            rescore_row(row, change.subject, change.task, change.after)


def score_changes(session: Session, stream_number: int) -> list[Any]:
    """The stream's changes as :class:`arm_programmer.appeal_records.ScoreChange` records."""
    from arm_programmer.appeal_records import ScoreChange as ChangeRecord

    stream = stream_of(session, stream_number)
    ikts = {seat.application_id: seat.ikt for seat in drawn_seats(session, stream_number)}
    numbers = {task_id: number for task_id, number in session.execute(
        select(AppealTask.id, Appeal.number).join(Appeal, AppealTask.appeal_id == Appeal.id)
        .where(Appeal.stream_id == stream.id))}
    return [ChangeRecord(ikt=ikts.get(change.application_id, ""), subject=change.subject, task=change.task,
                         before=change.before, after=change.after, appeal_number=numbers[change.appeal_task_id],
                         decided_by=change.decided_by, applied_at=change.applied_at, applied_by=change.applied_by)
            for change in session.scalars(select(ScoreChange).where(ScoreChange.stream_id == stream.id)
                                          .order_by(ScoreChange.id))]


# --- closing ----------------------------------------------------------------------------------------------------


def close_appeals(session: Session, stream_number: int, *, actor: str, audit: AuditLog) -> StreamAppealWindow:
    """Close the stream's appeals (п. 201–202, 209): ``Refused`` while an application is neither «не явился» nor
    «решение принято», naming how many and the first."""
    _stream, window = open_window(session, stream_number)
    appeals = stream_appeals(session, stream_number)
    open_ones = unsettled(appeals)
    if open_ones:
        raise Refused(_("{count} appeal(s) of stream {stream} are neither «не явился» nor «решение принято» (the "
                        "first: number {number}): the appeals cannot be closed yet (п. 202).").format(
            count=len(open_ones), stream=stream_number, number=open_ones[0].number))
    window.closed_at = utc_now()
    window.closed_by = actor[:100]
    session.flush()
    audit.record(session, actor=actor, action="appeals.closed", target=f"stream/{stream_number}",
                 details={"appeals": len(appeals),
                          "no_show": sum(1 for appeal in appeals if appeal.state == AppealState.NO_SHOW.value)})
    return window


@dataclass(frozen=True)
class SentFinalResults:
    stream_number: int
    path: str
    payload: dict[str, Any]


def send_final_results(session: Session, outbox: Path, stream_number: int, *, password: str, actor: str,
                       audit: AuditLog) -> SentFinalResults:
    """Seal the stream's results with appeal (:func:`arm_programmer.appeal_records.final_results_payload`) for НЦТ
    (п. 206); ``Refused`` until the stream's appeals are closed."""
    from arm_programmer.appeal_records import final_results_payload
    from arm_programmer.prints import exam_day
    from arm_programmer.scores import result_rows
    from common.exchange import kinds
    from common.exchange.addresses import NCT_ADDRESS
    from common.exchange.store import load_identity, load_trust, send_package

    stream = stream_of(session, stream_number)
    window = window_of(session, stream)
    if window is None or window.closed_at is None:
        raise Refused(_("The appeals of stream {stream} are not closed yet (appeal close, п. 209).").format(
            stream=stream_number))
    rows = result_rows(session, stream_number)
    day = exam_day(session, stream_number)
    payload = final_results_payload(day.site_code, stream_number, day.exam_date.isoformat(), rows,
                                    score_changes(session, stream_number))
    sent = send_package(session, identity=load_identity(session, password), trust=load_trust(session),
                        recipient=NCT_ADDRESS, kind=kinds.FINAL_RESULTS.name, payload=payload, outbox=outbox,
                        audit=audit, actor=actor, stream=stream_number)
    audit.record(session, actor=actor, action="final-results.sent", target=f"stream/{stream_number}",
                 details={"package": sent.path.name, "changes": len(payload["changes"])})
    return SentFinalResults(stream_number, str(sent.path), payload)


def import_decisions(session: Session, opened: OpenedPackage, context: ImportContext) -> str:
    """Importer of ``appeal-decisions`` packages on the programmer's workstation: site and stream checked, every
    decision applied (:func:`apply_decisions`) or none, each audited in the taking command's (or window's) audit
    log under its operator."""
    from common.db import workstation_info
    from common.exchange.store import keep_payload

    payload = opened.payload
    decisions = parse_decisions(payload)
    identity = workstation_info.get_identity(session)
    own = None if identity is None else identity.site_code
    if payload.get("site_code") != own:
        raise Refused(_("The package is for site {inside}, but this workstation is at site {own}.").format(
            inside=payload.get("site_code"), own=own))
    number = payload.get("stream")
    if not isinstance(number, int) or isinstance(number, bool) or number != opened.manifest.stream:
        raise _bad_decisions("stream")
    applied = apply_decisions(session, number, decisions, opened.package_id, actor=context.operator,
                              audit=context.audit_log)
    keep_payload(session, opened)
    return _("Stream {stream}: {decided} decision(s) of the Republican commission applied, {changed} score(s) "
             "changed (п. 205).").format(stream=number, decided=applied.decided, changed=applied.changed)


def _register() -> None:
    from common.exchange import kinds
    from common.exchange.importers import register_importer

    register_importer(kinds.APPEAL_DECISIONS.name, import_decisions, role="programmer")


_register()
