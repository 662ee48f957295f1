"""``plan import FILE`` and ``plan show``: the site's plan and ИКТ block from НЦТ (п. 89.1)."""

from __future__ import annotations

import argparse
from typing import Any

from arm_applications.plan import Plan, load_plan, take_plan_package
from common.cli import CommandContext, CommandLine, Output
from common.exchange.cli_commands import password_option, taking_package_file
from common.exchange.store import identity_row, not_enrolled
from common.i18n import N_, _
from common.paths import InputFile


def register(cli: CommandLine) -> None:
    cli.add("plan import", N_("Take the site's plan and ИКТ block from НЦТ (a site-plan package)"), _import,
            _configure_import)
    cli.add("plan show", N_("Show the site's plan: streams, schools, expected applicants, ИКТ block"), _show)


def _configure_import(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", action=InputFile, help=_("the site-plan package (.entpkg)"))
    password_option(parser)


def _import(context: CommandContext, args: argparse.Namespace) -> Output:
    context.require_folder()
    with context.transaction() as session:
        if identity_row(session) is None:
            raise not_enrolled()
    with taking_package_file(context, args, take_plan_package) as (taken, session):
        if not taken.taken:
            return Output(taken.message, {"taken": False, "message": taken.message})
        plan = load_plan(session)
    return Output(taken.message, {"taken": True, "message": taken.message, **plan_json(plan)})


def _show(context: CommandContext, args: argparse.Namespace) -> Output:
    context.require_folder()
    with context.transaction() as session:
        plan = load_plan(session)
    lines = [
        _("Site {code}: {name} — plan number {sequence}").format(code=plan.site_code, name=plan.site_name_ru,
                                                                  sequence=plan.sequence),
        _("ИКТ block(s): {blocks} ({count} ИКТ)").format(
            blocks=", ".join(f"{block.first:09d}–{block.last:09d}" for block in plan.ikt_blocks),
            count=plan.ikt_total),
    ]
    for stream in plan.streams:
        seats = ", ".join(f"{language} {count}" for language, count in stream.seats_by_language.items())
        lines.append(_("Stream {stream}, {date}: seats {seats}").format(stream=stream.stream,
                                                                       date=stream.date.isoformat(), seats=seats))
    for school in plan.schools:
        lines.append(_("{key}  stream {stream}  expected {expected}  journal rows {rows}  {name}").format(
            key=school.key, stream=school.stream if school.stream is not None else "—", expected=school.expected,
            rows=school.journal_rows, name=school.name_ru))
    lines.append(_("Applicants expected in all: {count}").format(count=plan.expected))
    return Output("\n".join(lines), plan_json(plan))


def plan_json(plan: Plan) -> dict[str, Any]:
    return {
        "site": plan.site_code,
        "sequence": plan.sequence,
        "expected": plan.expected,
        "ikt_blocks": [{"first": f"{block.first:09d}", "last": f"{block.last:09d}"} for block in plan.ikt_blocks],
        "streams": [{"stream": stream.stream, "date": stream.date.isoformat(),
                     "seats_by_language": stream.seats_by_language} for stream in plan.streams],
        "schools": [{"school": school.key, "name_kk": school.name_kk, "name_ru": school.name_ru,
                     "stream": school.stream, "expected": school.expected,
                     "expected_by_language": school.expected_by_language, "journal_rows": school.journal_rows}
                    for school in plan.schools],
    }
