"""НЦТ's appeal prints (п. 203.3, 204.4): pure builders of PDF bytes from the applications on file.

* :func:`register_pdf` — the register of applications passed to the Republican commission (прил. 21
  Правил, п. 203.3: «Реестр»): one row per disputed task; members fill in the decision by hand, the
  chair signs; once decided it is reprinted with the decisions printed in (п. 203.6–11).
* :func:`protocol_pdf` — the Republican commission's protocol of its decision on content appeals
  (прил. 22 Правил, п. 203.3: «Протокол»): each content task with the ground, the answer named, the
  code, the local commission's vote and proposal, and the decision.
* :func:`technical_pdf` — the protocol of the Republican commission's decision on technical grounds
  (прил. 40, п. 204): for each technical appeal the fill of every bubble of the disputed tasks on the
  test-day image and on the appeal scan against the 50 % rule (п. 196), the local commission's case
  and proposal, the decision, and the two images side by side (п. 204.4).

**Assumption (the one place it is stated).** The seeds name these forms and what they are for, never
their layout: the tables here hold what п. 195–205 say the commission looks at, and each form says so
in one line at its foot (:data:`ASSUMED_LAYOUT`). НЦТ holds no names: applicants appear by ИКТ.

Nothing here reads the database: the caller passes :func:`nct_hub.appeals.appeal_data` dictionaries and
the images' bytes.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any, Final

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, KeepTogether, Table, TableStyle

from arm_programmer.appeal_records import MARKED_SHARE
from common.codebook import APPEAL_GROUND_TEXTS, AppealGround
from common.i18n import N_, tr
from common.reports import FormHeader, Signature
from common.reports.document import BuiltForm, Column, FormDocument
from common.reports.fonts import BOLD, REGULAR

FORMS: Final = ("register", "protocol", "technical")
ASSUMED_LAYOUT: Final = N_("The layout of this form is not in the instruction: it holds what п. 195–205 name.")
_DECISIONS: Final = {"satisfied": N_("satisfied"), "not-satisfied": N_("not satisfied"), "pending": ""}
_KINDS: Final = {"content": N_("content"), "technical": N_("technical")}
_CASES: Final = {"unread-mark": N_("1) a marked bubble was not read"),
                 "false-mark": N_("2) an unmarked bubble was read"),
                 "defect": N_("3) read because of a defective sheet")}
Images = Mapping[int, Sequence[tuple[str, bytes]]]


def _header(title: str, appendix: str, of_rules: bool, site: str, stream: int, language: str) -> FormHeader:
    subtitle = tr(language, N_("Stream {stream}")).format(stream=stream)
    return FormHeader(title=tr(language, title), appendix=appendix, subtitle=subtitle, site=site, of_rules=of_rules)


def _document(header: FormHeader, language: str) -> FormDocument:
    return FormDocument(header, language, landscape_pages=True, footer_note=tr(language, ASSUMED_LAYOUT))


def _decision(task: Mapping[str, Any], language: str) -> str:
    state = str(task["state"])
    return tr(language, _DECISIONS[state]) if _DECISIONS.get(state) else ""


def _points(task: Mapping[str, Any]) -> str:
    """The points after the decision; a task not satisfied at the site (п. 197) keeps its own."""
    if task.get("decided_points") is not None:
        return str(task["decided_points"])
    return str(task["points"]) if task["state"] == "not-satisfied" else ""


def _ground(code: str, language: str) -> str:
    return tr(language, APPEAL_GROUND_TEXTS[AppealGround(code)])


def _members(language: str) -> list[Signature]:
    return [Signature(tr(language, N_("Chair of the Republican commission"))),
            *[Signature(tr(language, N_("Member of the Republican commission"))) for _index in range(3)],
            Signature(tr(language, N_("Technical secretary")))]


def register_pdf(appeals: Sequence[Mapping[str, Any]], *, site: str, stream: int, language: str) -> BuiltForm:
    """Прил. 21 Правил: every task of every considered application (a no-show is listed, not considered)."""
    document = _document(_header(N_("Register of applications passed to the Republican commission"), "21", True,
                                 site, stream, language), language)
    t = document.t
    columns = [Column("№", 0.4, "right"), Column(t(N_("Application")), 0.6, "right"), Column(t(N_("ИКТ")), 0.9),
               Column(t(N_("Kind")), 0.8), Column(t(N_("Task")), 0.8), Column(t(N_("Ground")), 3.0),
               Column(t(N_("Points")), 0.5, "right"), Column(t(N_("Proposed")), 0.6, "right"),
               Column(t(N_("Decision")), 1.0), Column(t(N_("Points after")), 0.6, "right")]
    rows: list[list[object]] = []
    for appeal in appeals:
        for task in appeal["tasks"]:
            no_show = appeal["state"] == "no-show"
            rows.append([len(rows) + 1, appeal["number"], appeal["ikt"], t(_KINDS[appeal["kind"]]),
                         f"{task['subject']}:{task['task']}", _ground(task["ground"], language),
                         f"{task['points']}/{task['max_points']}",
                         "" if task.get("proposed_points") is None else task["proposed_points"],
                         t(N_("did not appear (п. 192)")) if no_show else _decision(task, language),
                         "" if no_show else _points(task)])
    document.table(columns, rows, font_size=8)
    document.signatures(_members(language), stamp=False)
    return document.build()


def protocol_pdf(appeals: Sequence[Mapping[str, Any]], *, site: str, stream: int, language: str) -> BuiltForm:
    """Прил. 22 Правил: the Republican commission's decision on each content task."""
    document = _document(_header(N_("Protocol of the Republican commission's decision"), "22", True, site, stream,
                                 language), language)
    t = document.t
    columns = [Column(t(N_("Application")), 0.6, "right"), Column(t(N_("ИКТ")), 0.9), Column(t(N_("Task")), 0.8),
               Column(t(N_("Ground")), 3.0), Column(t(N_("Named right")), 0.6), Column(t(N_("Marked")), 0.6),
               Column(t(N_("Answer code")), 0.6), Column(t(N_("Vote for / against")), 0.8),
               Column(t(N_("Proposed")), 0.6, "right"), Column(t(N_("Decision")), 1.0),
               Column(t(N_("Points after")), 0.6, "right")]
    rows: list[list[object]] = []
    for appeal in appeals:
        if appeal["kind"] != "content" or appeal["state"] == "no-show":
            continue
        for task in appeal["tasks"]:
            votes = task.get("votes")
            rows.append([appeal["number"], appeal["ikt"], f"{task['subject']}:{task['task']}",
                         _ground(task["ground"], language), task.get("claimed", ""), task["marks"] or "—",
                         task["correct"], "" if not votes else f"{votes['for']} / {votes['against']}",
                         "" if task.get("proposed_points") is None else task["proposed_points"],
                         _decision(task, language), _points(task)])
    document.table(columns, rows, font_size=8)
    document.paragraph(t(N_("A task answered right is not satisfied (п. 197); the decision is final (п. 205).")))
    document.signatures(_members(language), stamp=False)
    return document.build()


def technical_pdf(appeals: Sequence[Mapping[str, Any]], images: Images, *, site: str, stream: int,
                  language: str) -> BuiltForm:
    """Прил. 40: each technical appeal's bubbles against the 50 % rule and its two images side by side."""
    document = _document(_header(N_("Protocol of the Republican commission's decision on technical grounds"), "40",
                                 False, site, stream, language), language)
    t = document.t
    first = True
    for appeal in appeals:
        if appeal["kind"] != "technical" or appeal["state"] == "no-show":
            continue
        if not first:
            document.page_break()
        first = False
        document.subheading(t(N_("Application {number}: ИКТ {ikt}, room {room}, variant {variant}")).format(
            number=appeal["number"], ikt=appeal["ikt"], room=appeal["room"], variant=appeal["variant"]))
        columns = [Column(t(N_("Task")), 0.7), Column(t(N_("Ground")), 2.4), Column(t(N_("Marked")), 0.5),
                   Column(t(N_("Answer code")), 0.5), Column(t(N_("Fill on the test day")), 1.6),
                   Column(t(N_("Fill at the appeal")), 1.6), Column(t(N_("Case (п. 196)")), 1.4),
                   Column(t(N_("Proposed")), 0.5, "right"), Column(t(N_("Decision")), 0.8),
                   Column(t(N_("Points after")), 0.5, "right")]
        rows = [[f"{task['subject']}:{task['task']}", _ground(task["ground"], language), task["marks"] or "—",
                 task["correct"], _fills(task.get("fills", {})), _fills(task.get("appeal_fills", {})),
                 t(_CASES[task["case"]]) if task.get("case") else t(N_("none")),
                 "" if task.get("proposed_points") is None else task["proposed_points"], _decision(task, language),
                 _points(task)] for task in appeal["tasks"]]
        document.table(columns, rows, font_size=8)
        document.paragraph(t(N_("A bubble is marked when its fill reaches {share} per cent (п. 196); such a fill "
                                "is flagged with *.")).format(share=round(MARKED_SHARE * 100)), size=8)
        document.add(_side_by_side(int(appeal["number"]), images.get(int(appeal["number"]), ()), document.width,
                                   language))
    document.signatures(_members(language), stamp=False)
    return document.build()


def _fills(fills: Mapping[str, float]) -> str:
    """``A 2%  B 3%  C 62%*``: each option's fill, those counted as marked flagged."""
    parts = []
    for letter, fill in sorted(fills.items()):
        percent = round(fill * 100)
        parts.append(f"{letter} {percent}%" + ("*" if fill >= MARKED_SHARE else ""))
    return "  ".join(parts) or "—"


def _side_by_side(number: int, images: Sequence[tuple[str, bytes]], width: float, language: str) -> Flowable:
    """The test-day image and the appeal scan next to each other, each captioned (п. 204.4)."""
    captions = {"test_day": tr(language, N_("As scanned on the test day")),
                "appeal": tr(language, N_("As scanned for the appeal"))}
    cells: list[list[Any]] = [[], []]
    half = width / 2 - 4 * mm
    for role in ("test_day", "appeal"):
        data = next((data for name, data in images if name == role), None)
        cells[0].append(f"{tr(language, N_('Application'))} {number}: {captions[role]}")
        cells[1].append(_image(data, half, language))
    table = Table(cells, colWidths=[width / 2, width / 2])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                               ("FONT", (0, 0), (-1, -1), REGULAR, 9), ("FONT", (0, 0), (-1, 0), BOLD, 9)]))
    return KeepTogether([table])  # the captions stay with their images


def _image(data: bytes | None, width: float, language: str) -> Flowable | str:
    from PIL import Image as Pil

    if data is None:
        return tr(language, N_("(the image did not come with the package)"))
    try:
        with Pil.open(io.BytesIO(data)) as probe:
            pixels_wide, pixels_high = probe.size
    except (OSError, ValueError):
        return tr(language, N_("(the image cannot be shown)"))
    height = min(width * pixels_high / pixels_wide, 150 * mm)
    return Image(io.BytesIO(data), width=height * pixels_wide / pixels_high, height=height)


__all__ = ["FORMS", "protocol_pdf", "register_pdf", "technical_pdf"]
