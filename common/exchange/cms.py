"""The two CMS (RFC 5652) layers of a package, made by ``cryptography`` and checked with ``asn1crypto``.

Outside: ``EnvelopedData`` — a fresh AES-256-CBC content key, wrapped for the recipient's RSA key
(PKCS#1 v1.5 key transport, ``KeyTransRecipientInfo`` by issuer and serial number). Inside it:
``SignedData`` — the content (``id-data``, attached, bytes as they are), one signer, SHA-256,
signed attributes (content type, message digest, signing time), RSASSA-PKCS1-v1_5, the signer's
certificate included. ``openssl cms -decrypt`` then ``openssl cms -verify -CAfile root.pem``
open and check a package without this program.

Integrity: CBC alone does not authenticate, so nothing of the decrypted bytes is trusted before
the inner signature checks out: the message digest attribute must equal SHA-256 of the content,
and the signer's RSA signature over the DER of the signed attributes must verify with a
certificate НЦТ's root issued. A changed or cut ciphertext therefore ends as an unparsable inner
structure, a digest mismatch or a failed signature, and is refused whole.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import cms as asn1_cms
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs7

from common.exchange.refusals import PackageRefused
from common.i18n import _
from common.security.keys import Identity


def damaged() -> PackageRefused:
    message = _("The package file is truncated or altered: ask the sender for it again.")
    return PackageRefused("damaged", message)


def bad_signature() -> PackageRefused:
    return PackageRefused("signature", _("Bad signature: the package was not signed by a key НЦТ certified."))


def not_for_me(me: Identity) -> PackageRefused:
    message = _("This package is addressed to another site or workstation, not to {me}.")
    return PackageRefused("recipient", message.format(me=me.address))


def sign(content: bytes, signer: Identity) -> bytes:
    """``SignedData`` (DER) over ``content`` by ``signer``, content attached, certificate included."""
    return (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(content)
        .add_signer(signer.certificate, signer.private_key, hashes.SHA256(), rsa_padding=padding.PKCS1v15())
        .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary])
    )


def encrypt(content: bytes, recipient: x509.Certificate) -> bytes:
    """``EnvelopedData`` (DER), AES-256-CBC, for ``recipient``'s RSA key."""
    return (
        pkcs7.PKCS7EnvelopeBuilder()
        .set_data(content)
        .add_recipient(recipient)
        .set_content_encryption_algorithm(pkcs7.algorithms.AES256)
        .encrypt(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary])
    )


def _parse(data: bytes, content_type: str) -> asn1_cms.ContentInfo:
    try:
        info = asn1_cms.ContentInfo.load(data, strict=True)
        if info["content_type"].native != content_type:
            raise damaged()
        info["content"].native  # noqa: B018 - forces a full parse, so truncation shows here
    except PackageRefused:
        raise
    except (ValueError, TypeError, KeyError, OverflowError) as error:
        raise damaged() from error
    return info


def content_type(data: bytes) -> str | None:
    """``"enveloped_data"``, ``"signed_data"``, another CMS type, or ``None`` for no CMS at all."""
    try:
        found: str = asn1_cms.ContentInfo.load(data)["content_type"].native
    except (ValueError, TypeError, KeyError, OverflowError):
        return None
    return found


def is_addressed_to(data: bytes, certificate: x509.Certificate) -> bool:
    """Whether the ``EnvelopedData`` ``data`` has a recipient entry for ``certificate``."""
    info = _parse(data, "enveloped_data")
    for recipient in info["content"]["recipient_infos"]:
        if recipient.name != "ktri":
            continue
        rid = recipient.chosen["rid"]
        if rid.name != "issuer_and_serial_number":
            continue
        issuer, serial = rid.chosen["issuer"].dump(), rid.chosen["serial_number"].native
        if issuer == certificate.issuer.public_bytes() and serial == certificate.serial_number:
            return True
    return False


def decrypt(data: bytes, me: Identity) -> bytes:
    """The content of ``EnvelopedData`` ``data`` for ``me``.

    ``PackageRefused("recipient")`` when it is for someone else, ``"damaged"`` when it does not
    decrypt.
    """
    if content_type(data) == "signed_data":
        message = _("This is an enrolment package, signed but not encrypted: take it with 'enrol --package'.")
        raise PackageRefused("kind", message)
    if not is_addressed_to(data, me.certificate):
        raise not_for_me(me)
    try:
        return pkcs7.pkcs7_decrypt_der(data, me.certificate, me.private_key, [])
    except ValueError as error:
        raise damaged() from error


@dataclass(frozen=True)
class Verified:
    """The content of a ``SignedData`` whose signature checked out, and who signed it."""

    content: bytes
    signer: x509.Certificate
    signing_time: datetime | None
    signature_valid: bool
    """Whether the RSA signature over the signed attributes verifies with ``signer``'s key. Kept
    apart so the caller can first tell an impostor (a signer НЦТ did not certify) from a file
    whose bytes changed (a certified signer, but a signature that no longer matches)."""


def verify(data: bytes) -> Verified:
    """Parse ``SignedData`` ``data`` and check its single signer's digest and signature.

    The caller must then check ``signer`` against the trust store, and refuse the package if
    ``signature_valid`` is false.
    """
    try:
        return _verify(data)
    except (ValueError, TypeError, KeyError, OverflowError) as error:
        raise damaged() from error


def _verify(data: bytes) -> Verified:
    signed = _parse(data, "signed_data")["content"]
    encapsulated = signed["encap_content_info"]
    if encapsulated["content_type"].native != "data" or encapsulated["content"].native is None:
        raise damaged()
    content: bytes = encapsulated["content"].native
    signers = signed["signer_infos"]
    if len(signers) != 1:
        raise bad_signature()
    signer_info = signers[0]
    certificate = _signer_certificate(signed, signer_info)
    if signer_info["digest_algorithm"]["algorithm"].native != "sha256":
        raise bad_signature()
    attributes = signer_info["signed_attrs"]
    if not attributes:
        raise bad_signature()
    values = {attribute["type"].native: attribute["values"].native for attribute in attributes}
    if values.get("content_type") != ["data"] or len(values.get("message_digest") or []) != 1:
        raise bad_signature()
    if values["message_digest"][0] != hashlib.sha256(content).digest():
        raise damaged()
    # The signature covers the DER of the attributes as a SET OF (RFC 5652 §5.4), not as [0].
    signed_bytes = b"\x31" + attributes.dump()[1:]
    if signer_info["signature_algorithm"].signature_algo != "rsassa_pkcs1v15":
        raise bad_signature()
    public_key = certificate.public_key()
    if not isinstance(public_key, rsa.RSAPublicKey):
        raise bad_signature()
    try:
        public_key.verify(signer_info["signature"].native, signed_bytes, padding.PKCS1v15(), hashes.SHA256())
        valid = True
    except InvalidSignature:
        valid = False
    times = values.get("signing_time") or [None]
    return Verified(content, certificate, times[0], valid)


def _signer_certificate(signed: asn1_cms.SignedData, signer_info: asn1_cms.SignerInfo) -> x509.Certificate:
    sid = signer_info["sid"]
    if sid.name != "issuer_and_serial_number":
        raise bad_signature()
    issuer, serial = sid.chosen["issuer"].dump(), sid.chosen["serial_number"].native
    for choice in signed["certificates"] or []:
        if choice.name != "certificate":
            continue
        certificate = x509.load_der_x509_certificate(choice.chosen.dump())
        if certificate.issuer.public_bytes() == issuer and certificate.serial_number == serial:
            return certificate
    raise bad_signature()
