"""НЦТ's database for a command: ``--db URL`` or ``nct.sqlite`` in the data folder, always at head."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from common.cli import CommandContext
from common.db.opening import check_database_file, damaged, read_only_uri
from common.errors import Refused
from common.i18n import _
from nct_hub.db.engine import DATABASE_FILE, database_url, open_engine, transaction
from nct_hub.db.migrate import ensure_current


def nct_engine(context: CommandContext, db: str | None) -> Engine:
    """An engine on НЦТ's database, created or upgraded to the newest schema on first use.

    Without ``db`` the database lives in the data folder, which ``ent-nct init`` must have made.
    """
    if not db:
        context.require_folder()
        check_nct_database(context.data_dir / DATABASE_FILE)
    url = database_url(context.data_dir, db)
    engine = open_engine(url)
    try:
        ensure_current(engine)
    except OperationalError as error:
        engine.dispose()
        reason = str(error.orig or error).strip().splitlines()[0]
        shown = make_url(url).render_as_string(hide_password=True)
        raise Refused(_("Cannot open НЦТ's database {url}: {reason}").format(url=shown, reason=reason)) from error
    return engine


def check_nct_database(path: Path) -> None:
    """Refuse an ``nct.sqlite`` that is empty, damaged or not НЦТ's (a missing one is made on first use)."""
    if not path.exists():
        return
    check_database_file(path)
    try:
        connection = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            connection.close()
    except sqlite3.Error as error:
        raise damaged(path) from error
    if "alembic_version" not in tables:
        raise Refused(_("{path} is not НЦТ's database: it has no ent-arm schema.").format(path=path))


@contextlib.contextmanager
def nct_transaction(context: CommandContext, db: str | None) -> Iterator[Session]:
    """One operation on НЦТ's database: committed whole or rolled back whole."""
    engine = nct_engine(context, db)
    try:
        with transaction(engine) as session:
            yield session
    finally:
        engine.dispose()
