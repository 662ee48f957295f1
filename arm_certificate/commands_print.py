"""``signing-key install|show``, ``calibrate`` and ``print certificates``: the certificates printed on their blanks
(п. 215–218; :mod:`arm_certificate.certificate_print`) with the QR signed by the key НЦТ issued
(:mod:`arm_certificate.signing_key`)."""

from __future__ import annotations

import argparse
import io
import math
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.cli import CommandContext, CommandLine, Output
from common.errors import Refused
from common.i18n import N_, _, current_language
from common.paths import InputFile, OutputFile
from common.secrets import add_secret_option, read_secret


def register(cli: CommandLine) -> None:
    cli.add("signing-key install", N_("Install the certificate QR's signing key НЦТ issued (a file and its password)"),
            _install, _configure_install)
    cli.add("signing-key show", N_("Show the installed certificate signing key: its issuer and fingerprint"), _show)
    cli.add("calibrate", N_("Calibrate a printer: print its test page, save or list its offsets"), _calibrate,
            _configure_calibrate)
    cli.add("print certificates", N_("Print a stream's issued certificates on their blanks (п. 215–218)"),
            _print_certificates, _configure_print)


def _key_password_option(parser: argparse.ArgumentParser) -> None:
    from arm_certificate.signing_key import SIGNING_KEY_PASSWORD

    add_secret_option(parser, SIGNING_KEY_PASSWORD)


def _key_password(args: argparse.Namespace) -> str:
    from arm_certificate.signing_key import SIGNING_KEY_PASSWORD

    return read_secret(args, SIGNING_KEY_PASSWORD)


# --- signing-key -------------------------------------------------------------------------------------------------


def _configure_install(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", action=InputFile, help=_("the signing key file НЦТ issued"))
    _key_password_option(parser)


def _install(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_certificate.signing_key import install_signing_key
    from common.files import read_input_file
    from common.security.audit import AuditLog

    folder = context.require_folder()
    data = read_input_file(args.file)
    password = _key_password(args)
    with context.transaction() as session:
        installed = install_signing_key(session, folder, data, password, actor=context.operator,
                                        audit=AuditLog(folder.audit_log))
    text = _("The certificate signing key of {issuer} is installed; fingerprint {fingerprint}.").format(
        issuer=installed.issuer, fingerprint=installed.fingerprint)
    return Output(text, {"issuer": installed.issuer, "fingerprint": installed.fingerprint})


def _show(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_certificate.signing_key import signing_key_info

    shown = signing_key_info(context.require_folder())
    if shown is None:
        raise Refused(_("No certificate signing key is installed: install the file НЦТ issued (signing-key "
                        "install FILE)."))
    text = _("Certificate signing key of {issuer}; fingerprint {fingerprint}.").format(
        issuer=shown.issuer, fingerprint=shown.fingerprint)
    return Output(text, {"issuer": shown.issuer, "fingerprint": shown.fingerprint})


# --- calibrate ---------------------------------------------------------------------------------------------------


def _millimetres(text: str) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise Refused(_("{text} is not a number of millimetres.").format(text=text))
    return value


def _configure_calibrate(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--printer", metavar="NAME", help=_("the printer's name (as the operator knows it)"))
    parser.add_argument("--test-page", action=OutputFile, default=None, metavar="OUT.pdf",
                        help=_("write the printer's test page"))
    parser.add_argument("--dx", default=None, metavar="MM",
                        help=_("how far right the printer prints, in mm (negative: left)"))
    parser.add_argument("--dy", default=None, metavar="MM",
                        help=_("how far down the printer prints, in mm (negative: up)"))
    parser.add_argument("--list", action="store_true", help=_("list the printers' saved offsets"))


def _offsets(session: Session) -> list[dict[str, Any]]:
    from common.db.certificate_models import PrinterOffset

    return [{"printer": row.printer, "dx_mm": row.dx_mm, "dy_mm": row.dy_mm}
            for row in session.scalars(select(PrinterOffset).order_by(PrinterOffset.printer))]


def _calibrate(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_certificate.certificate_print import MAX_OFFSET_MM, calibration_pdf
    from common.db.certificate_models import PrinterOffset
    from common.files import atomic_write_bytes

    context.require_folder()
    if args.list:
        with context.transaction() as session:
            offsets = _offsets(session)
        lines = [f"{item['printer']}: dx {item['dx_mm']:+.1f} mm, dy {item['dy_mm']:+.1f} mm" for item in offsets]
        return Output("\n".join(lines) or _("No printer is calibrated yet."), {"printers": offsets})
    printer = (args.printer or "").strip()
    if not printer or len(printer) > 200:
        raise Refused(_("Name the printer with --printer NAME (at most 200 characters)."))
    if args.test_page is not None:
        buffer = io.BytesIO()
        calibration_pdf(buffer, printer, current_language())
        atomic_write_bytes(args.test_page, buffer.getvalue())
        return Output(_("The test page of {printer}: {path}").format(printer=printer, path=args.test_page),
                      {"printer": printer, "path": str(args.test_page)})
    if args.dx is None or args.dy is None:
        raise Refused(_("Give the printer's offset with --dx MM and --dy MM, or ask for its --test-page."))
    dx, dy = _millimetres(args.dx), _millimetres(args.dy)
    if abs(dx) > MAX_OFFSET_MM or abs(dy) > MAX_OFFSET_MM:
        raise Refused(_("An offset of more than {most:g} mm is a mistake in the measuring or a printer to set up: "
                        "nothing is saved.").format(most=MAX_OFFSET_MM))
    with context.transaction() as session:
        row = session.scalar(select(PrinterOffset).where(PrinterOffset.printer == printer))
        if row is None:
            row = PrinterOffset(printer=printer, dx_mm=dx, dy_mm=dy, updated_by=context.operator[:100])
            session.add(row)
        else:
            row.dx_mm, row.dy_mm, row.updated_by = dx, dy, context.operator[:100]
        context.audit(session, "certificate.printer.calibrate", printer, dx_mm=dx, dy_mm=dy)
    return Output(_("Printer {printer}: every field moves {dx:+.1f} mm right and {dy:+.1f} mm down.").format(
        printer=printer, dx=dx, dy=dy), {"printer": printer, "dx_mm": dx, "dy_mm": dy})


# --- print certificates ------------------------------------------------------------------------------------------


def _configure_print(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stream", type=int, required=True, help=_("stream number"))
    parser.add_argument("--out", action=OutputFile, required=True, metavar="FILE.pdf", help=_("the PDF to write"))
    parser.add_argument("--printer", metavar="NAME", default=None,
                        help=_("the calibrated printer it goes to (its offset moves every field)"))
    parser.add_argument("--ikt", default=None, help=_("only this applicant's certificate"))
    parser.add_argument("--preview-blank", action="store_true",
                        help=_("also draw the blank's pre-printed parts lightly (to judge the fit on plain paper)"))
    _key_password_option(parser)


def issued_certificates(session: Session, stream_number: int, ikt: str | None = None) -> list[Any]:
    """The stream's issued certificates in the certificate order; ``Refused`` when none (or not ``ikt``'s) is
    assigned."""
    from arm_certificate.certificate_file import stream_applicants
    from arm_certificate.certificate_print import Certificate, certificate_language, qr_name
    from arm_certificate.order import certificate_order
    from common.db.certificate_models import CertificateStream

    stream_applicants(session, stream_number)  # refuses a stream whose file is not taken
    stream = session.scalar(select(CertificateStream).where(CertificateStream.stream_number == stream_number))
    if stream is None:
        raise AssertionError("checked above")
    chosen = [applicant for applicant in stream.applicants if ikt is None or applicant.ikt == ikt]
    if ikt is not None and not chosen:
        raise Refused(_("Stream {stream} has no applicant with ИКТ {ikt}.").format(stream=stream_number, ikt=ikt))
    issued = [applicant for applicant in certificate_order(chosen) if applicant.issued_blank is not None]
    if not issued:
        raise Refused(_("No certificate number is assigned in stream {stream} yet: nothing to print.").format(
            stream=stream_number) if ikt is None else _("ИКТ {ikt} has no certificate number assigned yet.").format(
            ikt=ikt))
    certificates = []
    for applicant in issued:
        blank = applicant.issued_blank
        assert blank is not None
        language = certificate_language(applicant.test_language)
        school = applicant.school_name_kk if language == "kk" else applicant.school_name_ru
        certificates.append(Certificate(
            ikt=applicant.ikt, iin=applicant.iin, full_name=applicant.full_name,
            school=school or applicant.school_name_ru or applicant.school_name_kk or applicant.school_code,
            test_language=applicant.test_language,
            subjects=tuple((str(item["code"]), int(item["points"])) for item in applicant.subjects),
            total=applicant.total, series=blank.pack.series, number=blank.number_text,
            issued=blank.issued_on or date.today(),
            qr_name=qr_name(applicant.surname, applicant.name, applicant.patronymic)))
    return certificates


def _print_certificates(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_certificate.certificate_print import certificates_pdf
    from arm_certificate.signing_key import installed_key
    from common.db.certificate_models import PrinterOffset
    from common.files import atomic_write_bytes

    context.require_folder()
    password = _key_password(args)
    with context.transaction() as session:
        certificates = issued_certificates(session, args.stream, args.ikt)
        dx = dy = 0.0
        if args.printer is not None:
            offset = session.scalar(select(PrinterOffset).where(PrinterOffset.printer == args.printer.strip()))
            if offset is None:
                raise Refused(_("Printer {printer} is not calibrated: calibrate --printer NAME first.").format(
                    printer=args.printer))
            dx, dy = offset.dx_mm, offset.dy_mm
        key = installed_key(session, context.folder, password)
        buffer = io.BytesIO()
        pages = certificates_pdf(buffer, certificates, key.key, dx_mm=dx, dy_mm=dy, preview_blank=args.preview_blank)
        atomic_write_bytes(args.out, buffer.getvalue())
        context.audit(session, "certificate.print", f"stream {args.stream}", pages=pages, printer=args.printer,
                      file=args.out.name)
    text = _("Stream {stream}: {count} certificate(s) printed to {path}.").format(stream=args.stream, count=pages,
                                                                                 path=args.out)
    return Output(text, {"stream": args.stream, "certificates": pages, "path": str(args.out),
                         "ikt": [item.ikt for item in certificates], "dx_mm": dx, "dy_mm": dy})
