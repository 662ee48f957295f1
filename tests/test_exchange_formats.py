"""Every package format this program ever wrote still opens (samples kept in ``tests/data``)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from common.exchange import cms
from common.exchange.addresses import NCT_ADDRESS, workstation
from common.exchange.ledger import MemoryLedger
from common.exchange.manifest import FORMAT_VERSION, AuditHead
from common.exchange.package import open_package
from common.i18n import set_language
from common.security.keys import TrustStore, load_certificate_pem, unlock_identity

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def test_a_format_1_package_opens() -> None:
    folder = DATA / "exchange_v1"
    me = unlock_identity((folder / "nct.p12").read_bytes(), "sample-v1")
    trust = TrustStore(load_certificate_pem((folder / "root.pem").read_bytes()))
    opened = open_package((folder / "package.entpkg").read_bytes(), me, trust, MemoryLedger())
    manifest = opened.manifest
    assert manifest.format_version == 1
    assert (manifest.kind, manifest.sender, manifest.recipient) == (
        "applicants",
        workstation("017", "applications"),
        NCT_ADDRESS,
    )
    assert (manifest.site_code, manifest.stream, manifest.sequence) == ("017", 2, 3)
    assert manifest.created_at == datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    assert manifest.audit_head == AuditHead(41, "5a" * 32)
    assert [record["ikt"] for record in opened.payload["applicants"]] == ["017000001", "017000002"]
    assert opened.payload["applicants"][0]["surname"] == "Әбдіқадыров"
    assert list(opened.attachments) == ["scans/017000001.png"]


def test_the_format_1_manifest_has_exactly_the_documented_fields() -> None:
    folder = DATA / "exchange_v1"
    me = unlock_identity((folder / "nct.p12").read_bytes(), "sample-v1")
    content = cms.verify(cms.decrypt((folder / "package.entpkg").read_bytes(), me)).content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.namelist() == ["manifest.json", "payload.json", "attachments/scans/017000001.png"]
        manifest = json.loads(archive.read("manifest.json"))
    assert set(manifest) == {
        "format",
        "kind",
        "sender",
        "recipient",
        "site_code",
        "stream",
        "sequence",
        "created_at",
        "files",
        "payload_digest",
        "audit_head",
        "program",
    }


def test_a_sample_is_kept_for_every_format_this_program_reads() -> None:
    kept = {path.name for path in DATA.glob("exchange_v*")}
    assert {f"exchange_v{number}" for number in range(1, FORMAT_VERSION + 1)} <= kept
