"""The ``scanner-check`` package to НЦТ (п. 42.5): every check this workstation made, with the
newest прил. 18 of each as an attachment.

The payload (format 1, ``docs/packages.md``) lists all checks, not only the last: НЦТ keeps the
newest package a site sent and files its checks per scanner (model and serial number), so the
history survives and "the last check of this scanner" is always answerable there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from arm_scanner_check.check import Finding
from arm_scanner_check.forms.report18 import FORM_KEY
from common.db.scanner_models import ControlSetRow, ScannerCheckRow
from common.errors import Refused
from common.i18n import _
from common.workstation import DataFolder

KIND: Final = "scanner-check"
PAYLOAD_FORMAT: Final = 1


@dataclass(frozen=True)
class SentChecks:
    file_name: str
    path: str
    sequence: int
    checks: int
    reports: int


def checks_payload(session: Session, site_code: str) -> dict[str, Any]:
    """The payload: the site and every check (plain JSON types only)."""
    rows = session.execute(
        select(ScannerCheckRow, ControlSetRow)
        .join(ControlSetRow, ControlSetRow.id == ScannerCheckRow.control_set_id)
        .order_by(ScannerCheckRow.id)
    ).all()
    checks = []
    for row, set_row in rows:
        findings = [Finding.from_json(item) for item in row.findings]
        checks.append({
            "check": row.id,
            "checked_at": row.checked_at.isoformat(),
            "scanner": {"model": row.scanner_model, "serial": row.scanner_serial, "driver": row.driver,
                        "settings": row.settings},
            "control_set": {"number": set_row.number, "spec_code": set_row.spec_code, "exam_year": set_row.exam_year},
            "fit": row.fit,
            "findings": [{**finding.to_json(), "ru": finding.message("ru"), "kk": finding.message("kk")}
                         for finding in findings],
            "figures": row.figures,
            "pages": [{key: page[key] for key in ("page", "sheet", "dpi", "skew_deg", "paper", "compared",
                                                  "max_error")} | {"wrong": len(page["wrong"]),
                                                                   "problems": [p[0] for p in page["problems"]]}
                      for page in row.pages],
        })  # fmt: skip
    return {"format": PAYLOAD_FORMAT, "site": site_code, "checks": checks}


def report_attachments(folder: DataFolder, check_ids: list[int]) -> dict[str, bytes]:
    """The newest printed прил. 18 of each check, by file name."""
    attachments: dict[str, bytes] = {}
    for check_id in check_ids:
        pattern = f"{FORM_KEY}_check-{check_id}_*.pdf"
        printed = sorted(folder.printed.glob(pattern), key=lambda path: path.stat().st_mtime_ns)
        if printed:
            attachments[printed[-1].name] = printed[-1].read_bytes()
    return attachments


def send_checks(session: Session, folder: DataFolder, *, password: str, actor: str) -> SentChecks:
    """Seal every check to НЦТ into ``outbox/`` (the key unlocked with ``password``)."""
    from common.exchange.addresses import NCT_ADDRESS
    from common.exchange.store import load_identity, load_trust, send_package
    from common.security.audit import AuditLog
    from common.site import current_site

    site = current_site(session)
    payload = checks_payload(session, site.code)
    if not payload["checks"]:
        raise Refused(_("Nothing to send yet: no scanner has been checked."))
    identity = load_identity(session, password)
    attachments = report_attachments(folder, [check["check"] for check in payload["checks"]])
    sent = send_package(
        session, identity=identity, trust=load_trust(session), recipient=NCT_ADDRESS, kind=KIND, payload=payload,
        outbox=folder.outbox, audit=AuditLog(folder.audit_log), actor=actor, attachments=attachments,
    )  # fmt: skip
    return SentChecks(sent.path.name, str(sent.path), sent.sequence, len(payload["checks"]), len(attachments))


