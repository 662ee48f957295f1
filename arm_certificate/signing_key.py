"""The certificate QR's signing key on АРМ «Сертификат» (beyond the instruction; :mod:`common.security.certificate_qr`).

НЦТ issues the site's certificate workstation a key file and its password (``ent-nct certificate-key issue``). The
file carries the Ed25519 signing key (encrypted under the password), НЦТ's endorsement of it and НЦТ's public
certificate root signed by НЦТ's RSA root key. Installing it checks, with the root certificate the workstation
took at its enrolment, that the certificate root is НЦТ's; then that the root endorsed the key; then that the key
was issued to this workstation's address. The file is kept as it came, still encrypted, in the folder's ``keys``;
printing opens it again with its password (it is never kept open or in clear).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from cryptography.hazmat.primitives.asymmetric import ed25519
from sqlalchemy.orm import Session

from common.errors import Refused
from common.exchange.store import identity_row, not_enrolled
from common.i18n import N_, _
from common.secrets import Secret
from common.security.audit import AuditLog
from common.security.certificate_qr import SigningKey, key_fingerprint, load_signing_key, vouched_root
from common.security.keys import load_certificate_pem
from common.workstation import DataFolder

KEY_FILE: Final = "certificate-signing-key.json"
SIGNING_KEY_PASSWORD: Final = Secret(
    "key-password", "ENT_KEY_PASSWORD", N_("Signing key password: "),
    N_("the certificate signing key's password (given with its file)"))


def key_path(folder: DataFolder) -> Path:
    return folder.root / "keys" / KEY_FILE


def _info_path(folder: DataFolder) -> Path:
    """The installed key's issuer and fingerprint, kept beside it (``signing-key show`` needs no password)."""
    return key_path(folder).with_suffix(".info.json")


@dataclass(frozen=True)
class KeyInfo:
    issuer: str
    fingerprint: str


@dataclass(frozen=True)
class InstalledKey:
    issuer: str
    fingerprint: str
    key: SigningKey


def open_key_file(session: Session, data: bytes, password: str) -> InstalledKey:
    """The signing key in ``data``, checked against НЦТ's root this workstation trusts and its own address."""
    row = identity_row(session)
    if row is None:
        raise not_enrolled()
    root: ed25519.Ed25519PublicKey = vouched_root(data, load_certificate_pem(row.root_certificate_pem))
    key = load_signing_key(data, password, root)
    if key.issuer != row.address:
        raise Refused(_("The signing key was issued to {issuer}, not to this workstation ({address}).").format(
            issuer=key.issuer, address=row.address))
    return InstalledKey(key.issuer, key_fingerprint(key), key)


def install_key(session: Session, folder: DataFolder, data: bytes, password: str) -> InstalledKey:
    """Check the key file whole, then keep it (as it came, still encrypted) in the folder's keys."""
    from common.files import atomic_write_bytes, make_private_folder

    installed = open_key_file(session, data, password)
    make_private_folder(key_path(folder).parent)
    atomic_write_bytes(key_path(folder), data)
    return installed


def installed_key(session: Session, folder: DataFolder, password: str) -> InstalledKey:
    """The installed signing key, opened with its ``password``; ``Refused`` when none is installed."""
    path = key_path(folder)
    if not path.is_file():
        raise Refused(_("No certificate signing key is installed: install the file НЦТ issued (signing-key "
                        "install FILE)."))
    return open_key_file(session, path.read_bytes(), password)


def install_signing_key(session: Session, folder: DataFolder, data: bytes, password: str, *, actor: str,
                        audit: AuditLog) -> KeyInfo:
    """``signing-key install``: the key file checked whole, audited, kept with its issuer and fingerprint."""
    from common.files import atomic_write_bytes

    installed = open_key_file(session, data, password)
    audit.record(session, actor=actor, action="certificate.signing-key.install", target=installed.issuer,
                 details={"fingerprint": installed.fingerprint})
    install_key(session, folder, data, password)  # the files last: a failed write rolls the audit back
    atomic_write_bytes(_info_path(folder), json.dumps(
        {"issuer": installed.issuer, "fingerprint": installed.fingerprint}).encode("utf-8"))
    return KeyInfo(installed.issuer, installed.fingerprint)


def signing_key_info(folder: DataFolder) -> KeyInfo | None:
    """The installed key's issuer and fingerprint (``signing-key show``); None when none is installed."""
    info = _info_path(folder)
    if not key_path(folder).is_file() or not info.is_file():
        return None
    shown = json.loads(info.read_text(encoding="utf-8"))
    return KeyInfo(str(shown["issuer"]), str(shown["fingerprint"]))
