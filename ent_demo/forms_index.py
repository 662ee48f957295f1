"""The demo's forms index (issue 19): every form the exam printed, copied into one folder ``<demo>/forms/`` and
named so that the files sort in the order of the exam, with an index in HTML and in PDF listing each form — its
title, its appendix number, the workstation that printed it, the file and a thumbnail of its first page.

Which form a file is, the print tells: the workstation's audit log names every file it printed with the form's key
(``form.printed``; НЦТ's ``nct.appeals.print``; the certificates' ``certificate.print``), a copy written elsewhere
(``--out``) is known by its SHA-256, and only a file no entry names is known by its name. :data:`FORMS` maps each
key to its appendix (FORMS.md and the header each print's module writes) in the order of the exam. Each run builds
the folder afresh beside the old one and then replaces it: a rerun leaves no duplicates.
"""

from __future__ import annotations

import html
import json
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from common.exchange.manifest import sha256_hex
from common.i18n import N_, _, current_language
from common.workstation import (
    APPLICATIONS,
    BASE_PPENT,
    CERTIFICATE,
    NCT,
    PROGRAMMER,
    SCANNER_CHECK,
    WORKSTATIONS,
    DataFolder,
    Workstation,
)
from ent_demo.scenario import DemoStep, Scene, render_first_page

FOLDER = "forms"
THUMBNAILS = "thumbnails"
THUMBNAIL_WIDTH = 160
"""The thumbnails' width in pixels."""
INDEX_HTML, INDEX_PDF = "index.html", "index.pdf"


@dataclass(frozen=True)
class Form:
    """A form a workstation prints: its key (the audit log's ``form``), its appendix (``None`` for a form without
    one) and whether the appendix is of the Rules; ``name`` says what it is when the print has no title."""

    workstation: str
    key: str
    appendix: str | None
    of_rules: bool
    name: str


def _form(workstation: Workstation, key: str, appendix: str | None, name: str, of_rules: bool = False) -> Form:
    return Form(workstation.code, key, appendix, of_rules, name)


FORMS: tuple[Form, ...] = (
    # the site database (п. 79–88)
    _form(BASE_PPENT, "app28", "28", N_("Report on building the site database")),
    _form(BASE_PPENT, "schools-directory", None, N_("Directory of schools and colleges")),
    _form(BASE_PPENT, "room-signs", "11", N_("Room number signs")),
    _form(BASE_PPENT, "seat-scheme", "12", N_("Seat-numbering scheme of the room fund")),
    # the applications (п. 89–107)
    _form(APPLICATIONS, "secretaries", None, N_("List of the schools' technical secretaries")),
    _form(APPLICATIONS, "directory", None, N_("Information directory for filling in the application form")),
    _form(APPLICATIONS, "journal", "5", N_("Application registration journal")),
    _form(APPLICATIONS, "scan-report", None, N_("Report on scanning the application forms")),
    _form(APPLICATIONS, "certificates", "1", N_("Certificates of registration for the ЕНТ")),
    _form(APPLICATIONS, "register", "31", N_("Register of issued certificates of registration")),
    _form(APPLICATIONS, "database", "32", N_("Information on the database")),
    _form(APPLICATIONS, "secretary-journal", "33", N_("Technical secretary's journal")),
    # the closing, the distribution and the passes (п. 107–114)
    _form(APPLICATIONS, "distribution", "2", N_("Distribution of applicants to rooms")),
    _form(APPLICATIONS, "passes", "3", N_("Admission passes with stubs"), of_rules=True),
    _form(APPLICATIONS, "passes-register", "6", N_("Register of issued admission passes to the ЕНТ")),
    _form(APPLICATIONS, "room-folders", None, N_("Room folders")),
    _form(APPLICATIONS, "site-journal", "17", N_("Site journal of applications")),
    _form(APPLICATIONS, "journal-of-changes", "13", N_("Journal of changes to applicants' data")),
    # the scanner check before the exam (п. 52.4–52.5, 42.5)
    _form(SCANNER_CHECK, "control-set", None, N_("Control answer sheets")),
    _form(SCANNER_CHECK, "app18", "18", N_("Scanner check report")),
    # the exam morning (п. 52.11–52.12)
    _form(PROGRAMMER, "seating-list", "5", N_("Seating list"), of_rules=True),
    _form(PROGRAMMER, "room-lists", None, N_("Room list of applicants")),
    _form(PROGRAMMER, "handout", None, N_("Booklet hand-out order")),
    _form(PROGRAMMER, "app7", "7", N_("Act on checking the building's readiness before testing")),
    _form(PROGRAMMER, "app8", "8", N_("Act on checking the room before testing")),
    _form(PROGRAMMER, "app19", "19", N_("Act on receiving the sealed bags of exam materials")),
    _form(PROGRAMMER, "app20", "20", N_("Assignment of representatives to duties outside the rooms")),
    _form(PROGRAMMER, "app21", "21", N_("Distribution of representatives to rooms")),
    _form(PROGRAMMER, "app22", "22", N_("Act of issuing and receiving the exam materials")),
    _form(PROGRAMMER, "app34", "34", N_("Act on checking the cell-signal jammers")),
    _form(PROGRAMMER, "app35", "35", N_("Act on issuing new answer sheets for spoiled ones")),
    _form(PROGRAMMER, "rules4", "4", N_("Act on an impostor found at the entrance to the building"), of_rules=True),
    _form(PROGRAMMER, "rules9", "9", N_("Act on removing an applicant"), of_rules=True),
    _form(PROGRAMMER, "rules10", "10", N_("Act on an impostor found during testing"), of_rules=True),
    _form(PROGRAMMER, "rules11", "11", N_("Act on refusing to hand in the materials when time is up"), of_rules=True),
    # the identification (п. 156–176)
    _form(PROGRAMMER, "identification-protocol", "36", N_("Answer-sheet identification protocol")),
    _form(PROGRAMMER, "variant-identification", "37", N_("Variant identification")),
    _form(PROGRAMMER, "reidentification", "38", N_("Re-identification of answer sheets")),
    # the results (п. 177–180)
    _form(PROGRAMMER, "answer-codes", "9", N_("Answer codes")),
    _form(PROGRAMMER, "statement", "4", N_("Statement of UNT results without appeal")),
    # the appeals (п. 184–213)
    _form(PROGRAMMER, "appeal-journal", "17", N_("Journal of appeal applications"), of_rules=True),
    _form(PROGRAMMER, "appeal-register", "20", N_("Register of appeal applications"), of_rules=True),
    _form(PROGRAMMER, "analysis-card", "39", N_("Answer analysis card")),
    _form(NCT, "technical", "40", N_("Republican commission's protocol on technical grounds")),
    _form(NCT, "register", "21", N_("Register of applications referred to the Republican commission"),
          of_rules=True),
    _form(PROGRAMMER, "appeal-protocol", "18", N_("Appeal commission meeting protocol"), of_rules=True),
    _form(PROGRAMMER, "statement-with-appeal", "3", N_("Statement of UNT results with appeal")),
    _form(PROGRAMMER, "programmer-report", "25", N_("Report of the programmer of the Ministry")),
    _form(PROGRAMMER, "appeal-report", "26", N_("Report on the results of the appeal")),
    _form(PROGRAMMER, "appeal-tasks-report", "27", N_("Report on the results of the appeal by subject and ground")),
    # the certificates (ch. 40, п. 214–222)
    _form(CERTIFICATE, "printer-test-page", None, N_("Printer test page")),
    _form(CERTIFICATE, "certificates", None, N_("ЕНТ certificates")),
    _form(CERTIFICATE, "certificate-register", "14", N_("Register of issued certificates")),
    _form(CERTIFICATE, "certificate-act-received", "16", N_("Act of receiving the certificates at НЦТ")),
    _form(CERTIFICATE, "certificate-act-handover", "15", N_("Act of handing over the certificates")),
    _form(CERTIFICATE, "certificate-act-returned", "41", N_("Act of handing over the certificates after testing №11")),
)
"""Every form the demo's workstations print, in the order of the exam."""

_PRINTING_ACTIONS = ("form.printed", "nct.appeals.print")


@dataclass(frozen=True)
class IndexedForm:
    """One file of the index: where it came from, what form it is (``None`` when the table does not know it), its
    title as printed, when it was printed, and its copy and thumbnail in the forms folder."""

    source: Path
    workstation: Workstation
    form: Form | None
    title: str
    printed_at: datetime
    copy: Path
    thumbnail: Path

    @property
    def appendix(self) -> str:
        """«прил. 28», «прил. 5 Правил» in the demo's language; empty for a form without one."""
        if self.form is None or self.form.appendix is None:
            return ""
        template = _("app. {number} of the Rules") if self.form.of_rules else _("app. {number}")
        return template.format(number=self.form.appendix)


def forms_index_steps(scene: Scene) -> list[DemoStep]:
    return [DemoStep(_("Forms index: every printed form of the exam in one folder, with an index (HTML and PDF)"),
                     lambda: build_step(scene), None)]


def build_step(scene: Scene) -> bool:
    forms = build_index(scene.root)
    unknown = [item.source.name for item in forms if item.form is None]
    folder = scene.root / FOLDER
    print(_("   {count} printed forms copied to {folder}, in the order of the exam").format(count=len(forms),
                                                                                         folder=folder))
    print(_("   the index: {html} and {pdf}").format(html=folder / INDEX_HTML, pdf=folder / INDEX_PDF))
    if unknown:
        print(_("   forms the index does not know: {files}").format(files=", ".join(unknown)))
    return bool(forms) and not unknown


def _sources(root: Path) -> list[tuple[Workstation, Path]]:
    """Every PDF each workstation printed: its ``printed/``; НЦТ's appeal forms where the demo printed them."""
    found = [(workstation, path) for workstation in (*WORKSTATIONS, NCT)
             for path in sorted(DataFolder(root / workstation.code).printed.glob("*.pdf"))]
    named = set(_audited(root / NCT.code))
    found += [(NCT, path) for path in sorted((root / "exchange").glob("appeals-stream-*/*.pdf")) if path.name in named]
    return found


def _audited(folder: Path) -> dict[str, tuple[str, datetime]]:
    """What the workstation's audit log says it printed: file name (and SHA-256) → (form key, when)."""
    log = DataFolder(folder).audit_log
    known: dict[str, tuple[str, datetime]] = {}
    if not log.is_file():
        return known
    for line in log.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
            details = entry.get("details") or {}
            when = datetime.fromisoformat(entry["ts"])
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
        if entry.get("action") in _PRINTING_ACTIONS and isinstance(details.get("form"), str):
            known[str(entry.get("target"))] = (details["form"], when)
            if details.get("sha256"):
                known[str(details["sha256"])] = (details["form"], when)
        elif entry.get("action") == "certificate.print" and details.get("file"):
            known[str(details["file"])] = ("certificates", when)
    return known


def _by_name(workstation: Workstation, name: str) -> Form | None:
    """The table's form whose key the file name starts with (the longest such key): for a file no entry names."""
    stem = name.removesuffix(".pdf")
    matching = [form for form in FORMS if form.workstation == workstation.code
                and (stem == form.key or stem.startswith((form.key + "_", form.key + ".")))]
    return max(matching, key=lambda form: len(form.key), default=None)


def _title(path: Path) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        return str(document.get_metadata_dict().get("Title", "")).strip()
    finally:
        document.close()


def collect(root: Path) -> list[tuple[Workstation, Path, Form | None, datetime]]:
    """Every printed PDF with its form and print time, in the order of the exam (the table's order, then the time)."""
    rank = {(form.workstation, form.key): index for index, form in enumerate(FORMS)}
    audits: dict[str, dict[str, tuple[str, datetime]]] = {}
    items = []
    for workstation, path in _sources(root):
        audit = audits.setdefault(workstation.code, _audited(root / workstation.code))
        said = audit.get(path.name) or audit.get(sha256_hex(path.read_bytes()))
        form = next((item for item in FORMS if item.workstation == workstation.code and item.key == said[0]), None) \
            if said else _by_name(workstation, path.name)
        when = said[1] if said else datetime.fromtimestamp(path.stat().st_mtime).astimezone()
        items.append((workstation, path, form, when))
    items.sort(key=lambda item: (rank.get((item[0].code, item[2].key), len(FORMS)) if item[2] else len(FORMS),
                                 item[3], item[1].name))
    return items


def build_index(root: Path) -> list[IndexedForm]:
    """Copy every printed form into ``root/forms`` (rebuilt from nothing) and write its index; the forms listed."""
    target = root / FOLDER
    building = root / (FOLDER + ".building")
    shutil.rmtree(building, ignore_errors=True)
    (building / THUMBNAILS).mkdir(parents=True)
    forms = []
    for number, (workstation, path, form, when) in enumerate(collect(root), start=1):
        name = f"{number:03d}_{workstation.code}_{path.name}"
        shutil.copy2(path, building / name)
        thumbnail = building / THUMBNAILS / f"{Path(name).stem}.png"
        render_first_page(path, thumbnail, width=THUMBNAIL_WIDTH)
        title = _title(path) or (_(form.name) if form else path.stem)
        forms.append(IndexedForm(path, workstation, form, title, when, target / name,
                                 target / THUMBNAILS / thumbnail.name))
    (building / INDEX_HTML).write_text(index_html(forms), encoding="utf-8")
    (building / INDEX_PDF).write_bytes(index_pdf(forms, building))
    shutil.rmtree(target, ignore_errors=True)
    building.rename(target)
    return forms


def _heading() -> tuple[str, list[str]]:
    return (_("Printed forms of the exam"),
            [_("No."), _("First page"), _("Form"), _("Appendix"), _("Workstation"), _("File")])


def index_html(forms: list[IndexedForm]) -> str:
    """The index as one HTML page; the thumbnails and the forms are files beside it (relative links)."""
    title, columns = _heading()
    rows = []
    for number, item in enumerate(forms, start=1):
        file = html.escape(item.copy.name)
        thumbnail = html.escape(f"{THUMBNAILS}/{item.thumbnail.name}")
        rows.append(
            f'<tr><td>{number}</td><td><a href="{file}"><img src="{thumbnail}" width="{THUMBNAIL_WIDTH // 2}" '
            f'alt=""></a></td><td>{html.escape(item.title)}</td><td>{html.escape(item.appendix)}</td>'
            f'<td>{html.escape(_(item.workstation.title))}</td><td><a href="{file}">{file}</a></td></tr>')
    head = "".join(f"<th>{html.escape(column)}</th>" for column in columns)
    language = html.escape(current_language())
    return (f'<!DOCTYPE html>\n<html lang="{language}"><head><meta charset="utf-8"><title>{html.escape(title)}'
            "</title>\n<style>body{font-family:sans-serif}table{border-collapse:collapse}"
            "td,th{border:1px solid #999;padding:4px;vertical-align:top}img{border:1px solid #ccc}</style></head>\n"
            f"<body><h1>{html.escape(title)}</h1>\n<p>{html.escape(_('{count} forms').format(count=len(forms)))}</p>\n"
            f"<table><tr>{head}</tr>\n" + "\n".join(rows) + "\n</table></body></html>\n")


def index_pdf(forms: list[IndexedForm], folder: Path) -> bytes:
    """The index as a PDF (reportlab, the forms' DejaVu fonts), the thumbnails from ``folder``."""
    import io

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Table, TableStyle

    from common.reports.fonts import register_fonts

    regular, bold = register_fonts()
    title, columns = _heading()
    cell = ParagraphStyle("cell", fontName=regular, fontSize=8, leading=10)
    head = ParagraphStyle("head", parent=cell, fontName=bold)
    thumb_width = 22 * mm
    rows: list[list[object]] = [[Paragraph(html.escape(column), head) for column in columns]]
    for number, item in enumerate(forms, start=1):
        picture = folder / THUMBNAILS / item.thumbnail.name
        image = Image(str(picture))
        image.drawHeight = thumb_width * image.imageHeight / image.imageWidth
        image.drawWidth = thumb_width
        rows.append([str(number), image, Paragraph(html.escape(item.title), cell),
                     Paragraph(html.escape(item.appendix), cell),
                     Paragraph(html.escape(_(item.workstation.title)), cell),
                     Paragraph(html.escape(item.copy.name), cell)])
    table = Table(rows, colWidths=[10 * mm, 26 * mm, 85 * mm, 30 * mm, 45 * mm, 75 * mm], repeatRows=1)
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), regular, 8), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("GRID", (0, 0), (-1, -1), 0.4, colors.grey)]))
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=landscape(A4), leftMargin=10 * mm, rightMargin=10 * mm,
                                 topMargin=10 * mm, bottomMargin=10 * mm, title=title, author="ent-arm")
    heading = ParagraphStyle("title", fontName=bold, fontSize=13, leading=16, spaceAfter=4 * mm)
    document.build([Paragraph(html.escape(title), heading), table])
    return buffer.getvalue()
