"""Command line of the workstation; with no command it opens the window."""

from __future__ import annotations

from collections.abc import Sequence

from arm_certificate import commands, commands_blanks, commands_print, commands_registers
from common.cli import CommandLine
from common.exchange.cli_commands import add_exchange_commands
from common.workstation import CERTIFICATE


def build() -> CommandLine:
    cli = CommandLine(CERTIFICATE)
    add_exchange_commands(cli)
    commands.register(cli)
    commands_blanks.register(cli)
    commands_print.register(cli)
    commands_registers.register(cli)
    return cli


def main(argv: Sequence[str] | None = None) -> int:
    return build().run(argv)


if __name__ == "__main__":
    raise SystemExit(main())
