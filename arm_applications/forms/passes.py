"""Admission passes with their stubs (пропуск с корешком, ch. 21; прил. 3 Правил; FORMS.md).

Three passes to an A4 page, each a strip cut off along the dashed lines: on the left the pass the
applicant keeps, on the right the stub (корешок) cut off along the dashed line between them. Both
carry a place for the 3×4 photo (п. 111), the applicant's ИКТ, name and school, his stream with its
date, the exam's start (9.00 local time, п. 43.10) and a line for the time to come told him when
the pass is issued (п. 112), his room and place, the rules
of conduct (п. 114), the school director's signature line with the place of the school stamp
(п. 111), and the applicant's signature that he read the rules and his data are right (п. 112, 114).

Each pass is in its applicant's language (:func:`arm_applications.passes.pass_language`). The
Rules of conduct are not in the instruction: :data:`RULES_OF_CONDUCT` is a placeholder, kept in
this one translatable place and printed marked as one until the approved text replaces it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import Final
from xml.sax.saxutils import escape, unescape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from arm_applications.forms import site_line
from arm_applications.passes import PassRow
from common.db.models import Site
from common.i18n import N_, tr
from common.reports import BuiltForm
from common.reports.fonts import BOLD, REGULAR, register_fonts, text_width

FORM_KEY: Final = "passes"
TITLE: Final = N_("Admission passes to the ЕНТ")
PASSES_PER_PAGE: Final = 3
MARGIN: Final = 8 * mm
PAD: Final = 3.5 * mm
PHOTO_WIDTH, PHOTO_HEIGHT = 30 * mm, 40 * mm
PASS_SHARE: Final = 0.585
CUT_GREY: Final = colors.Color(0.45, 0.45, 0.45)

RULES_OF_CONDUCT: Final = N_(
    "[PLACEHOLDER: the Rules of conduct during the ЕНТ are not in the instruction; replace this text with "
    "the approved Rules.] Come to the test site by the time written on this pass with this pass and an "
    "identity document. Do not bring mobile phones, other means of communication, electronic devices, "
    "notes or books. Take the seat you are given and follow the instructions of the staff in the room. "
    "An applicant who breaks the rules is removed from the test.")
"""The rules of conduct printed on every pass and stub (п. 114): a PLACEHOLDER until the approved
Rules are put here (in English; their Kazakh and Russian text in the catalogues)."""

EXAM_START: Final = "9.00"
"""The exam starts at 9.00 local time (п. 43.10); the time to come is told when the pass is issued
(п. 112) and written on it by hand."""
RULES_HEADING: Final = N_("Rules of conduct during the ЕНТ")
LANGUAGE_NAMES: Final = {"kk": N_("Kazakh"), "ru": N_("Russian"), "en": N_("English")}


def build_passes(site: Site, rows: Sequence[PassRow], title_suffix: str = "",
                 printed_at: datetime | None = None) -> BuiltForm:
    """The passes of ``rows`` in their order, three to a page."""
    register_fonts()
    languages = sorted({row.language for row in rows})
    language = languages[0] if len(languages) == 1 else "-".join(languages)
    title = tr(languages[0] if len(languages) == 1 else "ru", TITLE) + (f" — {title_suffix}" if title_suffix else "")
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1, lang=languages[0] if languages else "ru")
    canvas.setTitle(title)
    canvas.setAuthor("ent-arm")
    canvas.setSubject(site.code)
    width, height = A4
    strip_height = (height - 2 * MARGIN) / PASSES_PER_PAGE
    pages = max(1, -(-len(rows) // PASSES_PER_PAGE))
    moment = (printed_at or datetime.now().astimezone()).strftime("%d.%m.%Y %H:%M")
    for page in range(pages):
        chunk = rows[page * PASSES_PER_PAGE:(page + 1) * PASSES_PER_PAGE]
        for index, row in enumerate(chunk):
            top = height - MARGIN - index * strip_height
            _strip(canvas, site, row, MARGIN, top, width - 2 * MARGIN, strip_height)
        _cut_lines(canvas, width, height, strip_height, len(chunk))
        canvas.setFont(REGULAR, 6)
        canvas.setFillColor(CUT_GREY)
        footer = f"ent-applications · {title_suffix} · {moment}" if title_suffix else f"ent-applications · {moment}"
        canvas.drawString(MARGIN, MARGIN / 2, footer)
        canvas.drawRightString(width - MARGIN, MARGIN / 2, f"{page + 1} / {pages}")
        canvas.showPage()
    canvas.save()
    return BuiltForm(pdf=buffer.getvalue(), pages=pages, language=language, title=title)


def _cut_lines(canvas: Canvas, width: float, height: float, strip_height: float, strips: int) -> None:
    canvas.saveState()
    canvas.setStrokeColor(CUT_GREY)
    canvas.setFillColor(CUT_GREY)
    canvas.setLineWidth(0.5)
    canvas.setDash(4, 3)
    stub_x = MARGIN + (width - 2 * MARGIN) * PASS_SHARE
    for index in range(strips + 1):
        y = height - MARGIN - index * strip_height
        canvas.line(MARGIN / 2, y, width - MARGIN / 2, y)
        canvas.setFont(REGULAR, 8)
        canvas.drawString(MARGIN / 2, y + 1, "✂")
    bottom = height - MARGIN - strips * strip_height
    canvas.line(stub_x, height - MARGIN, stub_x, bottom)
    for index in range(strips):
        canvas.drawString(stub_x - 3, height - MARGIN - index * strip_height - 9, "✂")
    canvas.restoreState()


def _style(size: float, *, bold: bool = False, align: int = 0, grey: bool = False) -> ParagraphStyle:
    return ParagraphStyle(f"pass-{size}-{bold}-{align}-{grey}", fontName=BOLD if bold else REGULAR, fontSize=size,
                          leading=size * 1.22, alignment=align,
                          textColor=CUT_GREY if grey else colors.black)


def _draw(canvas: Canvas, text: str, x: float, top: float, width: float, style: ParagraphStyle) -> float:
    """Draw ``text`` (Paragraph markup) with its top at ``top``; returns its height."""
    paragraph = Paragraph(text, style)
    _width, used = paragraph.wrapOn(canvas, width, 1000)
    paragraph.drawOn(canvas, x, top - used)
    return float(used)


@lru_cache(maxsize=256)
def _fitting(text: str, width: float, room: float, size: float, floor: float = 4.6) -> ParagraphStyle:
    """The largest style (from ``size`` down to ``floor``) at which ``text`` fits ``room`` points high
    and its widest word fits ``width`` (passes of one school repeat the same texts: kept)."""
    words = re.sub(r"<[^>]+>", " ", text.replace("&nbsp;", " ")).split()
    widest = max((text_width(unescape(word), 1, bold=True) for word in words), default=0.0)
    while size > floor:
        style = _style(size)
        if widest * size <= width and Paragraph(text, style).wrap(width, 1000)[1] <= room:
            return style
        size -= 0.2
    return _style(floor)


def _field(language: str, label: str, value: str, *, strong: bool = False) -> str:
    shown = f"<font name='{BOLD}'>{escape(value)}</font>" if strong else escape(value)
    return f"{escape(tr(language, label))}: {shown}"


def _photo(canvas: Canvas, x: float, top: float, language: str) -> None:
    canvas.saveState()
    canvas.setStrokeColor(colors.black)
    canvas.setLineWidth(0.6)
    canvas.rect(x, top - PHOTO_HEIGHT, PHOTO_WIDTH, PHOTO_HEIGHT)
    _draw(canvas, escape(tr(language, "Photo 3×4")), x, top - PHOTO_HEIGHT / 2 + 4, PHOTO_WIDTH,
          _style(7, align=TA_CENTER, grey=True))
    canvas.restoreState()


def _strip(canvas: Canvas, site: Site, row: PassRow, x: float, top: float, width: float, height: float) -> None:
    pass_width = width * PASS_SHARE
    _part(canvas, site, row, x, top, pass_width, height, stub=False)
    _part(canvas, site, row, x + pass_width, top, width - pass_width, height, stub=True)


def _part(canvas: Canvas, site: Site, row: PassRow, x: float, top: float, width: float, height: float,
          *, stub: bool) -> None:
    language = row.language
    inner_x, inner_width = x + PAD, width - 2 * PAD
    cursor = top - PAD
    title = N_("STUB OF THE ADMISSION PASS") if stub else N_("ADMISSION PASS TO THE ЕНТ")
    cursor -= _draw(canvas, escape(tr(language, title)), inner_x, cursor, inner_width, _style(9.5, bold=True,
                                                                                              align=TA_CENTER))
    where = tr(language, "Test site: {site}").format(site=site_line(site, language))
    if site.address and not stub:  # the place of the test, told at issue too (п. 112)
        where += f", {site.address}"
    cursor -= _draw(canvas, escape(where), inner_x, cursor, inner_width, _style(6.5, align=TA_CENTER))
    cursor -= 1.5 * mm
    _photo(canvas, inner_x, cursor, language)
    fields_x = inner_x + PHOTO_WIDTH + 2.5 * mm
    fields_width = inner_width - PHOTO_WIDTH - 2.5 * mm
    day = row.exam_date.strftime("%d.%m.%Y")
    room = row.room + (f" ({tr(language, 'reserve')})" if row.reserve_room else "")
    language_name = tr(language, LANGUAGE_NAMES.get(row.test_language, row.test_language))
    lines = [
        _field(language, "ИКТ", row.ikt, strong=True),
        _field(language, "Surname, name, patronymic", row.full_name, strong=True),
        _field(language, "School", f"{row.school_key} — {row.school_name(language)}"),
        _field(language, "Stream", str(row.stream)) + "; " + _field(language, "Date", day, strong=True),
        escape(tr(language, "Start of the test: {time} local time").format(time=EXAM_START)),
        escape(tr(language, "Time of arrival")) + ": ____ : ____",
        _field(language, "Room", room, strong=True) + "; " + _field(language, "Place", str(row.place), strong=True),
        _field(language, "Test language", language_name),
    ]
    if stub:  # a narrower part: the school's name stays on the pass
        lines[2] = _field(language, "School", row.school_key)
    text = "<br/>".join(lines)
    style = _fitting(text, fields_width, PHOTO_HEIGHT, 7.6 if not stub else 7.0)
    _draw(canvas, text, fields_x, cursor, fields_width, style)
    cursor -= PHOTO_HEIGHT + 1.5 * mm

    signatures_height = 11 * mm
    bottom = top - height + PAD
    heading = escape(tr(language, RULES_HEADING))
    rules = f"<font name='{BOLD}'>{heading}.</font> " + escape(tr(language, RULES_OF_CONDUCT))
    room_for_rules = cursor - bottom - signatures_height
    _draw(canvas, rules, inner_x, cursor, inner_width, _fitting(rules, inner_width, room_for_rules, 6.4))

    # signatures: the school director with the school's stamp (п. 111), the applicant (п. 112, 114)
    y = bottom + signatures_height
    director = escape(tr(language, "School director")) + " ________________"
    stamp = escape(tr(language, "Stamp here"))
    applicant = escape(tr(language, "I have read the rules; my data are right")) + ": ________________ " + escape(
        tr(language, "(applicant's signature)"))
    _draw(canvas, f"{director}&nbsp;&nbsp;&nbsp;{stamp}", inner_x, y, inner_width, _style(6.8))
    _draw(canvas, applicant, inner_x, y - 5 * mm, inner_width, _style(6.3))
