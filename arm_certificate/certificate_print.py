"""The ЕНТ certificate printed on its typographic blank (п. 6, 215–218), and the printer's calibration page.

The blank comes pre-printed by the typography (titles, the emblem, the field labels, its own series and number, the
places for the signatures and the stamp, п. 218); the program prints only the data, each in its field. Every field is
one row of :data:`LAYOUT` (mm from the blank's top-left corner, A4 portrait): a different typography run is a change
of that table and of nothing else. ``preview_blank`` draws a light outline of the pre-printed parts from
:data:`PREPRINTED`, so a person judges the fit on plain paper.

Language: the certificate is printed in Kazakh for applicants tested in Kazakh and in Russian for everyone else —
the blank is a state form in the two languages and there is no English blank, so English takers get the Russian
(the instruction says nothing; an assumption).

A printer shifts what it prints by a few millimetres: its calibration (:class:`~common.db.certificate_models.
PrinterOffset`, ``dx`` right, ``dy`` down) moves every field by that much. A field's text is never cut: it is set
smaller down to :data:`MIN_FONT_PT`, then on two lines, and a text that still does not fit is refused.

The QR (:mod:`common.security.certificate_qr`) is drawn as a bitmap of whole pixels per module, never smoothed,
:data:`~common.security.certificate_qr.PRINTED_SIZE_MM` wide.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from common.errors import Refused
from common.i18n import N_, _, tr
from common.reports.fonts import BOLD, REGULAR, register_fonts, text_width
from common.security.certificate_qr import (
    MAX_NAME_BYTES,
    PRINTED_SIZE_MM,
    CertificateData,
    SigningKey,
    payload,
    qr_matrix,
)

if TYPE_CHECKING:
    from common.reports import PrintedForm
    from common.security.audit import AuditLog
    from common.workstation import DataFolder

PAGE_MM: Final = (210.0, 297.0)
"""A4 portrait: the blank's size (the instruction gives none; the typography's run decides)."""
MIN_FONT_PT: Final = 6.0
MAX_OFFSET_MM: Final = 15.0
MOST_PRINTER_NAME: Final = 200
CERTIFICATES_KEY: Final = "certificates"
TEST_PAGE_KEY: Final = "printer-test-page"
QR_PIXELS: Final = 4
"""Image pixels a QR module is drawn with (whole pixels, never smoothed)."""
PT_MM: Final = 25.4 / 72


@dataclass(frozen=True)
class Field:
    """One printed field: its left edge ``x``, its text's baseline ``y`` (mm from the blank's top-left corner),
    width ``width`` (mm), font size ``size`` (points), bold or not, and alignment (``left``, ``center``,
    ``right``)."""

    x: float
    y: float
    width: float
    size: float
    bold: bool = False
    align: str = "left"


LAYOUT: Final[dict[str, Field]] = {
    "series_number": Field(130, 42, 60, 9, align="right"),
    "full_name": Field(20, 100, 170, 15, bold=True, align="center"),
    "ikt": Field(62, 114, 40, 11),
    "iin": Field(140, 114, 50, 11),
    "school": Field(62, 124, 128, 10),
    "language": Field(62, 134, 128, 10),
    "subject_name": Field(25, 158, 125, 10),
    "subject_points": Field(160, 158, 25, 10, bold=True, align="right"),
    "total": Field(160, 214, 25, 12, bold=True, align="right"),
    "date": Field(45, 262, 50, 10),
    "qr": Field(150, 232, PRINTED_SIZE_MM, 0),
}
"""The data fields on the blank. ``subject_name``/``subject_points`` is the first subject's row; the next rows
follow :data:`SUBJECT_STEP_MM` lower, at most :data:`MAX_SUBJECTS`. ``qr``: its top-left corner and width."""
SUBJECT_STEP_MM: Final = 9.0
MAX_SUBJECTS: Final = 6

# The pre-printed parts of the blank (for --preview-blank only): label texts at (x, baseline y) in mm.
PREPRINTED_LABELS: Final[dict[str, list[tuple[float, float, float, str]]]] = {
    "kk": [(105, 28, 16, "СЕРТИФИКАТ"), (105, 35, 9, "Ұлттық бірыңғай тестілеу нәтижелері туралы"),
           (20, 114, 8, "ТЖК:"), (118, 114, 8, "ЖСН:"), (20, 124, 8, "Мектеп:"), (20, 134, 8, "Тест тілі:"),
           (25, 148, 8, "Пән"), (160, 148, 8, "Балл"), (25, 214, 9, "Барлығы:"), (20, 262, 8, "Берілген күні:"),
           (20, 276, 8, "Мемлекеттік комиссия төрағасы ____________"),
           (20, 284, 8, "Өкіл ____________"), (120, 42, 8, "№")],
    "ru": [(105, 28, 16, "СЕРТИФИКАТ"), (105, 35, 9, "о результатах единого национального тестирования"),
           (20, 114, 8, "ИКТ:"), (118, 114, 8, "ИИН:"), (20, 124, 8, "Школа:"), (20, 134, 8, "Язык теста:"),
           (25, 148, 8, "Предмет"), (160, 148, 8, "Балл"), (25, 214, 9, "Итого:"), (20, 262, 8, "Дата выдачи:"),
           (20, 276, 8, "Председатель государственной комиссии ____________"),
           (20, 284, 8, "Представитель ____________"), (120, 42, 8, "№")],
}
EMBLEM_MM: Final = (105.0, 14.0, 8.0)
"""The state emblem's circle (centre x, y and radius) on the blank."""
STAMP_MM: Final = (150.0, 280.0, 14.0)
"""The place of the stamp (п. 218)."""

LANGUAGE_NAMES: Final[dict[str, dict[str, str]]] = {
    "kk": {"kk": "қазақ тілі", "ru": "орыс тілі", "en": "ағылшын тілі"},
    "ru": {"kk": "казахский язык", "ru": "русский язык", "en": "английский язык"},
}


def certificate_language(test_language: str) -> str:
    """Kazakh for applicants tested in Kazakh, Russian for the others (see the module's text)."""
    return "kk" if test_language == "kk" else "ru"


@cache
def _subject_names() -> dict[str, dict[str, str]]:
    """Subject names by code from the shipped test specifications (the certificate workstation keeps none)."""
    from common.testspec.validation import SHIPPED_SPECS, shipped_spec

    names: dict[str, dict[str, str]] = {}
    for spec_name in SHIPPED_SPECS:
        spec = shipped_spec(spec_name)
        for subject in spec.mandatory_subjects:
            names.setdefault(subject.code, {"kk": subject.name("kk"), "ru": subject.name("ru")})
        for choice in spec.profile_subject_choices:
            names.setdefault(choice.code, {"kk": choice.name("kk"), "ru": choice.name("ru")})
    return names


def subject_name(code: str, language: str) -> str:
    """The subject's name in ``language``; a code no shipped specification knows is printed as it is."""
    return _subject_names().get(code, {}).get(language, code)


def qr_name(surname: str, name: str, patronymic: str | None) -> str:
    """The name in the QR: the full name while it fits the QR's :data:`~common.security.certificate_qr.
    MAX_NAME_BYTES`, else the surname with the initials (a Kazakh surname, name and patronymic often run past 80
    bytes of UTF-8: «ШЫҢҒЫСХАНОВА-ӘБДІҚАДЫРОВА Мөлдіргүл Жұмабайқызы» is 91), and a surname too long even for that
    is cut, marked with «…». The certificate itself always prints the full name."""
    full = " ".join(part for part in (surname, name, patronymic) if part)
    if len(full.encode("utf-8")) <= MAX_NAME_BYTES:
        return full
    short = " ".join([surname, *(f"{part[0]}." for part in (name, patronymic) if part)])
    while len(short.encode("utf-8")) > MAX_NAME_BYTES:
        short = short[:-2] + "…"
    return short


@dataclass(frozen=True)
class Certificate:
    """What one certificate prints (the data of the applicant's issued blank)."""

    ikt: str
    iin: str | None
    full_name: str
    school: str
    test_language: str
    subjects: tuple[tuple[str, int], ...]
    """(subject code, points) in the certificate file's order."""
    total: int
    series: str
    number: str
    issued: date
    qr_name: str = ""
    """The name the QR carries (:func:`qr_name`); empty: the full name."""

    @property
    def language(self) -> str:
        return certificate_language(self.test_language)

    def qr_data(self) -> CertificateData:
        """The QR's data: subjects by their place on the certificate (1, 2, …), which a QR's digits carry."""
        return CertificateData(self.ikt, self.qr_name or self.full_name, self.series, self.number, self.issued,
                               tuple((str(place), points) for place, (_code, points) in enumerate(self.subjects, 1)),
                               self.total)


@dataclass(frozen=True)
class Placed:
    """A text as set: its lines, font size and the field."""

    lines: tuple[str, ...]
    size: float


def fit(text: str, field: Field) -> Placed:
    """``text`` set in ``field`` at its size, smaller down to :data:`MIN_FONT_PT`, then on two lines; ``Refused``
    when it still does not fit (never cut)."""
    width_pt = field.width / PT_MM
    size = field.size
    while size >= MIN_FONT_PT:
        if text_width(text, size, field.bold) <= width_pt:
            return Placed((text,), size)
        size -= 0.5
    words = text.split()
    if len(words) > 1:
        splits = [(" ".join(words[:cut]), " ".join(words[cut:])) for cut in range(1, len(words))]
        first, second = min(splits, key=lambda pair: max(text_width(part, 1, field.bold) for part in pair))
        size = field.size
        while size >= MIN_FONT_PT:
            if max(text_width(first, size, field.bold), text_width(second, size, field.bold)) <= width_pt:
                return Placed((first, second), size)
            size -= 0.5
    raise Refused(_("A text of {length} character(s) does not fit its {field} field on the certificate.").format(
        length=len(text), field=field_label(field)))


def field_label(field: Field) -> str:
    return next((name for name, known in LAYOUT.items() if known == field), "?")


def _qr_image(text: str) -> object:
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    # QR_PIXELS whole image pixels a module (≈ 220 dpi at 35 mm): a one-pixel-a-module image is smoothed when a
    # renderer enlarges it (poppler does at 200 dpi); this one is only ever reduced or enlarged a little
    modules = np.kron(qr_matrix(text), np.ones((QR_PIXELS, QR_PIXELS), dtype=bool))
    return ImageReader(Image.fromarray(np.where(modules, 0, 255).astype(np.uint8), "L").convert("1"))


class CertificateCanvas:
    """A PDF of certificate pages (or calibration pages) on reportlab's canvas, everything in mm from the top-left
    corner of the blank, moved by the printer's offset."""

    def __init__(self, out: Path | io.BytesIO, dx_mm: float = 0.0, dy_mm: float = 0.0) -> None:
        from reportlab.lib.units import mm
        from reportlab.pdfgen.canvas import Canvas

        register_fonts()
        self.mm = mm
        self.dx, self.dy = dx_mm, dy_mm
        self.canvas = Canvas(out if isinstance(out, io.BytesIO) else str(out),
                             pagesize=(PAGE_MM[0] * mm, PAGE_MM[1] * mm), pageCompression=1)
        self.canvas.setCreator("ent-arm")

    def point(self, x: float, y: float) -> tuple[float, float]:
        return (x + self.dx) * self.mm, (PAGE_MM[1] - y - self.dy) * self.mm

    def text(self, x: float, y: float, size: float, text: str, *, bold: bool = False, align: str = "left",
             width: float = 0.0) -> None:
        self.canvas.setFont(BOLD if bold else REGULAR, size)
        if align == "center":
            self.canvas.drawCentredString(*self.point(x + width / 2, y), text)
        elif align == "right":
            self.canvas.drawRightString(*self.point(x + width, y), text)
        else:
            self.canvas.drawString(*self.point(x, y), text)

    def field(self, field: Field, text: str, *, y: float | None = None) -> None:
        placed = fit(text, field)
        top = field.y if y is None else y
        step = placed.size * PT_MM * 1.15
        first = top - step / 2 if len(placed.lines) == 2 else top
        for index, line in enumerate(placed.lines):
            self.text(field.x, first + index * step, placed.size, line, bold=field.bold, align=field.align,
                      width=field.width)

    def qr(self, field: Field, text: str) -> None:
        x, y = self.point(field.x, field.y + field.width)
        self.canvas.drawImage(_qr_image(text), x, y, field.width * self.mm, field.width * self.mm)

    def page(self) -> None:
        self.canvas.showPage()

    def save(self) -> None:
        self.canvas.save()


def _preview_blank(page: CertificateCanvas, language: str) -> None:
    """The pre-printed parts of the blank in light grey, for judging the fit on plain paper."""
    canvas = page.canvas
    canvas.saveState()
    canvas.setStrokeGray(0.75)
    canvas.setFillGray(0.6)
    canvas.setLineWidth(0.5)
    mm = page.mm
    canvas.rect(*page.point(8, PAGE_MM[1] - 8), (PAGE_MM[0] - 16) * mm, (PAGE_MM[1] - 16) * mm)
    for cx, cy, radius in (EMBLEM_MM, STAMP_MM):
        canvas.circle(*page.point(cx, cy), radius * mm)
    for x, y, size, label in PREPRINTED_LABELS[language]:
        canvas.setFont(BOLD if size >= 16 else REGULAR, size)
        if x == 105:
            canvas.drawCentredString(*page.point(x, y), label)
        else:
            canvas.drawString(*page.point(x, y), label)
    canvas.setDash(1, 2)
    for name, field in LAYOUT.items():  # the fields' places, dotted
        if name == "qr":
            canvas.rect(*page.point(field.x, field.y + field.width), field.width * mm, field.width * mm)
        else:
            canvas.line(*page.point(field.x, field.y + 1), *page.point(field.x + field.width, field.y + 1))
    canvas.restoreState()


def draw_certificate(page: CertificateCanvas, certificate: Certificate, key: SigningKey, *,
                     preview_blank: bool = False) -> None:
    language = certificate.language
    if len(certificate.subjects) > MAX_SUBJECTS:
        raise Refused(_("The certificate of ИКТ {ikt} has {count} subjects; the blank has room for {most}.").format(
            ikt=certificate.ikt, count=len(certificate.subjects), most=MAX_SUBJECTS))
    try:
        text = payload(certificate.qr_data(), key)
    except Refused as error:
        raise Refused(_("The certificate of ИКТ {ikt}: {reason}").format(ikt=certificate.ikt,
                                                                          reason=error)) from error
    if preview_blank:
        _preview_blank(page, language)
    page.field(LAYOUT["series_number"], f"{certificate.series} {certificate.number}")
    page.field(LAYOUT["full_name"], certificate.full_name)
    page.field(LAYOUT["ikt"], certificate.ikt)
    page.field(LAYOUT["iin"], certificate.iin or "—")
    page.field(LAYOUT["school"], certificate.school or "—")
    page.field(LAYOUT["language"], LANGUAGE_NAMES[language].get(certificate.test_language,
                                                                  certificate.test_language))
    for row, (code, points) in enumerate(certificate.subjects):
        shift = row * SUBJECT_STEP_MM
        page.field(LAYOUT["subject_name"], subject_name(code, language), y=LAYOUT["subject_name"].y + shift)
        page.field(LAYOUT["subject_points"], str(points), y=LAYOUT["subject_points"].y + shift)
    page.field(LAYOUT["total"], str(certificate.total))
    page.field(LAYOUT["date"], certificate.issued.strftime("%d.%m.%Y"))
    page.qr(LAYOUT["qr"], text)
    page.page()


def certificates_pdf(out: Path | io.BytesIO, certificates: Iterable[Certificate], key: SigningKey, *,
                     dx_mm: float = 0.0, dy_mm: float = 0.0, preview_blank: bool = False) -> int:
    """One page per certificate, in the order given; the number of pages."""
    page = CertificateCanvas(out, dx_mm, dy_mm)
    count = 0
    for certificate in certificates:
        draw_certificate(page, certificate, key, preview_blank=preview_blank)
        count += 1
    page.save()
    return count


# --- the calibration page ---------------------------------------------------------------------------------------

CALIBRATION_MARKS: Final[tuple[tuple[float, float], ...]] = ((40.0, 40.0), (170.0, 40.0), (105.0, 148.5),
                                                            (40.0, 257.0), (170.0, 257.0))
"""Where the test page's crosses should be: mm from the sheet's left and top edges."""
RULER_INSET_MM: Final = 6.0
"""The rulers' ticks start this far inside the edges; their numbers are mm from the sheet's edge all the same."""


def calibration_pdf(out: Path | io.BytesIO, printer: str, language: str, *,
                    marks: Sequence[tuple[float, float]] = CALIBRATION_MARKS) -> None:
    """A test page printed with no offset: mm rulers along the top and left edges, crosses at
    :data:`CALIBRATION_MARKS`, and how to measure the printer's offset."""
    page = CertificateCanvas(out)
    canvas = page.canvas
    canvas.setLineWidth(0.2)
    edge = RULER_INSET_MM  # printers leave the sheet's outer millimetres blank: the rulers stand a little inside
    for position in range(int(edge), int(PAGE_MM[0] - edge) + 1):
        length = 6 if position % 10 == 0 else 4 if position % 5 == 0 else 2
        canvas.line(*page.point(position, edge), *page.point(position, edge + length))
        if position % 10 == 0:
            page.text(position + 0.5, edge + 9, 6, str(position))
    for position in range(int(edge), int(PAGE_MM[1] - edge) + 1):
        length = 6 if position % 10 == 0 else 4 if position % 5 == 0 else 2
        canvas.line(*page.point(edge, position), *page.point(edge + length, position))
        if position % 10 == 0:
            page.text(edge + 7, position + 1, 6, str(position))
    canvas.setLineWidth(0.3)
    for x, y in marks:
        canvas.line(*page.point(x - 6, y), *page.point(x + 6, y))
        canvas.line(*page.point(x, y - 6), *page.point(x, y + 6))
        canvas.circle(*page.point(x, y), 2 * page.mm)
        page.text(x + 3, y - 3, 7, f"x = {x:g} mm, y = {y:g} mm")
    lines = [
        tr(language, N_("Printer calibration test page: {printer}")).format(printer=printer),
        tr(language, N_("Print this page on plain A4 paper at 100 % (no «fit to page»).")),
        tr(language, N_("Measure each cross's centre from the sheet's left edge (x) and top edge (y) in mm.")),
        tr(language, N_("dx = the measured x minus the x written at the cross (right is positive);")),
        tr(language, N_("dy = the measured y minus the y written at the cross (down is positive).")),
        tr(language, N_("Average over the crosses and save: calibrate --printer NAME --dx DX --dy DY.")),
    ]
    for index, line in enumerate(lines):
        page.text(30, 70 + index * 7, 9 if index else 11, line, bold=index == 0)
    page.page()
    page.save()


# --- the services of ``calibrate`` and ``print certificates`` (the commands and the window call them) -------------


def printer_name(name: str) -> str:
    """The printer's name as kept: trimmed, refused when empty or longer than :data:`MOST_PRINTER_NAME`."""
    printer = name.strip()
    if not printer or len(printer) > MOST_PRINTER_NAME:
        raise Refused(_("Choose the printer (a name of at most {most} characters).").format(most=MOST_PRINTER_NAME))
    return printer


def printer_offset(session: Session, printer: str) -> tuple[float, float] | None:
    """The printer's saved ``(dx, dy)`` in mm, or None when it is not calibrated."""
    from common.db.certificate_models import PrinterOffset

    row = session.scalar(select(PrinterOffset).where(PrinterOffset.printer == printer.strip()))
    return None if row is None else (row.dx_mm, row.dy_mm)


def printer_offsets(session: Session) -> list[dict[str, Any]]:
    """Every calibrated printer's ``{printer, dx_mm, dy_mm}`` (``calibrate --list``)."""
    from common.db.certificate_models import PrinterOffset

    return [{"printer": row.printer, "dx_mm": row.dx_mm, "dy_mm": row.dy_mm}
            for row in session.scalars(select(PrinterOffset).order_by(PrinterOffset.printer))]


def save_offset(session: Session, printer: str, dx: float, dy: float, *, actor: str, audit: AuditLog) -> None:
    """``calibrate --printer NAME --dx --dy``: refused beyond :data:`MAX_OFFSET_MM`."""
    from common.db.certificate_models import PrinterOffset

    printer = printer_name(printer)
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
                    actor: str, out: Path | None = None) -> PrintedForm:
    """``calibrate --test-page`` (the command and the window): the printer's test page kept in ``printed/`` and
    audited by its file's name, as every print is, in the caller's transaction; ``out``: a copy there too."""
    from common.exchange.outbox import write_after_commit
    from common.reports import BuiltForm, save_printed

    printer = printer_name(printer)
    buffer = io.BytesIO()
    calibration_pdf(buffer, printer, language)
    built = BuiltForm(pdf=buffer.getvalue(), pages=1, language=language, title=printer)
    printed = save_printed(folder, TEST_PAGE_KEY, built, session=session, actor=actor)
    if out is not None:
        write_after_commit(session, out, built.pdf)  # the copy too: only once committed
    return printed


def issued_certificates(session: Session, stream_number: int, ikt: str | None = None) -> list[Certificate]:
    """The stream's issued certificates in the certificate order; ``Refused`` when none (or not ``ikt``'s) is
    assigned."""
    from arm_certificate.certificate_file import taken_stream
    from arm_certificate.order import certificate_order

    stream = taken_stream(session, stream_number)
    chosen = [applicant for applicant in stream.applicants if ikt is None or applicant.ikt == ikt]
    if ikt is not None and not chosen:
        raise Refused(_("Stream {stream} has no applicant with ИКТ {ikt}.").format(stream=stream_number, ikt=ikt))
    issued = [applicant for applicant in certificate_order(chosen) if applicant.issued_blank is not None]
    if not issued:
        raise Refused(_("No certificate number is assigned in stream {stream} yet: nothing to print.").format(
            stream=stream_number) if ikt is None else _("ИКТ {ikt} has no certificate number assigned yet.").format(
            ikt=ikt))
    certificates = []
    for applicant in issued:
        blank = applicant.issued_blank
        assert blank is not None
        language = certificate_language(applicant.test_language)
        school = applicant.school_name_kk if language == "kk" else applicant.school_name_ru
        certificates.append(Certificate(
            ikt=applicant.ikt, iin=applicant.iin, full_name=applicant.full_name,
            school=school or applicant.school_name_ru or applicant.school_name_kk or applicant.school_code,
            test_language=applicant.test_language,
            subjects=tuple((str(item["code"]), int(item["points"])) for item in applicant.subjects),
            total=applicant.total, series=blank.pack.series, number=blank.number_text,
            issued=blank.issued_on or date.today(),
            qr_name=qr_name(applicant.surname, applicant.name, applicant.patronymic)))
    return certificates


@dataclass(frozen=True)
class CertificateSheets:
    """A stream's certificates drawn for their printer: the PDF, its pages and the offset it moved by."""

    pdf: bytes
    certificates: list[Certificate]
    dx_mm: float
    dy_mm: float

    @property
    def pages(self) -> int:
        return len(self.certificates)


def certificate_sheets(session: Session, folder: DataFolder, stream: int, password: str, *, printer: str | None,
                       ikt: str | None = None, preview_blank: bool = False) -> CertificateSheets:
    """The stream's issued certificates (or only ``ikt``'s, a reprint) on their blanks, moved by ``printer``'s offset
    (refused while it is not calibrated; no printer: not moved), signed with the installed key."""
    from arm_certificate.signing_key import installed_key

    certificates = issued_certificates(session, stream, ikt)
    dx = dy = 0.0
    if printer is not None:
        offset = printer_offset(session, printer)
        if offset is None:
            raise Refused(_("Printer {printer} is not calibrated: print its test page, measure and save its offset "
                            "first.").format(printer=printer))
        dx, dy = offset
    key = installed_key(session, folder, password)
    buffer = io.BytesIO()
    certificates_pdf(buffer, certificates, key.key, dx_mm=dx, dy_mm=dy, preview_blank=preview_blank)
    return CertificateSheets(buffer.getvalue(), certificates, dx, dy)


def print_certificates(session: Session, folder: DataFolder, stream: int, printer: str, password: str, language: str,
                       *, actor: str, audit: AuditLog, ikt: str | None = None) -> PrintedForm:
    """``print certificates --printer [--ikt]`` in the window: :func:`certificate_sheets` kept in ``printed/``."""
    printer = printer_name(printer)
    sheets = certificate_sheets(session, folder, stream, password, printer=printer, ikt=ikt)
    return keep_certificates(session, folder, sheets, stream, language, actor=actor, audit=audit, printer=printer,
                             ikt=ikt)


def keep_certificates(session: Session, folder: DataFolder, sheets: CertificateSheets, stream: int, language: str,
                      *, actor: str, audit: AuditLog, printer: str | None, ikt: str | None = None,
                      out: Path | None = None) -> PrintedForm:
    """The drawn certificates kept in ``printed/`` and audited by their file's name (``form.printed`` and
    ``certificate.print``), as every print is, in the caller's transaction; ``out``: a copy there too."""
    from common.exchange.outbox import write_after_commit
    from common.reports import BuiltForm, save_printed

    built = BuiltForm(pdf=sheets.pdf, pages=sheets.pages, language=language, title=CERTIFICATES_KEY)
    printed = save_printed(folder, CERTIFICATES_KEY, built, session=session, actor=actor,
                           suffix=f"stream{stream}" if ikt is None else f"stream{stream}-{ikt}")
    if out is not None:
        write_after_commit(session, out, sheets.pdf)  # the copy too: only once committed
    audit.record(session, actor=actor, action="certificate.print", target=f"stream {stream}",
                 details={"pages": sheets.pages, "printer": printer, "file": printed.path.name, "ikt": ikt})
    return printed
