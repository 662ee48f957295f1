"""``variants import FILE`` and ``variants show --stream N``: the stream's test specification and variants file
from НЦТ (п. 53.1; ``arm_programmer.variants``)."""

from __future__ import annotations

import argparse
from dataclasses import asdict

import arm_programmer.variants  # noqa: F401 - registers the importers of test-specification and variants packages
from common.cli import CommandContext, CommandLine, Output
from common.exchange.cli_commands import password_option, taking_package_file
from common.i18n import N_, _
from common.paths import InputFile


def register(cli: CommandLine) -> None:
    cli.add("variants import", N_("Take a stream's test specification or variants file from НЦТ (п. 53.1)"), _import,
            _configure_import)
    cli.add("variants show", N_("Show a stream's test specification, sheet numbers and booklets per room"), _show,
            _configure_show)


def _configure_import(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", action=InputFile,
                        help=_("the test-specification or variants package (.entpkg)"))
    password_option(parser)


def _configure_show(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stream", required=True, type=int, help=_("stream number"))


def _import(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_programmer.variants import take_from_nct

    with taking_package_file(context, args, take_from_nct) as (taken, _session):
        data = {"taken": taken.taken, "kind": taken.kind, "message": taken.message}
    return Output(taken.message, data)


def _show(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_programmer.variants import stream_variants

    context.require_folder()
    with context.transaction() as session:
        view = stream_variants(session, args.stream)
    lines = [_("Stream {stream} ({date}): test specification {spec}; variants file {file}.").format(
        stream=view.stream, date=view.date or "—", spec=view.specification or _("not received"),
        file=_("received") if view.variants_file else _("not received"))]
    for room in view.rooms:
        spare = "" if room.spare_sheets is None else _("; spare sheets {first}–{last}").format(
            first=room.spare_sheets[0], last=room.spare_sheets[1])
        booklets = ", ".join(f"{variant}×{count}" for variant, count in room.booklets.items())
        lines.append(_("Room {room} ({language}, {seats} seats): sheets {first}–{last}{spare}; booklets {booklets}")
                     .format(room=room.room, language=room.language, seats=room.seats, first=room.sheets[0],
                             last=room.sheets[1], spare=spare, booklets=booklets))
    return Output("\n".join(lines), asdict(view))
