"""``signing-key install|show``, ``calibrate`` and ``print certificates``: the certificates printed on their blanks
(п. 215–218; :mod:`arm_certificate.certificate_print`) with the QR signed by the key НЦТ issued
(:mod:`arm_certificate.signing_key`)."""

from __future__ import annotations

import argparse
import math

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


def _calibrate(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_certificate.certificate_print import (
        MOST_PRINTER_NAME,
        print_test_page,
        printer_name,
        printer_offsets,
        save_offset,
    )
    from common.security.audit import AuditLog

    folder = context.require_folder()
    if args.list:
        with context.transaction() as session:
            offsets = printer_offsets(session)
        lines = [f"{item['printer']}: dx {item['dx_mm']:+.1f} mm, dy {item['dy_mm']:+.1f} mm" for item in offsets]
        return Output("\n".join(lines) or _("No printer is calibrated yet."), {"printers": offsets})
    named = (args.printer or "").strip()
    if not named or len(named) > MOST_PRINTER_NAME:
        raise Refused(_("Name the printer with --printer NAME (at most {limit} characters).").format(
            limit=MOST_PRINTER_NAME))
    printer = printer_name(named)
    if args.test_page is not None:
        with context.transaction() as session:  # kept in printed/ and audited, as the window's (the copy after)
            printed = print_test_page(session, folder, printer, current_language(), actor=context.operator,
                                      out=args.test_page)
        return Output(_("The test page of {printer}: {path}").format(printer=printer, path=args.test_page),
                      {"printer": printer, "path": str(args.test_page), "printed": str(printed.path)})
    if args.dx is None or args.dy is None:
        raise Refused(_("Give the printer's offset with --dx MM and --dy MM, or ask for its --test-page."))
    dx, dy = _millimetres(args.dx), _millimetres(args.dy)
    with context.transaction() as session:
        save_offset(session, printer, dx, dy, actor=context.operator, audit=AuditLog(folder.audit_log))
    return Output(_("Printer {printer}: every field moves {dx:+.1f} mm right and {dy:+.1f} mm down.").format(
        printer=printer, dx=dx, dy=dy), {"printer": printer, "dx_mm": dx, "dy_mm": dy})


# --- print certificates ------------------------------------------------------------------------------------------


def _configure_print(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stream", type=int, required=True, help=_("stream number"))
    parser.add_argument("--out", action=OutputFile, default=None, metavar="FILE.pdf",
                        help=_("also write the PDF here (it is always kept in printed/)"))
    parser.add_argument("--printer", metavar="NAME", default=None,
                        help=_("the calibrated printer it goes to (its offset moves every field)"))
    parser.add_argument("--ikt", default=None, help=_("only this applicant's certificate"))
    parser.add_argument("--preview-blank", action="store_true",
                        help=_("also draw the blank's pre-printed parts lightly (to judge the fit on plain paper)"))
    _key_password_option(parser)


def _print_certificates(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_certificate.certificate_print import certificate_sheets, keep_certificates
    from common.security.audit import AuditLog

    folder = context.require_folder()
    password = _key_password(args)
    with context.transaction() as session:
        sheets = certificate_sheets(session, folder, args.stream, password, printer=args.printer, ikt=args.ikt,
                                    preview_blank=args.preview_blank)
        printed = keep_certificates(session, folder, sheets, args.stream, current_language(), actor=context.operator,
                                    audit=AuditLog(folder.audit_log), printer=args.printer, ikt=args.ikt, out=args.out)
    text = _("Stream {stream}: {count} certificate(s) printed to {path}.").format(
        stream=args.stream, count=sheets.pages, path=args.out or printed.path)
    return Output(text, {"stream": args.stream, "certificates": sheets.pages, "path": str(printed.path),
                         "out": None if args.out is None else str(args.out),
                         "ikt": [item.ikt for item in sheets.certificates], "dx_mm": sheets.dx_mm,
                         "dy_mm": sheets.dy_mm})
