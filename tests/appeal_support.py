"""Appeal records of a stream for the appeal prints' tests: varied, no database.

Application 1 — technical, read-as-empty, satisfied by the Republican commission (+1 point);
application 2 — content, the answer was right: «не удовлетворено» at once (п. 197);
application 3 — content, a no-show (п. 192);
application 4 — content on two subjects, voted 3:3 with the chair for, satisfied (+1 and +2);
application 5 — technical, defective sheet, still before the decision (registered).
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from pathlib import Path

from pdf_support import pdf_text
from PIL import Image, ImageDraw
from statement_support import result_rows

from arm_programmer.appeal_card import AnsweredTask
from arm_programmer.appeal_records import (
    AppealKind,
    AppealRecord,
    AppealState,
    DisputedTask,
    ScoreChange,
    TaskDecision,
    TechnicalCase,
)
from arm_programmer.results import ResultRow, ResultStatus
from common.codebook import AppealGround as Ground

RECEIVED = datetime(2027, 6, 21, 10, 15)
DECIDED = datetime(2027, 6, 22, 16, 40)


def scored_rows(count: int = 40) -> list[ResultRow]:
    return [row for row in result_rows(count) if row.status is ResultStatus.SCORED and not row.creative]


def appeal_records(rows: list[ResultRow]) -> list[AppealRecord]:
    """Five applications of stream 2 by the first five scored applicants of ``rows``."""
    people = rows[:5]

    def record(number: int, kind: AppealKind, state: AppealState, tasks: tuple[DisputedTask, ...]) -> AppealRecord:
        row = people[number - 1]
        return AppealRecord(
            number=number, stream=2, ikt=row.ikt, application_id=row.application_id, room_number=row.room_number,
            kind=kind, received_at=RECEIVED.replace(minute=10 + number), received_by="Сапарова Гүлнар",
            chair="Омаров Бақыт", state=state, variant=row.variant or "0001",
            subjects=tuple(item.code for item in row.subjects), tasks=tasks)

    first = people[0].subjects
    return [
        record(1, AppealKind.TECHNICAL, AppealState.DECIDED, (
            DisputedTask(subject=first[0].code, task=7, ground=Ground.READ_AS_EMPTY, marks="", correct="C", points=0,
                         fills={"A": 0.02, "B": 0.04, "C": 0.63, "D": 0.03}, appeal_fills={"A": 0.01, "B": 0.03,
                                                                                             "C": 0.71, "D": 0.02},
                         case=TechnicalCase.UNREAD_MARK, proposed_points=1, decision=TaskDecision.SATISFIED,
                         decided_points=1),)),
        record(2, AppealKind.CONTENT, AppealState.DECIDED, (
            DisputedTask(subject=people[1].subjects[1].code, task=3, ground=Ground.NO_RIGHT_ANSWER, marks="B",
                         correct="B", points=1, decision=TaskDecision.NOT_SATISFIED, decided_points=1),)),
        record(3, AppealKind.CONTENT, AppealState.NO_SHOW, (
            DisputedTask(subject=people[2].subjects[0].code, task=12, ground=Ground.INCORRECT_TASK, marks="A",
                         correct="D"),)),
        record(4, AppealKind.CONTENT, AppealState.DECIDED, (
            DisputedTask(subject=people[3].subjects[0].code, task=5, ground=Ground.KEY_MISMATCH, claimed="A",
                         marks="A", correct="B", votes_for=3, votes_against=3, chair_for=True, proposed_points=1,
                         decision=TaskDecision.SATISFIED, decided_points=1),
            DisputedTask(subject=people[3].subjects[3].code, task=31, ground=Ground.SEVERAL_RIGHT, claimed="AC",
                         marks="AC", correct="A", points=0, max_points=2, votes_for=5, votes_against=1,
                         chair_for=True, proposed_points=2, decision=TaskDecision.SATISFIED, decided_points=2))),
        record(5, AppealKind.TECHNICAL, AppealState.REGISTERED, (
            DisputedTask(subject=people[4].subjects[2].code, task=9, ground=Ground.DEFECTIVE_SHEET, marks="AD",
                         correct="D", fills={"A": 0.41, "B": 0.05, "C": 0.04, "D": 0.88},
                         appeal_fills={"A": 0.12, "B": 0.03, "C": 0.02, "D": 0.86}, case=TechnicalCase.DEFECT,
                         proposed_points=1),)),
    ]


def score_changes(records: list[AppealRecord]) -> list[ScoreChange]:
    """The changes the satisfied tasks made."""
    return [ScoreChange(ikt=record.ikt, subject=item.subject, task=item.task, before=item.points,
                        after=item.decided_points or 0, appeal_number=record.number,
                        decided_by="republican-commission NCT-2027-0042", applied_at=DECIDED,
                        applied_by="programmer")
            for record in records for item in record.tasks
            if item.decision is TaskDecision.SATISFIED and item.decided_points != item.points]


def crop_png(label: str = "C") -> bytes:
    """A small picture standing in for an ``explain`` crop."""
    picture = Image.new("RGB", (240, 60), "white")
    draw = ImageDraw.Draw(picture)
    for index, letter in enumerate("ABCD"):
        box = (10 + index * 55, 15, 40 + index * 55, 45)
        draw.ellipse(box, outline=(20, 150, 40) if letter == label else (60, 110, 200), width=3)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def answered(row: ResultRow, records: list[AppealRecord]) -> list[AnsweredTask]:
    """Every task of ``row``'s subjects (forty of a profile subject, one a point of the others), the disputed ones
    as their record says."""
    disputed = {(item.subject, item.task): item for record in records if record.ikt == row.ikt
                for item in record.tasks}
    tasks = []
    for subject in row.subjects:
        for number in range(1, (40 if subject.max_points == 50 else subject.max_points) + 1):
            item = disputed.get((subject.code, number))
            if item is not None:
                tasks.append(AnsweredTask(subject.code, number, item.marks, item.correct, item.points))
            else:
                right = "ABCD"[number % 4]
                marks = right if number % 3 else "ABCD"[(number + 1) % 4]
                tasks.append(AnsweredTask(subject.code, number, marks, right, int(marks == right)))
    return tasks


def flat_text(pdf: bytes, path: Path) -> str:
    """The PDF's text in reading order of its content (a wrapped cell's lines together), whitespace as one space."""
    path.write_bytes(pdf)
    return re.sub(r"\s+", " ", pdf_text(path, raw=True))


def between(text: str, start: str, end: str | None) -> str:
    """The text from the first ``start`` to the next ``end`` after it (or to the end)."""
    first = text.index(start)
    last = text.index(end, first) if end is not None else len(text)
    return text[first:last]
