"""A form printed in several copies, each marked on every page with its number and purpose.

The answer codes (прил. 9, two copies, п. 179) and the statement without appeal (прил. 4, four
copies, п. 180) are printed as one PDF holding every copy in turn: each copy starts on a new page
with the form's head, every page names its copy («Copy 2 of 4: for the representative of the
Ministry») and counts its pages within the copy, so that a copy taken away from the others is
complete in itself. :class:`CopiesDocument` learns where each copy starts while reportlab lays the
pages out (a zero-size mark drawn at the copy's start) and decorates the pages once all are known;
:meth:`CopiesDocument.decorate_page` lets a form draw more on each page (the statement's QR).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Indenter, KeepTogether, Paragraph

from common.i18n import N_, tr
from common.reports import BuiltForm, FormDocument, FormHeader
from common.reports.document import MARGIN
from common.reports.fonts import BOLD, REGULAR, shortened


class PageMark(Flowable):
    """A zero-size flowable that reports the page it lands on."""

    def __init__(self, seen: Callable[[int], None]) -> None:
        super().__init__()
        self._seen = seen

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0.0, 0.0

    def draw(self) -> None:
        self._seen(self.canv.getPageNumber())


@dataclass(frozen=True)
class PagePlace:
    """Where a page of the PDF belongs: its copy (from 1) and its number within the copy."""

    copy: int
    copies: int
    page: int
    pages: int


class CopiesDocument(FormDocument):
    """A :class:`FormDocument` of several copies; call :meth:`begin_copy` before each copy's content."""

    def __init__(
        self,
        header: FormHeader,
        language: str,
        purposes: Sequence[str],
        *,
        landscape_pages: bool = False,
        footer_note: str = "",
        printed_at: datetime | None = None,
        reserved_right: float = 0.0,
    ) -> None:
        self.purposes = tuple(purposes)
        self.reserved_right = reserved_right
        self._copy_starts: dict[int, int] = {}
        super().__init__(header, language, landscape_pages=landscape_pages, footer_note=footer_note,
                         printed_at=printed_at)

    @property
    def width(self) -> float:
        """The width tables and signatures take: the page's, less the strip kept free on the right."""
        return float(self.page_size[0] - 2 * MARGIN - self.reserved_right)

    def build(self) -> BuiltForm:
        """The PDF; the strip on the right of every page is kept free for what :meth:`decorate_page` draws."""
        if self.reserved_right:
            self._story.insert(0, Indenter(right=self.reserved_right))
        return super().build()

    def copy_label(self, copy: int) -> str:
        return tr(self.language, N_("Copy {copy} of {copies}: {purpose}")).format(
            copy=copy, copies=len(self.purposes), purpose=self.purposes[copy - 1])

    def begin_copy(self, copy: int) -> None:
        """Start copy ``copy`` (from 1): a new page and the form's head for every copy after the first."""
        if copy > 1:
            self.page_break()
            self._add_header()
        def seen(page: int) -> None:
            self._copy_starts.setdefault(copy, page)

        self.add(PageMark(seen))
        self.add(Paragraph(f"<b>{escape(self.copy_label(copy))}</b>", self._styles["subtitle"]))
        self.spacer(2)

    def titled(self, title: str, flowable: Flowable) -> None:
        """``flowable`` under a bold caption, the two kept on one page."""
        self.add(KeepTogether([Paragraph(escape(title), self._styles["subheading"]), flowable]))

    def place(self, number: int, total: int) -> PagePlace:
        """The copy and page within it of page ``number`` of ``total``."""
        starts = sorted((page, copy) for copy, page in self._copy_starts.items())
        first, copy = 1, 1
        for page, candidate in starts:
            if page <= number:
                first, copy = page, candidate
        later = [page for page, _copy in starts if page > first]
        last = (min(later) - 1) if later else total
        return PagePlace(copy=copy, copies=len(self.purposes), page=number - first + 1, pages=last - first + 1)

    def decorate_page(self, canvas: Canvas, number: int, place: PagePlace) -> None:
        """More to draw on page ``number``; nothing by default."""

    def _decorate(self, canvas: Canvas, number: int, total: int) -> None:
        place = self.place(number, total)
        width, height = self.page_size
        canvas.saveState()
        canvas.setFillColor(colors.Color(0.3, 0.3, 0.3))
        canvas.setFont(REGULAR, 7.5)
        if place.page > 1:
            canvas.drawString(MARGIN, height - MARGIN, shortened(self.header.title, self.width * 0.55, 7.5))
            canvas.setFont(BOLD, 7.5)
            canvas.drawRightString(width - MARGIN, height - MARGIN, self.copy_label(place.copy))
            canvas.setFont(REGULAR, 7.5)
        printed = tr(self.language, "Printed {when}").format(when=self.printed_at.strftime("%d.%m.%Y %H:%M"))
        note = f"{self.footer_note} · {printed}" if self.footer_note else printed
        if self.header.site:
            note = f"{self.header.site} · {note}"
        canvas.drawString(MARGIN, MARGIN - 2 * mm, note)
        pages = tr(self.language, "page {page} of {pages}").format(page=place.page, pages=place.pages)
        copy = tr(self.language, N_("copy {copy} of {copies}")).format(copy=place.copy, copies=place.copies)
        canvas.drawRightString(width - MARGIN, MARGIN - 2 * mm, f"{copy} · {pages}")
        canvas.restoreState()
        self.decorate_page(canvas, number, place)

