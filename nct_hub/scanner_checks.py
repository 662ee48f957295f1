"""The ``scanner-check`` packages at НЦТ (п. 42.5, 52.5): every check a site made, per scanner.

:func:`import_scanner_checks` files the package's checks (the caller has removed the rows of the
package it supersedes: the site's workstation sends its whole history each time).
:func:`last_checks` answers, per site and scanner, "is its last check fit?" — a site may not scan
the exam on a scanner whose last check is not fit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.errors import Refused
from common.i18n import _, current_language
from nct_hub.db.scanner_models import ScannerCheckRecord

PAYLOAD_FORMAT: Final = 1


def import_scanner_checks(
    session: Session, received_id: int, site_code: str, payload: Mapping[str, Any]
) -> dict[str, int]:
    """Write the site's checks; returns counts for the import summary."""
    if payload.get("format") != PAYLOAD_FORMAT:
        raise Refused(_("The scanner checks are in format {format}, which this program does not know.").format(
            format=payload.get("format")))  # fmt: skip
    if str(payload.get("site", "")) != site_code:
        raise Refused(_("The scanner checks are of site {inside}, but the package came from site {sender}.").format(
            inside=payload.get("site"), sender=site_code))  # fmt: skip
    checks = payload.get("checks")
    if not isinstance(checks, list):
        raise Refused(_("The scanner checks' section {section} is malformed.").format(section="checks"))
    fit = 0
    for index, check in enumerate(checks):
        try:
            scanner = check["scanner"]
            record = ScannerCheckRecord(
                site_code=site_code, received_id=received_id, check_number=int(check["check"]),
                checked_at=datetime.fromisoformat(str(check["checked_at"])),
                scanner_model=str(scanner["model"]), scanner_serial=str(scanner.get("serial") or ""),
                driver=str(scanner.get("driver") or ""), fit=bool(check["fit"]),
                details={key: check.get(key) for key in ("control_set", "findings", "figures", "pages")}
                | {"settings": scanner.get("settings") or {}},
            )  # fmt: skip
        except (KeyError, TypeError, ValueError):
            raise Refused(_("The scanner checks' section {section} is malformed.").format(
                section=f"checks[{index}]")) from None  # fmt: skip
        session.add(record)
        fit += record.fit
    session.flush()
    return {"checks": len(checks), "fit": fit, "not_fit": len(checks) - fit}


@dataclass(frozen=True)
class ScannerStatus:
    """A scanner of a site and its last check."""

    site_code: str
    model: str
    serial: str
    checked_at: datetime
    fit: bool
    findings: tuple[str, ...]
    checks: int


def last_checks(session: Session, site_code: str | None = None) -> list[ScannerStatus]:
    """Every scanner (of ``site_code``, or of every site) with its last check, by site and scanner."""
    query = select(ScannerCheckRecord).order_by(ScannerCheckRecord.site_code, ScannerCheckRecord.scanner_model,
                                                ScannerCheckRecord.scanner_serial, ScannerCheckRecord.checked_at,
                                                ScannerCheckRecord.check_number)  # fmt: skip
    if site_code is not None:
        query = query.where(ScannerCheckRecord.site_code == site_code)
    latest: dict[tuple[str, str, str], tuple[ScannerCheckRecord, int]] = {}
    for record in session.scalars(query):
        key = (record.site_code, record.scanner_model, record.scanner_serial)
        count = latest[key][1] + 1 if key in latest else 1
        latest[key] = (record, count)
    language = "kk" if current_language() == "kk" else "ru"
    statuses = []
    for (site, model, serial), (record, count) in latest.items():
        findings = tuple(str(item.get(language) or item.get("code")) for item in record.details.get("findings") or [])
        statuses.append(ScannerStatus(site, model, serial, record.checked_at, record.fit, findings, count))
    return statuses


def scanner_fit(session: Session, site_code: str, model: str, serial: str = "") -> bool:
    """True when the last check of the site's scanner is fit (False when it was never checked)."""
    return any(status.fit for status in last_checks(session, site_code)
               if (status.model, status.serial) == (model, serial))  # fmt: skip
