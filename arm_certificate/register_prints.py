"""The register of issued certificates (прил. 14) and the three certificate acts (прил. 15, 16, 41) on paper.

Each function takes what :mod:`arm_certificate.registers` gathered and returns a
:class:`~common.reports.document.BuiltForm` in the language asked (kk, ru; en for tests).

* :func:`register_pdf` — прил. 14, landscape. **Instruction:** the programmer prints it (п. 216.2); the Ministry
  representative signs every page after checking it against the statement (п. 219), so every page ends with his
  signature line; it travels with the certificates to the site head and on to the school's technical secretary
  (п. 220); the applicant signs for the certificate in it (п. 221), so the signature column is wide and the rows
  tall. **Inferred:** one school per run of pages (each school's pages go to that school, п. 220) with the
  school in every page's header; the columns №, ИКТ, full name, series and number, total score, the date of issue
  (left blank: filled in at the school) and the signature; the page's count at its foot; the applicants of the
  stream without a certificate number in a last section of their own (see :mod:`arm_certificate.registers`).
* :func:`act_pdf` — прил. 16 (the blanks received at НЦТ, п. 42.2: per pack its series, numbers and count; НЦТ hands
  over, the head of the Ministry representatives' group receives), прил. 15 (the representative hands the certificates
  and registers to the site head, п. 34.2, 220: per stream and school the certificates and the register's pages) and
  прил. 41 (back to НЦТ after testing, п. 222: the numbers written out, the spoiled blanks with their reasons, the
  clean blanks returned). **Inferred:** the columns, the totals and the balance line (received = issued + spoiled +
  clean); the stamp place «М.П.» on each act (п. 218 asks a stamp of the certificates themselves; acts between
  organisations customarily carry one) and the date line.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Final
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, Table, TableStyle

from arm_certificate.registers import (
    ROWS_PER_PAGE,
    BlankAccount,
    HandoverLine,
    IssueRegister,
    NumberRange,
    RegisterRow,
    SchoolPart,
    Site,
    Unnumbered,
    balance,
)
from common.i18n import N_, tr
from common.reports import Column, FormDocument, FormHeader, Signature
from common.reports.document import BuiltForm
from common.reports.fonts import BOLD, REGULAR, register_fonts, shortened, text_width

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from common.reports import PrintedForm
    from common.workstation import DataFolder

REGISTER_KEY: Final = "certificate-register"
REGISTER_APPENDIX: Final = "14"
ACT_KINDS: Final = ("received", "handover", "returned")
ACT_APPENDICES: Final = {"received": "16", "handover": "15", "returned": "41"}
ACT_KEYS: Final = {kind: f"certificate-act-{kind}" for kind in ACT_KINDS}
ACT_TITLES: Final = {
    "received": N_("Act of receiving the certificates at НЦТ"),
    "handover": N_("Act of handing over the certificates"),
    "returned": N_("Act of handing over the certificates after testing №11"),
}

_PAGE = landscape(A4)
_MARGIN = 12 * mm
_ROW_HEIGHT = 11.5 * mm
_HEAD_HEIGHT = 9 * mm
_TABLE_TOP = _PAGE[1] - _MARGIN - 33 * mm


def _name(language: str, kk: str, ru: str) -> str:
    return (kk if language == "kk" else ru) or kk or ru


def _site_text(language: str, code: str, name_kk: str, name_ru: str) -> str:
    name = _name(language, name_kk, name_ru)
    return f"{code} — {name}" if name else code


# --- the register (прил. 14) -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Page:
    """One page of the register: a school's rows (``school`` set) or the unnumbered section's."""

    school: SchoolPart | None
    part_page: int
    part_pages: int
    first: int
    """The row number (№) of the page's first row within its part."""
    rows: Sequence[RegisterRow] | Sequence[Unnumbered]
    last_of_part: bool


def _pages(register: IssueRegister) -> list[_Page]:
    pages: list[_Page] = []
    for school in register.schools:
        chunks = [school.rows[start:start + ROWS_PER_PAGE] for start in range(0, len(school.rows), ROWS_PER_PAGE)]
        pages += [_Page(school, index + 1, len(chunks), index * ROWS_PER_PAGE + 1, chunk, index == len(chunks) - 1)
                  for index, chunk in enumerate(chunks)]
    rest = register.unnumbered
    chunks_u = [rest[start:start + ROWS_PER_PAGE] for start in range(0, len(rest), ROWS_PER_PAGE)]
    pages += [_Page(None, index + 1, len(chunks_u), index * ROWS_PER_PAGE + 1, chunk, index == len(chunks_u) - 1)
              for index, chunk in enumerate(chunks_u)]
    return pages


def register_pdf(register: IssueRegister, language: str, *, printed_at: datetime | None = None) -> BuiltForm:
    """The register of issued certificates of one stream (прил. 14), a run of pages per school."""
    register_fonts()
    when = printed_at or datetime.now().astimezone()
    title = tr(language, "Register of issued certificates")
    pages = _pages(register)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=_PAGE, lang=language)
    canvas.setTitle(title)
    canvas.setAuthor("ent-arm")
    for number, page in enumerate(pages, start=1):
        _register_page(canvas, register, page, number, len(pages), language, title, when)
        canvas.showPage()
    canvas.save()
    return BuiltForm(pdf=buffer.getvalue(), pages=len(pages), language=language, title=title)


def _register_page(canvas: Canvas, register: IssueRegister, page: _Page, number: int, total: int, language: str,
                   title: str, when: datetime) -> None:
    def t(message: str) -> str:
        return tr(language, message)

    width, height = _PAGE
    top = height - _MARGIN
    canvas.setFont(REGULAR, 8)
    appendix = t(N_("Appendix {number}\nto the Instruction on organising the UNT")).format(number=REGISTER_APPENDIX)
    for index, line in enumerate(appendix.split("\n")):
        canvas.drawRightString(width - _MARGIN, top - index * 10, line)
    canvas.setFont(BOLD, 12.5)
    canvas.drawCentredString(width / 2, top - 22, title)
    canvas.setFont(REGULAR, 9.5)
    facts = t(N_("Test site: {site} · stream {stream} · {date}")).format(
        site=_site_text(language, register.site_code, register.site_name_kk, register.site_name_ru),
        stream=register.stream, date=register.exam_date.strftime("%d.%m.%Y"))
    canvas.drawCentredString(width / 2, top - 36, shortened(facts, width - 2 * _MARGIN - 60 * mm, 9.5))
    if page.school is not None:
        part = t(N_("School: {code} — {name}")).format(code=page.school.code,
                                                    name=_name(language, page.school.name_kk, page.school.name_ru))
        part_pages = t(N_("school's page {page} of {pages}"))
    else:
        part = t(N_("Applicants of the stream without a certificate number"))
        part_pages = t(N_("page {page} of {pages} of this section"))
    pages_text = "{} · {}".format(t(N_("page {page} of {pages}")).format(page=number, pages=total),
                                  part_pages.format(page=page.part_page, pages=page.part_pages))
    canvas.setFont(REGULAR, 9)
    canvas.drawRightString(width - _MARGIN, top - 56, pages_text)
    canvas.setFont(BOLD, 10.5)
    canvas.drawString(_MARGIN, top - 56, shortened(part, width - 2 * _MARGIN - text_width(pages_text, 9) - 8 * mm,
                                                    10.5, bold=True))

    table = _school_table(page, language) if page.school is not None else _unnumbered_table(page, language)
    _, drawn = table.wrapOn(canvas, width - 2 * _MARGIN, height)
    table.drawOn(canvas, _MARGIN, _TABLE_TOP - drawn)

    foot = _MARGIN + 18 * mm
    canvas.setFont(REGULAR, 9)
    if page.school is not None:
        count = t(N_("Certificates on this page: {count}")).format(count=len(page.rows))
        if page.last_of_part:
            count += " · " + t(N_("certificates of the school: {count}")).format(count=len(page.school.rows))
    else:
        count = t(N_("Applicants on this page: {count}")).format(count=len(page.rows))
        canvas.drawString(_MARGIN, foot + 14, t(N_("No certificate is printed for them: nothing is handed out against "
                                                "this section.")))
    canvas.drawString(_MARGIN, foot, count)
    signer = t(N_("Ministry representative, checked against the statement (п. 219):"))
    line_x = width / 2
    canvas.drawString(line_x, foot + 12, signer)
    canvas.setLineWidth(0.6)
    name_from = line_x + 50 * mm
    canvas.line(line_x, foot - 2, line_x + 45 * mm, foot - 2)
    canvas.line(name_from, foot - 2, width - _MARGIN, foot - 2)
    canvas.setFont(REGULAR, 6.5)
    canvas.drawCentredString(line_x + 22.5 * mm, foot - 10, t(N_("(signature)")))
    canvas.drawCentredString((name_from + width - _MARGIN) / 2, foot - 10, t(N_("(full name)")))
    canvas.setFont(REGULAR, 7.5)
    canvas.setFillColor(colors.Color(0.3, 0.3, 0.3))
    canvas.drawString(_MARGIN, _MARGIN - 2 * mm,
                      t(N_("Printed {when}")).format(when=when.strftime("%d.%m.%Y %H:%M")))
    canvas.drawRightString(width - _MARGIN, _MARGIN - 2 * mm,
                           t(N_("page {page} of {pages}")).format(page=number, pages=total))
    canvas.setFillColor(colors.black)


_CELL = ParagraphStyle("register-cell", fontName=REGULAR, fontSize=9, leading=10.5)
_HEAD = ParagraphStyle("register-head", fontName=BOLD, fontSize=8, leading=9.5, alignment=TA_CENTER)


def _grid(data: list[list[object]], widths_mm: Sequence[float]) -> Table:
    full = _PAGE[0] - 2 * _MARGIN
    scale = full / sum(widths_mm)
    table = Table(data, colWidths=[value * scale for value in widths_mm],
                  rowHeights=[_HEAD_HEIGHT] + [_ROW_HEIGHT] * (len(data) - 1))
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.88, 0.88, 0.88)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONT", (0, 1), (-1, -1), REGULAR, 9),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def _school_table(page: _Page, language: str) -> Table:
    titles = ["№", "ИКТ", tr(language, "Full name"), tr(language, "Series and number"), tr(language, "Total score"),
              tr(language, "Date of issue"), tr(language, "Applicant's signature (п. 221)")]
    data: list[list[object]] = [[Paragraph(escape(title), _HEAD) for title in titles]]
    for offset, row in enumerate(page.rows):
        assert isinstance(row, RegisterRow)
        data.append([str(page.first + offset), row.ikt, Paragraph(escape(row.full_name), _CELL),
                     f"{row.series} {row.number}", str(row.total), "", ""])
    return _grid(data, (10, 26, 82, 34, 17, 28, 76))


def _unnumbered_table(page: _Page, language: str) -> Table:
    titles = ["№", "ИКТ", tr(language, "Full name"), tr(language, "School"), tr(language, "Total score")]
    data: list[list[object]] = [[Paragraph(escape(title), _HEAD) for title in titles]]
    for offset, row in enumerate(page.rows):
        assert isinstance(row, Unnumbered)
        data.append([str(page.first + offset), row.ikt, Paragraph(escape(row.full_name), _CELL), row.school_code,
                     str(row.total)])
    return _grid(data, (10, 30, 120, 30, 25))


# --- the acts (прил. 15, 16, 41) ---------------------------------------------------------------------------------


def _ranges_table(document: FormDocument, ranges: Sequence[NumberRange]) -> None:
    t = document.t
    document.table([Column("№", 0.4, "right", wrap=False), Column(t(N_("Series")), 0.8, wrap=False),
                    Column(t(N_("Numbers from–to")), 2.5, wrap=False),
                    Column(t(N_("Count")), 0.8, "right", wrap=False)],
                   [[index, item.series, item.numbers_text, item.count]
                    for index, item in enumerate(ranges, start=1)],
                   total=["", t(N_("Total")), "", sum(item.count for item in ranges)])


def act_pdf(kind: str, language: str, *, site: Site | None, account: BlankAccount | None = None,
            handover: Sequence[HandoverLine] = (), printed_at: datetime | None = None) -> BuiltForm:
    """The act ``kind`` (received: прил. 16, handover: прил. 15, returned: прил. 41)."""
    def t(message: str) -> str:
        return tr(language, message)

    header = FormHeader(t(ACT_TITLES[kind]), appendix=ACT_APPENDICES[kind],
                        site=None if site is None else _site_text(language, site.code, site.name_kk, site.name_ru))
    document = FormDocument(header, language, printed_at=printed_at)
    if kind == "received":
        assert account is not None
        document.paragraph(t(N_("НЦТ hands over and the head of the Ministry representatives' group receives the "
                                "typographic certificate blanks (п. 42.2):")))
        document.spacer(1.5)
        _ranges_table(document, account.packs)
        document.signatures([Signature(t(N_("Handed over: НЦТ"))),
                             Signature(t(N_("Received: head of the Ministry representatives' group (п. 42.2)")))])
    elif kind == "handover":
        document.paragraph(t(N_("The Ministry representative hands over to the head of the test site the certificates "
                             "and the registers of issued certificates (п. 220):")))
        document.spacer(1.5)
        document.table(
            [Column(t(N_("Stream")), 0.6, "right", wrap=False), Column(t(N_("Date")), 0.9, wrap=False),
             Column(t(N_("School")), 3.5), Column(t(N_("Certificates")), 1, "right", wrap=False),
             Column(t(N_("Register pages")), 1, "right", wrap=False)],
            [[line.stream, line.exam_date.strftime("%d.%m.%Y"),
              f"{line.school_code} — {_name(language, line.school_name_kk, line.school_name_ru)}",
              line.certificates, line.register_pages] for line in handover],
            total=["", "", t(N_("Total")), sum(line.certificates for line in handover),
                   sum(line.register_pages for line in handover)])
        document.signatures([Signature(t(N_("Handed over: Ministry representative"))),
                             Signature(t(N_("Received: head of the test site")))])
    elif kind == "returned":
        assert account is not None
        received, issued, spoiled, clean = balance(account)
        document.paragraph(t(N_("The Ministry representative delivers to НЦТ the numbers of the certificates written "
                             "out and the clean certificate blanks (п. 222).")))
        document.subheading(t(N_("1. Blanks received")))
        _ranges_table(document, account.packs)
        document.subheading(t(N_("2. Certificates written out (issued)")))
        _ranges_table(document, account.issued)
        document.subheading(t(N_("3. Spoiled blanks")))
        document.table([Column("№", 0.4, "right", wrap=False), Column(t(N_("Series")), 0.8, wrap=False),
                        Column(t(N_("Number")), 1.2, wrap=False), Column(t(N_("Reason")), 4)],
                       [[index, item.series, item.number, item.reason]
                        for index, item in enumerate(account.spoiled, start=1)],
                       total=["", t(N_("Total")), len(account.spoiled), ""])
        document.subheading(t(N_("4. Clean blanks returned")))
        _ranges_table(document, account.clean)
        document.spacer(3)
        document.paragraph(t(N_("Received {received} = issued {issued} + spoiled {spoiled} + clean {clean}.")).format(
            received=received, issued=issued, spoiled=spoiled, clean=clean))
        document.signatures([Signature(t(N_("Handed over: Ministry representative"))),
                             Signature(t(N_("Received: НЦТ")))])
    else:
        raise ValueError(kind)
    return document.build()


# --- the services of ``print register`` and ``print act`` (the commands and the window call them) ---------------


def print_register(session: Session, folder: DataFolder, stream: int, language: str, *, actor: str,
                   out: Path | None = None) -> tuple[IssueRegister, PrintedForm]:
    """``print register``: the register of issued certificates (прил. 14), kept in ``printed/`` (and audited);
    ``out``: a copy there too."""
    from arm_certificate.registers import issue_register
    from common.exchange.outbox import write_after_commit
    from common.reports import save_printed

    issued = issue_register(session, stream)
    built = register_pdf(issued, language)
    printed = save_printed(folder, REGISTER_KEY, built, session=session, actor=actor, suffix=f"stream{issued.stream}")
    if out is not None:
        write_after_commit(session, out, built.pdf)  # the copy too: only once committed
    return issued, printed


def print_act(session: Session, folder: DataFolder, kind: str, language: str, *, actor: str,
              out: Path | None = None) -> PrintedForm:
    """``print act --kind``: прил. 16 (received), 15 (handover) or 41 (returned), kept in ``printed/`` (and
    audited); ``out``: a copy there too."""
    from arm_certificate.registers import blank_account, handover_lines, site_of
    from common.exchange.outbox import write_after_commit
    from common.reports import save_printed

    site = site_of(session)
    if kind == "handover":
        built = act_pdf(kind, language, site=site, handover=handover_lines(session))
    else:
        built = act_pdf(kind, language, site=site, account=blank_account(session))
    printed = save_printed(folder, ACT_KEYS[kind], built, session=session, actor=actor)
    if out is not None:
        write_after_commit(session, out, built.pdf)  # the copy too: only once committed
    return printed
