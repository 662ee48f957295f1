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
from nct_hub.db.migrate import current_revision, downgrade, ensure_current, head_revision, upgrade


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


def test_audit_heads_taken_before_the_history_are_kept_as_earlier(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from sqlalchemy.orm import Session

    from nct_hub.db.audit_models import ReceivedAuditHead
    from nct_hub.db.import_models import ReceivedPackage

    engine = open_engine(database_url(tmp_path))
    try:
        upgrade(engine, "0002")
        made = datetime(2026, 5, 20, 3, 15, tzinfo=UTC)
        with Session(engine) as session, session.begin():
            session.add(ReceivedPackage(
                package_id="p" * 64, sender="017/applications", recipient="nct", kind="reports", stream_key=0,
                sequence=3, site_code="017", created_at=made, accepted_at=made, audit_entries=46,
                audit_digest="a" * 64, imported_by="", current=True, manifest_json={}, payload={}, summary={},
            ))
        upgrade(engine)
        with Session(engine) as session:
            [head] = session.query(ReceivedAuditHead).all()
            assert (head.sender, head.entries, head.verdict) == ("017/applications", 46, "earlier")
            assert head.digest == "a" * 64
            assert (head.kind, head.sequence, head.created_at) == ("reports", 3, made)
    finally:
        engine.dispose()
