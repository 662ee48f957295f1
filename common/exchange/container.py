"""The signed content of a package: a deterministic ZIP of the manifest, the payload and attachments.

Entries, in this order: ``manifest.json``, ``payload.json`` (canonical JSON), then
``attachments/<name>`` sorted by name. Every entry has the date 1980-01-01 00:00, Unix attributes
0644 and no extra fields, so the same manifest, payload and attachments always give the same bytes
(with the same zlib). Already compressed attachments (images, archives) are stored; the rest is
deflated. The reader never writes entries to disk; it only takes the names the manifest lists.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import zipfile
import zlib
from collections.abc import Iterator, Mapping
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


MANIFEST_LIMIT: Final = 1024**2
"""``manifest.json`` is read before the kind (and so its limits) is known: at most 1 MiB."""
_CHUNK: Final = 1024**2


@dataclass(frozen=True)
class Limits:
    """The most a package may expand to: per file of the ZIP and all files together (bytes)."""

    per_file: int
    total: int


class TooLarge(ValueError):
    """A file of the ZIP, or all of them, would expand beyond the limit (checked before and while reading)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"expands beyond {limit} bytes")
        self.limit = limit


def read_manifest(data: bytes) -> bytes:
    """Only ``manifest.json`` (to check the format version before anything else).

    ``ValueError`` (``TooLarge`` for an oversized one) for anything that is not a readable ZIP.
    """
    with _reading(data) as archive:
        _check_names(archive)
        info = archive.getinfo(MANIFEST_NAME)
        return _read_member(archive, info, MANIFEST_LIMIT, _Budget(MANIFEST_LIMIT), hash_it=False)[0]


def read(data: bytes, listed: Mapping[str, Any], limits: Limits) -> Contents:
    """The manifest and exactly the files ``listed`` (``ValueError`` on anything else in the ZIP).

    The sizes the ZIP declares are checked against ``limits`` before anything is expanded, and the
    expansion itself is counted too (a ZIP can lie about sizes): :class:`TooLarge` either way.
    Each file is expanded in chunks of 1 MiB and its SHA-256 compared with ``listed`` as it goes.
    """
    with _reading(data) as archive:
        names = _check_names(archive)
        if set(names) != {MANIFEST_NAME, *listed} or PAYLOAD_NAME not in listed:
            raise ValueError("the ZIP holds other files than the manifest lists")
        infos = {info.filename: info for info in archive.infolist()}
        for name in listed:
            if infos[name].file_size > limits.per_file:
                raise TooLarge(limits.per_file)
        if sum(infos[name].file_size for name in listed) > min(limits.total, MAX_TOTAL_BYTES):
            raise TooLarge(limits.total)
        budget = _Budget(min(limits.total, MAX_TOTAL_BYTES))
        manifest_json = _read_member(archive, infos[MANIFEST_NAME], MANIFEST_LIMIT, _Budget(MANIFEST_LIMIT),
                                     hash_it=False)[0]
        files: dict[str, bytes] = {}
        for name in listed:
            content, digest = _read_member(archive, infos[name], limits.per_file, budget, hash_it=True)
            if digest != listed[name]:
                raise ValueError(f"digest of {name} does not match the manifest")
            files[name] = content
        return Contents(manifest_json, files)


@dataclass
class _Budget:
    left: int


@contextlib.contextmanager
def _reading(data: bytes) -> Iterator[zipfile.ZipFile]:
    """The ZIP in ``data``; every way a ZIP can be broken becomes ``ValueError``."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            yield archive
    except TooLarge:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError,
            OSError, KeyError, UnicodeError) as error:
        raise ValueError(f"not a readable ZIP: {type(error).__name__}") from error


def _read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, per_file: int, budget: _Budget, *, hash_it: bool
) -> tuple[bytes, str]:
    """One file of the ZIP, expanded a chunk at a time; ``TooLarge`` as soon as a limit is passed."""
    if info.file_size > per_file or info.file_size > budget.left:
        raise TooLarge(min(per_file, budget.left))
    digest = hashlib.sha256()
    parts: list[bytes] = []
    size = 0
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            size += len(chunk)
            if size > per_file or size > budget.left:
                raise TooLarge(min(per_file, budget.left))
            if hash_it:
                digest.update(chunk)
            parts.append(chunk)
    budget.left -= size
    return b"".join(parts), digest.hexdigest()


def _check_names(archive: zipfile.ZipFile) -> list[str]:
    names = archive.namelist()
    if len(set(names)) != len(names):
        raise ValueError("duplicate names in the ZIP")
    if MANIFEST_NAME not in names:
        raise ValueError("no manifest in the ZIP")
    for name in names:
        if name not in (MANIFEST_NAME, PAYLOAD_NAME):
            if not name.startswith(ATTACHMENTS):
                raise ValueError(f"unexpected file {name!r}")
            check_attachment_name(name[len(ATTACHMENTS):])
    return names
