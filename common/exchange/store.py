"""A workstation's exchange services over its database: its key, peers, sending and taking packages.

Every function takes the caller's ``Session`` and never commits: the caller's transaction makes a
package's effects (payload import, ledger row, audit entry) all or nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography import x509
from sqlalchemy import select
from sqlalchemy.orm import Session

from common.db.exchange_models import (
    ExchangeIdentity,
    PeerCertificate,
    ReceivedPackage,
    SentPackage,
    StoredAttachment,
    StoredPayload,
    stream_of,
)
from common.errors import Refused
from common.exchange.addresses import Address
from common.exchange.ledger import DbLedger, next_sent_sequence, stream_key
from common.exchange.manifest import AuditHead, sha256_hex
from common.exchange.outbox import recover_sent_files, write_after_commit
from common.exchange.package import SUFFIX, OpenedPackage, seal_package
from common.i18n import _
from common.security.audit import AuditLog
from common.security.keys import (
    Identity,
    TrustStore,
    address_of,
    certificate_pem,
    load_certificate_pem,
    unlock_identity,
)


def not_enrolled() -> Refused:
    return Refused(_("This workstation is not enrolled yet: run 'enrol --package FILE' first."))


def identity_row(session: Session) -> ExchangeIdentity | None:
    return session.get(ExchangeIdentity, 1)


def load_identity(session: Session, password: str) -> Identity:
    """The workstation's key, unlocked with ``password`` (``Refused`` if wrong or not enrolled)."""
    row = identity_row(session)
    if row is None:
        raise not_enrolled()
    return unlock_identity(row.protected_key, password)


def load_trust(session: Session) -> TrustStore:
    """НЦТ's root and every peer certificate this workstation knows."""
    row = identity_row(session)
    if row is None:
        raise not_enrolled()
    trust = TrustStore(load_certificate_pem(row.root_certificate_pem))
    for peer in session.scalars(select(PeerCertificate)):
        certificate = load_certificate_pem(peer.certificate_pem)
        trust.certificates[address_of(certificate)] = certificate
    return trust


def remember_peer(session: Session, trust: TrustStore, certificate: x509.Certificate) -> Address:
    """Keep a peer's certificate (verified against the root); a newer one replaces the older."""
    address = trust.add(certificate)
    kept = trust.certificates[address]
    row = session.get(PeerCertificate, str(address))
    if row is None:
        session.add(PeerCertificate(address=str(address), certificate_pem=certificate_pem(kept)))
    elif row.certificate_pem != certificate_pem(kept):
        row.certificate_pem = certificate_pem(kept)
        row.added_at = datetime.now(UTC)
    return address


def audit_head(session: Session, log: AuditLog) -> AuditHead:
    entries, digest = log.head(session)
    return AuditHead(entries, digest)


# --- sending -----------------------------------------------------------------------------------


def next_sequence(session: Session, recipient: Address, kind: str, stream: int | None) -> int:
    """The next sequence number on the channel (this workstation → ``recipient``, ``kind``, ``stream``)."""
    return next_sent_sequence(session, SentPackage, str(recipient), kind, stream)


@dataclass(frozen=True)
class SentFile:
    path: Path
    recipient: Address
    kind: str
    stream: int | None
    sequence: int
    size: int


def send_package(
    session: Session,
    *,
    identity: Identity,
    trust: TrustStore,
    recipient: Address,
    kind: str,
    payload: Mapping[str, Any],
    outbox: Path,
    audit: AuditLog,
    actor: str,
    stream: int | None = None,
    attachments: Mapping[str, bytes] | None = None,
) -> SentFile:
    """Seal a package to ``recipient`` and write it to ``outbox``, in the caller's transaction.

    The sequence number and an audit entry are recorded first, so the package carries the
    audit-chain head that includes its own sending. The file appears under its name only once the
    transaction commits (:mod:`common.exchange.outbox`); what an earlier crash left is finished or
    removed first.
    """
    recover_sent_files(session, outbox, SentPackage)
    certificate = trust.certificate_for(recipient)
    sequence = next_sequence(session, recipient, kind, stream)
    file_name = _file_name(identity.address, recipient, kind, stream, sequence)
    audit.record(session, actor=actor, action="package.send", target=file_name,
                 details={"kind": kind, "recipient": str(recipient), "stream": stream, "sequence": sequence})
    head = audit_head(session, audit)
    data = seal_package(
        kind=kind, payload=payload, attachments=attachments, sender=identity,
        recipient_certificate=certificate, sequence=sequence, stream=stream, audit_head=head,
    )
    session.add(SentPackage(
        recipient=str(recipient), kind=kind, stream_key=stream_key(stream), sequence=sequence,
        file_name=file_name, file_sha256=sha256_hex(data), audit_entries=head.entries, audit_digest=head.digest,
    ))
    session.flush()
    path = outbox / file_name
    write_after_commit(session, path, data)
    return SentFile(path, recipient, kind, stream, sequence, len(data))


def _file_name(sender: Address, recipient: Address, kind: str, stream: int | None, sequence: int) -> str:
    parts = [str(sender).replace("/", "-"), "to", str(recipient).replace("/", "-"), kind]
    if stream is not None:
        parts.append(f"s{stream:02d}")
    parts.append(f"{sequence:04d}")
    return "_".join(parts) + SUFFIX


# --- taking ------------------------------------------------------------------------------------


def workstation_ledger(session: Session) -> DbLedger:
    return DbLedger(session, ReceivedPackage)


def accept_package(
    session: Session, opened: OpenedPackage, trust: TrustStore | None = None
) -> ReceivedPackage:
    """Record ``opened`` as taken, in the caller's transaction (after its payload is imported).

    Checks the sequence rule again inside the transaction, so two windows taking the same file
    at once cannot both succeed. With ``trust``, the sender's certificate is kept as a peer.
    """
    row = workstation_ledger(session).record(opened.manifest, opened.package_id)
    if trust is not None and opened.signer is not None:
        remember_peer(session, trust, opened.signer)
    assert isinstance(row, ReceivedPackage)
    return row


def keep_payload(session: Session, opened: OpenedPackage) -> StoredPayload:
    """Keep the payload and attachments whole (kinds without an importer of their own).

    Call after :func:`accept_package` (the stored payload refers to the ledger row).
    """
    stored = StoredPayload(
        package_id=opened.package_id, kind=opened.manifest.kind,
        stream_key=stream_key(opened.manifest.stream), sequence=opened.manifest.sequence,
        sender=str(opened.manifest.sender), payload=opened.payload,
    )
    attachments = sorted(opened.attachments.items())
    stored.attachments = [StoredAttachment(name=name, data=data) for name, data in attachments]
    session.add(stored)
    session.flush()
    return stored


def latest_payload(session: Session, kind: str, stream: int | None = None) -> StoredPayload | None:
    """The newest kept payload of ``kind`` (and ``stream``), or ``None``."""
    statement = (
        select(StoredPayload)
        .where(StoredPayload.kind == kind, StoredPayload.stream_key == stream_key(stream))
        .order_by(StoredPayload.received_at.desc(), StoredPayload.id.desc())
        .limit(1)
    )
    return session.scalars(statement).first()


@dataclass(frozen=True)
class PackageRecord:
    direction: str  # "in" or "out"
    party: str
    kind: str
    stream: int | None
    sequence: int
    at: datetime
    name: str


def list_packages(session: Session) -> list[PackageRecord]:
    """Every package taken and sent, newest first."""
    records = [
        PackageRecord("in", row.sender, row.kind, stream_of(row.stream_key), row.sequence, row.accepted_at,
                      row.package_id[:16])
        for row in session.scalars(select(ReceivedPackage))
    ]
    records += [
        PackageRecord("out", row.recipient, row.kind, stream_of(row.stream_key), row.sequence, row.created_at,
                      row.file_name)
        for row in session.scalars(select(SentPackage))
    ]
    return sorted(records, key=lambda record: record.at, reverse=True)
