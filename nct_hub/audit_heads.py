"""Every audit head НЦТ receives, kept, and checked against the heads received before.

A package carries, under the sender's signature, the head of its audit chain: the number of entries
and the hash of the last one. From that alone НЦТ can check that a workstation's chain never goes
back: a package made later (a higher number on the same channel, else a later creation time) must
carry at least as many entries as every package made before it, and
the same number of entries must come with the same hash. What it cannot check is that the new
chain still passes through an earlier head's hash (the entries in between are not in the package):
that is ``audit check-head`` at the site, run against each head ``ent-nct audit heads`` lists.

Heads are compared per signer's certificate: a re-enrolled workstation (a new folder whose chain
starts again at 1) has a new certificate. A head that breaks the rule is recorded and flagged
(``backwards`` or ``forked``) and the operator is warned; the package's data are still imported, so
a site is never cut off, but the flag stays in the history for everyone to see.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.hazmat.primitives.serialization import Encoding
from sqlalchemy import select
from sqlalchemy.orm import Session

from common.exchange.ledger import stream_key
from common.exchange.package import OpenedPackage
from common.i18n import _
from nct_hub.db.audit_models import ReceivedAuditHead

FLAGGED = ("backwards", "forked")


@dataclass(frozen=True)
class HeadVerdict:
    verdict: str
    warning: str | None


def certificate_fingerprint(opened: OpenedPackage) -> str:
    if opened.signer is None:
        return ""
    return hashlib.sha256(opened.signer.public_bytes(Encoding.DER)).hexdigest()


def record_received_head(session: Session, opened: OpenedPackage) -> HeadVerdict | None:
    """Judge the package's audit head against the earlier ones and add it to the history (same transaction)."""
    head = opened.manifest.audit_head
    if head is None:
        return None
    sender, certificate = str(opened.manifest.sender), certificate_fingerprint(opened)
    made = _aware(opened.manifest.created_at)
    channel = (opened.manifest.kind, stream_key(opened.manifest.stream))
    earlier = session.scalars(select(ReceivedAuditHead).where(
        ReceivedAuditHead.sender == sender, ReceivedAuditHead.certificate == certificate,
    ).order_by(ReceivedAuditHead.id)).all()
    verdict, warning = "first" if not earlier else "extends", None
    for row in earlier:
        before, after = _order(row, channel, opened.manifest.sequence, made)
        if row.entries == head.entries and row.digest != head.digest:
            verdict = "forked"
            warning = _("Warning: the audit log of {sender} forked: its entry {entries} is not the one a package "
                        "taken before carried. The log may have been rewritten: have the site run 'audit "
                        "check-head' with the heads 'ent-nct audit heads' lists.").format(
                sender=sender, entries=head.entries)
            break
        if (before and row.entries > head.entries) or (after and row.entries < head.entries):
            verdict = "backwards"
            newer, older = (head.entries, row.entries) if before else (row.entries, head.entries)
            warning = _("Warning: the audit log of {sender} went backwards: a later package carries {newer} "
                        "entries, an earlier one {older}. The log may have been rewritten: have the site run "
                        "'audit check-head' with the heads 'ent-nct audit heads' lists.").format(
                sender=sender, newer=newer, older=older)
            break
        if after:
            verdict = "out-of-order"
    session.add(ReceivedAuditHead(
        sender=sender, certificate=certificate, entries=head.entries, digest=head.digest,
        package_id=opened.package_id, kind=opened.manifest.kind, stream_key=channel[1],
        sequence=opened.manifest.sequence,
        created_at=made, verdict=verdict, received_at=datetime.now(UTC),
    ))
    session.flush()
    return HeadVerdict(verdict, warning)


def _order(row: ReceivedAuditHead, channel: tuple[str, int], sequence: int, made: datetime) -> tuple[bool, bool]:
    """Was ``row``'s package made before, or after, this one? On one channel the sequence number says;
    across channels the creation time (to the second; the same second tells nothing)."""
    if (row.kind, row.stream_key) == channel:
        return row.sequence < sequence, row.sequence > sequence
    return _aware(row.created_at) < made, _aware(row.created_at) > made


def head_history(session: Session) -> list[ReceivedAuditHead]:
    """Every head received, per workstation in the order received."""
    return list(session.scalars(select(ReceivedAuditHead).order_by(ReceivedAuditHead.sender, ReceivedAuditHead.id)))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
