"""What АРМ «Сертификат»'s window does that is more than one service call: each a step of one transaction, the
same rules as the commands (``signing-key install|show``, ``calibrate``, ``print certificates``, ``print register``,
``print act``) — the window keeps every print in the folder's ``printed/`` and audits it, as ``print register`` does.
"""

from __future__ import annotations

import io
import math
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.errors import Refused
from common.i18n import _
from common.reports import BuiltForm, PrintedForm
from common.security.audit import AuditLog
from common.workstation import DataFolder

CERTIFICATES_KEY: Final = "certificates"
TEST_PAGE_KEY: Final = "printer-test-page"
MOST_PRINTER_NAME: Final = 200


def stream_numbers(session: Session) -> list[int]:
    """The streams whose certificate file is taken, in order."""
    from common.db.certificate_models import CertificateStream

    return list(session.scalars(select(CertificateStream.stream_number).order_by(CertificateStream.stream_number)))


# --- the packs --------------------------------------------------------------------------------------------------


def typed_pack(series: str, first: str) -> tuple[str, int, int]:
    """``(series, first, digits)`` of a pack typed as its series and first number (``packs add --series
    --first``): the number as printed, leading zeros kept."""
    from arm_certificate.blanks import MOST_DIGITS

    first_text = first.strip()
    if not first_text.isdigit() or not first_text.isascii() or len(first_text) > MOST_DIGITS:
        raise Refused(_("The first blank's number must be 1 to {most} digits.").format(most=MOST_DIGITS))
    return series, int(first_text), len(first_text)


# --- the printer's calibration ------------------------------------------------------------------------------------


def _printer(name: str) -> str:
    printer = name.strip()
    if not printer or len(printer) > MOST_PRINTER_NAME:
        raise Refused(_("Choose the printer (a name of at most {most} characters).").format(most=MOST_PRINTER_NAME))
    return printer


def printer_offset(session: Session, printer: str) -> tuple[float, float] | None:
    """The printer's saved ``(dx, dy)`` in mm, or None when it is not calibrated."""
    from common.db.certificate_models import PrinterOffset

    row = session.scalar(select(PrinterOffset).where(PrinterOffset.printer == printer.strip()))
    return None if row is None else (row.dx_mm, row.dy_mm)


def save_offset(session: Session, printer: str, dx: float, dy: float, *, actor: str, audit: AuditLog) -> None:
    """``calibrate --printer NAME --dx --dy``: refused beyond :data:`~arm_certificate.certificate_print.
    MAX_OFFSET_MM`."""
    from arm_certificate.certificate_print import MAX_OFFSET_MM
    from common.db.certificate_models import PrinterOffset

    printer = _printer(printer)
    if not (math.isfinite(dx) and math.isfinite(dy)) or abs(dx) > MAX_OFFSET_MM or abs(dy) > MAX_OFFSET_MM:
        raise Refused(_("An offset of more than {most:g} mm is a mistake in the measuring or a printer to set up: "
                        "nothing is saved.").format(most=MAX_OFFSET_MM))
    row = session.scalar(select(PrinterOffset).where(PrinterOffset.printer == printer))
    if row is None:
        session.add(PrinterOffset(printer=printer, dx_mm=dx, dy_mm=dy, updated_by=actor[:100]))
    else:
        row.dx_mm, row.dy_mm, row.updated_by = dx, dy, actor[:100]
    audit.record(session, actor=actor, action="certificate.printer.calibrate", target=printer,
                 details={"dx_mm": dx, "dy_mm": dy})


def print_test_page(session: Session, folder: DataFolder, printer: str, language: str, *,
                    actor: str) -> PrintedForm:
    """``calibrate --test-page``: the printer's test page, kept in ``printed/``."""
    from arm_certificate.certificate_print import calibration_pdf
    from common.reports import save_printed

    printer = _printer(printer)
    buffer = io.BytesIO()
    calibration_pdf(buffer, printer, language)
    built = BuiltForm(pdf=buffer.getvalue(), pages=1, language=language, title=printer)
    return save_printed(folder, TEST_PAGE_KEY, built, session=session, actor=actor)


# --- the prints ---------------------------------------------------------------------------------------------------


def print_certificates(session: Session, folder: DataFolder, stream: int, printer: str, password: str, language: str,
                       *, actor: str, audit: AuditLog, ikt: str | None = None) -> PrintedForm:
    """``print certificates --printer [--ikt]``: the stream's issued certificates (or only ``ikt``'s, a reprint) on
    their blanks, moved by the printer's offset (refused while it is not calibrated), signed with the installed key;
    kept in ``printed/``."""
    from arm_certificate.certificate_print import certificates_pdf
    from arm_certificate.commands_print import issued_certificates
    from arm_certificate.signing_key import installed_key
    from common.reports import save_printed

    printer = _printer(printer)
    certificates = issued_certificates(session, stream, ikt)
    offset = printer_offset(session, printer)
    if offset is None:
        raise Refused(_("Printer {printer} is not calibrated: print its test page, measure and save its offset "
                        "first.").format(printer=printer))
    key = installed_key(session, folder, password)
    buffer = io.BytesIO()
    pages = certificates_pdf(buffer, certificates, key.key, dx_mm=offset[0], dy_mm=offset[1])
    built = BuiltForm(pdf=buffer.getvalue(), pages=pages, language=language, title=CERTIFICATES_KEY)
    printed = save_printed(folder, CERTIFICATES_KEY, built, session=session, actor=actor,
                           suffix=f"stream{stream}" if ikt is None else f"stream{stream}-{ikt}")
    audit.record(session, actor=actor, action="certificate.print", target=f"stream {stream}",
                 details={"pages": pages, "printer": printer, "file": printed.path.name, "ikt": ikt})
    return printed


def print_register(session: Session, folder: DataFolder, stream: int, language: str, *, actor: str) -> PrintedForm:
    """``print register``: the register of issued certificates (прил. 14), kept in ``printed/``."""
    from arm_certificate.register_prints import REGISTER_KEY, register_pdf
    from arm_certificate.registers import issue_register
    from common.reports import save_printed

    issued = issue_register(session, stream)
    return save_printed(folder, REGISTER_KEY, register_pdf(issued, language), session=session, actor=actor,
                        suffix=f"stream{issued.stream}")


def print_act(session: Session, folder: DataFolder, kind: str, language: str, *, actor: str) -> PrintedForm:
    """``print act --kind``: прил. 16 (received), 15 (handover) or 41 (returned), kept in ``printed/``."""
    from arm_certificate.register_prints import ACT_KEYS, act_pdf
    from arm_certificate.registers import blank_account, handover_lines, site_of
    from common.reports import save_printed

    site = site_of(session)
    if kind == "handover":
        built = act_pdf(kind, language, site=site, handover=handover_lines(session))
    else:
        built = act_pdf(kind, language, site=site, account=blank_account(session))
    return save_printed(folder, ACT_KEYS[kind], built, session=session, actor=actor)
