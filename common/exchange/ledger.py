"""Which packages were taken: the sequence rule of ARCHITECTURE.md, apart from any database.

Sequence numbers run per channel (sender, recipient, kind, stream). A gap is fine (USB sticks arrive
out of order); a number not above the highest taken on the channel is refused as superseded; the
very same package (same signed content) a second time is a no-op that says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from common.exchange.manifest import Channel, Manifest
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
