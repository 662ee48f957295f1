"""``close``: the take-over closed (п. 52.10); ``changes add|list``: the journal of changes (прил. 13, п. 52.9,
109). See ``arm_programmer.takeover`` and ``arm_programmer.changes``."""

from __future__ import annotations

import argparse

from common.cli import CommandContext, CommandLine, Output
from common.i18n import N_, _


def register(cli: CommandLine) -> None:
    cli.add("close", N_("Close the taken applicant database once the journal of changes is entered (п. 52.10)"),
            _close)


def _close(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_programmer.takeover import close_takeover

    context.require_folder()
    with context.transaction() as session:
        state = close_takeover(session, context.operator)
        context.audit(session, "takeover.close", None)
        moment = state.closed_at.isoformat()
    return Output(_("The applicant database is closed: from now on only the exam-day operations write (the draw, "
                    "late seating)."), {"closed_at": moment})
