"""Alembic environment of ent-arm.

Run by :mod:`common.db.migrate` inside the programs (the connection is passed in
``config.attributes["connection"]``), and by the ``alembic`` command for developers::

    alembic -c alembic.ini upgrade head
    alembic -c alembic.ini revision --autogenerate -m "add seating draw"
    alembic -c alembic.ini check

The developer database is ``sqlalchemy.url`` of ``alembic.ini`` or ``$ENT_DB_URL``. New revisions
are numbered ``NNNN_slug`` after the current head; an autogenerate run that finds nothing to do
writes no file. ``render_as_batch`` is on in both online and offline mode (SQLite's ALTER TABLE
is limited).
"""

from __future__ import annotations

import os
import re
from logging.config import fileConfig
from pathlib import Path
from typing import Any

from alembic import context
from alembic.script import ScriptDirectory
from sqlalchemy import make_url

from common.db.base import UtcDateTime
from common.db.engine import open_engine_url
from common.db.migrate import migration_connection
from common.db.schema import target_metadata

config = context.config


def _database_url() -> str:
    url = os.environ.get("ENT_DB_URL") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database: set sqlalchemy.url in alembic.ini or the ENT_DB_URL variable")
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    return url


def _render_item(kind: str, item: Any, autogen_context: Any) -> str | bool:
    # Migrations must not import the models: render the column type the database sees.
    if kind == "type" and isinstance(item, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _number_revision(migration_context: Any, revision: Any, directives: list[Any]) -> None:
    script = directives[0]
    options = config.cmd_opts
    if getattr(options, "autogenerate", False) and script.upgrade_ops.is_empty():
        directives[:] = []
        print("No schema changes found; no revision written.")
        return
    if getattr(options, "rev_id", None):
        return
    head = ScriptDirectory.from_config(config).get_current_head()
    number = int(head.split("_", 1)[0]) + 1 if head else 1
    slug = re.sub(r"[^a-z0-9]+", "_", (script.message or "revision").lower()).strip("_")
    script.rev_id = f"{number:04d}_{slug[:27]}"  # alembic_version.version_num is VARCHAR(32)


OPTIONS: dict[str, Any] = {
    "target_metadata": target_metadata(),
    "render_as_batch": True,
    "compare_type": True,
    "render_item": _render_item,
    "process_revision_directives": _number_revision,
}


def run_migrations_offline() -> None:
    context.configure(
        url=_database_url(), literal_binds=True, dialect_opts={"paramstyle": "named"}, **OPTIONS
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    if config.config_file_name:
        fileConfig(config.config_file_name, disable_existing_loggers=False)
    engine = open_engine_url(_database_url())
    try:
        with migration_connection(engine) as own_connection:
            _run(own_connection)
    finally:
        engine.dispose()


def _run(connection: Any) -> None:
    context.configure(connection=connection, **OPTIONS)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
