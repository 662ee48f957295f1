"""The certificate's QR (beyond the instruction): whoever holds a printed certificate verifies it offline with
НЦТ's public certificate root only — ``ent-nct verify-certificate IMAGE|PAYLOAD`` prints the data or refuses a
changed payload, a key НЦТ never endorsed and a malformed QR in one line; the QR reads from a 200-dpi scan."""

from __future__ import annotations

import json
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from exchange_support import secrets
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from common.errors import Refused
from common.security.certificate_qr import (
    PRINTED_SIZE_MM,
    CertificateData,
    SigningKey,
    certificate_root,
    dump_signing_key,
    issue_signing_key,
    load_root_public,
    load_signing_key,
    payload,
    qr_matrix,
    read_payload,
    root_public_pem,
    verify,
)
from common.security.keys import generate_key
from nct_hub.cli import main

DATA = CertificateData(
    ikt="123456789", name="ӘБДІҚАДЫРОВА Аружан Серікқызы", series="ЕНТ", number="0012345", issued=date(2026, 7, 10),
    subjects=(("1", 38), ("2", 17), ("3", 19), ("5", 45), ("6", 38)), total=157,
)


@pytest.fixture(autouse=True)
def _english() -> None:
    from common import i18n

    i18n.set_language("en")  # the conftest restores the language after each test


@pytest.fixture(scope="module")
def root_and_key() -> tuple[bytes, SigningKey]:
    root = certificate_root(generate_key())
    return root_public_pem(root), issue_signing_key(root, "017/certificate")


@pytest.fixture
def root_file(root_and_key: tuple[bytes, SigningKey], tmp_path: Path) -> Path:
    path = tmp_path / "certificate-root.pem"
    path.write_bytes(root_and_key[0])
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([*args, "--lang", "en"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def render_page(text: str, folder: Path) -> Path:
    """An A4 page with the QR at its printed size, printed to PDF and rasterised at 200 dpi (a scan)."""
    matrix = qr_matrix(text)
    bitmap = Image.fromarray(np.where(np.kron(matrix, np.ones((8, 8), dtype=bool)), 0, 255).astype(np.uint8), "L")
    pdf = folder / "certificate.pdf"
    canvas = Canvas(str(pdf), pagesize=A4)
    canvas.drawString(20 * mm, 270 * mm, "Certificate")
    canvas.drawImage(ImageReader(bitmap.convert("1")), 150 * mm, 20 * mm, PRINTED_SIZE_MM * mm, PRINTED_SIZE_MM * mm)
    canvas.save()
    subprocess.run(["pdftoppm", "-r", "200", "-gray", "-png", "-singlefile", str(pdf), str(folder / "scan")],
                   check=True)
    return folder / "scan.png"


def test_the_qr_of_a_printed_certificate_reads_from_a_200_dpi_scan_and_verifies(
    root_and_key: tuple[bytes, SigningKey], tmp_path: Path,
) -> None:
    root_pem, key = root_and_key
    text = payload(DATA, key)
    scan = render_page(text, tmp_path)
    assert read_payload(scan) == text
    verified = verify(read_payload(scan), load_root_public(root_pem))
    assert verified.data == DATA
    assert verified.issuer == "017/certificate"


def test_the_longest_name_still_fits_the_documented_qr_size(root_and_key: tuple[bytes, SigningKey]) -> None:
    longest = replace(DATA, name="Ә" * 40)  # 80 bytes of UTF-8
    text = payload(longest, root_and_key[1])
    assert len(text.encode("utf-8")) <= 400
    modules = qr_matrix(text).shape[0]
    assert modules <= 77  # version 15 at most
    assert PRINTED_SIZE_MM / modules >= 0.45  # a module ≥ 0.45 mm: ≥ 3.5 pixels at 200 dpi


def test_verify_certificate_prints_the_data_of_a_genuine_qr_from_its_text_or_a_scan(
    root_and_key: tuple[bytes, SigningKey], root_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    text = payload(DATA, root_and_key[1])
    code, out, _err = run(capsys, "verify-certificate", text, "--root", str(root_file),
                          "--data-dir", str(tmp_path / "none"))
    assert code == 0
    assert "123456789" in out and "ӘБДІҚАДЫРОВА Аружан Серікқызы" in out and "157" in out
    assert "ЕНТ 0012345" in out and "2026-07-10" in out and "017/certificate" in out
    code, out_scan, _err = run(capsys, "verify-certificate", str(render_page(text, tmp_path)), "--root",
                               str(root_file), "--data-dir", str(tmp_path / "none"))
    assert (code, out_scan) == (0, out)


@pytest.mark.parametrize("change", [("|157|", "|167|"), (",5:45,", ",5:55,"), ("Аружан", "Арујан")])
def test_a_changed_payload_is_refused_in_one_line(
    root_and_key: tuple[bytes, SigningKey], root_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    change: tuple[str, str],
) -> None:
    text = payload(DATA, root_and_key[1])
    assert change[0] in text
    code, out, err = run(capsys, "verify-certificate", text.replace(*change), "--root", str(root_file),
                         "--data-dir", str(tmp_path / "none"))
    assert code == 1 and out == ""
    assert err.strip() == "error: The certificate's data were changed after signing: it is not genuine." \
        or err.strip().endswith("The certificate's data were changed after signing: it is not genuine.")
    assert len(err.strip().splitlines()) == 1


def test_a_key_nct_never_endorsed_is_refused(
    root_and_key: tuple[bytes, SigningKey], root_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    other_root = certificate_root(generate_key())
    stranger = issue_signing_key(other_root, "017/certificate")  # endorsed by a root that is not НЦТ's
    code, out, err = run(capsys, "verify-certificate", payload(DATA, stranger), "--root", str(root_file),
                         "--data-dir", str(tmp_path / "none"))
    assert code == 1 and out == ""
    assert err.strip().endswith("The certificate was signed with a key НЦТ never endorsed.")
    # a genuine key's endorsement moved to another issuer's name does not verify either
    genuine = root_and_key[1]
    moved = SigningKey("018/certificate", genuine.private_key, genuine.endorsement)
    with pytest.raises(Refused, match="never endorsed"):
        verify(payload(DATA, moved), load_root_public(root_file.read_bytes()))


def test_a_malformed_qr_or_an_image_without_one_is_refused_in_one_line(
    root_and_key: tuple[bytes, SigningKey], root_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    text = payload(DATA, root_and_key[1])
    blank = tmp_path / "blank.png"
    Image.new("L", (800, 600), 255).save(blank)
    cases = {
        text[:-10]: "does not hold a certificate's data",  # a cut signature
        text.rsplit("|", 1)[0]: "does not hold a certificate's data",  # no signature at all
        "ENTC1|123|x": "does not hold a certificate's data",
        text.replace("|20260710|", "|20261310|"): "does not hold a certificate's data",
        str(blank): "No certificate QR code could be read on blank.png.",
    }
    for source, message in cases.items():
        code, out, err = run(capsys, "verify-certificate", source, "--root", str(root_file),
                             "--data-dir", str(tmp_path / "none"))
        assert code == 1 and out == "", source
        assert message in err and len(err.strip().splitlines()) == 1, err


def test_a_signing_key_file_loads_only_under_the_root_that_endorsed_it(root_and_key: tuple[bytes, SigningKey]) -> None:
    root_pem, key = root_and_key
    data = dump_signing_key(key, "workstation-password-1")
    loaded = load_signing_key(data, "workstation-password-1", load_root_public(root_pem))
    assert loaded.issuer == key.issuer and loaded.public_bytes() == key.public_bytes()
    with pytest.raises(Refused, match="password is wrong"):
        load_signing_key(data, "another-password-1", load_root_public(root_pem))
    other = root_public_pem(certificate_root(generate_key()))
    with pytest.raises(Refused, match="never endorsed"):
        load_signing_key(data, "workstation-password-1", load_root_public(other))


def test_nct_exports_its_certificate_root_and_verify_finds_it_in_the_data_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    from nct_hub.keys import load_keys

    folder = tmp_path / "nct"
    password = "nct-test-password-1"
    assert main(["init", "--data-dir", str(folder), "--lang", "en"]) == 0
    with secrets(ENT_PASSWORD=password):
        assert main(["keys", "init", "--data-dir", str(folder), "--lang", "en"]) == 0
        code, _out, err = run(capsys, "verify-certificate", "ENTC1|x", "--data-dir", str(folder))
        assert code == 1 and "give one with --root" in err
        code, out, _err = run(capsys, "certificate-root", "export", "--data-dir", str(folder))
        assert code == 0 and "certificate-root.pem" in out
    key = issue_signing_key(certificate_root(load_keys(folder, password).root_key), "017/certificate")
    code, out, _err = run(capsys, "verify-certificate", payload(DATA, key), "--data-dir", str(folder))
    assert code == 0 and "123456789" in out


def test_nct_issues_a_site_certificate_workstation_its_signing_key_file_and_password(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    folder = tmp_path / "nct"
    assert main(["init", "--data-dir", str(folder), "--lang", "en"]) == 0
    with secrets(ENT_PASSWORD="nct-test-password-1"):
        assert main(["keys", "init", "--data-dir", str(folder), "--lang", "en"]) == 0
        code, _out, err = run(capsys, "certificate-key", "issue", "--site", "017", "--out",
                              str(tmp_path / "key.json"), "--data-dir", str(folder))
        assert code == 1 and "Unknown site 017" in err and not (tmp_path / "key.json").exists()
        assert main(["site", "create", "--code", "017", "--name-kk", "Алматы ППЕНТ", "--name-ru", "ППЕНТ Алматы",
                     "--region", "02", "--data-dir", str(folder), "--lang", "en"]) == 0  # fmt: skip
        code, _out, _err = run(capsys, "--json", "certificate-key", "issue", "--site", "017", "--out",
                               str(tmp_path / "key.json"), "--data-dir", str(folder))
        assert code == 0
        issued = json.loads(_out)
        assert run(capsys, "certificate-root", "export", "--data-dir", str(folder))[0] == 0
    root = load_root_public((folder / "keys" / "certificate-root.pem").read_bytes())
    key = load_signing_key((tmp_path / "key.json").read_bytes(), issued["password"], root)
    assert key.issuer == issued["address"] == "017/certificate"
    code, out, _err = run(capsys, "verify-certificate", payload(DATA, key), "--data-dir", str(folder))
    assert code == 0 and "017/certificate" in out and "ӘБДІҚАДЫРОВА" in out


@pytest.mark.parametrize("change", [{"ikt": "12345678"}, {"name": "A|B"}, {"name": "Ә" * 41}, {"total": 1000},
                                    {"subjects": (("math", 38),)}, {"subjects": ()}])
def test_data_the_qr_cannot_carry_are_refused_before_signing(
    root_and_key: tuple[bytes, SigningKey], change: dict[str, object],
) -> None:
    with pytest.raises(Refused, match="cannot be written in its QR"):
        payload(replace(DATA, **change), root_and_key[1])  # type: ignore[arg-type]


def test_the_qr_reads_from_a_skewed_blurred_200_dpi_scan(
    root_and_key: tuple[bytes, SigningKey], tmp_path: Path,
) -> None:
    import cv2

    text = payload(replace(DATA, name="Ә" * 40), root_and_key[1])  # the largest QR
    page = cv2.imread(str(render_page(text, tmp_path)), cv2.IMREAD_GRAYSCALE)
    height, width = page.shape
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), 2.5, 1.0)
    scan = cv2.GaussianBlur(cv2.warpAffine(page, turn, (width, height), borderValue=255), (0, 0), 1.0)
    cv2.imwrite(str(tmp_path / "skewed.png"), scan)
    assert read_payload(tmp_path / "skewed.png") == text


def test_a_root_file_that_is_not_the_certificate_root_is_refused(
    root_and_key: tuple[bytes, SigningKey], tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    from cryptography.hazmat.primitives import serialization

    rsa_public = tmp_path / "root.pem"  # an RSA key, as НЦТ's X.509 root holds: not the certificate root
    rsa_public.write_bytes(generate_key().public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    garbage = tmp_path / "notes.txt"
    garbage.write_text("not a key")
    for root in (rsa_public, garbage):
        code, out, err = run(capsys, "verify-certificate", payload(DATA, root_and_key[1]), "--root", str(root),
                             "--data-dir", str(tmp_path / "none"))
        assert (code, out) == (1, "")
        assert err.strip().endswith("The file is not НЦТ's public certificate root.")
