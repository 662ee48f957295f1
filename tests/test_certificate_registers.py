"""The register of issued certificates (прил. 14) and the certificate acts (прил. 15, 16, 41) on АРМ «Сертификат»:
one row per issued certificate with its number, a run of pages per school, the representative's signature line on
every page (п. 219), the applicants without a number in a section of their own, and the blanks accounted for in
ranges (issued + spoiled + clean = received)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from base_ppent_support import database
from exchange_support import Run, run_cli
from pdf_support import pdf_text

from arm_certificate.registers import ROWS_PER_PAGE, NumberRange, number_ranges
from common.db.certificate_models import (
    ISSUED,
    SPOILED,
    BlankPack,
    CertificateApplicant,
    CertificateStream,
    UsedBlank,
)
from common.i18n import set_language
from common.workstation import DataFolder

SCHOOLS = {"110001": ("№1 мектеп-гимназиясы", "Школа-гимназия №1"), "110002": ("№2 мектеп", "Школа №2"),
           "110003": ("Абай атындағы мектеп", "Школа имени Абая")}
SURNAMES = ("Әбенов", "Құлжанов", "Ыбыраев", "Өмірбеков", "Сейітов")


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def certificate(folder: Path, *args: str) -> Run:
    from arm_certificate.cli import build

    return run_cli(build(), [*args, "--data-dir", str(folder)])


def pages_of(path: Path) -> list[str]:
    return pdf_text(path).split("\f")[:-1]


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "certificate"
    made = certificate(folder, "init")
    assert made.code == 0, made.err
    return folder


def _stream(session: object, counts: dict[str, int], number: int = 1) -> list[CertificateApplicant]:
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    stream = CertificateStream(stream_number=number, site_code="017", site_name_kk="Алматы қаласының ППЕНТ",
                               site_name_ru="ППЕНТ города Алматы", exam_date=date(2027, 6, 20),
                               package_id=f"package-{number}", imported_by="test")
    session.add(stream)
    applicants = []
    serial = 0
    for school, count in counts.items():
        for _index in range(count):
            serial += 1
            applicant = CertificateApplicant(
                stream=stream, ikt=f"{number}{serial:08d}", iin=None, surname=f"{SURNAMES[serial % 5]}{serial:02d}",
                name="Ерлан", patronymic="Серікұлы" if serial % 2 else None, school_code=school,
                school_name_kk=SCHOOLS[school][0], school_name_ru=SCHOOLS[school][1], test_language="kk",
                subjects=[], total=40 + serial, max_total=140)
            session.add(applicant)
            applicants.append(applicant)
    return applicants


@pytest.fixture
def stage(tmp_path: Path) -> Iterator[tuple[Path, dict[str, tuple[str, str]]]]:
    """Stream 1: 13 + 4 + 3 applicants of three schools; pack AA 0000101–0000130 and AB 0000001–0000005; every
    applicant but the last two issued in order, blank AA 0000105 spoiled (printed for an applicant who then got
    the next one). Yields the folder and each numbered applicant's (ИКТ → series, number)."""
    from arm_certificate.order import certificate_order

    folder = _folder(tmp_path)
    numbers: dict[str, tuple[str, str]] = {}
    with database(DataFolder(folder)) as session:
        applicants = certificate_order(_stream(session, {"110001": 13, "110002": 4, "110003": 3}))
        first = BlankPack(series="AA", first_number=101, count=30, digits=7, added_by="test")
        second = BlankPack(series="AB", first_number=1, count=5, digits=7, added_by="test")
        session.add_all([first, second])
        number = 101
        for applicant in applicants[:-2]:
            if number == 105:
                session.add(UsedBlank(pack=first, number=number, status=SPOILED, reason="paper jam",
                                      applicant=applicant, recorded_by="test"))
                number += 1
            session.add(UsedBlank(pack=first, number=number, status=ISSUED, applicant=applicant,
                                  issued_on=date(2027, 6, 25), recorded_by="test"))
            numbers[applicant.ikt] = ("AA", f"{number:07d}")
            number += 1
    yield folder, numbers


# --- ranges -------------------------------------------------------------------------------------------------------


def test_numbers_are_written_out_as_ranges_with_gaps_single_numbers_and_several_series() -> None:
    ranges = number_ranges([("AA", 103, 7), ("AA", 101, 7), ("AA", 102, 7), ("AA", 105, 7), ("AB", 7, 7),
                            ("AB", 8, 7), ("AA", 180, 7), ("AA", 102, 7), ("B", 9, 4), ("B", 10, 4)])
    assert [item.text for item in ranges] == ["AA 0000101–0000103", "AA 0000105", "AA 0000180", "AB 0000007–0000008",
                                              "B 0009–0010"]
    assert [item.count for item in ranges] == [3, 1, 1, 2, 2]
    assert number_ranges([]) == []
    assert NumberRange("AA", 101, 180, 7).text == "AA 0000101–0000180"


# --- the register -------------------------------------------------------------------------------------------------


def test_the_register_lists_every_issued_certificate_once_school_by_school(stage: tuple[Path, dict[str, tuple[str,
                                                                                                      str]]]) -> None:
    folder, numbers = stage
    out = folder.parent / "register.pdf"
    printed = certificate(folder, "print", "register", "--stream", "1", "--out", str(out), "--json")
    assert printed.code == 0, printed.err
    facts = printed.json()
    assert (facts["certificates"], facts["schools"], facts["unnumbered"]) == (18, 3, 2)
    assert Path(facts["path"]).parent == DataFolder(folder).printed and Path(facts["path"]).is_file()
    pages = pages_of(out)
    # 13 certificates of school 1 take two pages, 4 and 2 of the others one each, the two unnumbered one more
    assert len(pages) == facts["pages"] == 5
    assert ROWS_PER_PAGE == 10
    schools = [re.search(r"Школа: (\d{6})", page) for page in pages]
    assert [found.group(1) if found else None for found in schools] == ["110001", "110001", "110002", "110003", None]
    for index, page in enumerate(pages, start=1):
        assert f"стр. {index} из 5" in page
        assert "Представитель Министерства, сверено с ведомостью (п. 219):" in page
        assert "(подпись)" in page and "Приложение 14" in page and "поток 1" in page and "20.06.2027" in page
        assert "017 — ППЕНТ города Алматы" in page
    assert "Школа-гимназия №1" in pages[0] and "Школа №2" in pages[2]
    assert "стр. 1 из 2 по школе" in pages[0] and "стр. 2 из 2 по школе" in pages[1]
    assert "Подпись поступающего" in pages[0] and "Дата выдачи" in pages[0]
    counts = [re.search(r"(?:Сертификатов|Поступающих) на странице: (\d+)", page) for page in pages]
    assert [int(found.group(1)) if found else 0 for found in counts] == [10, 3, 4, 1, 2]
    assert "сертификатов школы: 13" in pages[1] and "сертификатов школы" not in pages[0]
    # every issued certificate in exactly one row, with its own number
    issued_pages = "\n".join(pages[:4])
    for ikt, (series, number) in numbers.items():
        rows = [line for line in issued_pages.splitlines() if ikt in line]
        assert len(rows) == 1 and f"{series} {number}" in rows[0], ikt
    assert "AA 0000105" not in issued_pages  # the spoiled blank is nobody's certificate
    # the blanks were printed in the register's order: reading the rows down gives rising numbers
    printed_order = re.findall(r"AA (\d{7})", issued_pages)
    assert printed_order == sorted(printed_order) and len(printed_order) == len(numbers)
    # the two applicants without a number: listed apart, never as certificate rows
    assert "Поступающие потока без номера сертификата" in pages[4]
    unnumbered = [line for line in pages[4].splitlines() if re.search(r"\b1000000\d\d\b", line)]
    assert len(unnumbered) == 2 and not any(ikt in pages[4] for ikt in numbers)
    assert not any(line for line in issued_pages.splitlines()
                   if any(ikt in line for ikt in _ikts(unnumbered)))


def _ikts(lines: list[str]) -> list[str]:
    return [found for line in lines for found in re.findall(r"\b1\d{8}\b", line)]


def test_the_register_is_refused_without_an_issued_certificate_and_nothing_is_written(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    missing = certificate(folder, "print", "register", "--stream", "1")
    assert missing.code == 1 and "No certificate file of stream 1" in missing.err
    with database(DataFolder(folder)) as session:
        _stream(session, {"110001": 2})
    out = tmp_path / "register.pdf"
    refused = certificate(folder, "print", "register", "--stream", "1", "--out", str(out))
    assert refused.code == 1 and "Stream 1 has no issued certificate yet" in refused.err
    assert len(refused.err.strip().splitlines()) == 1
    assert not out.exists() and not list(DataFolder(folder).printed.glob("*.pdf"))
    assert "Ерлан" not in refused.err


def test_the_register_in_kazakh_cites_the_kazakh_way(stage: tuple[Path, dict[str, tuple[str, str]]]) -> None:
    folder, _numbers = stage
    out = folder.parent / "register-kk.pdf"
    printed = certificate(folder, "print", "register", "--stream", "1", "--language", "kk", "--out", str(out))
    assert printed.code == 0, printed.err
    pages = pages_of(out)
    assert len(pages) == 5
    for page in pages:
        assert "219-тармақ" in page and "п. 219" not in page and "14-қосымша" in page
        assert "Алматы қаласының ППЕНТ" in page
    assert "№1 мектеп-гимназиясы" in pages[0] and "Сертификаттар" in pages[0]
    audit = DataFolder(folder).audit_log.read_text(encoding="utf-8")
    assert "certificate-register" in audit and "Ерлан" not in audit and "Әбенов" not in audit


def test_a_very_long_school_name_is_cut_short_in_the_header_not_over_the_page_number(tmp_path: Path) -> None:
    from arm_certificate.register_prints import register_pdf
    from arm_certificate.registers import IssueRegister, RegisterRow, SchoolPart

    long_name = "Жалпы білім беретін мектеп-гимназиясы " * 8
    register = IssueRegister(stream=2, exam_date=date(2027, 6, 21), site_code="017", site_name_kk="ППЕНТ",
                             site_name_ru="ППЕНТ", unnumbered=(),
                             schools=(SchoolPart("110009", long_name, long_name,
                                                 (RegisterRow("200000001", "Әбенов Ерлан", "AA", "0000001", 90),)),))
    path = tmp_path / "long.pdf"
    path.write_bytes(register_pdf(register, "kk").pdf)
    [page] = pages_of(path)
    header = next(line for line in page.splitlines() if "110009" in line)
    assert "…" in header and "1-бет, барлығы 1" in header
    assert "AA 0000001" in page and "219-тармақ" in page


# --- the acts -----------------------------------------------------------------------------------------------------


def test_the_returned_act_accounts_for_every_blank_in_ranges(stage: tuple[Path, dict[str, tuple[str, str]]]) -> None:
    folder, _numbers = stage
    out = folder.parent / "returned.pdf"
    printed = certificate(folder, "print", "act", "--kind", "returned", "--out", str(out))
    assert printed.code == 0, printed.err
    text = "\n".join(pages_of(out))
    assert "Приложение 41" in text and "после тестирования №11" in text

    def section(title: str, following: str) -> str:
        return text[text.index(title):text.index(following)]

    received = section("1. Получено бланков", "2. Выписанные")
    issued = section("2. Выписанные", "3. Испорченные бланки")
    spoiled = section("3. Испорченные бланки", "4. Возвращаемые чистые бланки")
    clean = section("4. Возвращаемые чистые бланки", "Получено 35")
    assert re.search(r"AA\s+0000101–0000130\s+30", received) and re.search(r"AB\s+0000001–0000005\s+5", received)
    assert re.search(r"AA\s+0000101–0000104\s+4", issued) and re.search(r"AA\s+0000106–0000119\s+14", issued)
    assert re.search(r"AA\s+0000105\s+paper jam", spoiled)
    assert re.search(r"AA\s+0000120–0000130\s+11", clean) and re.search(r"AB\s+0000001–0000005\s+5", clean)
    assert "Получено 35 = выдано 18 + испорчено 1 + чистых 16." in text
    assert "М.П." in text and "Передал: представитель" in text and "Принял: НЦТ" in text


def test_the_received_and_handover_acts(stage: tuple[Path, dict[str, tuple[str, str]]]) -> None:
    folder, _numbers = stage
    received_pdf = folder.parent / "received.pdf"
    assert certificate(folder, "print", "act", "--kind", "received", "--out", str(received_pdf)).code == 0
    received = "\n".join(pages_of(received_pdf))
    assert "Приложение 16" in received and "п. 42.2" in received
    assert re.search(r"AA\s+0000101–0000130\s+30", received) and re.search(r"Итого\s+35", received)
    handover_pdf = folder.parent / "handover.pdf"
    assert certificate(folder, "print", "act", "--kind", "handover", "--out", str(handover_pdf)).code == 0
    handover = "\n".join(pages_of(handover_pdf))
    assert "Приложение 15" in handover and "руководитель ППЕНТ" in handover
    # per school: the certificates and the register's pages, as the register paged them
    assert re.search(r"110001 — Школа-гимназия №1\s+13\s+2", handover)
    assert re.search(r"110002 — Школа №2\s+4\s+1", handover)
    assert re.search(r"110003 — Школа имени Абая\s+1\s+1", handover)
    assert re.search(r"Итого\s+18\s+4", handover)


def test_acts_are_refused_before_there_is_anything_to_account_for(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    for kind, message in (("received", "No pack of certificate blanks"), ("returned", "No pack of certificate blanks"),
                          ("handover", "No certificate is issued yet")):
        refused = certificate(folder, "print", "act", "--kind", kind)
        assert refused.code == 1 and message in refused.err, kind
    assert not list(DataFolder(folder).printed.glob("*.pdf"))


def test_the_returned_act_in_kazakh(stage: tuple[Path, dict[str, tuple[str, str]]]) -> None:
    folder, _numbers = stage
    out = folder.parent / "returned-kk.pdf"
    assert certificate(folder, "print", "act", "--kind", "returned", "--language", "kk", "--out", str(out)).code == 0
    text = "\n".join(pages_of(out))
    assert "41-қосымша" in text and "222-тармақ" in text and "п. 222" not in text and "М.О." in text
    assert "Алынды 35 = берілді 18 + бүлінді 1 + таза 16." in text


def test_the_out_copy_of_an_act_is_written_only_when_its_print_is_committed(
    stage: tuple[Path, dict[str, tuple[str, str]]],
) -> None:
    """``--out`` used to be written inside the transaction: a print rolled back (a full disk at the commit, a
    crash) left the copy of a print no audit entry names. Now the copy, like the kept print, comes at the commit."""
    from arm_certificate.register_prints import print_act

    folder, _numbers = stage
    out = folder.parent / "returned.pdf"
    with pytest.raises(RuntimeError), database(DataFolder(folder)) as session:
        print_act(session, DataFolder(folder), "returned", "ru", actor="test", out=out)
        raise RuntimeError("the transaction fails after the print")
    assert not out.exists() and not list(out.parent.glob("returned.pdf*"))
    assert not list(DataFolder(folder).printed.glob("*.pdf*"))
    with database(DataFolder(folder)) as session:
        printed = print_act(session, DataFolder(folder), "returned", "ru", actor="test", out=out)
    assert out.read_bytes() == printed.path.read_bytes()
