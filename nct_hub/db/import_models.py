"""What sites send to НЦТ (п. 26–29): every received package, and the modelled kinds' rows.

Kinds whose payload other issues define later are kept whole (``ReceivedPackage.payload``). The
site database (АРМ «База ППЕНТ», п. 79.3) and the applicant file are modelled. Every row carries the
``site_code`` and the package it came from; a later package of the same kind from the same site (and
stream) replaces the site's rows in one transaction.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from common.exchange.ledger import ReceivedPackageColumns
from nct_hub.db.base import Base

# Kept on PostgreSQL as JSONB (indexable, compact); SQLite stores text.
JSON_TYPE: Any = JSON().with_variant(JSONB(), "postgresql")


def _received_column() -> Any:
    return mapped_column(ForeignKey("received_packages.id", ondelete="CASCADE"), index=True)


class ReceivedPackage(ReceivedPackageColumns, Base):
    """One package taken from a site, and НЦТ's sequence ledger (``common.exchange.ledger.DbLedger``).

    ``current`` marks the newest of its (site, kind, stream); superseded ones stay for the record.
    """

    __tablename__ = "received_packages"
    __table_args__ = (
        Index("ix_received_packages_channel", "sender", "recipient", "kind", "stream_key", "sequence"),
        Index("ix_received_packages_key", "site_code", "kind", "stream_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    imported_by: Mapped[str] = mapped_column(String(100), default="")
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    manifest_json: Mapped[dict[str, Any]] = mapped_column(JSON_TYPE)
    # The whole payload for kinds not modelled in tables; None for modelled kinds (their rows are it).
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON_TYPE)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON_TYPE, default=dict)


class ReceivedAttachment(Base):
    """A file that came with a package kept whole (a scanned act, a report's PDF)."""

    __tablename__ = "received_attachments"
    __table_args__ = (UniqueConstraint("received_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    received_id: Mapped[int] = _received_column()
    name: Mapped[str] = mapped_column(String(300))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class SiteRecord(Base):
    """The site's own facts as its database last reported them (п. 86)."""

    __tablename__ = "site_records"

    site_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    received_id: Mapped[int] = _received_column()
    name: Mapped[str] = mapped_column(String(300), default="")
    region_code: Mapped[str] = mapped_column(String(4), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    directory_version: Mapped[int | None] = mapped_column(Integer)
    facts: Mapped[dict[str, Any]] = mapped_column(JSON_TYPE, default=dict)


class SiteStream(Base):
    """A stream (поток) of the site's testing schedule (п. 79.2)."""

    __tablename__ = "site_streams"
    __table_args__ = (UniqueConstraint("site_code", "stream"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_code: Mapped[str] = mapped_column(String(16), index=True)
    received_id: Mapped[int] = _received_column()
    stream: Mapped[int] = mapped_column(Integer)
    date: Mapped[date | None] = mapped_column(Date)


class SiteRoom(Base):
    """A room of the site's room fund (п. 80–81)."""

    __tablename__ = "site_rooms"
    __table_args__ = (UniqueConstraint("site_code", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_code: Mapped[str] = mapped_column(String(16), index=True)
    received_id: Mapped[int] = _received_column()
    number: Mapped[str] = mapped_column(String(4))
    seats: Mapped[int] = mapped_column(Integer)
    desks: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """The room's desks (п. 80.6), for the seat scheme (прил. 12) and the draw's desk plan; 0: not sent."""
    ventilation: Mapped[str] = mapped_column(String(40), default="")
    jammers: Mapped[int] = mapped_column(Integer, default=0)
    cameras: Mapped[int] = mapped_column(Integer, default=0)


class SiteRoomStream(Base):
    """A room's record for one stream: its language status and whether it is a reserve room."""

    __tablename__ = "site_room_streams"
    __table_args__ = (UniqueConstraint("site_code", "stream", "room_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_code: Mapped[str] = mapped_column(String(16), index=True)
    received_id: Mapped[int] = _received_column()
    stream: Mapped[int] = mapped_column(Integer)
    room_number: Mapped[str] = mapped_column(String(4))
    language: Mapped[str] = mapped_column(String(8))
    reserve: Mapped[bool] = mapped_column(Boolean, default=False)
    seats: Mapped[int] = mapped_column(Integer)


class SiteSchool(Base):
    """A school or college the site tests (п. 83–84), with its streams."""

    __tablename__ = "site_schools"
    __table_args__ = (UniqueConstraint("site_code", "bin"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_code: Mapped[str] = mapped_column(String(16), index=True)
    received_id: Mapped[int] = _received_column()
    bin: Mapped[str] = mapped_column(String(12))
    name: Mapped[str] = mapped_column(String(300))
    region_code: Mapped[str] = mapped_column(String(4), default="")
    district_code: Mapped[str] = mapped_column(String(4), default="")
    school_code: Mapped[str] = mapped_column(String(6), default="")
    language: Mapped[str] = mapped_column(String(8), default="")
    settlement: Mapped[str] = mapped_column(String(16), default="")
    streams: Mapped[list[int]] = mapped_column(JSON_TYPE, default=list)
    expected_applicants: Mapped[int] = mapped_column(Integer, default=0)
    expected_by_language: Mapped[dict[str, int]] = mapped_column(JSON_TYPE, default=dict)
    details: Mapped[dict[str, Any]] = mapped_column(JSON_TYPE, default=dict)


class Applicant(Base):
    """An applicant as the site's applicant file reported them (application form sectors 1–16)."""

    __tablename__ = "applicants"
    __table_args__ = (UniqueConstraint("site_code", "ikt"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_code: Mapped[str] = mapped_column(String(16))
    received_id: Mapped[int] = _received_column()
    ikt: Mapped[str] = mapped_column(String(12), index=True)
    iin: Mapped[str | None] = mapped_column(String(12))
    surname: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(100))
    patronymic: Mapped[str] = mapped_column(String(100), default="")
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[date | None] = mapped_column(Date)
    citizenship_code: Mapped[str] = mapped_column(String(4))
    nationality_code: Mapped[str] = mapped_column(String(4))
    region_code: Mapped[str] = mapped_column(String(4))
    district_code: Mapped[str] = mapped_column(String(4))
    school_code: Mapped[str] = mapped_column(String(6))
    test_language: Mapped[str] = mapped_column(String(2))
    history_language: Mapped[str | None] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(10))
    stream: Mapped[int | None] = mapped_column(Integer)
    room_number: Mapped[str | None] = mapped_column(String(4))
