"""НЦТ's keys: the root that certifies every workstation, and НЦТ's own exchange key.

Both live in ``<data folder>/keys/`` as PKCS#12 files under НЦТ's password (``--password-fd N``,
the ``ENT_PASSWORD`` variable, or typed at a prompt; see :mod:`common.secrets`); ``root.pem``
beside them is the public root certificate, for ``openssl cms -verify -CAfile`` and for people to compare fingerprints.
Dictated codes are derived from the root key (HKDF-SHA256), so НЦТ never stores one.
"""

from __future__ import annotations

import argparse
import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import pkcs12
from sqlalchemy import select
from sqlalchemy.orm import Session

from common.errors import Refused
from common.exchange.addresses import NCT_ADDRESS
from common.files import atomic_write_bytes
from common.i18n import _
from common.secrets import NCT_PASSWORD, read_secret
from common.security.keys import (
    Identity,
    TrustStore,
    fingerprint,
    generate_key,
    issue_certificate,
    load_certificate_pem,
    make_root,
    protect_identity,
    unlock_identity,
)
from nct_hub.db.site_models import WorkstationCertificate

KEYS_FOLDER: Final = "keys"
ROOT_FILE: Final = "root.p12"
ROOT_CERTIFICATE_FILE: Final = "root.pem"
NCT_FILE: Final = "nct.p12"
PASSWORD_VARIABLE: Final = "ENT_PASSWORD"
MIN_PASSWORD_LENGTH: Final = 12


@dataclass(frozen=True)
class NctKeys:
    root_key: rsa.RSAPrivateKey
    root: x509.Certificate
    identity: Identity

    def code_secret(self) -> bytes:
        """The secret every dictated code is derived from (HKDF-SHA256 over the root key)."""
        material = self.root_key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        return HKDF(hashes.SHA256(), 32, salt=None, info=b"ent-arm/dictated-codes/v1").derive(material)


def keys_folder(data_dir: Path) -> Path:
    return data_dir / KEYS_FOLDER


def nct_password(args: argparse.Namespace, *, confirm: bool = False) -> str:
    """НЦТ's password: ``--password-fd``, ``ENT_PASSWORD``, or typed (twice with ``confirm``); never argv."""
    return read_secret(args, NCT_PASSWORD, confirm=confirm)


def init_keys(data_dir: Path, password: str) -> NctKeys:
    """Make НЦТ's root and exchange keys; refused if they exist (they are made once)."""
    folder = keys_folder(data_dir)
    if (folder / ROOT_FILE).exists():
        raise Refused(_("НЦТ's keys already exist in {folder}.").format(folder=folder))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Refused(_("НЦТ's password needs at least {count} characters.").format(count=MIN_PASSWORD_LENGTH))
    root_key, root = make_root()
    key = generate_key()
    validity = root.not_valid_after_utc - root.not_valid_before_utc
    identity = Identity.of(issue_certificate(root_key, root, key.public_key(), NCT_ADDRESS, validity=validity), key)
    atomic_write_bytes(folder / NCT_FILE, protect_identity(identity, password))
    atomic_write_bytes(folder / ROOT_CERTIFICATE_FILE, root.public_bytes(serialization.Encoding.PEM))
    atomic_write_bytes(folder / ROOT_FILE, _protect_root(root_key, root, password))
    return NctKeys(root_key, root, identity)


def _protect_root(key: rsa.RSAPrivateKey, root: x509.Certificate, password: str) -> bytes:
    encryption = (
        serialization.PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(600_000)
        .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
        .hmac_hash(hashes.SHA256())
        .build(password.encode("utf-8"))
    )
    return pkcs12.serialize_key_and_certificates(b"nct-root", key, root, None, encryption)


def load_keys(data_dir: Path, password: str) -> NctKeys:
    """НЦТ's root and exchange keys, unlocked; ``Refused`` if missing or the password is wrong."""
    folder = keys_folder(data_dir)
    try:
        root_data, nct_data = (folder / ROOT_FILE).read_bytes(), (folder / NCT_FILE).read_bytes()
    except FileNotFoundError as error:
        message = _("НЦТ's keys are not in {folder}: run 'ent-nct keys init' first.")
        raise Refused(message.format(folder=folder)) from error
    try:
        root_key, root, _others = pkcs12.load_key_and_certificates(root_data, password.encode("utf-8"))
    except ValueError as error:
        raise Refused(_("Wrong НЦТ password.")) from error
    if not isinstance(root_key, rsa.RSAPrivateKey) or root is None:
        raise Refused(_("The root key file is damaged."))
    return NctKeys(root_key, root, unlock_identity(nct_data, password))


def load_nct_identity(data_dir: Path, password: str) -> Identity:
    """НЦТ's exchange key only (enough to seal, open and import packages)."""
    path = keys_folder(data_dir) / NCT_FILE
    try:
        data = path.read_bytes()
    except FileNotFoundError as error:
        message = _("НЦТ's keys are not in {folder}: run 'ent-nct keys init' first.")
        raise Refused(message.format(folder=path.parent)) from error
    try:
        return unlock_identity(data, password)
    except Refused as refusal:
        raise Refused(_("Wrong НЦТ password.")) from refusal


def root_certificate(data_dir: Path) -> x509.Certificate:
    path = keys_folder(data_dir) / ROOT_CERTIFICATE_FILE
    try:
        return load_certificate_pem(path.read_bytes())
    except FileNotFoundError as error:
        raise Refused(_("НЦТ's keys are not in {folder}: run 'ent-nct keys init' first.").format(
            folder=path.parent)) from error


def load_trust(data_dir: Path) -> TrustStore:
    """НЦТ's root alone: enough to check any package a workstation signed."""
    return TrustStore(root_certificate(data_dir))


def nct_trust(data_dir: Path, session: Session) -> TrustStore:
    """НЦТ's root and the newest certificate of every workstation НЦТ enrolled."""
    trust = TrustStore(root_certificate(data_dir))
    rows = session.scalars(select(WorkstationCertificate).order_by(WorkstationCertificate.issued_at))
    for row in rows:
        certificate = load_certificate_pem(row.certificate_pem)
        with contextlib.suppress(Refused):  # an expired one is simply not used any more
            trust.add(certificate)
    return trust


def root_fingerprint(data_dir: Path) -> str:
    return fingerprint(root_certificate(data_dir))
