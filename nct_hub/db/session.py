"""НЦТ's database for a command: ``--db URL`` or ``nct.sqlite`` in the data folder, always at head."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from common.cli import CommandContext
from nct_hub.db.engine import database_url, open_engine, transaction
from nct_hub.db.migrate import ensure_current


def nct_engine(context: CommandContext, db: str | None) -> Engine:
    """An engine on НЦТ's database, created or upgraded to the newest schema on first use.

    Without ``db`` the database lives in the data folder, which ``ent-nct init`` must have made.
    """
    if not db:
        context.require_folder()
    engine = open_engine(database_url(context.data_dir, db))
    ensure_current(engine)
    return engine


@contextlib.contextmanager
def nct_transaction(context: CommandContext, db: str | None) -> Iterator[Session]:
    """One operation on НЦТ's database: committed whole or rolled back whole."""
    engine = nct_engine(context, db)
    try:
        with transaction(engine) as session:
            yield session
    finally:
        engine.dispose()
