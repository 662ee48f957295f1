"""The manifest of a package: what it is, from whom, to whom, which number, and what it holds.

Format version 1 (``manifest.json`` inside the signed ZIP, UTF-8 JSON)::

    {"format": 1, "kind": "applicants", "sender": "017/applications", "recipient": "nct",
     "site_code": "017", "stream": 2, "sequence": 14, "created_at": "2026-05-20T09:12:03Z",
     "files": {"payload.json": "<sha256 hex>", "attachments/scan-0001.png": "<sha256 hex>"},
     "payload_digest": "<sha256 hex of the canonical JSON of files>",
     "audit_head": {"entries": 5120, "digest": "<hex>"}, "program": "ent-arm 0.1.0"}

``stream`` and ``audit_head`` may be ``null``. A reader refuses a ``format`` above the one it
knows before it reads any other field.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from common.exchange.addresses import Address

FORMAT_VERSION: Final = 1
"""The newest manifest/container format this program writes and reads."""


def canonical_json(value: Any) -> bytes:
    """UTF-8 JSON with sorted keys and no spaces: the same value always gives the same bytes."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return text.encode()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def payload_digest(files: Mapping[str, str]) -> str:
    """SHA-256 of the canonical JSON of ``{file name: SHA-256 of its bytes}``."""
    return sha256_hex(canonical_json(dict(files)))


@dataclass(frozen=True)
class AuditHead:
    """The head of a party's audit chain: how many entries, and the hash of the last one."""

    entries: int
    digest: str

    def to_dict(self) -> dict[str, Any]:
        return {"entries": self.entries, "digest": self.digest}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> AuditHead | None:
        if data is None:
            return None
        return cls(int(data["entries"]), str(data["digest"]))


@dataclass(frozen=True)
class Manifest:
    kind: str
    sender: Address
    recipient: Address
    site_code: str | None
    stream: int | None
    sequence: int
    created_at: datetime
    payload_digest: str
    files: Mapping[str, str] = field(default_factory=dict)
    audit_head: AuditHead | None = None
    format_version: int = FORMAT_VERSION
    program: str = ""

    @property
    def channel(self) -> Channel:
        return Channel(str(self.sender), str(self.recipient), self.kind, self.stream)

    def to_json(self) -> bytes:
        return canonical_json({
            "format": self.format_version,
            "kind": self.kind,
            "sender": str(self.sender),
            "recipient": str(self.recipient),
            "site_code": self.site_code,
            "stream": self.stream,
            "sequence": self.sequence,
            "created_at": self.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "files": dict(self.files),
            "payload_digest": self.payload_digest,
            "audit_head": self.audit_head.to_dict() if self.audit_head else None,
            "program": self.program,
        })

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Manifest:
        """A manifest of format 1; ``ValueError``/``KeyError``/``TypeError`` if it is malformed."""
        stream = data["stream"]
        sequence = data["sequence"]
        if not isinstance(sequence, int) or sequence < 1 or not (stream is None or isinstance(stream, int)):
            raise ValueError("bad sequence or stream")
        files = data["files"]
        if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
            raise ValueError("bad file list")
        site_code = data["site_code"]
        return cls(
            kind=str(data["kind"]),
            sender=Address.parse(str(data["sender"])),
            recipient=Address.parse(str(data["recipient"])),
            site_code=None if site_code is None else str(site_code),
            stream=stream,
            sequence=sequence,
            created_at=datetime.strptime(str(data["created_at"]), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC),
            payload_digest=str(data["payload_digest"]),
            files=dict(files),
            audit_head=AuditHead.from_dict(data.get("audit_head")),
            format_version=int(data["format"]),
            program=str(data.get("program", "")),
        )


@dataclass(frozen=True, order=True)
class Channel:
    """Sequence numbers run per (sender, recipient, kind, stream)."""

    sender: str
    recipient: str
    kind: str
    stream: int | None
