"""What ``ent-nct`` does with packages a tester forged or sent out of turn, and with a crash mid-action.

Packages are forged with real keys of enrolled workstations (so they pass every CMS check); crashes
are ``kill -9``-like exits at named points (``common.crashpoints``) of the real program.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from test_nct_cli import PASSWORD, Nct, _Made, _nct, directories

from common.exchange import cms, container
from common.exchange.manifest import AuditHead, canonical_json, payload_digest, sha256_hex
from common.exchange.package import seal_package
from common.security.keys import Identity
from nct_hub import sample_data

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENT_PASSWORD", PASSWORD)


@pytest.fixture(name="made", scope="module")
def made_fixture(tmp_path_factory: pytest.TempPathFactory) -> _Made:
    """An НЦТ folder with keys (slow: RSA), made once; every test works on its own copy."""
    import test_nct_cli

    made: _Made = test_nct_cli.made_nct.__wrapped__(tmp_path_factory)  # type: ignore[attr-defined]
    return made


@pytest.fixture(name="nct")
def nct_fixture(made: _Made, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Nct:
    return _nct(made, tmp_path / "nct", capsys)


def _manifest(sender: Identity, kind: str, files: dict[str, bytes], sequence: int = 1) -> bytes:
    digests = {name: sha256_hex(data) for name, data in files.items()}
    return canonical_json({
        "format": 1, "kind": kind, "sender": str(sender.address), "recipient": "nct",
        "site_code": sender.address.site_code, "stream": None, "sequence": sequence,
        "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "files": digests,
        "payload_digest": payload_digest(digests), "audit_head": None, "program": "forged",
    })


def _forge(nct: Nct, path: Path, content: bytes, sender: Identity | None = None) -> Path:
    """``content`` signed by an enrolled workstation and encrypted for НЦТ: every CMS check passes."""
    path.write_bytes(cms.encrypt(cms.sign(content, sender or nct.applications), nct.nct_certificate))
    return path


def _corrupt_deflate(nct: Nct) -> bytes:
    payload = canonical_json({"rows": [[index, "x" * 40] for index in range(2000)]})
    files = {container.PAYLOAD_NAME: payload}
    content = bytearray(container.build(_manifest(nct.applications, "daily-statistics", files), files))
    info = zipfile.ZipFile(io.BytesIO(bytes(content))).getinfo(container.PAYLOAD_NAME)
    start = info.header_offset + 30 + len(info.filename)
    for offset in range(start + 10, start + info.compress_size - 10, 7):
        content[offset] ^= 0x5A
    return bytes(content)


def _bomb(nct: Nct, size: int) -> bytes:
    """A ZIP of about 70 KB whose payload.json honestly declares ``size`` bytes of zeros."""
    payload = b'{"x":"' + b"0" * size + b'"}'
    files = {container.PAYLOAD_NAME: payload}
    return container.build(_manifest(nct.applications, "daily-statistics", files), files)


def test_every_file_of_a_batch_gets_its_verdict_even_when_a_certified_sender_forged_the_zip(
    nct: Nct, tmp_path: Path
) -> None:
    good = nct.seal(tmp_path, "good.entpkg", "daily-statistics", {"rows": [[1, 2]]}, 1, nct.applications)
    not_zip = _forge(nct, tmp_path / "not-zip.entpkg", b"this is not a ZIP at all" * 50)
    deflate = _forge(nct, tmp_path / "deflate.entpkg", _corrupt_deflate(nct))
    code, out, err = nct.run_apart("import", str(not_zip), str(deflate), str(good))
    assert code == 1
    assert out.startswith("good.entpkg: Daily statistics of site 017, number 1, imported")
    assert err.splitlines() == [
        "ent-nct: not-zip.entpkg: The package file is truncated or altered: ask the sender for it again.",
        "ent-nct: deflate.entpkg: The package file is truncated or altered: ask the sender for it again.",
    ]


def test_an_expansion_bomb_is_refused_by_its_declared_size_before_it_is_expanded(
    nct: Nct, tmp_path: Path
) -> None:
    limit = 64 * 1024**2  # daily statistics: 64 MB a file (common/exchange/kinds.py)
    bomb = _forge(nct, tmp_path / "bomb.entpkg", _bomb(nct, limit + 1))
    assert bomb.stat().st_size < 1024**2
    good = nct.seal(tmp_path, "good.entpkg", "daily-statistics", {"rows": []}, 1, nct.applications)
    code, out, err = nct.run_apart("import", str(bomb), str(good))
    assert code == 1 and out.startswith("good.entpkg: ")
    assert err == ("ent-nct: bomb.entpkg: The package is too large: its content would expand beyond 128 MB, the "
                   "most a package of kind 'daily-statistics' may hold. It was not opened.\n")


def test_a_zip_that_lies_about_its_sizes_is_stopped_while_expanding() -> None:
    from common.exchange.kinds import DEFAULT_LIMITS

    payload = b"0" * (2 * 1024**2)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("manifest.json", b"{}")
        archive.writestr(container.PAYLOAD_NAME, payload, compress_type=zipfile.ZIP_DEFLATED)
    data = bytearray(buffer.getvalue())
    # Make both headers declare 100 bytes: the reader must not trust them.
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.index(signature, data.index(signature) + 1) if signature == b"PK\x03\x04" else data.rindex(signature)
        data[at + size_at:at + size_at + 4] = (100).to_bytes(4, "little")
    small = container.Limits(per_file=1024**2, total=DEFAULT_LIMITS.total)
    with pytest.raises(ValueError):  # zipfile stops at the declared size: a CRC error, never 2 MB in memory
        container.read(bytes(data), {container.PAYLOAD_NAME: sha256_hex(payload)}, small)
    with pytest.raises(container.TooLarge):
        container.read(bytes(buffer.getvalue()), {container.PAYLOAD_NAME: sha256_hex(payload)}, small)


# --- crashes between the data and the audit entry --------------------------------------------


def _crash(nct: Nct, point: str, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "ENT_CRASH_AT": point, "ENT_PASSWORD": PASSWORD, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "nct_hub.cli", *args, "--data-dir", str(nct.folder), "--lang", "en"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300, check=False,
    )


def _audit_actions(nct: Nct) -> list[str]:
    lines = (nct.folder / "audit.log").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["action"] for line in lines]


def test_a_crash_between_an_import_and_its_audit_entry_leaves_neither(nct: Nct, tmp_path: Path) -> None:
    applicants = sample_data.sample_applicants(directories(), 50, region_code="11")
    package = nct.seal(tmp_path, "applicants.entpkg", "applicants", applicants, 1, nct.applications)
    crashed = _crash(nct, "nct.import.after_data", "import", str(package))
    assert crashed.returncode == 137, crashed.stderr
    assert nct.run("audit", "verify")[0] == 0
    code, out = nct.run("import", str(package))
    assert code == 0 and "Applicant file of site 017, number 1, imported (applicants 50" in out
    assert _audit_actions(nct).count("nct.import") == 1
    code, out = nct.run("audit", "verify")
    assert code == 0, out


def test_a_crash_between_a_directory_version_and_its_audit_entry_leaves_neither(nct: Nct) -> None:
    crashed = _crash(nct, "nct.directories.after_data", "directories", "import", "--sample")
    assert crashed.returncode == 137, crashed.stderr
    code, out = nct.run("directories", "list")
    assert code == 0 and "no directories yet" in out
    assert nct.run("directories", "import", "--sample")[0] == 0
    assert _audit_actions(nct).count("nct.directories.import") == 1
    code, out = nct.run("audit", "verify")
    assert code == 0, out


def test_site_creation_and_its_audit_entry_commit_together(nct: Nct) -> None:
    crashed = _crash(nct, "nct.audit.before_commit", "site", "create", "--code", "019", "--name-kk", "Ш",
                     "--name-ru", "Ш", "--region", "11")
    assert crashed.returncode == 137, crashed.stderr
    assert nct.run("site", "list")[1] == "No sites yet."
    assert nct.run("site", "create", "--code", "019", "--name-kk", "Ш", "--name-ru", "Ш", "--region", "11")[0] == 0
    assert _audit_actions(nct)[-1] == "nct.site.create"
    assert nct.run("audit", "verify")[0] == 0


# --- audit heads ----------------------------------------------------------------------------------


def _with_head(nct: Nct, tmp_path: Path, name: str, sequence: int, entries: int, digest: str,
               made: datetime, kind: str = "daily-statistics") -> Path:
    data = seal_package(kind=kind, payload={"rows": []}, sender=nct.applications,
                        recipient_certificate=nct.nct_certificate, sequence=sequence,
                        audit_head=AuditHead(entries, digest), created_at=made)
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_an_audit_head_that_goes_back_is_flagged_and_every_head_is_kept(nct: Nct, tmp_path: Path) -> None:
    start = datetime.now(UTC) - timedelta(hours=3)
    first = _with_head(nct, tmp_path, "1.entpkg", 1, 40, "a" * 64, start)
    third = _with_head(nct, tmp_path, "3.entpkg", 3, 46, "c" * 64, start + timedelta(hours=2))
    report = _with_head(nct, tmp_path, "2.entpkg", 1, 43, "b" * 64, start + timedelta(hours=1), "reports")
    code, out, err = nct.run_apart("import", str(first), str(third))
    assert code == 0 and err == ""
    code, out, err = nct.run_apart("import", str(report))  # made before number 3, carried to НЦТ after it
    assert code == 0 and err == "", err
    rewritten = _with_head(nct, tmp_path, "4.entpkg", 4, 37, "d" * 64, start + timedelta(hours=3))
    code, out, err = nct.run_apart("import", str(rewritten))
    assert code == 1
    assert out.startswith("4.entpkg: Daily statistics of site 017, number 4, imported")
    assert err == ("ent-nct: 4.entpkg: Warning: the audit log of 017/applications went backwards: a later package "
                   "carries 37 entries, an earlier one 40. The log may have been rewritten: have the site run "
                   "'audit check-head' with the heads 'ent-nct audit heads' lists.\n")
    forked = _with_head(nct, tmp_path, "5.entpkg", 5, 46, "e" * 64, start + timedelta(hours=4))
    code, out, err = nct.run_apart("import", str(forked))
    assert code == 1 and "audit log of 017/applications forked: its entry 46" in err

    code, out, err = nct.run_apart("audit", "heads", "--json")
    heads = json.loads(out)["heads"]
    assert [(head["entries"], head["verdict"]) for head in heads] == [
        (40, "first"), (46, "extends"), (43, "out-of-order"), (37, "backwards"), (46, "forked")]
    code, text = nct.run("audit", "heads")
    assert text.splitlines()[0] == "017/applications" and len(text.splitlines()) == 6
    assert "37  " + "d" * 64 in text and "backwards  <-- check this workstation's audit log" in text
    actions = [json.loads(line) for line in (nct.folder / "audit.log").read_text(encoding="utf-8").splitlines()]
    assert [entry["details"]["audit_head"] for entry in actions if entry["action"] == "nct.import"] == [
        "first", "extends", "out-of-order", "backwards", "forked"]


def test_a_re_enrolled_workstation_starts_a_new_chain_without_a_warning(nct: Nct, tmp_path: Path) -> None:
    from common.exchange.addresses import workstation
    from common.security.keys import generate_key, issue_certificate
    from nct_hub.keys import load_keys

    start = datetime.now(UTC) - timedelta(hours=2)
    first = _with_head(nct, tmp_path, "1.entpkg", 1, 400, "a" * 64, start)
    keys = load_keys(nct.folder, PASSWORD)
    key = generate_key()
    address = workstation("017", "applications")
    again = Identity.of(issue_certificate(keys.root_key, keys.root, key.public_key(), address), key)
    data = seal_package(kind="daily-statistics", payload={"rows": []}, sender=again,
                        recipient_certificate=nct.nct_certificate, sequence=2, audit_head=AuditHead(3, "b" * 64),
                        created_at=start + timedelta(hours=1))
    fresh = tmp_path / "2.entpkg"
    fresh.write_bytes(data)
    code, _out, err = nct.run_apart("import", str(first), str(fresh))
    assert code == 0 and err == ""
    heads = json.loads(nct.run_apart("audit", "heads", "--json")[1])["heads"]
    verdicts: list[Any] = [head["verdict"] for head in heads]
    assert verdicts == ["first", "first"]


def test_an_unexpected_error_in_one_file_does_not_stop_the_batch(
    nct: Nct, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nct_hub import imports

    real = imports.import_opened

    def failing(session: Any, opened: Any, **kwargs: Any) -> Any:
        if opened.manifest.kind == "reports":
            raise RuntimeError("as sqlite3.DataError did for the tester")
        return real(session, opened, **kwargs)

    monkeypatch.setattr(imports, "import_opened", failing)
    broken = nct.seal(tmp_path, "broken.entpkg", "reports", {"rows": []}, 1, nct.applications)
    good = nct.seal(tmp_path, "good.entpkg", "daily-statistics", {"rows": []}, 1, nct.applications)
    code, out, err = nct.run_apart("import", str(broken), str(good))
    assert code == 1 and out.startswith("good.entpkg: Daily statistics of site 017, number 1, imported")
    assert err == ("ent-nct: broken.entpkg: Not imported: unexpected error (RuntimeError); nothing of this file "
                   "was kept.\n")
    assert nct.run("import", str(broken))[0] == 1  # nothing of it was recorded: it is tried again


def test_a_crash_while_making_an_enrolment_leaves_no_package_and_no_entry(nct: Nct, tmp_path: Path) -> None:
    assert nct.run("site", "create", "--code", "017", "--name-kk", "Ш", "--name-ru", "Ш", "--region", "11")[0] == 0
    out = tmp_path / "enrol"
    out.mkdir()
    make = ("enrolment", "make", "--site", "017", "--role", "applications", "--out", str(out / "enrol.entpkg"))
    crashed = _crash(nct, "exchange.outbox.before_commit", *make)
    assert crashed.returncode == 137, crashed.stderr
    assert "enrol.entpkg" not in [path.name for path in out.iterdir()]
    code, text = nct.run(*make)
    assert code == 0, text
    assert sorted(path.name for path in out.iterdir()) == ["enrol.entpkg", "enrol.pdf"]
    assert _audit_actions(nct).count("nct.enrolment.make") == 1
    code, text = nct.run("info")
    assert code == 0 and "Audit log: OK, " in text and "Schema revision: 0004 (head 0004)" in text


def test_the_audit_head_stays_with_one_database_and_another_is_refused(nct: Nct, tmp_path: Path) -> None:
    other = f"sqlite:///{tmp_path / 'central.sqlite'}"  # stands for PostgreSQL given with --db
    assert not (nct.folder / "audit-head.json").exists()  # init and keys init: the head is still the folder's
    code, text = nct.run("site", "create", "--code", "017", "--name-kk", "Ш", "--name-ru", "Ш", "--region", "11",
                         "--db", other)
    assert code == 0, text
    assert nct.run("audit", "verify", "--db", other)[0] == 0
    before = (nct.folder / "audit.log").read_bytes()
    code, out, err = nct.run_apart("site", "create", "--code", "018", "--name-kk", "Ш", "--name-ru", "Ш",
                                   "--region", "11")
    assert code == 1 and out == ""
    assert err.startswith("ent-nct: НЦТ's audit log is kept with the database sqlite:///") and "not nct.sqlite" in err
    assert (nct.folder / "audit.log").read_bytes() == before
    assert nct.run("site", "list", "--db", other)[1].startswith("017")
    code, text = nct.run("info", "--db", other)
    assert code == 0 and "Audit log: OK, 3 entries" in text
