"""``print`` and ``send``: the paper forms and the package to НЦТ."""

from __future__ import annotations

import argparse

from arm_base_ppent.commands import to_json
from arm_base_ppent.printing import FORM_LANGUAGES, FORMS, default_form_language, print_form
from arm_base_ppent.sending import send_site_database
from common.cli import CommandContext, CommandLine, Output
from common.exchange.cli_commands import key_password, password_option
from common.i18n import N_, _


def register(cli: CommandLine) -> None:
    cli.add(
        "print",
        N_("Print a form to PDF in printed/: app28, schools-directory, room-signs, seat-scheme"),
        _print,
        _configure_print,
    )
    cli.add("send", N_("Seal the site database to NTC into outbox/ (п. 79.3)"), _send, _configure_send)


def _configure_print(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("form", choices=list(FORMS), help=_("which form"))
    parser.add_argument(
        "--language",
        choices=[*FORM_LANGUAGES, "both"],
        help=_("kk or ru, or both (default: the language of the messages when it is kk or ru)"),
    )
    parser.add_argument(
        "--room",
        action="append",
        dest="rooms",
        metavar="NUMBER",
        help=_("only this room (room signs and seat schemes; repeat for more)"),
    )


def _print(context: CommandContext, args: argparse.Namespace) -> Output:
    folder = context.require_folder()
    language = args.language or default_form_language()
    languages = list(FORM_LANGUAGES) if language == "both" else [language]
    with context.transaction() as session:
        printed = [
            print_form(session, folder, args.form, lang, actor=context.operator, rooms=args.rooms)
            for lang in languages
        ]
    lines = [
        _("Printed {pages} page(s): {path}").format(pages=item.pages, path=item.path) for item in printed
    ]
    return Output("\n".join(lines), to_json(printed))


def _configure_send(parser: argparse.ArgumentParser) -> None:
    password_option(parser)


def _send(context: CommandContext, args: argparse.Namespace) -> Output:
    folder = context.require_folder()
    password = key_password(args)
    with context.transaction() as session:
        sent = send_site_database(session, folder, password=password, actor=context.operator)
    lines = [
        _(
            "The site database is sealed for NTC: {path} ({rooms} rooms, {streams} streams, "
            "{schools} schools, package {sequence})."
        ).format(
            path=sent.path,
            rooms=sent.rooms,
            streams=sent.streams,
            schools=sent.schools,
            sequence=sent.sequence,
        )
    ]
    lines += [_("Note: {warning}").format(warning=warning) for warning in sent.warnings]
    return Output("\n".join(lines), to_json(sent))
