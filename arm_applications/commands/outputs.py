"""``print FORM [--school S]``: the site's forms and the prints after a school's scanning."""

from __future__ import annotations

import argparse

from arm_applications.printing import (
    FORM_LANGUAGES,
    SCHOOL_FORMS,
    default_form_language,
    print_directory,
    print_distribution,
    print_school_form,
    print_secretaries,
)
from common.cli import CommandContext, CommandLine, Output
from common.errors import Refused
from common.i18n import N_, _

FORMS = {"directory": print_directory, "secretaries": print_secretaries}


def register(cli: CommandLine) -> None:
    cli.add("print", N_("Print a form to PDF in printed/: directory (п. 37.2, 89.4), secretaries (п. 89.2), "
                        "distribution (прил. 2, per stream); with --school: scan-report (п. 96), certificates "
                        "(прил. 1), register (прил. 31), database (прил. 32), secretary-journal (прил. 33); after "
                        "closing and the distribution: journal-of-changes (прил. 13), passes-register (прил. 6), "
                        "room-folders (п. 32.1), site-journal (прил. 17)"),
            _print, _configure_print)
    cli.add("send daily", N_("Seal the daily statistics of applications to NTC into outbox/ (п. 12)"), _send_daily,
            _configure_send_daily)


def _configure_print(parser: argparse.ArgumentParser) -> None:
    from arm_applications.passes_printing import PASS_FORMS
    from common.paths import OutputFolder

    parser.add_argument("form", choices=[*FORMS, "distribution", *SCHOOL_FORMS, *PASS_FORMS], help=_("which form"))
    parser.add_argument("--stream", type=int, default=None, metavar="N",
                        help=_("only this stream (distribution, room-folders, site-journal, passes-register)"))
    parser.add_argument("--school", metavar="REGION/DISTRICT/SCHOOL", help=_("the school (forms after scanning)"))
    parser.add_argument("--language", choices=list(FORM_LANGUAGES), help=_("kk or ru"))
    parser.add_argument("--ikt", help=_("certificates: only this applicant's, the new one after a change or "
                                        "re-entry (п. 104.7, 105)"))
    parser.add_argument("--out", action=OutputFolder, default=None, metavar="DIR",
                        help=_("also write a copy of each file into DIR (the forms after the distribution)"))


def _print(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_applications.commands.passes import printed_output
    from arm_applications.passes_printing import PASS_FORMS, print_pass_form

    folder = context.require_folder()
    language = args.language or default_form_language()
    if args.ikt is not None and args.form != "certificates":
        raise Refused(_("--ikt is for the certificates only."))
    if args.form in PASS_FORMS:
        with context.transaction() as session:
            return printed_output(print_pass_form(session, folder, args.form, language, actor=context.operator,
                                                  school=args.school, stream=args.stream, out=args.out))
    if args.form in SCHOOL_FORMS and args.school is None:
        raise Refused(_("Name the school: --school REGION/DISTRICT/SCHOOL."))
    if args.form == "distribution":
        with context.transaction() as session:
            prints = print_distribution(session, folder, language, actor=context.operator, stream=args.stream)
        return Output("\n".join(_("Printed {pages} page(s): {path}").format(pages=item.pages, path=item.path)
                                for item in prints),
                      [{"path": str(item.path), "pages": item.pages} for item in prints])
    with context.transaction() as session:
        if args.form in SCHOOL_FORMS:
            printed = print_school_form(session, folder, args.form, args.school, language, actor=context.operator,
                                        ikt=args.ikt)
        else:
            printed = FORMS[args.form](session, folder, language, actor=context.operator)
    return Output(_("Printed {pages} page(s): {path}").format(pages=printed.pages, path=printed.path),
                  {"path": str(printed.path), "pages": printed.pages})


def _configure_send_daily(parser: argparse.ArgumentParser) -> None:
    from common.exchange.cli_commands import password_option

    password_option(parser)


def _send_daily(context: CommandContext, args: argparse.Namespace) -> Output:
    from dataclasses import asdict

    from arm_applications.daily import send_daily
    from common.exchange.cli_commands import key_password

    folder = context.require_folder()
    password = key_password(args)
    with context.transaction() as session:
        sent = send_daily(session, folder, password=password, actor=context.operator)
    return Output(_("Daily statistics sealed for NTC: {path} ({applications} applications, {annulled} annulled, "
                    "package {sequence}).").format(path=sent.path, applications=sent.applications,
                                                   annulled=sent.annulled, sequence=sent.sequence), asdict(sent))
