"""The statement of results without appeal (прил. 4, п. 53.5, 170, 180) and with appeal (прил. 3, п. 206.3), built
from result rows.

Nothing here reads the database: the caller gives the stream's :class:`~arm_programmer.results.ResultRow`
list (``arm_programmer.scores.result_rows``) and the stream's facts. :func:`statement_pdf` prints:

* **the list** — every seated applicant of the stream (sheets marked «Удалить бланк» are not scored,
  п. 170: such an applicant has no score and is listed by their status): №, ИКТ, full name, school
  code, room, seat, variant, a column per subject of the test specification (a profile slot's column
  shows the chosen profile subject's code beside its points, «01: 28»; the codes are named under the
  list), total and a note («Не явился», «Аннулирован», «Не допущен», «Творческий экзамен»);
* **the summaries** — per room and for the stream: seated, scored, absent, annulled, not admitted,
  the average and highest total (of those tested in every subject: a creative-exam total is of fewer
  subjects), each subject's average; then each subject's average and highest points for the stream,
  every profile subject apart;
* in **four copies** (п. 180.1–4): posted for public view, for the representative of the Ministry,
  for the chair of the appeal commission, kept at the ППЕНТ; each with the stamp place («М.П.», the
  stamp of the ВУЗ hosting the ППЕНТ or of the district (city) education department, п. 180) and the
  signature lines;
* on **every page** a QR with the page's signed seal (:mod:`arm_programmer.statement_seal`).

**With appeal** (прил. 3, :data:`WITH_APPEAL`): the same list and summaries of the rows as the appeal left
them, in **two copies** (п. 206.3, 207: the first to the representative of the Ministry after signing, the
second kept in the site's files), certified by the same stamp, every page sealed the same way; one more
column, «Changed on appeal», shows a row's total before → after when an appeal decision changed its points
(the :class:`~arm_programmer.appeal_records.ScoreChange` list given), and a line under the list counts them.

**Choices (the one place they are stated).** The instruction gives neither the columns of прил. 4 nor
their order: the columns above are what п. 180 and the appeal (п. 184.5, 190.7) need. The rows are
sorted over the whole stream by surname, name and patronymic in the Kazakh alphabet
(:data:`common.codebook.ALPHABET`; Ё as Е, Ъ as Ь), then by ИКТ — one list for the stream, as it is
posted, the room shown in its column (:func:`arm_programmer.statement_seal.statement_order`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final
from xml.sax.saxutils import escape

import numpy as np
import zxingcpp
from PIL import Image
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, LongTable, Paragraph, TableStyle

from arm_programmer.appeal_records import ScoreChange
from arm_programmer.copy_document import CopiesDocument, PagePlace
from arm_programmer.exam_prints import ASSUMED_LAYOUT, FOOTER
from arm_programmer.results import ResultRow, ResultStatus
from arm_programmer.statement_seal import page_seal, statement_order
from common.errors import Refused
from common.i18n import N_, _, tr
from common.reports import Column, FormHeader, Signature
from common.reports.document import HEADER_GREY, MARGIN, ZEBRA_GREY, BuiltForm
from common.reports.fonts import BOLD, REGULAR, text_width
from common.security.keys import Identity
from common.testspec import TestSpecification

STATEMENT_KEY: Final = "statement"
APPENDIX: Final = "4"
PURPOSES: Final = (N_("posted for public view"), N_("for the representative of the Ministry"),
                   N_("for the chair of the appeal commission"), N_("kept at the test site"))
"""The four copies of п. 180.1–4, in order."""


@dataclass(frozen=True)
class StatementForm:
    """Which statement is printed: its title, appendix, the purposes of its copies and the stamp's paragraph."""

    title: str
    appendix: str
    purposes: tuple[str, ...]
    stamp_note: str
    with_appeal: bool


WITHOUT_APPEAL: Final = StatementForm(
    title=N_("Statement of UNT results without appeal"), appendix=APPENDIX, purposes=PURPOSES,
    stamp_note=N_("Certified by the stamp of the higher education institution hosting the test site or of the "
                  "district (city) education department (п. 180)."), with_appeal=False)
"""Прил. 4 (п. 180)."""
WITH_APPEAL: Final = StatementForm(
    title=N_("Statement of UNT results with appeal"), appendix="3",
    purposes=(N_("to the representative of the Ministry after signing"), N_("kept in the test site's files")),
    stamp_note=N_("Certified by the stamp of the higher education institution hosting the test site or of the "
                  "district (city) education department (п. 206.3)."), with_appeal=True)
"""Прил. 3 (п. 206.3, 207)."""
NOTES: Final[Mapping[ResultStatus, str]] = {
    ResultStatus.ABSENT: N_("Absent"),
    ResultStatus.ANNULLED: N_("Annulled"),
    ResultStatus.NOT_ADMITTED: N_("Not admitted"),
}
CREATIVE_NOTE: Final = N_("Creative exam")
QR_MODULE: Final = 0.45 * mm
"""A QR module's side: 0.45 mm survives a photocopy and a phone's photograph."""
QR_STRIP: Final = 47 * mm
"""The strip kept free on the right of every page for the QR."""
FONT: Final = 7.5
UPRIGHT_LINE: Final = 52.0
QR_PIXELS: Final = 4
"""Pixels per QR module in the page's QR image."""


@dataclass(frozen=True)
class _Placed:
    index: int
    row: ResultRow


class _RowNumber(Flowable):
    """The № cell of a row: draws the number and tells the statement which page the row landed on."""

    def __init__(self, number: int, seen: Callable[[int], None]) -> None:
        super().__init__()
        self.number = str(number)
        self._seen = seen
        self._width = 0.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self._width = available_width
        return available_width, FONT * 1.2

    def draw(self) -> None:
        self.canv.setFont(REGULAR, FONT)
        self.canv.drawRightString(self._width, FONT * 0.25, self.number)
        self._seen(self.canv.getPageNumber())


class _StatementDocument(CopiesDocument):
    def __init__(self, *args: Any, seal: Callable[[Sequence[_Placed], PagePlace], str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._seal = seal
        self.page_rows: dict[int, list[_Placed]] = {}

    def placed(self, index: int, row: ResultRow) -> Callable[[int], None]:
        return lambda page: self.page_rows.setdefault(page, []).append(_Placed(index, row))

    def decorate_page(self, canvas: Canvas, number: int, place: PagePlace) -> None:
        rows = sorted(self.page_rows.get(number, []), key=lambda item: item.index)
        draw_qr(canvas, self._seal(rows, place), right=self.page_size[0] - MARGIN, bottom=MARGIN + 2 * mm,
                caption=tr(self.language, N_("Seal of copy {copy}, page {page} of {pages}")).format(
                    copy=place.copy, page=place.page, pages=place.pages))


def draw_qr(canvas: Canvas, text: str, *, right: float, bottom: float, caption: str) -> None:
    """``text`` as a QR (error correction M) with its bottom right corner at (``right``, ``bottom``)."""
    barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    matrix = np.asarray(barcode.to_image(scale=1, add_quiet_zones=False)) < 128
    size = matrix.shape[0]
    module = min(QR_MODULE, (QR_STRIP - 3 * mm) / size)
    left, top = right - size * module, bottom + size * module
    # a bitmap of whole pixels per module: drawn as one image, never smoothed across a module's edge
    bitmap = Image.fromarray(np.where(np.kron(matrix, np.ones((QR_PIXELS, QR_PIXELS), dtype=bool)), 0, 255)
                             .astype(np.uint8), mode="L").convert("1")
    canvas.saveState()
    canvas.drawImage(ImageReader(bitmap), left, bottom, size * module, size * module)
    canvas.setFont(REGULAR, 6)
    canvas.setFillColor(colors.Color(0.3, 0.3, 0.3))
    canvas.drawRightString(right, top + 4 * module + 1.5, caption)
    canvas.restoreState()


def statement_pdf(
    rows: Sequence[ResultRow],
    *,
    spec: TestSpecification,
    site_code: str,
    site_name: str,
    stream: int,
    exam_date: date,
    language: str,
    signer: Identity,
    copies: int | None = None,
    form: StatementForm = WITHOUT_APPEAL,
    changes: Sequence[ScoreChange] = (),
) -> BuiltForm:
    """Прил. 4 (or ``form``'s appendix) of the stream's ``rows`` in ``copies`` marked copies (all of the form's:
    four for прил. 4, two for прил. 3), every page sealed by ``signer``; ``changes`` are the appeal's (прил. 3)."""
    copies = len(form.purposes) if copies is None else copies
    if not 1 <= copies <= len(form.purposes):
        raise Refused(_("The statement is printed in one to {most} copies, not {copies}.").format(
            most=len(form.purposes), copies=copies))
    ordered = statement_order(rows)
    moved = appeal_moves(changes) if form.with_appeal else None

    def seal(placed: Sequence[_Placed], place: PagePlace) -> str:
        return page_seal([item.row for item in placed], site_code=site_code, stream=stream, exam_date=exam_date,
                         copy=place.copy, page=place.page, pages=place.pages,
                         first=placed[0].index if placed else 0, signer=signer)

    def t(message: str) -> str:
        return tr(language, message)

    subtitle = t(N_("Stream {stream}, {date}")).format(stream=stream, date=exam_date.strftime("%d.%m.%Y"))
    header = FormHeader(title=t(form.title), appendix=form.appendix,
                        subtitle=f"{spec.title_in(language)}\n{subtitle}", site=f"{site_code} — {site_name}")
    document = _StatementDocument(header, language, [t(purpose) for purpose in form.purposes[:copies]],
                                  landscape_pages=True, footer_note=FOOTER, reserved_right=QR_STRIP, seal=seal)
    cells = [_cells(row, spec, language, moved) for row in ordered]
    for copy in range(1, copies + 1):
        document.begin_copy(copy)
        document.add(_list_table(document, ordered, cells, spec, language, appeal=moved is not None))
        if moved is not None:
            changed = sum(1 for row in ordered if row.ikt in moved)
            document.paragraph(t(N_("Totals changed on appeal: {count}.")).format(count=changed), size=7.5)
        _legend(document, ordered, spec, language)
        _summaries(document, ordered, spec, language)
        document.signatures([Signature(t(N_("Chair of the state commission"))),
                             Signature(t(N_("Representative of the Ministry"))),
                             Signature(t("Programmer of the Ministry"))],
                            note="\n".join([t(form.stamp_note), t(ASSUMED_LAYOUT)]))
    return document.build()


def _slots(row: ResultRow, spec: TestSpecification) -> dict[str, tuple[str, int]]:
    """Each specification subject's (profile code or "", points) of a scored row, by the spec subject's code."""
    mandatory = {subject.code for subject in spec.mandatory_subjects}
    slots = [subject.code for subject in spec.profile_slot_subjects]
    placed: dict[str, tuple[str, int]] = {}
    for item in row.subjects:
        if item.code in mandatory:
            placed[item.code] = ("", item.points)
        elif slots:
            placed[slots.pop(0)] = (item.code, item.points)
    return placed


def appeal_moves(changes: Sequence[ScoreChange]) -> dict[str, int]:
    """The points each ИКТ's total gained (or lost) on appeal; an ИКТ whose changes cancel out is kept (0)."""
    moved: dict[str, int] = {}
    for change in changes:
        moved[change.ikt] = moved.get(change.ikt, 0) + change.after - change.before
    return moved


def _cells(row: ResultRow, spec: TestSpecification, language: str,
           moved: Mapping[str, int] | None = None) -> list[str]:
    """The row's printed values after its №: ИКТ, name, school, room, seat, variant, subjects, total, [the change
    on appeal,] note."""
    placed = _slots(row, spec)
    subjects = [(f"{placed[subject.code][0]}: {placed[subject.code][1]}" if placed[subject.code][0]
                 else str(placed[subject.code][1])) if subject.code in placed else ""
                for subject in spec.subjects]
    note = tr(language, NOTES[row.status]) if row.status in NOTES else \
        (tr(language, CREATIVE_NOTE) if row.creative else "")
    appeal = []
    if moved is not None:
        gained = moved.get(row.ikt)
        appeal = ["" if gained is None or row.total is None else f"{row.total - gained} → {row.total}"]
    return [row.ikt, row.full_name, row.school_code, row.room_number, "" if row.seat is None else str(row.seat),
            row.variant or "", *subjects, "" if row.total is None else str(row.total), *appeal, note]


def _list_table(document: _StatementDocument, ordered: Sequence[ResultRow], cells: Sequence[Sequence[str]],
                spec: TestSpecification, language: str, *, appeal: bool = False) -> LongTable:
    titles = ["№", tr(language, "ИКТ"), tr(language, "Surname, name, patronymic"), tr(language, N_("School code")),
              tr(language, "Room"), tr(language, "Seat"), tr(language, N_("Variant")),
              *[subject.name(language) for subject in spec.subjects], tr(language, N_("Total")),
              *([tr(language, N_("Changed on appeal"))] if appeal else []), tr(language, "Note")]
    head = ParagraphStyle("statement-head", fontName=BOLD, fontSize=FONT, leading=FONT * 1.15, alignment=TA_CENTER)
    body = ParagraphStyle("statement-cell", fontName=REGULAR, fontSize=FONT, leading=FONT * 1.2)
    padding = 7.0
    contents = [text_width(str(len(ordered)), FONT)] + [
        0.0 if index == 1 else max((text_width(values[index], FONT) for values in cells), default=0.0)
        for index in range(len(titles) - 1)]
    header: list[Any] = []
    widths = []
    for index, (title, content) in enumerate(zip(titles, contents, strict=True)):
        if index != 2 and _widest_word(title) > max(content, 34.0):
            upright = _Upright(title)
            header.append(upright)
            widths.append(max(content, upright.across) + padding)
        else:
            header.append(Paragraph(escape(title), head))
            widths.append(0.0 if index == 2 else max(content, _widest_word(title)) + padding)
    name_room = document.width - sum(widths)
    if name_room < 90:
        raise Refused(_("The statement's columns do not fit on the page."))
    widths[2] = name_room
    data: list[list[Any]] = [header]
    for index, (row, values) in enumerate(zip(ordered, cells, strict=True)):
        name: Any = values[1] if text_width(values[1], FONT) <= name_room - padding else \
            Paragraph(escape(values[1]), body)
        data.append([_RowNumber(index + 1, document.placed(index, row)), values[0], name, *values[2:]])
    subjects = len(spec.subjects)
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_GREY),
        ("FONT", (0, 1), (-1, -1), REGULAR, FONT),
        ("FONT", (7 + subjects, 1), (7 + subjects, -1), BOLD, FONT),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("ALIGN", (3, 1), (-2, -1), "CENTER"),
        ("ALIGN", (1, 1), (1, -1), "CENTER"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
    if appeal:
        commands.append(("FONT", (8 + subjects, 1), (8 + subjects, -1), BOLD, FONT))
    for row_number in range(2, len(data), 2):
        commands.append(("BACKGROUND", (0, row_number), (-1, row_number), ZEBRA_GREY))
    table = LongTable(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(commands))
    return table


class _Upright(Flowable):
    """A column title set bottom to top, in lines of at most :data:`UPRIGHT_LINE` (a narrow column's head)."""

    def __init__(self, title: str) -> None:
        super().__init__()
        self.lines: list[str] = []
        for word in title.split():
            if self.lines and text_width(f"{self.lines[-1]} {word}", FONT, bold=True) <= UPRIGHT_LINE:
                self.lines[-1] = f"{self.lines[-1]} {word}"
            else:
                self.lines.append(word)
        self.across = len(self.lines) * FONT * 1.15
        self.along = max(text_width(line, FONT, bold=True) for line in self.lines)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.across, self.along

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFont(BOLD, FONT)
        canvas.rotate(90)
        for number, line in enumerate(self.lines):
            canvas.drawCentredString(self.along / 2, -(number + 0.8) * FONT * 1.15, line)
        canvas.restoreState()


def _widest_word(text: str) -> float:
    return max((text_width(word, FONT, bold=True) for word in text.split()), default=0.0)


def _legend(document: CopiesDocument, ordered: Sequence[ResultRow], spec: TestSpecification, language: str) -> None:
    mandatory = {subject.code for subject in spec.mandatory_subjects}
    chosen = sorted({item.code for row in ordered for item in row.subjects if item.code not in mandatory})
    if not chosen:
        return
    names = []
    for code in chosen:
        choice = spec.profile_subject(code)
        names.append(f"{code} — {choice.name(language) if choice else code}")
    document.spacer(2)
    document.paragraph(tr(language, N_("Profile subjects: {subjects}.")).format(subjects="; ".join(names)), size=7.5)


@dataclass(frozen=True)
class Summary:
    """The counts and averages of a room or of the stream."""

    seated: int
    scored: int
    absent: int
    annulled: int
    not_admitted: int
    creative: int
    average_total: float | None
    highest_total: int | None
    subject_averages: dict[str, float]
    """By specification subject code (a profile slot: every profile subject's points in it)."""


def summarize(rows: Sequence[ResultRow], spec: TestSpecification) -> Summary:
    """A room's or the stream's summary; the totals are of those scored in every subject (not creative)."""
    scored = [row for row in rows if row.status is ResultStatus.SCORED]
    full = [row.total for row in scored if not row.creative and row.total is not None]
    points: dict[str, list[int]] = {}
    for row in scored:
        for code, (_profile, value) in _slots(row, spec).items():
            points.setdefault(code, []).append(value)
    return Summary(
        seated=len(rows), scored=len(scored),
        absent=sum(1 for row in rows if row.status is ResultStatus.ABSENT),
        annulled=sum(1 for row in rows if row.status is ResultStatus.ANNULLED),
        not_admitted=sum(1 for row in rows if row.status is ResultStatus.NOT_ADMITTED),
        creative=sum(1 for row in scored if row.creative),
        average_total=sum(full) / len(full) if full else None, highest_total=max(full) if full else None,
        subject_averages={code: sum(values) / len(values) for code, values in points.items()},
    )


def _number(value: float | None, language: str) -> str:
    if value is None:
        return "—"
    text = f"{value:.1f}"
    return text if language == "en" else text.replace(".", ",")


def _summaries(document: CopiesDocument, ordered: Sequence[ResultRow], spec: TestSpecification,
               language: str) -> None:
    def t(message: str) -> str:
        return tr(language, message)

    rooms: dict[str, list[ResultRow]] = {}
    for row in ordered:
        rooms.setdefault(row.room_number, []).append(row)

    def line(label: str, summary: Summary) -> list[object]:
        return [label, summary.seated, summary.scored, summary.absent, summary.annulled, summary.not_admitted,
                summary.creative, _number(summary.average_total, language),
                "—" if summary.highest_total is None else summary.highest_total,
                *[_number(summary.subject_averages.get(subject.code), language) for subject in spec.subjects]]

    columns = [Column(t("Room"), 0.8, "center", wrap=False), Column(t(N_("Seated")), 0.8, "right"),
               Column(t(N_("Scored")), 0.8, "right"), Column(t("Absent"), 0.8, "right"),
               Column(t("Annulled"), 0.9, "right"), Column(t("Not admitted"), 0.9, "right"),
               Column(t(CREATIVE_NOTE), 0.9, "right"), Column(t(N_("Average total")), 0.9, "right"),
               Column(t(N_("Highest total")), 0.9, "right"),
               *[Column(t(N_("Average: {subject}")).format(subject=subject.name(language)), 1.0, "right")
                 for subject in spec.subjects]]
    rows = [line(room, summarize(members, spec)) for room, members in sorted(rooms.items(), key=_room_key)]
    document.heading(t(N_("Summary by room and for the stream")))
    document.table(columns, rows, total=line(t(N_("Stream")), summarize(ordered, spec)), font_size=7.5)
    document.paragraph(t(N_("Average and highest totals are of the applicants tested in every subject; a "
                            "creative-exam total is of fewer subjects.")), size=7.5)
    document.subheading(t(N_("Subjects of the stream")))
    per_subject: dict[str, list[tuple[int, int]]] = {}
    for row in ordered:
        for item in row.subjects:
            per_subject.setdefault(item.code, []).append((item.points, item.max_points))
    order = [subject.code for subject in spec.mandatory_subjects] + sorted(
        code for code in per_subject if spec.subject(code) is None)
    subject_rows = []
    for code in order:
        if code not in per_subject:
            continue
        values = per_subject[code]
        subject = spec.subject(code)
        choice = spec.profile_subject(code)
        name = subject.name(language) if subject else (f"{code} — {choice.name(language)}" if choice else code)
        subject_rows.append([name, len(values), _number(sum(v for v, _m in values) / len(values), language),
                             max(v for v, _m in values), max(m for _v, m in values)])
    document.table([Column(t(N_("Subject")), 3.0), Column(t(N_("Scored")), 1.0, "right"),
                    Column(t(N_("Average")), 1.0, "right"), Column(t(N_("Highest")), 1.0, "right"),
                    Column(t(N_("Maximum")), 1.0, "right")], subject_rows, font_size=7.5)


def _room_key(item: tuple[str, list[ResultRow]]) -> tuple[int, str]:
    room = item[0]
    return (int(room), room) if room.isdigit() else (1 << 30, room)
