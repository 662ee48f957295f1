"""The information directory for the technical secretaries (п. 37.2, 89.4; FORMS.md U2).

The codes of sectors 6–10 of the application form from НЦТ's directories: citizenships,
nationalities, regions, the districts of the site's region and its schools and colleges
(п. 94.4–94.8). The expert prints a copy for each school's technical secretary.
"""

from __future__ import annotations

from arm_applications.forms import site_line
from common.db.models import Site
from common.directories import Directories
from common.i18n import N_, tr
from common.reports import BuiltForm, Column, FormDocument, FormHeader

FORM_KEY = "directory"
TITLE = N_("Information directory for filling in the application form")


def build_directory(site: Site, directories: Directories, language: str) -> BuiltForm:
    document = FormDocument(
        FormHeader(title=tr(language, TITLE), subtitle=tr(language, N_("codes of sectors 6–10")),
                   site=site_line(site, language)),
        language,
        footer_note="ent-applications",
    )

    def section(title: str, code_title: str, rows: list[list[object]]) -> None:
        document.subheading(title)
        document.table([Column(code_title, 1.0, "center", wrap=False), Column(tr(language, "Name"), 6.0)], rows,
                       font_size=8)

    section(tr(language, "Citizenship (sector 6)"), tr(language, "Code"),
            [[item.code, item.name(language)] for item in directories.citizenships])
    section(tr(language, "Nationality (sector 7)"), tr(language, "Code"),
            [[item.code, item.name(language)] for item in directories.nationalities])
    section(tr(language, "Region (sector 8)"), tr(language, "Code"),
            [[item.code, item.name(language)] for item in directories.regions])
    section(tr(language, "District (sector 9)"), tr(language, "Code"),
            [[f"{item.region_code}/{item.code}", item.name(language)]
             for item in directories.districts_of(site.region_code)])
    section(tr(language, "School or college (sector 10)"), tr(language, "Code"),
            [[f"{item.region_code}/{item.district_code}/{item.code}", item.name(language)]
             for item in directories.schools_of(site.region_code)])
    return document.build()
