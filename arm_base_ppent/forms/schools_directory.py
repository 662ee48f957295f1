"""The directory of schools and colleges for checking (п. 85; FORMS.md U1).

Prepared when the schools are entered; the site head and the local education authority check it,
and the original goes to НЦТ. It lists every parameter of п. 84 for each school, by region and
district, landscape so that a row stays on one line as far as possible.
"""

from __future__ import annotations

from arm_base_ppent.schools import SchoolRecord
from arm_base_ppent.snapshot import SiteSnapshot
from arm_base_ppent.vocabulary import (
    OWNERSHIP,
    ROOM_LANGUAGE_SHORT,
    SCHOOL_KIND,
    SCHOOL_LANGUAGE,
    SCHOOL_TYPES,
    SETTLEMENT,
    TRANSPORT,
    label,
)
from common.codebook import ROOM_LANGUAGE_STATUSES
from common.i18n import N_, tr
from common.reports import BuiltForm, Column, FormDocument, FormHeader, Signature

FORM_KEY = "schools-directory"
TITLE = N_("Directory of schools and colleges")


def build_schools_directory(snapshot: SiteSnapshot, language: str) -> BuiltForm:
    document = FormDocument(
        FormHeader(
            title=tr(language, TITLE),
            subtitle=tr(language, N_("for checking (п. 85)")),
            site=snapshot.site.caption(language),
        ),
        language,
        landscape_pages=True,
        footer_note="ent-base-ppent",
    )
    columns = [
        Column("№", 0.45, "right", wrap=False),
        Column(tr(language, "Code"), 1.5, "center", wrap=False),  # a code never breaks
        Column(tr(language, "Name"), 3.1),
        Column(tr(language, "БИН"), 1.6, "center", wrap=False),
        Column(tr(language, "Address"), 2.2),
        Column(tr(language, "Language"), 1.3),
        Column(tr(language, "City / village"), 0.9),
        Column(tr(language, "Ownership, type, kind"), 1.8),
        Column(tr(language, "Students by grade"), 1.4),
        Column(tr(language, "Foreign languages"), 1.15),
        Column(tr(language, "Transport, delivery"), 2.1),
        Column(tr(language, "km"), 0.5, "right", wrap=False),
        Column(tr(language, "Expected applicants"), 1.5),
        Column(tr(language, "Stream"), 1.0, "center", wrap=False),
    ]
    schools = sorted(snapshot.schools, key=lambda s: (s.region_code, s.district_code, s.code))
    rows = [_row(number, school, language) for number, school in enumerate(schools, start=1)]
    document.table(
        columns,
        rows,
        font_size=7,
        total=[
            "",
            "",
            tr(language, "Total: {count} school(s)").format(count=len(schools)),
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            sum(school.expected_total for school in schools),
            "",
        ],
    )
    document.signatures(
        [
            Signature(tr(language, "Head of the test site")),
            Signature(tr(language, "Representative of the local education authority")),
        ]
    )
    return document.build()


def _row(number: int, school: SchoolRecord, language: str) -> list[object]:
    kind = [
        label(OWNERSHIP, school.ownership, language),
        label(SCHOOL_TYPES, school.school_type, language),
        # "school" adds nothing after a school type; a college is always said.
        label(SCHOOL_KIND, school.school_kind, language) if school.school_kind == "college" or not school.school_type
        else "",
    ]
    students = "; ".join(
        f"{grade}: {count}"
        for grade, count in sorted(school.students_per_grade.items(), key=lambda item: _grade_order(item[0]))
    )
    expected = "; ".join(
        f"{label(ROOM_LANGUAGE_SHORT, status, language)} {school.expected[status]}"
        for status in ROOM_LANGUAGE_STATUSES
        if school.expected.get(status)
    )
    transport = ", ".join(
        part for part in (label(TRANSPORT, school.transport, language), school.delivery) if part
    )
    distance = "" if school.distance_km is None else f"{school.distance_km:g}".replace(".", ",")  # 2,5 km
    code = "/".join(part for part in (school.region_code, school.district_code, school.code) if part)
    return [
        number,
        code,
        school.name(language),
        school.bin,
        school.address,
        label(SCHOOL_LANGUAGE, school.language_status, language),
        label(SETTLEMENT, school.settlement, language),
        ", ".join(part for part in kind if part),
        students,
        ", ".join(code.upper() for code in school.foreign_languages),
        transport,
        distance,
        expected or tr(language, "none"),
        school.stream or "",
    ]


def _grade_order(grade: str) -> tuple[int, str]:
    return (int(grade), grade) if grade.isdigit() else (10**6, grade)
