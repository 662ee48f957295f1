"""The rules the appeals apply, without a workstation: the deadline of п. 185 in the workstation's zone, the three
cases of п. 196 on measured fills, and a decided task's points carried into the subject's and the sheet's totals."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from arm_programmer.appeal_exchange import rescore_row
from arm_programmer.appeal_records import TechnicalCase
from arm_programmer.appeals import deadline, parse_claim, technical_case
from common.codebook import AppealGround
from common.db.score_models import SheetScoreRow
from common.errors import Refused
from common.i18n import set_language


@pytest.fixture
def almaty(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Asia/Almaty")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_deadline_is_13_00_local_time_of_the_next_day(almaty: None) -> None:
    afternoon = datetime(2026, 6, 20, 10, 0, tzinfo=UTC)  # 15:00 in Almaty (UTC+5)
    assert deadline(afternoon) == datetime(2026, 6, 21, 8, 0, tzinfo=UTC)
    after_midnight = datetime(2026, 6, 20, 20, 0, tzinfo=UTC)  # 01:00 of the 21st in Almaty
    assert deadline(after_midnight) == datetime(2026, 6, 22, 8, 0, tzinfo=UTC)
    assert deadline(afternoon).astimezone().strftime("%d.%m.%Y %H:%M") == "21.06.2026 13:00"


@pytest.mark.parametrize(("marks", "correct", "fills", "defect", "case"), [
    ("", "B", {"A": 0.02, "B": 0.62, "C": 0.0}, False, TechnicalCase.UNREAD_MARK),
    ("", "B", {"A": 0.02, "B": 0.5, "C": 0.0}, False, TechnicalCase.UNREAD_MARK),  # half filled is marked
    ("", "B", {"A": 0.02, "B": 0.49, "C": 0.0}, False, None),
    ("AB", "B", {"A": 0.3, "B": 0.9}, False, TechnicalCase.FALSE_MARK),
    ("AB", "B", {"A": 0.7, "B": 0.9}, False, None),  # two bubbles truly marked: read right
    ("B", "B", {"A": 0.0, "B": 0.1}, True, TechnicalCase.DEFECT),
    ("B", "B", {"A": 0.0, "B": 0.1}, False, None),  # not found defective: not satisfied
])
def test_the_three_cases_of_p196(marks: str, correct: str, fills: dict[str, float], defect: bool,
                                 case: TechnicalCase | None) -> None:
    assert technical_case(marks, correct, fills, defect) is case


def test_a_decided_task_moves_its_subjects_and_the_sheets_totals() -> None:
    row = SheetScoreRow(per_task={"math_literacy": [0, 1, 1], "history_kz": [1, 0]},
                        per_subject=[["history_kz", 1, 2], ["math_literacy", 2, 3]], total=3, max_total=5)
    rescore_row(row, "math_literacy", 1, 1)
    assert row.per_task["math_literacy"] == [1, 1, 1]
    assert row.per_subject == [["history_kz", 1, 2], ["math_literacy", 3, 3]] and row.total == 4


def test_a_disputed_task_is_parsed_with_its_ground() -> None:
    set_language("en")
    claim = parse_claim("history_kz:7:key-mismatch:c")
    assert (claim.subject, claim.task, claim.ground, claim.claimed) == ("history_kz", 7, AppealGround.KEY_MISMATCH,
                                                                        "C")
    with pytest.raises(Refused, match="is not SUBJECT:TASK:GROUND"):
        parse_claim("history_kz:7:wrong-ground")
