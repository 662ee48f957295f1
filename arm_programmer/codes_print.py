"""The answer codes of a stream as printed (прил. 9, п. 53.4, 176–179), built from the key alone.

Nothing here reads the database: the caller gives the test specification, the opened answer key
and the stream's facts. :func:`codes_pdf` prints every variant of the key in turn, each as a table
with a row per subject (mandatory subjects by the specification's names, then every profile subject
the key holds, under its own name) and a column per task number, each cell the right option letters
(several letters for a multiple-answer task); the whole in two copies (п. 179): the first posted for
public view, the second for the appeal commission, each signed by the chair of the state commission,
the representative of the ДКНБ and the representative of the Ministry, the three who opened the codes
(п. 178).

**Assumption (the one place it is stated).** The seeds name прил. 9 and what it holds, never its
layout: the variant-by-subject-by-task table above is built from what the instruction says the codes
are for (applicants compare them with their answer-sheet copy, п. 151), and the form says so in one
line at its foot (:data:`arm_programmer.exam_prints.ASSUMED_LAYOUT`).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Final
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, Table, TableStyle

from arm_programmer.copy_document import CopiesDocument
from arm_programmer.exam_prints import ASSUMED_LAYOUT, FOOTER
from common.errors import Refused
from common.i18n import N_, _, tr
from common.reports import FormHeader, Signature
from common.reports.document import HEADER_GREY, ZEBRA_GREY, BuiltForm
from common.reports.fonts import BOLD, REGULAR, text_width
from common.testspec import AnswerKey, TestSpecification
from common.testspec.answer_key import keyed_subjects

CODES_KEY: Final = "answer-codes"
APPENDIX: Final = "9"
PURPOSES: Final = (N_("posted for public view"), N_("for the appeal commission"))
"""The two copies of п. 179, in order."""


def subject_names(spec: TestSpecification, language: str) -> dict[str, str]:
    """The name of every subject an answer key holds, by key code, in ``language``."""
    names = {subject.code: subject.name(language) for subject in spec.mandatory_subjects}
    for choice in spec.profile_subject_choices:
        names[choice.code] = f"{choice.code} {choice.name(language)}"
    return names


def codes_pdf(
    spec: TestSpecification,
    key: AnswerKey,
    *,
    site_code: str,
    site_name: str,
    stream: int,
    exam_date: date,
    language: str,
    copies: int = 2,
) -> BuiltForm:
    """Прил. 9: the answer codes of every variant of ``key``, in ``copies`` marked copies (two, п. 179)."""
    if key.spec_code != spec.code:
        raise Refused(_("The answer key is for test specification '{key}', not '{spec}'.").format(
            key=key.spec_code, spec=spec.code))
    if not 1 <= copies <= len(PURPOSES):
        raise Refused(_("The answer codes are printed in one or two copies, not {copies}.").format(copies=copies))
    subtitle = tr(language, N_("Stream {stream}, {date}")).format(stream=stream, date=exam_date.strftime("%d.%m.%Y"))
    header = FormHeader(title=tr(language, N_("Answer codes")), appendix=APPENDIX,
                        subtitle=f"{spec.title_in(language)}\n{subtitle}", site=f"{site_code} — {site_name}")
    document = CopiesDocument(header, language, [tr(language, purpose) for purpose in PURPOSES[:copies]],
                              landscape_pages=True, footer_note=FOOTER)
    names = subject_names(spec, language)
    keyed = keyed_subjects(spec)
    for copy in range(1, copies + 1):
        document.begin_copy(copy)
        for variant in sorted(key.variants):
            table = _variant_table(key.variants[variant], keyed, names, document.width)
            document.titled(tr(language, N_("Variant {variant}")).format(variant=variant), table)
        document.signatures([Signature(tr(language, N_("Chair of the state commission"))),
                             Signature(tr(language, N_("Representative of the ДКНБ"))),
                             Signature(tr(language, N_("Representative of the Ministry")))],
                            stamp=False, note=tr(language, ASSUMED_LAYOUT))
    return document.build()


def _variant_table(answers: dict[str, dict[int, frozenset[str]]], keyed: dict[str, Any], names: dict[str, str],
                   width: float) -> Table:
    """A variant's codes: a row per subject (the key's order of the specification), a column per task."""
    codes = [code for code in keyed if code in answers]
    tasks = max((len(answers[code]) for code in codes), default=0)
    size = 7.5 if tasks <= 30 else 6.5
    cells = [max([text_width(str(number), size) + 4]
                 + [text_width("".join(sorted(answers[code][number])), size, bold=True) + 4
                    for code in codes if number in answers[code]]) for number in range(1, tasks + 1)]
    name_width = max((text_width(names[code], size) + 9 for code in codes), default=width * 0.2)
    if sum(cells) + name_width > width:
        spare = width - sum(cells)
        if spare < width * 0.12:
            raise Refused(_("The answer codes have too many tasks per subject to print: {tasks}.").format(tasks=tasks))
        name_width = spare
    else:
        grow = (width - name_width - sum(cells)) / max(tasks, 1)
        cells = [cell + min(grow, 8.0) for cell in cells]
    style = ParagraphStyle("codes-subject", fontName=REGULAR, fontSize=size, leading=size * 1.2)
    data: list[list[Any]] = [["", *[str(number) for number in range(1, tasks + 1)]]]
    for code in codes:
        row: list[Any] = [names[code] if text_width(names[code], size) + 9 <= name_width
                          else Paragraph(escape(names[code]), style)]
        row += ["".join(sorted(answers[code][number])) if number in answers[code] else ""
                for number in range(1, tasks + 1)]
        data.append(row)
    table = Table(data, colWidths=[name_width, *cells], repeatRows=1)
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_GREY),
        ("BACKGROUND", (0, 1), (0, -1), HEADER_GREY),
        ("FONT", (0, 0), (-1, -1), REGULAR, size),
        ("FONT", (1, 1), (-1, -1), BOLD, size),
        ("ALIGN", (1, 0), (-1, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
    for line in range(2, len(data), 2):
        commands.append(("BACKGROUND", (1, line), (-1, line), ZEBRA_GREY))
    table.setStyle(TableStyle(commands))
    return table
