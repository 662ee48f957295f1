"""НЦТ's sites, the certificates it issued, the packages it sent and the passwords it issued.

No secret is stored here: a dictated code is derived again from НЦТ's root key whenever it is
needed, the answer-code passwords exist only on their slips, and private keys leave НЦТ only
inside enrolment packages, encrypted under the sheet's password.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from common.db.base import utc_now
from nct_hub.db.base import Base


class Site(Base):
    """A test site (ППЕНТ) as НЦТ registers it (``ent-nct site create``)."""

    __tablename__ = "sites"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name_kk: Mapped[str] = mapped_column(String(300))
    name_ru: Mapped[str] = mapped_column(String(300))
    region_code: Mapped[str] = mapped_column(String(4))
    building: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    created_by: Mapped[str] = mapped_column(String(100), default="")


class WorkstationCertificate(Base):
    """A certificate НЦТ issued to one workstation of a site (the newest one is current)."""

    __tablename__ = "workstation_certificates"
    __table_args__ = (UniqueConstraint("serial"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_code: Mapped[str] = mapped_column(ForeignKey("sites.code", ondelete="RESTRICT"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    address: Mapped[str] = mapped_column(String(40), index=True)
    serial: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[str] = mapped_column(String(100))
    certificate_pem: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    issued_by: Mapped[str] = mapped_column(String(100), default="")


class SentPackage(Base):
    """A package НЦТ sealed: its sequence number per (recipient, kind, stream; 0 = no stream)."""

    __tablename__ = "sent_packages"
    __table_args__ = (UniqueConstraint("recipient", "kind", "stream_key", "sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(40))
    stream_key: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    file_name: Mapped[str] = mapped_column(String(300))
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    """SHA-256 of the file's bytes: which file of that name this row records (an enrolment's name is made again for
    another workstation). ``None`` in rows made before revision 0011."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    created_by: Mapped[str] = mapped_column(String(100), default="")


class IssuedPassword(Base):
    """That a dictated code was printed (and when, by whom) — never the code."""

    __tablename__ = "issued_passwords"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_code: Mapped[str] = mapped_column(ForeignKey("sites.code", ondelete="RESTRICT"), index=True)
    purpose: Mapped[str] = mapped_column(String(40))
    stream_key: Mapped[int] = mapped_column(Integer)
    slot: Mapped[str] = mapped_column(String(20))
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    issued_by: Mapped[str] = mapped_column(String(100), default="")


class SealedAnswerCodes(Base):
    """An answer-codes file НЦТ sealed for a site's stream (its SHA-256, not its passwords)."""

    __tablename__ = "sealed_answer_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_code: Mapped[str] = mapped_column(ForeignKey("sites.code", ondelete="RESTRICT"), index=True)
    stream: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    sealed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    sealed_by: Mapped[str] = mapped_column(String(100), default="")


class IktBlock(Base):
    """A block of ИКТ НЦТ allocated to a site for its registration journals (``site-plan``).

    Blocks never overlap and are never taken back, so an ИКТ is unique in the country; a site gets
    a further block when its plan outgrows the ones it has (:mod:`nct_hub.site_plan`).
    """

    __tablename__ = "ikt_blocks"
    __table_args__ = (UniqueConstraint("first"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_code: Mapped[str] = mapped_column(ForeignKey("sites.code", ondelete="RESTRICT"), index=True)
    first: Mapped[int] = mapped_column(Integer)
    last: Mapped[int] = mapped_column(Integer)
    allocated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    allocated_by: Mapped[str] = mapped_column(String(100), default="")
