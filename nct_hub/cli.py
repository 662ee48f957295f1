"""``ent-nct``: НЦТ's program. Commands come from separate modules, each with ``register(cli)``."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Final

from common.cli import CommandLine
from common.workstation import NCT

REGISTRARS: Final[tuple[str, ...]] = (
    "nct_hub.commands_sites",
    "nct_hub.commands_secrets",
    "nct_hub.commands_data",
    "nct_hub.commands_scanners",
    "nct_hub.commands_plan",
    "nct_hub.commands_variants",
    "nct_hub.commands_results",
    "nct_hub.commands_appeals",
    "nct_hub.commands_certificate_qr",
    "nct_hub.commands_certificates",
    "nct_hub.commands_audit",  # last: its "info" and "audit verify" replace the common ones
)
"""Modules that add commands; each has ``register(cli: CommandLine) -> None``."""


def build() -> CommandLine:
    cli = CommandLine(NCT)
    for name in REGISTRARS:
        importlib.import_module(name).register(cli)
    return cli


def main(argv: Sequence[str] | None = None) -> int:
    return build().run(argv)


if __name__ == "__main__":
    raise SystemExit(main())
