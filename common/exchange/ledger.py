"""Which packages were taken: the sequence rule of ARCHITECTURE.md, apart from any database.

Sequence numbers run per channel (sender, recipient, kind, stream). A gap is fine (USB sticks arrive
out of order); a number not above the highest taken on the channel is refused as superseded; the
very same package (same signed content) a second time is a no-op that says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import Integer, String, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from common.db.base import UtcDateTime
from common.exchange.manifest import AuditHead, Channel, Manifest
from common.exchange.refusals import AlreadyTaken, PackageRefused
from common.i18n import _


class SequenceLedger(Protocol):
    """What :func:`common.exchange.package.open_package` asks about packages taken before."""

    def last_sequence(self, channel: Channel) -> int | None:
        """The highest sequence number taken on ``channel``, or ``None``."""
        ...

    def taken_at(self, package_id: str) -> datetime | None:
        """When the package with ``package_id`` was taken, or ``None`` if it never was."""
        ...


def check_sequence(ledger: SequenceLedger, manifest: Manifest, package_id: str) -> None:
    """``AlreadyTaken`` for the same package again; ``PackageRefused("superseded")`` for an older one."""
    taken = ledger.taken_at(package_id)
    if taken is not None:
        raise AlreadyTaken(
            _("This package (number {number}) was already taken on {date}; nothing to do.").format(
                number=manifest.sequence, date=taken.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
            )
        )
    last = ledger.last_sequence(manifest.channel)
    if last is not None and manifest.sequence <= last:
        raise PackageRefused(
            "superseded",
            _("Superseded: package number {number} is older than number {last} of the same kind already "
              "taken from {sender}.").format(number=manifest.sequence, last=last, sender=manifest.sender),
        )


@dataclass
class MemoryLedger:
    """A ledger in memory (tests, dry runs)."""

    sequences: dict[Channel, int] = field(default_factory=dict)
    taken: dict[str, datetime] = field(default_factory=dict)

    def last_sequence(self, channel: Channel) -> int | None:
        return self.sequences.get(channel)

    def taken_at(self, package_id: str) -> datetime | None:
        return self.taken.get(package_id)

    def record(self, manifest: Manifest, package_id: str, at: datetime | None = None) -> None:
        check_sequence(self, manifest, package_id)
        self.sequences[manifest.channel] = manifest.sequence
        self.taken[package_id] = at or datetime.now(UTC)


class ReceivedPackageColumns:
    """Columns of a table of taken packages, for any database (workstation or НЦТ).

    Use as a mixin: ``class ReceivedPackage(ReceivedPackageColumns, Base): __tablename__ = ...``.
    ``stream_key`` is the stream, or 0 when the package belongs to no stream.
    """

    package_id: Mapped[str] = mapped_column(String(64), unique=True)
    sender: Mapped[str] = mapped_column(String(40))
    recipient: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(40))
    stream_key: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    site_code: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    accepted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    audit_entries: Mapped[int | None] = mapped_column(Integer)
    audit_digest: Mapped[str | None] = mapped_column(String(64))


NO_STREAM = 0


def stream_key(stream: int | None) -> int:
    return NO_STREAM if stream is None else stream


def next_sent_sequence(session: Session, sent_model: Any, recipient: str, kind: str, stream: int | None) -> int:
    """The next sequence number on a sending channel (``recipient``, ``kind``, ``stream``).

    ``sent_model`` is the sender's table of packages made (a workstation's or НЦТ's); each has the
    columns ``recipient``, ``kind``, ``stream_key`` and ``sequence``.
    """
    last = session.scalar(
        select(func.max(sent_model.sequence)).where(
            sent_model.recipient == recipient, sent_model.kind == kind, sent_model.stream_key == stream_key(stream)
        )
    )
    return int(last or 0) + 1


class DbLedger:
    """The sequence ledger kept in a table with :class:`ReceivedPackageColumns`, in ``session``."""

    def __init__(self, session: Session, model: type[ReceivedPackageColumns]) -> None:
        self.session = session
        self.model: Any = model

    def last_sequence(self, channel: Channel) -> int | None:
        model = self.model
        statement = select(func.max(model.sequence)).where(
            model.sender == channel.sender, model.recipient == channel.recipient,
            model.kind == channel.kind, model.stream_key == stream_key(channel.stream),
        )
        result: int | None = self.session.scalar(statement)
        return result

    def taken_at(self, package_id: str) -> datetime | None:
        result: datetime | None = self.session.scalar(
            select(self.model.accepted_at).where(self.model.package_id == package_id)
        )
        return result

    def record(self, manifest: Manifest, package_id: str, **extra: Any) -> ReceivedPackageColumns:
        """Check the sequence rule again (in this transaction) and add the row; ``extra`` fills
        the table's own further columns."""
        check_sequence(self, manifest, package_id)
        head = manifest.audit_head
        row = self.model(
            package_id=package_id, sender=str(manifest.sender), recipient=str(manifest.recipient),
            kind=manifest.kind, stream_key=stream_key(manifest.stream), sequence=manifest.sequence,
            site_code=manifest.site_code, created_at=manifest.created_at, accepted_at=datetime.now(UTC),
            audit_entries=head.entries if head else None, audit_digest=head.digest if head else None, **extra,
        )
        self.session.add(row)
        self.session.flush()
        result: ReceivedPackageColumns = row
        return result

    def last_audit_head(self, sender: str) -> AuditHead | None:
        """The audit head of the newest package taken from ``sender`` (the longest chain seen)."""
        model = self.model
        row = self.session.execute(
            select(model.audit_entries, model.audit_digest)
            .where(model.sender == sender, model.audit_entries.is_not(None))
            .order_by(model.audit_entries.desc()).limit(1)
        ).first()
        return None if row is None else AuditHead(int(row[0]), str(row[1]))
