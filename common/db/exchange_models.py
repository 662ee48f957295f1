"""A workstation's side of the exchange: its key, the parties it knows, packages sent and taken,
НЦТ's password verifiers and the attempts at them (revision ``0002_exchange``).

Nothing secret is stored in clear: the private key is PKCS#12 under the enrolment password, and a
dictated password is present only as an Argon2id verifier. ``stream_key`` is the stream number,
or 0 for what belongs to no stream (streams count from 1): unlike NULL, 0 takes part in unique
constraints.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from common.db.base import Base, UtcDateTime, utc_now
from common.exchange.ledger import NO_STREAM, ReceivedPackageColumns


def stream_of(key: int) -> int | None:
    return None if key == NO_STREAM else key


class ExchangeIdentity(Base):
    """The workstation's own certificate and encrypted key, from its enrolment package (one row)."""

    __tablename__ = "exchange_identity"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    address: Mapped[str] = mapped_column(String(40))
    site_code: Mapped[str] = mapped_column(String(16))
    role: Mapped[str] = mapped_column(String(32))
    certificate_pem: Mapped[str] = mapped_column(Text)
    protected_key: Mapped[bytes] = mapped_column(LargeBinary)
    """PKCS#12 (PBES2, AES-256-CBC) under the enrolment password: never the key in clear."""
    root_certificate_pem: Mapped[str] = mapped_column(Text)
    enrolment_package_id: Mapped[str] = mapped_column(String(64))
    enrolled_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class PeerCertificate(Base):
    """A party this workstation can send packages to (НЦТ, the site's other workstations)."""

    __tablename__ = "exchange_peers"

    address: Mapped[str] = mapped_column(String(40), primary_key=True)
    certificate_pem: Mapped[str] = mapped_column(Text)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class ReceivedPackage(ReceivedPackageColumns, Base):
    """A package taken: recorded in the transaction that imported its payload."""

    __tablename__ = "exchange_received"
    __table_args__ = (
        Index("ix_exchange_received_channel", "sender", "recipient", "kind", "stream_key", "sequence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)


class StoredPayload(Base):
    """The payload of a taken package whose kind has no importer of its own, kept whole."""

    __tablename__ = "exchange_payloads"
    __table_args__ = (Index("ix_exchange_payloads_kind", "kind", "stream_key", "sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[str] = mapped_column(ForeignKey("exchange_received.package_id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    stream_key: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    sender: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    attachments: Mapped[list[StoredAttachment]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="StoredAttachment.name"
    )


class StoredAttachment(Base):
    __tablename__ = "exchange_attachments"
    __table_args__ = (UniqueConstraint("payload_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    payload_id: Mapped[int] = mapped_column(ForeignKey("exchange_payloads.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(300))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class SentPackage(Base):
    """A package made here: its sequence number is taken in the transaction that made it."""

    __tablename__ = "exchange_sent"
    __table_args__ = (
        UniqueConstraint("recipient", "kind", "stream_key", "sequence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(40))
    stream_key: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    file_name: Mapped[str] = mapped_column(String(300))
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    """SHA-256 of the file's bytes: which file of that name this row records (a name can be made twice: a number
    given again after a rollback). ``None`` in rows made before revision 0014."""
    audit_entries: Mapped[int | None] = mapped_column(Integer)
    audit_digest: Mapped[str | None] = mapped_column(String(64))


class PasswordVerifier(Base):
    """НЦТ's Argon2id verifier of one dictated code (``slot``: ``code`` or ``unlock-N``)."""

    __tablename__ = "password_verifiers"
    __table_args__ = (UniqueConstraint("purpose", "stream_key", "slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(40))
    stream_key: Mapped[int] = mapped_column(Integer)
    slot: Mapped[str] = mapped_column(String(20))
    verifier: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    package_id: Mapped[str] = mapped_column(String(64))


class PasswordAttempts(Base):
    """Wrong attempts at one password (a dictated code, or the answer codes' three passwords)."""

    __tablename__ = "password_attempts"
    __table_args__ = (
        UniqueConstraint("purpose", "stream_key"),
        CheckConstraint("failures >= 0", name="failures_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(40))
    stream_key: Mapped[int] = mapped_column(Integer)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    """Wrong attempts since the last success or unlock."""
    total_failures: Mapped[int] = mapped_column(Integer, default=0)
    unlocks_used: Mapped[int] = mapped_column(Integer, default=0)
    locked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_failure_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
