"""The results look-up file: an applicant finds their result by ИКТ and ИИН, and nobody else's.

Beyond the instruction: seed 000 says applicants learn their results through a channel; this is the
file that channel publishes. It is built at НЦТ from the imported ``results`` (``ent-nct results
lookup-file``) and read by ``ent-nct results lookup``. The file alone gives away no one's score, and
it cannot be listed: every record is found and opened only with the applicant's ИКТ together with
their ИИН, through a slow key derivation, so each guess costs the guesser the cost stated in the
header (on the reference machine ≥ 0.5 s at the default cost; docs/packages.md has the figures).

Construction (standard parts only, ``cryptography``):

* ``Argon2id(salt, length=64, iterations, lanes, memory_cost)`` over ``"<ИКТ>:<ИИН>"`` (UTF-8), with
  one random 16-byte salt per file;
* the first 32 bytes, hashed once more with SHA-256, are the record's look-up id (so the id alone
  does not give the key); the last 32 bytes are the record's AES-256-GCM key;
* the record is the applicant's result as JSON (ИКТ, site, stream, date, status, per-subject points,
  total), padded with spaces to :data:`RECORD_SIZE` so that every record has the same length,
  encrypted with a random 12-byte nonce and the salt and id as associated data;
* records sorted by id: their order tells nothing of sites, streams, rooms or scores.

Format (UTF-8 text): one header line of JSON (format, the derivation and its cost, the cipher, the
count), then one line per record: ``<id hex> <nonce base64> <ciphertext base64>``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any, Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from sqlalchemy import select
from sqlalchemy.orm import Session

from common.errors import Refused
from common.i18n import _
from nct_hub.db.results_models import ExamResult

FILE_FORMAT: Final = 1
FILE_KIND: Final = "ent-results-lookup"
SALT_BYTES: Final = 16
NONCE_BYTES: Final = 12
RECORD_SIZE: Final = 512
"""Every record's plaintext is padded to this many bytes (a result is far shorter)."""


@dataclass(frozen=True)
class KdfCost:
    """Argon2id's cost: passes, memory in KiB, lanes."""

    iterations: int
    memory_kib: int
    lanes: int = 1

    # At most 16 passes over 1 GiB: a forged header cannot make the reader's machine derive for minutes.
    def check(self) -> KdfCost:
        if not (1 <= self.iterations <= 16 and 1 <= self.lanes <= 8 and 8 * self.lanes <= self.memory_kib <= 1 << 20):
            raise Refused(_("The key derivation's cost {cost} is not one this program accepts.").format(
                cost=f"{self.iterations}:{self.memory_kib}:{self.lanes}"))  # fmt: skip
        return self


DEFAULT_COST: Final = KdfCost(iterations=4, memory_kib=256 * 1024, lanes=1)
"""One guess takes about 0.7 s on the reference machine (2 cores, 2026; docs/packages.md)."""
TEST_COST: Final = KdfCost(iterations=1, memory_kib=8, lanes=1)
"""For tests only: a derivation in microseconds."""


@dataclass(frozen=True)
class LookupEntry:
    """One applicant's result as the file holds it, and the pair that opens it."""

    ikt: str
    iin: str
    result: dict[str, Any]


@dataclass(frozen=True)
class BuiltFile:
    data: bytes
    records: int


def secret_input(ikt: str, iin: str) -> bytes:
    return f"{ikt.strip()}:{iin.strip()}".encode()


def derive(ikt: str, iin: str, salt: bytes, cost: KdfCost) -> tuple[bytes, bytes]:
    """(look-up id, AES-256 key) of the pair: Argon2id's 64 bytes, the first 32 hashed once more."""
    kdf = Argon2id(salt=salt, length=64, iterations=cost.iterations, lanes=cost.lanes, memory_cost=cost.memory_kib)
    raw = kdf.derive(secret_input(ikt, iin))
    return hashlib.sha256(raw[:32]).digest(), raw[32:]


def _derive_job(job: tuple[str, str, bytes, KdfCost]) -> tuple[bytes, bytes]:
    return derive(*job)


def entries_from_results(session: Session, site_code: str | None = None, stream: int | None = None
                         ) -> tuple[list[LookupEntry], int]:
    """Every imported result (of the site, of its stream) with an ИИН, and how many had none (left out).

    A stream whose results with appeal came (``final-results``, п. 206) gives those; the others give the
    results without appeal."""
    from nct_hub.db.appeal_models import FinalExamResult

    rows: list[ExamResult | FinalExamResult] = []
    for model in (FinalExamResult, ExamResult):
        query = select(model).order_by(model.id)
        if site_code is not None:
            query = query.where(model.site_code == site_code)
        if stream is not None:
            query = query.where(model.stream == stream)
        rows.extend(session.scalars(query))
    final = {(row.site_code, row.stream) for row in rows if isinstance(row, FinalExamResult)}
    entries, without = [], 0
    for row in rows:
        if isinstance(row, ExamResult) and (row.site_code, row.stream) in final:
            continue
        if not row.iin:
            without += 1
            continue
        entries.append(LookupEntry(row.ikt, row.iin, {
            "ikt": row.ikt, "site_code": row.site_code, "stream": row.stream, "date": row.exam_date.isoformat(),
            "status": row.status, "subjects": list(row.subjects), "total": row.total, "max_total": row.max_total,
        }))  # fmt: skip
    return entries, without


def build_lookup_file(entries: Sequence[LookupEntry], cost: KdfCost = DEFAULT_COST, *,
                      workers: int | None = None, created: str = "") -> BuiltFile:
    """The file's bytes: one derivation per record, in a process pool of ``workers`` (all cores by default)."""
    cost.check()
    salt = secrets.token_bytes(SALT_BYTES)
    jobs = [(entry.ikt, entry.iin, salt, cost) for entry in entries]
    count = workers or os.cpu_count() or 1
    if count > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=min(count, len(jobs))) as pool:
            derived = list(pool.map(_derive_job, jobs, chunksize=max(1, len(jobs) // (count * 8))))
    else:
        derived = [_derive_job(job) for job in jobs]
    lines = []
    for entry, (record_id, key) in zip(entries, derived, strict=True):
        plain = json.dumps(entry.result, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
        if len(plain) > RECORD_SIZE:
            raise Refused(_("A result does not fit a record of the look-up file."))
        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = AESGCM(key).encrypt(nonce, plain.ljust(RECORD_SIZE, b" "), salt + record_id)
        lines.append((record_id.hex(), _b64(nonce), _b64(sealed)))
    lines.sort()
    header = {
        "format": FILE_FORMAT, "kind": FILE_KIND, "created": created, "records": len(lines),
        "kdf": {"name": "argon2id", "version": "1.3", "salt": _b64(salt), "iterations": cost.iterations,
                "memory_kib": cost.memory_kib, "lanes": cost.lanes, "length": 64, "input": "UTF-8 '<ИКТ>:<ИИН>'"},
        "record": {"id": "SHA-256 of the derivation's first 32 bytes", "cipher": "AES-256-GCM",
                   "key": "the derivation's last 32 bytes", "aad": "salt || id", "plaintext_bytes": RECORD_SIZE},
    }  # fmt: skip
    text = json.dumps(header, ensure_ascii=False, sort_keys=True) + "\n" + "".join(" ".join(line) + "\n"
                                                                                  for line in lines)
    return BuiltFile(text.encode(), len(lines))


def lookup(data: bytes, ikt: str, iin: str) -> dict[str, Any] | None:
    """The applicant's result, or ``None`` when the file holds none for this ИКТ and ИИН (the same answer
    for a wrong ИИН and an unknown ИКТ). A record that fails authentication is refused in one line."""
    salt, cost, records = _parse(data)
    record_id, key = derive(ikt, iin, salt, cost)
    wanted = record_id.hex()
    found = [(nonce, sealed) for rid, nonce, sealed in records if rid == wanted]
    if not found:
        return None
    for nonce, sealed in found:
        try:
            plain = AESGCM(key).decrypt(nonce, sealed, salt + record_id)
        except InvalidTag:
            continue
        result: dict[str, Any] = json.loads(plain.decode())
        return result
    raise Refused(_("The look-up file is damaged: the record for this ИКТ and ИИН fails its authentication check."))


def _parse(data: bytes) -> tuple[bytes, KdfCost, Iterable[tuple[str, bytes, bytes]]]:
    damaged = Refused(_("This is not a results look-up file this program can read, or it is damaged."))
    try:
        text = data.decode()
        head, _newline, body = text.partition("\n")
        header = json.loads(head)
        kdf = header["kdf"]
        if header.get("format") != FILE_FORMAT or header.get("kind") != FILE_KIND or kdf.get("name") != "argon2id":
            raise damaged
        salt = base64.b64decode(kdf["salt"], validate=True)
        cost = KdfCost(int(kdf["iterations"]), int(kdf["memory_kib"]), int(kdf["lanes"]))
        records = []
        for line in body.splitlines():
            rid, nonce, sealed = line.split(" ")
            records.append((rid, base64.b64decode(nonce, validate=True), base64.b64decode(sealed, validate=True)))
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        raise damaged from None
    return salt, cost.check(), records


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def result_text(result: dict[str, Any]) -> str:
    """The found result for the applicant, a fact a line."""
    labels = {"scored": _("scored"), "absent": _("absent"), "annulled": _("annulled"),
              "not-admitted": _("not admitted")}
    lines = [_("ИКТ {ikt}: site {site}, stream {stream}, {date}: {status}.").format(
        ikt=result.get("ikt"), site=result.get("site_code"), stream=result.get("stream"), date=result.get("date"),
        status=labels.get(str(result.get("status")), str(result.get("status"))))]  # fmt: skip
    lines += [f"{item.get('code')}: {item.get('points')} / {item.get('max')}" for item in result.get("subjects") or []]
    if result.get("total") is not None:
        lines.append(_("Total: {total} of {most}.").format(total=result.get("total"), most=result.get("max_total")))
    return "\n".join(lines)
