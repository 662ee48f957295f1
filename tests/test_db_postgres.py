"""The same migrations and audit chain on PostgreSQL (``open_engine_url``), for НЦТ-scale use.

Needs a server: ``python3 tasks.py test`` starts a throwaway one and sets
``ENT_TEST_POSTGRES_URL``; each test gets a fresh database on it.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from nct_support import require_postgres_url
from sqlalchemy import Engine, create_engine, inspect, make_url, text
from sqlalchemy.exc import IntegrityError

from common.db.engine import open_engine_url, transaction
from common.db.migrate import current_revision, downgrade, ensure_current, head_revision
from common.db.schema import target_metadata
from common.security.audit import AuditLog

pytestmark = pytest.mark.postgres


@pytest.fixture
def engine() -> Iterator[Engine]:
    url = require_postgres_url()
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    name = f"ent_db_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine = open_engine_url(make_url(url).set(database=name))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.dispose()


def test_migrations_reach_head_match_the_models_and_go_back(engine: Engine) -> None:
    ensure_current(engine)
    assert current_revision(engine) == head_revision()
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, target_metadata()) == []
    downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}


def test_one_live_application_per_person_holds_on_postgresql(engine: Engine) -> None:
    ensure_current(engine)
    statements = [
        "INSERT INTO sites (id, code, name_kk, name_ru, region_code, address, lodging_places, meal_places,"
        " metal_detector_count, jammers_count, cameras_count) VALUES (1, '101', 'a', 'a', '02', '', 0, 0, 0, 0, 0)",
        "INSERT INTO schools (id, site_id, code, name_kk, name_ru, address, region_code, district_code,"
        " students_per_grade, expected_applicants, foreign_languages)"
        " VALUES (1, 1, '0042', 'a', 'a', '', '02', '001', '{}', '{}', '[]')",
        "INSERT INTO ikt_rows (id, ikt, school_id, row_number, status) VALUES"
        " (1, '100000001', 1, 1, 'used'), (2, '100000002', 1, 2, 'used')",
        "INSERT INTO applicants (id, iin, surname, name, sex, citizenship_code, nationality_code, created_at)"
        " VALUES (1, '010203500123', 'a', 'a', 'f', '398', '005', now())",
    ]
    application = (
        "INSERT INTO applications (applicant_id, ikt_row_id, school_id, region_code, district_code,"
        " test_language, status, created_at, updated_at) VALUES (1, {row}, 1, '02', '001', 'kk', '{status}',"
        " now(), now())"
    )
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
        connection.execute(text(application.format(row=1, status="annulled")))
        connection.execute(text(application.format(row=2, status="entered")))
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(text("UPDATE applications SET status = 'changed' WHERE ikt_row_id = 1"))


def test_audit_chain_stays_whole_with_concurrent_writers(engine: Engine, tmp_path: Path) -> None:
    ensure_current(engine)
    log = AuditLog(tmp_path / "audit.log")
    failures: list[BaseException] = []

    def worker(name: str) -> None:
        try:
            for n in range(25):
                with transaction(engine) as session:
                    log.record(session, actor=name, action="step", target=str(n))
        except BaseException as error:  # reported below
            failures.append(error)

    threads = [threading.Thread(target=worker, args=(name,)) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with transaction(engine) as session:
        report = log.verify(session)
        assert log.head(session)[0] == 50
    assert report.ok, report.problem
    assert report.entries == 50
