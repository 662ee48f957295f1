"""Command line of the workstation; with no command it opens the window.

Commands (``ent-base-ppent --help`` lists them with their options): ``enrol`` and the other
exchange commands every workstation has, ``site``, ``rooms``,
``streams``, ``totals``, ``schools``, ``import``, ``template``, ``print``, ``send`` — each the
same service a button of the window calls.
"""

from __future__ import annotations

from collections.abc import Sequence

from arm_base_ppent.commands import outputs, rooms, schools
from common.cli import CommandLine
from common.exchange.cli_commands import add_exchange_commands
from common.workstation import BASE_PPENT


def build() -> CommandLine:
    cli = CommandLine(BASE_PPENT)
    add_exchange_commands(cli)
    for module in (rooms, schools, outputs):
        module.register(cli)
    return cli


def main(argv: Sequence[str] | None = None) -> int:
    return build().run(argv)


if __name__ == "__main__":
    raise SystemExit(main())
