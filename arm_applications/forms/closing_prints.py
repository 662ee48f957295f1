"""The prints of closing and distribution:

- the technical secretary's journal (прил. 33, п. 107.1): printed per school at closing for the
  secretary to compare with the registration journal and the database information (п. 107.2). The
  instruction gives no columns: the school's details (п. 41.3) and, per journal row, ИКТ, name, ИИН,
  test language and state, with the applicant's signature on the return of documents — an
  assumption of this program;
- the distribution of applicants to rooms (прил. 2, п. 89.12–89.14, 110): per stream, the rooms with
  their counts, then each room on its own page with its applicants in distribution order. Its
  columns are not given either: place, ИКТ, name, school and test language (assumption).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from arm_applications.distribution import Placement
from arm_applications.forms import site_line
from arm_applications.forms.school_prints import LANGUAGE_NAMES, full_name
from common import codebook
from common.db.models import Application, IktRow, School, Site, Stream
from common.i18n import N_, tr
from common.reports import BuiltForm, Column, FormDocument, FormHeader, Signature

SECRETARY_JOURNAL_KEY, DISTRIBUTION_KEY = "secretary-journal", "distribution"
ROW_STATES = {"free": N_("free"), "struck": N_("struck out with Z"), "missing": N_("missing"),
              "entered": N_("entered"), "changed": N_("changed"), "annulled": N_("annulled")}


def build_secretary_journal(site: Site, school: School, rows: Sequence[IktRow], secretaries: Sequence[str],
                            language: str) -> BuiltForm:
    name = school.name_kk if language == "kk" else school.name_ru
    document = FormDocument(
        FormHeader(title=tr(language, N_("Technical secretary's journal")), appendix="33",
                   subtitle=f"{school.region_code}/{school.district_code}/{school.code} — {name}",
                   site=site_line(site, language)),
        language, landscape_pages=True, footer_note="ent-applications")
    document.key_values([
        (tr(language, "School code (region/district/school)"),
         f"{school.region_code}/{school.district_code}/{school.code}"),
        (tr(language, "School"), name),
        (tr(language, "Address"), school.address or "—"),
        (tr(language, "Stream"), "—" if school.stream is None else school.stream.number),
        (tr(language, "Technical secretary"), ", ".join(secretaries) or "—"),
        (tr(language, "Rows in the journal"), len(rows)),
    ])
    table = []
    for row in rows:
        application = row.application
        if application is None:
            table.append([row.row_number, row.ikt, "", "", "", tr(language, ROW_STATES[row.status.value]), ""])
            continue
        person = application.applicant
        table.append([row.row_number, row.ikt, full_name(application), person.iin or person.birth_date or "",
                      tr(language, LANGUAGE_NAMES[application.test_language.value]),
                      tr(language, ROW_STATES[application.status.value]), ""])
    document.table([Column("№", 0.5, "right", wrap=False), Column(tr(language, "ИКТ"), 1.2, "center", wrap=False),
                    Column(tr(language, "Surname, name, patronymic"), 4.0),
                    Column(tr(language, "ИИН or birth date"), 1.6),
                    Column(tr(language, "Test language"), 1.1), Column(tr(language, "State"), 1.3),
                    Column(tr(language, "Signature on the return of documents"), 1.6)], table, font_size=8)
    document.signatures([Signature(tr(language, "Technical secretary")), Signature(tr(language, "School director")),
                         Signature(tr(language, "Head of the test site"))])
    return document.build()


def build_distribution(site: Site, stream: Stream, placed: Sequence[Placement],
                       applications: Mapping[int, Application], seats: Mapping[str, int], language: str) -> BuiltForm:
    """прил. 2 of one stream: the rooms' counts, then each room's applicants on a page of its own."""
    document = FormDocument(
        FormHeader(title=tr(language, N_("Distribution of applicants to rooms")), appendix="2",
                   subtitle=tr(language, N_("Stream {stream}, {date}")).format(
                       stream=stream.number, date=stream.exam_date.strftime("%d.%m.%Y")),
                   site=site_line(site, language)),
        language, footer_note="ent-applications")
    rooms: dict[str, list[Placement]] = {}
    for item in placed:
        rooms.setdefault(item.room_number, []).append(item)
    summary = [[room, tr(language, codebook.ROOM_LANGUAGE_STATUS_NAMES[items[0].language_status.value]),
                tr(language, "yes") if items[0].is_reserve_room else "", seats.get(room, 0), len(items)]
               for room, items in rooms.items()]
    document.table([Column(tr(language, "Room"), 0.8, "center", wrap=False),
                    Column(tr(language, "Language status"), 3.0), Column(tr(language, "Reserve room"), 1.2),
                    Column(tr(language, "Seats"), 0.8, "right"), Column(tr(language, "Applicants"), 1.0, "right")],
                   summary, total=[tr(language, "In all"), "", "", sum(seats.get(room, 0) for room in rooms),
                                   len(placed)], font_size=9)
    for room, items in rooms.items():
        status = tr(language, codebook.ROOM_LANGUAGE_STATUS_NAMES[items[0].language_status.value])
        document.page_break()
        document.heading(tr(language, N_("Room {room}")).format(room=room))
        document.key_values([
            (tr(language, "Stream"), stream.number),
            (tr(language, "Language status"), status),
            (tr(language, "Seats"), seats.get(room, 0)),
            (tr(language, "Applicants"), len(items)),
        ])
        rows = []
        for item in items:
            application = applications[item.application_id]
            school = application.school
            rows.append([item.place, item.ikt, full_name(application),
                         f"{school.region_code}/{school.district_code}/{school.code}",
                         tr(language, LANGUAGE_NAMES[application.test_language.value])])
        document.table([Column("№", 0.5, "right", wrap=False), Column(tr(language, "ИКТ"), 1.2, "center", wrap=False),
                        Column(tr(language, "Surname, name, patronymic"), 4.0),
                        Column(tr(language, "School"), 1.5, wrap=False), Column(tr(language, "Test language"), 1.2)],
                       rows, font_size=8.5)
    document.signatures([Signature(tr(language, "Expert of the test site")),
                         Signature(tr(language, "Head of the test site"))])
    return document.build()
