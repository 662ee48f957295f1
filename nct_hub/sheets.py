"""Paper that carries secrets: the enrolment password sheet and the three answer-code slips.

Each is one A4 page in Kazakh and Russian (DejaVu Sans, :mod:`common.reports.fonts`), made in
memory and written only where the operator says: these PDFs hold a password, so they are not
kept in the archive of printed forms. The audit log records that a sheet was made, never its text.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from common.i18n import N_, tr
from common.reports.fonts import register_fonts

LANGUAGES = ("kk", "ru")
MARGIN = 20 * mm


@dataclass(frozen=True)
class Line:
    """A labelled value; ``label`` is a message id, ``value`` is the same in both languages unless
    ``translate`` (then it is a message id too)."""

    label: str
    value: str
    translate: bool = False


def _page(title: str, lines: Sequence[Line], secret_label: str, secret: str, notes: Sequence[str]) -> bytes:
    regular, bold = register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    canvas.setTitle(" / ".join(tr(language, title) for language in LANGUAGES))
    width, height = A4
    y = height - MARGIN
    for language in LANGUAGES:
        canvas.setFont(bold, 15)
        canvas.drawString(MARGIN, y, tr(language, title))
        y -= 7 * mm
    y -= 4 * mm
    for line in lines:
        label = " / ".join(tr(language, line.label) for language in LANGUAGES)
        canvas.setFont(regular, 8.5)
        labels = [label] if stringWidth(label, regular, 8.5) <= width - 2 * MARGIN else [
            tr(language, line.label) for language in LANGUAGES]
        for text in labels:
            canvas.drawString(MARGIN, y, text)
            y -= 4.2 * mm
        y -= 0.8 * mm
        canvas.setFont(bold, 11)
        if line.translate:
            for language in LANGUAGES:
                canvas.drawString(MARGIN + 4 * mm, y, tr(language, line.value))
                y -= 5 * mm
        else:
            canvas.drawString(MARGIN + 4 * mm, y, line.value)
            y -= 5 * mm
        y -= 2.5 * mm
    y -= 4 * mm
    box_height = 28 * mm
    canvas.setLineWidth(1.2)
    canvas.rect(MARGIN, y - box_height, width - 2 * MARGIN, box_height)
    canvas.setFont(regular, 9)
    canvas.drawString(MARGIN + 4 * mm, y - 6 * mm, " / ".join(tr(language, secret_label) for language in LANGUAGES))
    canvas.setFont(bold, 26)
    canvas.drawCentredString(width / 2, y - 20 * mm, secret)
    y -= box_height + 8 * mm
    for note in notes:
        for language in LANGUAGES:
            y = _wrapped(canvas, tr(language, note), MARGIN, y, width - 2 * MARGIN, regular, 9)
            y -= 2 * mm
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _wrapped(canvas: Canvas, text: str, x: float, y: float, width: float, font: str, size: float) -> float:
    canvas.setFont(font, size)
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if stringWidth(candidate, font, size) > width and line:
            canvas.drawString(x, y, line)
            y -= size * 1.4
            line = word
        else:
            line = candidate
    if line:
        canvas.drawString(x, y, line)
        y -= size * 1.4
    return y


@dataclass(frozen=True)
class EnrolmentSheet:
    site_code: str
    site_name_kk: str
    site_name_ru: str
    workstation_title: str
    address: str
    holder: str
    password: str
    root_fingerprint: str
    package_name: str
    issued_at: datetime


def enrolment_sheet_pdf(sheet: EnrolmentSheet) -> bytes:
    """The password sheet that goes with one workstation's enrolment package (п. 24.4, 52.2)."""
    lines = [
        Line(N_("Site"), f"{sheet.site_code} — {sheet.site_name_kk} / {sheet.site_name_ru}"),
        Line(N_("Workstation"), sheet.workstation_title, translate=True),
        Line(N_("Address in the exchange"), sheet.address),
        Line(N_("Handed to"), sheet.holder, translate=True),
        Line(N_("Enrolment package"), sheet.package_name),
        Line(N_("НЦТ root fingerprint (compare at enrolment)"), sheet.root_fingerprint),
        Line(N_("Issued"), f"{sheet.issued_at:%Y-%m-%d %H:%M}"),
    ]
    notes = [
        N_("This password opens the workstation's key. Type it at enrolment and at every login. "
           "Keep this sheet apart from the enrolment package and never send them together."),
    ]
    return _page(N_("Workstation password sheet"), lines, N_("Password"), sheet.password, notes)


@dataclass(frozen=True)
class AnswerCodeSlip:
    site_code: str
    stream: int
    holder: str
    number: int
    password: str
    sealed_sha256: str
    issued_at: datetime


def answer_code_slip_pdf(slip: AnswerCodeSlip) -> bytes:
    """One of the three slips of a stream's answer-codes file (п. 176–178, 42.2)."""
    lines = [
        Line(N_("Site"), slip.site_code),
        Line(N_("Stream"), str(slip.stream)),
        Line(N_("Holder"), slip.holder, translate=True),
        Line(N_("Password number"), f"{slip.number} / 3"),
        Line(N_("Answer-codes file (SHA-256, first 16 digits)"), slip.sealed_sha256[:16]),
        Line(N_("Issued"), f"{slip.issued_at:%Y-%m-%d %H:%M}"),
    ]
    notes = [
        N_("The answer codes of this stream open only with all three passwords typed together after the "
           "identification of the answer sheets (п. 178). Keep this slip sealed until then and show it to no one."),
    ]
    return _page(N_("Answer codes password"), lines, N_("Password"), slip.password, notes)
