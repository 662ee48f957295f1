"""The statement with appeal (прил. 3, п. 206.3): the statement's machinery, two copies, the changed totals marked,
every page sealed."""

from __future__ import annotations

import dataclasses
import subprocess
from datetime import date
from pathlib import Path

import pytest
from appeal_support import appeal_records, flat_text, score_changes, scored_rows
from pdf_support import pdf_text
from statement_support import result_rows, signer, spec

from arm_programmer.appeal_records import ScoreChange
from arm_programmer.results import ResultRow
from arm_programmer.statement import WITH_APPEAL, appeal_moves, statement_pdf
from arm_programmer.statement_seal import check_page, read_qr, read_seal
from common.errors import Refused

EXAM_DATE = date(2027, 6, 20)
FACTS = {"site_code": "017", "site_name": "Назарбаев университеті", "stream": 2, "exam_date": EXAM_DATE}


@pytest.fixture(scope="module")
def changes() -> list[ScoreChange]:
    return score_changes(appeal_records(scored_rows(40)))


@pytest.fixture(scope="module")
def rows(changes: list[ScoreChange]) -> list[ResultRow]:
    """The stream's rows as the appeal left them: the changed totals raised."""
    moved = appeal_moves(changes)
    return [dataclasses.replace(row, total=row.total + moved[row.ikt]) if row.ikt in moved and row.total is not None
            else row for row in result_rows(40)]


def line_of(text: str, ikt: str) -> str:
    return next(line for line in text.splitlines() if ikt in line)


def test_two_copies_for_the_ministry_and_the_files_with_the_changed_totals(
        rows: list[ResultRow], changes: list[ScoreChange], tmp_path: Path) -> None:
    path = tmp_path / "st3.pdf"
    path.write_bytes(statement_pdf(rows, spec=spec(), language="ru", signer=signer(), form=WITH_APPEAL,
                                   changes=changes, **FACTS).pdf)
    text = pdf_text(path)
    pages = [page for page in text.split("\f") if page.strip()]
    assert text.count("Приложение 3\n") == 2 and "Приложение 4" not in text
    assert "Экзаменационная ведомость итогов ЕНТ с учетом апелляции" in text
    first = [page for page in pages if "Экземпляр 1 из 2: передается представителю Министерства после подписания"
             in page]
    second = [page for page in pages if "Экземпляр 2 из 2: остается в делах ППЕНТ" in page]
    assert first and second and len(first) + len(second) == len(pages)
    assert "М.П." in first[-1] and "М.П." in second[-1]
    flat = flat_text(path.read_bytes(), tmp_path / "again.pdf")
    assert "(п. 206.3)" in flat and "Изменено по апелляции" in flat
    moved = appeal_moves(changes)
    assert set(moved.values()) == {1, 3}
    for row in rows:
        line = line_of(first[0] if row.ikt in first[0] else "".join(first), row.ikt)
        if row.ikt in moved:
            assert f"{row.total} {row.total - moved[row.ikt]} → {row.total}" in " ".join(line.split())
        else:
            assert "→" not in line
    assert "Общий балл изменен по апелляции: 2." in flat


def test_every_page_of_the_statement_with_appeal_is_sealed(rows: list[ResultRow], changes: list[ScoreChange],
                                                            tmp_path: Path) -> None:
    path = tmp_path / "st3.pdf"
    built = statement_pdf(rows, spec=spec(), language="kk", signer=signer(), form=WITH_APPEAL, changes=changes,
                          **FACTS)
    path.write_bytes(built.pdf)
    text = flat_text(built.pdf, tmp_path / "again.pdf")
    assert "3-қосымша" in text and "Апелляцияны ескере отырып ҰБТ емтихан ведомосы" in text
    assert "Апелляция бойынша өзгерді" in text
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(path), str(tmp_path / "page")], check=True)
    scans = sorted(tmp_path.glob("page*.png"))
    assert len(scans) == built.pages
    for scan in scans:
        seal = read_seal(read_qr(scan))
        assert seal.copy in (1, 2)
        assert check_page(seal, signer().certificate, rows).ok


def test_three_copies_of_the_statement_with_appeal_are_refused(rows: list[ResultRow]) -> None:
    with pytest.raises(Refused, match="2"):
        statement_pdf(rows, spec=spec(), language="ru", signer=signer(), form=WITH_APPEAL, copies=3, **FACTS)


def test_the_statement_without_appeal_has_no_change_column(rows: list[ResultRow], changes: list[ScoreChange],
                                                            tmp_path: Path) -> None:
    text = flat_text(statement_pdf(rows, spec=spec(), language="ru", signer=signer(), copies=1, changes=changes,
                                   **FACTS).pdf, tmp_path / "st4.pdf")
    assert "Приложение 4" in text and "Изменено по апелляции" not in text and "→" not in text
