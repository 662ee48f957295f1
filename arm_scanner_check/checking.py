"""Running a check and keeping it (п. 52.5): scan the control set through the chosen driver, judge
it (:mod:`arm_scanner_check.check`), keep the page images under ``scans/`` and the check in the
database with its audit entry — the record in one transaction, after the scanning.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import cv2
from sqlalchemy import select
from sqlalchemy.orm import Session

from arm_scanner_check.check import CheckOutcome, Finding, Progress, check_pages
from arm_scanner_check.control_set import ControlSet
from arm_scanner_check.scanners import ScannerChoice, open_driver, validate
from common.db.rollback import remove_on_rollback
from common.db.scanner_models import ControlSetRow, ScannerCheckRow
from common.errors import Refused
from common.files import atomic_write_bytes
from common.i18n import _
from common.security.audit import AuditLog
from common.workstation import DataFolder

SCANS_FOLDER = "scanner-check"


@dataclass(frozen=True)
class CheckSummary:
    """A stored check as commands and windows show it."""

    id: int
    set_number: int
    checked_at: datetime
    scanner_model: str
    scanner_serial: str
    driver: str
    settings: dict[str, Any]
    fit: bool
    findings: tuple[str, ...]
    figures: dict[str, Any]
    scans_folder: str


def scan_control_set(control_set: ControlSet, choice: ScannerChoice, progress: Progress | None = None) -> CheckOutcome:
    """Scan the set through ``choice``'s driver and judge every page (nothing is written)."""
    validate(choice)
    driver = open_driver(choice, control_set)
    return check_pages(control_set, driver.acquire(), progress)


def record_check(
    session: Session,
    folder: DataFolder,
    set_row: ControlSetRow,
    choice: ScannerChoice,
    outcome: CheckOutcome,
    *,
    actor: str,
) -> CheckSummary:
    """Keep the pages under ``scans/scanner-check/<moment>/`` and the check in the database."""
    moment = datetime.now().astimezone()
    scans = folder.scans / SCANS_FOLDER / moment.strftime("%Y%m%d-%H%M%S-%f")
    remove_on_rollback(session, scans)  # the files go if the record is rolled back
    pages = []
    for read in outcome.pages:
        name = f"page-{read.outcome['page']:03d}.png"
        ok, encoded = cv2.imencode(".png", read.page.image)
        if not ok:
            raise Refused(_("A scanned page could not be kept as PNG."))
        atomic_write_bytes(scans / name, encoded.tobytes())
        pages.append({**read.outcome, "image": name})
    row = ScannerCheckRow(
        control_set_id=set_row.id,
        checked_at=moment,
        checked_by=actor,
        scanner_model=choice.model_name,
        scanner_serial=choice.serial,
        driver=choice.driver,
        settings=choice.settings(),
        fit=outcome.fit,
        findings=[finding.to_json() for finding in outcome.findings],
        figures=outcome.figures,
        pages=pages,
        scans_folder=str(scans.relative_to(folder.root)),
    )
    session.add(row)
    session.flush()
    AuditLog(folder.audit_log).record(
        session, actor=actor, action="scanner.check", target=f"check-{row.id}",
        details={"set": set_row.number, "model": row.scanner_model, "serial": row.scanner_serial,
                 "driver": row.driver, "fit": row.fit, "findings": [item["code"] for item in row.findings]},
    )  # fmt: skip
    return summary(row, set_row.number)


def verdict_line(check: CheckSummary) -> str:
    """The check's verdict in a line, as the command and the window say it."""
    if check.fit:
        return _("Check {number}: the scanner {model} is FIT.").format(number=check.id, model=check.scanner_model)
    return _("Check {number}: the scanner {model} is NOT FIT:").format(number=check.id, model=check.scanner_model)


def summary(row: ScannerCheckRow, set_number: int) -> CheckSummary:
    return CheckSummary(
        id=row.id,
        set_number=set_number,
        checked_at=row.checked_at,
        scanner_model=row.scanner_model,
        scanner_serial=row.scanner_serial,
        driver=row.driver,
        settings=dict(row.settings),
        fit=row.fit,
        findings=tuple(Finding.from_json(item).message() for item in row.findings),
        figures=dict(row.figures),
        scans_folder=row.scans_folder,
    )


def load_check(session: Session, check_id: int | None = None) -> tuple[ScannerCheckRow, ControlSetRow]:
    """The check ``check_id`` (default: the newest) and its set; ``Refused`` when there is none."""
    query = select(ScannerCheckRow).order_by(ScannerCheckRow.id.desc())
    if check_id is not None:
        query = select(ScannerCheckRow).where(ScannerCheckRow.id == check_id)
    row = session.scalars(query).first()
    if row is None:
        if check_id is None:
            raise Refused(_("No scanner has been checked yet: scan the control set first (ent-scanner-check check)."))
        raise Refused(_("There is no check number {number}.").format(number=check_id))
    set_row = session.get(ControlSetRow, row.control_set_id)
    assert set_row is not None
    return row, set_row


def list_checks(session: Session) -> list[CheckSummary]:
    rows = session.execute(
        select(ScannerCheckRow, ControlSetRow.number)
        .join(ControlSetRow, ControlSetRow.id == ScannerCheckRow.control_set_id)
        .order_by(ScannerCheckRow.id)
    ).all()
    return [summary(row, number) for row, number in rows]
