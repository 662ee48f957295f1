"""``print seating|room-lists|handout|acts --stream N [--room R] [--language kk|ru] [--act KEY …]``: the
exam-day prints of a stream into ``printed/`` (п. 52.11–52.12; ``arm_programmer.prints``)."""

from __future__ import annotations

import argparse

from common.cli import CommandContext, CommandLine, Output
from common.i18n import N_, _


def register(cli: CommandLine) -> None:
    cli.add("print", N_("Print a stream's exam-day forms to PDF in printed/: seating (seating lists by seat with the "
                        "booklet hand-out order, прил. 5 Правил), room-lists, handout (the hand-out order on each "
                        "room's desk plan), acts (the representatives' blanks)"), _print, _configure)


def _configure(parser: argparse.ArgumentParser) -> None:
    from arm_programmer.exam_prints import ACT_KEYS
    from arm_programmer.prints import FORM_LANGUAGES, PRINTS

    parser.add_argument("form", choices=list(PRINTS), help=_("which print"))
    parser.add_argument("--stream", type=int, required=True, help=_("stream number"))
    parser.add_argument("--room", help=_("only this room"))
    parser.add_argument("--language", choices=list(FORM_LANGUAGES), help=_("kk or ru"))
    parser.add_argument("--act", action="append", choices=list(ACT_KEYS), default=[],
                        help=_("only this blank (acts; may be repeated)"))


def _print(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_programmer.prints import default_language, print_stream

    folder = context.require_folder()
    language = args.language or default_language()
    with context.transaction() as session:
        printed = print_stream(session, folder, args.form, args.stream, language, actor=context.operator,
                               room=args.room, acts=args.act)
    return Output("\n".join(_("Printed {pages} page(s): {path}").format(pages=item.pages, path=item.path)
                            for item in printed),
                  [{"form": item.form, "path": str(item.path), "pages": item.pages} for item in printed])
