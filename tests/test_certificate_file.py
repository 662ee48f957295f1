"""The certificate file (п. 55.2, 214–215): stream 1 identified, its answer codes opened and scored, its statement
printed; the file refused until the appeal is closed, then sealed to the site's АРМ «Сертификат», which takes it
(its own ``import`` and the generic ``package open``), lists the stream's applicants with the programmer's results
and takes a newer file only while no certificate number is assigned."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from applications_support import ok
from base_ppent_support import database
from certificate_support import Stage, certificate, scored_stage
from exchange_support import Scene
from programmer_support import programmer, session_of
from sqlalchemy import select
from sqlalchemy.orm import Session

from arm_programmer.certificate_file import SchoolNames, SiteNames, certificate_file_payload
from arm_programmer.results import ResultRow, ResultStatus, SubjectPoints
from common.errors import Refused
from common.exchange import kinds
from common.exchange.addresses import NCT_ADDRESS, Address
from common.i18n import set_language
from common.workstation import DataFolder


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


@contextmanager
def certificate_session(scene: Scene) -> Iterator[Session]:
    with database(DataFolder(scene.folder("certificate"))) as session:
        yield session


# --- the kind and the payload -----------------------------------------------------------------------------------


def test_the_programmer_sends_the_certificate_file_to_its_own_sites_certificate_workstation() -> None:
    kind = kinds.lookup_kind("certificate-file")
    kinds.check_parties(kind, Address("programmer", "017"), Address("certificate", "017"))
    for sender, recipient in ((NCT_ADDRESS, Address("certificate", "017")),
                              (Address("programmer", "018"), Address("certificate", "017")),
                              (Address("programmer", "017"), NCT_ADDRESS),
                              (Address("applications", "017"), Address("certificate", "017"))):
        with pytest.raises(Refused, match="does not go from"):
            kinds.check_parties(kind, sender, recipient)


def _row(ikt: str, status: ResultStatus, application_id: int, points: tuple[int, ...] = ()) -> ResultRow:
    subjects = tuple(SubjectPoints(code, value, 20) for code, value in zip(("HKZ", "MLIT", "MATH"), points,
                                                                          strict=False))
    scored = status is ResultStatus.SCORED
    return ResultRow(application_id=application_id, ikt=ikt, iin="050102000002", surname="Абаев", name="Ерлан",
                     patronymic=None, school_code="110001", test_language="kk", room_number="01", seat=2,
                     sheet_number="S1" if scored else None, variant="0101" if scored else None, creative=False,
                     subjects=subjects, total=sum(points) if scored else None,
                     max_total=20 * len(points) if scored else None, status=status)


def test_the_payload_carries_every_applicant_with_a_result_by_ikt() -> None:
    rows = [_row("100000003", ResultStatus.SCORED, 3, (11, 5, 15)), _row("100000001", ResultStatus.ABSENT, 1),
            _row("100000002", ResultStatus.SCORED, 2, (20, 0, 7))]
    payload = certificate_file_payload(SiteNames("017", "Алматы ППЕНТ", "ППЕНТ Алматы"), 1, "2027-06-20", rows,
                                       {3: SchoolNames("110001", "№1 мектеп", "Школа №1")})
    assert payload["format"] == 1 and payload["stream"] == 1 and payload["date"] == "2027-06-20"
    assert payload["site"] == {"code": "017", "name_kk": "Алматы ППЕНТ", "name_ru": "ППЕНТ Алматы"}
    assert [item["ikt"] for item in payload["applicants"]] == ["100000002", "100000003"]
    last = payload["applicants"][1]
    assert last["school"] == {"code": "110001", "name_kk": "№1 мектеп", "name_ru": "Школа №1"}
    assert last["subjects"] == [{"code": "HKZ", "points": 11, "max": 20}, {"code": "MLIT", "points": 5, "max": 20},
                                {"code": "MATH", "points": 15, "max": 20}]
    assert (last["total"], last["max_total"], last["surname"], last["iin"]) == (31, 60, "Абаев", "050102000002")


def test_a_damaged_payload_is_refused_naming_what() -> None:
    from arm_certificate.certificate_file import parse_certificate_file

    rows = [_row("100000003", ResultStatus.SCORED, 3, (11, 5, 15))]
    good = certificate_file_payload(SiteNames("017", "", ""), 1, "2027-06-20", rows, {})
    assert parse_certificate_file(good, 1).exam_date == date(2027, 6, 20)
    wrong_total = json.loads(json.dumps(good))
    wrong_total["applicants"][0]["total"] = 32
    with pytest.raises(Refused, match="total is missing or wrong"):
        parse_certificate_file(wrong_total, 1)
    below = json.loads(json.dumps(good))
    below["applicants"][0]["max_total"] = 30
    with pytest.raises(Refused, match="max_total is missing or wrong"):
        parse_certificate_file(below, 1)
    with pytest.raises(Refused, match="stream is missing or wrong"):
        parse_certificate_file(good, 2)
    with pytest.raises(Refused, match="format 2"):
        parse_certificate_file({**good, "format": 2}, 1)
    twice = {**good, "applicants": good["applicants"] * 2}
    with pytest.raises(Refused, match="ИКТ 100000003 twice"):
        parse_certificate_file(twice, 1)


# --- the commands -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def stage(tmp_path_factory: pytest.TempPathFactory) -> Stage:
    return scored_stage(tmp_path_factory)


def _results(scene: Scene) -> list[ResultRow]:
    from arm_programmer.scores import result_rows

    with session_of(scene) as session:
        return [row for row in result_rows(session, 1) if row.status is ResultStatus.SCORED]


def test_the_file_waits_for_the_closed_appeal_then_is_sealed_to_the_certificate_workstation(stage: Stage) -> None:
    scene = stage.scene
    unannounced = programmer(scene, "send", "certificate-file", "--stream", "1")
    assert unannounced.code == 1 and "are not closed yet" in unannounced.err
    ok(programmer(scene, "statement", "print", "--stream", "1"))
    open_appeal = programmer(scene, "send", "certificate-file", "--stream", "1")
    assert open_appeal.code == 1 and "are not closed yet" in open_appeal.err and "п. 214" in open_appeal.err
    assert not list((scene.folder("programmer") / "outbox").glob("*certificate-file*"))
    ok(programmer(scene, "appeal", "close", "--stream", "1"))
    sent = ok(programmer(scene, "send", "certificate-file", "--stream", "1", "--json")).json()
    scored = _results(scene)
    assert sent["recipient"] == "017/certificate" and sent["applicants"] == len(scored) > 0
    assert Path(sent["path"]).is_file()
    stage.facts["first"] = sent["path"]
    logged = DataFolder(scene.folder("programmer")).audit_log.read_text(encoding="utf-8")
    assert "certificate-file.sent" in logged
    assert not any(row.surname in logged or (row.iin and row.iin in logged) for row in scored)


def test_the_certificate_workstation_takes_it_and_lists_the_stream(stage: Stage) -> None:
    scene = stage.scene
    missing = certificate(scene, "applicants", "--stream", "1")
    assert missing.code == 1 and "No certificate file of stream 1" in missing.err
    taken = ok(certificate(scene, "import", stage.facts["first"], "--operator", "Жұмабаев Ерлан", "--json")).json()
    scored = _results(scene)
    assert taken["taken"] and taken["stream"] == 1 and taken["applicants"] == len(scored)
    with certificate_session(scene) as session:  # the operator taking the file, as the audit log names them
        from common.db.certificate_models import CertificateStream

        assert session.scalars(select(CertificateStream.imported_by)).all() == ["Жұмабаев Ерлан"]
    again = ok(certificate(scene, "import", stage.facts["first"], "--json")).json()
    assert not again["taken"]
    listed = ok(certificate(scene, "applicants", "--stream", "1", "--json")).json()
    assert listed["site_code"] == "017"
    by_ikt = {item["ikt"]: item for item in listed["applicants"]}
    assert set(by_ikt) == {row.ikt for row in scored}
    for row in scored:
        item = by_ikt[row.ikt]
        assert (item["full_name"], item["iin"], item["school_code"], item["test_language"]) == (
            row.full_name, row.iin, row.school_code, row.test_language)
        assert item["subjects"] == [{"code": s.code, "points": s.points, "max": s.max_points} for s in row.subjects]
        assert (item["total"], item["max_total"], item["certificate_number"]) == (row.total, row.max_total, None)
    text = ok(certificate(scene, "applicants", "--stream", "1")).out
    assert f"{len(scored)} applicant(s), 0 with a certificate number" in text
    assert scored[0].full_name in text
    other = certificate(scene, "applicants", "--stream", "2")
    assert other.code == 1 and "No certificate file of stream 2" in other.err


def test_a_newer_file_replaces_the_stream_until_a_number_is_assigned(stage: Stage) -> None:
    from common.db.certificate_models import ISSUED, BlankPack, CertificateApplicant, UsedBlank

    scene = stage.scene
    newer = ok(programmer(scene, "send", "certificate-file", "--stream", "1", "--json")).json()
    replaced = ok(certificate(scene, "package", "open", newer["path"]))
    assert "replaces the one taken before" in replaced.out
    older = ok(certificate(scene, "import", stage.facts["first"], "--json")).json()
    assert not older["taken"]  # the first file again changes nothing
    with certificate_session(scene) as session:
        first = session.scalars(select(CertificateApplicant).order_by(CertificateApplicant.ikt)).first()
        assert first is not None
        pack = BlankPack(series="AA", first_number=1, count=10, digits=7, added_by="test")
        session.add(UsedBlank(pack=pack, number=1, status=ISSUED, applicant=first, recorded_by="test"))
        numbered_ikt = first.ikt
    latest = ok(programmer(scene, "send", "certificate-file", "--stream", "1", "--json")).json()
    refused = certificate(scene, "import", latest["path"])
    assert refused.code == 1
    assert "already has 1 certificate number(s) assigned" in refused.err and "not taken" in refused.err
    listed = ok(certificate(scene, "applicants", "--stream", "1", "--json")).json()
    kept = {item["ikt"]: item["certificate_number"] for item in listed["applicants"]}
    assert kept[numbered_ikt] == "0000001"
    retry = certificate(scene, "import", latest["path"])
    assert retry.code == 1 and "already has 1 certificate number(s)" in retry.err  # nothing was recorded as taken
