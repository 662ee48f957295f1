"""``ent-nct`` as НЦТ's operator runs it: directories, sealed packages from sites, national stats."""

from __future__ import annotations

import csv
import io
import json
import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from exchange_support import secrets
from nct_support import postgres_nct_url_fixture  # noqa: F401 - fixture

from common.directories import Directories
from common.exchange.addresses import workstation
from common.exchange.package import seal_package
from common.security.keys import Identity, generate_key, issue_certificate
from nct_hub import sample_data
from nct_hub.cli import main
from nct_hub.keys import load_keys

PASSWORD = "nct-test-password-1"


@cache
def directories() -> Directories:
    return sample_data.generate_directories()


@dataclass
class Nct:
    folder: Path
    base: Identity
    applications: Identity
    nct_certificate: Any
    capsys: pytest.CaptureFixture[str]
    db: tuple[str, ...] = ()

    def run(self, *args: str) -> tuple[int, str]:
        code, out, err = self.run_apart(*args)
        return code, (out + err).strip()

    def run_apart(self, *args: str) -> tuple[int, str, str]:
        """The exit code, stdout and stderr apart."""
        self.capsys.readouterr()
        with secrets(ENT_PASSWORD=PASSWORD):
            code = main([*args, "--data-dir", str(self.folder), "--lang", "en", *self.db])
        captured = self.capsys.readouterr()
        return code, captured.out, captured.err

    def seal(self, tmp: Path, name: str, kind: str, payload: dict[str, Any], sequence: int,
             sender: Identity | None = None) -> Path:
        data = seal_package(kind=kind, payload=payload, sender=sender or self.base,
                            recipient_certificate=self.nct_certificate, sequence=sequence)
        path = tmp / name
        path.write_bytes(data)
        return path


@dataclass(frozen=True)
class _Made:
    folder: Path
    base: Identity
    applications: Identity
    nct_certificate: Any


@pytest.fixture(scope="module")
def made_nct(tmp_path_factory: pytest.TempPathFactory) -> _Made:
    """An НЦТ folder with keys (slow: RSA), made once; every test works on its own copy."""
    folder = tmp_path_factory.mktemp("nct-template") / "nct"
    assert main(["init", "--data-dir", str(folder), "--lang", "en"]) == 0
    with secrets(ENT_PASSWORD=PASSWORD):
        assert main(["keys", "init", "--data-dir", str(folder), "--lang", "en"]) == 0
    keys = load_keys(folder, PASSWORD)

    def enrolled(role: str) -> Identity:  # as «enrolment make» does, without the package round trip
        key = generate_key()
        certificate = issue_certificate(keys.root_key, keys.root, key.public_key(), workstation("017", role))
        return Identity.of(certificate, key)

    return _Made(folder, enrolled("base-ppent"), enrolled("applications"), keys.identity.certificate)


def _nct(made: _Made, folder: Path, capsys: pytest.CaptureFixture[str], db: tuple[str, ...] = ()) -> Nct:
    shutil.copytree(made.folder, folder)
    return Nct(folder, made.base, made.applications, made.nct_certificate, capsys, db)


@pytest.fixture
def nct(made_nct: _Made, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Nct:
    return _nct(made_nct, tmp_path / "nct", capsys)


def test_sites_send_the_database_and_applicants_and_stats_show_them(nct: Nct, tmp_path: Path) -> None:
    code, out = nct.run("directories", "import", "--sample")
    assert code == 0 and "Directory version 1 imported" in out
    code, out = nct.run("site", "create", "--code", "017", "--name-kk", "№17 ППЕНТ", "--name-ru", "ППЕНТ №17",
                        "--region", "11")
    assert code == 0, out
    site = sample_data.sample_site_database(directories(), "017", "11", streams=3, rooms=12, schools=50)
    applicants = sample_data.sample_applicants(directories(), 900, region_code="11")
    files = [
        nct.seal(tmp_path, "site-1.entpkg", "site-database", site, 1),
        nct.seal(tmp_path, "applicants-1.entpkg", "applicants", applicants, 1, nct.applications),
    ]
    code, out = nct.run("import", *map(str, files))
    assert code == 0, out
    assert "Site database of site 017, number 1, imported (streams 3, rooms 12" in out
    assert "applicants 900" in out

    assert nct.run("site", "create", "--code", "018", "--name-kk", "Алматы ҰБТӨП", "--name-ru", "ППЕНТ Алматы",
                   "--region", "75")[0] == 0  # registered, nothing sent yet
    code, out = nct.run("stats", "--csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    silent = next(row for row in rows if row["level"] == "site" and row["site_code"] == "018")
    assert (silent["region_name"], silent["rooms"], silent["applicants"]) == ("город Алматы", "0", "0")
    assert rows[-1]["level"] == "national" and rows[-1]["sites"] == "2"
    site_row = next(row for row in rows if row["level"] == "site")
    assert site_row["site_name"] == "ППЕНТ №17" and site_row["region_code"] == "11"
    assert (site_row["rooms"], site_row["schools"], site_row["applicants"]) == ("12", "50", "900")
    stream_rows = [row for row in rows if row["level"] == "stream"]
    assert [row["stream"] for row in stream_rows] == ["1", "2", "3"]
    seats = {row["stream"]: sum(room["seats"] for room in site["room_streams"]
                                if room["stream"] == int(row["stream"]) and not room["reserve"])
             for row in stream_rows}
    assert {row["stream"]: int(row["seats"]) for row in stream_rows} == seats

    code, text = nct.run("stats")
    assert "Region 11 Акмолинская область: sites 1" in text and "Site 017 ППЕНТ №17" in text
    assert "stream 2 (2018-06-21)" in text

    code, _ = nct.run("audit", "verify")
    assert code == 0
    audit = (nct.folder / "audit.log").read_text(encoding="utf-8")
    assert audit.count('"nct.import"') == 2 and '"nct.directories.import"' in audit
    assert applicants["applicants"]["rows"][0][1] not in audit  # no ИИН in the audit log


def test_a_later_send_supersedes_and_bad_files_are_refused_one_by_one(nct: Nct, tmp_path: Path) -> None:
    first = sample_data.sample_site_database(directories(), "017", "11", schools=40)
    second = sample_data.sample_site_database(directories(), "017", "11", schools=25)
    old = nct.seal(tmp_path, "old.entpkg", "site-database", first, 1)
    new = nct.seal(tmp_path, "new.entpkg", "site-database", second, 2)
    damaged = tmp_path / "damaged.entpkg"
    damaged.write_bytes(new.read_bytes()[:-40])
    code, out, err = nct.run_apart("import", str(damaged), str(new))
    assert code == 1
    assert out.splitlines() == [out.splitlines()[0]]  # results on stdout, refusals on stderr
    assert out.startswith("new.entpkg: Site database of site 017, number 2, imported")
    assert err.splitlines() == ["ent-nct: damaged.entpkg: The package file is truncated or altered: ask the "
                                "sender for it again."]
    code, out, err = nct.run_apart("import", str(old), str(new))
    assert code == 1
    assert "old.entpkg: Superseded" in err and "new.entpkg: This package (number 2) was already taken" in out
    code, out, err = nct.run_apart("import", str(old), str(damaged), "--json")
    assert code == 1 and [entry["file"] for entry in json.loads(out)] == [str(old), str(damaged)]
    assert len(err.splitlines()) == 2
    code, out = nct.run("stats", "--json")
    data = json.loads(out)
    assert next(row for row in data if row["level"] == "site")["schools"] == 25


def test_directories_template_export_and_list(nct: Nct, tmp_path: Path) -> None:
    code, out = nct.run("directories", "template", str(tmp_path / "template.xlsx"))
    assert code == 0 and (tmp_path / "template.xlsx").exists()
    code, out = nct.run("directories", "list")
    assert code == 0 and "no directories yet" in out
    assert nct.run("directories", "import", "--sample")[0] == 0
    code, out = nct.run("directories", "export", str(tmp_path / "csv"))
    assert code == 0 and (tmp_path / "csv" / "schools.csv").read_bytes() == (
        Path(sample_data.__file__).with_name("data") / "schools.csv").read_bytes()
    (tmp_path / "csv" / "regions.csv").write_text("code,name_kk,name_ru\n1,x,\n", encoding="utf-8")
    code, out = nct.run("directories", "import", str(tmp_path / "csv" / "regions.csv"))
    assert code == 1 and out.endswith("regions.csv, row 2: column name_ru is empty.")
    code, out = nct.run("directories", "list")
    assert out.count("Version") == 1 and "Schools and colleges" in out


def test_the_same_commands_on_postgresql(made_nct: _Made, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         postgres_nct_url: str) -> None:
    nct = _nct(made_nct, tmp_path / "nct", capsys, ("--db", postgres_nct_url))
    assert nct.run("directories", "import", "--sample")[0] == 0
    site = sample_data.sample_site_database(directories(), "017", "61", streams=2, rooms=6, schools=12)
    package = nct.seal(tmp_path, "site.entpkg", "site-database", site, 1)
    code, out = nct.run("import", str(package))
    assert code == 0, out
    code, out = nct.run("stats", "--csv")
    site_row = next(row for row in csv.DictReader(io.StringIO(out)) if row["level"] == "site")
    assert (site_row["region_name"], site_row["rooms"], site_row["schools"]) == ("Туркестанская область", "6", "12")
    assert not (nct.folder / "nct.sqlite").exists()


def test_directories_are_sealed_for_every_enrolled_workstation_of_a_site(nct: Nct, tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.serialization import Encoding

    from common.directories import load_directories_payload
    from common.exchange.ledger import MemoryLedger
    from common.exchange.package import open_package
    from common.security.keys import TrustStore, fingerprint
    from nct_hub.db.engine import open_engine, transaction
    from nct_hub.db.site_models import WorkstationCertificate

    assert nct.run("directories", "import", "--sample")[0] == 0
    assert nct.run("site", "create", "--code", "017", "--name-kk", "ППЕНТ", "--name-ru", "ППЕНТ",
                   "--region", "11")[0] == 0
    (tmp_path / "out").mkdir()
    send = ("directories", "send", "--site", "017", "--out", str(tmp_path / "out"))
    code, out = nct.run(*send)
    assert code == 1 and "Site 017 has no enrolled workstation" in out
    engine = open_engine(f"sqlite:///{nct.folder / 'nct.sqlite'}")
    with transaction(engine) as session:
        certificate = nct.base.certificate
        session.add(WorkstationCertificate(
            site_code="017", role="base-ppent", address="017/base-ppent", serial=str(certificate.serial_number),
            fingerprint=fingerprint(certificate), certificate_pem=certificate.public_bytes(Encoding.PEM).decode()))
    engine.dispose()
    code, out = nct.run(*send)
    assert code == 0, out
    [package] = list((tmp_path / "out").iterdir())
    root = load_keys(nct.folder, PASSWORD).root
    opened = open_package(package.read_bytes(), nct.base, TrustStore(root), MemoryLedger())
    assert opened.manifest.kind == "directories"
    assert load_directories_payload(opened.payload).schools == directories().schools


def test_an_unreachable_database_is_one_line_without_its_password(nct: Nct) -> None:
    code, out = nct.run("stats", "--db", "postgresql://nct:s3cret@/nct?host=/nonexistent/socket")
    assert code == 1
    assert out.startswith("ent-nct: Cannot open НЦТ's database postgresql+psycopg://nct:***@/nct")
    assert "s3cret" not in out and len(out.splitlines()) == 1
