"""Schema migrations: Alembic run from code, with the scripts shipped inside the package.

The programs never call ``create_all``: every database, new or old, reaches the current schema
through the same numbered revisions in ``common/db/migrations/versions``. Developers add a
revision with ``alembic -c alembic.ini revision --autogenerate -m "what changed"``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from importlib.resources import as_file, files
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect
from sqlalchemy.exc import DatabaseError, OperationalError

from common.db.engine import writer
from common.errors import Refused
from common.i18n import _

VERSION_TABLE = "alembic_version"


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to ``revision`` (the newest by default), in one transaction."""
    with _script_location() as location, migration_connection(engine) as connection:
        command.upgrade(_config(location, connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the database back to ``revision`` (``"base"``: empty). For developers and tests."""
    with _script_location() as location, migration_connection(engine) as connection:
        command.downgrade(_config(location, connection), revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or ``None`` if it has never been migrated."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    """The newest revision this version of the suite knows."""
    head = _script_directory().get_current_head()
    if head is None:
        raise RuntimeError("the migration scripts are missing from the installation")
    return head


def ensure_current(engine: Engine, *, can_upgrade: bool = True) -> None:
    """Make sure the program can work with this database; upgrade it if it is older.

    Refused: a database written by a newer version (its revision is unknown here), a database
    with tables but no revision (not made by ent-arm), a file that is not a database, and an
    older database that cannot be upgraded (``can_upgrade=False``: a read-only folder).
    """
    try:
        current = current_revision(engine)
        if current is None and inspect(engine).get_table_names():
            raise Refused(_("This database was not made by ent-arm: it has tables but no schema revision."))
        if current is not None and current not in _known_revisions():
            raise Refused(
                _(
                    "This database was written by a newer version of ent-arm (schema {rev}); "
                    "install that version or newer."
                ).format(rev=current)
            )
    except OperationalError:
        raise  # locked, unreadable folder: not a question of the file's content
    except DatabaseError as error:
        raise Refused(
            _("The workstation database cannot be read: the file is damaged or not a database.")
        ) from error
    if current != head_revision():
        if not can_upgrade:
            raise Refused(
                _("The database needs an upgrade to schema {head}, but its folder cannot be written.").format(
                    head=head_revision()
                )
            )
        upgrade(engine)


@contextlib.contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """A connection in one transaction for running migrations; committed if the block succeeds.

    On SQLite, foreign keys are off during the migration and checked before the commit, as
    SQLite prescribes for schema changes: a batch migration copies and drops tables, and with
    foreign keys on, dropping a parent table would cascade-delete its children's rows.
    """
    sqlite = engine.dialect.name == "sqlite"
    with writer(engine).connect() as connection:
        if sqlite:
            _outside_transaction(connection, "PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                yield connection
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"the migration left {len(broken)} broken foreign key references")
        finally:
            if sqlite:
                _outside_transaction(connection, "PRAGMA foreign_keys=ON")


def _outside_transaction(connection: Connection, pragma: str) -> None:
    # This PRAGMA does nothing inside a transaction, and SQLAlchemy would begin one for any
    # statement it runs, so it goes straight to the driver's connection.
    driver_connection = connection.connection.driver_connection
    assert driver_connection is not None
    driver_connection.execute(pragma)


@contextlib.contextmanager
def _script_location() -> Iterator[Path]:
    with as_file(files("common.db") / "migrations") as location:
        yield Path(location)


def _config(location: Path, connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(location).replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _script_directory() -> ScriptDirectory:
    with _script_location() as location:
        return ScriptDirectory.from_config(_config(location))


def _known_revisions() -> set[str]:
    return {script.revision for script in _script_directory().walk_revisions()}
