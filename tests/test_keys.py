"""НЦТ's root, workstation certificates, the trust store and the password-protected key file."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from exchange_support import foreign_pki, pki

from common.errors import Refused
from common.exchange.addresses import NCT_ADDRESS, Address, workstation
from common.i18n import set_language
from common.security.codes import generate_code
from common.security.keys import (
    TrustStore,
    address_of,
    fingerprint,
    protect_identity,
    unlock_identity,
)


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


FAST_ROUNDS = 1000


def test_a_workstation_certificate_names_its_site_and_role() -> None:
    certificate = pki().applications.certificate
    assert address_of(certificate) == workstation("017", "applications")
    assert "CN=017/applications" in certificate.subject.rfc4514_string()
    assert "OU=applications" in certificate.subject.rfc4514_string()
    constraints = certificate.extensions.get_extension_for_class(x509.BasicConstraints).value
    assert not constraints.ca
    root_constraints = pki().root.extensions.get_extension_for_class(x509.BasicConstraints).value
    assert root_constraints.ca
    assert address_of(pki().nct.certificate) == NCT_ADDRESS


def test_the_trust_store_accepts_only_what_ncts_root_certified() -> None:
    now = datetime.now(UTC)
    store = TrustStore(pki().root)
    assert store.verify(pki().programmer.certificate, now) == workstation("017", "programmer")
    with pytest.raises(Refused, match="Bad signature"):
        store.verify(foreign_pki().programmer.certificate, now)
    with pytest.raises(Refused, match="Bad signature"):
        store.verify(pki().root, now)  # a CA certificate never signs packages
    with pytest.raises(Refused, match="not valid"):
        store.verify(pki().programmer.certificate, now + timedelta(days=6 * 365))


def test_a_certificate_is_found_only_for_a_known_address() -> None:
    store = pki().trust()
    assert store.certificate_for(NCT_ADDRESS) == pki().nct.certificate
    with pytest.raises(Refused, match="019/programmer"):
        store.certificate_for(Address("programmer", "019"))


def test_the_key_file_opens_only_with_its_password(tmp_path: Path) -> None:
    password = generate_code()
    protected = protect_identity(pki().applications, password, rounds=FAST_ROUNDS)
    identity = unlock_identity(protected, password)
    assert identity.address == workstation("017", "applications")
    assert identity.certificate == pki().applications.certificate
    with pytest.raises(Refused, match="Wrong password"):
        unlock_identity(protected, generate_code())
    clear = pki().applications.private_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    assert clear not in protected
    # The key file is standard PKCS#12: OpenSSL opens it with the same password.
    path = tmp_path / "key.p12"
    path.write_bytes(protected)
    result = subprocess.run(
        ["openssl", "pkcs12", "-in", str(path), "-nokeys", "-passin", f"pass:{password}"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "017/applications" in result.stdout


def test_the_default_key_protection_is_slow_to_guess(tmp_path: Path) -> None:
    password = generate_code()
    path = tmp_path / "key.p12"
    path.write_bytes(protect_identity(pki().applications, password))
    result = subprocess.run(
        ["openssl", "pkcs12", "-in", str(path), "-info", "-noout", "-passin", f"pass:{password}"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = result.stdout + result.stderr
    assert "PBKDF2" in report and "AES-256-CBC" in report
    iterations = {int(word) for word in report.replace(",", " ").split() if word.isdigit()}
    assert max(iterations) >= 600_000, report


def test_fingerprints_are_for_people_to_compare() -> None:
    printed = fingerprint(pki().root)
    assert len(printed.split()) == 16 and all(len(group) == 4 for group in printed.split())
    assert printed != fingerprint(foreign_pki().root)
