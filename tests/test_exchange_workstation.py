"""Packages between НЦТ and enrolled workstations, through the programs' commands.

Every bad package is refused with its own line and leaves the workstation's database and audit log
exactly as they were.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from exchange_support import NCT_PASSWORD, Scene, craft, foreign_pki, manifest_dict, shared_scene

from common.exchange.addresses import NCT_ADDRESS, workstation
from common.exchange.package import seal_package
from common.i18n import set_language
from common.security.keys import Identity, load_certificate_pem
from nct_hub.keys import load_nct_identity


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Scene:
    return shared_scene(tmp_path_factory.mktemp("workstation") / "scene")


@pytest.fixture
def scene(base: Scene, tmp_path: Path) -> Scene:
    return base.copy(tmp_path / "scene")


def payload_file(scene: Scene, value: dict[str, object], name: str = "payload.json") -> Path:
    path = scene.out / name
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    return path


def nct_send(scene: Scene, kind: str, to: str, value: dict[str, object]) -> Path:
    sent = scene.nct(
        "package",
        "send",
        "--kind",
        kind,
        "--to",
        to,
        "--payload",
        str(payload_file(scene, value)),
        "--out",
        str(scene.out),
        "--json",
    )
    assert sent.code == 0, sent.err
    return Path(sent.json()["path"])


def snapshot(folder: Path) -> tuple[list[str], bytes]:
    with sqlite3.connect(folder / "workstation.sqlite") as connection:
        dump = list(connection.iterdump())
    return dump, (folder / "audit.log").read_bytes()


def certificate_of(scene: Scene, role: str) -> object:
    with sqlite3.connect(scene.folder(role) / "workstation.sqlite") as connection:
        pem = connection.execute("SELECT certificate_pem FROM exchange_identity").fetchone()[0]
    return load_certificate_pem(pem)


def test_packages_go_both_ways(scene: Scene) -> None:
    package = nct_send(scene, "test-message", "017/applications", {"text": "Сәлем"})
    taken = scene.ws("applications", "package", "open", str(package))
    assert taken.code == 0 and "taken" in taken.out

    sent = scene.ws(
        "applications",
        "package",
        "send",
        "--kind",
        "daily-statistics",
        "--to",
        "nct",
        "--payload",
        str(payload_file(scene, {"date": "2027-03-01", "applications": 412})),
        "--json",
    )
    assert sent.code == 0, sent.err
    imported = scene.nct("import", sent.json()["path"])
    assert imported.code == 0, imported.err
    listed = scene.ws("applications", "package", "list", "--json", password=False).json()["packages"]
    assert {(row["direction"], row["party"], row["kind"]) for row in listed} >= {
        ("in", "nct", "test-message"),
        ("out", "nct", "daily-statistics"),
        ("in", "nct", "enrolment"),
    }
    heads = scene.nct("audit", "heads", "--json").json()["heads"]
    assert [head["sender"] for head in heads] == ["017/applications"]


def test_package_open_gives_the_importer_its_audit_log_and_operator(
    scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An importer audits in the log the command records in, under the operator who takes the package."""
    from sqlalchemy.orm import Session

    from common.exchange import importers
    from common.exchange.package import OpenedPackage

    given: list[importers.ImportContext] = []

    def spy(session: Session, opened: OpenedPackage, context: importers.ImportContext) -> str:
        given.append(context)
        context.audit_log.record(session, actor=context.operator, action="test.imported",
                                 target=opened.manifest.kind)
        return "Imported by the spy."

    monkeypatch.setitem(importers._IMPORTERS, ("test-message", "applications"), spy)
    package = nct_send(scene, "test-message", "017/applications", {"text": "Сәлем"})
    taken = scene.ws("applications", "package", "open", str(package), "--operator", "Жұмабаев Ерлан")
    assert taken.code == 0 and "Imported by the spy." in taken.out, taken.err
    folder = scene.folder("applications")
    [context] = given
    assert context.operator == "Жұмабаев Ерлан"
    assert context.audit_log.path.resolve() == (folder / "audit.log").resolve()
    entries = [json.loads(line) for line in (folder / "audit.log").read_text(encoding="utf-8").splitlines()]
    assert [(entry["action"], entry["actor"]) for entry in entries[-2:]] == [
        ("test.imported", "Жұмабаев Ерлан"), ("package.take", "Жұмабаев Ерлан")]
    assert scene.ws("applications", "audit", "verify", password=False).code == 0


def test_a_workstation_learns_a_peer_from_its_first_package(scene: Scene) -> None:
    applicants = payload_file(scene, {"applicants": []}, "applicants.json")
    unknown = scene.ws(
        "applications",
        "package",
        "send",
        "--kind",
        "applicant-database",
        "--to",
        "017/programmer",
        "--payload",
        str(applicants),
    )
    assert unknown.code == 1 and "No certificate of 017/programmer" in unknown.err
    hello = scene.ws(
        "programmer",
        "package",
        "send",
        "--kind",
        "test-message",
        "--to",
        "017/applications",
        "--payload",
        str(payload_file(scene, {"hello": 1})),
        "--json",
    )
    assert hello.code == 0, hello.err
    assert scene.ws("applications", "package", "open", hello.json()["path"]).code == 0
    # the first package back teaches the programmer the applications workstation (an applicant database
    # would do too, but its importer wants a real hand-over: tests/test_applications_closing.py)
    back = scene.ws(
        "applications",
        "package",
        "send",
        "--kind",
        "test-message",
        "--to",
        "017/programmer",
        "--payload",
        str(applicants),
        "--json",
    )
    assert back.code == 0, back.err
    assert scene.ws("programmer", "package", "open", back.json()["path"]).code == 0
    listed = scene.ws("programmer", "package", "list", "--json", password=False).json()["packages"]
    assert ("in", "017/applications", "test-message") in {(row["direction"], row["party"], row["kind"])
                                                         for row in listed}


def test_every_bad_package_is_refused_with_its_own_line_and_changes_nothing(scene: Scene) -> None:
    nct = load_nct_identity(scene.nct_dir, NCT_PASSWORD)
    applications = certificate_of(scene, "applications")
    me = workstation("017", "applications")
    # Enough payload that the middle of the file lies in the signed content.
    first, second = (
        nct_send(scene, "test-message", "017/applications", {"n": n, "pad": os.urandom(10000).hex()}) for n in (1, 2)
    )
    assert scene.ws("applications", "package", "open", str(second)).code == 0

    def write(name: str, data: bytes) -> Path:
        path = scene.out / name
        path.write_bytes(data)
        return path

    good = second.read_bytes()
    altered = bytearray(good)
    altered[len(altered) // 2] ^= 0x40
    impostor = foreign_pki().nct
    bad = {
        "recipient": nct_send(scene, "test-message", "017/programmer", {"n": 3}),
        "truncated": write("cut.entpkg", good[: len(good) - 700]),
        "altered": write("altered.entpkg", bytes(altered)),
        "signature": write(
            "forged.entpkg",
            seal_package(
                kind="test-message", payload={"n": 4}, sender=impostor, recipient_certificate=applications, sequence=9
            ),
        ),
        "kind": write(
            "kind.entpkg", craft(manifest_dict(NCT_ADDRESS, me, kind="horoscope", sequence=9), {}, nct, applications)
        ),
        "format": write("format.entpkg", craft({"format": 2}, {}, nct, applications, fix_digests=False)),
        "superseded": first,
    }
    before = snapshot(scene.folder("applications"))
    messages = {}
    for reason, path in bad.items():
        result = scene.ws("applications", "package", "open", str(path))
        assert result.code == 1, (reason, result.out)
        assert len(result.err.strip().splitlines()) == 1, (reason, result.err)
        messages[reason] = result.err.strip()
        assert snapshot(scene.folder("applications")) == before, reason
    repeat = scene.ws("applications", "package", "open", str(second))
    assert repeat.code == 0 and "already taken" in repeat.out
    assert snapshot(scene.folder("applications")) == before
    assert messages["truncated"] == messages["altered"]  # one reason: the file is not what was sealed
    assert len(set(messages.values())) == len(messages) - 1
    assert "another site or workstation" in messages["recipient"]
    assert "truncated or altered" in messages["truncated"] and "truncated or altered" in messages["altered"]
    assert "Bad signature" in messages["signature"]
    assert "horoscope" in messages["kind"]
    assert "format 2" in messages["format"]
    assert "Superseded" in messages["superseded"]


def test_refusals_are_translated(scene: Scene) -> None:
    package = nct_send(scene, "test-message", "017/programmer", {"n": 1})
    from exchange_support import run_cli, workstation_cli

    texts = set()
    for language in ("kk", "ru", "en"):
        result = run_cli(
            workstation_cli("applications"),
            [
                "package",
                "open",
                str(package),
                "--data-dir",
                str(scene.folder("applications")),
                "--lang",
                language,
            ],
            ENT_PASSWORD=scene.passwords["applications"],
        )
        assert result.code == 1
        texts.add(result.err)
    assert len(texts) == 3
    assert any("ППЕНТ" in text for text in texts) and any("ҰБТӨП" in text for text in texts)


def test_the_key_is_needed_to_open_or_send(scene: Scene) -> None:
    package = nct_send(scene, "test-message", "017/applications", {"n": 1})
    scene.passwords["applications"] = "0000-0000-0000-0"
    refused = scene.ws("applications", "package", "open", str(package))
    assert refused.code == 1 and "Wrong password" in refused.err


def test_an_identity_round_trip_through_the_nct_files(scene: Scene) -> None:
    nct = load_nct_identity(scene.nct_dir, NCT_PASSWORD)
    assert isinstance(nct, Identity) and nct.address == NCT_ADDRESS
    with pytest.raises(Exception, match="Wrong НЦТ password"):
        load_nct_identity(scene.nct_dir, "not-the-password")


def test_nct_can_send_a_workstation_its_peers_certificates(scene: Scene) -> None:
    sent = scene.nct(
        "site", "certificates", "--site", "017", "--role", "applications", "--out", str(scene.out), "--json"
    )
    assert sent.code == 0, sent.err
    assert sent.json()["roles"] == ["programmer"]
    taken = scene.ws("applications", "package", "open", sent.json()["path"])
    assert taken.code == 0 and "1 certificate(s)" in taken.out
    handed = scene.ws(
        "applications",
        "package",
        "send",
        "--kind",
        "applicant-database",
        "--to",
        "017/programmer",
        "--payload",
        str(payload_file(scene, {"applicants": []})),
        "--json",
    )
    assert handed.code == 0, handed.err
