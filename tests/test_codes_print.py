"""The answer codes (прил. 9) printed in two copies, kk and ru, for the ЕНТ 2018 specification."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
from pdf_support import pdf_text

from arm_programmer.codes_print import codes_pdf
from common.errors import Refused
from common.testspec import random_answer_key, shipped_spec

SPEC = shipped_spec("ent2018")
KEY = random_answer_key(SPEC, seed=5)


def build(tmp_path: Path, language: str, **kwargs: object) -> Path:
    path = tmp_path / f"codes_{language}.pdf"
    path.write_bytes(codes_pdf(SPEC, KEY, site_code="017", site_name="Назарбаев университеті", stream=2,
                               exam_date=date(2027, 6, 20), language=language, **kwargs).pdf)  # type: ignore[arg-type]
    return path


def pages(path: Path) -> list[str]:
    return pdf_text(path).split("\f")


def test_two_copies_each_marked_with_its_purpose_on_every_page(tmp_path: Path) -> None:
    printed = [page for page in pages(build(tmp_path, "ru")) if page.strip()]
    first = [page for page in printed if "Экземпляр 1 из 2: вывешивается для общего обозрения" in page]
    second = [page for page in printed if "Экземпляр 2 из 2: для апелляционной комиссии" in page]
    assert first and second and len(first) == len(second) and len(first) + len(second) == len(printed)
    assert all("Приложение 9" in copy[0] and "Коды правильных ответов" in copy[0] for copy in (first, second))
    for copy in (first, second):
        text = "".join(copy)
        for role in ("Председатель государственной комиссии", "Представитель ДКНБ", "Представитель Министерства"):
            assert text.count(role) == 1


def test_every_variant_subject_and_right_letter_is_printed(tmp_path: Path) -> None:
    text = pdf_text(build(tmp_path, "ru", copies=1))
    assert all(text.count(f"Вариант {variant}") == 1 for variant in SPEC.variants)
    variant = SPEC.variants[3]
    block = text.split(f"Вариант {variant}")[1].split("Вариант ")[0]
    lines = {line.split("  ")[0].strip(): line.split() for line in block.splitlines() if line.strip()}
    history = KEY.variants[variant]["history_kz"]
    assert lines["История Казахстана"][2:] == ["".join(sorted(history[task])) for task in sorted(history)]
    physics = KEY.variants[variant]["02"]
    assert lines["02 Физика"][2:] == ["".join(sorted(physics[task])) for task in sorted(physics)]
    assert any(len(letters) > 1 for letters in lines["02 Физика"][2:])  # multiple-answer tasks: several letters


def test_kazakh_names_and_copies(tmp_path: Path) -> None:
    text = pdf_text(build(tmp_path, "kk"))
    assert "9-қосымша" in text
    assert "2 данадан 1-данасы: жалпы назарға ілінеді" in text
    assert "2 данадан 2-данасы: апелляциялық комиссия үшін" in text
    assert "Қазақстан тарихы" in text and "01 Математика" in text
    assert f"{SPEC.variants[0]} нұсқа" in text


def test_the_pages_stay_readable(tmp_path: Path) -> None:
    """Landscape A4, two variants' tables to a page at most, 12 variants × 17 subjects × 30 tasks."""
    path = build(tmp_path, "kk")
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "841.89 x 595.276" in info
    count = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
    assert 2 * len(SPEC.variants) / 2 <= count <= 2 * len(SPEC.variants)


def test_a_key_of_another_specification_or_three_copies_is_refused() -> None:
    other = random_answer_key(shipped_spec("kt"))
    with pytest.raises(Refused):
        codes_pdf(SPEC, other, site_code="017", site_name="x", stream=1, exam_date=date(2027, 6, 20), language="ru")
    with pytest.raises(Refused):
        codes_pdf(SPEC, KEY, site_code="017", site_name="x", stream=1, exam_date=date(2027, 6, 20), language="ru",
                  copies=3)
