"""``ent-nct import``: every package a site sends, into НЦТ's database (п. 26–29).

The site database and the applicant file are modelled in tables (:mod:`nct_hub.site_database`,
:mod:`nct_hub.applicant_file`); every other kind a site sends (daily statistics, results, appeals,
certificate numbers, reports …) is kept whole: manifest and payload as JSON, so nothing is lost
before its issue models it.

A later package of the same kind from the same site and stream supersedes the earlier: the earlier
stays in ``received_packages`` (``current`` false) and its rows are replaced, all in the caller's
transaction. The exchange layer refuses an older package; :func:`import_payload` refuses one too,
so a direct call cannot go back in time either.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from common.errors import Refused
from common.i18n import _
from nct_hub.applicant_file import import_applicants
from nct_hub.db.import_models import (
    Applicant,
    ReceivedPackage,
    SiteRecord,
    SiteRoom,
    SiteRoomStream,
    SiteSchool,
    SiteStream,
)
from nct_hub.site_database import import_site_database

Importer = Callable[[Session, int, str, Mapping[str, Any]], dict[str, int]]

MODELLED: dict[str, tuple[Importer, tuple[Any, ...]]] = {
    "site-database": (import_site_database, (SiteRecord, SiteStream, SiteRoom, SiteRoomStream, SiteSchool)),
    "applicants": (import_applicants, (Applicant,)),
}
"""Kinds with tables: the importer and the tables its rows live in (cleared when superseded)."""


@dataclass(frozen=True)
class PackageInfo:
    """What an import needs to know of a package (from ``common.exchange.manifest.Manifest``)."""

    kind: str
    site_code: str
    stream: int | None
    sequence: int
    sender: str
    package_id: str
    created_at: datetime | None = None
    manifest: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_manifest(cls, manifest: Any, package_id: str) -> PackageInfo:
        """From an exchange ``Manifest`` (attributes) or the manifest's JSON dict (keys)."""
        if isinstance(manifest, Mapping):
            data = dict(manifest)
            created = data.get("created_at")
            created_at = datetime.fromisoformat(str(created).replace("Z", "+00:00")) if created else None
        else:
            data = _manifest_dict(manifest)
            created_at = manifest.created_at
        site_code = data.get("site_code")
        if not site_code:
            raise Refused(_("The package names no site; НЦТ imports only what sites send."))
        return cls(
            kind=str(data["kind"]), site_code=str(site_code), stream=data.get("stream"),
            sequence=int(data["sequence"]), sender=str(data["sender"]), package_id=package_id,
            created_at=created_at, manifest=data,
        )


def _manifest_dict(manifest: Any) -> dict[str, Any]:
    to_json = getattr(manifest, "to_json", None)
    if callable(to_json):
        import json

        result: dict[str, Any] = json.loads(to_json())
        return result
    raise TypeError("not a manifest")


@dataclass(frozen=True)
class ImportResult:
    """What happened to one package."""

    kind: str
    site_code: str
    stream: int | None
    sequence: int
    imported: bool
    """False when this very package was imported before (a no-op)."""
    superseded_sequence: int | None
    counts: dict[str, int]
    received_id: int


def importable_kinds() -> tuple[str, ...]:
    """Every registered kind that travels from a site to НЦТ."""
    from common.exchange.kinds import known_kinds

    return tuple(
        kind.name for kind in known_kinds() if "nct" in kind.recipients and "nct" not in kind.senders
    )


def import_payload(
    session: Session, manifest: Any, payload: Mapping[str, Any], *, package_id: str, operator: str = "",
) -> ImportResult:
    """Import one opened package into НЦТ's database (the caller commits or rolls back).

    ``manifest`` is the exchange ``Manifest`` (or its JSON dict); ``package_id`` the package's
    hash from ``OpenedPackage.package_id``.
    """
    info = PackageInfo.from_manifest(manifest, package_id)
    if info.kind not in importable_kinds():
        raise Refused(_("НЦТ does not import packages of kind {kind}.").format(kind=info.kind))
    again = session.scalar(select(ReceivedPackage).where(ReceivedPackage.package_id == info.package_id))
    if again is not None:
        return ImportResult(
            info.kind, info.site_code, info.stream, info.sequence, False, None, dict(again.summary), again.id
        )
    previous = session.scalar(select(ReceivedPackage).where(
        ReceivedPackage.site_code == info.site_code, ReceivedPackage.kind == info.kind,
        _same_stream(info.stream), ReceivedPackage.current.is_(True),
    ))
    if previous is not None and _is_older(info, previous):
        raise Refused(_("Superseded: package number {number} is older than number {last} of the same kind "
                        "already imported from {sender}.").format(
                            number=info.sequence, last=previous.sequence, sender=previous.sender))
    modelled = MODELLED.get(info.kind)
    received = ReceivedPackage(
        site_code=info.site_code, kind=info.kind, stream=info.stream, sequence=info.sequence,
        sender=info.sender, created_at=info.created_at, package_id=info.package_id,
        accepted_at=datetime.now(UTC), imported_by=operator, current=True, manifest=info.manifest,
        payload=None if modelled else dict(payload), summary={},
    )
    if previous is not None:
        previous.current = False
        if modelled:
            for model in modelled[1]:
                session.execute(delete(model).where(model.received_id == previous.id))
    session.add(received)
    session.flush()
    if modelled:
        counts = modelled[0](session, received.id, info.site_code, payload)
    else:
        counts = _generic_counts(payload)
    session.execute(update(ReceivedPackage).where(ReceivedPackage.id == received.id).values(summary=counts))
    return ImportResult(info.kind, info.site_code, info.stream, info.sequence, True,
                        previous.sequence if previous is not None else None, counts, received.id)


def _is_older(info: PackageInfo, previous: ReceivedPackage) -> bool:
    """Sequence numbers compare within one sender; across senders the creation time decides."""
    if previous.sender == info.sender:
        return previous.sequence >= info.sequence
    if info.created_at is None or previous.created_at is None:
        return False
    return _aware(previous.created_at) > _aware(info.created_at)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _same_stream(stream: int | None) -> Any:
    return ReceivedPackage.stream.is_(None) if stream is None else ReceivedPackage.stream == stream


def _generic_counts(payload: Mapping[str, Any]) -> dict[str, int]:
    """For a kind kept whole: the number of entries in each list of the payload, to show in reports."""
    counts: dict[str, int] = {}
    for key, value in payload.items():
        if isinstance(value, list):
            counts[key] = len(value)
        elif isinstance(value, Mapping) and isinstance(value.get("rows"), list):
            counts[key] = len(value["rows"])
    return counts
