"""The certificate's QR (beyond the instruction): anyone verifies a printed ЕНТ certificate offline.

The QR holds the certificate's data, an Ed25519 signature by the certificate workstation's
signing key, that key's public half and НЦТ's Ed25519 signature over it (the *endorsement*).
Verifying needs only НЦТ's public *certificate root* (32 bytes, a PEM file shipped with the
program or given with ``--root``): no database, no network, no X.509 certificate.

Keys. The workstations' RSA-3072 keys and X.509 certificates (:mod:`common.security.keys`) are far
too big for a QR (a certificate ≈ 1.3 kB, an RSA-3072 signature 384 bytes). So:

* НЦТ's certificate root is an Ed25519 key derived from НЦТ's RSA root key with HKDF-SHA256
  (:func:`certificate_root`, info ``ent-arm/certificate-root/v1``): nothing new to keep or back up,
  and it is exactly as safe as the root it comes from;
* НЦТ issues each certificate workstation its own Ed25519 signing key (:func:`issue_signing_key`)
  and signs ``ENTK1 NUL <issuer> NUL <public key>`` with the certificate root; the issuer is the
  workstation's address (``017/certificate``), so an endorsement cannot be moved to another name.

The payload is UTF-8 text, fields separated by ``|`` (QR byte mode)::

    ENTC1|<ИКТ>|<name>|<series>|<number>|<YYYYMMDD>|<code>:<points>,…|<total>|<issuer>|<key>|<signature>

* ``<key>`` — base64url (no padding) of the workstation's public key (32 bytes) followed by НЦТ's
  endorsement (64 bytes): 128 characters;
* ``<signature>`` — base64url of the workstation's Ed25519 signature (64 bytes, 86 characters) over
  the UTF-8 text before the last ``|``.

Byte budget: tag 5, ИКТ 9, name ≤ 80 bytes (a Kazakh name in Cyrillic is 2 bytes a letter),
series and number ≈ 15, date 8, five subjects ≈ 22, total 3, issuer ≈ 15, key 128, signature 86,
separators 10. A typical certificate (a 27-letter name) is 357 bytes: QR version 14 (73 modules);
the longest name allowed gives 381 bytes: version 15 (77 modules), error correction M either way
(15 % of the codewords may be lost). Printed :data:`PRINTED_SIZE_MM` (35 mm) wide plus a 4-module
quiet zone, a module is 0.45–0.48 mm: 3.6–3.8 pixels at 200 dpi, which a 200-dpi scan or a phone
reads (``tests/test_certificate_qr.py`` reads it back from a 200-dpi render of a page, and from one
turned 2.5° and blurred). Draw it as a bitmap of whole pixels per module, never smoothed.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Final

import numpy as np
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from common.errors import Refused
from common.i18n import _

TAG: Final = "ENTC1"
SEPARATOR: Final = "|"
KEY_TAG: Final = b"ENTK1"
ROOT_TAG: Final = b"ENTR1"
"""What НЦТ's RSA root signs to vouch for its certificate root in a signing key file: ``ENTR1 NUL <root>``."""
ROOT_INFO: Final = b"ent-arm/certificate-root/v1"
PRINTED_SIZE_MM: Final = 35.0
"""The QR's printed width (without its quiet zone of 4 modules on each side)."""
MAX_NAME_BYTES: Final = 80
EC_LEVEL: Final = "M"

_IKT = re.compile(r"\d{9}")
_FIELD = re.compile(r"[^|\r\n]+")
_SUBJECT = re.compile(r"(\d{1,3}):(\d{1,3})")


@dataclass(frozen=True)
class CertificateData:
    """What a certificate's QR proves: who, which certificate, the subjects' points and the total."""

    ikt: str
    name: str
    series: str
    number: str
    issued: date
    subjects: tuple[tuple[str, int], ...]
    """(subject code, points) in the certificate's order."""
    total: int

    def fields(self) -> list[str]:
        subjects = ",".join(f"{code}:{points}" for code, points in self.subjects)
        return [self.ikt, self.name, self.series, self.number, self.issued.strftime("%Y%m%d"), subjects,
                str(self.total)]


@dataclass(frozen=True)
class SigningKey:
    """A certificate workstation's Ed25519 signing key with НЦТ's endorsement of its public half."""

    issuer: str
    private_key: ed25519.Ed25519PrivateKey
    endorsement: bytes

    def public_bytes(self) -> bytes:
        return _raw_public(self.private_key.public_key())


@dataclass(frozen=True)
class Verified:
    data: CertificateData
    issuer: str


def _raw_public(key: ed25519.Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    if not re.fullmatch(r"[A-Za-z0-9_-]+", text):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _endorsed_message(issuer: str, public_key: bytes) -> bytes:
    return KEY_TAG + b"\0" + issuer.encode("utf-8") + b"\0" + public_key


# --- НЦТ's side: the certificate root and the keys it issues ---------------------------------------

def certificate_root(root_key: rsa.RSAPrivateKey) -> ed25519.Ed25519PrivateKey:
    """НЦТ's Ed25519 certificate root, derived from its RSA root key (HKDF-SHA256): never stored."""
    material = root_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    seed = HKDF(hashes.SHA256(), 32, salt=None, info=ROOT_INFO).derive(material)
    return ed25519.Ed25519PrivateKey.from_private_bytes(seed)


def root_public_pem(root: ed25519.Ed25519PrivateKey) -> bytes:
    """The public certificate root as a PEM file (what ``verify-certificate --root`` reads)."""
    return root.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def load_root_public(data: bytes) -> ed25519.Ed25519PublicKey:
    """The public certificate root from its PEM file; ``Refused`` when it is not one."""
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError as error:
        raise Refused(_("The file is not НЦТ's public certificate root.")) from error
    if not isinstance(key, ed25519.Ed25519PublicKey):
        raise Refused(_("The file is not НЦТ's public certificate root."))
    return key


def issue_signing_key(root: ed25519.Ed25519PrivateKey, issuer: str) -> SigningKey:
    """A new signing key for the certificate workstation at ``issuer`` (its address), endorsed by НЦТ."""
    if not _FIELD.fullmatch(issuer):
        raise Refused(_("The issuer {issuer} cannot be written in a certificate's QR.").format(issuer=issuer))
    key = ed25519.Ed25519PrivateKey.generate()
    endorsement = root.sign(_endorsed_message(issuer, _raw_public(key.public_key())))
    return SigningKey(issuer, key, endorsement)


def dump_signing_key(key: SigningKey, password: str, root_key: rsa.RSAPrivateKey | None = None) -> bytes:
    """The signing key as a file (JSON; the private key PKCS#8, encrypted under ``password``). Given НЦТ's RSA
    ``root_key``, the file also carries the public certificate root signed by it (RSASSA-PKCS1-v1_5, SHA-256), so a
    workstation that trusts НЦТ's root certificate since its enrolment takes the certificate root from the file
    only after checking that signature (:func:`vouched_root`)."""
    private = key.private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(password.encode("utf-8")),
    )
    document = {"format": "ent-certificate-signing-key/1", "issuer": key.issuer,
                "endorsement": _b64(key.endorsement), "private_key": private.decode("ascii")}
    if root_key is not None:
        root = _raw_public(certificate_root(root_key).public_key())
        document["certificate_root"] = _b64(root)
        document["certificate_root_signature"] = _b64(
            root_key.sign(ROOT_TAG + b"\0" + root, padding.PKCS1v15(), hashes.SHA256()))
    return json.dumps(document, indent=1).encode("utf-8")


def vouched_root(data: bytes, nct_root: x509.Certificate) -> ed25519.Ed25519PublicKey:
    """The certificate root a signing key file carries, once НЦТ's root certificate ``nct_root`` (the one the
    workstation took at its enrolment) verifies its signature; ``Refused`` otherwise."""
    try:
        document = json.loads(data)
        root = _unb64(document["certificate_root"])
        signature = _unb64(document["certificate_root_signature"])
        public = ed25519.Ed25519PublicKey.from_public_bytes(root)
    except (ValueError, KeyError, TypeError, binascii.Error) as error:
        raise Refused(_("The signing key file does not carry НЦТ's certificate root.")) from error
    nct_key = nct_root.public_key()
    try:
        if not isinstance(nct_key, rsa.RSAPublicKey):
            raise InvalidSignature
        nct_key.verify(signature, ROOT_TAG + b"\0" + root, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature as error:
        raise Refused(_("The certificate root in the signing key file is not signed by НЦТ's root key this "
                        "workstation trusts.")) from error
    return public


def key_fingerprint(key: SigningKey) -> str:
    """SHA-256 of the signing key's public half, in groups of four hex digits (for people to compare)."""
    digest = hashes.Hash(hashes.SHA256())
    digest.update(key.public_bytes())
    text = digest.finalize().hex().upper()
    return " ".join(text[start:start + 4] for start in range(0, 32, 4))


def load_signing_key(data: bytes, password: str, root: ed25519.Ed25519PublicKey) -> SigningKey:
    """A signing key file made by :func:`dump_signing_key`; ``Refused`` unless НЦТ's ``root`` endorsed it."""
    refused = Refused(_("The file is not a certificate signing key, or the password is wrong."))
    try:
        document = json.loads(data)
        private = serialization.load_pem_private_key(document["private_key"].encode("ascii"),
                                                     password.encode("utf-8"))
        if not isinstance(private, ed25519.Ed25519PrivateKey):
            raise ValueError("not an Ed25519 key")
        key = SigningKey(str(document["issuer"]), private, _unb64(document["endorsement"]))
    except (ValueError, KeyError, TypeError) as error:
        raise refused from error
    try:
        root.verify(key.endorsement, _endorsed_message(key.issuer, key.public_bytes()))
    except InvalidSignature as error:
        raise Refused(_("НЦТ never endorsed this certificate signing key.")) from error
    return key


# --- the certificate workstation's side: the payload and its QR ------------------------------------

def _check_data(data: CertificateData) -> None:
    texts = (data.name, data.series, data.number)
    numbers = (data.total, *(points for _code, points in data.subjects))
    if (not _IKT.fullmatch(data.ikt) or not all(_FIELD.fullmatch(text) for text in texts)
            or len(data.name.encode("utf-8")) > MAX_NAME_BYTES or not data.subjects
            or not all(re.fullmatch(r"\d{1,3}", code) for code, _points in data.subjects)
            or not all(0 <= number <= 999 for number in numbers)):
        raise Refused(_("The certificate's data cannot be written in its QR."))


def payload(data: CertificateData, key: SigningKey) -> str:
    """The QR's text for ``data``, signed with the workstation's ``key``."""
    _check_data(data)
    signed = SEPARATOR.join([TAG, *data.fields(), key.issuer, _b64(key.public_bytes() + key.endorsement)])
    return signed + SEPARATOR + _b64(key.private_key.sign(signed.encode("utf-8")))


def qr_matrix(text: str) -> np.ndarray:
    """The QR's modules (True is dark), error correction M, without the quiet zone."""
    import zxingcpp

    barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level=EC_LEVEL)
    return np.asarray(barcode.to_image(scale=1, add_quiet_zones=False)) < 128


def read_payload(image_path: Path) -> str:
    """The text of the certificate's QR on a scan or photograph; ``Refused`` (one line) when none reads."""
    from common.omr.barcode import qr_text

    text = qr_text(image_path, TAG + SEPARATOR)
    if text is None:
        raise Refused(_("No certificate QR code could be read on {name}.").format(name=Path(image_path).name))
    return text


# --- anyone's side: verifying ------------------------------------------------------------------------

def _parse(text: str) -> tuple[CertificateData, str, bytes, bytes, bytes, str]:
    fields = text.strip().split(SEPARATOR)
    if len(fields) != 11 or fields[0] != TAG:
        raise ValueError("not a certificate payload")
    _tag, ikt, name, series, number, issued, subjects, total, issuer, key, signature = fields
    if not _IKT.fullmatch(ikt) or not all(_FIELD.fullmatch(field) for field in (name, series, number, issuer)):
        raise ValueError("bad field")
    pairs = []
    for item in subjects.split(","):
        match = _SUBJECT.fullmatch(item)
        if match is None:
            raise ValueError("bad subject")
        pairs.append((match.group(1), int(match.group(2))))
    if not re.fullmatch(r"\d{8}", issued) or not re.fullmatch(r"\d{1,3}", total):
        raise ValueError("bad date or total")
    day = date(int(issued[:4]), int(issued[4:6]), int(issued[6:]))
    key_bytes, signature_bytes = _unb64(key), _unb64(signature)
    if len(key_bytes) != 32 + 64 or len(signature_bytes) != 64:
        raise ValueError("bad key or signature length")
    data = CertificateData(ikt, name, series, number, day, tuple(pairs), int(total))
    signed = text.strip().rsplit(SEPARATOR, 1)[0]
    return data, issuer, key_bytes[:32], key_bytes[32:], signature_bytes, signed


def verify(text: str, root: ed25519.Ed25519PublicKey) -> Verified:
    """The certificate's data if ``text`` is signed by a key НЦТ's ``root`` endorsed; else ``Refused``."""
    try:
        data, issuer, public, endorsement, signature, signed = _parse(text)
    except (ValueError, binascii.Error) as error:
        raise Refused(_("The QR code does not hold a certificate's data.")) from error
    try:
        root.verify(endorsement, _endorsed_message(issuer, public))
    except InvalidSignature as error:
        raise Refused(_("The certificate was signed with a key НЦТ never endorsed.")) from error
    try:
        ed25519.Ed25519PublicKey.from_public_bytes(public).verify(signature, signed.encode("utf-8"))
    except InvalidSignature as error:
        raise Refused(_("The certificate's data were changed after signing: it is not genuine.")) from error
    return Verified(data, issuer)
