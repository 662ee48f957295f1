"""The demo's certificate stage, in isolation: after the appeals of stream 1 the certificate workstation takes the
programmer's certificate file, installs the QR signing key НЦТ issued (its password never shown nor on a command
line), enters a pack by the barcode a wedge reader types, assigns the numbers, spoils the jammed blank and gives its
applicant the next one, calibrates a printer and prints the certificates, the register and the three acts into its
``printed/``; НЦТ verifies a printed QR from a 200-dpi scan and refuses it edited, and lists the numbers the
workstation sent; a rerun goes on without doing anything twice."""

from __future__ import annotations

import json
from pathlib import Path

import pypdfium2
import pytest
from applications_support import ok
from certificate_support import certificate
from exchange_support import NCT_PASSWORD
from exchange_support import Scene as ExchangeScene
from programmer_support import drawn_scene, programmer

from common.i18n import set_language
from common.workstation import DataFolder
from ent_demo import appeals_stage, certificate_stage, identify_stage, results_stage
from ent_demo.appeals_stage import appeals_steps
from ent_demo.certificate_stage import certificate_steps
from ent_demo.identify_stage import identify_steps
from ent_demo.results_stage import results_steps
from ent_demo.scenario import Scene


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def _actions(scene: ExchangeScene, action: str) -> int:
    log = DataFolder(scene.folder("certificate")).audit_log
    return sum(1 for line in log.read_text(encoding="utf-8").splitlines() if json.loads(line)["action"] == action)


def _pages(path: Path) -> int:
    document = pypdfium2.PdfDocument(str(path))
    try:
        return len(document)
    finally:
        document.close()


def test_the_certificate_stage_prints_stream_1s_certificates_and_nct_verifies_and_lists_them(
        tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    scene: ExchangeScene = drawn_scene(tmp_path_factory)
    scene.enrol("certificate")
    seats = ok(programmer(scene, "draw", "show", "--stream", "1", "--json")).json()["seats"]
    ivanov = next(seat["ikt"] for seat in seats if seat["full_name"].startswith("Иванов"))
    ok(programmer(scene, "late-seat", "--ikt", ivanov, "--member", "Сейітов Б.", "--language", "kk"))
    for module in (identify_stage, results_stage, appeals_stage, certificate_stage):
        monkeypatch.setattr(module, "NCT_PASSWORD", NCT_PASSWORD)
    demo = Scene(scene.root, passwords={role: scene.passwords[role] for role in ("programmer", "certificate")})
    assert all(step.run() for step in [*identify_steps(demo), *results_steps(demo), *appeals_steps(demo)])
    taken, key, blanks, prints, verify, numbers = certificate_steps(demo)
    capsys.readouterr()

    assert taken.run() is True
    shown = capsys.readouterr().out
    assert "$ ent-programmer send certificate-file --stream 1" in shown and "$ ent-certificate import" in shown
    applicants = ok(certificate(scene, "applicants", "--stream", "1", "--json")).json()["applicants"]
    assert applicants and all(item["certificate_number"] is None for item in applicants)

    assert key.run() is True
    shown = capsys.readouterr().out
    assert "--key-password-fd 3 3<key-password-file" in shown
    password = certificate_stage.key_slip(demo).read_text(encoding="utf-8").strip()
    assert password and password not in shown  # on its slip, never on the screen nor a command line
    assert "Certificate signing key of 017/certificate" in shown

    assert blanks.run() is True
    shown = capsys.readouterr().out
    assert "packs add --barcode AA0012001 --count" in shown
    applicants = ok(certificate(scene, "applicants", "--stream", "1", "--json")).json()["applicants"]
    blank_numbers = sorted(int(item["certificate_number"]) for item in applicants)
    assert len(set(blank_numbers)) == len(applicants)
    # the first blank jammed: its applicant has the blank after the stream's last, and 12001 is no one's
    assert 12001 not in blank_numbers and blank_numbers == [*range(12002, 12001 + len(applicants)),
                                                             12001 + len(applicants)]
    packs = ok(certificate(scene, "packs", "list", "--json")).json()
    assert [(pack["issued"], pack["spoiled"]) for pack in packs] == [(len(applicants), 1)]
    assert "spoil 'AA 0012001' --reason" in shown

    assert prints.run() is True
    capsys.readouterr()
    printed = DataFolder(scene.folder("certificate")).printed
    assert certificate_stage.certificates_pdf(demo).parent == printed  # kept in printed/, as every print
    assert _pages(certificate_stage.certificates_pdf(demo)) == len(applicants)
    names = sorted(path.name for path in printed.glob("*.pdf"))
    assert len([name for name in names if name.startswith("printer-test-page")]) == 1  # kept once, not twice
    for key_name in ("certificate-register", "certificate-act-received", "certificate-act-handover",
                     "certificate-act-returned"):
        assert any(name.startswith(key_name) for name in names), (key_name, names)
    offsets = ok(certificate(scene, "calibrate", "--list", "--json")).json()["printers"]
    assert [(item["dx_mm"], item["dy_mm"]) for item in offsets] == [(1.5, -0.5)]

    assert verify.run() is True
    shown, errors = capsys.readouterr()
    assert "Genuine certificate, signed by 017/certificate" in shown
    assert "Series and number: AA 00120" in shown
    assert errors.strip().endswith("The certificate's data were changed after signing: it is not genuine.")

    assert numbers.run() is True
    shown = capsys.readouterr().out
    listed = ok(scene.nct("certificates", "show", "--site", "017", "--stream", "1", "--json")).json()
    assert len(listed["certificates"]) == len(applicants)
    assert [(row["number"], row["reason"]) for row in listed["spoiled"]] == [
        ("0012001", certificate_stage.JAM_REASON)]
    assert "$ ent-nct certificates show --site 017 --stream 1" in shown

    # a rerun finds the file, the key, the pack, the jam and the package sent and goes on
    assert all(step.run() for step in (taken, key, blanks, prints, verify, numbers))
    capsys.readouterr()
    for action in ("certificate.pack.added", "certificate.blank.spoiled", "certificate-numbers.sent",
                   "certificate.signing-key.install"):
        assert _actions(scene, action) == 1, action
    again = ok(certificate(scene, "applicants", "--stream", "1", "--json")).json()["applicants"]
    assert sorted(item["certificate_number"] for item in again) == sorted(
        item["certificate_number"] for item in applicants)
