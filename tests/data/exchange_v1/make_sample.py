"""Make the format-1 sample package kept in this folder (run once; the files are committed).

    .venv/bin/python tests/data/exchange_v1/make_sample.py

Writes ``root.pem`` (a throw-away НЦТ root), ``nct.p12`` (the recipient's key, password
``sample-v1``) and ``package.entpkg``: "applicants" from 017/applications to НЦТ, stream 2,
number 3, two records and one attachment. ``tests/test_exchange_formats.py`` opens it with every
later version of the program, so a change that cannot read format 1 any more is caught.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from common.exchange.addresses import NCT_ADDRESS, workstation
from common.exchange.manifest import AuditHead
from common.exchange.package import seal_package
from common.security.keys import Identity, generate_key, issue_certificate, make_root, protect_identity

HERE = Path(__file__).resolve().parent
PAYLOAD = {
    "applicants": [
        {"ikt": "017000001", "surname": "Әбдіқадыров", "name": "Нұрлан", "language": "kk"},
        {"ikt": "017000002", "surname": "Иванова", "name": "Мария", "language": "ru"},
    ]
}
ATTACHMENT = ("scans/017000001.png", b"\x89PNG\r\n\x1a\n" + bytes(range(64)))


def main() -> None:
    root_key, root = make_root()

    def identity(address_role: str | None) -> Identity:
        key = generate_key()
        address = NCT_ADDRESS if address_role is None else workstation("017", address_role)
        return Identity.of(issue_certificate(root_key, root, key.public_key(), address), key)

    nct, applications = identity(None), identity("applications")
    data = seal_package(
        kind="applicants",
        payload=PAYLOAD,
        attachments=dict([ATTACHMENT]),
        sender=applications,
        recipient_certificate=nct.certificate,
        sequence=3,
        stream=2,
        audit_head=AuditHead(41, "5a" * 32),
        created_at=datetime(2026, 11, 25, 10, 0, tzinfo=UTC),
    )
    (HERE / "root.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    (HERE / "nct.p12").write_bytes(protect_identity(nct, "sample-v1", rounds=10_000))
    (HERE / "package.entpkg").write_bytes(data)


if __name__ == "__main__":
    main()
