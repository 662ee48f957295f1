"""``print register`` and ``print act``: the register of issued certificates (прил. 14) and the certificate acts
(прил. 15, 16, 41); see :mod:`arm_certificate.registers` and :mod:`arm_certificate.register_prints`.

Every print is kept in the folder's ``printed/`` and audited; ``--out`` also writes a copy where the user says.
"""

from __future__ import annotations

import argparse
from typing import Final

from common.cli import CommandContext, CommandLine, Output
from common.i18n import N_, _, current_language
from common.paths import OutputFile

LANGUAGES: Final = ("kk", "ru")


def register(cli: CommandLine) -> None:
    cli.add("print register", N_("Print the register of issued certificates of a stream (прил. 14, п. 216.2)"),
            _print_register, _configure_register)
    cli.add("print act", N_("Print a certificate act: blanks received (прил. 16), handed over (прил. 15) or "
                            "returned to НЦТ (прил. 41)"), _print_act, _configure_act)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", action=OutputFile, default=None, metavar="FILE.pdf",
                        help=_("also write the PDF here (it is always kept in printed/)"))
    parser.add_argument("--language", choices=list(LANGUAGES), help=_("kk or ru"))


def _configure_register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stream", type=int, required=True, help=_("stream number"))
    _common(parser)


def _configure_act(parser: argparse.ArgumentParser) -> None:
    from arm_certificate.register_prints import ACT_KINDS

    parser.add_argument("--kind", choices=list(ACT_KINDS), required=True,
                        help=_("received (прил. 16), handover (прил. 15) or returned (прил. 41)"))
    _common(parser)


def _language(args: argparse.Namespace) -> str:
    if args.language:
        return str(args.language)
    language = current_language()
    return language if language in LANGUAGES else "ru"


def _print_register(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_certificate.register_prints import print_register

    folder = context.require_folder()
    with context.transaction() as session:
        issued, printed = print_register(session, folder, args.stream, _language(args), actor=context.operator,
                                         out=args.out)
    text = _("Printed the register of stream {stream}: {count} certificate(s) of {schools} school(s), "
             "{unnumbered} applicant(s) without a number, {pages} page(s): {path}").format(
        stream=issued.stream, count=issued.issued, schools=len(issued.schools), unnumbered=len(issued.unnumbered),
        pages=printed.pages, path=args.out or printed.path)
    return Output(text, {"stream": issued.stream, "certificates": issued.issued, "schools": len(issued.schools),
                         "unnumbered": len(issued.unnumbered), "pages": printed.pages, "path": str(printed.path),
                         "out": None if args.out is None else str(args.out)})


def _print_act(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_certificate.register_prints import ACT_APPENDICES, print_act

    folder = context.require_folder()
    with context.transaction() as session:
        printed = print_act(session, folder, args.kind, _language(args), actor=context.operator, out=args.out)
    text = _("Printed the act (прил. {appendix}), {pages} page(s): {path}").format(
        appendix=ACT_APPENDICES[args.kind], pages=printed.pages, path=args.out or printed.path)
    return Output(text, {"kind": args.kind, "pages": printed.pages, "path": str(printed.path),
                         "out": None if args.out is None else str(args.out)})
