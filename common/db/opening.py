"""Checks before a program opens a workstation folder's database: is it whole, and is it ours?

``init`` makes ``workstation.sqlite`` and records in it which program the folder belongs to
(``workstation_info``). Every later command first checks, without writing anything:

- the file is a SQLite database and not cut short (an empty file, a scan saved under the name, a
  copy interrupted half-way): SQLite would otherwise take an empty file for a new database and the
  migrations would fill it with an empty schema, losing the folder's identity without a word;
- it holds ent-arm's tables and the identity row (a database of something else is refused);
- the folder belongs to this program: another workstation's folder is refused by that
  workstation's name, so a command never writes into another program's database.

Each refusal is one translated line, like a missing folder.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy import Engine

from common.errors import Refused
from common.i18n import _

SQLITE_HEADER = b"SQLite format 3\x00"
_HEADER_BYTES = 100


def check_database_file(path: Path) -> None:
    """Refuse a database file that is empty, not SQLite, or shorter than its header says."""
    try:
        size = path.stat().st_size
        with path.open("rb") as stream:
            header = stream.read(_HEADER_BYTES)
    except IsADirectoryError as error:
        raise damaged(path) from error
    except OSError as error:
        raise Refused(_("Cannot read {path}: {reason}").format(path=path, reason=error.strerror)) from error
    if size == 0 or len(header) < _HEADER_BYTES or not header.startswith(SQLITE_HEADER):
        raise damaged(path)
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # The page count in the header is valid when its "version-valid-for" matches the change counter.
    if pages and header[92:96] == header[24:28] and size < pages * page_size:
        raise damaged(path)


def damaged(path: Path) -> Refused:
    return Refused(
        _("{path} is empty or damaged, not a workstation database; restore the folder from its copy.").format(
            path=path
        )
    )


def folder_owner(path: Path) -> str | None:
    """The workstation code recorded in the database at ``path`` (read-only); ``None`` if there is none.

    Refused when the file cannot be read as a database.
    """
    check_database_file(path)
    try:
        return _owner(read_only_uri(path))
    except sqlite3.OperationalError:
        # Reading a WAL database needs its -shm file, which a full disk or a locked-down folder may
        # not let SQLite make; the owner is written once, by ``init``, so the file itself tells it.
        try:
            return _owner(read_only_uri(path) + ("" if "immutable" in read_only_uri(path) else "&immutable=1"))
        except sqlite3.OperationalError as error:
            raise damaged(path) from error
    except sqlite3.DatabaseError as error:
        raise damaged(path) from error


def _owner(uri: str) -> str | None:
    connection = sqlite3.connect(uri, uri=True)
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "workstation_info" not in tables:
            return None
        row = connection.execute("SELECT workstation_code FROM workstation_info WHERE id = 1").fetchone()
    finally:
        connection.close()
    return None if row is None else str(row[0])


def read_only_uri(path: Path) -> str:
    """A SQLite URI that opens ``path`` for reading only, also in a folder that cannot be written.

    SQLite needs the ``-shm`` file beside a WAL database to read it; in a read-only folder, where
    it cannot be made, the file is opened as immutable (nobody can change it there either).
    """
    uri = f"{path.absolute().as_uri()}?mode=ro"
    if not writable(path.parent) and not path.with_name(path.name + "-shm").exists():
        uri += "&immutable=1"
    return uri


def writable(folder: Path) -> bool:
    """Whether this process may create files in ``folder`` (false on a read-only mount, too)."""
    return os.access(folder, os.W_OK)


def check_folder(database: Path, workstation_code: str) -> None:
    """Refuse a database that is damaged, not ent-arm's, or belongs to another program."""
    from common.workstation import by_code

    owner = folder_owner(database)
    if owner is None:
        raise Refused(
            _("{path} is not a workstation database: it has no ent-arm identity.").format(path=database)
        )
    if owner != workstation_code:
        try:
            name = _(by_code(owner).title)
        except KeyError:
            name = owner
        raise Refused(
            _("This folder belongs to {owner}; it cannot be used here ({program}).").format(
                owner=name, program=_(by_code(workstation_code).title)
            )
        )


def check_intact(engine: Engine, folder: Path) -> None:
    """Refuse a SQLite database damaged anywhere (``PRAGMA quick_check``), not only where a command reads.

    ``info`` and ``audit verify`` are the operator's health checks: bytes overwritten in the middle of the file
    (a failing disk, a copy gone wrong) must not pass them with "OK". One line, the file left as it is; other
    databases (PostgreSQL at НЦТ) check their own pages.
    """
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from common.failures import damaged_database

    if engine.dialect.name != "sqlite":
        return
    try:
        with engine.connect() as connection:
            found = [str(row[0]) for row in connection.execute(text("PRAGMA quick_check(1)"))]
    except DBAPIError as error:
        if isinstance(error.orig, sqlite3.DatabaseError) and not isinstance(error.orig, sqlite3.OperationalError):
            raise Refused(damaged_database(folder)) from error
        raise
    if found != ["ok"]:
        raise Refused(damaged_database(folder))
