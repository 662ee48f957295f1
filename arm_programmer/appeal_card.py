"""The answer analysis card of an appellant (прил. 39, п. 184.4, 188, 212.5), built from what the caller gives.

Nothing here reads the database: the caller gives the applicant's :class:`~arm_programmer.appeal_records.AppealRecord`,
their :class:`~arm_programmer.results.ResultRow`, every task of the subjects they were tested in as an
:class:`AnsweredTask` (the marks stored, the answer code, the points) and, per disputed task, the PNG of the
``ent-omr explain`` crop of its field (:func:`common.omr.explain.explain_png`). :func:`analysis_card_pdf` prints:

* the applicant, the application and its kind;
* **every task** of the tested subjects, a subject at a time in rows of twenty: the applicant's marks, the
  right code and the points; the disputed tasks are shaded and marked «*»;
* **each disputed task**: its ground (п. 195), the measured fill of every bubble on the test-day image and, for a
  technical appeal, on the fresh scan, each against the 50 % rule of п. 196 (:data:`MARKED_SHARE`), and the
  ``explain`` crop; the commission's signature lines.

**Assumption (the one place it is stated).** The seeds name прил. 39 and what it is for, never its layout:
the blocks above are what п. 184.4, 190 and 196 say the commission compares; the card says so in one line
(:data:`arm_programmer.exam_prints.ASSUMED_LAYOUT`).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Image, KeepTogether, Paragraph, Spacer, Table, TableStyle

from arm_programmer.appeal_prints import KINDS, task_label
from arm_programmer.appeal_records import MARKED_SHARE, AppealKind, AppealRecord, DisputedTask
from arm_programmer.codes_print import subject_names
from arm_programmer.exam_prints import ASSUMED_LAYOUT, FOOTER
from arm_programmer.results import ResultRow
from common.codebook import APPEAL_GROUND_TEXTS
from common.errors import Refused
from common.i18n import N_, _, tr
from common.reports import FormDocument, FormHeader, Signature
from common.reports.document import HEADER_GREY, BuiltForm
from common.reports.fonts import BOLD, REGULAR
from common.testspec import TestSpecification

CARD_KEY: Final = "analysis-card"
APPENDIX: Final = "39"
PER_ROW: Final = 20
"""Tasks per row of a subject's grid."""
DISPUTED_GREY: Final = colors.Color(0.82, 0.82, 0.82)
CROP_WIDTH: Final = 120 * mm
CROP_HEIGHT: Final = 90 * mm
"""The largest an ``explain`` crop is drawn (its proportions kept)."""
SUBJECT_TITLE: Final = ParagraphStyle("card-subject", fontName=BOLD, fontSize=9, leading=12, spaceAfter=2)


@dataclass(frozen=True)
class AnsweredTask:
    """One task of a tested subject as scored: the marks stored, the answer code's letters, the points."""

    subject: str
    task: int
    marks: str
    correct: str
    points: int


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)} %"


def _marked(value: float | None, language: str) -> str:
    if value is None:
        return ""
    return tr(language, N_("marked")) if value >= MARKED_SHARE else tr(language, N_("not marked"))


def analysis_card_pdf(record: AppealRecord, row: ResultRow, answers: Sequence[AnsweredTask],
                      crops: Mapping[tuple[str, int], bytes], *, spec: TestSpecification, site_code: str,
                      site_name: str, exam_date: date, language: str) -> BuiltForm:
    """Прил. 39 of one appellant; ``crops[(subject, task)]`` is a disputed task's ``explain`` PNG (may be absent)."""
    def t(message: str) -> str:
        return tr(language, message)

    if row.ikt != record.ikt:
        raise Refused(_("Application {number} is not of an applicant of the stream's results.").format(
            number=record.number))
    subtitle = t(N_("Stream {stream}, {date}")).format(stream=record.stream, date=exam_date.strftime("%d.%m.%Y"))
    header = FormHeader(title=t(N_("Answer analysis card")), appendix=APPENDIX, subtitle=subtitle,
                        site=f"{site_code} — {site_name}")
    document = FormDocument(header, language, footer_note=FOOTER)
    document.key_values([
        (t(N_("Application №")), record.number), (t("ИКТ"), record.ikt),
        (t("Surname, name, patronymic"), row.full_name), (t(N_("Kind of appeal")), t(KINDS[record.kind])),
        (t("Room"), record.room_number), (t(N_("Variant")), record.variant),
        (t(N_("Total before the appeal")), "" if row.total is None else row.total),
    ], key_share=0.35)
    names = subject_names(spec, language)
    disputed = {(item.subject, item.task) for item in record.tasks}
    by_subject: dict[str, list[AnsweredTask]] = {}
    for answer in answers:
        by_subject.setdefault(answer.subject, []).append(answer)
    order = [code for code in record.subjects if code in by_subject] + \
        sorted(code for code in by_subject if code not in record.subjects)
    document.heading(t(N_("Every task: marks, answer code, points")))
    document.paragraph(t(N_("* a disputed task (shaded).")), size=7.5)
    for code in order:
        tasks = sorted(by_subject[code], key=lambda answer: answer.task)
        points = sum(answer.points for answer in tasks)
        title = f"{names.get(code, code)} — " + t(N_("points: {points}")).format(points=points)
        grids: list[Flowable] = [Spacer(1, 2 * mm), Paragraph(escape(title), SUBJECT_TITLE)]
        for start in range(0, len(tasks), PER_ROW):
            grids += [_grid(tasks[start:start + PER_ROW], disputed, document.width, language), Spacer(1, 1 * mm)]
        document.add(KeepTogether(grids))
    document.heading(t(N_("Disputed tasks")))
    for item in record.tasks:
        _disputed(document, record, item, crops.get((item.subject, item.task)), names, language)
    document.signatures([Signature(t(N_("Chair of the appeal commission")), record.chair),
                         Signature(t("Programmer of the Ministry")), Signature(t(N_("Applicant")), row.full_name)],
                        stamp=False, note=t(ASSUMED_LAYOUT))
    return document.build()


def _grid(chunk: Sequence[AnsweredTask], disputed: set[tuple[str, int]], width: float, language: str) -> Table:
    def t(message: str) -> str:
        return tr(language, message)

    numbers: list[Any] = [t(N_("Task"))]
    marks: list[Any] = [t(N_("Marks"))]
    codes: list[Any] = [t(N_("Code"))]
    points: list[Any] = [t(N_("Points"))]
    for answer in chunk:
        star = "*" if (answer.subject, answer.task) in disputed else ""
        numbers.append(f"{answer.task}{star}")
        marks.append(answer.marks or "–")
        codes.append(answer.correct)
        points.append(str(answer.points))
    label = 24 * mm
    cell = (width - label) / PER_ROW
    table = Table([numbers, marks, codes, points], colWidths=[label] + [cell] * len(chunk))
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
        ("FONT", (0, 0), (-1, -1), REGULAR, 7.5),
        ("FONT", (0, 0), (-1, 0), BOLD, 7.5),
        ("BACKGROUND", (0, 0), (0, -1), HEADER_GREY),
        ("BACKGROUND", (1, 0), (-1, 0), HEADER_GREY),
        ("ALIGN", (1, 0), (-1, -1), "CENTER"),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]
    for index, answer in enumerate(chunk, start=1):
        if (answer.subject, answer.task) in disputed:
            commands.append(("BACKGROUND", (index, 0), (index, -1), DISPUTED_GREY))
            commands.append(("FONT", (index, 0), (index, -1), BOLD, 7.5))
    table.setStyle(TableStyle(commands))
    table.hAlign = "LEFT"
    return table


def _disputed(document: FormDocument, record: AppealRecord, item: DisputedTask, crop: bytes | None,
              names: Mapping[str, str], language: str) -> None:
    def t(message: str) -> str:
        return tr(language, message)

    document.subheading(task_label(item, names))
    document.paragraph(t(N_("Ground: {ground}")).format(ground=t(APPEAL_GROUND_TEXTS[item.ground])), size=8.5)
    facts = t(N_("Marks: {marks}; answer code: {code}; points: {points} of {most}")).format(
        marks=item.marks or "–", code=item.correct, points=item.points, most=item.max_points)
    if item.claimed:
        facts += "; " + t(N_("named by the applicant: {claimed}")).format(claimed=item.claimed)
    document.paragraph(facts, size=8.5)
    options = sorted(set(item.fills) | set(item.appeal_fills))
    if options:
        technical = record.kind is AppealKind.TECHNICAL
        columns = [t(N_("Option")), t(N_("Fill on the test day")), t(N_("Marked (half or more, п. 196)"))]
        if technical:
            columns += [t(N_("Fill on the appeal scan")), t(N_("Marked (half or more, п. 196)"))]
        head = ParagraphStyle("card-head", fontName=BOLD, fontSize=8, leading=9.6, alignment=TA_CENTER)
        rows: list[list[Any]] = [[Paragraph(escape(column), head) for column in columns]]
        for option in options:
            code = "✓" if option in item.correct else ""
            line = [f"{option} {code}".strip(), _percent(item.fills.get(option)),
                    _marked(item.fills.get(option), language)]
            if technical:
                line += [_percent(item.appeal_fills.get(option)), _marked(item.appeal_fills.get(option), language)]
            rows.append(line)
        table = Table(rows, colWidths=[document.width / len(columns)] * len(columns))
        table.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
            ("FONT", (0, 0), (-1, -1), REGULAR, 8),
            ("FONT", (0, 0), (-1, 0), BOLD, 8),
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_GREY),
            ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ]))
        document.add(table)
        document.paragraph(t(N_("✓ — an option of the answer code. A bubble filled half or more is marked "
                                "(п. 196).")), size=7.5)
    if crop:
        reader = ImageReader(io.BytesIO(crop))
        pixels_wide, pixels_high = reader.getSize()
        scale = min(min(CROP_WIDTH, document.width) / pixels_wide, CROP_HEIGHT / pixels_high)
        document.spacer(1)
        document.add(Image(io.BytesIO(crop), width=pixels_wide * scale, height=pixels_high * scale))
    document.spacer(3)
