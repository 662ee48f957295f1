"""The signed content of a package: a deterministic ZIP of the manifest, the payload and attachments.

Entries, in this order: ``manifest.json``, ``payload.json`` (canonical JSON), then
``attachments/<name>`` sorted by name. Every entry has the date 1980-01-01 00:00, Unix attributes
0644 and no extra fields, so the same manifest, payload and attachments always give the same bytes
(with the same zlib). Already compressed attachments (images, archives) are stored; the rest is
deflated. The reader never writes entries to disk; it only takes the names the manifest lists.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

MANIFEST_NAME: Final = "manifest.json"
PAYLOAD_NAME: Final = "payload.json"
ATTACHMENTS: Final = "attachments/"
_STORED_SUFFIXES: Final = (".png", ".jpg", ".jpeg", ".zip", ".gz", ".pdf", ".entpkg", ".sealed")
_NAME: Final = re.compile(r"^[A-Za-z0-9_.\-]+(/[A-Za-z0-9_.\-]+)*$")
MAX_TOTAL_BYTES: Final = 4 * 1024**3
_DEFLATE_LEVEL: Final = 2  # fast: the files are small enough on a USB stick; time matters more


def check_attachment_name(name: str) -> str:
    if not _NAME.match(name) or any(part in (".", "..") for part in name.split("/")):
        raise ValueError(f"bad attachment name {name!r}")
    return name


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.create_system = 3
    info.external_attr = 0o100644 << 16
    stored = name.lower().endswith(_STORED_SUFFIXES)
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    return info


def payload_files(payload_json: bytes, attachments: Mapping[str, bytes]) -> dict[str, bytes]:
    """Every file of the payload by its name in the ZIP (without the manifest)."""
    files = {PAYLOAD_NAME: payload_json}
    for name in sorted(attachments):
        files[ATTACHMENTS + check_attachment_name(name)] = attachments[name]
    return files


def build(manifest_json: bytes, files: Mapping[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", allowZip64=True) as archive:
        archive.writestr(_entry(MANIFEST_NAME), manifest_json, compresslevel=_DEFLATE_LEVEL)
        for name, data in files.items():
            archive.writestr(_entry(name), data, compresslevel=_DEFLATE_LEVEL)
    return buffer.getvalue()


@dataclass(frozen=True)
class Contents:
    manifest_json: bytes
    files: dict[str, bytes]


def read_manifest(data: bytes) -> bytes:
    """Only ``manifest.json`` (to check the format version before anything else)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        _check_names(archive)
        return archive.read(MANIFEST_NAME)


def read(data: bytes, listed: Mapping[str, Any]) -> Contents:
    """The manifest and exactly the files ``listed`` (``ValueError`` on anything else in the ZIP)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = _check_names(archive)
        if set(names) != {MANIFEST_NAME, *listed} or PAYLOAD_NAME not in listed:
            raise ValueError("the ZIP holds other files than the manifest lists")
        if sum(info.file_size for info in archive.infolist()) > MAX_TOTAL_BYTES:
            raise ValueError("the package is too large")
        return Contents(archive.read(MANIFEST_NAME), {name: archive.read(name) for name in listed})


def _check_names(archive: zipfile.ZipFile) -> list[str]:
    names = archive.namelist()
    if len(set(names)) != len(names):
        raise ValueError("duplicate names in the ZIP")
    for name in names:
        if name not in (MANIFEST_NAME, PAYLOAD_NAME):
            if not name.startswith(ATTACHMENTS):
                raise ValueError(f"unexpected file {name!r}")
            check_attachment_name(name[len(ATTACHMENTS):])
    return names
