"""Packages НЦТ sends: the next sequence number per channel, sealing, and the record of what was sent."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from sqlalchemy import select
from sqlalchemy.orm import Session

from common.errors import Refused
from common.exchange.addresses import Address
from common.exchange.ledger import next_sent_sequence, stream_key
from common.exchange.manifest import sha256_hex
from common.exchange.outbox import recover_sent_files, write_after_commit
from common.exchange.package import SUFFIX, seal_package
from common.i18n import _
from common.security.keys import Identity, load_certificate_pem
from nct_hub.db.site_models import SentPackage, WorkstationCertificate


def next_sequence(session: Session, recipient: Address, kind: str, stream: int | None) -> int:
    """The next sequence number on НЦТ's channel to ``recipient`` for ``kind`` and ``stream``."""
    return next_sent_sequence(session, SentPackage, str(recipient), kind, stream)


def record_sent(
    session: Session, recipient: Address, kind: str, stream: int | None, sequence: int, file_name: str, data: bytes,
    actor: str,
) -> None:
    """Record the package ``data`` written as ``file_name``: its number, and its file's digest (which file of that
    name this is, for crash recovery: ``common.exchange.outbox.recover_sent_files``)."""
    session.add(SentPackage(recipient=str(recipient), kind=kind, stream_key=stream_key(stream), sequence=sequence,
                            file_name=file_name, file_sha256=sha256_hex(data), created_by=actor))
    session.flush()


def package_file_name(recipient: Address, kind: str, stream: int | None, sequence: int) -> str:
    parts = ["nct", "to", str(recipient).replace("/", "-"), kind]
    if stream is not None:
        parts.append(f"s{stream:02d}")
    parts.append(f"{sequence:04d}")
    return "_".join(parts) + SUFFIX


def workstation_certificate(session: Session, recipient: Address) -> x509.Certificate:
    """The newest certificate НЦТ issued to ``recipient``; ``Refused`` if it was never enrolled."""
    row = session.scalars(
        select(WorkstationCertificate).where(WorkstationCertificate.address == str(recipient))
        .order_by(WorkstationCertificate.issued_at.desc(), WorkstationCertificate.id.desc()).limit(1)
    ).first()
    if row is None:
        raise Refused(_("The {address} workstation has not been enrolled: make its enrolment package first.").format(
            address=recipient))
    return load_certificate_pem(row.certificate_pem)


@dataclass(frozen=True)
class SentFile:
    path: Path
    recipient: Address
    kind: str
    stream: int | None
    sequence: int


def send_from_nct(
    session: Session,
    *,
    nct: Identity,
    recipient: Address,
    kind: str,
    payload: Mapping[str, Any],
    out_dir: Path,
    actor: str,
    stream: int | None = None,
    attachments: Mapping[str, bytes] | None = None,
) -> SentFile:
    """Seal a package from НЦТ to an enrolled workstation and write it to ``out_dir``.

    In the caller's transaction: the sequence number is recorded there; the file appears under its
    name only once that commits (:mod:`common.exchange.outbox`), so a crash never leaves a package
    whose number is given again. What an earlier crash left in ``out_dir`` is finished or removed first.
    """
    recover_sent_files(session, out_dir, SentPackage)
    certificate = workstation_certificate(session, recipient)
    sequence = next_sequence(session, recipient, kind, stream)
    data = seal_package(kind=kind, payload=payload, sender=nct, recipient_certificate=certificate,
                        sequence=sequence, stream=stream, attachments=attachments)
    name = package_file_name(recipient, kind, stream, sequence)
    record_sent(session, recipient, kind, stream, sequence, name, data, actor)
    path = out_dir / name
    write_after_commit(session, path, data)
    return SentFile(path, recipient, kind, stream, sequence)
