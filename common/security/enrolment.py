"""Enrolment: НЦТ gives one workstation its site, role, key, certificates and directories (п. 24.4, 52.2).

The enrolment package is the only package that is signed but not encrypted — the workstation has
no key yet. Its one secret, the workstation's private key, travels inside it as PKCS#12 under a
password that goes separately, on the paper sheet (to the site head for «База ППЕНТ» and
«Заявления ЕНТ», to the Ministry programmer for the others). The workstation takes НЦТ's root from
the package and checks that the package is signed by НЦТ's key under that root; the person
enrolling compares the root's fingerprint with the one on the sheet, and only the sheet's password
opens the key, so a package that did not come from НЦТ with that sheet is useless.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Final

from cryptography import x509
from sqlalchemy import select
from sqlalchemy.orm import Session

from common.db import workstation_info
from common.db.exchange_models import ExchangeIdentity
from common.db.models import Site
from common.errors import Refused
from common.exchange import cms, container, kinds
from common.exchange.addresses import ENROLMENT_HOLDER, NCT_ADDRESS, Address
from common.exchange.package import OpenedPackage, build_signed, read_signed
from common.exchange.refusals import PackageRefused
from common.exchange.store import accept_package, keep_payload, remember_peer
from common.i18n import _
from common.security.audit import AuditLog
from common.security.codes import CodeVerifier
from common.security.keys import (
    Identity,
    TrustStore,
    certificate_pem,
    fingerprint,
    load_certificate_pem,
    short_fingerprint,
    unlock_identity,
)

ENROLMENT_FORMAT: Final = 1
KEY_ATTACHMENT: Final = "key.p12"


@dataclass(frozen=True)
class SiteInfo:
    code: str
    name_kk: str
    name_ru: str
    region_code: str
    building: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "name_kk": self.name_kk, "name_ru": self.name_ru,
                "region_code": self.region_code, "building": self.building}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SiteInfo:
        return cls(
            str(data["code"]), str(data["name_kk"]), str(data["name_ru"]), str(data["region_code"]),
            str(data.get("building", "")),
        )


def make_enrolment_package(
    *,
    nct: Identity,
    root: x509.Certificate,
    address: Address,
    protected_key: bytes,
    site: SiteInfo,
    sequence: int,
    peers: Sequence[x509.Certificate] = (),
    directories: dict[str, Any] | None = None,
    verifiers: Sequence[CodeVerifier] = (),
) -> bytes:
    """The enrolment package (CMS ``SignedData`` by НЦТ) for the workstation at ``address``.

    ``protected_key`` is the workstation's PKCS#12 under its sheet password.
    """
    payload = {
        "format": ENROLMENT_FORMAT,
        "site": site.to_dict(),
        "role": address.role,
        "holder": ENROLMENT_HOLDER[address.role],
        "root_certificate": certificate_pem(root),
        "nct_certificate": certificate_pem(nct.certificate),
        "peers": [certificate_pem(peer) for peer in peers],
        "directories": directories,
        "password_verifiers": [verifier.to_dict() for verifier in verifiers],
    }
    return build_signed(kind=kinds.ENROLMENT.name, payload=payload, sender=nct, recipient=address,
                        sequence=sequence, attachments={KEY_ATTACHMENT: protected_key})


@dataclass(frozen=True)
class Enrolment:
    """An enrolment package that checked out, with the key unlocked by the sheet's password."""

    opened: OpenedPackage
    identity: Identity
    protected_key: bytes
    root: x509.Certificate
    nct_certificate: x509.Certificate
    peers: tuple[x509.Certificate, ...]
    site: SiteInfo
    directories: dict[str, Any] | None
    verifiers: tuple[CodeVerifier, ...]

    @property
    def root_fingerprint(self) -> str:
        return short_fingerprint(self.root)


def open_enrolment(data: bytes, password: str, role: str) -> Enrolment:
    """Check an enrolment package for a workstation of ``role`` and unlock its key with ``password``."""
    if cms.content_type(data) != "signed_data":
        raise PackageRefused("kind", _("This is not an enrolment package."))
    try:
        signed = cms.verify(data)
        payload_root = _root_from(signed.content)
    except PackageRefused:
        raise
    except (ValueError, KeyError, TypeError) as error:
        raise cms.damaged() from error
    trust = TrustStore(payload_root)
    opened = read_signed(data, trust)
    manifest = opened.manifest
    if manifest.kind != kinds.ENROLMENT.name or manifest.sender != NCT_ADDRESS:
        raise PackageRefused("kind", _("This is not an enrolment package."))
    if manifest.recipient.role != role:
        message = _("This enrolment package is for the {role} workstation, not for this one ({this}).")
        raise PackageRefused("recipient", message.format(role=manifest.recipient.role, this=role))
    payload = opened.payload
    try:
        if int(payload["format"]) > ENROLMENT_FORMAT:
            raise PackageRefused("format", _("The enrolment package is newer than this program: update it."))
        protected = opened.attachments[KEY_ATTACHMENT]
        nct_certificate = load_certificate_pem(payload["nct_certificate"])
        peers = tuple(load_certificate_pem(pem) for pem in payload["peers"])
        site = SiteInfo.from_dict(payload["site"])
        verifiers = tuple(CodeVerifier.from_dict(item) for item in payload["password_verifiers"])
    except (ValueError, KeyError, TypeError) as error:
        raise cms.damaged() from error
    identity = unlock_identity(protected, password)
    now = datetime.now(UTC)
    consistent = (
        identity.address == manifest.recipient
        and trust.verify(identity.certificate, now) == identity.address
        and trust.verify(nct_certificate, now) == NCT_ADDRESS
        and site.code == identity.address.site_code
    )
    if not consistent:
        message = _("The enrolment package does not hold the key and certificates НЦТ made for it.")
        raise PackageRefused("signature", message)
    directories = payload.get("directories")
    return Enrolment(
        opened, identity, protected, payload_root, nct_certificate, peers, site,
        directories if isinstance(directories, dict) else None, verifiers,
    )


def _root_from(content: bytes) -> x509.Certificate:
    manifest = json.loads(container.read_manifest(content))
    files = container.read(content, manifest["files"], kinds.ENROLMENT.limits).files
    payload = json.loads(files[container.PAYLOAD_NAME])
    return load_certificate_pem(payload["root_certificate"])


@dataclass(frozen=True)
class EnrolResult:
    address: Address
    site: SiteInfo
    root_fingerprint: str
    certificate_fingerprint: str
    directories: bool
    verifiers: int


def enrol(
    session: Session, enrolment: Enrolment, workstation_code: str, audit: AuditLog, actor: str
) -> EnrolResult:
    """Bind this workstation folder to its site and role, in the caller's transaction.

    A folder enrolled once may take a newer enrolment of the same site and role (a replaced key);
    another site or role is refused. Stores the certificate and the still-encrypted key, НЦТ's
    root and certificates, the directories and the password verifiers the package carries.
    """
    from common.exchange.dictated import store_verifiers

    address = enrolment.identity.address
    info = workstation_info.get_identity(session)
    if info is None:
        raise Refused(_("The workstation folder has no identity; it was not created by 'init'."))
    if info.workstation_code != workstation_code or address.role != workstation_code:
        message = _("This enrolment package is for the {role} workstation, not for this one ({this}).")
        raise PackageRefused("recipient", message.format(role=address.role, this=info.workstation_code))
    if info.site_code is not None and info.site_code != address.site_code:
        message = _("This workstation is already enrolled at site {site}; use a new folder for site {new}.")
        raise Refused(message.format(site=info.site_code, new=address.site_code))
    row = session.get(ExchangeIdentity, 1)
    if row is not None and load_certificate_pem(row.root_certificate_pem) != enrolment.root:
        raise Refused(_("This enrolment package comes under another НЦТ root than this workstation's."))
    accept_package(session, enrolment.opened)
    if row is None:
        row = ExchangeIdentity(id=1)
        session.add(row)
    row.address, row.site_code, row.role = str(address), enrolment.site.code, address.role
    row.certificate_pem = certificate_pem(enrolment.identity.certificate)
    row.protected_key = enrolment.protected_key
    row.root_certificate_pem = certificate_pem(enrolment.root)
    row.enrolment_package_id = enrolment.opened.package_id
    row.enrolled_at = datetime.now(UTC)
    trust = TrustStore(enrolment.root)
    for peer in (enrolment.nct_certificate, *enrolment.peers):
        remember_peer(session, trust, peer)
    workstation_info.set_enrolment(session, enrolment.site.code)
    _ensure_site(session, enrolment.site)
    if enrolment.directories is not None:
        keep_payload(session, _directories_only(enrolment))
    store_verifiers(session, enrolment.verifiers, enrolment.opened.package_id, site_code=enrolment.site.code)
    audit.record(session, actor=actor, action="workstation.enrol", target=str(address), details={
        "package": enrolment.opened.package_id, "certificate": fingerprint(enrolment.identity.certificate),
        "root": enrolment.root_fingerprint,
    })
    return EnrolResult(address, enrolment.site, enrolment.root_fingerprint,
                       short_fingerprint(enrolment.identity.certificate), enrolment.directories is not None,
                       len(enrolment.verifiers))


def _ensure_site(session: Session, site: SiteInfo) -> None:
    if session.scalars(select(Site).where(Site.code == site.code)).first() is None:
        session.add(Site(code=site.code, name_kk=site.name_kk, name_ru=site.name_ru,
                         region_code=site.region_code, address=site.building))
        session.flush()


def _directories_only(enrolment: Enrolment) -> OpenedPackage:
    """The enrolment's directories, kept like a "directories" package's payload."""
    opened = enrolment.opened
    manifest = replace(opened.manifest, kind=kinds.DIRECTORIES.name)
    return OpenedPackage(manifest, enrolment.directories or {}, {}, opened.package_id, opened.signer)
