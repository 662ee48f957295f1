"""Registration journal of applications (прил. 5, п. 90–91; FORMS.md 5).

Printed per school with its rows' ИКТ already filled in; every other column is filled by hand at
school. The instruction names 9 main columns but lists only some of them (ИКТ, Ф.И.О., the
scanning result of п. 101.2, the signature on the return of documents of п. 104.1); the others
here — ИИН, test language, date and the applicant's signature — are an assumption of this
program. Rows struck out with «Z» at closing (п. 107.3) are printed struck out.
"""

from __future__ import annotations

from collections.abc import Sequence

from arm_applications.forms import site_line
from common.db.models import IktRow, IktStatus, School, Site
from common.i18n import N_, tr
from common.reports import BuiltForm, Column, FormDocument, FormHeader, Signature

FORM_KEY = "journal"
TITLE = N_("Registration journal of applications for the ЕНТ")


def build_journal(site: Site, school: School, rows: Sequence[IktRow], language: str) -> BuiltForm:
    name = school.name_kk if language == "kk" else school.name_ru
    document = FormDocument(
        FormHeader(title=tr(language, TITLE), appendix="5",
                   subtitle=f"{school.region_code}/{school.district_code}/{school.code} — {name}",
                   site=site_line(site, language)),
        language,
        landscape_pages=True,
        footer_note="ent-applications",
    )
    stream = "" if school.stream is None else str(school.stream.number)
    document.key_values([
        (tr(language, "School code (region/district/school)"),
         f"{school.region_code}/{school.district_code}/{school.code}"),
        (tr(language, "Stream"), stream),
        (tr(language, "Rows in the journal"), len(rows)),
    ])
    columns = [
        Column("№", 0.5, "right", wrap=False),
        Column(tr(language, "ИКТ"), 1.2, "center", wrap=False),
        Column(tr(language, "Surname, name, patronymic"), 4.0),
        Column(tr(language, "ИИН"), 1.6),
        Column(tr(language, "Test language"), 1.1),
        Column(tr(language, "Date"), 1.0),
        Column(tr(language, "Applicant's signature"), 1.3),
        Column(tr(language, "Scanning result"), 1.3),
        Column(tr(language, "Signature on the return of documents"), 1.5),
    ]
    document.table(columns, [_row(row) for row in rows], font_size=8)
    document.signatures([
        Signature(tr(language, "Technical secretary")),
        Signature(tr(language, "School director")),
    ])
    return document.build()


def _row(row: IktRow) -> list[object]:
    struck = row.status == IktStatus.STRUCK
    return [row.row_number, row.ikt, "Z" if struck else "\u00a0\n\u00a0", "Z" if struck else "", "", "", "", "", ""]
