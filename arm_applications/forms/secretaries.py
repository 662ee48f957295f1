"""List of the schools' technical secretaries approved by the local education authority (п. 89.2)."""

from __future__ import annotations

from collections.abc import Sequence

from arm_applications.forms import site_line
from arm_applications.secretaries import Secretary
from common.db.models import Site
from common.i18n import N_, tr
from common.reports import BuiltForm, Column, FormDocument, FormHeader, Signature

FORM_KEY = "secretaries"
TITLE = N_("List of the schools' technical secretaries")


def build_secretaries(site: Site, secretaries: Sequence[Secretary], language: str) -> BuiltForm:
    document = FormHeader(title=tr(language, TITLE), subtitle=tr(language, N_("(п. 89.2)")),
                          site=site_line(site, language))
    form = FormDocument(document, language, footer_note="ent-applications")
    columns = [
        Column("№", 0.5, "right", wrap=False),
        Column(tr(language, "Code"), 1.4, "center", wrap=False),
        Column(tr(language, "School"), 3.2),
        Column(tr(language, "Surname, name, patronymic"), 3.0),
        Column(tr(language, "Approved"), 1.0, "center"),
        Column(tr(language, "Signature"), 1.2),
    ]
    rows = [[number, item.school, item.school_name_kk if language == "kk" else item.school_name_ru,
             item.full_name, item.approved, ""] for number, item in enumerate(secretaries, start=1)]
    form.table(columns, rows, font_size=8.5)
    form.signatures([
        Signature(tr(language, "Head of the test site")),
        Signature(tr(language, "Representative of the local education authority")),
    ])
    return form.build()
