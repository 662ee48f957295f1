"""НЦТ's own Alembic chain: from nothing to head it builds exactly the models, and back, on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from nct_support import postgres_nct_url_fixture  # noqa: F401 - fixture
from sqlalchemy import Engine, create_engine, inspect

from common.errors import Refused
from common.i18n import set_language
from nct_hub.db import models
from nct_hub.db.engine import database_url, open_engine
from nct_hub.db.migrate import current_revision, downgrade, ensure_current, head_revision


def _check(engine: Engine) -> None:
    ensure_current(engine)
    assert current_revision(engine) == head_revision()
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, models.Base.metadata) == []
    downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}


def test_sqlite_chain_matches_the_models(tmp_path: Path) -> None:
    engine = open_engine(database_url(tmp_path))
    try:
        _check(engine)
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()


def test_postgresql_chain_matches_the_models(postgres_nct_url: str) -> None:
    engine = create_engine(postgres_nct_url)
    try:
        downgrade(engine, "base")  # the fixture's copy is at head already
        _check(engine)
    finally:
        engine.dispose()


def test_db_option_urls() -> None:
    set_language("en")
    assert database_url(Path("/data"), None) == "sqlite:////data/nct.sqlite"
    assert database_url(Path("/data"), "postgresql://nct@db.local/nct").startswith("postgresql+psycopg://nct@")
    with pytest.raises(Refused, match="Only SQLite and PostgreSQL"):
        database_url(Path("/data"), "mysql://nct@db.local/nct")
