"""Shared keys for the exchange, key and enrolment tests (made once per test run: RSA-3072 is slow)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from common.exchange import cms, container
from common.exchange.addresses import NCT_ADDRESS, Address, workstation
from common.exchange.manifest import canonical_json, payload_digest, sha256_hex
from common.security.keys import Identity, TrustStore, generate_key, issue_certificate, make_root


@dataclass(frozen=True)
class Pki:
    root_key: rsa.RSAPrivateKey
    root: x509.Certificate
    nct: Identity
    applications: Identity
    programmer: Identity
    other_site: Identity

    def trust(self) -> TrustStore:
        store = TrustStore(self.root)
        for identity in (self.nct, self.applications, self.programmer, self.other_site):
            store.add(identity.certificate)
        return store

    def issue(self, address: Address, **kwargs: Any) -> Identity:
        key = generate_key()
        certificate = issue_certificate(self.root_key, self.root, key.public_key(), address, **kwargs)
        return Identity.of(certificate, key)


@cache
def pki() -> Pki:
    root_key, root = make_root()

    def identity(address: Address) -> Identity:
        key = generate_key()
        return Identity.of(issue_certificate(root_key, root, key.public_key(), address), key)

    return Pki(
        root_key,
        root,
        nct=identity(NCT_ADDRESS),
        applications=identity(workstation("017", "applications")),
        programmer=identity(workstation("017", "programmer")),
        other_site=identity(workstation("018", "applications")),
    )


@cache
def foreign_pki() -> Pki:
    """Keys under a root that is not НЦТ's: an impostor's."""
    return pki_with_root(*make_root())


def pki_with_root(root_key: rsa.RSAPrivateKey, root: x509.Certificate) -> Pki:
    def identity(address: Address) -> Identity:
        key = generate_key()
        return Identity.of(issue_certificate(root_key, root, key.public_key(), address), key)

    return Pki(
        root_key,
        root,
        identity(NCT_ADDRESS),
        identity(workstation("017", "applications")),
        identity(workstation("017", "programmer")),
        identity(workstation("018", "applications")),
    )


def craft(
    manifest: dict[str, Any],
    payload: Any,
    sender: Identity,
    recipient: x509.Certificate,
    attachments: dict[str, bytes] | None = None,
    fix_digests: bool = True,
) -> bytes:
    """A package built by hand, bypassing ``seal_package``'s checks (to test what a reader refuses)."""
    payload_json = canonical_json(payload)
    files = container.payload_files(payload_json, attachments or {})
    if fix_digests:
        digests = {name: sha256_hex(data) for name, data in files.items()}
        manifest = {**manifest, "files": digests, "payload_digest": payload_digest(digests)}
    content = container.build(canonical_json(manifest), files)
    return cms.encrypt(cms.sign(content, sender), recipient)


def manifest_dict(sender: Address, recipient: Address, **overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "format": 1,
        "kind": "test-message",
        "sender": str(sender),
        "recipient": str(recipient),
        "site_code": sender.site_code or recipient.site_code,
        "stream": None,
        "sequence": 1,
        "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "files": {},
        "payload_digest": "",
        "audit_head": None,
        "program": "test",
    }
    return {**base, **overrides}


def a_day_ago() -> datetime:
    return datetime.now(UTC) - timedelta(days=1)
