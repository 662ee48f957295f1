"""``passes print [--school S] [--out DIR]``: the admission passes with stubs (ch. 21), one file per
school. The registers around them are forms of ``print`` (:mod:`arm_applications.commands.outputs`):
``journal-of-changes``, ``passes-register``, ``room-folders``, ``site-journal``."""

from __future__ import annotations

import argparse

from arm_applications.passes_printing import print_passes
from common.cli import CommandContext, CommandLine, Output
from common.i18n import N_, _
from common.paths import OutputFolder
from common.reports import PrintedForm


def register(cli: CommandLine) -> None:
    cli.add("passes print", N_("Print the admission passes with stubs to PDF in printed/, one file per school, each "
                               "pass in its applicant's test language (ch. 21)"), _print, _configure)


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--school", metavar="REGION/DISTRICT/SCHOOL", help=_("only this school's passes"))
    parser.add_argument("--out", action=OutputFolder, default=None, metavar="DIR",
                        help=_("also write a copy of each file into DIR"))


def printed_output(printed: list[PrintedForm]) -> Output:
    """What a command that printed several files says of them."""
    pages = sum(form.pages for form in printed)
    lines = [_("Printed {files} file(s), {pages} page(s):").format(files=len(printed), pages=pages)]
    lines += [f"  {form.path}" for form in printed]
    return Output("\n".join(lines), {"files": [{"path": str(form.path), "pages": form.pages} for form in printed],
                                     "pages": pages})


def _print(context: CommandContext, args: argparse.Namespace) -> Output:
    folder = context.require_folder()
    with context.transaction() as session:
        printed = print_passes(session, folder, actor=context.operator, school=args.school, out=args.out)
    return printed_output(printed)
