"""``close``: the take-over closed (п. 52.10); ``changes add|list``: the journal of changes (прил. 13, п. 52.9,
109). See ``arm_programmer.takeover`` and ``arm_programmer.changes``."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from common.cli import CommandContext, CommandLine, Output
from common.i18n import N_, _


def register(cli: CommandLine) -> None:
    cli.add("close", N_("Close the taken applicant database once the journal of changes is entered (п. 52.10)"),
            _close)
    cli.add("changes add", N_("Enter a line of the journal of changes (прил. 13, п. 52.9, 109)"), _add, _configure_add)
    cli.add("changes list", N_("List the lines of the journal of changes entered"), _list)


def _close(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_programmer.takeover import close_takeover

    context.require_folder()
    with context.transaction() as session:
        state = close_takeover(session, context.operator)
        context.audit(session, "takeover.close", None)
        moment = state.closed_at.isoformat()
    return Output(_("The applicant database is closed: from now on only the exam-day operations write (the draw, "
                    "late seating)."), {"closed_at": moment})


def _configure_add(parser: argparse.ArgumentParser) -> None:
    from arm_programmer.changes import FIELDS

    parser.add_argument("--ikt", required=True, help=_("the applicant's ИКТ"))
    parser.add_argument("--field", required=True, choices=list(FIELDS), help=_("what the line corrects"))
    parser.add_argument("--value", required=True, help=_("the corrected value, as the journal gives it"))
    parser.add_argument("--row", required=True, type=int, help=_("the line's number in the journal of changes"))


def _add(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_programmer.changes import FIELDS, add_change

    context.require_folder()
    with context.transaction() as session:
        line = add_change(session, ikt=args.ikt, field=args.field, value=args.value, row=args.row,
                          actor=context.operator)
        context.audit(session, "changes.add", line.ikt, field=line.field, row=line.row)  # no values: personal data
    return Output(_("Line {row} of the journal of changes entered: {field} of ИКТ {ikt} corrected.").format(
        row=line.row, field=_(FIELDS[line.field]), ikt=line.ikt), asdict(line))


def _list(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_programmer.changes import FIELDS, change_lines

    context.require_folder()
    with context.transaction() as session:
        lines = change_lines(session)
    if not lines:
        return Output(_("No line of the journal of changes entered."), {"changes": []})
    text = "\n".join(_("Row {row}: ИКТ {ikt}, {field}: {old} → {new}").format(
        row=line.row, ikt=line.ikt, field=_(FIELDS[line.field]), old=line.old or "—", new=line.new or "—")
        for line in lines)
    return Output(text, {"changes": [asdict(line) for line in lines]})
