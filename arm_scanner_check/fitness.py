"""Is this scanner's last check fit? — what the exam-day scanning asks (п. 52.5, 42.5).

A site may not scan the exam on a scanner whose last check is «not fit» (or that was never
checked). The scanner is named by its model and serial number as recorded with the check.
:func:`require_fit` asks a session of the scanner-check workstation's database;
:func:`require_fit_in_folder` opens that workstation's folder read-only (the programmer's
workstation, on the same site, points at it).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from arm_scanner_check.checking import CheckSummary, summary
from common.db.scanner_models import ControlSetRow, ScannerCheckRow
from common.errors import Refused
from common.i18n import _


def last_check(session: Session, model: str, serial: str = "") -> CheckSummary | None:
    """The newest check of the scanner ``model`` / ``serial``, or None when it was never checked."""
    row = session.execute(
        select(ScannerCheckRow, ControlSetRow.number)
        .join(ControlSetRow, ControlSetRow.id == ScannerCheckRow.control_set_id)
        .where(ScannerCheckRow.scanner_model == model, ScannerCheckRow.scanner_serial == serial)
        .order_by(ScannerCheckRow.checked_at.desc(), ScannerCheckRow.id.desc())
    ).first()
    return None if row is None else summary(row[0], row[1])


def require_fit(session: Session, model: str, serial: str = "") -> CheckSummary:
    """The scanner's last check when it is fit; ``Refused`` with the reason otherwise."""
    check = last_check(session, model, serial)
    name = f"{model} {serial}".strip()
    if check is None:
        raise Refused(_("The scanner {scanner} has not been checked: check it with the control set first.").format(
            scanner=name))  # fmt: skip
    if not check.fit:
        raise Refused(_("The scanner {scanner} was found not fit on {date}: fix it and check it again ({reason}).")
                      .format(scanner=name, date=f"{check.checked_at.astimezone():%d.%m.%Y}",
                              reason=check.findings[0] if check.findings else "—"))  # fmt: skip
    return check


def require_fit_in_folder(folder: Path, model: str, serial: str = "") -> CheckSummary:
    """:func:`require_fit` on the scanner-check workstation folder ``folder`` (opened read-only)."""
    from common.db.engine import open_engine, transaction
    from common.db.opening import check_folder
    from common.workstation import SCANNER_CHECK, DataFolder

    data = DataFolder(folder)
    check_folder(data.database, SCANNER_CHECK.code)
    engine = open_engine(data.database, read_only=True)
    try:
        with transaction(engine, read_only=True) as session:
            return require_fit(session, model, serial)
    finally:
        engine.dispose()
