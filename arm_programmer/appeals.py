"""The programmer's side of the appeals (ch. 32–39, п. 181–213): entry, the local commission's vote or technical
proposal (the file to НЦТ, the decisions applied, closing and the results with appeal:
:mod:`arm_programmer.appeal_exchange`).

* The results are announced when the stream's statement (прил. 4) is first printed (:func:`announce`, called by
  ``results_prints.print_statement``); applications are taken until 13:00 local time (the workstation's zone) of
  the next day (п. 185, :func:`deadline`).
* :func:`add_appeal` registers an application with the next journal number of the stream (прил. 17 Правил), the
  variant and profile subjects as scored (п. 193: an appeal cannot change them, so there is no option to), and for
  each disputed task the stored marks, the answer code, the points and the test-day fills of the task's bubbles
  (the identified sheet's stored scan). A content task answered right is «не удовлетворено» at once (п. 197).
* Content tasks are voted (:func:`vote`, п. 194); technical tasks are judged by the 50 % rule of п. 196 on the fills
  of the fresh scan when there is one (:func:`rescan`), else on the test-day fills (:func:`propose`).
* :func:`apply_decisions` takes НЦТ's ``appeal-decisions``: each task's points change in the stored score (per task
  and totals), a :class:`~common.db.appeal_models.ScoreChange` keeps the old points; decisions are final (п. 205).
* :func:`close_appeals` closes the stream once every application is «не явился» or «решение принято» (п. 202, 209);
  then no appeal write is taken on it.

Names (the chair's, the receiver's, the applicant's) are personal data: the audit log gets ids, numbers and tasks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from arm_programmer.appeal_records import (
    MARKED_SHARE,
    AppealKind,
    AppealRecord,
    AppealState,
    DisputedTask,
    TaskDecision,
    TechnicalCase,
)
from arm_programmer.draw import drawn_seats, stream_of
from common.codebook import AppealGround
from common.db.answer_models import SheetScan
from common.db.appeal_models import Appeal, AppealTask, StreamAppealWindow
from common.db.base import utc_now
from common.db.models import Stream
from common.db.score_models import SheetScoreRow
from common.errors import Refused
from common.i18n import _
from common.security.audit import AuditLog
from common.testspec import AnswerKey, TestSpecification
from common.testspec.answer_key import parse_marks

DEADLINE_HOUR = 13
"""п. 185: applications are taken until 13:00 of the day after the results were announced."""
RIGHT_AT_ONCE = "local-commission (п. 197)"



# --- the appeal period ------------------------------------------------------------------------------------------


def window_of(session: Session, stream: Stream) -> StreamAppealWindow | None:
    return session.scalar(select(StreamAppealWindow).where(StreamAppealWindow.stream_id == stream.id))


def announce(session: Session, stream_number: int, actor: str, audit: AuditLog) -> StreamAppealWindow:
    """Record the moment the stream's results were announced — once: printing the statement again keeps it."""
    stream = stream_of(session, stream_number)
    held = window_of(session, stream)
    if held is not None:
        return held
    window = StreamAppealWindow(stream_id=stream.id, announced_at=utc_now(), announced_by=actor[:100])
    session.add(window)
    session.flush()
    audit.record(session, actor=actor, action="appeals.announced", target=f"stream/{stream_number}",
                 details={"announced_at": window.announced_at.isoformat()})
    return window


def deadline(announced_at: datetime) -> datetime:
    """13:00 local time (the workstation's zone) of the day after ``announced_at`` (п. 185)."""
    local = announced_at.astimezone()
    return datetime.combine(local.date() + timedelta(days=1), time(DEADLINE_HOUR), tzinfo=local.tzinfo)


def _local_text(moment: datetime) -> str:
    return moment.astimezone().strftime("%d.%m.%Y %H:%M")


def open_window(session: Session, stream_number: int) -> tuple[Stream, StreamAppealWindow]:
    stream = stream_of(session, stream_number)
    window = window_of(session, stream)
    if window is None:
        raise Refused(_("The results of stream {stream} are not announced yet: appeals are taken once its statement "
                        "is printed (statement print, п. 180, 185).").format(stream=stream_number))
    if window.closed_at is not None:
        raise Refused(_("The appeals of stream {stream} are closed (п. 209): nothing more is written on them.")
                      .format(stream=stream_number))
    return stream, window


# --- entry ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskClaim:
    """``SUBJECT:N:GROUND[:LETTERS]`` as the command line gives it."""

    subject: str
    task: int
    ground: AppealGround
    claimed: str = ""


def parse_claim(text: str) -> TaskClaim:
    parts = text.strip().split(":")
    grounds = {ground.value: ground for ground in AppealGround}
    if len(parts) not in (3, 4) or not parts[1].isdigit() or parts[2] not in grounds:
        raise Refused(_("«{text}» is not SUBJECT:TASK:GROUND[:LETTERS] (grounds: {grounds}).").format(
            text=text, grounds=", ".join(grounds)))
    return TaskClaim(parts[0], int(parts[1]), grounds[parts[2]], parts[3].upper() if len(parts) == 4 else "")


def parse_task(text: str) -> tuple[str, int]:
    parts = text.strip().split(":")
    if len(parts) != 2 or not parts[1].isdigit():
        raise Refused(_("«{text}» is not SUBJECT:TASK.").format(text=text))
    return parts[0], int(parts[1])


def sheet_blocks(spec: TestSpecification, profile_subjects: Sequence[str]) -> dict[str, str]:
    """The answer key's subject code → the sheet's answer block it is marked in (a chosen profile subject in its
    slot's block, a mandatory subject in its own)."""
    blocks = {subject.code: subject.code for subject in spec.mandatory_subjects}
    blocks.update(zip(profile_subjects, (slot.code for slot in spec.profile_slot_subjects), strict=False))
    return blocks


def _test_day_scan(session: Session, sheet_id: int) -> SheetScan | None:
    """The identified sheet's page that counts in pass 1 (else in pass 2)."""
    scans = list(session.scalars(select(SheetScan).where(SheetScan.sheet_id == sheet_id, SheetScan.rescan.is_(False))
                                 .order_by(SheetScan.pass_number, SheetScan.id.desc())))
    return scans[0] if scans else None


def _task_fills(fills: dict[str, Any], block: str, task: int, letters: str) -> dict[str, float]:
    prefix = f"{block}.q{task:02d}."
    return {letter: float(fills.get(prefix + letter, 0.0)) for letter in letters}


def parse_moment(text: str | None) -> datetime:
    """An ISO time (local time when it names no zone), or now."""
    if not text:
        return utc_now()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise Refused(_("«{text}» is not a time (YYYY-MM-DDTHH:MM).").format(text=text)) from error
    return moment.astimezone() if moment.tzinfo is None else moment


def _keyed(spec: TestSpecification, key: AnswerKey, row: SheetScoreRow, subject: str, number: int
           ) -> tuple[str, Any, str]:
    """The block, the task's specification and the answer code's letters of a key subject's task."""
    block = sheet_blocks(spec, row.profile_subjects)[subject]
    spec_subject = spec.subject(block)
    task = None if spec_subject is None else spec_subject.task(number)
    if task is None:
        raise Refused(_("The test has no task {task} in {subject}.").format(task=number, subject=subject))
    correct = "".join(sorted(key.variants[row.variant][subject][number]))
    return block, task, correct


def add_appeal(session: Session, stream_number: int, ikt: str, kind: AppealKind, claims: Sequence[TaskClaim], *,
               chair: str, received_by: str, received_at: datetime, actor: str, audit: AuditLog) -> Appeal:
    """Register one application (see the module's text), in the caller's transaction."""
    from arm_programmer.codes import stream_key

    stream, window = open_window(session, stream_number)
    last = deadline(window.announced_at)
    if received_at > last:
        raise Refused(_("The application was received on {moment}, after the deadline {deadline} (13:00 of the day "
                        "after the results were announced, п. 185).").format(
            moment=_local_text(received_at), deadline=_local_text(last)))
    if received_at < window.announced_at:
        raise Refused(_("The application is dated {moment}, before the results were announced ({announced}).").format(
            moment=_local_text(received_at), announced=_local_text(window.announced_at)))
    if not chair.strip():
        raise Refused(_("The appeal commission chair in whose presence the application is entered is named "
                        "(--chair, п. 200)."))
    if not claims:
        raise Refused(_("An application names at least one disputed task (--task)."))
    seat = next((seat for seat in drawn_seats(session, stream_number) if seat.ikt == ikt), None)
    if seat is None:
        raise Refused(_("ИКТ {ikt} is not seated in stream {stream}.").format(ikt=ikt, stream=stream_number))
    row = session.scalar(select(SheetScoreRow).where(SheetScoreRow.application_id == seat.application_id))
    if row is None:
        raise Refused(_("ИКТ {ikt} has no score in stream {stream} (absent, annulled or not admitted): there is "
                        "nothing to appeal.").format(ikt=ikt, stream=stream_number))
    spec, key = stream_key(session, stream_number)
    scan = _test_day_scan(session, row.sheet_id)
    disputed = {(task.subject, task.task): appeal.number for appeal in stream_appeals(session, stream_number)
                if appeal.application_id == row.application_id for task in appeal.tasks}
    fills = {} if scan is None else dict(scan.fills)
    seen: set[tuple[str, int]] = set()
    tasks: list[AppealTask] = []
    for claim in claims:
        if claim.ground.technical != (kind is AppealKind.TECHNICAL):
            raise Refused(_("Task {subject}:{task}: the ground «{ground}» is not one of an appeal {kind}.").format(
                subject=claim.subject, task=claim.task, ground=claim.ground.value,
                kind=_("on technical grounds") if kind is AppealKind.TECHNICAL else _("on the content of tasks")))
        if claim.subject not in row.per_task or not 1 <= claim.task <= len(row.per_task[claim.subject]):
            raise Refused(_("Task {subject}:{task}: the applicant was not tested in it (tested: {subjects}).").format(
                subject=claim.subject, task=claim.task, subjects=", ".join(str(code) for code in row.per_task)))
        if (claim.subject, claim.task) in seen:
            raise Refused(_("Task {subject}:{task} is named twice.").format(subject=claim.subject, task=claim.task))
        if (claim.subject, claim.task) in disputed:
            raise Refused(_("Task {subject}:{task} is disputed already in application number {number}.").format(
                subject=claim.subject, task=claim.task, number=disputed[(claim.subject, claim.task)]))
        seen.add((claim.subject, claim.task))
        block, task, correct = _keyed(spec, key, row, claim.subject, claim.task)
        if claim.claimed:
            parse_marks(task, claim.claimed, claim.subject)
        points = int(row.per_task[claim.subject][claim.task - 1])
        most = spec.rule(task.rule).max_points
        marks = str(row.marks.get(block, {}).get(str(claim.task), ""))
        right = kind is AppealKind.CONTENT and points == most
        tasks.append(AppealTask(
            subject=claim.subject, task=claim.task, ground=claim.ground.value, claimed=claim.claimed, marks=marks,
            correct=correct, points=points, max_points=most,
            fills=_task_fills(fills, block, claim.task, task.option_letters), appeal_fills={},
            defect=False, proposed_points=points if right else None,
            decision=(TaskDecision.NOT_SATISFIED if right else TaskDecision.PENDING).value,
            decided_points=points if right else None, decided_by=RIGHT_AT_ONCE if right else None,
            decided_at=utc_now() if right else None))
    number = int(session.scalar(select(func.coalesce(func.max(Appeal.number), 0))
                                .where(Appeal.stream_id == stream.id)) or 0) + 1
    appeal = Appeal(stream_id=stream.id, number=number, application_id=row.application_id, sheet_id=row.sheet_id,
                    room_number=row.room_number, kind=kind.value, state=AppealState.REGISTERED.value,
                    variant=row.variant, profile_subjects=list(row.profile_subjects), received_at=received_at,
                    received_by=received_by[:200], chair=chair.strip()[:200],
                    test_day_image=None if scan is None or kind is AppealKind.CONTENT else scan.image,
                    entered_by=actor[:100], tasks=tasks)
    if all(task.decision != TaskDecision.PENDING.value for task in tasks):
        appeal.state = AppealState.DECIDED.value
    session.add(appeal)
    session.flush()
    audit.record(session, actor=actor, action="appeal.added", target=f"stream/{stream_number}/appeal/{number}",
                 details={"appeal": appeal.id, "application": row.application_id, "kind": kind.value,
                          "tasks": [f"{task.subject}:{task.task}:{task.ground}" for task in tasks],
                          "decided_at_once": [f"{task.subject}:{task.task}" for task in tasks
                                              if task.decision != TaskDecision.PENDING.value]})
    return appeal


def find_appeal(session: Session, stream_number: int, number: int) -> Appeal:
    stream = stream_of(session, stream_number)
    appeal = session.scalar(select(Appeal).where(Appeal.stream_id == stream.id, Appeal.number == number))
    if appeal is None:
        raise Refused(_("Stream {stream} has no appeal number {number}.").format(stream=stream_number, number=number))
    return appeal


def _writable(session: Session, stream_number: int, number: int) -> Appeal:
    open_window(session, stream_number)
    appeal = find_appeal(session, stream_number, number)
    if appeal.state == AppealState.NO_SHOW.value:
        raise Refused(_("Appeal {number}: the applicant did not come (п. 192); it is not considered.").format(
            number=number))
    return appeal


def _disputed(appeal: Appeal, subject: str, number: int) -> AppealTask:
    found = next((task for task in appeal.tasks if task.subject == subject and task.task == number), None)
    if found is None:
        raise Refused(_("Appeal {number} does not dispute task {subject}:{task}.").format(
            number=appeal.number, subject=subject, task=number))
    if found.decision != TaskDecision.PENDING.value:
        raise Refused(_("Appeal {number}: task {subject}:{task} is decided already (п. 197, 205).").format(
            number=appeal.number, subject=subject, task=number))
    return found


@dataclass(frozen=True)
class Proposal:
    number: int
    subject: str
    task: int
    satisfied: bool
    points_before: int
    proposed_points: int
    reason: str


def vote(session: Session, stream_number: int, number: int, subject: str, task_number: int, votes_for: int,
         votes_against: int, chair_for: bool | None, *, actor: str, audit: AuditLog) -> Proposal:
    """The local commission's vote on a content task (п. 194): the majority proposes; a tie is the chair's vote.
    Satisfied, the task is proposed at its most points."""
    appeal = _writable(session, stream_number, number)
    if appeal.kind != AppealKind.CONTENT.value:
        raise Refused(_("Appeal {number} is on technical grounds: it is judged by the fills (appeal propose), not "
                        "voted.").format(number=number))
    task = _disputed(appeal, subject, task_number)
    if votes_for < 0 or votes_against < 0 or votes_for + votes_against == 0:
        raise Refused(_("The votes for and against are counts of members, at least one vote in all."))
    if votes_for == votes_against and chair_for is None:
        raise Refused(_("The vote is tied {votes_for}–{votes_against}: the chair's vote decides (--chair-for yes|no, "
                        "п. 194).").format(votes_for=votes_for, votes_against=votes_against))
    satisfied = votes_for > votes_against if votes_for != votes_against else bool(chair_for)
    task.votes_for, task.votes_against = votes_for, votes_against
    task.chair_for = chair_for
    task.proposed_points = task.max_points if satisfied else task.points
    session.flush()
    reason = _("{votes_for} for, {votes_against} against{chair}: the commission proposes «{outcome}».").format(
        votes_for=votes_for, votes_against=votes_against,
        chair=_(", the chair's vote deciding") if votes_for == votes_against else "",
        outcome=_("satisfied") if satisfied else _("not satisfied"))
    audit.record(session, actor=actor, action="appeal.voted", target=f"stream/{stream_number}/appeal/{number}",
                 details={"appeal": appeal.id, "task": f"{subject}:{task_number}", "for": votes_for,
                          "against": votes_against, "chair_for": chair_for, "proposed_points": task.proposed_points})
    return Proposal(number, subject, task_number, satisfied, task.points, task.proposed_points, reason)


def technical_case(marks: str, correct: str, fills: dict[str, float], defect: bool) -> TechnicalCase | None:
    """The case of п. 196 the fills show, or None: 1) a bubble of the answer code filled 50 % or more not read as an
    answer; 2) a bubble not of the answer code filled less than 50 % read as an answer; 3) with ``defect`` (the
    sheet is found defective), a bubble read as an answer though unfilled."""
    read = set(marks)
    for letter in sorted(correct):
        if fills.get(letter, 0.0) >= MARKED_SHARE and letter not in read:
            return TechnicalCase.UNREAD_MARK
    for letter in sorted(read - set(correct)):
        if fills.get(letter, 0.0) < MARKED_SHARE:
            return TechnicalCase.FALSE_MARK
    if defect and any(fills.get(letter, 0.0) < MARKED_SHARE for letter in read):
        return TechnicalCase.DEFECT
    return None


def propose(session: Session, stream_number: int, number: int, subject: str, task_number: int, *, defect: bool,
            actor: str, audit: AuditLog) -> Proposal:
    """The local commission's proposal on a technical task by п. 196 (see :func:`technical_case`), on the fresh scan's
    fills when there is one: satisfied, the task is scored again with the bubbles filled 50 % or more."""
    from arm_programmer.codes import stream_key

    appeal = _writable(session, stream_number, number)
    if appeal.kind != AppealKind.TECHNICAL.value:
        raise Refused(_("Appeal {number} is on the content of tasks: the commission votes on it (appeal vote).")
                      .format(number=number))
    task = _disputed(appeal, subject, task_number)
    fills = {str(letter): float(value) for letter, value in (task.appeal_fills or task.fills).items()}
    case = technical_case(task.marks, task.correct, fills, defect)
    spec, _key = stream_key(session, stream_number)
    row = session.scalar(select(SheetScoreRow).where(SheetScoreRow.application_id == appeal.application_id))
    assert row is not None
    _block, spec_task, _correct = _keyed(spec, _key, row, subject, task_number)
    if case is None:
        proposed = task.points
    else:
        marked = frozenset(letter for letter, value in fills.items() if value >= MARKED_SHARE)
        proposed = spec.rule(spec_task.rule).points(marked, frozenset(task.correct))
    task.case = None if case is None else case.value
    task.defect = defect
    task.proposed_points = proposed
    session.flush()
    shown = ", ".join(f"{letter} {value:.0%}" for letter, value in sorted(fills.items()))
    source = _("the fresh scan") if task.appeal_fills else _("the test-day scan")
    texts = {TechnicalCase.UNREAD_MARK: _("a bubble of the answer code filled half or more was not read (п. 196, 1)"),
             TechnicalCase.FALSE_MARK: _("a bubble not of the answer code filled less than half was read (п. 196, 2)"),
             TechnicalCase.DEFECT: _("an unfilled bubble was read on a defective sheet (п. 196, 3)")}
    why = texts[case] if case is not None else _("none of the three cases of п. 196 is found")
    reason = _("Fills on {source}: {fills}; read «{marks}», answer code «{correct}»: {why}; proposed {points} "
               "point(s) (was {before}).").format(source=source, fills=shown, marks=task.marks or "—",
                                                  correct=task.correct, why=why, points=proposed, before=task.points)
    audit.record(session, actor=actor, action="appeal.proposed", target=f"stream/{stream_number}/appeal/{number}",
                 details={"appeal": appeal.id, "task": f"{subject}:{task_number}", "case": task.case,
                          "proposed_points": proposed, "defect": defect})
    return Proposal(number, subject, task_number, case is not None, task.points, proposed, reason)


def rescan(session: Session, scans: Path, stream_number: int, number: int, image: Path, *, actor: str,
           audit: AuditLog) -> Appeal:
    """Keep the fresh scan of a technical appeal's sheet (read-only, as the scan loop keeps images), read it with
    the stream's layout and store the disputed tasks' fills from it."""
    from arm_programmer.sheets import answer_layouts
    from common.omr.reader import read_page
    from common.scanning.driver import ScannedPage
    from common.scanning.images import read_pages
    from common.scanning.loop import keep_image

    appeal = _writable(session, stream_number, number)
    if appeal.kind != AppealKind.TECHNICAL.value:
        raise Refused(_("Appeal {number} is on the content of tasks: it has no fresh scan.").format(number=number))
    if appeal.appeal_image is not None:
        raise Refused(_("Appeal {number} has its fresh scan already: it is kept as it is.").format(number=number))
    digest, pages = read_pages(image)
    if len(pages) != 1:
        raise Refused(_("The fresh scan is one page; {name} holds {count}.").format(name=image.name,
                                                                                   count=len(pages)))
    page = pages[0]
    layout = answer_layouts(session, stream_number)
    result = read_page(page.image, layout, image_name=image.name)
    if not result.bubbles:
        raise Refused(_("The fresh scan {name} cannot be read as this stream's answer sheet: scan it again.").format(
            name=image.name))
    row = session.scalar(select(SheetScoreRow).where(SheetScoreRow.sheet_id == appeal.sheet_id))
    from arm_programmer.identification import stream_sheets

    numbers = {sheet.sheet_id: sheet.sheet_number for sheet in stream_sheets(session, stream_number)}
    expected = numbers.get(appeal.sheet_id)
    if expected and result.sheet_number and result.sheet_number != expected:
        raise Refused(_("The fresh scan is of sheet {read}, not of the appeal's sheet {sheet}.").format(
            read=result.sheet_number, sheet=expected))
    suffix = {".png": ".png", ".jpg": ".jpg", ".jpeg": ".jpg"}.get(image.suffix.lower())
    kept = keep_image(scans, ScannedPage(image=page.image, source=image.name, page_id=f"appeal:{digest}",
                                         dpi=page.dpi, encoded=None if suffix is None else image.read_bytes(),
                                         suffix=suffix or ".png"))
    assert row is not None
    from arm_programmer.codes import stream_key

    spec, _key = stream_key(session, stream_number)
    for task in appeal.tasks:
        block, spec_task, _correct = _keyed(spec, _key, row, task.subject, task.task)
        task.appeal_fills = _task_fills(dict(result.bubbles), block, task.task, spec_task.option_letters)
    appeal.appeal_image = kept.name
    session.flush()
    audit.record(session, actor=actor, action="appeal.rescanned", target=f"stream/{stream_number}/appeal/{number}",
                 details={"appeal": appeal.id, "image": kept.name})
    return appeal


def no_show(session: Session, stream_number: int, number: int, *, actor: str, audit: AuditLog) -> Appeal:
    """«не явился»: the applicant did not come to the consideration; the application is not considered (п. 192)."""
    open_window(session, stream_number)
    appeal = find_appeal(session, stream_number, number)
    if appeal.state != AppealState.REGISTERED.value:
        raise Refused(_("Appeal {number} is settled already ({state}).").format(number=number, state=appeal.state))
    appeal.state = AppealState.NO_SHOW.value
    session.flush()
    audit.record(session, actor=actor, action="appeal.no-show", target=f"stream/{stream_number}/appeal/{number}",
                 details={"appeal": appeal.id})
    return appeal


# --- records ----------------------------------------------------------------------------------------------------


def _record_task(task: AppealTask) -> DisputedTask:
    return DisputedTask(
        subject=task.subject, task=task.task, ground=AppealGround(task.ground), claimed=task.claimed,
        marks=task.marks, correct=task.correct, points=task.points, max_points=task.max_points,
        fills=dict(task.fills), appeal_fills=dict(task.appeal_fills),
        case=None if task.case is None else TechnicalCase(task.case), votes_for=task.votes_for,
        votes_against=task.votes_against, chair_for=task.chair_for, proposed_points=task.proposed_points,
        decision=TaskDecision(task.decision), decided_points=task.decided_points)


def stream_appeals(session: Session, stream_number: int) -> list[Appeal]:
    stream = stream_of(session, stream_number)
    return list(session.scalars(select(Appeal).where(Appeal.stream_id == stream.id).order_by(Appeal.number)))


def appeal_records(session: Session, stream_number: int) -> list[AppealRecord]:
    """Every application of the stream as the prints and the payloads read them."""
    ikts = {seat.application_id: seat.ikt for seat in drawn_seats(session, stream_number)}
    return [AppealRecord(
        number=appeal.number, stream=stream_number, ikt=ikts.get(appeal.application_id, ""),
        application_id=appeal.application_id, room_number=appeal.room_number, kind=AppealKind(appeal.kind),
        received_at=appeal.received_at, received_by=appeal.received_by, chair=appeal.chair,
        state=AppealState(appeal.state), variant=appeal.variant, subjects=tuple(appeal.profile_subjects),
        tasks=tuple(_record_task(task) for task in appeal.tasks)) for appeal in stream_appeals(session, stream_number)]


def unsettled(appeals: Iterable[Appeal]) -> list[Appeal]:
    """Applications neither «не явился» nor «решение принято»."""
    return [appeal for appeal in appeals if appeal.state == AppealState.REGISTERED.value]
