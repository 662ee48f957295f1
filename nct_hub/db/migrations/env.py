"""Alembic environment of НЦТ's database; the engine comes from ``nct_hub.db.migrate``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from nct_hub.db import models
from nct_hub.db.engine import open_engine

target_metadata = models.Base.metadata
config = context.config


def run_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url") or "sqlite://",
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        url = config.get_main_option("sqlalchemy.url")
        engine = open_engine(url) if url else create_engine("sqlite://")
    with engine.begin() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
