"""The ``certificate-numbers`` packages at НЦТ (п. 217): a stream's certificate numbers from the site's
АРМ «Сертификат».

:func:`import_certificate_numbers` checks the payload ``arm_certificate.blanks.certificate_numbers_payload`` writes
(docs/packages.md, ``certificate-numbers``) field by field and files each certificate, spoiled blank and pack, in
bulk (one executemany a table, :func:`nct_hub.bulk.insert_rows`); anything malformed refuses the whole
package in one line and nothing is kept (the caller's transaction). A later package for the same site and stream
replaces the stream's rows (``nct_hub.imports`` removes the superseded package's rows). A blank is one certificate:
a series and number that another stream of the site already holds is refused. :func:`certificates` is what
``ent-nct certificates show`` lists.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.errors import Refused
from common.i18n import _
from nct_hub.bulk import insert_rows
from nct_hub.db.certificate_models import CertificateNumber, ReceivedBlankPack, SpoiledBlank
from nct_hub.db.import_models import ReceivedPackage
from nct_hub.payload_checks import IKT, Bad, date_of, entry_of, list_of, text_of

KIND: Final = "certificate-numbers"
FORMAT: Final = 1
_SERIES = re.compile(r"^[^\W\d_]{1,10}$")
_NUMBER = re.compile(r"^[0-9]{1,9}$")


def import_certificate_numbers(session: Session, received_id: int, site_code: str,
                               payload: Mapping[str, Any]) -> dict[str, int]:
    """File a stream's certificate numbers; returns the counts for the import summary. Refused when malformed."""
    received = session.get(ReceivedPackage, received_id)
    stream = received.stream_key if received is not None else 0
    try:
        numbers, spoiled, packs = checked_numbers(payload, site_code, stream)
    except Bad as bad:
        raise Refused(_("The certificate numbers are not valid: {where}: {problem}.").format(
            where=bad.where, problem=bad.problem)) from None  # fmt: skip
    held = {(series, number): other for series, number, other in session.execute(
        select(CertificateNumber.series, CertificateNumber.number, CertificateNumber.stream).where(
            CertificateNumber.site_code == site_code, CertificateNumber.stream != stream))}  # fmt: skip
    for row in numbers:
        other = held.get((row["series"], row["number"]))
        if other is not None:
            raise Refused(_("Certificate blank {blank} is already the certificate of an applicant of stream {other} "
                            "of site {site}: a blank is one certificate.").format(
                blank=f"{row['series']} {row['number']}", other=other, site=site_code))  # fmt: skip
    for model, rows in ((CertificateNumber, numbers), (SpoiledBlank, spoiled), (ReceivedBlankPack, packs)):
        for item in rows:
            item["received_id"] = received_id
        insert_rows(session, model, rows)
    return {"certificates": len(numbers), "spoiled": len(spoiled), "packs": len(packs)}


Row = dict[str, Any]


def checked_numbers(payload: Mapping[str, Any], site_code: str, stream: int) -> tuple[list[Row], list[Row], list[Row]]:
    """The payload's certificates, spoiled blanks and packs, checked: one row of :class:`CertificateNumber`'s,
    :class:`SpoiledBlank`'s and :class:`ReceivedBlankPack`'s columns (but ``received_id``) each."""
    if payload.get("format") != FORMAT:
        raise Bad("format", _("format {format} is not known to this program").format(format=payload.get("format")))
    if payload.get("site_code") != site_code:
        raise Bad("site_code", _("the numbers are of site {inside}, but the package came from site {sender}").format(
            inside=payload.get("site_code"), sender=site_code))  # fmt: skip
    if stream < 1 or payload.get("stream") != stream or isinstance(payload.get("stream"), bool):
        raise Bad("stream", _("the numbers are of stream {inside}, but the package is of stream {sender}").format(
            inside=payload.get("stream"), sender=stream or "—"))  # fmt: skip
    exam_date = date_of(payload.get("date"), "date")
    numbers: list[Row] = []
    seen_ikt: set[str] = set()
    seen_blank: set[tuple[str, str]] = set()
    for index, value in enumerate(list_of(payload.get("certificates"), "certificates")):
        where = f"certificates[{index}]"
        entry = entry_of(value, where)
        ikt = text_of(entry, "ikt", where, pattern=IKT)
        series = text_of(entry, "series", where, pattern=_SERIES, limit=10)
        number = text_of(entry, "number", where, pattern=_NUMBER, limit=9)
        if ikt in seen_ikt:
            raise Bad(f"{where}.ikt", _("the ИКТ appears twice"))
        if (series, number) in seen_blank:
            raise Bad(f"{where}.number", _("the blank appears twice"))
        seen_ikt.add(ikt)
        seen_blank.add((series, number))
        numbers.append({"site_code": site_code, "stream": stream, "exam_date": exam_date, "ikt": ikt,
                        "series": series, "number": number,
                        "issued_on": date_of(entry.get("issued_on"), f"{where}.issued_on")})
    spoiled: list[Row] = []
    for index, value in enumerate(list_of(payload.get("spoiled"), "spoiled")):
        where = f"spoiled[{index}]"
        entry = entry_of(value, where)
        series = text_of(entry, "series", where, pattern=_SERIES, limit=10)
        number = text_of(entry, "number", where, pattern=_NUMBER, limit=9)
        if (series, number) in seen_blank:
            raise Bad(f"{where}.number", _("the blank appears twice"))
        seen_blank.add((series, number))
        spoiled.append({"site_code": site_code, "stream": stream, "series": series, "number": number,
                        "reason": text_of(entry, "reason", where, limit=300),
                        "ikt": text_of(entry, "ikt", where, pattern=IKT, optional=True)})
    packs: list[Row] = []
    ranges: dict[str, list[tuple[int, int]]] = {}
    for index, value in enumerate(list_of(payload.get("packs"), "packs")):
        where = f"packs[{index}]"
        entry = entry_of(value, where)
        series = text_of(entry, "series", where, pattern=_SERIES, limit=10)
        first = text_of(entry, "first", where, pattern=_NUMBER, limit=9)
        last = text_of(entry, "last", where, pattern=_NUMBER, limit=9)
        count = entry.get("count")
        if isinstance(count, bool) or not isinstance(count, int) or count != int(last) - int(first) + 1 or count < 1:
            raise Bad(f"{where}.count", _("does not match the pack's first and last numbers"))
        packs.append({"site_code": site_code, "stream": stream, "series": series, "first": first, "last": last,
                      "count": count})
        ranges.setdefault(series, []).append((int(first), int(last)))
    for series, number in sorted(seen_blank):
        if not any(first <= int(number) <= last for first, last in ranges.get(series, ())):
            raise Bad("packs", _("blank {blank} is in no pack").format(blank=f"{series} {number}"))
    return numbers, spoiled, packs


@dataclass(frozen=True)
class ListedCertificate:
    site_code: str
    stream: int
    ikt: str
    series: str
    number: str
    issued_on: str


def certificates(session: Session, site_code: str | None, stream: int | None) -> list[ListedCertificate]:
    query = select(CertificateNumber).order_by(CertificateNumber.site_code, CertificateNumber.stream,
                                               CertificateNumber.series, CertificateNumber.number)
    if site_code is not None:
        query = query.where(CertificateNumber.site_code == site_code)
    if stream is not None:
        query = query.where(CertificateNumber.stream == stream)
    return [ListedCertificate(row.site_code, row.stream, row.ikt, row.series, row.number, row.issued_on.isoformat())
            for row in session.scalars(query)]


def spoiled_blanks(session: Session, site_code: str | None, stream: int | None) -> list[SpoiledBlank]:
    """The spoiled blanks, each once: a blank spoiled clean (no ИКТ) comes in every stream's package; the row that
    names whom it was printed for wins, then the latest stream's."""
    query = select(SpoiledBlank).order_by(SpoiledBlank.site_code, SpoiledBlank.series, SpoiledBlank.number,
                                          SpoiledBlank.ikt.is_(None), SpoiledBlank.stream.desc())
    if site_code is not None:
        query = query.where(SpoiledBlank.site_code == site_code)
    if stream is not None:
        query = query.where(SpoiledBlank.stream == stream)
    once: dict[tuple[str, str, str], SpoiledBlank] = {}
    for row in session.scalars(query):
        once.setdefault((row.site_code, row.series, row.number), row)
    return list(once.values())
