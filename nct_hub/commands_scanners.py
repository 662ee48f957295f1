"""``ent-nct scanners``: every site's scanners and their last check (п. 42.5, 52.5)."""

from __future__ import annotations

import argparse

from common.cli import CommandContext, CommandLine, Output, to_json
from common.i18n import N_, _
from nct_hub.db.engine import add_db_option
from nct_hub.db.session import nct_transaction


def register(cli: CommandLine) -> None:
    cli.add("scanners", N_("Every site's scanners and whether their last check is fit"), _cmd_scanners, _configure)


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", help=_("only this site's scanners"))
    add_db_option(parser)


def _cmd_scanners(context: CommandContext, args: argparse.Namespace) -> Output:
    from nct_hub.scanner_checks import last_checks

    with nct_transaction(context, args.db) as session:
        statuses = last_checks(session, args.site)
    if not statuses:
        return Output(_("No scanner check has been imported yet."), [])
    lines = []
    for status in statuses:
        verdict = _("fit") if status.fit else _("not fit")
        scanner = f"{status.model} {status.serial}".strip()
        lines.append(_("{site}  {scanner}: {verdict} ({date}; {checks} check(s))").format(
            site=status.site_code, scanner=scanner, verdict=verdict,
            date=f"{status.checked_at.astimezone():%d.%m.%Y %H:%M}", checks=status.checks))  # fmt: skip
        lines += [f"    - {finding}" for finding in status.findings]
    return Output("\n".join(lines), to_json(statuses))
