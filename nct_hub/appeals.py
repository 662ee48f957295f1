"""The ``appeals`` packages at НЦТ (п. 203–205): a site's applications, the Republican commission's
decisions and the ``appeal-decisions`` package back to the site's programmer.

:func:`import_appeals` checks the payload ``arm_programmer.appeal_records.appeals_payload`` writes
(docs/packages.md, ``appeals``) field by field and files one :class:`NctAppeal` per application with
its disputed tasks; the images of a technical appeal (п. 204.4) stay as the package's attachments.
A newer package for the same site and stream replaces the pending tasks; a task the Republican
commission decided is final (п. 205) and is kept as decided. :func:`decide` records one decision,
:func:`decisions_for` gathers them for :func:`arm_programmer.appeal_records.decisions_payload`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from arm_programmer.appeal_records import (
    APPEALS_FORMAT,
    AppealKind,
    AppealState,
    RepublicanDecision,
    TaskDecision,
    TechnicalCase,
)
from common.codebook import AppealGround
from common.errors import Refused
from common.i18n import _
from nct_hub.db.appeal_models import NctAppeal, NctAppealTask
from nct_hub.db.import_models import ReceivedAttachment, ReceivedPackage
from nct_hub.payload_checks import IKT, Bad, count_of, entry_of, list_of, text_of

KIND: Final = "appeals"
KINDS: Final = tuple(kind.value for kind in AppealKind)
STATES: Final = tuple(state.value for state in AppealState)
CASES: Final = tuple(case.value for case in TechnicalCase)
IMAGE_ROLES: Final = ("test_day", "appeal")
REPUBLICAN: Final = "republican-commission"
SITE_RULE: Final = "site (п. 197)"
_LETTERS = re.compile(r"^[A-Z]{0,8}$")


def import_appeals(session: Session, received_id: int, site_code: str, payload: Mapping[str, Any]) -> dict[str, int]:
    """File a stream's applications; returns the counts for the import summary. Refused when malformed."""
    received = session.get(ReceivedPackage, received_id)
    stream = received.stream_key if received is not None else 0
    names = set(session.scalars(select(ReceivedAttachment.name).where(ReceivedAttachment.received_id == received_id)))
    try:
        appeals = _checked(payload, site_code, stream, names)
    except Bad as bad:
        raise Refused(_("The appeals are not valid: {where}: {problem}.").format(
            where=bad.where, problem=bad.problem)) from None  # fmt: skip
    counts = {"appeals": len(appeals), "tasks": sum(len(appeal.tasks) for appeal in appeals),
              "technical": sum(appeal.kind == AppealKind.TECHNICAL.value for appeal in appeals),
              "no-show": sum(appeal.state == AppealState.NO_SHOW.value for appeal in appeals)}
    counts["decided-kept"] = _replace_pending(session, site_code, stream, appeals, received_id)
    for appeal in appeals:
        appeal.received_id = received_id
        session.add(appeal)
    session.flush()
    return counts


def _replace_pending(session: Session, site_code: str, stream: int, appeals: list[NctAppeal], received_id: int
                     ) -> int:
    """Remove the stream's rows the new package replaces; a decided task stays (п. 205). Returns how many stayed.

    An application with a decided task keeps its row: the new package's pending tasks are added to it."""
    kept = 0
    incoming = {appeal.number: appeal for appeal in appeals}
    olds = list(session.scalars(select(NctAppeal).where(NctAppeal.site_code == site_code, NctAppeal.stream == stream)))
    for old in olds:
        decided = [task for task in old.tasks if task.decision is not None]
        if not decided:
            session.delete(old)
            continue
        new = incoming.get(old.number)
        if new is not None and new.ikt != old.ikt:
            raise Refused(_("The appeals are not valid: application {number} is another applicant's than the one "
                            "the Republican commission decided on.").format(number=old.number))  # fmt: skip
        for task in [task for task in old.tasks if task.decision is None]:
            old.tasks.remove(task)
        session.flush()  # the replaced tasks go before their successors come (one key each)
        kept += len(decided)
        if new is not None:
            appeals.remove(new)
            done = {(task.subject, task.task) for task in decided}
            for task in list(new.tasks):
                if (task.subject, task.task) not in done:
                    new.tasks.remove(task)
                    old.tasks.append(task)
            settled = all(task_state(task) != TaskDecision.PENDING.value for task in old.tasks)
            old.state = AppealState.DECIDED.value if settled and new.state != AppealState.NO_SHOW.value else new.state
            old.images, old.received_id = new.images, received_id
    session.flush()
    return kept


def _checked(payload: Mapping[str, Any], site_code: str, stream: int, names: set[str]) -> list[NctAppeal]:
    if payload.get("format") != APPEALS_FORMAT:
        raise Bad("format", _("format {format} is not known to this program").format(format=payload.get("format")))
    if payload.get("site_code") != site_code:
        raise Bad("site_code", _("the appeals are of site {inside}, but the package came from site {sender}").format(
            inside=payload.get("site_code"), sender=site_code))  # fmt: skip
    if stream < 1 or payload.get("stream") != stream or isinstance(payload.get("stream"), bool):
        raise Bad("stream", _("the appeals are of stream {inside}, but the package is of stream {sender}").format(
            inside=payload.get("stream"), sender=stream or "—"))  # fmt: skip
    entries = list_of(payload.get("appeals"), "appeals")
    appeals = [_appeal(entry, f"appeals[{index}]", site_code, stream, names) for index, entry in enumerate(entries)]
    seen: set[int] = set()
    for index, appeal in enumerate(appeals):
        if appeal.number in seen:
            raise Bad(f"appeals[{index}].number", _("the number appears twice"))
        seen.add(appeal.number)
    return appeals


def _appeal(value: Any, where: str, site_code: str, stream: int, names: set[str]) -> NctAppeal:
    entry = entry_of(value, where)
    number = count_of(entry, "number", where)
    if number is None or number < 1:
        raise Bad(f"{where}.number", _("not a whole number of one or more"))
    kind = text_of(entry, "kind", where)
    if kind not in KINDS:
        raise Bad(f"{where}.kind", _("unknown kind {kind}").format(kind=kind))
    state = text_of(entry, "state", where)
    if state not in STATES:
        raise Bad(f"{where}.state", _("unknown state {state}").format(state=state))
    received_at = text_of(entry, "received_at", where, limit=40)
    try:
        datetime.fromisoformat(received_at)
    except ValueError:
        raise Bad(f"{where}.received_at", _("not a date and time (ISO 8601)")) from None
    subjects = entry.get("subjects")
    if not isinstance(subjects, list) or not all(isinstance(code, str) and 0 < len(code) <= 16 for code in subjects):
        raise Bad(f"{where}.subjects", _("not a list of subject codes"))
    images = entry.get("images")
    if not isinstance(images, Mapping) or any(not isinstance(value, str) for value in images.values()):
        raise Bad(f"{where}.images", _("not an object of attachment names"))
    if kind == AppealKind.TECHNICAL.value and state != AppealState.NO_SHOW.value and set(images) != set(IMAGE_ROLES):
        raise Bad(f"{where}.images", _("a technical appeal needs the test-day image and the appeal scan (п. 204.4)"))
    if kind == AppealKind.CONTENT.value and images:
        raise Bad(f"{where}.images", _("only a technical appeal carries images"))
    for role, name in images.items():
        if role not in IMAGE_ROLES:
            raise Bad(f"{where}.images", _("unknown image {role}").format(role=role))
        if name not in names:
            raise Bad(f"{where}.images.{role}", _("the package has no attachment {name}").format(name=name))
    tasks_entry = entry.get("tasks")
    if not isinstance(tasks_entry, list) or not tasks_entry:
        raise Bad(f"{where}.tasks", _("not a list of disputed tasks"))
    tasks = [_task(item, f"{where}.tasks[{index}]", kind) for index, item in enumerate(tasks_entry)]
    if len({(task.subject, task.task) for task in tasks}) != len(tasks):
        raise Bad(f"{where}.tasks", _("a task is disputed twice"))
    for index, task in enumerate(tasks):
        if task.subject not in subjects:
            raise Bad(f"{where}.tasks[{index}].subject", _("not one of the applicant's subjects"))
    return NctAppeal(
        site_code=site_code, stream=stream, number=number, ikt=text_of(entry, "ikt", where, pattern=IKT), kind=kind,
        room_number=text_of(entry, "room", where, limit=4), received_at=received_at, state=state,
        variant=text_of(entry, "variant", where, limit=10), subjects=list(subjects), images=dict(images), tasks=tasks,
    )  # fmt: skip


def _task(value: Any, where: str, kind: str) -> NctAppealTask:
    item = entry_of(value, where)
    subject = text_of(item, "subject", where)
    task = count_of(item, "task", where)
    if task is None or task < 1:
        raise Bad(f"{where}.task", _("not a whole number of one or more"))
    ground_text = item.get("ground")
    ground = next((ground for ground in AppealGround if ground.value == ground_text), None)
    if ground is None:
        raise Bad(f"{where}.ground", _("unknown ground {ground}").format(ground=ground_text))
    if ground.technical != (kind == AppealKind.TECHNICAL.value):
        raise Bad(f"{where}.ground", _("the ground {ground} is not one of a {kind} appeal").format(
            ground=ground.value, kind=kind))  # fmt: skip
    letters = {}
    for key in ("claimed", "marks", "correct"):
        value = item.get(key)
        if not isinstance(value, str) or not _LETTERS.match(value):
            raise Bad(f"{where}.{key}", _("not option letters"))
        letters[key] = value
    points, most = count_of(item, "points", where), count_of(item, "max_points", where)
    if points is None or most is None or most < 1 or points > most:
        raise Bad(f"{where}.points", _("the points are missing or above the task's maximum"))
    proposed = count_of(item, "proposed_points", where)
    if proposed is not None and proposed > most:
        raise Bad(f"{where}.proposed_points", _("above the task's maximum"))
    fills = {key: _fills(item.get(key), f"{where}.{key}") for key in ("fills", "appeal_fills")}
    case = item.get("case")
    if case is not None and (kind != AppealKind.TECHNICAL.value or case not in CASES):
        raise Bad(f"{where}.case", _("unknown case {case}").format(case=case))
    votes = item.get("votes")
    if votes is not None:
        if kind != AppealKind.CONTENT.value or not isinstance(votes, Mapping) \
                or not all(_count(votes.get(key)) for key in ("for", "against")) \
                or not isinstance(votes.get("chair_for"), bool | None):
            raise Bad(f"{where}.votes", _("not a vote of the commission"))
        votes = {"for": votes["for"], "against": votes["against"], "chair_for": votes.get("chair_for")}
    decision = item.get("decision")
    if decision == TaskDecision.NOT_SATISFIED.value:
        if kind != AppealKind.CONTENT.value or letters["marks"] != letters["correct"]:
            raise Bad(f"{where}.decision", _("only a content task answered right is not satisfied at the site "
                                              "(п. 197); the rest is the Republican commission's (п. 205)"))
    elif decision != TaskDecision.PENDING.value:
        raise Bad(f"{where}.decision", _("the decision is the Republican commission's (п. 205)"))
    return NctAppealTask(
        subject=subject, task=task, ground=ground.value, claimed=letters["claimed"], marks=letters["marks"],
        correct=letters["correct"], points=points, max_points=most, fills=fills["fills"],
        appeal_fills=fills["appeal_fills"], case=case, votes=votes, proposed_points=proposed, site_decision=decision,
        note="",
    )  # fmt: skip


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _fills(value: Any, where: str) -> dict[str, float]:
    if not isinstance(value, Mapping):
        raise Bad(where, _("not an object of fills"))
    fills = {}
    for letter, fill in value.items():
        if not isinstance(letter, str) or not re.match(r"^[A-Z]$", letter) or isinstance(fill, bool) \
                or not isinstance(fill, int | float) or not 0 <= fill <= 1:
            raise Bad(f"{where}.{letter}", _("not a fill between 0 and 1"))
        fills[letter] = float(fill)
    return fills


# --- looking, deciding --------------------------------------------------------------------------
def stream_appeals(session: Session, site_code: str | None = None, stream: int | None = None) -> list[NctAppeal]:
    """The applications on file, by site, stream and number."""
    query = select(NctAppeal).order_by(NctAppeal.site_code, NctAppeal.stream, NctAppeal.number)
    if site_code is not None:
        query = query.where(NctAppeal.site_code == site_code)
    if stream is not None:
        query = query.where(NctAppeal.stream == stream)
    return list(session.scalars(query))


def task_state(task: NctAppealTask) -> str:
    """``satisfied`` / ``not-satisfied`` (decided at НЦТ or at the site under п. 197), or ``pending``."""
    if task.decision is not None:
        return task.decision
    return task.site_decision


def appeal_data(appeal: NctAppeal) -> dict[str, Any]:
    """One application as ``appeals list --json`` shows it (no names: there are none at НЦТ)."""
    return {
        "site_code": appeal.site_code, "stream": appeal.stream, "number": appeal.number, "ikt": appeal.ikt,
        "kind": appeal.kind, "room": appeal.room_number, "received_at": appeal.received_at, "state": appeal.state,
        "variant": appeal.variant, "subjects": list(appeal.subjects), "images": dict(appeal.images),
        "tasks": [{"subject": task.subject, "task": task.task, "ground": task.ground, "claimed": task.claimed,
                   "marks": task.marks, "correct": task.correct, "votes": task.votes, "fills": dict(task.fills),
                   "appeal_fills": dict(task.appeal_fills), "points": task.points, "max_points": task.max_points,
                   "proposed_points": task.proposed_points, "case": task.case, "state": task_state(task),
                   "decided_points": task.decided_points, "decided_by": task.decided_by, "note": task.note}
                  for task in appeal.tasks],
    }  # fmt: skip


def find_task(session: Session, site_code: str, stream: int, number: int, subject: str, task: int
              ) -> tuple[NctAppeal, NctAppealTask]:
    appeal = session.scalar(select(NctAppeal).where(
        NctAppeal.site_code == site_code, NctAppeal.stream == stream, NctAppeal.number == number))  # fmt: skip
    if appeal is None:
        raise Refused(_("Site {site} has sent no application number {number} for stream {stream}.").format(
            site=site_code, number=number, stream=stream))  # fmt: skip
    found = next((item for item in appeal.tasks if item.subject == subject and item.task == task), None)
    if found is None:
        raise Refused(_("Application {number} does not dispute task {subject}:{task}.").format(
            number=number, subject=subject, task=task))  # fmt: skip
    return appeal, found


def decide(session: Session, site_code: str, stream: int, number: int, subject: str, task: int,
           decision: TaskDecision, *, points: int | None, note: str, actor: str,
           now: datetime | None = None) -> NctAppealTask:
    """Record the Republican commission's decision on one task (п. 204–205); a decided task is final."""
    appeal, item = find_task(session, site_code, stream, number, subject, task)
    if appeal.state == AppealState.NO_SHOW.value:
        raise Refused(_("Application {number} is «не явился»: it is not considered (п. 192).").format(number=number))
    if item.decision is not None:
        raise Refused(_("Task {subject}:{task} of application {number} is already decided: the decision is final "
                        "(п. 205).").format(subject=subject, task=task, number=number))  # fmt: skip
    if item.site_decision == TaskDecision.NOT_SATISFIED.value:
        raise Refused(_("Task {subject}:{task} of application {number} was answered right: the appeal is not "
                        "satisfied (п. 197).").format(subject=subject, task=task, number=number))  # fmt: skip
    if decision is TaskDecision.SATISFIED:
        after = points if points is not None else item.proposed_points
        if after is None:
            raise Refused(_("Name the task's points after the appeal: --points P (the commission proposed none)."))
        if not 0 <= after <= item.max_points:
            raise Refused(_("The task's points must be from 0 to {most}.").format(most=item.max_points))
    elif decision is TaskDecision.NOT_SATISFIED:
        if points is not None and points != item.points:
            raise Refused(_("A task not satisfied keeps its {points} points.").format(points=item.points))
        after = item.points
    else:
        raise Refused(_("The decision is satisfied or not-satisfied."))
    item.decision, item.decided_points, item.note = decision.value, after, note
    item.decided_by, item.decided_at = actor or REPUBLICAN, now or datetime.now(UTC)
    if all(task_state(other) != TaskDecision.PENDING.value for other in appeal.tasks):
        appeal.state = AppealState.DECIDED.value
    session.flush()
    return item


def decisions_for(session: Session, site_code: str, stream: int) -> list[RepublicanDecision]:
    """Every decision of the stream for ``decisions_payload``; refused while a task is pending (п. 204.12).

    A content task answered right that the site already marked «не удовлетворено» (п. 197) is carried as such."""
    appeals = stream_appeals(session, site_code, stream)
    if not appeals:
        raise Refused(_("Site {site} has sent no appeals for stream {stream}.").format(site=site_code, stream=stream))
    decisions = []
    for appeal in appeals:
        if appeal.state == AppealState.NO_SHOW.value:
            continue
        for item in appeal.tasks:
            state = task_state(item)
            if state == TaskDecision.PENDING.value:
                raise Refused(_("Task {subject}:{task} of application {number} is not decided yet.").format(
                    subject=item.subject, task=item.task, number=appeal.number))  # fmt: skip
            points = item.decided_points if item.decided_points is not None else item.points
            decisions.append(RepublicanDecision(appeal.number, appeal.ikt, item.subject, item.task,
                                                TaskDecision(state), points, item.note))
    return decisions


@dataclass(frozen=True)
class AppealImage:
    """A technical appeal's image (п. 204.4) as it came in the package."""

    role: str
    name: str
    data: bytes


def appeal_images(session: Session, appeal: NctAppeal) -> list[AppealImage]:
    """The test-day image and the appeal scan, in that order (those present)."""
    images = []
    for role in IMAGE_ROLES:
        name = appeal.images.get(role)
        if name is None:
            continue
        data = session.scalar(select(ReceivedAttachment.data).where(
            ReceivedAttachment.received_id == appeal.received_id, ReceivedAttachment.name == name))  # fmt: skip
        if data is not None:
            images.append(AppealImage(role, name, data))
    return images


def summary_lines(appeals: Sequence[NctAppeal]) -> list[str]:
    """``appeals list`` for people: one line an application, one a task."""
    lines = []
    for appeal in appeals:
        lines.append(_("Site {site}, stream {stream}, application {number} ({kind}, {state}): ИКТ {ikt}, room {room}, "
                       "variant {variant}").format(
            site=appeal.site_code, stream=appeal.stream, number=appeal.number, kind=appeal.kind, state=appeal.state,
            ikt=appeal.ikt, room=appeal.room_number, variant=appeal.variant))  # fmt: skip
        for item in appeal.tasks:
            points = "" if item.decided_points is None else f" → {item.decided_points}"
            lines.append(f"  {item.subject}:{item.task} {item.ground}: {task_state(item)} "
                         f"({item.points}/{item.max_points}{points})")
    return lines
