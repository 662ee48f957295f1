"""The commands of ``ent-base-ppent``: each does what a button of the window does, headless.

Every command runs in one transaction (:meth:`common.cli.CommandContext.transaction`): it either
does all of its work or, refused, writes nothing and exits 1 with one translated line.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from common.cli import to_json
from common.errors import Refused
from common.i18n import _


def pairs(text: str, what: str, value: Callable[[str], Any] = int) -> dict[str, Any]:
    """``"11=50,9=60"`` → ``{"11": 50, "9": 60}``; ``Refused`` naming ``what`` otherwise."""
    result: dict[str, Any] = {}
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        key, separator, raw = part.partition("=")
        if not separator or not key.strip():
            raise Refused(
                _("Write {what} as key=value pairs separated by commas, e.g. 11=50,9=60.").format(what=what)
            )
        try:
            result[key.strip()] = value(raw.strip())
        except ValueError:
            raise Refused(
                _("{what}: «{value}» is not a number.").format(what=what, value=raw.strip())
            ) from None
    return result


def non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("expected a whole number, not {value!r}").format(value=text)
        ) from None
    if value < 0:
        raise argparse.ArgumentTypeError(_("expected zero or more, not {value}").format(value=value))
    return value


__all__ = ["non_negative", "pairs", "to_json"]
