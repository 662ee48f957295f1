"""How fast АРМ «Сертификат» prints a stream's certificates (issue 18: 3 000 certificates, the PDF written, < 60 s).

    .venv/bin/python benchmarks/certificates.py [--applicants 3000] [--seed 18] [--markdown]

Builds a certificate workstation folder (``init``; the enrolment's row holds a fresh НЦТ root, as ``enrol`` leaves
it), installs a signing key НЦТ issued with ``signing-key install`` and writes one stream's certificate file of
``--applicants`` applicants (names of 15–70 characters, five subjects, Kazakh or Russian) with every applicant's
issued blank, and a printer's offset. Then times ``print certificates --stream 1 --printer P`` as the
operator runs it: the applicants read in the certificate order, the key opened with its password, every QR signed
and drawn, every page set and the PDF written. The result is checked: one page per certificate, and the last page's
QR reads back from a 200-dpi render and verifies under НЦТ's certificate root.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric import ed25519

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SYLLABLES = ("ай", "бе", "гүл", "дана", "ер", "жан", "қасым", "мұхаммед", "нұр", "сұлтан", "те", "ұлы", "ова",
             "ев", "ин", "сейіт", "жаппар", "әли")
SUBJECTS = ("history_kz", "math_literacy", "reading_literacy", "01", "02")
KEY_PASSWORD = "benchmark-key-password-1"


def _word(chooser: random.Random, low: int, high: int) -> str:
    return "".join(chooser.choice(SYLLABLES) for _ in range(chooser.randint(low, high))).capitalize()


def _cli(*args: str) -> tuple[int, str]:
    from arm_certificate.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([*args, "--lang", "en"])
    return code, out.getvalue() + err.getvalue()


def build(folder: Path, applicants: int, seed: int) -> tuple[Path, ed25519.Ed25519PublicKey]:
    """The folder with the stream, its blanks and a printer's offset; returns the signing key file and НЦТ's
    certificate root (its public key) that the certificates' QRs verify under."""
    from common.db.certificate_models import (
        ISSUED,
        BlankPack,
        CertificateApplicant,
        CertificateStream,
        PrinterOffset,
        UsedBlank,
    )
    from common.db.engine import open_engine, transaction
    from common.db.exchange_models import ExchangeIdentity
    from common.security.certificate_qr import certificate_root, dump_signing_key, issue_signing_key
    from common.security.keys import certificate_pem, make_root
    from common.workstation import DataFolder

    code, text = _cli("init", "--data-dir", str(folder))
    assert code == 0, text
    root_key, root = make_root()
    chooser = random.Random(seed)
    engine = open_engine(DataFolder(folder).database)
    with transaction(engine) as session:
        session.add(ExchangeIdentity(id=1, address="017/certificate", site_code="017", role="certificate",
                                     certificate_pem=certificate_pem(root), protected_key=b"",
                                     root_certificate_pem=certificate_pem(root), enrolment_package_id="benchmark"))
        stream = CertificateStream(stream_number=1, site_code="017", site_name_kk="Алматы ППЕНТ",
                                   site_name_ru="ППЕНТ Алматы", exam_date=date(2026, 7, 1), package_id="benchmark",
                                   imported_by="benchmark")
        pack = BlankPack(series="ЖА", first_number=1, count=applicants, digits=7, added_by="benchmark")
        session.add_all([stream, pack, PrinterOffset(printer="P", dx_mm=1.5, dy_mm=-0.5, updated_by="benchmark")])
        for index in range(applicants):
            points = [chooser.randint(0, 20), chooser.randint(0, 10), chooser.randint(0, 10), chooser.randint(0, 50),
                      chooser.randint(0, 50)]
            school = f"11{chooser.randint(0, 40):04d}"
            applicant = CertificateApplicant(
                ikt=f"{300000000 + index}", iin=f"{index:012d}", surname=_word(chooser, 2, 6),
                name=_word(chooser, 1, 4), patronymic=_word(chooser, 2, 5) if chooser.random() < 0.8 else None,
                school_code=school, school_name_kk=f"№{school} мектеп", school_name_ru=f"Школа №{school}",
                test_language=chooser.choice(("kk", "ru")),
                subjects=[{"code": code, "points": value, "max": 50} for code, value in zip(SUBJECTS, points,
                                                                                             strict=True)],
                total=sum(points), max_total=140)
            stream.applicants.append(applicant)
            pack.used.append(UsedBlank(number=index + 1, status=ISSUED, applicant=applicant,
                                       issued_on=date(2026, 7, 10), recorded_by="benchmark"))
    engine.dispose()
    key_file = folder.parent / "signing-key.json"
    key_file.write_bytes(dump_signing_key(issue_signing_key(certificate_root(root_key), "017/certificate"),
                                          KEY_PASSWORD, root_key))
    return key_file, certificate_root(root_key).public_key()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applicants", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    os.environ["ENT_KEY_PASSWORD"] = KEY_PASSWORD
    with tempfile.TemporaryDirectory(prefix="ent-certificates-") as temporary:
        folder = Path(temporary) / "certificate"
        started = time.perf_counter()
        key_file, root = build(folder, args.applicants, args.seed)
        built = time.perf_counter() - started
        code, text = _cli("signing-key", "install", str(key_file), "--data-dir", str(folder))
        assert code == 0, text
        started = time.perf_counter()
        cpu = time.process_time()
        code, text = _cli("--json", "print", "certificates", "--stream", "1", "--printer", "P",
                          "--data-dir", str(folder))
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
        assert code == 0, text
        result = json.loads(text)
        printed, out = result["certificates"], Path(result["path"])  # the print kept in the folder's printed/
        pages = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
        page_count = int(next(line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")))
        subprocess.run(["pdftoppm", "-r", "200", "-gray", "-png", "-singlefile", "-f", str(page_count), "-l",
                        str(page_count), str(out), str(Path(temporary) / "last")], check=True)
        from common.security.certificate_qr import read_payload, verify

        verified = verify(read_payload(Path(temporary) / "last.png"), root)
        figures = {"applicants": args.applicants, "certificates": printed, "pages": page_count,
                   "pdf_mb": round(out.stat().st_size / 1e6, 1), "build_seconds": round(built, 1),
                   "print_seconds": round(seconds, 1), "print_cpu_seconds": round(cpu_seconds, 1),
                   "last_page_qr_verified": verified.issuer == "017/certificate",
                   "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
                   "load_average": [round(value, 2) for value in os.getloadavg()] if hasattr(os, "getloadavg")
                   else None}
    if printed != args.applicants or page_count != args.applicants:
        print(json.dumps(figures, indent=2), file=sys.stderr)
        return 1
    if args.markdown:
        print(f"| Certificates printed (`print certificates`, {printed} on {page_count} pages, PDF "
              f"{figures['pdf_mb']} MB) | < 60 s | {figures['print_seconds']} s |")
    else:
        print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
