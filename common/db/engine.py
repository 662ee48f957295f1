"""Opening a workstation's database and running one user action as one transaction.

SQLite (every workstation): each connection gets ``journal_mode=WAL``, ``foreign_keys=ON`` and
``busy_timeout=5000``. Python's ``sqlite3`` driver (before 3.16) only begins a transaction at
the first INSERT/UPDATE/DELETE, so reads before it are not part of the transaction and DDL is not
transactional; the engine therefore takes over ``BEGIN`` (SQLAlchemy's documented recipe).
:func:`transaction` begins with ``BEGIN IMMEDIATE``: it takes the write lock at once, so two
actions on the same folder (the window and a command, say) run one after the other instead of
one failing half-way with "database is locked".
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, Engine, create_engine, event
from sqlalchemy.orm import Session

BUSY_TIMEOUT_MS = 5000
_BEGIN_OPTION = "ent_sqlite_begin"


def open_engine(path: Path, *, read_only: bool = False) -> Engine:
    """The engine of the SQLite database file at ``path`` (created on first use).

    ``read_only``: opened for reading only (``mode=ro``), for a folder this process cannot write
    (a read-only share or mount): without its ``-shm`` file there, SQLite can read a WAL database
    only as immutable — nobody can change it in such a folder anyway.
    """
    if not read_only:
        return open_engine_url(URL.create("sqlite+pysqlite", database=str(path)))
    query = {"mode": "ro", "uri": "true"}
    if not path.with_name(path.name + "-shm").exists():
        query["immutable"] = "1"
    return open_engine_url(URL.create("sqlite+pysqlite", database=f"file:{path.absolute()}", query=query))


def open_engine_url(url: str | URL) -> Engine:
    """An engine for any database URL, e.g. PostgreSQL (``postgresql+psycopg://...``).

    SQLite URLs get the same per-connection setup as :func:`open_engine`; other databases are
    used as configured by their server.
    """
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
    return engine


@contextlib.contextmanager
def transaction(engine: Engine, *, read_only: bool = False) -> Iterator[Session]:
    """One user action: commit when the block ends normally, roll back on any exception.

    Objects stay usable after the commit (``expire_on_commit=False``). ``read_only=True`` skips
    taking SQLite's write lock up front, for long reports that change nothing.
    """
    bind = engine if read_only else writer(engine)
    with Session(bind, expire_on_commit=False) as session, session.begin():
        yield session


def writer(engine: Engine) -> Engine:
    """``engine`` whose transactions take SQLite's write lock at ``BEGIN`` (no-op elsewhere)."""
    if engine.dialect.name != "sqlite":
        return engine
    return engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})


def _on_sqlite_connect(dbapi_connection: Any, connection_record: Any) -> None:
    # Leave BEGIN to _on_sqlite_begin instead of the driver's partial automatic BEGIN.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


def _on_sqlite_begin(connection: Connection) -> None:
    mode = connection.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")
