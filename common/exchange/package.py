"""Sealing and opening ``.entpkg`` packages (format 1).

A package is CMS ``EnvelopedData`` for the recipient around CMS ``SignedData`` by the sender around
a deterministic ZIP (:mod:`common.exchange.container`) of ``manifest.json``, ``payload.json`` and
attachments. See :mod:`common.exchange.cms` for the layers and why CBC plus the inner signature
protects integrity, and :mod:`common.exchange.manifest` for the manifest.

:func:`open_package` is pure: it reads nothing but its arguments and writes nothing. It checks, in
order: recipient, decryption, signature, the signer's certificate against НЦТ's root, format
version, manifest, that the signer is the sender the manifest names, recipient, kind and parties,
digests, payload, and the sequence rule. Each failure is a :class:`PackageRefused` with its own
reason and one translated line. The caller imports the payload and records the package with
``accept_package`` in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography import x509

from common import __version__
from common.errors import Refused
from common.exchange import cms, container
from common.exchange.addresses import Address
from common.exchange.kinds import check_parties, largest_package_bytes, lookup_kind
from common.exchange.ledger import SequenceLedger, check_sequence
from common.exchange.manifest import (
    FORMAT_VERSION,
    AuditHead,
    Manifest,
    canonical_json,
    payload_digest,
    sha256_hex,
)
from common.exchange.refusals import PackageRefused
from common.files import read_input_file
from common.i18n import _
from common.security.keys import Identity, TrustStore, address_of

SUFFIX = ".entpkg"


@dataclass(frozen=True)
class OpenedPackage:
    """A package that passed every check; nothing of it is recorded yet."""

    manifest: Manifest
    payload: dict[str, Any]
    attachments: dict[str, bytes] = field(default_factory=dict)
    package_id: str = ""
    """SHA-256 of the signed content: the same package always has the same id."""
    signer: x509.Certificate | None = None


def seal_package(
    *,
    kind: str,
    payload: Mapping[str, Any],
    sender: Identity,
    recipient_certificate: x509.Certificate,
    sequence: int,
    stream: int | None = None,
    attachments: Mapping[str, bytes] | None = None,
    audit_head: AuditHead | None = None,
    created_at: datetime | None = None,
) -> bytes:
    """A package of ``kind`` from ``sender`` to the holder of ``recipient_certificate``.

    ``payload`` must be JSON-serialisable; ``attachments`` maps names (``scans/0001.png``) to bytes.
    The caller allocates ``sequence`` (see ``common.exchange.store.next_sequence``) and passes its
    audit-chain head.
    """
    signed = build_signed(
        kind=kind, payload=payload, sender=sender, recipient=address_of(recipient_certificate),
        sequence=sequence, stream=stream, attachments=attachments, audit_head=audit_head,
        created_at=created_at,
    )
    return cms.encrypt(signed, recipient_certificate)


def open_package(data: bytes, me: Identity, trust: TrustStore, ledger: SequenceLedger) -> OpenedPackage:
    """Open and check a package for ``me``; :class:`PackageRefused` on the first failed check."""
    opened = read_signed(cms.decrypt(data, me), trust)
    if opened.manifest.recipient != me.address:
        raise cms.not_for_me(me)
    check_sequence(ledger, opened.manifest, opened.package_id)
    return opened


def read_signed(signed_data: bytes, trust: TrustStore) -> OpenedPackage:
    """Check CMS ``SignedData`` and everything inside it except the recipient and the sequence."""
    verified = cms.verify(signed_data)
    try:
        signer = trust.verify(verified.signer, verified.signing_time or datetime.now(UTC))
    except Refused as refusal:
        raise PackageRefused("signature", refusal.message) from refusal
    if not verified.signature_valid:
        raise cms.damaged()  # a certified signer whose signature no longer matches: the bytes changed
    manifest = _read_manifest(verified.content)
    if signer != manifest.sender:
        message = _("Bad signature: signed by {signer}, but the package says it comes from {sender}.")
        raise PackageRefused("signature", message.format(signer=signer, sender=manifest.sender))
    try:
        check_parties(lookup_kind(manifest.kind), manifest.sender, manifest.recipient)
    except Refused as refusal:
        raise PackageRefused("kind", refusal.message) from refusal
    if manifest.site_code != (manifest.sender.site_code or manifest.recipient.site_code):
        raise cms.damaged()
    payload, attachments = _read_contents(verified.content, manifest, lookup_kind(manifest.kind).limits)
    return OpenedPackage(manifest, payload, attachments, sha256_hex(verified.content), verified.signer)


def build_signed(
    *, kind: str, payload: Mapping[str, Any], sender: Identity, recipient: Address, sequence: int,
    stream: int | None = None, attachments: Mapping[str, bytes] | None = None,
    audit_head: AuditHead | None = None, created_at: datetime | None = None,
) -> bytes:
    """The signed content of a package (CMS ``SignedData``), before encryption."""
    check_parties(lookup_kind(kind), sender.address, recipient)
    if sequence < 1:
        raise ValueError("sequence numbers start at 1")
    payload_json = canonical_json(dict(payload))
    files = container.payload_files(payload_json, attachments or {})
    digests = {name: sha256_hex(data) for name, data in files.items()}
    manifest = Manifest(
        kind=kind,
        sender=sender.address,
        recipient=recipient,
        site_code=sender.address.site_code or recipient.site_code,
        stream=stream,
        sequence=sequence,
        created_at=(created_at or datetime.now(UTC)).replace(microsecond=0),
        payload_digest=payload_digest(digests),
        files=digests,
        audit_head=audit_head,
        program=f"ent-arm {__version__}",
    )
    return cms.sign(container.build(manifest.to_json(), files), sender)


def _read_manifest(content: bytes) -> Manifest:
    try:
        raw = json.loads(container.read_manifest(content))
        version = raw["format"] if isinstance(raw, dict) else None
    except container.TooLarge as error:
        raise PackageRefused("size", _("The package is too large: its manifest alone is over 1 MB.")) from error
    except (ValueError, KeyError, TypeError, RecursionError) as error:
        raise cms.damaged() from error
    if not isinstance(version, int):
        raise cms.damaged()
    if version > FORMAT_VERSION:
        message = _("Package format {version} is newer than this program reads ({known}): update it.")
        raise PackageRefused("format", message.format(version=version, known=FORMAT_VERSION))
    try:
        return Manifest.from_dict(raw)
    except (ValueError, KeyError, TypeError) as error:
        raise cms.damaged() from error


def too_large(kind: str, limits: container.Limits) -> PackageRefused:
    message = _("The package is too large: its content would expand beyond {size} MB, the most a package of "
                "kind {kind!r} may hold. It was not opened.")
    return PackageRefused("size", message.format(size=limits.total // 1024**2, kind=kind))


def read_package_file(path: Path) -> bytes:
    """The bytes of a package file; ``PackageRefused("size")`` before reading one no kind allows."""
    try:
        size = path.stat().st_size
        if size > largest_package_bytes():
            message = _("The file is too large to be a package ({size} MB); it was not opened.")
            raise PackageRefused("size", message.format(size=size // 1024**2))
    except OSError as error:
        raise Refused(_("Cannot read {path}: {reason}").format(path=path, reason=error.strerror)) from error
    return read_input_file(path)  # refuses a device, pipe or folder before reading


def _read_contents(
    content: bytes, manifest: Manifest, limits: container.Limits
) -> tuple[dict[str, Any], dict[str, bytes]]:
    try:
        if payload_digest(manifest.files) != manifest.payload_digest:
            raise cms.damaged()
        files = container.read(content, manifest.files, limits).files  # compares each file's digest
        payload = json.loads(files.pop(container.PAYLOAD_NAME))
    except container.TooLarge as error:
        raise too_large(manifest.kind, limits) from error
    except (ValueError, KeyError, RecursionError) as error:
        raise cms.damaged() from error
    if not isinstance(payload, dict):
        raise cms.damaged()
    attachments = {name[len(container.ATTACHMENTS):]: data for name, data in files.items()}
    return payload, attachments
