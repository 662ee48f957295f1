"""The certificate printed on its blank (п. 215–218): НЦТ's signing key installed on АРМ «Сертификат» only when НЦТ's
root (trusted since the enrolment) vouches for the certificate root in its file; a stream's issued certificates
printed one a page in the certificate order, only the data in the blank's fields, with a QR that reads back from a
200-dpi render and verifies with ``ent-nct verify-certificate``; a printer's calibration moves every field by its
offset; a long name is set smaller, never cut."""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest
import zxingcpp
from base_ppent_support import database
from exchange_support import NCT_PASSWORD, Run, Scene, make_scene, run_cli
from pdf_support import pdf_text
from PIL import Image

from common.errors import Refused
from common.i18n import set_language
from common.workstation import DataFolder

KEY_VARIABLE = "ENT_KEY_PASSWORD"
DPI = 200
PX_PER_MM = DPI / 25.4


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


@contextlib.contextmanager
def key_password(value: str | None) -> Iterator[None]:
    saved = os.environ.pop(KEY_VARIABLE, None)
    if value is not None:
        os.environ[KEY_VARIABLE] = value
    try:
        yield
    finally:
        os.environ.pop(KEY_VARIABLE, None)
        if saved is not None:
            os.environ[KEY_VARIABLE] = saved


@dataclass
class Stage:
    scene: Scene
    key_file: Path
    password: str

    def certificate(self, *args: str, password: str | None = None) -> Run:
        from arm_certificate.cli import build

        with key_password(password):
            return run_cli(build(), [*args, "--data-dir", str(self.scene.folder("certificate"))])

    def print(self, out: Path, *args: str) -> Run:
        return self.certificate("print", "certificates", "--stream", "1", "--out", str(out), *args,
                                password=self.password)


APPLICANTS = (  # ikt, surname, name, patronymic, school, language, number or None
    ("200000003", "Сейітов", "Бауыржан", None, "110002", "ru", 3),
    ("200000001", "Әлиев", "Нұрлан", "Серікұлы", "110001", "kk", 1),
    ("200000002", "Абаева", "Дана", None, "110001", "kk", 2),
    ("200000004", "Smith", "John", None, "110002", "en", None),
)
SUBJECTS = [{"code": "history_kz", "points": 15, "max": 20}, {"code": "math_literacy", "points": 8, "max": 10},
            {"code": "reading_literacy", "points": 9, "max": 10}, {"code": "01", "points": 38, "max": 50},
            {"code": "02", "points": 40, "max": 50}]


def _fill_stream(folder: DataFolder) -> None:
    from common.db.certificate_models import ISSUED, BlankPack, CertificateApplicant, CertificateStream, UsedBlank

    with database(folder) as session:
        stream = CertificateStream(stream_number=1, site_code="017", site_name_kk="Алматы ППЕНТ",
                                   site_name_ru="ППЕНТ Алматы", exam_date=date(2026, 7, 1), package_id="test",
                                   imported_by="test")
        pack = BlankPack(series="ЖА", first_number=1, count=10, digits=7, added_by="test")
        for ikt, surname, name, patronymic, school, language, number in APPLICANTS:
            applicant = CertificateApplicant(
                ikt=ikt, iin="050102000002", surname=surname, name=name, patronymic=patronymic, school_code=school,
                school_name_kk=f"№{school[-1]} мектеп", school_name_ru=f"Школа №{school[-1]}",
                test_language=language, subjects=SUBJECTS, total=110, max_total=140)
            stream.applicants.append(applicant)
            if number is not None:
                session.add(UsedBlank(pack=pack, number=number, status=ISSUED, applicant=applicant,
                                      issued_on=date(2026, 7, 10), recorded_by="test"))
        session.add(stream)
        later = CertificateStream(stream_number=2, site_code="017", site_name_kk="", site_name_ru="",
                                  exam_date=date(2026, 7, 2), package_id="test-2", imported_by="test")
        later.applicants.append(CertificateApplicant(
            ikt="200000009", iin=None, surname="Ким", name="Ая", patronymic=None, school_code="110001",
            school_name_kk="", school_name_ru="", test_language="ru", subjects=SUBJECTS, total=110, max_total=140))
        session.add(later)


@pytest.fixture(scope="module")
def stage(tmp_path_factory: pytest.TempPathFactory) -> Stage:
    scene = make_scene(tmp_path_factory.mktemp("print") / "scene", roles=("certificate",))
    issued = scene.nct("--json", "certificate-key", "issue", "--site", "017", "--out", str(scene.out / "key.json"))
    assert issued.code == 0, issued.err
    assert scene.nct("certificate-root", "export").code == 0
    return Stage(scene, scene.out / "key.json", issued.json()["password"])


def _foreign_key_file(path: Path, issuer: str = "017/certificate") -> None:
    """A key file made exactly as НЦТ makes one, but under another RSA root: НЦТ never issued it."""
    from common.security.certificate_qr import certificate_root, dump_signing_key, issue_signing_key
    from common.security.keys import generate_key

    other = generate_key()
    path.write_bytes(dump_signing_key(issue_signing_key(certificate_root(other), issuer), "other-password-1", other))


def test_the_signing_key_is_installed_only_when_ncts_root_vouches_for_it(stage: Stage, tmp_path: Path) -> None:
    from common.security.certificate_qr import certificate_root, dump_signing_key, issue_signing_key
    from common.security.keys import generate_key
    from nct_hub.keys import load_keys

    folder = stage.scene.folder("certificate")
    none = stage.certificate("signing-key", "show")
    assert none.code == 1 and "No certificate signing key is installed" in none.err
    on_argv = stage.certificate("signing-key", "install", str(stage.key_file), "--key-password", stage.password)
    assert on_argv.code == 1 and "other users can read the command line" in on_argv.err
    wrong = stage.certificate("signing-key", "install", str(stage.key_file), password="not-the-password-1")
    assert wrong.code == 1 and "password is wrong" in wrong.err
    _foreign_key_file(tmp_path / "foreign.json")
    foreign = stage.certificate("signing-key", "install", str(tmp_path / "foreign.json"), password="other-password-1")
    assert foreign.code == 1 and len(foreign.err.strip().splitlines()) == 1
    assert "not signed by НЦТ's root key this workstation trusts" in foreign.err
    # the certificate root vouched for by НЦТ, but the key endorsed by another root: still refused
    rsa_root = load_keys(stage.scene.nct_dir, NCT_PASSWORD).root_key
    stranger = issue_signing_key(certificate_root(generate_key()), "017/certificate")
    (tmp_path / "stranger.json").write_bytes(dump_signing_key(stranger, "other-password-1", rsa_root))
    endorsed = stage.certificate("signing-key", "install", str(tmp_path / "stranger.json"), password="other-password-1")
    assert endorsed.code == 1 and "НЦТ never endorsed" in endorsed.err
    # a key НЦТ issued to another site's workstation
    other_site = issue_signing_key(certificate_root(rsa_root), "018/certificate")
    (tmp_path / "018.json").write_bytes(dump_signing_key(other_site, "other-password-1", rsa_root))
    moved = stage.certificate("signing-key", "install", str(tmp_path / "018.json"), password="other-password-1")
    assert moved.code == 1 and "issued to 018/certificate" in moved.err
    # a file without the vouched root (the root taken from the same file unverified is not an option)
    old = json.loads(stage.key_file.read_text())
    del old["certificate_root_signature"]
    (tmp_path / "old.json").write_text(json.dumps(old))
    bare = stage.certificate("signing-key", "install", str(tmp_path / "old.json"), password=stage.password)
    assert bare.code == 1 and "does not carry НЦТ's certificate root" in bare.err
    assert not (folder / "keys" / "certificate-signing-key.json").exists()

    installed = stage.certificate("--json", "signing-key", "install", str(stage.key_file), password=stage.password)
    assert installed.code == 0, installed.err
    shown = stage.certificate("--json", "signing-key", "show")
    assert shown.json() == installed.json() and shown.json()["issuer"] == "017/certificate"
    assert re.fullmatch(r"([0-9A-F]{4} ){7}[0-9A-F]{4}", shown.json()["fingerprint"])
    kept = folder / "keys" / "certificate-signing-key.json"
    assert kept.read_bytes() == stage.key_file.read_bytes()  # kept as issued: still encrypted
    assert "ENCRYPTED PRIVATE KEY" in kept.read_text()
    assert "certificate.signing-key.install" in DataFolder(folder).audit_log.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def printed(stage: Stage, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Stream 1 with three of its four applicants numbered, the key installed and the certificates printed."""
    folder = DataFolder(stage.scene.folder("certificate"))
    out = tmp_path_factory.mktemp("printed") / "stream1.pdf"
    nothing = stage.print(out)
    assert nothing.code == 1 and "No certificate file of stream 1" in nothing.err
    _fill_stream(folder)
    assert stage.certificate("signing-key", "install", str(stage.key_file), password=stage.password).code == 0
    ran = stage.print(out, "--json")
    assert ran.code == 0, ran.err
    return out


def render(pdf: Path, page: int, folder: Path, name: str) -> Path:
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", "-singlefile", "-f", str(page), "-l", str(page),
                    str(pdf), str(folder / name)], check=True)
    return folder / f"{name}.png"


def words(pdf: Path, page: int) -> list[tuple[str, float, float, float, float]]:
    """Each word on ``page`` with its box in mm (x0, y0 from the top, x1, y1)."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)
    return [(text, *(float(value) * 25.4 / 72 for value in box)) for *box, text in found]  # type: ignore[misc]


def qr_corner(image: Path) -> tuple[str, float, float]:
    barcodes = [code for code in zxingcpp.read_barcodes(Image.open(image)) if code.valid]
    assert len(barcodes) == 1
    corner = barcodes[0].position.top_left
    return barcodes[0].text, corner.x / PX_PER_MM, corner.y / PX_PER_MM


def test_the_streams_issued_certificates_print_one_a_page_in_the_certificate_order(stage: Stage,
                                                                                   printed: Path) -> None:
    pages = [pdf_text(printed).split("\f")[index] for index in range(3)]
    # by school, then by surname in the Kazakh alphabet (А before Ә); the applicant without a number is not printed
    assert ["Абаева" in pages[0], "Әлиев" in pages[1], "Сейітов" in pages[2]] == [True, True, True]
    assert "Smith" not in pdf_text(printed)
    assert "ЖА 0000002" in pages[0] and "200000002" in pages[0] and "050102000002" in pages[0]
    assert "Қазақстан тарихы" in pages[0] and "қазақ тілі" in pages[0] and "№1 мектеп" in pages[0]
    assert "История Казахстана" in pages[2] and "русский язык" in pages[2] and "Школа №2" in pages[2]
    assert "10.07.2026" in pages[0] and "110" in pages[0]
    assert "СЕРТИФИКАТ" not in pages[0]  # the blank's own print is not printed again
    from arm_certificate.certificate_print import certificate_language

    assert [certificate_language(language) for language in ("kk", "ru", "en")] == ["kk", "ru", "ru"]
    one = stage.print(printed.with_name("one.pdf"), "--ikt", "200000003", "--json")
    assert one.json()["ikt"] == ["200000003"] and one.json()["certificates"] == 1
    unnumbered = stage.print(printed.with_name("none.pdf"), "--ikt", "200000004")
    assert unnumbered.code == 1 and "ИКТ 200000004 has no certificate number" in unnumbered.err
    unnumbered_stream = stage.certificate("print", "certificates", "--stream", "2", "--out",
                                          str(printed.with_name("none.pdf")), password=stage.password)
    assert unnumbered_stream.code == 1 and "No certificate number is assigned in stream 2" in unnumbered_stream.err
    unknown = stage.print(printed.with_name("none.pdf"), "--ikt", "299999999")
    assert unknown.code == 1 and not printed.with_name("none.pdf").exists()
    preview = stage.print(printed.with_name("preview.pdf"), "--preview-blank")
    assert preview.code == 0 and "СЕРТИФИКАТ" in pdf_text(printed.with_name("preview.pdf"))


def test_the_command_keeps_its_print_in_printed_and_audits_it_by_name_as_the_window_does(stage: Stage, printed: Path,
                                                                                          tmp_path: Path) -> None:
    """``print certificates`` used to write only ``--out``: nothing in ``printed/`` and an audit entry naming the
    user's copy; the window kept it in ``printed/``, as every other print is."""
    folder = DataFolder(stage.scene.folder("certificate"))

    def kept() -> set[Path]:
        return set(folder.printed.glob("certificates_*.pdf"))

    def audited(action: str) -> list[dict[str, object]]:
        entries = [json.loads(line) for line in folder.audit_log.read_text(encoding="utf-8").splitlines()]
        return [entry for entry in entries if entry["action"] == action]

    before = kept()
    out = tmp_path / "copy.pdf"
    copied = stage.print(out, "--json")
    assert copied.code == 0, copied.err
    path = Path(copied.json()["path"])
    assert kept() - before == {path} and path.read_bytes() == out.read_bytes()  # in printed/, and the copy
    assert copied.json()["out"] == str(out)
    assert audited("form.printed")[-1]["target"] == path.name
    assert audited("certificate.print")[-1]["details"]["file"] == path.name  # the kept file, not the copy
    alone = stage.certificate("print", "certificates", "--stream", "1", "--ikt", "200000003", "--json",
                              password=stage.password)
    assert alone.code == 0, alone.err  # --out is no longer required
    assert kept() - before == {path, Path(alone.json()["path"])} and alone.json()["out"] is None
    assert "200000003" in Path(alone.json()["path"]).name
    assert "chain intact" in stage.certificate("audit", "verify").out


def test_the_printed_qr_reads_back_from_200_dpi_and_verifies_at_nct(stage: Stage, printed: Path,
                                                                    tmp_path: Path) -> None:
    scan = render(printed, 2, tmp_path, "scan")
    text, _x, _y = qr_corner(scan)
    verified = stage.scene.nct("--json", "verify-certificate", str(scan))
    assert verified.code == 0, verified.err
    data = verified.json()
    assert (data["ikt"], data["name"], data["series"], data["number"]) == (
        "200000001", "Әлиев Нұрлан Серікұлы", "ЖА", "0000001")
    assert data["issuer"] == "017/certificate" and data["issued"] == "2026-07-10" and data["total"] == 110
    assert [item["points"] for item in data["subjects"]] == [15, 8, 9, 38, 40]
    changed = stage.scene.nct("verify-certificate", text.replace("|1:15,", "|1:19,"))
    assert changed.code == 1 and "changed after signing" in changed.err


def test_a_key_nct_never_issued_signs_a_qr_verify_refuses(stage: Stage, tmp_path: Path) -> None:
    from arm_certificate.certificate_print import Certificate, certificates_pdf
    from common.security.certificate_qr import certificate_root, issue_signing_key
    from common.security.keys import generate_key

    stranger = issue_signing_key(certificate_root(generate_key()), "017/certificate")
    certificate = Certificate("200000001", None, "Әлиев Нұрлан", "№1 мектеп", "kk", (("history_kz", 15),), 15, "ЖА",
                              "0000001", date(2026, 7, 10))
    certificates_pdf(tmp_path / "forged.pdf", [certificate], stranger)
    refused = stage.scene.nct("verify-certificate", str(render(tmp_path / "forged.pdf", 1, tmp_path, "forged")))
    assert refused.code == 1 and "НЦТ never endorsed" in refused.err


def test_a_printers_offset_moves_every_field_by_that_many_millimetres(stage: Stage, printed: Path,
                                                                     tmp_path: Path) -> None:
    for dx, dy, message in (("15.5", "0", "more than 15 mm"), ("0", "-16", "more than 15 mm"),
                            ("nan", "0", "not a number of millimetres"), ("1", "", "not a number")):
        refused = stage.certificate("calibrate", "--printer", "HP 1", "--dx", dx, "--dy", dy)
        assert refused.code == 1 and message in refused.err and len(refused.err.strip().splitlines()) == 1
    assert stage.certificate("--json", "calibrate", "--list").json() == {"printers": []}
    uncalibrated = stage.print(tmp_path / "moved.pdf", "--printer", "HP 1")
    assert uncalibrated.code == 1 and "not calibrated" in uncalibrated.err
    assert stage.certificate("calibrate", "--printer", "HP 1", "--dx", "4", "--dy", "-3").code == 0
    listed = stage.certificate("--json", "calibrate", "--list").json()["printers"]
    assert listed == [{"printer": "HP 1", "dx_mm": 4.0, "dy_mm": -3.0}]
    moved = stage.print(tmp_path / "moved.pdf", "--printer", "HP 1", "--json")
    assert moved.json()["dx_mm"] == 4.0
    _text, x0, y0 = qr_corner(render(printed, 1, tmp_path, "plain"))
    _text, x1, y1 = qr_corner(render(tmp_path / "moved.pdf", 1, tmp_path, "moved"))
    assert x1 - x0 == pytest.approx(4.0, abs=0.25) and y1 - y0 == pytest.approx(-3.0, abs=0.25)
    plain_words = words(printed, 1)
    moved_words = words(tmp_path / "moved.pdf", 1)
    assert len(plain_words) == len(moved_words) > 10
    for before, after in zip(plain_words, moved_words, strict=True):
        assert before[0] == after[0]
        assert after[1] - before[1] == pytest.approx(4.0, abs=0.05)
        assert after[2] - before[2] == pytest.approx(-3.0, abs=0.05)


def test_the_calibration_test_page_has_rulers_marks_and_how_to_measure(stage: Stage, tmp_path: Path) -> None:
    from arm_certificate.certificate_print import CALIBRATION_MARKS

    made = stage.certificate("calibrate", "--printer", "Canon 2", "--test-page", str(tmp_path / "test.pdf"))
    assert made.code == 0, made.err
    text = pdf_text(tmp_path / "test.pdf")
    assert "Canon 2" in text and "dx = the measured x minus" in text and "calibrate --printer NAME" in text
    for x, y in CALIBRATION_MARKS:
        assert f"x = {x:g} mm, y = {y:g} mm" in text
    found = {(round(x0), round(y1)) for word, x0, _y0, _x1, y1 in words(tmp_path / "test.pdf", 1) if word == "x"}
    for x, y in CALIBRATION_MARKS:  # each cross's label starts 3 mm right of it, its baseline 3 mm above
        assert any(abs(fx - (x + 3)) <= 1 and abs(fy - (y - 3)) <= 2 for fx, fy in found), (x, y)


def test_the_commands_test_page_is_kept_in_printed_and_audited_as_the_windows(stage: Stage, tmp_path: Path) -> None:
    """``calibrate --test-page OUT.pdf`` used to write only OUT.pdf: nothing in ``printed/`` and no audit entry; the
    window's test page was kept there and audited by its file's name, as every print is. Now both are."""
    folder = DataFolder(stage.scene.folder("certificate"))

    def kept() -> set[Path]:
        return set(folder.printed.glob("printer-test-page_*.pdf"))

    before = kept()
    out = tmp_path / "epson.pdf"
    made = stage.certificate("--json", "calibrate", "--printer", "Epson 3", "--test-page", str(out))
    assert made.code == 0, made.err
    [page] = kept() - before
    assert page.read_bytes() == out.read_bytes() and "Epson 3" in pdf_text(page)  # kept, and the copy
    assert made.json()["printed"] == str(page) and made.json()["path"] == str(out)
    entries = [json.loads(line) for line in folder.audit_log.read_text(encoding="utf-8").splitlines()]
    [entry] = [entry for entry in entries if entry["target"] == page.name]
    assert entry["action"] == "form.printed" and entry["details"]["form"] == "printer-test-page"
    assert "chain intact" in stage.certificate("audit", "verify").out


def test_a_printer_name_past_the_limit_is_refused_with_the_limit(stage: Stage, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The refusal said «at most 200 characters» written out, whatever the limit is; it states the constant now."""
    from arm_certificate import certificate_print

    folder = DataFolder(stage.scene.folder("certificate"))
    most = certificate_print.MOST_PRINTER_NAME
    out = tmp_path / "long.pdf"
    pages = set(folder.printed.iterdir())
    for name in ("P" * (most + 1), "", "   "):
        refused = stage.certificate("calibrate", "--printer", name, "--test-page", str(out))
        assert refused.code == 1 and refused.err.strip().endswith(
            f": Name the printer with --printer NAME (at most {most} characters).")
    assert not out.exists() and set(folder.printed.iterdir()) == pages  # nothing written
    russian = stage.certificate("calibrate", "--printer", "P" * (most + 1), "--test-page", str(out), "--lang", "ru")
    assert russian.code == 1 and f"Назовите принтер через --printer NAME (не более {most} символов)" in russian.err
    fits = stage.certificate("calibrate", "--printer", "P" * most, "--test-page", str(out))
    assert fits.code == 0, fits.err
    monkeypatch.setattr(certificate_print, "MOST_PRINTER_NAME", 20)
    for name in ("P" * 21, ""):
        refused = stage.certificate("calibrate", "--printer", name, "--dx", "0", "--dy", "0")
        assert refused.code == 1 and "(at most 20 characters)" in refused.err, refused.err


def test_the_longest_name_fits_its_field_smaller_never_cut(tmp_path: Path) -> None:
    from arm_certificate.certificate_print import (
        LAYOUT,
        MIN_FONT_PT,
        Certificate,
        certificates_pdf,
        fit,
        qr_name,
    )
    from common.security.certificate_qr import MAX_NAME_BYTES, certificate_root, issue_signing_key
    from common.security.keys import generate_key

    key = issue_signing_key(certificate_root(generate_key()), "017/certificate")
    field = LAYOUT["full_name"]
    longest = "ШЫҢҒЫСХАНОВА-ӘБДІҚАДЫРОВА Мөлдіргүл Жұмабайқызы"  # 91 bytes: the QR carries the initials
    assert qr_name("ШЫҢҒЫСХАНОВА-ӘБДІҚАДЫРОВА", "Мөлдіргүл", "Жұмабайқызы") == "ШЫҢҒЫСХАНОВА-ӘБДІҚАДЫРОВА М. Ж."
    assert qr_name("Әлиев", "Нұрлан", "Серікұлы") == "Әлиев Нұрлан Серікұлы"
    cut = qr_name("Ә" * 60, "Нұрлан", None)  # a surname past the QR's budget alone: cut, and marked
    assert cut.endswith("…") and cut.startswith("Ә" * 30) and len(cut.encode("utf-8")) <= MAX_NAME_BYTES
    while len(longest) < 200:
        longest += " Жұмабайқызы"  # the certificate file allows 200 letters a part; the blank gets them all
    widest = "Ш" * (MAX_NAME_BYTES // 2)
    base = Certificate("200000001", None, "x", "№1 мектеп", "kk", (("history_kz", 15),), 15, "ЖА", "0000001",
                       date(2026, 7, 10))
    for index, name in enumerate((longest, widest)):
        placed = fit(name, field)
        assert field.size > placed.size >= MIN_FONT_PT and "".join(placed.lines).replace(" ", "") == \
            name.replace(" ", "")
        pdf = tmp_path / f"long{index}.pdf"
        certificates_pdf(pdf, [replace(base, full_name=name, qr_name=name[:30])], key)
        named = [item for item in words(pdf, 1) if item[0] in name.split()]
        assert " ".join(item[0] for item in named) == name  # every letter printed
        assert all(field.x - 0.1 <= item[1] and item[3] <= field.x + field.width + 0.1 for item in named)
    with pytest.raises(Refused, match="does not fit its full_name field"):
        fit("W" * 120, field)
