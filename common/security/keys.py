"""Keys and certificates: НЦТ's root, every workstation's key pair, and what a workstation trusts.

All keys are RSA-3072: CMS enveloping in ``cryptography`` takes RSA recipients only, and one key
per workstation both signs (RSASSA-PKCS1-v1_5, SHA-256) and receives (RSA key transport).
The hierarchy is flat: НЦТ's root certifies НЦТ's exchange key and every workstation's key
directly. A certificate's subject carries the address (``CN=017/applications``, ``OU=role``).

A workstation's private key is kept as PKCS#12 (PBES2: PBKDF2-HMAC-SHA256, AES-256-CBC, HMAC-SHA256
MAC), under the password printed on its enrolment sheet; ``openssl pkcs12`` opens it too.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Final

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from common.errors import Refused
from common.exchange.addresses import Address
from common.i18n import _

KEY_BITS: Final = 3072
ROOT_VALIDITY: Final = timedelta(days=20 * 365)
WORKSTATION_VALIDITY: Final = timedelta(days=5 * 365)
PKCS12_ROUNDS: Final = 600_000  # PBKDF2-HMAC-SHA256 rounds (OWASP 2023); ≈ 0.3 s a login
ORGANIZATION: Final = "ЕНТ"
ROOT_NAME: Final = "НЦТ ЕНТ root"


def generate_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)


def fingerprint(certificate: x509.Certificate) -> str:
    """SHA-256 of the certificate, in groups of four hex digits (for people to compare)."""
    digest = certificate.fingerprint(hashes.SHA256()).hex().upper()
    return " ".join(digest[start : start + 4] for start in range(0, len(digest), 4))


def short_fingerprint(certificate: x509.Certificate) -> str:
    """The first 64 bits of :func:`fingerprint`: enough for a person to compare on paper."""
    return " ".join(fingerprint(certificate).split()[:4])


def _key_usage(*, sign_certificates: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not sign_certificates, content_commitment=not sign_certificates,
        key_encipherment=not sign_certificates, data_encipherment=False, key_agreement=False,
        key_cert_sign=sign_certificates, crl_sign=sign_certificates, encipher_only=False, decipher_only=False,
    )


def make_root(now: datetime | None = None) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """НЦТ's root key and self-signed CA certificate."""
    now = now or datetime.now(UTC)
    key = generate_key()
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANIZATION),
        x509.NameAttribute(NameOID.COMMON_NAME, ROOT_NAME),
    ])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + ROOT_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(sign_certificates=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def subject_for(address: Address) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANIZATION),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, address.role),
        x509.NameAttribute(NameOID.COMMON_NAME, str(address)),
    ])


def issue_certificate(
    root_key: rsa.RSAPrivateKey,
    root_certificate: x509.Certificate,
    public_key: rsa.RSAPublicKey,
    address: Address,
    now: datetime | None = None,
    validity: timedelta = WORKSTATION_VALIDITY,
) -> x509.Certificate:
    """A certificate for ``address``'s key, signed by НЦТ's root."""
    now = now or datetime.now(UTC)
    not_after = min(now + validity, root_certificate.not_valid_after_utc)
    return (
        x509.CertificateBuilder()
        .subject_name(subject_for(address)).issuer_name(root_certificate.subject).public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5)).not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(sign_certificates=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(_rsa_public(root_certificate)), critical=False
        )
        .sign(root_key, hashes.SHA256())
    )


def _rsa_public(certificate: x509.Certificate) -> rsa.RSAPublicKey:
    key = certificate.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise Refused(_("The certificate of {name} does not hold an RSA key.").format(
            name=certificate.subject.rfc4514_string()))
    return key


def address_of(certificate: x509.Certificate) -> Address:
    """The address a certificate was issued for; ``ValueError`` if its subject names none."""
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    units = certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)
    if len(names) != 1 or len(units) != 1:
        raise ValueError("not a suite certificate")
    address = Address.parse(str(names[0].value))
    if address.role != units[0].value:
        raise ValueError("the certificate's role and address disagree")
    return address


@dataclass(frozen=True)
class Identity:
    """One party's own key and certificate: what it signs with and decrypts with."""

    address: Address
    certificate: x509.Certificate
    private_key: rsa.RSAPrivateKey

    @classmethod
    def of(cls, certificate: x509.Certificate, private_key: rsa.RSAPrivateKey) -> Identity:
        if private_key.public_key().public_numbers() != _rsa_public(certificate).public_numbers():
            raise Refused(_("The private key does not belong to the certificate."))
        return cls(address_of(certificate), certificate, private_key)


def protect_identity(identity: Identity, password: str, rounds: int = PKCS12_ROUNDS) -> bytes:
    """``identity`` as PKCS#12 encrypted under ``password`` (the canonical code text)."""
    encryption = (
        serialization.PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(rounds)
        .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
        .hmac_hash(hashes.SHA256())
        .build(password.encode("utf-8"))
    )
    return pkcs12.serialize_key_and_certificates(
        str(identity.address).encode(), identity.private_key, identity.certificate, None, encryption
    )


def unlock_identity(protected: bytes, password: str) -> Identity:
    """The identity in PKCS#12 ``protected``; ``Refused`` on a wrong password."""
    try:
        key, certificate, _others = pkcs12.load_key_and_certificates(protected, password.encode("utf-8"))
    except ValueError as error:
        raise Refused(_("Wrong password: the workstation's key did not open.")) from error
    if not isinstance(key, rsa.RSAPrivateKey) or certificate is None:
        raise Refused(_("The key file holds no RSA key and certificate."))
    return Identity.of(certificate, key)


def certificate_pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")


def load_certificate_pem(text: str | bytes) -> x509.Certificate:
    data = text.encode("ascii") if isinstance(text, str) else text
    return x509.load_pem_x509_certificate(data)


def certificate_id(certificate: x509.Certificate) -> str:
    """A stable identifier: SHA-256 of the certificate's DER, hex."""
    return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()


@dataclass
class TrustStore:
    """НЦТ's root certificate and the certificates of parties one can send packages to."""

    root: x509.Certificate
    certificates: dict[Address, x509.Certificate] = field(default_factory=dict)

    def verify(self, certificate: x509.Certificate, at: datetime) -> Address:
        """The address of ``certificate`` if НЦТ's root issued it and it was valid ``at``.

        Raises :class:`Refused` with the "bad signature" message otherwise.
        """
        refusal = Refused(_("Bad signature: the package was not signed by a key НЦТ certified."))
        try:
            if certificate.issuer != self.root.subject:
                raise refusal
            certificate.verify_directly_issued_by(self.root)
            constraints = certificate.extensions.get_extension_for_class(x509.BasicConstraints).value
            usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
            address = address_of(certificate)
        except (InvalidSignature, ValueError, TypeError, x509.ExtensionNotFound) as error:
            raise refusal from error
        if constraints.ca or not usage.digital_signature:
            raise refusal
        if not certificate.not_valid_before_utc <= at <= certificate.not_valid_after_utc:
            raise Refused(_("The sender's certificate was not valid when the package was made."))
        return address

    def add(self, certificate: x509.Certificate, at: datetime | None = None) -> Address:
        """Remember a verified peer certificate (the newest one for its address wins)."""
        address = self.verify(certificate, at or datetime.now(UTC))
        known = self.certificates.get(address)
        if known is None or known.not_valid_before_utc <= certificate.not_valid_before_utc:
            self.certificates[address] = certificate
        return address

    def certificate_for(self, address: Address) -> x509.Certificate:
        """The certificate to encrypt to ``address``; ``Refused`` if it is not known."""
        certificate = self.certificates.get(address)
        if certificate is None:
            raise Refused(_("No certificate of {address} is known here: it comes with that workstation's "
                            "first package or from НЦТ.").format(address=address))
        return certificate
