"""Printing a control set (п. 52.4–52.5): the sheets into ``printed/`` as one PDF, the key beside
it, the set and its key in the database — one transaction.

The sheets are printed from the test specification НЦТ sent for this exam (the newest
``test-specification`` package taken), or from a specification file the operator names; without
either, from the specification shipped with the suite (the 2018 ЕНТ), which the demo uses.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from arm_scanner_check.control_set import MAX_SET_NUMBER, ControlSet, build_control_set, spec_from_json
from common.db.scanner_models import ControlSetRow
from common.errors import Refused
from common.exchange.outbox import write_after_commit
from common.i18n import _
from common.reports import BuiltForm, save_printed
from common.testspec import TestSpecification, load_spec
from common.workstation import DataFolder

FORM_KEY = "control-set"


@dataclass(frozen=True)
class PrintedSet:
    number: int
    sheets: int
    spec_code: str
    spec_source: str
    path: str
    key_path: str


def specification_for_set(session: Session, spec_file: Path | None) -> tuple[TestSpecification, str]:
    """The specification to print from and where it came from (for the operator)."""
    if spec_file is not None:
        return load_spec(spec_file), spec_file.name
    from common.exchange.store import latest_payload

    kept = latest_payload(session, "test-specification")
    if kept is not None:
        data = kept.payload.get("specification", kept.payload)
        return load_spec(data), _("from NTC")
    return spec_from_json(None), _("shipped with the suite")


def print_set(session: Session, folder: DataFolder, *, actor: str, spec_file: Path | None = None) -> PrintedSet:
    """Make the next control set: sheets PDF and key in ``printed/``, the set in the database."""
    spec, source = specification_for_set(session, spec_file)
    number = (session.scalar(select(func.max(ControlSetRow.number))) or 0) + 1
    if number > MAX_SET_NUMBER:
        raise Refused(_("This workstation has printed {count} control sets, the most it can number.").format(
            count=MAX_SET_NUMBER))  # fmt: skip
    control_set = build_control_set(number, spec)
    key = control_set.key_json()
    session.add(ControlSetRow(number=number, printed_by=actor, spec_code=spec.code, exam_year=spec.exam_year,
                              spec_json=spec.to_json(), key=key))  # fmt: skip
    session.flush()
    built = BuiltForm(sheets_pdf(control_set), len(control_set.sheets), "", _("Control set {number}").format(
        number=number))  # fmt: skip
    printed = save_printed(folder, FORM_KEY, built, session=session, actor=actor, suffix=f"{number:03d}")
    key_path = printed.path.with_suffix(".key.json")
    # beside its sheets, under its name only once the set is committed (a killed print leaves no key of no set)
    write_after_commit(session, key_path, (json.dumps(key, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    return PrintedSet(number, len(control_set.sheets), spec.code, source, str(printed.path), str(key_path))


def sheets_pdf(control_set: ControlSet) -> bytes:
    """Every sheet of the set, one page each, in set order."""
    import pypdfium2 as pdfium

    from forms.render import pdf_bytes

    layout = control_set.layout
    merged = pdfium.PdfDocument.new()
    try:
        for sheet in control_set.sheets:
            page = pdfium.PdfDocument(pdf_bytes(layout, number=sheet.number, marks=sheet.fills))
            try:
                merged.import_pages(page)
            finally:
                page.close()
        buffer = io.BytesIO()
        merged.save(buffer)
        return buffer.getvalue()
    finally:
        merged.close()


@dataclass(frozen=True)
class SetEntry:
    """A printed control set as the window and ``sets`` list it."""

    number: int
    spec_code: str
    printed_at: datetime
    printed_by: str
    sheets: int


def list_sets(session: Session) -> list[SetEntry]:
    """Every control set printed on this workstation, oldest first."""
    rows = session.scalars(select(ControlSetRow).order_by(ControlSetRow.number))
    return [SetEntry(row.number, row.spec_code, row.printed_at, row.printed_by,
                     len(row.key.get("sheets", []))) for row in rows]  # fmt: skip


def set_line(entry: SetEntry) -> str:
    """One printed set in a line, as the window lists it too."""
    return _("Set {number}: specification {spec}, {sheets} sheets, printed {date} by {operator}").format(
        number=f"{entry.number:03d}", spec=entry.spec_code, sheets=entry.sheets,
        date=f"{entry.printed_at.astimezone():%d.%m.%Y %H:%M}", operator=entry.printed_by)  # fmt: skip


def load_set(session: Session, number: int | None = None) -> tuple[ControlSetRow, ControlSet]:
    """The set ``number`` (default: the newest), rebuilt from its specification; ``Refused`` when
    none was printed."""
    query = select(ControlSetRow).order_by(ControlSetRow.number.desc())
    if number is not None:
        query = select(ControlSetRow).where(ControlSetRow.number == number)
    row = session.scalars(query).first()
    if row is None:
        if number is None:
            raise Refused(_("No control set is printed yet: print one first (ent-scanner-check print-set)."))
        raise Refused(_("There is no control set {number}.").format(number=number))
    control_set = build_control_set(row.number, spec_from_json(row.spec_json))
    if control_set.key_json()["sheets"] != row.key["sheets"]:
        raise Refused(_("Control set {number} no longer matches its key: print a new set.").format(number=row.number))
    return row, control_set
