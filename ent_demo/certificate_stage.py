"""The demo's certificate stage (issue 18, ch. 40, п. 214–222), after the appeals: the programmer seals stream 1's
certificate file to the site's АРМ «Сертификат», which takes it; НЦТ issues the workstation its QR signing key (the
password goes separately, on its slip) and the workstation installs it; a pack of blanks is entered by its barcode
as a keyboard-wedge reader types it, the stream's applicants get their numbers, a printer jam spoils one issued
blank and its applicant gets the next one; a demo printer is calibrated (its test page, then the offset measured);
the certificates are printed on their blanks (with the blank's outline, to judge the fit), then the register
(прил. 14) and the three acts (прил. 15, 16, 41) — all in the certificate workstation's ``printed/``. НЦТ verifies a
certificate's QR from a 200-dpi scan of its page, offline, and refuses the same QR with its total edited; the
workstation sends the numbers (п. 217) and НЦТ imports and lists them — the same commands a user types.

Re-runnable: a second run finds the file, the key, the pack, the numbers and the package sent and goes on.
"""

from __future__ import annotations

import json
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from common.i18n import _
from common.workstation import CERTIFICATE, NCT, PROGRAMMER, DataFolder
from ent_demo.scenario import (
    NCT_PASSWORD,
    SITE_CODE,
    DemoStep,
    Scene,
    render_first_page,
    run,
    run_json,
    workstation_session,
)

STREAM = 1
BARCODE = "AA0012001"
"""What the wedge reader types off the first blank's barcode: the series and the number, without a space."""
PRINTER = "Kyocera ECOSYS P3145dn (demo)"
OFFSET_MM = ("1.5", "-0.5")
"""The offset measured on the test page (measured minus written at the crosses): 1.5 mm to the right, 0.5 mm up."""
JAM_REASON = "printer jam: the blank was crumpled in the printer"
EDITED_POINTS = 10
ISSUED_DAYS_AFTER_EXAM = 7
"""How many points the forger adds to the total in the QR's text."""


def certificate_steps(scene: Scene) -> list[DemoStep]:
    return [
        DemoStep(_("Programmer: stream 1's certificate file sent; the certificate workstation takes it (п. 214)"),
                 lambda: certificate_file(scene), PROGRAMMER),
        DemoStep(_("NTC: the certificate workstation's QR signing key issued, its password given separately; the "
                   "workstation installs it"), lambda: signing_key(scene), NCT),
        DemoStep(_("Certificate workstation: a pack of blanks entered by its barcode, stream 1's numbers assigned, a "
                   "blank spoiled by a printer jam and its applicant given the next one"), lambda: blanks(scene),
                 CERTIFICATE),
        DemoStep(_("Certificate workstation: the printer calibrated; the certificates, the register (прил. 14) and "
                   "the acts (прил. 15, 16, 41) printed"), lambda: prints(scene), CERTIFICATE),
        DemoStep(_("NTC: a certificate's QR verified offline from a 200-dpi scan; an edited QR refused"),
                 lambda: verify(scene), NCT),
        DemoStep(_("Certificate workstation: the certificate numbers sent; NTC imports and shows them (п. 217)"),
                 lambda: numbers(scene), CERTIFICATE),
    ]


def _password(scene: Scene) -> str | None:
    return scene.passwords.get(CERTIFICATE.code)


def _printed(scene: Scene) -> Path:
    return DataFolder(scene.folder(CERTIFICATE)).printed


def key_file(scene: Scene) -> Path:
    return scene.exchange / f"certificate-signing-key-{SITE_CODE}.json"


def key_slip(scene: Scene) -> Path:
    """The slip the key's password goes on, separately from the key file (as the enrolment password's sheet)."""
    return scene.exchange / f"certificate-signing-key-{SITE_CODE}.password.txt"


def certificates_pdf(scene: Scene) -> Path:
    """The stream's certificates as ``print certificates`` kept them in ``printed/`` (the newest print)."""
    kept = sorted(_printed(scene).glob(f"certificates_stream{STREAM}_*.pdf"), key=lambda path: path.stat().st_mtime)
    return kept[-1] if kept else _printed(scene) / f"certificates_stream{STREAM}.pdf"


def _taken(scene: Scene) -> bool:
    """Whether the certificate workstation holds stream 1's certificate file."""
    from sqlalchemy import select

    from common.db.certificate_models import CertificateStream

    with workstation_session(scene, CERTIFICATE) as session:
        return session.scalar(select(CertificateStream.id).where(CertificateStream.stream_number == STREAM)) \
            is not None


def _audited(scene: Scene, action: str) -> bool:
    log = DataFolder(scene.folder(CERTIFICATE)).audit_log
    return log.is_file() and any(json.loads(line).get("action") == action
                                 for line in log.read_text(encoding="utf-8").splitlines() if line.strip())


def certificate_file(scene: Scene) -> bool:
    if _taken(scene):
        print(_("   the certificate file of stream {stream} is taken already").format(stream=STREAM))
    else:
        print(_("   НЦТ gives the programmer's workstation the certificate workstation's certificate (to seal "
                "for it):"))
        peers = run_json(scene, "site", "certificates", "--site", SITE_CODE, "--role", PROGRAMMER.code, "--out",
                         str(scene.exchange), password=NCT_PASSWORD, workstation=NCT)
        programmer = scene.passwords.get(PROGRAMMER.code)
        if not isinstance(peers, dict) or run(scene, PROGRAMMER, "package", "open", peers["path"],
                                              password=programmer)[0]:
            return False
        sent = run_json(scene, "send", "certificate-file", "--stream", str(STREAM), password=programmer)
        if not isinstance(sent, dict):
            return False
        print(_("   sealed for the certificate workstation: {path}").format(path=sent["path"]))
        if run(scene, CERTIFICATE, "import", sent["path"], password=_password(scene))[0]:
            return False
    return run(scene, CERTIFICATE, "applicants", "--stream", str(STREAM))[0] == 0


def signing_key(scene: Scene) -> bool:
    from arm_certificate.signing_key import key_path

    if key_path(DataFolder(scene.folder(CERTIFICATE))).is_file() and key_slip(scene).is_file():
        print(_("   the signing key is installed already"))
    else:
        issued = run_json(scene, "certificate-key", "issue", "--site", SITE_CODE, "--out", str(key_file(scene)),
                          password=NCT_PASSWORD, workstation=NCT)
        if not isinstance(issued, dict):
            return False
        key_slip(scene).write_text(issued["password"] + "\n", encoding="utf-8")
        key_slip(scene).chmod(0o600)
        print(_("   the key file {file} and its password on a separate slip ({slip})").format(
            file=key_file(scene).name, slip=key_slip(scene).name))
        if run(scene, CERTIFICATE, "signing-key", "install", str(key_file(scene)),
               secrets={"--key-password-fd": issued["password"]})[0]:
            return False
    # the public root anyone verifies a certificate's QR with (НЦТ publishes it; verify-certificate finds it here)
    if run(scene, NCT, "certificate-root", "export", password=NCT_PASSWORD)[0]:
        return False
    return run(scene, CERTIFICATE, "signing-key", "show")[0] == 0


def _applicants(scene: Scene) -> list[dict[str, Any]] | None:
    listed = run_json(scene, "applicants", "--stream", str(STREAM), workstation=CERTIFICATE)
    return None if not isinstance(listed, dict) else list(listed["applicants"])


def _packs(scene: Scene) -> list[dict[str, Any]] | None:
    listed = run_json(scene, "packs", "list", workstation=CERTIFICATE)
    return None if not isinstance(listed, list) else listed


def _issue_date(listed: dict[str, Any]) -> str:
    """The certificates' date, from the stream's ``applicants --json``: a few days after the exam, when the appeal
    is over (п. 214) — the demo's exam is in the future, and a certificate is never dated before its exam."""
    return (date.fromisoformat(listed["date"]) + timedelta(days=ISSUED_DAYS_AFTER_EXAM)).isoformat()


def blanks(scene: Scene) -> bool:
    listed = run_json(scene, "applicants", "--stream", str(STREAM), workstation=CERTIFICATE)
    if not isinstance(listed, dict):
        return False
    applicants: list[dict[str, Any]] | None = list(listed["applicants"])
    issued_on = _issue_date(listed)
    packs = _packs(scene)
    if not applicants or packs is None:
        return False
    if packs:
        print(_("   the pack of blanks is recorded already"))
    else:
        count = (len(applicants) // 50 + 1) * 50  # a whole pack of 50s: room for the spoiled blank and spares
        print(_("   the operator scans the first blank's barcode; the reader types {barcode}").format(barcode=BARCODE))
        if run(scene, CERTIFICATE, "packs", "add", "--barcode", BARCODE, "--count", str(count))[0]:
            return False
    if run(scene, CERTIFICATE, "assign", "--stream", str(STREAM), "--date", issued_on)[0]:
        return False
    packs = _packs(scene)
    if not packs:
        return False
    if sum(int(pack["spoiled"]) for pack in packs) == 0:
        applicants = _applicants(scene)
        first = next((item for item in applicants or [] if item["certificate_number"]), None)
        if first is None:
            return False
        blank = f"{first['certificate_series']} {first['certificate_number']}"
        print(_("   the printer jams on blank {blank}: it is spoiled, and its applicant gets the next clean "
                "blank").format(blank=blank))
        if run(scene, CERTIFICATE, "spoil", blank, "--reason", JAM_REASON)[0]:
            return False
        if run(scene, CERTIFICATE, "assign", "--stream", str(STREAM), "--date", issued_on)[0]:
            return False
    return run(scene, CERTIFICATE, "packs", "list")[0] == 0


def prints(scene: Scene) -> bool:
    printed = _printed(scene)
    printed.mkdir(parents=True, exist_ok=True)
    # the command keeps the page in printed/ and audits it; its own copy (what goes to the printer) is not kept twice
    with tempfile.TemporaryDirectory() as scratch:
        if run(scene, CERTIFICATE, "calibrate", "--printer", PRINTER, "--test-page",
               str(Path(scratch) / "printer-test-page.pdf"))[0]:
            return False
    print(_("   the crosses of the printed test page measured against the numbers written at them: dx = {dx} mm, "
            "dy = {dy} mm").format(dx=OFFSET_MM[0], dy=OFFSET_MM[1]))
    if run(scene, CERTIFICATE, "calibrate", "--printer", PRINTER, "--dx", OFFSET_MM[0], "--dy", OFFSET_MM[1])[0]:
        return False
    password = _slip_password(scene)
    if password is None:
        return False
    if run(scene, CERTIFICATE, "print", "certificates", "--stream", str(STREAM), "--printer", PRINTER,
           "--preview-blank", secrets={"--key-password-fd": password})[0]:
        return False
    if run(scene, CERTIFICATE, "print", "register", "--stream", str(STREAM))[0]:
        return False
    return all(run(scene, CERTIFICATE, "print", "act", "--kind", kind)[0] == 0
               for kind in ("received", "handover", "returned"))


def _slip_password(scene: Scene) -> str | None:
    """The signing key's password, read off its slip (the operator types it at each print)."""
    if not key_slip(scene).is_file():
        print(_("   the signing key's password slip is missing"))
        return None
    return key_slip(scene).read_text(encoding="utf-8").strip()


def verify(scene: Scene) -> bool:
    from common.errors import Refused
    from common.security.certificate_qr import SEPARATOR, read_payload

    if not certificates_pdf(scene).is_file():
        return False
    picture = render_first_page(certificates_pdf(scene), scene.exchange / f"certificate-stream-{STREAM}-page-1.png")
    print(_("   the first certificate scanned at 200 dpi to {path}").format(path=picture.name))
    if run(scene, NCT, "verify-certificate", str(picture))[0]:
        return False
    try:
        text = read_payload(picture)
    except Refused:
        return False
    fields = text.split(SEPARATOR)
    fields[7] = str(int(fields[7]) + EDITED_POINTS)  # TAG, ИКТ, name, series, number, date, subjects, total, …
    print(_("   the same QR's text with {points} points added to the total:").format(points=EDITED_POINTS))
    return run(scene, NCT, "verify-certificate", SEPARATOR.join(fields))[0] == 1


def numbers(scene: Scene) -> bool:
    if _audited(scene, "certificate-numbers.sent"):
        print(_("   the certificate numbers of stream {stream} are sent to НЦТ already").format(stream=STREAM))
    else:
        sent = run_json(scene, "send", "certificate-numbers", "--stream", str(STREAM), password=_password(scene),
                        workstation=CERTIFICATE)
        if not isinstance(sent, dict):
            return False
        print(_("   sealed for НЦТ: {path}").format(path=sent["path"]))
        if run(scene, NCT, "import", sent["path"], password=NCT_PASSWORD)[0]:
            return False
    return run(scene, NCT, "certificates", "show", "--site", SITE_CODE, "--stream", str(STREAM))[0] == 0
