"""Checking a site's payload field by field at НЦТ: one wrong field is named (where, and what) and nothing of the
package is kept. Shared by the importers of results, final results, certificate numbers and appeals, with
:func:`insert_rows`, which writes their checked rows (and the applicant file's) in bulk."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import JSON, insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from common import codebook
from common.errors import Refused
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


def insert_rows(session: Session, model: Any, rows: Sequence[Mapping[str, Any]], batch: int = 20_000, *,
                refusal: str | None = None) -> None:
    """Write a package's checked rows in bulk, in the caller's transaction: COPY on PostgreSQL (psycopg 3), one
    executemany per batch elsewhere (results, final results, certificate numbers, the applicant file).

    The ORM (``session.add`` per row) costs a statement a row; the session's own bulk insert splits the rows by
    which values are ``None``. Every row carries every column but ``id``. Should the database still refuse a row
    (the rows are checked before), the refusal (``refusal`` when given: untranslated, with ``{reason}``) names
    the constraint only, never the values (personal data)."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql" and connection.dialect.driver == "psycopg":
        _copy_postgresql(connection, model, rows, refusal)
        return
    try:
        for start in range(0, len(rows), batch):
            connection.execute(insert(model), list(rows[start : start + batch]))
    except DBAPIError as error:
        raise _database_refusal(error.orig, refusal) from None


def _copy_postgresql(connection: Any, model: Any, rows: Sequence[Mapping[str, Any]], refusal: str | None
                      ) -> None:
    import psycopg

    columns = [column for column in model.__table__.columns if column.name != "id"]
    as_json = [isinstance(column.type, JSON) for column in columns]
    names = [column.name for column in columns]
    cursor = connection.connection.driver_connection.cursor()
    try:
        with cursor.copy(f"COPY {model.__tablename__} ({', '.join(names)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([json.dumps(value) if json_ and value is not None else value
                                for value, json_ in zip((row[name] for name in names), as_json, strict=True)])
    except psycopg.Error as error:
        raise _database_refusal(error, refusal) from None


def _database_refusal(error: BaseException | None, refusal: str | None) -> Refused:
    diagnosis = getattr(error, "diag", None)
    primary = getattr(diagnosis, "message_primary", None) or str(error).splitlines()[0]
    said = _(refusal) if refusal else _("НЦТ's database refused the package's rows: {reason}")
    return Refused(said.format(reason=primary))
