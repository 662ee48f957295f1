"""Checking a site's payload field by field at НЦТ: one wrong field is named (where, and what) and nothing of the
package is kept. Shared by the importers of results, final results, certificate numbers and appeals, with
:func:`insert_rows`, which writes their checked rows in bulk."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from common.i18n import _


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


def insert_rows(session: Session, model: Any, rows: Sequence[Mapping[str, Any]], batch: int = 20_000) -> None:
    """Write a package's checked rows in bulk, in the caller's transaction: one executemany per batch.

    On the session's connection it is one plain executemany; the ORM (``session.add`` per row, or the session's
    bulk insert, which splits the rows by which values are ``None``) costs a round trip a row on PostgreSQL.
    Every row carries every column but ``id``."""
    if not rows:
        return
    connection = session.connection()
    for start in range(0, len(rows), batch):
        connection.execute(insert(model), list(rows[start : start + batch]))
