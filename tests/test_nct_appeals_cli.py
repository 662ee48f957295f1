"""``ent-nct appeals …`` as НЦТ's operator runs it: a sealed ``appeals`` package (with a technical appeal's
two images) imported and listed, the Republican commission's decisions entered (final, п. 205), the
``appeal-decisions`` package sealed to the site's programmer, and the ``final-results`` package shown."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from appeal_nct_support import ATTACHMENTS, final_payload, stream_payload
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from exchange_support import secrets
from pdf_support import pdf_text

from common.exchange.addresses import workstation
from common.exchange.ledger import MemoryLedger
from common.exchange.package import open_package, seal_package
from common.security.keys import Identity, TrustStore, fingerprint, generate_key, issue_certificate
from nct_hub.cli import main
from nct_hub.db.engine import database_url, open_engine, transaction
from nct_hub.db.site_models import WorkstationCertificate
from nct_hub.keys import load_keys

PASSWORD = "nct-test-password-1"


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Identity, x509.Certificate, x509.Certificate]:
    """НЦТ with keys, site 017 and its programmer's certificate on file (slow: RSA), made once."""
    folder = tmp_path_factory.mktemp("nct-appeals") / "nct"
    assert main(["init", "--data-dir", str(folder), "--lang", "en"]) == 0
    with secrets(ENT_PASSWORD=PASSWORD):
        assert main(["keys", "init", "--data-dir", str(folder), "--lang", "en"]) == 0
        assert main(["site", "create", "--code", "017", "--name-kk", "Алматы ППЕНТ", "--name-ru", "ППЕНТ Алматы",
                     "--region", "02", "--data-dir", str(folder), "--lang", "en"]) == 0  # fmt: skip
    keys = load_keys(folder, PASSWORD)
    key = generate_key()
    address = workstation("017", "programmer")
    certificate = issue_certificate(keys.root_key, keys.root, key.public_key(), address)
    engine = open_engine(database_url(folder, None))
    with transaction(engine) as session:
        session.add(WorkstationCertificate(
            site_code="017", role="programmer", address=str(address), serial=f"{certificate.serial_number:x}",
            fingerprint=fingerprint(certificate), certificate_pem=certificate.public_bytes(Encoding.PEM).decode()))
    engine.dispose()
    return folder, Identity.of(certificate, key), keys.identity.certificate, keys.root


def test_appeals_travel_to_the_republican_commission_and_its_decisions_back(
    made: tuple[Path, Identity, x509.Certificate, x509.Certificate], tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    template, programmer, certificate, root = made
    folder = tmp_path / "nct"
    shutil.copytree(template, folder)

    def run(*args: str) -> tuple[int, str]:
        capsys.readouterr()
        with secrets(ENT_PASSWORD=PASSWORD):
            code = main([*args, "--data-dir", str(folder), "--lang", "en"])
        captured = capsys.readouterr()
        return code, (captured.out + captured.err).strip()

    def seal(name: str, kind: str, payload: dict[str, object], sequence: int,
             attachments: dict[str, bytes] | None = None) -> str:
        path = tmp_path / name
        path.write_bytes(seal_package(kind=kind, payload=payload, sender=programmer, recipient_certificate=certificate,
                                      sequence=sequence, stream=1, attachments=attachments))  # fmt: skip
        return str(path)

    code, out = run("import", seal("appeals-1.entpkg", "appeals", stream_payload(), 1, ATTACHMENTS))
    assert code == 0 and "Appeal file of site 017, number 1, imported (appeals 3, tasks 5, technical 1, " \
                         "no-show 1, decided-kept 0)." in out
    code, out = run("appeals", "list", "--site", "017", "--stream", "1")
    assert code == 0 and "Site 017, stream 1, application 1 (technical, registered): ИКТ 100000001, room 01" in out
    assert "  HKZ:3 key-mismatch: not-satisfied (1/1)" in out and "  MATH:12 read-as-empty: pending (0/1)" in out
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    code, out = run("appeals", "send-decisions", "--site", "017", "--stream", "1", "--out", str(out_dir))
    assert (code, out) == (1, "ent-nct: Task MATH:12 of application 1 is not decided yet.")

    decide = ("appeals", "decide", "--site", "017", "--stream", "1")
    code, out = run(*decide, "--number", "1", "--task", "MATH:12", "--decision", "satisfied")
    assert (code, out) == (0, "Application 1, task MATH:12: satisfied, 1 points.")
    code, out = run(*decide, "--number", "1", "--task", "MATH:12", "--decision", "not-satisfied")
    assert code == 1 and "already decided: the decision is final (п. 205)" in out
    assert run(*decide, "--number", "1", "--task", "MATH:31", "--decision", "not-satisfied")[0] == 0
    assert run(*decide, "--number", "2", "--task", "HKZ:7", "--decision", "satisfied", "--points", "1",
               "--note", "B and D are both right")[0] == 0  # fmt: skip
    audit = (folder / "audit.log").read_text(encoding="utf-8")
    assert audit.count("nct.appeal.decide") == 3 and "Председатель" not in audit

    code, out = run("--json", "appeals", "send-decisions", "--site", "017", "--stream", "1", "--out", str(out_dir))
    assert code == 0, out
    path = Path(json.loads(out)["path"])
    opened = open_package(path.read_bytes(), programmer, TrustStore(root), MemoryLedger())
    assert opened.manifest.kind == "appeal-decisions" and opened.manifest.stream == 1
    assert [(item["number"], item["subject"], item["task"], item["decision"], item["points"], item["note"])
            for item in opened.payload["decisions"]] == [
        (1, "MATH", 12, "satisfied", 1, ""), (1, "MATH", 31, "not-satisfied", 0, ""),
        (2, "HKZ", 3, "not-satisfied", 1, ""), (2, "HKZ", 7, "satisfied", 1, "B and D are both right")]  # fmt: skip

    code, out = run("import", seal("final-1.entpkg", "final-results", final_payload(), 1))
    assert code == 0, out
    code, out = run("results", "show", "--site", "017", "--stream", "1", "--final")
    assert code == 0 and "results with appeal number 1, 6 seated, 1 tasks changed by appeals." in out
    assert run("results", "show", "--site", "017", "--stream", "2", "--final") == (
        1, "ent-nct: Site 017 has sent no results with appeal for stream 2.")


def test_ncts_appeal_forms_are_printed_in_kazakh_and_russian(
    made: tuple[Path, Identity, x509.Certificate, x509.Certificate], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    template, programmer, certificate, _root = made
    folder = tmp_path / "nct"
    shutil.copytree(template, folder)
    package = tmp_path / "appeals-1.entpkg"
    package.write_bytes(seal_package(kind="appeals", payload=stream_payload(), sender=programmer,
                                     recipient_certificate=certificate, sequence=1, stream=1,
                                     attachments=ATTACHMENTS))  # fmt: skip
    out = tmp_path / "forms"
    out.mkdir()

    def run(*args: str) -> tuple[int, str]:
        capsys.readouterr()
        with secrets(ENT_PASSWORD=PASSWORD):
            code = main([*args, "--data-dir", str(folder), "--lang", "en"])
        captured = capsys.readouterr()
        return code, (captured.out + captured.err).strip()

    assert run("import", str(package))[0] == 0
    assert run("appeals", "decide", "--site", "017", "--stream", "1", "--number", "1", "--task", "MATH:12",
               "--decision", "satisfied")[0] == 0  # fmt: skip
    texts = {}
    for form in ("register", "protocol", "technical"):
        code, printed = run("appeals", "print", "--site", "017", "--stream", "1", "--form", form, "--out", str(out))
        assert code == 0, printed
        for language in ("kk", "ru"):
            path = out / f"appeals-{form}-017-s01-{language}.pdf"
            assert f"Printed: {path}" in printed
            texts[form, language] = " ".join(pdf_text(path).split())
    register = texts["register", "ru"]
    assert "Приложение 21" in register and "Правил" in register and "100000002" in register
    assert "удовлетворено" in register and "не явился" in register
    assert "қағидаларына 21-қосымша" in texts["register", "kk"] and "ППЕНТ Алматы" in register
    protocol = texts["protocol", "ru"]
    assert "Приложение 22" in protocol and "HKZ:7" in protocol and "MATH:12" not in protocol
    assert "5/2" in protocol.replace(" ", "")  # the local commission's vote
    technical = texts["technical", "ru"]
    assert "Приложение 40" in technical and "C 62%*" in technical and "C 64%*" in technical
    assert "MATH:31" in technical and "HKZ:7" not in technical
    assert run("appeals", "print", "--site", "017", "--stream", "2", "--form", "register", "--out", str(out)) == (
        1, "ent-nct: Site 017 has sent no appeals for stream 2.")
    audit = (folder / "audit.log").read_text(encoding="utf-8")
    assert audit.count("nct.appeals.print") == 6
