"""Opening НЦТ's database: SQLite in the data folder by default, PostgreSQL with ``--db``."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from common.errors import Refused
from common.i18n import _

DATABASE_FILE = "nct.sqlite"


def database_url(data_dir: Path, db: str | None = None) -> str:
    """The SQLAlchemy URL of НЦТ's database.

    ``db`` is what the operator gave with ``--db``: a URL (``postgresql://user@host/name`` is
    taken as psycopg 3) or ``None`` for ``nct.sqlite`` in ``data_dir``.
    """
    if not db:
        return f"sqlite:///{(data_dir / DATABASE_FILE).as_posix()}"
    try:
        url = make_url(db)
    except ArgumentError as error:
        raise Refused(_("Not a database URL: {url}").format(url=db)) from error
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise Refused(_("Only SQLite and PostgreSQL databases are supported, not {backend}.").format(
            backend=url.get_backend_name()))
    return url.render_as_string(hide_password=False)


def open_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, foreign keys and a busy timeout on every connection."""
    # hide_parameters: a database error must never print the applicants' names or ИИН it was writing.
    if url.startswith("sqlite"):
        engine = create_engine(url, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@contextlib.contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One operation: everything done in the session is committed together or not at all."""
    factory = sessionmaker(engine, expire_on_commit=False)
    with factory() as session, session.begin():
        yield session


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """``--db URL`` for every ``ent-nct`` command that touches the database."""
    parser.add_argument(
        "--db", metavar="URL", default=None,
        help=_("database URL, e.g. postgresql://user@host/nct (default: {file} in the data folder)").format(
            file=DATABASE_FILE),
    )
