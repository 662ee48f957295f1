"""Shared fixtures of the НЦТ tests: a fresh НЦТ database on SQLite or on a real PostgreSQL server.

``python3 tasks.py test`` starts a throwaway PostgreSQL and sets ``ENT_TEST_POSTGRES_URL``. Under CI
(``CI`` set) a missing server FAILS the PostgreSQL tests instead of skipping them; on a developer's
machine the tests start the same throwaway server themselves when they can (root on Debian).
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import uuid
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, make_url

from nct_hub.db.engine import open_engine
from nct_hub.db.migrate import upgrade

ROOT = Path(__file__).resolve().parents[1]


@cache
def postgres_server_url() -> str | None:
    url = os.environ.get("ENT_TEST_POSTGRES_URL")
    if url:
        return url
    if os.environ.get("CI"):
        return None
    spec = importlib.util.spec_from_file_location("ent_tasks", ROOT / "tasks.py")
    assert spec is not None and spec.loader is not None
    tasks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tasks)
    server = tasks.postgres_for_tests()  # a context manager: entered here, left when the test process ends
    try:
        env = server.__enter__()
    except Exception:  # no server can be started here: reported by require_postgres_url
        return None
    atexit.register(server.__exit__, None, None, None)
    return env.get("ENT_TEST_POSTGRES_URL")


def require_postgres_url() -> str:
    url = postgres_server_url()
    if url:
        return url
    message = ("no PostgreSQL server for the НЦТ tests: run them through 'python3 tasks.py test' "
               "or set ENT_TEST_POSTGRES_URL=postgresql+psycopg://user@host/db")
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@cache
def _template(url: str) -> str:
    """A database migrated to head once per run; each test copies it (CREATE DATABASE … TEMPLATE)."""
    name = f"nct_template_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    engine = open_engine(make_url(url).set(database=name).render_as_string(hide_password=False))
    upgrade(engine)
    engine.dispose()
    atexit.register(_drop_database, url, name)
    return name


def _drop_database(url: str, name: str) -> None:
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(name="postgres_nct_url")
def postgres_nct_url_fixture() -> Iterator[str]:
    """The URL of a fresh НЦТ database at head on PostgreSQL, dropped after the test."""
    url = require_postgres_url()
    template = _template(url)
    name = f"nct_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        admin.dispose()
        _drop_database(url, name)


@pytest.fixture(name="nct_engine", params=["sqlite", "postgresql"])
def nct_engine_fixture(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """НЦТ's database at head, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        engine = open_engine(f"sqlite:///{tmp_path / 'nct.sqlite'}")
        upgrade(engine)
    else:
        engine = open_engine(request.getfixturevalue("postgres_nct_url"))
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture(name="english")
def english_fixture() -> None:
    """Messages in English (the library's default language is Russian); conftest restores it."""
    from common import i18n

    i18n.set_language("en")
