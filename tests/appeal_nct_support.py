"""A stream's appeals as the site's programmer records them, for НЦТ's tests: built with the contract's
own records (``arm_programmer.appeal_records``) and payload functions."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

from test_nct_results import result_row, stream_rows

from arm_programmer.appeal_records import (
    AppealKind,
    AppealRecord,
    AppealState,
    DisputedTask,
    ScoreChange,
    TaskDecision,
    TechnicalCase,
    appeals_payload,
    final_results_payload,
)
from common.codebook import AppealGround

RECEIVED = datetime(2027, 6, 21, 10, 0, tzinfo=UTC)


def sheet_image(fill: float, label: str) -> bytes:
    """A small grey answer-sheet fragment: five bubbles, C filled to ``fill`` (a PNG)."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (500, 160), 255)
    draw = ImageDraw.Draw(image)
    draw.text((10, 10), label, fill=0)
    for index in range(5):
        left = 40 + index * 90
        draw.ellipse((left, 60, left + 50, 110), outline=0, width=3)
        draw.text((left + 20, 120), "ABCDE"[index], fill=0)
    draw.rectangle((220, 110 - int(50 * fill), 270, 110), fill=40)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


TEST_DAY = sheet_image(0.62, "test day, sheet S00001")
APPEAL_SCAN = sheet_image(0.64, "appeal scan, sheet S00001")
ATTACHMENTS = {"appeal-1-test-day.png": TEST_DAY, "appeal-1-appeal.png": APPEAL_SCAN}


def record(number: int, kind: AppealKind, tasks: tuple[DisputedTask, ...], *,
           state: AppealState = AppealState.REGISTERED, applicant: int | None = None) -> AppealRecord:
    applicant = applicant or number
    return AppealRecord(
        number=number, stream=1, ikt=f"{100000000 + applicant}", application_id=applicant, room_number="01",
        kind=kind, received_at=RECEIVED, received_by="Представитель МНВО", chair="Председатель Апелляционной",
        state=state, variant="0101", subjects=("HKZ", "MLIT", "MATH"), tasks=tasks,
    )  # fmt: skip


def technical_task() -> DisputedTask:
    """MATH 12: C filled 62 % was read as empty (п. 196, case 1): the site proposes 1 point."""
    return DisputedTask(
        subject="MATH", task=12, ground=AppealGround.READ_AS_EMPTY, marks="", correct="C", points=0, max_points=1,
        fills={"A": 0.02, "B": 0.03, "C": 0.62, "D": 0.01, "E": 0.0},
        appeal_fills={"A": 0.02, "B": 0.02, "C": 0.64, "D": 0.01, "E": 0.0},
        case=TechnicalCase.UNREAD_MARK, proposed_points=1,
    )  # fmt: skip


def stream_records() -> list[AppealRecord]:
    """Three applications of stream 1: technical (2 tasks), content (one answered right, п. 197), no-show."""
    right = DisputedTask(subject="HKZ", task=3, ground=AppealGround.KEY_MISMATCH, claimed="B", marks="A",
                         correct="A", points=1, decision=TaskDecision.NOT_SATISFIED)
    wrong = DisputedTask(subject="HKZ", task=7, ground=AppealGround.SEVERAL_RIGHT, claimed="BD", marks="B",
                         correct="D", points=0, votes_for=5, votes_against=2, chair_for=True, proposed_points=1)
    second = DisputedTask(subject="MATH", task=31, ground=AppealGround.READ_AS_SEVERAL, marks="AB", correct="A",
                          points=0, max_points=2, fills={"A": 0.71, "B": 0.38}, appeal_fills={"A": 0.7, "B": 0.36},
                          case=TechnicalCase.FALSE_MARK, proposed_points=2)
    return [
        record(1, AppealKind.TECHNICAL, (technical_task(), second)),
        record(2, AppealKind.CONTENT, (right, wrong), applicant=2),
        record(3, AppealKind.CONTENT, (DisputedTask(subject="MLIT", task=4, ground=AppealGround.INCORRECT_TASK,
                                                    marks="C", correct="D"),), state=AppealState.NO_SHOW),
    ]  # fmt: skip


IMAGES = {1: {"test_day": "appeal-1-test-day.png", "appeal": "appeal-1-appeal.png"}}


def stream_payload() -> dict[str, Any]:
    return appeals_payload("017", 1, stream_records(), IMAGES)


def final_payload() -> dict[str, Any]:
    """The results with appeal: applicant 2's HKZ 7 was satisfied (0 → 1 point), HKZ 10 → 11."""
    rows = stream_rows()
    rows[1] = result_row(2, points=(11, 5, 15))
    changes = [ScoreChange("100000002", "HKZ", 7, 0, 1, 2, "republican-commission 0001", RECEIVED, "Программист")]
    return final_results_payload("017", 1, "2027-06-20", rows, changes)
