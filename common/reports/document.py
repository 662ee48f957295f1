"""A printed form built with reportlab: header, content, signatures, «стр. N из M».

Every workstation builds its paper forms with :class:`FormDocument`. A form is printed in one
language (``kk`` or ``ru``; ``en`` for tests) chosen by the caller: the texts the caller passes are
already in that language (see :func:`common.i18n.tr`), and the toolkit's own words — the appendix
line, «подпись», «М.П.», page numbers — follow the same language. Nothing here imports Qt.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    LongTable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from common.i18n import tr
from common.reports.fonts import BOLD, REGULAR, register_fonts, shortened, text_width

Align = Literal["left", "center", "right"]
_ALIGNMENTS = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}
MARGIN = 15 * mm
HEADER_GREY = colors.Color(0.88, 0.88, 0.88)
ZEBRA_GREY = colors.Color(0.965, 0.965, 0.965)
_BREAKING_SLASH = re.compile(r"/(?![\d/])")  # a slash a line may break after: not one before a digit
_WIDTH_SAMPLE = 400  # rows looked at to size the columns; enough to see every kind of value
_CELL_PADDING = 7.0  # left and right padding of a cell, and a little air
MIN_TABLE_FONT = 6.0  # a table shrinks its font down to this before words break


@dataclass(frozen=True)
class FormHeader:
    """The head of a form's first page.

    ``appendix`` is the appendix number of the instruction («Приложение 28 к Инструкции»), or None
    for a form without one. ``title`` and ``subtitle`` are in the form's language; ``site`` is the
    test site as it should be named on paper (code and name). ``of_rules`` makes the appendix one of
    the Rules of conducting the ЕНТ («Приложение 5 к Правилам») instead of the instruction's.
    """

    title: str
    appendix: str | None = None
    subtitle: str | None = None
    site: str | None = None
    of_rules: bool = False


@dataclass(frozen=True)
class Column:
    """A table column: ``width`` is a share of the table's width, not an absolute size.

    ``wrap`` lets long text break over lines (slower to lay out: keep it off for codes and numbers).
    """

    title: str
    width: float = 1.0
    align: Align = "left"
    wrap: bool = True


@dataclass(frozen=True)
class Signature:
    """A signature line: the signer's position, and their name when it is known."""

    role: str
    name: str = ""


@dataclass(frozen=True)
class BuiltForm:
    """A form ready to save: the PDF and what the audit log and the user are told about it."""

    pdf: bytes
    pages: int
    language: str
    title: str


class FormDocument:
    """A form being assembled block by block, then :meth:`build` into PDF bytes (A4)."""

    def __init__(
        self,
        header: FormHeader,
        language: str,
        *,
        landscape_pages: bool = False,
        footer_note: str = "",
        printed_at: datetime | None = None,
    ) -> None:
        register_fonts()
        self.header = header
        self.language = language
        self.page_size = landscape(A4) if landscape_pages else A4
        self.footer_note = footer_note
        self.printed_at = printed_at or datetime.now().astimezone()
        self._story: list[Flowable] = []
        self._pages = 0
        self._styles = _styles()
        self._add_header()

    # geometry --------------------------------------------------------------------------------
    @property
    def width(self) -> float:
        """Usable width of a page between the margins, in points."""
        return float(self.page_size[0] - 2 * MARGIN)

    @property
    def height(self) -> float:
        return float(self.page_size[1] - 2 * MARGIN - 8 * mm)

    def t(self, message: str) -> str:
        """``message`` translated into the form's language."""
        return tr(self.language, message)

    # blocks ----------------------------------------------------------------------------------
    def heading(self, text: str) -> None:
        """A section heading; starts a new page when too little of this one is left for what follows."""
        self._story.append(CondPageBreak(30 * mm))
        self._story.append(Paragraph(escape(text), self._styles["heading"]))

    def paragraph(self, text: str, *, size: float = 9.5, align: Align = "left") -> None:
        style = ParagraphStyle("p", parent=self._styles["body"], fontSize=size, leading=size * 1.3,
                               alignment=_ALIGNMENTS[align])
        self._story.append(Paragraph(_lines(text), style))

    def key_values(self, pairs: Sequence[tuple[str, object]], *, key_share: float = 0.55) -> None:
        """A two-column table of labels and values (the site's facts, a room's details)."""
        body = self._styles["cell"]
        rows = [[Paragraph(escape(key), body), Paragraph(_lines(_text(value)), body)] for key, value in pairs]
        table = Table(rows, colWidths=[self.width * key_share, self.width * (1 - key_share)])
        table.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (0, -1), ZEBRA_GREY),
        ]))
        self._story.append(table)

    def table(
        self,
        columns: Sequence[Column],
        rows: Sequence[Sequence[object]],
        *,
        total: Sequence[object] | None = None,
        groups: Sequence[tuple[str, int]] | None = None,
        font_size: float = 8,
        width: float | None = None,
    ) -> None:
        """A table whose header repeats on every page it runs over; ``total`` is a bold last row.

        ``groups`` adds a header row above the column titles: (title, number of columns it spans),
        covering the columns from the left; an empty title leaves those columns' titles alone.
        """
        full = width or self.width
        word_widths = _word_widths(columns, rows, total)
        font_size = _fitting_font(word_widths, font_size, full)
        col_widths = _share_out(columns, [w * font_size + _CELL_PADDING for w in word_widths], full)
        header_style = ParagraphStyle("th", parent=self._styles["cell"], fontName=BOLD, fontSize=font_size,
                                      leading=font_size * 1.2, alignment=TA_CENTER)
        cell_styles = {
            (align, bold): ParagraphStyle(f"td-{align}-{bold}", parent=self._styles["cell"], fontSize=font_size,
                                          leading=font_size * 1.2, alignment=_ALIGNMENTS[align],
                                          fontName=BOLD if bold else REGULAR)
            for align in _ALIGNMENTS for bold in (False, True)
        }
        header_rows = 2 if groups else 1
        commands: list[tuple[Any, ...]] = []
        data: list[list[Any]] = []
        if groups:
            spans = _group_spans(groups, len(columns))
            group_row: list[Any] = [""] * len(columns)
            title_row: list[Any] = [Paragraph(escape(column.title), header_style) for column in columns]
            for title, first, last in spans:
                if title:
                    group_row[first] = Paragraph(escape(title), header_style)
                    commands.append(("SPAN", (first, 0), (last, 0)))
                else:
                    group_row[first], title_row[first] = title_row[first], ""
                    commands.append(("SPAN", (first, 0), (first, 1)))
            data += [group_row, title_row]
        else:
            data.append([Paragraph(escape(column.title), header_style) for column in columns])

        room = [width - _CELL_PADDING + 0.5 for width in col_widths]

        def cells(values: Sequence[object], bold: bool) -> list[Any]:
            result: list[Any] = []
            for index, (column, value) in enumerate(zip(columns, values, strict=True)):
                text = _text(value)
                # A Paragraph only where the text must wrap: laying out thousands of them is the cost.
                fits = "\n" not in text and text_width(text, font_size, bold) <= room[index]
                result.append(text if fits or not column.wrap else
                              Paragraph(_lines(text), cell_styles[(column.align, bold)]))
            return result

        data += [cells(row, False) for row in rows]
        if total is not None:
            data.append(cells(total, True))
        commands += [
            ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_GREY),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("FONT", (0, header_rows), (-1, -1), REGULAR, font_size),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]
        for index, column in enumerate(columns):
            commands.append(("ALIGN", (index, header_rows), (index, -1), column.align.upper()))
        for row_number in range(header_rows + 1, len(data), 2):
            commands.append(("BACKGROUND", (0, row_number), (-1, row_number), ZEBRA_GREY))
        if total is not None:
            commands += [
                ("FONT", (0, -1), (-1, -1), BOLD, font_size),
                ("BACKGROUND", (0, -1), (-1, -1), HEADER_GREY),
            ]
        table = LongTable(data, colWidths=col_widths, repeatRows=header_rows)
        table.setStyle(TableStyle(commands))
        self._story.append(table)

    def signatures(
        self,
        signatures: Sequence[Signature],
        *,
        stamp: bool = True,
        date_line: bool = True,
        note: str | None = None,
    ) -> None:
        """Signature lines: position, «подпись» line, name line; then «М.П.» and the date line.

        ``note`` is a statement printed just above the signatures and kept on their page.
        """
        caption = self._styles["caption"]
        body = self._styles["body"]
        rows: list[list[Any]] = []
        for signature in signatures:
            role, name = Paragraph(escape(signature.role), body), Paragraph(escape(signature.name), caption)
            rows.append([role, "", "", name])
            rows.append(["", Paragraph(escape(tr(self.language, "(signature)")), caption), "",
                         Paragraph(escape(tr(self.language, "(full name)")), caption)])
        widths = [self.width * 0.40, self.width * 0.22, self.width * 0.05, self.width * 0.33]
        table = Table(rows, colWidths=widths)
        commands: list[tuple[Any, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ]
        for index in range(0, len(rows), 2):
            commands += [
                ("TOPPADDING", (0, index), (-1, index), 16),
                ("LINEBELOW", (1, index), (1, index), 0.6, colors.black),
                ("LINEBELOW", (3, index), (3, index), 0.6, colors.black),
            ]
        table.setStyle(TableStyle(commands))
        block: list[Flowable] = [Spacer(1, 6 * mm)]
        if note:
            block += [Paragraph(_lines(note), body), Spacer(1, 2 * mm)]
        block.append(table)
        tail = []
        if stamp:
            tail.append(tr(self.language, "Stamp here"))
        if date_line:
            tail.append(tr(self.language, "«___» ____________ 20___"))
        if tail:
            gap = "&nbsp;" * 24
            block += [Spacer(1, 6 * mm), Paragraph("&nbsp;" * 6 + gap.join(map(escape, tail)), body)]
        self._story.append(KeepTogether(block))

    def subheading(self, text: str) -> None:
        """A caption over a table inside a section, kept on the page of the table's start."""
        self._story.append(CondPageBreak(25 * mm))
        self._story.append(Paragraph(escape(text), self._styles["subheading"]))

    def spacer(self, height_mm: float) -> None:
        self._story.append(Spacer(1, height_mm * mm))

    def page_break(self) -> None:
        self._story.append(PageBreak())

    def add(self, flowable: Flowable) -> None:
        """Any reportlab flowable (a drawing, a custom sign)."""
        self._story.append(flowable)

    # building --------------------------------------------------------------------------------
    def build(self) -> BuiltForm:
        """Lay the form out and return its PDF bytes with the page count."""
        buffer = io.BytesIO()
        template = SimpleDocTemplate(
            buffer,
            pagesize=self.page_size,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN + 4 * mm,
            bottomMargin=MARGIN + 4 * mm,
            title=self.header.title,
            author="ent-arm",
            subject=self.header.site or "",
            lang=self.language,
        )
        document = self

        class NumberedCanvas(Canvas):
            """Holds pages back until the end so that each can say «стр. N из M»."""

            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                self._saved_pages: list[dict[str, Any]] = []

            def showPage(self) -> None:  # noqa: N802 - reportlab's name
                self._saved_pages.append(dict(self.__dict__))
                self._startPage()

            def save(self) -> None:
                total = len(self._saved_pages)
                for number, state in enumerate(self._saved_pages, start=1):
                    self.__dict__.update(state)
                    document._decorate(self, number, total)
                    super().showPage()
                document._pages = total
                super().save()

        template.build(list(self._story), canvasmaker=NumberedCanvas)
        return BuiltForm(
            pdf=buffer.getvalue(), pages=self._pages, language=self.language, title=self.header.title
        )

    def _add_header(self) -> None:
        header = self.header
        if header.appendix:
            appendix = (tr(self.language, "Appendix {number}\nto the Rules of conducting the UNT") if header.of_rules
                        else tr(self.language, "Appendix {number}\nto the Instruction on organising the UNT")
                        ).format(number=header.appendix)
            self._story.append(Paragraph(_lines(appendix), self._styles["appendix"]))
            self._story.append(Spacer(1, 4 * mm))
        self._story.append(Paragraph(_lines(header.title), self._styles["title"]))
        if header.subtitle:
            self._story.append(Paragraph(_lines(header.subtitle), self._styles["subtitle"]))
        if header.site:
            site = tr(self.language, "Test site: {site}").format(site=header.site)
            self._story.append(Paragraph(escape(site), self._styles["subtitle"]))
        self._story.append(Spacer(1, 4 * mm))

    def _decorate(self, canvas: Canvas, number: int, total: int) -> None:
        width, height = self.page_size
        canvas.saveState()
        canvas.setFont(REGULAR, 7.5)
        canvas.setFillColor(colors.Color(0.3, 0.3, 0.3))
        if number > 1:
            canvas.drawString(MARGIN, height - MARGIN, shortened(self.header.title, self.width * 0.7, 7.5))
            if self.header.site:
                canvas.drawRightString(width - MARGIN, height - MARGIN, self.header.site)
        printed = tr(self.language, "Printed {when}").format(when=self.printed_at.strftime("%d.%m.%Y %H:%M"))
        note = f"{self.footer_note} · {printed}" if self.footer_note else printed
        canvas.drawString(MARGIN, MARGIN - 2 * mm, note)
        canvas.drawRightString(width - MARGIN, MARGIN - 2 * mm,
                               tr(self.language, "page {page} of {pages}").format(page=number, pages=total))
        canvas.restoreState()


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=9.5, leading=12.5)
    return {
        "body": body,
        "cell": ParagraphStyle("cell", parent=body, fontSize=8, leading=9.6),
        "caption": ParagraphStyle("caption", parent=body, fontSize=6.5, leading=8, alignment=TA_CENTER),
        "appendix": ParagraphStyle("appendix", parent=body, fontSize=8.5, leading=11, alignment=TA_RIGHT),
        "title": ParagraphStyle("title", parent=body, fontName=BOLD, fontSize=13, leading=16.5,
                                alignment=TA_CENTER, spaceAfter=2 * mm),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=10, leading=13, alignment=TA_CENTER),
        "subheading": ParagraphStyle("subheading", parent=body, fontName=BOLD, fontSize=9.5, leading=12,
                                     spaceBefore=4 * mm, spaceAfter=1.5 * mm),
        "heading": ParagraphStyle("heading", parent=body, fontName=BOLD, fontSize=10.5, leading=13,
                                  spaceBefore=5 * mm, spaceAfter=2 * mm),
    }


def _word_widths(
    columns: Sequence[Column], rows: Sequence[Sequence[object]], total: Sequence[object] | None
) -> list[float]:
    """For each column, at a font size of 1 pt: the longest word of its title and total (so a Kazakh
    or Russian title does not break inside a word), and the longest word of its cells, or for a
    column that does not wrap its widest cell."""
    sample = rows[:_WIDTH_SAMPLE]
    widths = []
    for index, column in enumerate(columns):
        needed = _widest_word(column.title, 1)
        if total is not None:
            needed = max(needed, _widest_word(_text(total[index]), 1))
        for row in sample:
            text = _text(row[index])
            needed = max(needed, _widest_word(text, 1, bold=False) if column.wrap else text_width(text, 1))
        widths.append(needed)
    return widths


def _fitting_font(word_widths: Sequence[float], font_size: float, full: float) -> float:
    """``font_size``, or a smaller one (not below :data:`MIN_TABLE_FONT`) at which no word breaks."""
    room = full - _CELL_PADDING * len(word_widths)
    largest = room / sum(word_widths) if sum(word_widths) else font_size
    if largest >= font_size:
        return font_size
    return max(MIN_TABLE_FONT, int(largest * 4) / 4)


def _share_out(columns: Sequence[Column], minimums: Sequence[float], full: float) -> list[float]:
    """Widths by the columns' shares of ``full``, none below its minimum."""
    if sum(minimums) > full:
        scale = full / sum(minimums)
        return [minimum * scale for minimum in minimums]
    pinned: set[int] = set()
    while True:
        free = [index for index in range(len(columns)) if index not in pinned]
        room = full - sum(minimums[index] for index in pinned)
        shares = sum(columns[index].width for index in free)
        widths = {index: room * columns[index].width / shares for index in free}
        short = [index for index in free if widths[index] < minimums[index]]
        if not short:
            return [minimums[index] if index in pinned else widths[index] for index in range(len(columns))]
        pinned.update(short)


def _widest_word(text: str, font_size: float, bold: bool = True) -> float:
    """The widest word of ``text``; a line may break after a "/" between words ("каз./рус."), never
    inside a code or number ("10/001/0003", "20.06.2027")."""
    words = _BREAKING_SLASH.sub("/ ", text).split()
    return max((text_width(word, font_size, bold=bold) for word in words), default=0.0)


def _group_spans(groups: Sequence[tuple[str, int]], count: int) -> list[tuple[str, int, int]]:
    """(title, first column, last column) of each group; columns past the groups stand alone."""
    spans, first = [], 0
    for title, width in groups:
        if width < 1 or first + width > count:
            raise ValueError("header groups must cover the columns from the left")
        if title:
            spans.append((title, first, first + width - 1))
        else:
            spans += [("", column, column) for column in range(first, first + width)]
        first += width
    spans += [("", column, column) for column in range(first, count)]
    return spans


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else ""
    return str(value)


def _lines(text: str) -> str:
    """``text`` escaped for a Paragraph, its line breaks kept."""
    return "<br/>".join(escape(line) for line in text.split("\n"))


