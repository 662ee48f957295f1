"""``handover import FILE`` and ``handover show``: the applicant database from АРМ «Заявления ЕНТ» (п. 52.8)."""

from __future__ import annotations

import argparse
from dataclasses import asdict

import arm_programmer.handover  # noqa: F401 - registers the importer of applicant-database packages
from common.cli import CommandContext, CommandLine, Output
from common.exchange.cli_commands import password_option, taking_package_file
from common.i18n import N_, _
from common.paths import InputFile


def register(cli: CommandLine) -> None:
    from arm_programmer import commands_appeals, commands_results

    commands_results.register(cli)
    commands_appeals.register(cli)
    cli.add("handover import", N_("Take the closed, distributed applicant database from АРМ «Заявления ЕНТ» "
                                  "(п. 52.8)"), _import, _configure_import)
    cli.add("handover show", N_("Show what this workstation holds of the applicant database"), _show)


def _configure_import(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", action=InputFile, help=_("the applicant-database package (.entpkg)"))
    password_option(parser)


def _import(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_programmer.handover import handover_counts, take_handover

    with taking_package_file(context, args, take_handover) as (taken, session):
        if not taken.taken:
            return Output(taken.message, {"taken": False, "message": taken.message})
        counts = handover_counts(session)
    return Output(taken.message, {"taken": True, "message": taken.message, **asdict(counts)})


def _show(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_programmer.handover import handover_counts
    from arm_programmer.takeover import NO_APPLICANT_DATABASE, takeover_state

    context.require_folder()
    with context.transaction() as session:
        counts = handover_counts(session)
        state = takeover_state(session)
    data = {**asdict(counts), "takeover_closed_at": None if state is None else state.closed_at.isoformat()}
    if counts.closed_at is None:
        return Output(_(NO_APPLICANT_DATABASE), data)
    text = _("Site {site}: {applicants} applicant(s), {annulled} annulled, {placed} placed in {rooms} room(s) of "
             "{streams} stream(s), {schools} school(s); closed {closed}, distributed {distributed}.").format(
        site=counts.site, applicants=counts.applicants, annulled=counts.annulled, placed=counts.placed,
        rooms=counts.rooms, streams=counts.streams, schools=counts.schools, closed=counts.closed_at,
        distributed=counts.distributed_at)
    return Output(text, data)
