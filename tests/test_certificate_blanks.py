"""Typographic blanks on АРМ «Сертификат» (п. 215–217, 222): packs received from НЦТ, the numbers the stream's
applicants get in the certificate order, spoiled blanks (the printer jam: spoil, then assign again), a newer
certificate file refused once any blank refers to the stream, and the numbers sealed for НЦТ (п. 217).

One stage (module scope): stream 1 identified, scored, its appeal closed and its certificate file taken by the
site's certificate workstation; the tests run in order on it."""

from __future__ import annotations

from typing import Any

import pytest
from applications_support import ok
from certificate_support import Stage, certificate, scored_stage
from exchange_support import Run
from programmer_support import programmer
from sqlalchemy import select

from arm_certificate.blanks import parse_blank
from common.errors import Refused
from common.i18n import set_language
from common.workstation import DataFolder

ISSUED_ON = "2027-07-01"
"""After the stage's exam: a certificate is never dated before its exam."""


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def refused(run: Run, *parts: str) -> None:
    assert run.code == 1, run.out
    for part in parts:
        assert part in run.err, run.err


@pytest.fixture(scope="module")
def stage(tmp_path_factory: pytest.TempPathFactory) -> Stage:
    stage = scored_stage(tmp_path_factory)
    scene = stage.scene
    ok(programmer(scene, "statement", "print", "--stream", "1"))
    ok(programmer(scene, "appeal", "close", "--stream", "1"))
    sent = ok(programmer(scene, "send", "certificate-file", "--stream", "1", "--json")).json()
    ok(certificate(scene, "import", sent["path"]))
    stage.facts["ikts"] = [item["ikt"] for item in _applicants(stage)]
    return stage


def _applicants(stage: Stage) -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = ok(certificate(stage.scene, "applicants", "--stream", "1", "--json")).json()[
        "applicants"]
    return listed


def _numbers(stage: Stage) -> dict[str, str | None]:
    return {item["ikt"]: None if item["certificate_number"] is None
            else f"{item['certificate_series']} {item['certificate_number']}" for item in _applicants(stage)}


def _log(stage: Stage) -> str:
    return DataFolder(stage.scene.folder("certificate")).audit_log.read_text(encoding="utf-8")


# --- reading a blank ----------------------------------------------------------------------------------------------


def test_a_blank_reads_as_the_barcode_reader_types_it() -> None:
    assert parse_blank("AA 0012345") == parse_blank("AA0012345") == parse_blank("aa-0012345") == ("AA", 12345, 7)
    assert parse_blank(" ЖБ 000001 ") == ("ЖБ", 1, 6)
    for wrong in ("0012345", "AA", "A1 0012345", "AA 12x45", ""):
        with pytest.raises(Refused, match="is not a blank number"):
            parse_blank(wrong)
    with pytest.raises(Refused, match="mixes Latin and Cyrillic letters"):
        parse_blank("A\u0410 0012345")


# --- the stage, in order ------------------------------------------------------------------------------------------


def test_packs_are_refused_when_odd_and_recorded_with_their_width(stage: Stage) -> None:
    scene = stage.scene
    refused(certificate(scene, "packs", "add", "--series", "A1", "--first", "0000001", "--count", "5"),
            "is not a blank series")
    refused(certificate(scene, "packs", "add", "--series", "", "--first", "0000001", "--count", "5"),
            "is not a blank series")
    refused(certificate(scene, "packs", "add", "--series", "AA", "--first", "0000001", "--count", "0"),
            "A pack holds 1 to 100000 blanks, not 0")
    refused(certificate(scene, "packs", "add", "--series", "AA", "--first", "0000001", "--count", "100001"),
            "not 100001")
    refused(certificate(scene, "packs", "add", "--series", "AA", "--first", "98", "--count", "5"),
            "more than the 2 digit(s)")
    refused(certificate(scene, "packs", "add", "--barcode", "0000001", "--count", "5"), "is not a blank number")
    listed = ok(certificate(scene, "packs", "list"))
    assert "No pack of blanks is recorded yet" in listed.out
    first = ok(certificate(scene, "packs", "add", "--barcode", "AA 0000001", "--count", "1", "--json")).json()
    assert (first["series"], first["first"], first["last"], first["clean"]) == ("AA", "0000001", "0000001", 1)
    refused(certificate(scene, "packs", "add", "--series", "aa", "--first", "0000000", "--count", "5"),
            "overlaps the pack AA 0000001–0000001")
    ok(certificate(scene, "packs", "add", "--series", "BB", "--first", "0000006", "--count", "1"))  # another series
    refused(certificate(scene, "packs", "add", "--series", "\u0410\u0410", "--first", "0000100", "--count", "5"),
            "looks like the series AA already received")  # Cyrillic АА
    assert "certificate.pack.added" in _log(stage)


def test_a_newer_certificate_file_is_refused_while_a_spoiled_blank_names_an_applicant(stage: Stage) -> None:
    scene, ikt = stage.scene, stage.facts["ikts"][0]
    ok(certificate(scene, "assign", "--stream", "1", "--date", ISSUED_ON, "--ikt", ikt, "--blank", "BB-0000006"))
    assert _numbers(stage)[ikt] == "BB 0000006"
    spoiled = ok(certificate(scene, "spoil", "BB 0000006", "--reason", "printer jam"))
    assert f"the applicant with ИКТ {ikt} has no certificate number now" in spoiled.out
    assert _numbers(stage)[ikt] is None
    newer = ok(programmer(scene, "send", "certificate-file", "--stream", "1", "--json")).json()
    refused(certificate(scene, "import", newer["path"]),
            "Stream 1 already has 1 spoiled certificate blank(s) printed for its applicants", "not taken")
    assert len(_applicants(stage)) == len(stage.facts["ikts"])


def test_assign_refuses_when_blanks_are_short_and_assigns_nothing(stage: Stage) -> None:
    scene, count = stage.scene, len(stage.facts["ikts"])
    assert count == 2  # AA 0000001 clean, BB 0000006 spoiled
    refused(certificate(scene, "assign", "--stream", "1", "--date", ISSUED_ON),
            "Stream 1 needs 2 clean blank(s) but only 1 are left: 1 missing")
    assert set(_numbers(stage).values()) == {None}
    refused(certificate(scene, "assign", "--stream", "2"), "No certificate file of stream 2")


def test_a_certificate_is_never_dated_before_its_exam(stage: Stage) -> None:
    scene = stage.scene
    exam = ok(certificate(scene, "applicants", "--stream", "1", "--json")).json()["date"]
    refused(certificate(scene, "assign", "--stream", "1", "--date", "2020-01-01"),
            "A certificate of stream 1 cannot be dated 2020-01-01", f"the exam was on {exam}")
    assert set(_numbers(stage).values()) == {None}


def test_assign_gives_the_next_clean_blanks_in_the_certificate_order(stage: Stage) -> None:
    from base_ppent_support import database

    from arm_certificate.order import certificate_order
    from common.db.certificate_models import CertificateApplicant

    scene, count = stage.scene, count_of(stage)
    ok(certificate(scene, "packs", "add", "--series", "CC", "--first", "000100", "--count", "4"))
    assigned = ok(certificate(scene, "assign", "--stream", "1", "--date", "2027-07-01", "--json")).json()
    with database(DataFolder(scene.folder("certificate"))) as session:
        order = [item.ikt for item in certificate_order(session.scalars(select(CertificateApplicant)))]
    blanks = ["AA 0000001", "CC 000100"][:count]
    assert [(item["ikt"], f"{item['series']} {item['number']}") for item in assigned] == list(zip(order, blanks,
                                                                                                  strict=True))
    assert {item["issued_on"] for item in assigned} == {"2027-07-01"}
    assert _numbers(stage) == dict(zip(order, blanks, strict=True))
    again = ok(certificate(scene, "assign", "--stream", "1", "--date", ISSUED_ON))
    assert "Every applicant of stream 1 has a certificate number already" in again.out
    listed = ok(certificate(scene, "packs", "list", "--json")).json()
    assert [(item["series"], item["issued"], item["spoiled"], item["clean"]) for item in listed] == [
        ("AA", 1, 0, 0), ("BB", 0, 1, 0), ("CC", 1, 0, 3)]
    log = _log(stage)
    assert "certificate.numbers.assigned" in log and "certificate.blank.spoiled" in log
    stage.facts["order"], stage.facts["blanks"] = order, blanks


def test_the_printer_jam_spoil_the_blank_then_assign_gives_the_next_clean_one(stage: Stage) -> None:
    scene = stage.scene
    jammed_ikt, jammed = stage.facts["order"][1], stage.facts["blanks"][1]
    refused(certificate(scene, "spoil", jammed, "--reason", " "), "Give the reason the blank is spoiled")
    refused(certificate(scene, "spoil", jammed, "--reason", "x" * 301), "at most 300 characters")
    refused(certificate(scene, "spoil", "ZZ 0000001", "--reason", "torn"), "Blank ZZ 0000001 is in no pack received")
    refused(certificate(scene, "spoil", "AA 0000003", "--reason", "torn"), "is in no pack received")
    refused(certificate(scene, "spoil", "BB 0000006", "--reason", "torn"), "Blank BB 0000006 is already spoiled")
    ok(certificate(scene, "spoil", jammed, "--reason", "printer jam"))
    refused(certificate(scene, "send", "certificate-numbers", "--stream", "1"),
            "1 applicant(s) of stream 1 have no certificate number yet")
    cyrillic = "\u0421\u0421 000103"  # СС typed by hand in the Cyrillic layout: the held CC's blank
    clean_spoiled = ok(certificate(scene, "spoil", cyrillic, "--reason", "torn in the pack"))
    assert "Blank CC 000103 is recorded as spoiled." in clean_spoiled.out
    assert "has no certificate number" not in clean_spoiled.out
    again = ok(certificate(scene, "assign", "--stream", "1", "--date", ISSUED_ON, "--json")).json()
    assert [(item["ikt"], item["series"], item["number"]) for item in again] == [
        (jammed_ikt, "CC", "000101")]
    assert _numbers(stage)[jammed_ikt] == "CC 000101"


def test_one_named_blank_for_one_applicant(stage: Stage) -> None:
    scene, ikt = stage.scene, stage.facts["order"][0]
    free = "CC 000102"
    refused(certificate(scene, "assign", "--stream", "1", "--date", ISSUED_ON, "--ikt", ikt, "--blank", free),
            f"The applicant with ИКТ {ikt} already has blank AA 0000001: spoil it first")
    refused(certificate(scene, "assign", "--stream", "1", "--date", ISSUED_ON, "--ikt", ikt),
            "Give --ikt and --blank together")
    ok(certificate(scene, "spoil", "AA0000001", "--reason", "misprint"))
    refused(certificate(scene, "assign", "--stream", "1", "--date", ISSUED_ON, "--ikt", ikt, "--blank", "CC 000101"),
            "Blank CC 000101 is already issued")
    refused(certificate(scene, "assign", "--stream", "1", "--date", ISSUED_ON, "--ikt", ikt, "--blank", "BB 0000006"),
            "Blank BB 0000006 is spoiled")
    refused(certificate(scene, "assign", "--stream", "1", "--date", ISSUED_ON, "--ikt", ikt, "--blank", "CC 999999"),
            "is in no pack received")
    refused(certificate(scene, "assign", "--stream", "1", "--date", ISSUED_ON, "--ikt", "999999999", "--blank", free),
            "Stream 1 has no applicant with ИКТ 999999999")
    ok(certificate(scene, "assign", "--stream", "1", "--date", ISSUED_ON, "--ikt", ikt, "--blank",
                   free.replace(" ", "-")))
    assert _numbers(stage)[ikt] == free


def count_of(stage: Stage) -> int:
    return len(stage.facts["ikts"])


def test_the_audit_log_has_ikt_and_blanks_but_no_personal_data(stage: Stage) -> None:
    from base_ppent_support import database

    from common.db.certificate_models import CertificateApplicant

    log = _log(stage)
    with database(DataFolder(stage.scene.folder("certificate"))) as session:
        people = list(session.scalars(select(CertificateApplicant)))
        assert not any(person.surname in log or (person.iin and person.iin in log) for person in people)
    assert stage.facts["order"][0] in log and "AA 0000001" in log
    assert "printer jam" not in log and "misprint" not in log  # a reason is the operator's words
    assert ok(certificate(stage.scene, "audit", "verify")).code == 0


def test_the_numbers_are_sealed_for_nct(stage: Stage) -> None:
    scene = stage.scene
    sent = ok(certificate(scene, "send", "certificate-numbers", "--stream", "1", "--json")).json()
    assert (sent["certificates"], sent["spoiled"]) == (2, 4)
    stage.facts["sent"] = sent["path"]
    assert "certificate-numbers.sent" in _log(stage)


def test_nct_takes_the_numbers_without_names_and_shows_them(stage: Stage) -> None:
    from base_ppent_support import database

    from common.db.certificate_models import CertificateApplicant

    scene = stage.scene
    ok(scene.nct("import", stage.facts["sent"]))
    shown = ok(scene.nct("certificates", "show", "--site", "017", "--stream", "1", "--json")).json()
    assert sorted((item["ikt"], f"{item['series']} {item['number']}") for item in shown["certificates"]) == sorted(
        _numbers(stage).items())
    assert {(item["series"], item["number"], item["reason"]) for item in shown["spoiled"]} == {
        ("AA", "0000001", "misprint"), ("BB", "0000006", "printer jam"), ("CC", "000100", "printer jam"),
        ("CC", "000103", "torn in the pack")}
    text = ok(scene.nct("certificates", "show")).out
    assert "2 certificate(s), 4 spoiled blank(s)" in text
    with database(DataFolder(scene.folder("certificate"))) as session:
        people = list(session.scalars(select(CertificateApplicant)))
        assert not any(person.surname in text or (person.iin and person.iin in str(shown)) for person in people)
