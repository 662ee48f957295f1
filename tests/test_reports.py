"""The printed-form toolkit: what a person reading the PDF sees, in Kazakh and Russian."""

from __future__ import annotations

import hashlib
import json
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from pdf_support import pdf_text

from common.cli import CommandLine
from common.db.engine import open_engine, transaction
from common.reports import Column, FormDocument, FormHeader, Signature, printed_file_name, save_printed
from common.security.audit import AuditLog
from common.workstation import BASE_PPENT, DataFolder

KAZAKH_LETTERS = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"


def pdf_pages(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    return pdf_text(path).split("\f")[:-1]


def long_form(language: str, rows: int = 150) -> FormDocument:
    document = FormDocument(FormHeader("Тест нысаны", appendix="28", site="017 — Семей"), language,
                            printed_at=datetime(2027, 5, 1, 10, 30))
    document.heading("Мектептер")
    document.table([Column("№", 0.5, "right", wrap=False), Column("Атауы", 4), Column("Саны", 1, "right")],
                   [[n, f"Мектеп №{n} {KAZAKH_LETTERS}", n * 2] for n in range(1, rows + 1)],
                   total=["", "Барлығы", sum(n * 2 for n in range(1, rows + 1))])
    document.signatures([Signature("Басшы", "Ахметова А.")])
    return document


def test_kazakh_letters_round_trip_and_every_page_repeats_the_table_header(tmp_path: Path) -> None:
    built = long_form("kk").build()
    pages = pdf_pages(built.pdf, tmp_path)
    assert built.pages == len(pages) >= 3
    assert KAZAKH_LETTERS in pages[0]
    for page in pages:
        assert "Атауы" in page and "Саны" in page, "the header row repeats on every page"
    assert "Барлығы" in pages[-1] and str(sum(n * 2 for n in range(1, 151))) in pages[-1]


@pytest.mark.parametrize(("language", "appendix", "page_word", "stamp", "signature"), [
    ("ru", "Приложение 28", "стр. 2 из", "М.П.", "(подпись)"),
    ("kk", "28-қосымша", "2-бет, барлығы", "М.О.", "(қолы)"),
])
def test_the_toolkit_speaks_the_language_of_the_form(
    tmp_path: Path, language: str, appendix: str, page_word: str, stamp: str, signature: str
) -> None:
    built = long_form(language).build()
    pages = pdf_pages(built.pdf, tmp_path)
    assert appendix in pages[0]
    assert page_word in pages[1]
    assert pages[-1].count(stamp) == 1 and signature in pages[-1]
    assert "Ахметова А." in pages[-1]
    assert "Тест нысаны" in pages[1], "later pages carry the form's title at the top"


def test_column_titles_never_break_inside_a_word(tmp_path: Path) -> None:
    document = FormDocument(FormHeader("Ені"), "kk")
    columns = [Column("Аудитория", 0.2, wrap=False), Column("Парталар", 0.2), Column("Тілдік мәртебесі", 6)]
    document.table(columns, [["01", 15, "Қазақша"]])
    page = pdf_pages(document.build().pdf, tmp_path)[0]
    assert "Аудитория" in page and "Парталар" in page


def test_header_groups_span_their_columns(tmp_path: Path) -> None:
    document = FormDocument(FormHeader("Топтар"), "ru")
    columns = [Column("Поток"), Column("каз."), Column("рус."), Column("мест")]
    document.table(columns, [[1, 10, 20, 60]], groups=[("", 1), ("Ожидается", 2)])
    page = pdf_pages(document.build().pdf, tmp_path)[0]
    group_line = next(line for line in page.splitlines() if "Ожидается" in line)
    titles_line = next(line for line in page.splitlines() if "каз." in line)
    assert group_line.index("Ожидается") < titles_line.index("рус.") + len("рус.")
    assert "Поток" not in titles_line or "Поток" in group_line


def test_landscape_pages_are_wider_than_tall(tmp_path: Path) -> None:
    built = FormDocument(FormHeader("Альбом"), "ru", landscape_pages=True).build()
    path = tmp_path / "wide.pdf"
    path.write_bytes(built.pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    size = next(line for line in info.splitlines() if line.startswith("Page size"))
    width, height = (float(value) for value in size.split(":")[1].split("pts")[0].split("x"))
    assert width > height and round(width) == 842


def test_saved_forms_are_kept_never_overwritten_and_audited(tmp_path: Path) -> None:
    folder_path = tmp_path / "ws"
    assert CommandLine(BASE_PPENT).run(["init", "--data-dir", str(folder_path)]) == 0
    folder = DataFolder(folder_path)
    built = long_form("ru", rows=5).build()
    when = datetime(2027, 5, 1, 10, 30, 0)
    engine = open_engine(folder.database)
    try:
        with transaction(engine) as session:
            first = save_printed(folder, "app28", built, session=session, actor="Ахметова", when=when)
            second = save_printed(folder, "app28", built, session=session, actor="Ахметова", when=when)
        with transaction(engine) as session:
            assert AuditLog(folder.audit_log).verify(session).ok
    finally:
        engine.dispose()
    assert first.path != second.path and first.path.parent == folder.printed
    assert first.path.read_bytes() == built.pdf == second.path.read_bytes()
    assert first.sha256 == hashlib.sha256(built.pdf).hexdigest()
    entries = [json.loads(line) for line in folder.audit_log.read_text(encoding="utf-8").splitlines()]
    printed = [entry for entry in entries if entry["action"] == "form.printed"]
    assert [entry["target"] for entry in printed] == [first.path.name, second.path.name]
    assert printed[0]["details"]["pages"] == built.pages
    assert not list(folder.printed.glob(".*")), "no temporary files are left behind"


def test_a_failed_transaction_leaves_neither_the_file_nor_an_audit_entry(tmp_path: Path) -> None:
    folder_path = tmp_path / "ws"
    assert CommandLine(BASE_PPENT).run(["init", "--data-dir", str(folder_path)]) == 0
    folder = DataFolder(folder_path)
    before = folder.audit_log.read_text(encoding="utf-8")
    engine = open_engine(folder.database)
    try:
        with pytest.raises(RuntimeError), transaction(engine) as session:
            save_printed(folder, "app28", long_form("ru", rows=2).build(), session=session, actor="x")
            raise RuntimeError("the caller's action failed after printing")
    finally:
        engine.dispose()
    assert folder.audit_log.read_text(encoding="utf-8") == before
    assert list(folder.printed.iterdir()) == []


def test_printed_file_names_are_safe() -> None:
    name = printed_file_name("seat scheme", "kk", datetime(2027, 1, 2, 3, 4, 5), "01/02")
    assert name == "seat-scheme_01-02_kk_20270102-030405.pdf"


def test_a_crowded_table_shrinks_its_font_rather_than_break_words(tmp_path: Path) -> None:
    titles = ["Аудиториялар", "Мектептер", "барлығы", "аудиторияларда", "резервте", "жетіспейді", "Парталар",
              "Орындар", "Камералар", "құрылғылары", "Күтілетін"]
    document = FormDocument(FormHeader("Тар кесте"), "kk")
    document.table([Column(title, 1, "right") for title in titles], [[n * 11 for n in range(len(titles))]])
    text = pdf_pages(document.build().pdf, tmp_path)[0]
    assert all(title in text for title in titles)


def test_a_code_in_a_wrapping_column_is_never_broken(tmp_path: Path) -> None:
    """Slashes before digits hold a code together: its column is at least as wide as the code."""
    document = FormDocument(FormHeader("Справочник"), "ru")
    long_word = "общеобразовательная"
    document.table([Column("Код", 0.1, "center"), Column("Вид", 4)],
                   [[f"10/001/{n:04d}", f"{long_word} {n}"] for n in range(1, 6)])  # fmt: skip
    path = tmp_path / "form.pdf"
    path.write_bytes(document.build().pdf)
    text = pdf_text(path, layout=False)
    assert all(f"10/001/{n:04d}" in text for n in range(1, 6))
