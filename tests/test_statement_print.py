"""The statement without appeal (прил. 4) printed in four copies, kk and ru: columns, order, notes, summaries."""

from __future__ import annotations

import dataclasses
import time
from datetime import date
from pathlib import Path

import pytest
from pdf_support import pdf_text
from statement_support import result_rows, signer, spec

from arm_programmer.results import ResultRow, ResultStatus
from arm_programmer.statement import statement_pdf, summarize
from arm_programmer.statement_seal import statement_order
from common.errors import Refused


def build(rows: list[ResultRow], tmp_path: Path, language: str, copies: int = 4) -> str:
    path = tmp_path / f"statement_{language}.pdf"
    path.write_bytes(statement_pdf(rows, spec=spec(), site_code="017", site_name="Назарбаев университеті", stream=2,
                                   exam_date=date(2027, 6, 20), language=language, signer=signer(), copies=copies).pdf)
    return pdf_text(path)


@pytest.fixture(scope="module")
def rows() -> list[ResultRow]:
    return result_rows(120)


def test_four_copies_each_marked_with_its_destination(rows: list[ResultRow], tmp_path: Path) -> None:
    text = build(rows, tmp_path, "ru")
    pages = [page for page in text.split("\f") if page.strip()]
    destinations = ["вывешивается для общего обозрения", "для представителя Министерства",
                    "для председателя апелляционной комиссии", "остается в ППЕНТ"]
    for number, destination in enumerate(destinations, start=1):
        marked = [page for page in pages if f"Экземпляр {number} из 4: {destination}" in page]
        assert marked and "Приложение 4" in marked[0]
        assert "Экзаменационная ведомость ЕНТ без учета апелляции" in marked[0]
        assert "М.П." in marked[-1] and "Председатель государственной комиссии" in marked[-1]
        assert "печатью ВУЗа" in "".join(marked)
    assert sum(1 for page in pages if "Экземпляр" in page) == len(pages)  # every page names its copy
    assert text.count("Приложение 4") == 4


def test_every_applicant_once_per_copy_in_the_kazakh_alphabet_order(rows: list[ResultRow], tmp_path: Path) -> None:
    text = build(rows, tmp_path, "kk", copies=1)
    ordered = statement_order(rows)
    places = [text.index(row.ikt) for row in ordered]
    assert places == sorted(places)
    assert all(text.count(row.ikt) == 1 for row in rows)
    # Ә comes after А and before Б, whatever the code points say
    surnames = [row.surname for row in ordered]
    assert surnames.index("Әбенов") > max(i for i, s in enumerate(surnames) if s == "Ахметова")
    assert surnames.index("Әбенов") < surnames.index("Бекова")


def line_of(text: str, ikt: str) -> str:
    return next(line for line in text.splitlines() if ikt in line)


def test_a_row_shows_its_points_profile_codes_total_and_note(rows: list[ResultRow], tmp_path: Path) -> None:
    text = build(rows, tmp_path, "ru", copies=1)
    scored = next(row for row in rows if row.status is ResultStatus.SCORED and not row.creative)
    line = line_of(text, scored.ikt)
    first, second = scored.subjects[3], scored.subjects[4]
    assert f"{first.code}: {first.points}" in line and f"{second.code}: {second.points}" in line
    assert line.split()[-1] == str(scored.total)
    assert scored.room_number in line and scored.school_code in line and str(scored.variant) in line
    for status, note in ((ResultStatus.ABSENT, "Не явился"), (ResultStatus.ANNULLED, "Аннулирован"),
                         (ResultStatus.NOT_ADMITTED, "Не допущен")):
        row = next(row for row in rows if row.status is status)
        assert line_of(text, row.ikt).rstrip().endswith(note)
    creative = next(row for row in rows if row.creative)
    assert "Творческий экзамен" in line_of(text, creative.ikt)
    assert "Профильные предметы: 01 — Математика" in text


def test_the_summaries_count_and_average(rows: list[ResultRow], tmp_path: Path) -> None:
    stream = summarize(rows, spec())
    assert stream.seated == len(rows)
    assert stream.scored + stream.absent + stream.annulled + stream.not_admitted == len(rows)
    totals = [row.total for row in rows if row.status is ResultStatus.SCORED and not row.creative]
    assert stream.highest_total == max(totals)
    assert stream.average_total == pytest.approx(sum(totals) / len(totals))
    history = [row.subjects[0].points for row in rows if row.status is ResultStatus.SCORED]
    assert stream.subject_averages["history_kz"] == pytest.approx(sum(history) / len(history))
    text = build(rows, tmp_path, "ru", copies=1)
    assert "Итоги по аудиториям и по потоку" in text and "Предметы потока" in text
    stream_line = next(line for line in text.splitlines() if line.strip().startswith("Поток ")
                       and str(len(rows)) in line)
    assert stream_line.split()[1:7] == [str(value) for value in (stream.seated, stream.scored, stream.absent,
                                                                  stream.annulled, stream.not_admitted,
                                                                  stream.creative)]
    room = [row for row in rows if row.room_number == "103"]
    room_line = next(line for line in text.splitlines() if line.strip().startswith("103 ") and
                     line.split()[1] == str(len(room)))
    assert room_line.split()[2] == str(summarize(room, spec()).scored)


def test_a_statement_of_no_scored_applicant_still_prints(tmp_path: Path) -> None:
    absent = [dataclasses.replace(row, status=ResultStatus.ABSENT, subjects=(), total=None, max_total=None)
              for row in result_rows(5)]
    text = build(absent, tmp_path, "kk", copies=1)
    assert text.count("Келмеді") == 5


def test_five_copies_are_refused(rows: list[ResultRow]) -> None:
    with pytest.raises(Refused):
        statement_pdf(rows, spec=spec(), site_code="017", site_name="x", stream=2, exam_date=date(2027, 6, 20),
                      language="ru", signer=signer(), copies=5)


def test_three_thousand_applicants_build_in_time_and_stay_legible(tmp_path: Path) -> None:
    many = result_rows(3000, rooms=25)
    started = time.perf_counter()
    pdf = statement_pdf(many, spec=spec(), site_code="017", site_name="x", stream=2, exam_date=date(2027, 6, 20),
                        language="ru", signer=signer(), copies=4).pdf
    assert time.perf_counter() - started < 20
    path = tmp_path / "many.pdf"
    path.write_bytes(pdf)
    text = pdf_text(path)
    assert all(text.count(row.ikt) == 4 for row in many[::97])


def test_the_kazakh_statement_names_its_columns_in_kazakh(rows: list[ResultRow], tmp_path: Path) -> None:
    text = build(rows[:10], tmp_path, "kk", copies=1)
    for title in ("ТЖК", "Тегі, аты, әкесінің аты", "Мектеп", "Қазақстан", "М.О."):
        assert title in text
    assert "180-тармақ" in text and "п. 180" not in text
