"""The signed QR of every statement page (beyond the instruction): printed, read back, checked."""

from __future__ import annotations

import dataclasses
import subprocess
from datetime import date
from pathlib import Path

import cv2
import numpy as np
import pytest
from statement_support import result_rows, signer, spec

from arm_programmer.results import ResultRow, ResultStatus
from arm_programmer.statement import statement_pdf
from arm_programmer.statement_seal import (
    check_page,
    page_seal,
    read_qr,
    read_seal,
    statement_order,
)
from common.codebook import kazakh_order
from common.errors import Refused

EXAM_DATE = date(2027, 6, 20)


@pytest.fixture(scope="module")
def rows() -> list[ResultRow]:
    return result_rows(80)


@pytest.fixture(scope="module")
def first_page(rows: list[ResultRow], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Page 1 of copy 1 of the statement, rendered as a 150 dpi scan."""
    folder = tmp_path_factory.mktemp("statement")
    pdf = folder / "statement.pdf"
    pdf.write_bytes(statement_pdf(rows, spec=spec(), site_code="017", site_name="Назарбаев университеті", stream=2,
                                  exam_date=EXAM_DATE, language="kk", signer=signer(), copies=2).pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(pdf), str(folder / "page")],
                   check=True)
    return next(folder.glob("page*.png"))


def test_a_printed_page_reads_back_and_checks_against_the_rows(rows: list[ResultRow], first_page: Path) -> None:
    seal = read_seal(read_qr(first_page))
    assert (seal.site_code, seal.stream, seal.exam_date, seal.copy, seal.page) == ("017", 2, EXAM_DATE, 1, 1)
    assert seal.pages > 1 and seal.first == 0 and seal.rows > 10
    check = check_page(seal, signer().certificate, list(reversed(rows)))  # any order: the statement's is found
    assert check.ok and check.signature_valid and check.digest_matches and check.differing == ()


def test_a_total_one_point_higher_afterwards_is_caught_and_named(rows: list[ResultRow], first_page: Path) -> None:
    seal = read_seal(read_qr(first_page))
    ordered = statement_order(rows)
    target = next(row for row in ordered[:seal.rows] if row.status is ResultStatus.SCORED)
    assert target.total is not None
    changed = [dataclasses.replace(row, total=target.total + 1) if row is target else row for row in rows]
    check = check_page(seal, signer().certificate, changed)
    assert check.signature_valid and not check.digest_matches and not check.ok
    assert check.differing == (target.ikt,)


def test_a_row_of_another_page_changed_leaves_this_page_intact(rows: list[ResultRow], first_page: Path) -> None:
    seal = read_seal(read_qr(first_page))
    later = statement_order(rows)[seal.rows + 3]
    changed = [dataclasses.replace(row, variant="0099") if row is later else row for row in rows]
    assert check_page(seal, signer().certificate, changed).ok


def test_an_edited_seal_fails_its_signature(rows: list[ResultRow], first_page: Path) -> None:
    text = read_qr(first_page)
    parts = text.split(":")
    parts[2] = "3"  # claims another stream
    forged = read_seal(":".join(parts))
    assert not check_page(forged, signer().certificate, rows).signature_valid
    # the rows' digest made anew for a changed row, signature left as it was
    ordered = statement_order(rows)
    changed = [dataclasses.replace(ordered[0], total=(ordered[0].total or 0) + 1), *ordered[1:]]
    honest = read_seal(text)
    reforged = page_seal(changed[:honest.rows], site_code="017", stream=2, exam_date=EXAM_DATE, copy=1, page=1,
                         pages=honest.pages, first=0, signer=signer())
    parts = reforged.split(":")
    parts[-1] = text.split(":")[-1]
    check = check_page(read_seal(":".join(parts)), signer().certificate, changed)
    assert check.digest_matches and not check.signature_valid and not check.ok


def test_a_seal_of_another_workstation_fails(rows: list[ResultRow], first_page: Path) -> None:
    from exchange_support import pki

    seal = read_seal(read_qr(first_page))
    assert not check_page(seal, pki().applications.certificate, rows).signature_valid


def test_a_page_photographed_at_a_slight_rotation_still_reads(first_page: Path, tmp_path: Path) -> None:
    image = cv2.imread(str(first_page), cv2.IMREAD_GRAYSCALE)
    height, width = image.shape
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), 3, 1.0)
    rotated = cv2.warpAffine(image, turn, (width, height), borderValue=255)
    blurred = cv2.GaussianBlur(rotated, (3, 3), 0)
    photo = tmp_path / "photo.jpg"
    cv2.imwrite(str(photo), blurred, [cv2.IMWRITE_JPEG_QUALITY, 80])
    assert read_qr(photo) == read_qr(first_page)


def test_a_page_without_a_readable_qr_is_refused_in_one_line(tmp_path: Path) -> None:
    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), np.full((400, 300), 255, dtype=np.uint8))
    with pytest.raises(Refused) as refused:
        read_qr(blank)
    assert "\n" not in str(refused.value) and "blank.png" in str(refused.value)
    text_file = tmp_path / "notes.png"
    text_file.write_text("not an image")
    with pytest.raises(Refused):
        read_qr(text_file)


@pytest.mark.parametrize("text", ["", "hello", "ENTS1:017:2", "ENTS1:017:x:20270620:1:1/2:0:AA:AA:AA",
                                  "ENTS1:017:2:20271320:1:1/2:0:AAAA:AAAA:AAAA",
                                  "ENTS1:017:2:20270620:1:3/2:0:AAAA:AAAA:AAAA",
                                  "ENTS1:017:2:20270620:1:1/2:0:a!:AAAA:AAAA"])
def test_malformed_seal_text_is_refused(text: str) -> None:
    with pytest.raises(Refused) as refused:
        read_seal(text)
    assert "\n" not in str(refused.value)


def test_a_seal_of_a_newer_format_is_refused_by_name(rows: list[ResultRow]) -> None:
    text = page_seal(rows[:3], site_code="017", stream=2, exam_date=EXAM_DATE, copy=1, page=1, pages=1, first=0,
                     signer=signer())
    with pytest.raises(Refused, match="ENTS2"):
        read_seal("ENTS2" + text[5:])


def test_the_seal_holds_no_names_and_is_small(rows: list[ResultRow]) -> None:
    page = statement_order(rows)[:45]
    text = page_seal(page, site_code="017", stream=2, exam_date=EXAM_DATE, copy=4, page=9, pages=90, first=360,
                     signer=signer())
    assert len(text) < 1000 and text == text.upper()
    assert not any(row.surname.upper() in text or (row.iin or "-") in text for row in page)
    seal = read_seal(text)
    assert (seal.copy, seal.page, seal.pages, seal.first, seal.rows) == (4, 9, 90, 360, 45)


def test_the_statement_order_is_the_kazakh_alphabet_then_ikt() -> None:
    base = result_rows(1)[0]
    names = ["Бекова", "Әбенов", "Ахметова", "Ёлкина", "Ерланов", "Ілиясов", "Ыбыраев", "Ахметова"]
    rows = [dataclasses.replace(base, surname=name, ikt=f"{900 - index:09d}") for index, name in enumerate(names)]
    ordered = [(row.surname, row.ikt) for row in statement_order(rows)]
    assert [surname for surname, _ikt in ordered] == ["Ахметова", "Ахметова", "Әбенов", "Бекова", "Ёлкина",
                                                       "Ерланов", "Ыбыраев", "Ілиясов"]
    assert ordered[0][1] < ordered[1][1]
    assert kazakh_order("Ан Б") < kazakh_order("Ана")


def test_every_page_of_every_copy_carries_its_own_seal(rows: list[ResultRow], tmp_path: Path) -> None:
    few = rows[:30]
    pdf = tmp_path / "statement.pdf"
    pdf.write_bytes(statement_pdf(few, spec=spec(), site_code="017", site_name="ЖОО", stream=2, exam_date=EXAM_DATE,
                                  language="ru", signer=signer(), copies=4).pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(tmp_path / "page")], check=True)
    seals = [read_seal(read_qr(page)) for page in sorted(tmp_path.glob("page*.png"))]
    assert [seal.copy for seal in seals if seal.page == 1] == [1, 2, 3, 4]
    for seal in seals:
        assert check_page(seal, signer().certificate, few).ok
    per_copy = [seal for seal in seals if seal.copy == 3]
    assert [seal.page for seal in per_copy] == list(range(1, per_copy[0].pages + 1))
    assert sum(seal.rows for seal in per_copy) == len(few)


def test_a_check_is_told_in_one_line(rows: list[ResultRow], first_page: Path) -> None:
    from arm_programmer.statement_seal import describe_check

    seal = read_seal(read_qr(first_page))
    good = describe_check(check_page(seal, signer().certificate, rows))
    assert "\n" not in good and "20.06.2027" in good and f"{seal.rows}" in good
    ordered = statement_order(rows)
    target = ordered[1]
    changed = [dataclasses.replace(row, status=ResultStatus.ABSENT, subjects=(), total=None) if row is target
               else row for row in rows]
    told = describe_check(check_page(seal, signer().certificate, changed))
    assert target.ikt in told and target.surname not in told
    shorter = describe_check(check_page(seal, signer().certificate, ordered[:5]))
    assert "\n" not in shorter and shorter != told
