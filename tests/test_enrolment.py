"""Enrolment: НЦТ makes a workstation's key, package and sheet; the workstation binds its folder to them."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from exchange_support import CODE_LINE, Scene, shared_scene
from pdf_support import pdf_text

from common.db.engine import open_engine, transaction
from common.exchange.store import latest_payload
from common.i18n import set_language


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Scene:
    return shared_scene(tmp_path_factory.mktemp("enrolment") / "scene")


@pytest.fixture
def fresh(scene: Scene, tmp_path: Path) -> Scene:
    return scene.copy(tmp_path / "scene")


def table_count(folder: Path, table: str) -> int:
    with sqlite3.connect(folder / "workstation.sqlite") as connection:
        count: int = connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return count


def test_the_sheet_names_site_workstation_holder_and_password_in_both_languages(scene: Scene) -> None:
    applications = pdf_text(scene.out / "enrol-017-applications.pdf")
    assert scene.passwords["applications"] in applications
    assert "017" in applications and "Алматы қаласы ППЕНТ" in applications and "ППЕНТ города Алматы" in applications
    assert "АРМ «Заявления ЕНТ»" in applications  # the workstation, in Russian
    assert "Руководитель ППЕНТ" in applications and "ҰБТӨП басшысы" in applications  # handed to the site head
    programmer = pdf_text(scene.out / "enrol-017-programmer.pdf")
    assert "Программист Министерства" in programmer and "Министрлік бағдарламашысы" in programmer  # п. 52.2
    assert scene.passwords["programmer"] in programmer and scene.passwords["applications"] not in programmer


def test_enrolment_binds_the_folder_to_its_site_and_role(scene: Scene) -> None:
    info = scene.ws("applications", "info", password=False)
    assert info.code == 0
    with sqlite3.connect(scene.folder("applications") / "workstation.sqlite") as connection:
        site = connection.execute("SELECT site_code FROM workstation_info").fetchone()[0]
        names = connection.execute("SELECT code, name_kk, name_ru, region_code FROM sites").fetchall()
        identity = connection.execute("SELECT address, role FROM exchange_identity").fetchone()
        peers = {row[0] for row in connection.execute("SELECT address FROM exchange_peers")}
    assert site == "017"
    assert names == [("017", "Алматы қаласы ППЕНТ", "ППЕНТ города Алматы", "02")]
    assert identity == ("017/applications", "applications")
    assert "nct" in peers
    # The programmer, enrolled later, already knows the applications workstation's certificate.
    with sqlite3.connect(scene.folder("programmer") / "workstation.sqlite") as connection:
        assert {row[0] for row in connection.execute("SELECT address FROM exchange_peers")} == {
            "nct",
            "017/applications",
        }


def test_the_directories_come_with_the_enrolment(scene: Scene) -> None:
    from common.directories import load_directories_payload

    engine = open_engine(scene.folder("applications") / "workstation.sqlite")
    try:
        with transaction(engine) as session:
            stored = latest_payload(session, "directories")
            assert stored is not None
            directories = load_directories_payload(stored.payload)
    finally:
        engine.dispose()
    assert directories.version == 1
    assert len(directories.regions) >= 14 and len(directories.schools) > 1000


def test_nothing_secret_is_in_the_database_or_the_audit_log_in_clear(scene: Scene) -> None:
    folder = scene.folder("applications")
    stored = (folder / "workstation.sqlite").read_bytes() + (folder / "audit.log").read_bytes()
    password = scene.passwords["applications"]
    assert password.encode() not in stored and password.replace("-", "").encode() not in stored
    with sqlite3.connect(folder / "workstation.sqlite") as connection:
        protected = connection.execute("SELECT protected_key FROM exchange_identity").fetchone()[0]
    key, _certificate, _others = pkcs12.load_key_and_certificates(protected, password.encode())
    assert key is not None
    for encoding in (serialization.Encoding.DER, serialization.Encoding.PEM):
        clear = key.private_bytes(encoding, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        assert clear not in stored
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(protected, b"wrong")


def test_a_wrong_password_is_refused_and_nothing_is_written(fresh: Scene) -> None:
    fresh.passwords["base-ppent"] = "0000-0000-0000-0"
    package = fresh.out / "enrol-017-applications.entpkg"
    assert fresh.ws("base-ppent", "init", password=False).code == 0
    before = (
        table_count(fresh.folder("base-ppent"), "exchange_received"),
        (fresh.folder("base-ppent") / "audit.log").read_bytes(),
    )
    wrong_role = fresh.ws("base-ppent", "enrol", "--package", str(package))
    assert wrong_role.code == 1 and "for the applications workstation" in wrong_role.err
    made = fresh.nct(
        "enrolment", "make", "--site", "017", "--role", "base-ppent", "--out", str(fresh.out / "base.entpkg")
    )
    assert made.code == 0
    wrong = fresh.ws("base-ppent", "enrol", "--package", str(fresh.out / "base.entpkg"))
    assert wrong.code == 1 and "Wrong password" in wrong.err
    after = (
        table_count(fresh.folder("base-ppent"), "exchange_received"),
        (fresh.folder("base-ppent") / "audit.log").read_bytes(),
    )
    assert after == before


def test_a_folder_enrolled_at_one_site_refuses_another(fresh: Scene) -> None:
    package = fresh.out / "other.entpkg"
    assert fresh.nct("enrolment", "make", "--site", "018", "--role", "applications", "--out", str(package)).code == 0
    fresh.passwords["applications"] = CODE_LINE.findall(pdf_text(package.with_suffix(".pdf")))[0]
    refused = fresh.ws("applications", "enrol", "--package", str(package))
    assert refused.code == 1 and "already enrolled at site 017" in refused.err


def test_a_new_key_for_the_same_workstation_replaces_the_old(fresh: Scene) -> None:
    old_password = fresh.passwords["applications"]
    fresh.enrol("applications")
    assert fresh.passwords["applications"] != old_password
    fresh.passwords["applications"] = old_password
    assert fresh.ws("applications", "package", "list", password=False).code == 0  # listing needs no key
    sent = fresh.ws(
        "applications",
        "package",
        "send",
        "--kind",
        "daily-statistics",
        "--to",
        "nct",
        "--payload",
        str(_payload(fresh)),
    )
    assert sent.code == 1 and "Wrong password" in sent.err


def _payload(scene: Scene) -> Path:
    path = scene.out / "payload.json"
    path.write_text('{"applications": 10}', encoding="utf-8")
    return path


def test_enrolment_is_refused_before_init_and_for_a_plain_package(fresh: Scene, tmp_path: Path) -> None:
    from exchange_support import run_cli, workstation_cli

    package = fresh.out / "enrol-017-applications.entpkg"
    missing = run_cli(
        workstation_cli("applications"),
        [
            "enrol",
            "--package",
            str(package),
            "--data-dir",
            str(tmp_path / "none"),
        ],
        ENT_PASSWORD=fresh.passwords["applications"],
    )
    assert missing.code == 1 and "init" in missing.err
    sent = fresh.nct(
        "package",
        "send",
        "--kind",
        "test-message",
        "--to",
        "017/applications",
        "--payload",
        str(_payload(fresh)),
        "--out",
        str(fresh.out),
    )
    assert sent.code == 0
    plain = fresh.ws("applications", "enrol", "--package", sent.out.split(": ")[-1].strip())
    assert plain.code == 1 and "not an enrolment package" in plain.err


def test_openssl_checks_an_enrolment_package_against_the_root(scene: Scene, tmp_path: Path) -> None:
    result = subprocess.run(
        [
            "openssl",
            "cms",
            "-verify",
            "-inform",
            "DER",
            "-in",
            str(scene.out / "enrol-017-programmer.entpkg"),
            "-CAfile",
            str(scene.nct_dir / "keys" / "root.pem"),
            "-binary",
            "-out",
            str(tmp_path / "content.zip"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_enrolling_twice_with_the_same_package_is_a_no_op_that_says_so(tmp_path: Path) -> None:
    set_language("en")
    scene = Scene(tmp_path / "scene")
    scene.out.mkdir(parents=True)
    assert scene.nct("init").code == 0
    assert scene.nct("keys", "init").code == 0
    assert scene.nct("site", "create", "--code", "017", "--name-kk", "Көкшетау", "--name-ru", "Кокшетау",
                     "--region", "11", "--building", "1").code == 0
    package = scene.enrol("applications")
    again = scene.ws("applications", "enrol", "--package", str(package))
    assert again.code == 0
    assert "already taken" in again.out
