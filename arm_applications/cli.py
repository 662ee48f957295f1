"""Command line of the workstation; with no command it opens the window."""

from __future__ import annotations

from collections.abc import Sequence

from arm_applications.commands import closing, journals, outputs, passes, plan, scanning, secretaries
from common.cli import CommandLine
from common.exchange.cli_commands import add_exchange_commands
from common.workstation import APPLICATIONS


def build() -> CommandLine:
    cli = CommandLine(APPLICATIONS)
    add_exchange_commands(cli)
    for module in (plan, secretaries, journals, scanning, outputs, closing, passes):
        module.register(cli)
    return cli


def main(argv: Sequence[str] | None = None) -> int:
    return build().run(argv)


if __name__ == "__main__":
    raise SystemExit(main())
