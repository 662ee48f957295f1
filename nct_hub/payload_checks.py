"""Checking a site's payload field by field at НЦТ: one wrong field is named (where, and what) and nothing of the
package is kept. Shared by the importers of results, final results, certificate numbers and appeals (their checked
rows are written by :func:`nct_hub.bulk.insert_rows`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from common import codebook
from common.i18n import _

IKT = re.compile(rf"^[0-9]{{{codebook.IKT_DIGITS}}}$")
"""An ИКТ as a payload carries it (:data:`common.codebook.IKT_DIGITS` digits)."""


class Bad(Exception):
    """One field of the payload is wrong: where, and what (translated)."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(where)
        self.where, self.problem = where, problem


def text_of(entry: Mapping[str, Any], key: str, where: str, *, pattern: re.Pattern[str] | None = None,
            optional: bool = False, limit: int = 16) -> Any:
    value = entry.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value or len(value) > limit or (pattern and not pattern.match(value)):
        raise Bad(f"{where}.{key}", _("missing or not valid"))
    return value


def count_of(entry: Mapping[str, Any], key: str, where: str) -> int | None:
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise Bad(f"{where}.{key}", _("not a whole number of zero or more"))
    return value


def entry_of(value: Any, where: str) -> Mapping[str, Any]:
    """``value`` as an object (one entry of a list), or :class:`Bad` at ``where``."""
    if not isinstance(value, Mapping):
        raise Bad(where, _("not an object"))
    return value


def list_of(value: Any, where: str) -> list[Any]:
    """``value`` as a list, or :class:`Bad` at ``where``."""
    if not isinstance(value, list):
        raise Bad(where, _("not a list"))
    return value


def date_of(value: Any, where: str) -> date:
    """``value`` as an ISO date (YYYY-MM-DD), or :class:`Bad` at ``where``."""
    try:
        if isinstance(value, str):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise Bad(where, _("not a date (YYYY-MM-DD)"))
