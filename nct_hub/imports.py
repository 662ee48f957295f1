"""``ent-nct import``: every package a site sends, into НЦТ's database (п. 26–29).

The site database, the applicant file and the scanner checks are modelled in tables
(:mod:`nct_hub.site_database`, :mod:`nct_hub.applicant_file`, :mod:`nct_hub.scanner_checks`); every
other kind a site sends (daily statistics, reports …) is kept
whole: manifest and payload as JSON, so nothing is lost before its issue models it.

A later package of the same kind from the same site and stream supersedes the earlier: the earlier
stays in ``received_packages`` (``current`` false) and its rows are replaced, all in the caller's
transaction. The exchange layer refuses an older package; :func:`import_payload` refuses one too,
so a direct call cannot go back in time either. Daily statistics come from two workstations in two
shapes (applications, п. 12; the programmer, п. 53.6): each sender's supersede only its own
(:data:`PER_SENDER`), and the programmer's are checked before they are kept (:data:`CHECKED`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from common.errors import Refused
from common.exchange.kinds import known_kinds
from common.exchange.ledger import DbLedger, stream_key
from common.exchange.manifest import Manifest
from common.exchange.package import OpenedPackage, open_package, read_package_file
from common.exchange.refusals import AlreadyTaken
from common.i18n import _
from common.security.keys import Identity, TrustStore
from nct_hub.appeals import import_appeals
from nct_hub.applicant_file import import_applicants
from nct_hub.audit_heads import record_received_head
from nct_hub.certificate_numbers import import_certificate_numbers
from nct_hub.daily_statistics import check_programmer_statistics
from nct_hub.db.appeal_models import FinalExamResult
from nct_hub.db.certificate_models import CertificateNumber, ReceivedBlankPack, SpoiledBlank
from nct_hub.db.import_models import (
    Applicant,
    ReceivedAttachment,
    ReceivedPackage,
    SiteRecord,
    SiteRoom,
    SiteRoomStream,
    SiteSchool,
    SiteStream,
)
from nct_hub.db.results_models import ExamResult
from nct_hub.db.scanner_models import ScannerCheckRecord
from nct_hub.final_results import import_final_results
from nct_hub.results import import_results
from nct_hub.scanner_checks import import_scanner_checks
from nct_hub.site_database import import_site_database

Importer = Callable[[Session, int, str, Mapping[str, Any]], dict[str, int]]

MODELLED: dict[str, tuple[Importer, tuple[Any, ...]]] = {
    "site-database": (import_site_database, (SiteRecord, SiteStream, SiteRoom, SiteRoomStream, SiteSchool)),
    "applicants": (import_applicants, (Applicant,)),
    "scanner-check": (import_scanner_checks, (ScannerCheckRecord,)),
    "results": (import_results, (ExamResult,)),
    "appeals": (import_appeals, ()),
    "final-results": (import_final_results, (FinalExamResult,)),
    "certificate-numbers": (import_certificate_numbers, (CertificateNumber, SpoiledBlank, ReceivedBlankPack)),
}
"""Kinds with tables: the importer and the tables its rows live in (cleared when superseded; the
``appeals`` importer replaces its own rows, since a decided task stays, п. 205)."""

CHECKED: dict[tuple[str, str], Callable[[str, Mapping[str, Any]], None]] = {
    ("daily-statistics", "programmer"): check_programmer_statistics,
}
"""Kinds kept whole whose payload is still checked, by (kind, sender's role): the check refuses."""

PER_SENDER: frozenset[str] = frozenset({"daily-statistics"})
"""Kinds two workstations of a site send in different shapes: a package supersedes only its sender's."""


@dataclass(frozen=True)
class ImportResult:
    """What happened to one package."""

    kind: str
    site_code: str
    stream: int | None
    sequence: int
    imported: bool
    """False when this very package was imported before (a no-op that says so)."""
    superseded_sequence: int | None
    counts: dict[str, int]
    message: str = ""
    head_verdict: str | None = None
    """What the sender's audit head was to the heads received before (:mod:`nct_hub.audit_heads`)."""
    warning: str | None = None
    """One translated line the operator must see (an audit head that went backwards), or ``None``."""


def importable_kinds() -> tuple[str, ...]:
    """Every registered kind that travels from a site to НЦТ."""
    return tuple(
        kind.name for kind in known_kinds() if "nct" in kind.recipients and "nct" not in kind.senders
    )


def ledger(session: Session) -> DbLedger:
    """НЦТ's sequence ledger: the ``received_packages`` table, in ``session``."""
    return DbLedger(session, ReceivedPackage)


def import_file(
    session: Session, path: Path, me: Identity, trust: TrustStore, operator: str = ""
) -> ImportResult:
    """Open, check and import one ``.entpkg`` file (the caller commits or rolls back)."""
    data = read_package_file(Path(path))
    try:
        opened = open_package(data, me, trust, ledger(session))
    except AlreadyTaken as again:
        return ImportResult("", "", None, 0, False, None, {}, again.message)
    result = import_opened(session, opened, operator=operator)
    if not result.imported:
        return result
    verdict = record_received_head(session, opened)
    if verdict is None:
        return result
    return replace(result, head_verdict=verdict.verdict, warning=verdict.warning)


def import_opened(session: Session, opened: OpenedPackage, *, operator: str = "") -> ImportResult:
    """Import a package that ``open_package`` checked."""
    return import_payload(session, opened.manifest, opened.payload, package_id=opened.package_id,
                          operator=operator, attachments=opened.attachments)


def import_payload(
    session: Session, manifest: Manifest, payload: Mapping[str, Any], *, package_id: str,
    operator: str = "", attachments: Mapping[str, bytes] | None = None,
) -> ImportResult:
    """Import one opened package into НЦТ's database and record it in the ledger.

    The caller commits or rolls back; on a refusal nothing of the package may be kept.
    """
    site_code, stream = manifest.site_code, manifest.stream
    if manifest.kind not in importable_kinds():
        raise Refused(_("НЦТ does not import packages of kind {kind}.").format(kind=manifest.kind))
    if not site_code:
        raise Refused(_("The package names no site; НЦТ imports only what sites send."))
    book = ledger(session)
    taken = book.taken_at(package_id)
    if taken is not None:
        message = _("This package (number {number}) was already imported on {date}; nothing to do.").format(
            number=manifest.sequence, date=_aware(taken).strftime("%Y-%m-%d %H:%M UTC"))
        return ImportResult(manifest.kind, site_code, stream, manifest.sequence, False, None, {}, message)
    same = [ReceivedPackage.site_code == site_code, ReceivedPackage.kind == manifest.kind,
            ReceivedPackage.stream_key == stream_key(stream), ReceivedPackage.current.is_(True)]
    if manifest.kind in PER_SENDER:
        same.append(ReceivedPackage.sender == str(manifest.sender))
    previous = session.scalar(select(ReceivedPackage).where(*same))
    if previous is not None and _is_older(manifest, previous):
        message = _("Superseded: package number {number} is older than number {last} of the same kind "
                    "already imported from {sender}.")
        last, sender = previous.sequence, previous.sender
        raise Refused(message.format(number=manifest.sequence, last=last, sender=sender))
    check = CHECKED.get((manifest.kind, manifest.sender.role))
    if check is not None:
        check(site_code, payload)
    modelled = MODELLED.get(manifest.kind)
    row = book.record(
        manifest, package_id, imported_by=operator, current=True,
        manifest_json=json.loads(manifest.to_json()), payload=None if modelled else dict(payload), summary={},
    )
    assert isinstance(row, ReceivedPackage)
    if previous is not None:
        previous.current = False
        for model in modelled[1] if modelled else ():
            session.execute(delete(model).where(model.received_id == previous.id))
    for name, data in sorted((attachments or {}).items()):  # first: an importer may check the names
        session.add(ReceivedAttachment(received_id=row.id, name=name, data=data))
    session.flush()
    counts = modelled[0](session, row.id, site_code, payload) if modelled else _generic_counts(payload)
    row.summary = counts
    session.flush()
    return ImportResult(manifest.kind, site_code, stream, manifest.sequence, True,
                        previous.sequence if previous is not None else None, counts)


def _is_older(manifest: Manifest, previous: ReceivedPackage) -> bool:
    """Sequence numbers compare within one sender; across senders the creation time decides."""
    if previous.sender == str(manifest.sender):
        return previous.sequence >= manifest.sequence
    return _aware(previous.created_at) > _aware(manifest.created_at)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _generic_counts(payload: Mapping[str, Any]) -> dict[str, int]:
    """For a kind kept whole: the number of entries in each list of the payload, to show in reports."""
    counts: dict[str, int] = {}
    for key, value in payload.items():
        if isinstance(value, list):
            counts[key] = len(value)
        elif isinstance(value, Mapping) and isinstance(value.get("rows"), list):
            counts[key] = len(value["rows"])
    return counts
