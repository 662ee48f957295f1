"""Packages: sealed by one party, opened only by its recipient, every bad one refused with its reason."""

from __future__ import annotations

import io
import json
import subprocess
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from exchange_support import craft, foreign_pki, manifest_dict, pki

from common.exchange import cms
from common.exchange.addresses import NCT_ADDRESS, workstation
from common.exchange.ledger import MemoryLedger
from common.exchange.manifest import AuditHead
from common.exchange.package import OpenedPackage, open_package, seal_package
from common.exchange.refusals import AlreadyTaken, PackageRefused
from common.i18n import set_language
from common.security.keys import Identity


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


PAYLOAD = {"applicants": [{"ikt": "000000001", "surname": "Әбдіқадыр"}, {"ikt": "000000002", "surname": "Иванова"}]}
IMAGE = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10


def seal(
    sequence: int = 1,
    *,
    sender: Identity | None = None,
    recipient: Identity | None = None,
    kind: str = "applicants",
    stream: int | None = 2,
) -> bytes:
    return seal_package(
        kind=kind,
        payload=PAYLOAD,
        attachments={"scans/0001.png": IMAGE},
        sender=sender or pki().applications,
        recipient_certificate=(recipient or pki().nct).certificate,
        sequence=sequence,
        stream=stream,
        audit_head=AuditHead(12, "ab" * 32),
    )


def take(data: bytes, ledger: MemoryLedger | None = None, me: Identity | None = None) -> OpenedPackage:
    ledger = ledger if ledger is not None else MemoryLedger()
    return open_package(data, me or pki().nct, pki().trust(), ledger)


def refusal_of(data: bytes, ledger: MemoryLedger | None = None, me: Identity | None = None) -> PackageRefused:
    with pytest.raises(PackageRefused) as caught:
        take(data, ledger, me)
    return caught.value


def test_a_package_goes_from_a_workstation_to_nct_whole() -> None:
    opened = take(seal())
    assert opened.payload == PAYLOAD
    assert opened.attachments == {"scans/0001.png": IMAGE}
    manifest = opened.manifest
    assert (manifest.kind, manifest.sender, manifest.recipient) == (
        "applicants",
        pki().applications.address,
        NCT_ADDRESS,
    )
    assert (manifest.site_code, manifest.stream, manifest.sequence) == ("017", 2, 1)
    assert manifest.audit_head == AuditHead(12, "ab" * 32)
    assert len(opened.package_id) == 64


def test_and_from_nct_to_a_workstation() -> None:
    data = seal_package(
        kind="directories",
        payload={"version": 3},
        sender=pki().nct,
        recipient_certificate=pki().programmer.certificate,
        sequence=4,
    )
    opened = take(data, me=pki().programmer)
    assert opened.payload == {"version": 3} and opened.manifest.site_code == "017"


def test_the_file_reveals_nothing_in_clear() -> None:
    data = seal()
    for secret in ("Әбдіқадыр".encode(), b"applicants", b"manifest.json", IMAGE[:64]):
        assert secret not in data


def test_openssl_opens_and_checks_a_package_on_its_own(tmp_path: Path) -> None:
    """The independent check: OpenSSL's CLI decrypts, then verifies the signature up to НЦТ's root."""
    (tmp_path / "package.entpkg").write_bytes(seal())
    (tmp_path / "root.pem").write_bytes(pki().root.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "nct.pem").write_bytes(pki().nct.certificate.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "nct.key").write_bytes(
        pki().nct.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )

    def openssl(*args: str) -> subprocess.CompletedProcess[str]:
        command = ["openssl", "cms", *args]
        return subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)

    decrypted = openssl(
        "-decrypt",
        "-inform",
        "DER",
        "-in",
        "package.entpkg",
        "-recip",
        "nct.pem",
        "-inkey",
        "nct.key",
        "-binary",
        "-out",
        "signed.der",
    )
    assert decrypted.returncode == 0, decrypted.stderr
    verified = openssl(
        "-verify", "-inform", "DER", "-in", "signed.der", "-CAfile", "root.pem", "-binary", "-out", "content.zip"
    )
    assert verified.returncode == 0 and "Verification successful" in verified.stderr, verified.stderr
    with zipfile.ZipFile(tmp_path / "content.zip") as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert json.loads(archive.read("payload.json")) == PAYLOAD
        assert archive.read("attachments/scans/0001.png") == IMAGE
    assert manifest["sender"] == "017/applications" and manifest["recipient"] == "nct"

    # ... and it refuses the same package checked against another root.
    (tmp_path / "impostor.pem").write_bytes(foreign_pki().root.public_bytes(serialization.Encoding.PEM))
    wrong_root = openssl(
        "-verify", "-inform", "DER", "-in", "signed.der", "-CAfile", "impostor.pem", "-binary", "-out", "other.zip"
    )
    assert wrong_root.returncode != 0


def test_a_package_for_another_workstation_is_refused() -> None:
    refusal = refusal_of(seal(recipient=pki().nct), me=pki().programmer)
    assert refusal.reason == "recipient" and "017/programmer" in refusal.message


def test_a_package_re_encrypted_for_someone_else_is_refused() -> None:
    """The programmer decrypts a package НЦТ sent it and re-encrypts it for the applications PC."""
    data = seal_package(
        kind="directories",
        payload={"version": 3},
        sender=pki().nct,
        recipient_certificate=pki().programmer.certificate,
        sequence=1,
    )
    forwarded = cms.encrypt(cms.decrypt(data, pki().programmer), pki().applications.certificate)
    assert refusal_of(forwarded, me=pki().applications).reason == "recipient"


@pytest.mark.parametrize("cut", [1, 100, 5000])
def test_a_truncated_file_is_refused(cut: int) -> None:
    data = seal()
    refusal = refusal_of(data[:-cut])
    assert refusal.reason == "damaged"
    assert "truncated or altered" in refusal.message


@pytest.mark.parametrize("fraction", [0.3, 0.5, 0.8])
def test_an_altered_file_is_refused(fraction: float) -> None:
    data = bytearray(seal())
    data[int(len(data) * fraction)] ^= 0x01
    assert refusal_of(bytes(data)).reason == "damaged"


def test_a_package_signed_by_a_key_nct_did_not_certify_is_refused() -> None:
    impostor = foreign_pki().applications  # same address, another root
    refusal = refusal_of(seal(sender=impostor))
    assert refusal.reason == "signature"
    assert "Bad signature" in refusal.message


def test_a_package_claiming_another_sender_is_refused() -> None:
    manifest = manifest_dict(pki().other_site.address, NCT_ADDRESS, kind="applicants")
    data = craft(manifest, PAYLOAD, pki().applications, pki().nct.certificate)
    refusal = refusal_of(data)
    assert refusal.reason == "signature" and "018/applications" in refusal.message


def test_an_unknown_kind_is_refused() -> None:
    manifest = manifest_dict(pki().applications.address, NCT_ADDRESS, kind="horoscope")
    refusal = refusal_of(craft(manifest, PAYLOAD, pki().applications, pki().nct.certificate))
    assert refusal.reason == "kind" and "horoscope" in refusal.message


def test_a_kind_between_the_wrong_parties_is_refused() -> None:
    manifest = manifest_dict(pki().applications.address, pki().programmer.address, kind="answer-codes")
    refusal = refusal_of(
        craft(manifest, PAYLOAD, pki().applications, pki().programmer.certificate), me=pki().programmer
    )
    assert refusal.reason == "kind"
    with pytest.raises(Exception, match="answer-codes"):
        seal(kind="answer-codes", recipient=pki().programmer)


def test_a_newer_format_is_refused_before_anything_else_is_read() -> None:
    manifest = {"format": 2, "everything": "different"}
    data = craft(manifest, PAYLOAD, pki().applications, pki().nct.certificate, fix_digests=False)
    refusal = refusal_of(data)
    assert refusal.reason == "format" and "2" in refusal.message


def test_a_digest_that_does_not_match_is_refused() -> None:
    manifest = manifest_dict(
        pki().applications.address, NCT_ADDRESS, files={"payload.json": "00" * 32}, payload_digest="00" * 32
    )
    data = craft(manifest, PAYLOAD, pki().applications, pki().nct.certificate, fix_digests=False)
    assert refusal_of(data).reason == "damaged"


def test_a_file_the_manifest_does_not_list_is_refused() -> None:
    manifest = manifest_dict(pki().applications.address, NCT_ADDRESS)
    data = craft(manifest, PAYLOAD, pki().applications, pki().nct.certificate)
    content = cms.verify(cms.decrypt(data, pki().nct)).content
    buffer = io.BytesIO(content)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("attachments/extra.txt", b"smuggled")
    resealed = cms.encrypt(cms.sign(buffer.getvalue(), pki().applications), pki().nct.certificate)
    assert refusal_of(resealed).reason == "damaged"


def test_sequence_gaps_are_fine_older_ones_superseded_repeats_a_no_op() -> None:
    ledger = MemoryLedger()
    fifth, third, seventh = seal(5), seal(3), seal(7)
    opened = take(fifth, ledger)
    assert ledger.last_sequence(opened.manifest.channel) is None  # opening records nothing
    ledger.record(opened.manifest, opened.package_id)

    superseded = refusal_of(third, ledger)
    assert superseded.reason == "superseded" and "3" in superseded.message and "5" in superseded.message
    with pytest.raises(AlreadyTaken, match="already taken"):
        take(fifth, ledger)
    later = take(seventh, ledger)  # 6 never came: a gap is accepted
    ledger.record(later.manifest, later.package_id)
    with pytest.raises(AlreadyTaken):
        take(fifth, ledger)  # a repeat of an older package is still a repeat, not "superseded"


def test_sequences_run_per_kind_and_stream() -> None:
    ledger = MemoryLedger()
    taken = take(seal(9, stream=2), ledger)
    ledger.record(taken.manifest, taken.package_id)
    assert take(seal(1, stream=3), ledger).manifest.sequence == 1
    assert take(seal(1, kind="daily-statistics", stream=2), ledger).manifest.sequence == 1


def test_every_refusal_has_its_own_message() -> None:
    ledger = MemoryLedger()
    first = take(seal(2), ledger)
    ledger.record(first.manifest, first.package_id)
    messages = {
        refusal_of(seal(), me=pki().programmer).message.split(":")[0],
        refusal_of(seal()[:-10]).message.split(":")[0],
        refusal_of(seal(sender=foreign_pki().applications)).message.split(":")[0],
        refusal_of(
            craft(
                manifest_dict(pki().applications.address, NCT_ADDRESS, kind="horoscope"),
                PAYLOAD,
                pki().applications,
                pki().nct.certificate,
            )
        ).message.split(":")[0],
        refusal_of(
            craft({"format": 9}, PAYLOAD, pki().applications, pki().nct.certificate, fix_digests=False)
        ).message.split(":")[0],
        refusal_of(seal(1), ledger).message.split(":")[0],
    }
    with pytest.raises(AlreadyTaken) as duplicate:
        take(seal_twice := seal(3), ledger_with(seal_twice))
    messages.add(duplicate.value.message.split(":")[0])
    assert len(messages) == 7


def ledger_with(data: bytes) -> MemoryLedger:
    ledger = MemoryLedger()
    opened = take(data, ledger)
    ledger.record(opened.manifest, opened.package_id)
    return ledger


def test_the_same_content_is_the_same_package_whatever_the_envelope() -> None:
    data = seal(4)
    again = cms.encrypt(cms.decrypt(data, pki().nct), pki().nct.certificate)
    assert data != again
    assert take(data).package_id == take(again).package_id


def test_sender_of_another_site_cannot_send_to_this_site() -> None:
    other = pki().issue(workstation("018", "applications"))
    with pytest.raises(Exception, match="does not go"):
        seal_package(
            kind="applicant-database",
            payload={},
            sender=other,
            recipient_certificate=pki().programmer.certificate,
            sequence=1,
        )
