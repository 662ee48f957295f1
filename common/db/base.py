"""The declarative base every model derives from, and the column types the models share."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, Dialect, Enum, MetaData
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

# Every constraint gets a predictable name, so Alembic batch migrations on SQLite can drop and
# recreate them, and PostgreSQL and SQLite databases carry the same names.
NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class of every table of the suite; ``Base.metadata`` is what Alembic compares."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utc_now() -> datetime:
    """The current moment, timezone-aware in UTC (what :class:`UtcDateTime` columns hold)."""
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A moment in time, stored in UTC and always returned timezone-aware.

    SQLite keeps no time zone, so values are converted to UTC and stored without an offset;
    PostgreSQL stores ``timestamp with time zone``. A naive ``datetime`` is refused: it is
    ambiguous, and the exam runs in several time zones of Kazakhstan.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("a naive datetime cannot be stored; pass a timezone-aware one")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def enum_column_type(enum: type[StrEnum], name: str) -> Enum:
    """A string column limited to ``enum``'s values by a CHECK constraint named ``name``.

    Values (``"kk"``, ``"en-kk"``), not member names, are stored, so the database reads the
    same as the instruction and as exchange files. Reads return ``enum`` members.
    """
    return Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        length=max(len(member.value) for member in enum),
        values_callable=_values,
    )


def _values(enum: Any) -> list[str]:
    return [member.value for member in enum]
