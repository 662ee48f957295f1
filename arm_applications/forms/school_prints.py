"""What the technical secretary takes back after the school's forms are scanned (п. 89.8, 96, 100):

- the scanning report with its error protocol (FORMS.md U3): each form with an error, the error in
  a bold frame followed by "/" and its codes, comma-separated (п. 96). The codes are the table of
  ``codebook.FORM_ERRORS`` — an ASSUMPTION of this program, the instruction's прил. 29–30 not being
  in the seeds — printed as a legend at the end;
- the registration certificates (справки, прил. 1), one for each application entered or changed,
  with the stub (корешок) where only the data to be changed are written (п. 98);
- their register (прил. 31), signed on receipt;
- the database information (прил. 32): every ИКТ of the school's journal with its state, the
  base of the reconciliation (ch. 18).
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.platypus import Table, TableStyle

from arm_applications.forms import site_line
from common import codebook
from common.db.models import Application, ApplicationStatus, IktRow, IktStatus, School, Site
from common.db.scan_models import ScannedForm, ScanState
from common.i18n import N_, tr
from common.reports import BuiltForm, Column, FormDocument, FormHeader, Signature
from common.reports.fonts import BOLD, REGULAR

REPORT_KEY, CERTIFICATES_KEY, REGISTER_KEY, DATABASE_KEY = "scan-report", "certificates", "register", "database"
STATUS_NAMES = {
    ApplicationStatus.ENTERED: N_("entered"),
    ApplicationStatus.CHANGED: N_("changed"),
    ApplicationStatus.ANNULLED: N_("annulled"),
}
LANGUAGE_NAMES = {"kk": N_("Kazakh"), "ru": N_("Russian"), "en": N_("English")}
ROW_NAMES = {IktStatus.FREE: N_("free"), IktStatus.STRUCK: N_("struck out with Z"), IktStatus.MISSING: N_("missing")}
SCAN_NAMES = {
    ScanState.APPLIED: N_("entered in the database"),
    ScanState.FLAGGED: N_("errors: to correct"),
    ScanState.RESCAN: N_("to scan again"),
    ScanState.DUPLICATE: N_("repeated, nothing changed"),
    ScanState.SET_ASIDE: N_("set aside"),
}


def _document(site: Site, school: School, title: str, language: str, appendix: str | None = None) -> FormDocument:
    name = school.name_kk if language == "kk" else school.name_ru
    return FormDocument(
        FormHeader(title=tr(language, title), appendix=appendix,
                   subtitle=f"{school.region_code}/{school.district_code}/{school.code} — {name}",
                   site=site_line(site, language)),
        language, footer_note="ent-applications",
    )


def full_name(application: Application) -> str:
    person = application.applicant
    return " ".join(part for part in (person.surname, person.name, person.patronymic) if part)


def build_scan_report(site: Site, school: School, forms: Sequence[ScannedForm], language: str) -> BuiltForm:
    document = _document(site, school, N_("Report on scanning the application forms"), language)
    counts = {state: sum(1 for form in forms if form.state == state) for state in ScanState}
    document.key_values([(tr(language, SCAN_NAMES[state]), counts[state]) for state in ScanState]
                        + [(tr(language, "Pages scanned"), len(forms))])
    document.heading(tr(language, "Error protocol"))
    wrong = [form for form in forms if form.problems]
    if not wrong:
        document.paragraph(tr(language, "No errors."))
    else:
        rows: list[list[object]] = [[tr(language, "Form"), tr(language, "ИКТ"), tr(language, "Errors"),
                                     tr(language, "State")]]
        for form in wrong:
            by_field: dict[str, list[str]] = {}
            for problem in form.problems:
                by_field.setdefault(problem["field"], []).append(problem["code"])
            errors = "; ".join(f"{field} /{', '.join(codes)}" for field, codes in by_field.items())
            rows.append([form.id, form.values.get("ikt") or "—", errors, tr(language, SCAN_NAMES[form.state])])
        table = Table(rows, colWidths=[document.width * share for share in (0.1, 0.18, 0.47, 0.25)], repeatRows=1)
        table.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
            ("FONT", (0, 0), (-1, 0), BOLD, 8),
            ("FONT", (0, 1), (-1, -1), REGULAR, 8),
            ("BOX", (2, 1), (2, -1), 1.8, colors.black),  # the errors in bold frames (п. 96)
            ("INNERGRID", (2, 1), (2, -1), 1.8, colors.black),
        ]))
        document.add(table)
    document.subheading(tr(language, "Error codes (this program's table; the instruction's прил. 29–30 assumed)"))
    document.table([Column(tr(language, "Code"), 0.6, "center", wrap=False),
                    Column(tr(language, "Sector"), 0.8, "center", wrap=False),
                    Column(tr(language, "Error"), 5.0)],
                   [[code, sector, tr(language, message)] for code, (sector, message) in codebook.FORM_ERRORS.items()],
                   font_size=7.5)
    document.signatures([Signature(tr(language, "Expert of the test site")),
                         Signature(tr(language, "Technical secretary"))])
    return document.build()


def build_certificates(site: Site, school: School, applications: Sequence[Application], language: str) -> BuiltForm:
    document = _document(site, school, N_("Certificates of registration for the ЕНТ"), language, "1")
    for number, application in enumerate(applications):
        if number and number % 2 == 0:
            document.page_break()
        document.subheading(tr(language, "Certificate of the application for the ЕНТ received"))
        person = application.applicant
        document.key_values([
            (tr(language, "ИКТ"), application.ikt),
            (tr(language, "Surname, name, patronymic"), full_name(application)),
            (tr(language, "ИИН or birth date"), person.iin or (person.birth_date or "")),
            (tr(language, "Test language"), tr(language, LANGUAGE_NAMES[application.test_language.value])),
            (tr(language, "State of the application"), tr(language, STATUS_NAMES[application.status])),
        ])
        document.paragraph(tr(language, "Stub: only the data to be changed are written here (п. 98)") +
                           "\n" + "_" * 90 + "\n" + "_" * 90, size=8)
        document.spacer(6)
    document.signatures([Signature(tr(language, "Head of the test site"))])
    return document.build()


def build_register(site: Site, school: School, applications: Sequence[Application], language: str) -> BuiltForm:
    document = _document(site, school, N_("Register of issued certificates of registration"), language, "31")
    document.table([Column("№", 0.5, "right", wrap=False), Column(tr(language, "ИКТ"), 1.2, "center", wrap=False),
                    Column(tr(language, "Surname, name, patronymic"), 4.0), Column(tr(language, "Date"), 1.2),
                    Column(tr(language, "Applicant's signature"), 1.6)],
                   [[number, application.ikt, full_name(application), "", ""]
                    for number, application in enumerate(applications, start=1)], font_size=8.5)
    document.signatures([Signature(tr(language, "Technical secretary"))])
    return document.build()


def build_database(site: Site, school: School, rows: Sequence[IktRow], language: str) -> BuiltForm:
    document = _document(site, school, N_("Information on the database"), language, "32")
    states = [_row_state(row, language) for row in rows]
    document.table([Column("№", 0.5, "right", wrap=False), Column(tr(language, "ИКТ"), 1.2, "center", wrap=False),
                    Column(tr(language, "Surname, name, patronymic"), 4.0), Column(tr(language, "State"), 1.6)],
                   [[row.row_number, row.ikt, full_name(row.application) if row.application else "", state]
                    for row, state in zip(rows, states, strict=True)], font_size=8.5)
    totals: dict[str, int] = {}
    for state in states:
        totals[state] = totals.get(state, 0) + 1
    document.key_values(sorted(totals.items()))
    document.signatures([Signature(tr(language, "Expert of the test site")),
                         Signature(tr(language, "Technical secretary"))])
    return document.build()


def _row_state(row: IktRow, language: str) -> str:
    if row.application is not None:
        return tr(language, STATUS_NAMES[row.application.status])
    return tr(language, ROW_NAMES.get(row.status, N_("free")))
