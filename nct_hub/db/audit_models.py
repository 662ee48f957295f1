"""НЦТ's audit chain head and every audit head it received from a workstation.

НЦТ's audit log file lives in its folder, but the chain's head lives here, in НЦТ's database (SQLite
or PostgreSQL), so an action's data and its audit entry commit together (``common.security.audit``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from common.db.base import UtcDateTime, utc_now
from nct_hub.db.base import Base


class NctAuditHead(Base):
    """НЦТ's own chain head, one row (``id = 1``); same columns as a workstation's ``audit_head``."""

    __tablename__ = "audit_head"
    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint("seq >= 0", name="seq_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)
    hash: Mapped[str] = mapped_column(String(64))
    last_lines: Mapped[str] = mapped_column(Text, default="")
    last_offset: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ReceivedAuditHead(Base):
    """Every audit head a package carried, in the order taken; none is ever replaced.

    ``certificate`` is the SHA-256 fingerprint of the signer's certificate: a re-enrolled workstation
    (a fresh folder, a chain from 1 again) gets a new certificate, so its heads are compared only with
    each other. ``verdict`` (see :mod:`nct_hub.audit_heads`): ``first``, ``extends``, ``out-of-order``
    (consistent, from a package made before one taken earlier), ``backwards``, ``forked``, or ``earlier``
    (taken before НЦТ kept this history).
    """

    __tablename__ = "received_audit_heads"
    __table_args__ = (Index("ix_received_audit_heads_sender", "sender", "certificate"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sender: Mapped[str] = mapped_column(String(40))
    certificate: Mapped[str] = mapped_column(String(64))
    entries: Mapped[int] = mapped_column(BigInteger)
    digest: Mapped[str] = mapped_column(String(64))
    package_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(40))
    stream_key: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    """When the workstation made the package (its manifest): the order the heads were made in."""
    verdict: Mapped[str] = mapped_column(String(16))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
