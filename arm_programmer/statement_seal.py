"""The signed QR of each statement page (beyond the instruction): a photocopy checked against the database.

Every page of the statement without appeal (прил. 4, :mod:`arm_programmer.statement`) carries a QR
code whose text is a *seal*: which statement page it is, a digest of the rows printed on it and the
workstation's signature over both. Whoever holds a copy — the applicants' board, the appeal
commission, НЦТ — photographs or scans the page, :func:`read_qr` reads the text, :func:`read_seal`
parses it and :func:`check_page` says whether the signature is the workstation's and whether the
rows the database gives now are those printed; a score changed on paper or in the database after
printing is caught, and the rows that differ are named by ИКТ.

The seal's text, in the QR's alphanumeric mode (upper-case letters, digits and ``:/``)::

    ENTS1:<site>:<stream>:<YYYYMMDD>:<copy>:<page>/<pages>:<first>:<digest>:<tags>:<signature>

* ``ENTS1`` — the format tag and its version (1);
* ``<first>`` — the place (from 0) of the page's first row in the statement's order
  (:func:`statement_order`) of the whole stream; the page holds as many rows as it has tags;
* ``<digest>`` — SHA-256 of the page's rows' canonical text (:func:`canonical_row`: ИКТ, status,
  variant, each subject's code and points, total — never a name or an ИИН), base32;
* ``<tags>`` — the first 3 bytes of SHA-256 of each row's canonical text, base32: they let a check
  name the row that differs (the digest alone only says that one does);
* ``<signature>`` — RSA-PSS with SHA-256 (MGF1 SHA-256, salt of 32 bytes) by the workstation's key
  over the UTF-8 text before the last ``:``, base32.

A page without rows (the summaries, the signatures) is sealed too, with no tags and the digest of
nothing: its check proves the page belongs to the signed statement. Nothing here imports Qt or
reportlab.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Final

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from arm_programmer.results import ResultRow
from common.codebook import kazakh_order
from common.errors import Refused
from common.i18n import _
from common.security.keys import Identity

SEAL_TAG: Final = "ENTS"
SEAL_VERSION: Final = 1
TAG_BYTES: Final = 3
_PSS: Final = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
_BASE32: Final = re.compile(r"[A-Z2-7]*")
_FIELD: Final = re.compile(r"[0-9A-Z]+")


def statement_order(rows: Sequence[ResultRow]) -> list[ResultRow]:
    """The statement's rows in order: by surname, name and patronymic in the Kazakh alphabet over the
    whole stream, then by ИКТ (the instruction gives no order; see :mod:`arm_programmer.statement`)."""
    return sorted(rows, key=lambda row: (kazakh_order(row.surname), kazakh_order(row.name),
                                         kazakh_order(row.patronymic or ""), row.ikt))


def canonical_row(row: ResultRow) -> str:
    """What the seal vouches for in a row: ИКТ, status, variant, each subject's points, total — no names."""
    subjects = ",".join(f"{item.code}={item.points}" for item in row.subjects)
    total = "" if row.total is None else str(row.total)
    return f"{row.ikt}|{row.status.value}|{row.variant or ''}|{subjects}|{total}"


def rows_digest(rows: Sequence[ResultRow]) -> bytes:
    return hashlib.sha256("\n".join(canonical_row(row) for row in rows).encode("utf-8")).digest()


def row_tag(row: ResultRow) -> bytes:
    return hashlib.sha256(canonical_row(row).encode("utf-8")).digest()[:TAG_BYTES]


@dataclass(frozen=True)
class Seal:
    """A page's seal as read from its QR."""

    version: int
    site_code: str
    stream: int
    exam_date: date
    copy: int
    page: int
    pages: int
    first: int
    """The place (from 0) of the page's first row in :func:`statement_order`."""
    digest: bytes
    tags: tuple[bytes, ...]
    signature: bytes
    signed_text: str

    @property
    def rows(self) -> int:
        return len(self.tags)


@dataclass(frozen=True)
class PageCheck:
    """A seal checked: by the certificate, and against the rows the database gives now."""

    seal: Seal
    signature_valid: bool
    digest_matches: bool
    differing: tuple[str, ...]
    """ИКТ of the rows whose printed values differ from the database's now (in the page's order)."""

    @property
    def ok(self) -> bool:
        return self.signature_valid and self.digest_matches


def _b32(data: bytes) -> str:
    return base64.b32encode(data).decode("ascii").rstrip("=")


def _unb32(text: str) -> bytes:
    if not _BASE32.fullmatch(text):
        raise ValueError("not base32")
    return base64.b32decode(text + "=" * (-len(text) % 8))


def page_seal(
    rows_on_page: Sequence[ResultRow],
    *,
    site_code: str,
    stream: int,
    exam_date: date,
    copy: int,
    page: int,
    pages: int,
    first: int,
    signer: Identity,
) -> str:
    """The seal text of one statement page holding ``rows_on_page`` (in printed order), signed by ``signer``."""
    site = site_code.upper()
    if not _FIELD.fullmatch(site):
        raise ValueError(f"a site code of letters and digits is needed, not {site_code!r}")
    tags = b"".join(row_tag(row) for row in rows_on_page)
    text = ":".join([f"{SEAL_TAG}{SEAL_VERSION}", site, str(stream), exam_date.strftime("%Y%m%d"), str(copy),
                     f"{page}/{pages}", str(first), _b32(rows_digest(rows_on_page)), _b32(tags)])
    signature = signer.private_key.sign(text.encode("utf-8"), _PSS, hashes.SHA256())
    return f"{text}:{_b32(signature)}"


def read_seal(text: str) -> Seal:
    """The seal in ``text`` (a QR's content); ``Refused`` when it is not a statement page's seal."""
    refused = Refused(_("The QR code does not hold a statement page's seal."))
    parts = text.strip().split(":")
    if len(parts) != 10 or not parts[0].startswith(SEAL_TAG):
        raise refused
    tag, site, stream, day, copy, place, first, digest, tags, signature = parts
    if tag != f"{SEAL_TAG}{SEAL_VERSION}":
        raise Refused(_("The statement page's seal is of format {found}, this program reads {known}.").format(
            found=tag, known=f"{SEAL_TAG}{SEAL_VERSION}"))
    try:
        page, pages = (int(value) for value in place.split("/"))
        numbers = int(stream), int(copy), page, pages, int(first)
        when = date(int(day[:4]), int(day[4:6]), int(day[6:8])) if re.fullmatch(r"\d{8}", day) else None
        raw_digest, raw_tags, raw_signature = _unb32(digest), _unb32(tags), _unb32(signature)
    except (ValueError, binascii.Error) as error:
        raise refused from error
    if (when is None or not _FIELD.fullmatch(site) or min(numbers) < 0 or not 1 <= page <= pages
            or len(raw_digest) != hashlib.sha256().digest_size or len(raw_tags) % TAG_BYTES or not raw_signature):
        raise refused
    return Seal(
        version=SEAL_VERSION, site_code=site, stream=numbers[0], exam_date=when, copy=numbers[1], page=page,
        pages=pages, first=numbers[4], digest=raw_digest,
        tags=tuple(raw_tags[index:index + TAG_BYTES] for index in range(0, len(raw_tags), TAG_BYTES)),
        signature=raw_signature, signed_text=text.strip().rsplit(":", 1)[0],
    )


def check_page(seal: Seal, certificate: x509.Certificate, rows_now: Sequence[ResultRow]) -> PageCheck:
    """Check ``seal`` by ``certificate`` and against ``rows_now``, the stream's rows as the database gives
    them now (any order: the page's rows are found by their place in :func:`statement_order`)."""
    key = certificate.public_key()
    valid = False
    if isinstance(key, rsa.RSAPublicKey):
        try:
            key.verify(seal.signature, seal.signed_text.encode("utf-8"), _PSS, hashes.SHA256())
            valid = True
        except InvalidSignature:
            valid = False
    page_rows = statement_order(rows_now)[seal.first:seal.first + seal.rows]
    differing = [row.ikt for row, tag in zip(page_rows, seal.tags, strict=False) if row_tag(row) != tag]
    matches = len(page_rows) == seal.rows and rows_digest(page_rows) == seal.digest
    return PageCheck(seal=seal, signature_valid=valid, digest_matches=matches, differing=tuple(differing))


def describe_check(check: PageCheck) -> str:
    """One translated line saying what a check found (for ``statement check`` and its window)."""
    seal = check.seal
    page = _("Stream {stream} of {date}, copy {copy}, page {page} of {pages}").format(
        stream=seal.stream, date=seal.exam_date.strftime("%d.%m.%Y"), copy=seal.copy, page=seal.page,
        pages=seal.pages)
    if not check.signature_valid:
        return _("{page}: the seal is not signed by this workstation's key, the page is not to be trusted.").format(
            page=page)
    if check.digest_matches:
        return _("{page}: signed by this workstation; its {rows} rows are those of the database.").format(
            page=page, rows=seal.rows)
    if check.differing:
        return _("{page}: the printed rows differ from the database's now, ИКТ {ikts}.").format(
            page=page, ikts=", ".join(check.differing))
    return _("{page}: the printed rows differ from the database's now (rows added or removed).").format(page=page)


def read_qr(image_path: Path) -> str:
    """The text of the statement seal's QR on a scanned or photographed page at ``image_path``.

    ``Refused`` (one line) when the file is not an image or no page of it has a readable seal QR.
    """
    from common.omr.barcode import qr_text

    text = qr_text(image_path, SEAL_TAG)
    if text is not None:
        return text
    raise Refused(_("No statement seal QR code could be read on {name}.").format(name=Path(image_path).name))
