"""Writing a package's checked rows at НЦТ in bulk, in the caller's transaction: the results, final results and
certificate numbers (checked by :mod:`nct_hub.payload_checks`) and the applicant file."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import JSON, insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from common.errors import Refused
from common.i18n import _


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
