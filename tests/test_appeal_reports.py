"""The programmer's report (прил. 25) and the appeal report's forms (прил. 26 by stream, 27 by subject and
ground), counted from appeal records and result rows."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest
from appeal_support import appeal_records, between, flat_text, score_changes, scored_rows
from statement_support import result_rows, spec

from arm_programmer.appeal_records import AppealRecord, ScoreChange
from arm_programmer.appeal_reports import (
    appeal_counts,
    appeal_report_pdf,
    appeal_tasks_report_pdf,
    programmer_report_pdf,
)
from arm_programmer.results import ResultRow, ResultStatus

FACTS = {"site_code": "017", "site_name": "Назарбаев университеті", "exam_date": date(2027, 6, 20)}


@pytest.fixture(scope="module")
def records() -> list[AppealRecord]:
    return appeal_records(scored_rows())


@pytest.fixture(scope="module")
def changes(records: list[AppealRecord]) -> list[ScoreChange]:
    return score_changes(records)


def test_the_counts_of_a_stream(records: list[AppealRecord], changes: list[ScoreChange]) -> None:
    counts = appeal_counts(records, changes)
    assert (counts.applications, counts.content, counts.technical) == (5, 3, 2)
    assert (counts.no_show, counts.decided, counts.registered) == (1, 3, 1)
    # the no-show's task is not considered; application 5's task is still pending
    assert (counts.tasks, counts.satisfied, counts.not_satisfied) == (5, 3, 1)
    assert (counts.points_added, counts.changed) == (4, 2)


def test_the_programmer_report(records: list[AppealRecord], changes: list[ScoreChange], tmp_path: Path) -> None:
    rows: list[ResultRow] = result_rows(40)
    other = [dataclasses.replace(record, stream=3, number=record.number + 10) for record in records]
    text = flat_text(programmer_report_pdf(rows, records + other, changes, stream=2, language="ru", **FACTS).pdf,
                     tmp_path / "r25.pdf")
    assert "Приложение 25 к Инструкции" in text and "Отчет программиста Министерства" in text
    def count(status: ResultStatus) -> int:
        return sum(1 for row in rows if row.status is status)

    assert between(text, "Тестирование", "Апелляция") == (
        f"Тестирование Рассажено {len(rows)} Оценено {count(ResultStatus.SCORED)} Не явился "
        f"{count(ResultStatus.ABSENT)} Аннулирован {count(ResultStatus.ANNULLED)} Не допущен "
        f"{count(ResultStatus.NOT_ADMITTED)} ")
    appeal = between(text, "Апелляция", "Форма этого бланка")
    assert "Подано заявлений на апелляцию 5 " in appeal and "по техническим причинам 2 " in appeal
    assert "Удовлетворено 3 " in appeal and "Не удовлетворено 1 " in appeal
    assert "Добавлено баллов по апелляции 4 " in appeal and "Поступающих, у которых изменился общий балл 2" in appeal
    assert "Программист Министерства" in text and "Представитель Министерства" in text


def test_the_appeal_report_by_stream_lists_the_attachments(records: list[AppealRecord], changes: list[ScoreChange],
                                                           tmp_path: Path) -> None:
    other = [dataclasses.replace(record, stream=3, number=record.number + 10) for record in records[:2]]
    text = flat_text(appeal_report_pdf(records + other, changes, language="kk", chair="Омаров Бақыт", **FACTS).pdf,
                     tmp_path / "r26.pdf")
    assert "26-қосымша" in text and "Апелляция қорытындысы бойынша есеп" in text
    assert " 2 5 3 2 1 3 5 3 1 4 2 " in text  # stream 2
    assert " 3 2 1 1 0 2 2 1 1 0 0 " in text  # stream 3: its changes are not stream 2's
    assert "Барлығы 7 4 3 1 5 7 4 2 4 2" in text
    assert "Қағидалардың 17-қосымшасы" in text and "(39-қосымша)" in text and "10) " in text
    assert "Омаров Бақыт" in text


def test_the_appeal_report_by_subject_and_ground(records: list[AppealRecord], changes: list[ScoreChange],
                                                 tmp_path: Path) -> None:
    text = flat_text(appeal_tasks_report_pdf(records, changes, spec=spec(), language="ru", **FACTS).pdf,
                     tmp_path / "r27.pdf")
    assert "Приложение 27" in text and "Отчет по итогам апелляции по предметам и основаниям" in text
    assert "считан сканером как пустой (п. 195) 1 1 0 1" in text
    assert "(указываются все) (п. 195) 1 1 0 2" in text
    assert "отсутствует правильный ответ (п. 195) 1 0 1 0" in text
    assert "некорректно составленное" not in text  # the no-show's task is not counted
    assert "Всего 5 3 1 4" in text
