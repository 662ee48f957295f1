"""The database engine and its migrations: pragmas, transactions, revisions, refusals."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.exc import IntegrityError

from common import i18n
from common.db.engine import open_engine, transaction
from common.db.migrate import current_revision, downgrade, ensure_current, head_revision, upgrade
from common.db.models import AuditHead, Site, Stream
from common.db.schema import target_metadata
from common.errors import Refused

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = open_engine(tmp_path / "workstation.sqlite")
    yield engine
    engine.dispose()


def _site(code: str = "101") -> Site:
    return Site(code=code, name_kk="ППЕНТ", name_ru="ППЕНТ", region_code="02")


def test_every_connection_uses_wal_foreign_keys_and_busy_timeout(engine: Engine) -> None:
    with engine.connect() as first, engine.connect() as second:
        for connection in (first, second):
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_new_database_is_at_head_with_tables_matching_the_models(engine: Engine) -> None:
    assert current_revision(engine) is None
    ensure_current(engine)
    assert current_revision(engine) == head_revision()
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, target_metadata()) == []


def test_migration_starts_the_audit_chain_empty(engine: Engine) -> None:
    upgrade(engine)
    with transaction(engine) as session:
        head = session.get(AuditHead, 1)
        assert head is not None
        assert (head.seq, head.hash, head.last_lines) == (0, "0" * 64, "")


def test_downgrade_to_empty_and_upgrade_again(engine: Engine) -> None:
    upgrade(engine)
    downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    assert {"sites", "applications", "ikt_rows", "audit_head", "workstation_info"} <= set(
        inspect(engine).get_table_names()
    )


def test_foreign_keys_are_enforced(engine: Engine) -> None:
    upgrade(engine)
    with pytest.raises(IntegrityError), transaction(engine) as session:
        session.add(Stream(site_id=999, number=1, exam_date=date(2026, 6, 20)))


def test_transaction_commits_on_success_and_rolls_back_whole_on_error(engine: Engine) -> None:
    upgrade(engine)
    with transaction(engine) as session:
        session.add(_site("101"))
    with pytest.raises(RuntimeError), transaction(engine) as session:
        session.add(_site("102"))
        session.flush()
        raise RuntimeError("operator cancelled")
    with transaction(engine) as session:
        codes = session.scalars(select(Site.code)).all()
    assert codes == ["101"]


def test_objects_stay_readable_after_the_transaction(engine: Engine) -> None:
    upgrade(engine)
    with transaction(engine) as session:
        site = _site()
        session.add(site)
    assert site.code == "101" and site.id is not None


def test_write_transactions_of_two_engines_wait_for_each_other(tmp_path: Path) -> None:
    path = tmp_path / "workstation.sqlite"
    first, second = open_engine(path), open_engine(path)
    upgrade(first)
    order: list[str] = []
    inside = threading.Event()

    def hold() -> None:
        with transaction(first) as session:
            session.scalars(select(Site)).all()  # the first statement takes the write lock
            inside.set()
            time.sleep(0.3)
            order.append("first done")

    worker = threading.Thread(target=hold)
    worker.start()
    inside.wait(5)
    with transaction(second) as session:  # BEGIN IMMEDIATE waits (busy_timeout) instead of failing
        session.scalars(select(Site)).all()
        order.append("second began")
    worker.join()
    first.dispose()
    second.dispose()
    assert order == ["first done", "second began"]


def test_database_of_a_newer_version_is_refused(engine: Engine) -> None:
    upgrade(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099_from_the_future'"))
    i18n.set_language("en")
    with pytest.raises(Refused) as refusal:
        ensure_current(engine)
    assert "newer version of ent-arm (schema 0099_from_the_future)" in refusal.value.message
    i18n.set_language("ru")
    with pytest.raises(Refused) as refusal:
        ensure_current(engine)
    assert "0099_from_the_future" in refusal.value.message
    assert "ent-arm" in refusal.value.message and "newer" not in refusal.value.message


def test_database_with_foreign_tables_and_no_revision_is_refused(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE something (id INTEGER)"))
    with pytest.raises(Refused):
        ensure_current(engine)
    assert current_revision(engine) is None


def test_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "workstation.sqlite"
    path.write_bytes(b"this is a scanned page, not a database" * 200)
    engine = open_engine(path)
    try:
        with pytest.raises(Refused):
            ensure_current(engine)
    finally:
        engine.dispose()


def test_ensure_current_leaves_a_current_database_alone(engine: Engine) -> None:
    ensure_current(engine)
    with transaction(engine) as session:
        session.add(_site())
    ensure_current(engine)
    with transaction(engine) as session:
        assert session.scalars(select(Site.code)).all() == ["101"]


def test_developer_alembic_ini_upgrades_and_finds_no_model_drift(tmp_path: Path) -> None:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", f"sqlite:///{tmp_path / 'dev.sqlite'}")
    command.upgrade(config, "head")
    command.check(config)  # raises if autogenerate would write a new revision
    engine = open_engine(tmp_path / "dev.sqlite")
    try:
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_offline_sql_is_rendered_for_review(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", f"sqlite:///{tmp_path / 'offline.sqlite'}")
    command.upgrade(config, "head", sql=True)
    sql = capsys.readouterr().out
    assert "CREATE TABLE applications" in sql
    assert "CREATE UNIQUE INDEX uq_applications_live_applicant_id" in sql
    assert not (tmp_path / "offline.sqlite").exists() or (tmp_path / "offline.sqlite").stat().st_size == 0
