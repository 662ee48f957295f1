"""The answer analysis card (прил. 39) of an appellant: every task, and the disputed ones' fills and crops."""

from __future__ import annotations

import io
import subprocess
from datetime import date
from pathlib import Path

import pytest
from appeal_support import answered, appeal_records, between, crop_png, flat_text, scored_rows
from PIL import Image
from statement_support import spec

from arm_programmer.appeal_card import analysis_card_pdf
from arm_programmer.appeal_records import AppealRecord
from arm_programmer.results import ResultRow
from common.errors import Refused

FACTS = {"site_code": "017", "site_name": "Назарбаев университеті", "exam_date": date(2027, 6, 20)}


@pytest.fixture(scope="module")
def rows() -> list[ResultRow]:
    return scored_rows()


@pytest.fixture(scope="module")
def records(rows: list[ResultRow]) -> list[AppealRecord]:
    return appeal_records(rows)


def card(records: list[AppealRecord], rows: list[ResultRow], number: int, language: str,
         with_crops: bool = True) -> bytes:
    record = records[number - 1]
    row = next(row for row in rows if row.ikt == record.ikt)
    crops = {(item.subject, item.task): crop_png() for item in record.tasks} if with_crops else {}
    return analysis_card_pdf(record, row, answered(row, records), crops, spec=spec(), language=language, **FACTS).pdf


def test_a_technical_card_shows_every_task_and_both_fills_against_the_half_rule(
        rows: list[ResultRow], records: list[AppealRecord], tmp_path: Path) -> None:
    text = flat_text(card(records, rows, 1, "ru"), tmp_path / "card.pdf")
    assert "Приложение 39 к Инструкции" in text and "Карта анализа ответов" in text
    assert records[0].ikt in text and rows[0].full_name in text and "по техническим причинам" in text
    assert text.count("Задание 1 2 3 4 5 6 ") == len(rows[0].subjects)  # a grid per tested subject
    assert text.count("Задание 21 22 ") == 2 and " 39 40 Отметки" in text  # the two profile subjects: 40 tasks
    disputed = between(text, "Оспариваемые задания", "Председатель апелляционной комиссии")
    assert "История Казахстана, № 7" in disputed
    assert "Отметки: –; код ответа: C; баллы: 0 из 1" in disputed
    assert "Закрашенность в день тестирования" in disputed
    assert "Закрашенность при сканировании для апелляции" in disputed
    # option C: 63 % on the test day, 71 % on the fresh scan — both marked by п. 196; D: 3 % and 2 %, not
    assert "C ✓ 63 % отмечено 71 % отмечено" in disputed
    assert "D 3 % не отмечено 2 % не отмечено" in disputed
    assert "Омаров Бақыт" in text and "Форма этого бланка не дана Инструкцией" in text


def test_the_disputed_task_is_marked_in_the_grid_and_its_crop_is_drawn(
        rows: list[ResultRow], records: list[AppealRecord], tmp_path: Path) -> None:
    with_crop = card(records, rows, 1, "kk")
    text = flat_text(with_crop, tmp_path / "card.pdf")
    assert "Жауаптарды талдау картасы" in text and "39-қосымша" in text
    assert " 7* " in text  # the disputed task's number in its subject's grid
    assert "Тестілеу күнгі боялуы" in text and "белгіленді" in text.lower()
    images = subprocess.run(["pdfimages", "-list", str(tmp_path / "card.pdf")], capture_output=True, text=True,
                            check=True).stdout
    without = tmp_path / "bare.pdf"
    without.write_bytes(card(records, rows, 1, "kk", with_crops=False))
    bare = subprocess.run(["pdfimages", "-list", str(without)], capture_output=True, text=True, check=True).stdout
    assert len(images.splitlines()) == len(bare.splitlines()) + 1  # the crop, and nothing else, is the difference


def test_a_content_card_has_no_appeal_scan_column_and_names_the_claimed_answer(
        rows: list[ResultRow], records: list[AppealRecord], tmp_path: Path) -> None:
    text = flat_text(card(records, rows, 4, "ru"), tmp_path / "card.pdf")
    assert "по содержанию тестовых заданий" in text
    assert "указано поступающим: AC" in text and "баллы: 0 из 2" in text
    assert "Закрашенность при сканировании для апелляции" not in text
    assert " 5* " in text and " 31* " in text


def test_the_card_of_one_applicant_with_another_s_row_is_refused(rows: list[ResultRow],
                                                                  records: list[AppealRecord]) -> None:
    with pytest.raises(Refused, match=r"\b1\b"):
        analysis_card_pdf(records[0], rows[1], [], {}, spec=spec(), language="en", **FACTS)


def test_a_tall_crop_is_drawn_whole_on_the_page(rows: list[ResultRow], records: list[AppealRecord],
                                                tmp_path: Path) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (200, 2000), "white").save(buffer, format="PNG")
    record = records[0]
    row = next(row for row in rows if row.ikt == record.ikt)
    crops = {(item.subject, item.task): buffer.getvalue() for item in record.tasks}
    built = analysis_card_pdf(record, row, answered(row, records), crops, spec=spec(), language="ru", **FACTS)
    assert built.pages <= 3  # a 1:10 picture is scaled to 90 mm high, not 1.2 m
