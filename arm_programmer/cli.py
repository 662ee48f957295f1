"""Command line of the workstation; with no command it opens the window."""

from __future__ import annotations

from collections.abc import Sequence

from arm_programmer import (
    commands,
    commands_draw,
    commands_identify,
    commands_prints,
    commands_sheets,
    commands_takeover,
    commands_variants,
)
from common.cli import CommandLine
from common.exchange.cli_commands import add_exchange_commands
from common.workstation import PROGRAMMER


def build() -> CommandLine:
    cli = CommandLine(PROGRAMMER)
    add_exchange_commands(cli)
    commands.register(cli)
    commands_variants.register(cli)
    commands_takeover.register(cli)
    commands_draw.register(cli)
    commands_prints.register(cli)
    commands_sheets.register(cli)
    commands_identify.register(cli)
    return cli


def main(argv: Sequence[str] | None = None) -> int:
    return build().run(argv)


if __name__ == "__main__":
    raise SystemExit(main())
