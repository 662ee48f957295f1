"""Command line of the workstation; with no command it opens the window.

Commands (``ent-scanner-check --help`` lists them): the exchange commands every workstation has,
and ``print-set``, ``check``, ``checks``, ``report``, ``send``, ``fitness``, ``devices``
(:mod:`arm_scanner_check.commands`) — each the same service a button of the window calls.
"""

from __future__ import annotations

from collections.abc import Sequence

from arm_scanner_check import commands
from common.cli import CommandLine
from common.exchange.cli_commands import add_exchange_commands
from common.workstation import SCANNER_CHECK


def build() -> CommandLine:
    cli = CommandLine(SCANNER_CHECK)
    add_exchange_commands(cli)
    commands.register(cli)
    return cli


def main(argv: Sequence[str] | None = None) -> int:
    return build().run(argv)


if __name__ == "__main__":
    raise SystemExit(main())
