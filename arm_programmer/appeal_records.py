"""Appeals (ch. 32–39, п. 181–213) as the programmer's workstation, its prints and НЦТ read them.

An applicant who disputes a stream's results files an application (п. 185) on the content of tasks
(прил. 13 Правил) or on technical grounds (прил. 15 Правил), until 13:00 of the day after the results
were announced. Each disputed task names one ground of п. 195 (:class:`common.codebook.AppealGround`). The
application is entered in the appeal commission chair's presence (п. 200: the chair's name is recorded); the register
(прил. 20 Правил) shows each application's state (:class:`AppealState`, п. 202).

* a content task answered right is «не удовлетворено» at once (п. 197); otherwise the commission votes
  (majority of all members, the chair breaks a tie, п. 194) and proposes;
* a technical task is judged by the 50 % rule (п. 196) on the measured fills: :class:`TechnicalCase`;
* the Republican commission decides both (п. 195, 203–204): its decisions come back in an
  ``appeal-decisions`` package and are final (п. 205).

This module is the shape the parts share — the records (:class:`AppealRecord`, :class:`DisputedTask`),
and the three payloads: :func:`appeals_payload` (``appeals``, site → НЦТ), :func:`decisions_payload`
(``appeal-decisions``, НЦТ → site) and :func:`final_results_payload` (``final-results``, site → НЦТ).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from arm_programmer.results import ResultRow, results_payload
from common.codebook import AppealGround as Ground

APPEALS_FORMAT: Final = 1
DECISIONS_FORMAT: Final = 1
FINAL_RESULTS_FORMAT: Final = 1
MARKED_SHARE: Final = 0.5
"""п. 196: a bubble is marked when 50 % or more of its area is filled."""


class AppealKind(enum.Enum):
    CONTENT = "content"
    """On the content of test tasks (прил. 13 Правил)."""
    TECHNICAL = "technical"
    """On technical grounds (прил. 15 Правил)."""


class AppealState(enum.Enum):
    """The register's «Состояние» (п. 202)."""

    REGISTERED = "registered"
    NO_SHOW = "no-show"
    """«не явился»: the application is not considered (п. 192)."""
    DECIDED = "decided"
    """«решение принято»."""


class TaskDecision(enum.Enum):
    PENDING = "pending"
    SATISFIED = "satisfied"
    """«удовлетворено»."""
    NOT_SATISFIED = "not-satisfied"
    """«не удовлетворено»."""


class TechnicalCase(enum.Enum):
    """The three cases of п. 196 in which a technical appeal is satisfied."""

    UNREAD_MARK = "unread-mark"
    """1) a bubble matching the answer code, filled 50 % or more, was not read as an answer."""
    FALSE_MARK = "false-mark"
    """2) a bubble not matching the answer code, filled less than 50 %, was read as an answer."""
    DEFECT = "defect"
    """3) an unfilled bubble was read as an answer because the sheet is defective."""


@dataclass(frozen=True)
class DisputedTask:
    subject: str
    """The answer key's subject code (a profile slot under the chosen profile subject)."""
    task: int
    ground: Ground
    claimed: str = ""
    """The option letters the applicant names as right (grounds key-mismatch, several-right)."""
    marks: str = ""
    """The letters stored as marked (what was scored)."""
    correct: str = ""
    """The letters of the answer code."""
    points: int = 0
    """The points the task scored before the appeal."""
    max_points: int = 1
    fills: Mapping[str, float] = field(default_factory=dict)
    """Technical: the measured fill of each option's bubble on the test-day image (0–1)."""
    appeal_fills: Mapping[str, float] = field(default_factory=dict)
    """Technical: the same on the fresh scan made for the appeal."""
    case: TechnicalCase | None = None
    """Technical: the case of п. 196 the local commission finds, or None (not satisfied)."""
    votes_for: int | None = None
    votes_against: int | None = None
    chair_for: bool | None = None
    """Content: the commission's vote (п. 194); the chair's vote decides a tie."""
    proposed_points: int | None = None
    """The local commission's proposal for the task's points after the appeal (п. 195)."""
    decision: TaskDecision = TaskDecision.PENDING
    """The Republican commission's decision (or «не удовлетворено» at once for a right answer, п. 197)."""
    decided_points: int | None = None


@dataclass(frozen=True)
class AppealRecord:
    number: int
    """The journal's registration number (прил. 17 Правил), per stream."""
    stream: int
    ikt: str
    application_id: int
    room_number: str
    kind: AppealKind
    received_at: datetime
    received_by: str
    """The Ministry representative who took it (п. 186)."""
    chair: str
    """The appeal commission chair in whose presence it was entered (п. 200). Personal data: never logged."""
    state: AppealState
    variant: str
    subjects: tuple[str, ...]
    """The profile subjects as scored: the appeal cannot change them or the variant (п. 193)."""
    tasks: tuple[DisputedTask, ...]


def _task(item: DisputedTask) -> dict[str, Any]:
    return {
        "subject": item.subject, "task": item.task, "ground": item.ground.value, "claimed": item.claimed,
        "marks": item.marks, "correct": item.correct, "points": item.points, "max_points": item.max_points,
        "fills": dict(item.fills), "appeal_fills": dict(item.appeal_fills),
        "case": None if item.case is None else item.case.value,
        "votes": None if item.votes_for is None else {"for": item.votes_for, "against": item.votes_against,
                                                      "chair_for": item.chair_for},
        "proposed_points": item.proposed_points, "decision": item.decision.value,
    }


def appeals_payload(site_code: str, stream: int, records: Sequence[AppealRecord],
                    images: Mapping[int, Mapping[str, str]],
                    tested: Mapping[int, Sequence[str]] | None = None) -> dict[str, Any]:
    """The ``appeals`` package's payload (п. 203.1, 204.1): every application of the stream, no names.

    ``images[number]`` names a technical appeal's attachments: ``{"test_day": NAME, "appeal": NAME}``
    (the test-day image and the fresh scan, п. 204.4). ``tested[number]``: every subject the applicant was scored
    in, the common ones too (НЦТ takes a disputed task of these only); without it, the chosen profile subjects."""
    tested = tested or {}
    return {
        "format": APPEALS_FORMAT, "site_code": site_code, "stream": stream,
        "appeals": [
            {"number": record.number, "ikt": record.ikt, "kind": record.kind.value, "room": record.room_number,
             "received_at": record.received_at.isoformat(), "state": record.state.value, "variant": record.variant,
             "subjects": list(tested.get(record.number, record.subjects)),
             "tasks": [_task(item) for item in record.tasks], "images": dict(images.get(record.number, {}))}
            for record in sorted(records, key=lambda record: record.number)
        ],
    }


@dataclass(frozen=True)
class RepublicanDecision:
    """One task's final decision (п. 205)."""

    number: int
    ikt: str
    subject: str
    task: int
    decision: TaskDecision
    points: int
    """The task's points after the decision (unchanged when not satisfied)."""
    note: str = ""


def decisions_payload(site_code: str, stream: int, decisions: Sequence[RepublicanDecision]) -> dict[str, Any]:
    """The ``appeal-decisions`` package's payload (п. 203.12, 204.12)."""
    return {
        "format": DECISIONS_FORMAT, "site_code": site_code, "stream": stream,
        "decisions": [
            {"number": item.number, "ikt": item.ikt, "subject": item.subject, "task": item.task,
             "decision": item.decision.value, "points": item.points, "note": item.note}
            for item in sorted(decisions, key=lambda item: (item.number, item.subject, item.task))
        ],
    }


@dataclass(frozen=True)
class ScoreChange:
    """A task's points changed by an appeal decision: who, when, on which decision (the old score stays)."""

    ikt: str
    subject: str
    task: int
    before: int
    after: int
    appeal_number: int
    decided_by: str
    """``republican-commission`` and the package id it came in."""
    applied_at: datetime
    applied_by: str


def final_results_payload(site_code: str, stream: int, exam_date: str, rows: Sequence[ResultRow],
                          changes: Sequence[ScoreChange]) -> dict[str, Any]:
    """The ``final-results`` package's payload (п. 206): the results with appeal (the ``results`` shape) and
    every change the appeals made."""
    payload = results_payload(site_code, stream, exam_date, rows)
    payload["format"] = FINAL_RESULTS_FORMAT
    payload["changes"] = [
        {"ikt": change.ikt, "subject": change.subject, "task": change.task, "before": change.before,
         "after": change.after, "appeal": change.appeal_number, "decided_by": change.decided_by,
         "applied_at": change.applied_at.isoformat()}
        for change in sorted(changes, key=lambda change: (change.ikt, change.subject, change.task))
    ]
    return payload
