"""``print FORM``: the workstation's forms that are not a school's (those are ``journals print``)."""

from __future__ import annotations

import argparse

from arm_applications.printing import FORM_LANGUAGES, default_form_language, print_directory, print_secretaries
from common.cli import CommandContext, CommandLine, Output
from common.i18n import N_, _

FORMS = {"directory": print_directory, "secretaries": print_secretaries}


def register(cli: CommandLine) -> None:
    cli.add("print", N_("Print a form to PDF in printed/: directory (п. 37.2, 89.4), secretaries (п. 89.2)"),
            _print, _configure_print)


def _configure_print(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("form", choices=list(FORMS), help=_("which form"))
    parser.add_argument("--language", choices=list(FORM_LANGUAGES), help=_("kk or ru"))


def _print(context: CommandContext, args: argparse.Namespace) -> Output:
    folder = context.require_folder()
    with context.transaction() as session:
        printed = FORMS[args.form](session, folder, args.language or default_form_language(), actor=context.operator)
    return Output(_("Printed {pages} page(s): {path}").format(pages=printed.pages, path=printed.path),
                  {"path": str(printed.path), "pages": printed.pages})
