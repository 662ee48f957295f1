"""What АРМ «Сертификат»'s window does that is more than one service call: each a step of one transaction, the
same rules as the commands (``signing-key install|show``, ``calibrate``, ``print certificates``, ``print register``,
``print act``) — the window keeps every print in the folder's ``printed/`` and audits it, as ``print register`` does.
"""

from __future__ import annotations

from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.errors import Refused
from common.i18n import _
from common.reports import PrintedForm
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


# --- the registers ------------------------------------------------------------------------------------------


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
