"""The registers printed around the passes (FORMS.md):

- the journal of changes to applicants' data (прил. 13, п. 32.3, 108–109): pre-filled with every name
  the application form's letter grid cannot hold — «ё» or «ъ», a space, a hyphen, a letter outside
  the grid, too long for its sector — and blank rows for the errors found after closing; the
  programmer enters it when taking over the database (п. 109);
- the register of issued passes (прил. 6, п. 14, 112): per school, each pass signed for by its
  applicant;
- the room folders (п. 32.1, U4–U5): for each room of a stream, the folder's sheet listing the
  applicants let in by it, with a column to tick off each stub put in the folder;
- the site journal of applications for a stream (прил. 17, п. 107, 42.3): two copies in one print.

The instruction lists no columns of прил. 6, 13 and 17 beyond what FORMS.md quotes; the others here
are an ASSUMPTION of this program chosen for the form's purpose.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from arm_applications.forms import site_line
from arm_applications.forms.passes import LANGUAGE_NAMES
from arm_applications.passes import ChangeRow, JournalRow, PassRow, StreamInfo, by_room
from common import codebook
from common.db.models import Site
from common.i18n import N_, tr
from common.reports import BuiltForm, Column, FormDocument, FormHeader, Signature

CHANGES_KEY, REGISTER_KEY, FOLDERS_KEY, SITE_JOURNAL_KEY = (
    "journal-of-changes", "passes-register", "room-folders", "site-journal")
SITE_JOURNAL_COPIES: Final = 2
BLANK_CHANGE_ROWS: Final = 6
FIELD_NAMES: Final = {"surname": N_("Surname"), "name": N_("First name"), "patronymic": N_("Patronymic")}
PROBLEM_NAMES: Final = {
    "space": N_("a space"),
    "hyphen": N_("a hyphen"),
    "letter": N_("a letter outside the grid"),
    "yo_hard_sign": N_("«ё» or «ъ»"),
    "too_long": N_("does not fit the sector"),
}


def _language(language: str, test_language: str, history_language: str | None) -> str:
    name = tr(language, LANGUAGE_NAMES.get(test_language, test_language))
    if history_language:
        name += " / " + tr(language, LANGUAGE_NAMES.get(history_language, history_language))
    return name


# --- прил. 13 ------------------------------------------------------------------------------------


def build_journal_of_changes(site: Site, rows: Sequence[ChangeRow], language: str) -> BuiltForm:
    document = FormDocument(FormHeader(title=tr(language, "Journal of changes to applicants' data"), appendix="13",
                                       site=site_line(site, language)),
                            language, landscape_pages=True, footer_note="ent-applications")
    document.paragraph(tr(language, "Filled in after the applicant database is closed (п. 108): the names below are "
                                    "entered here by the program, since the letter grid of the application form "
                                    "cannot hold them exactly; errors found later in the name, birth year, sex, "
                                    "citizenship or nationality are written in the empty rows. The programmer "
                                    "enters the journal when taking over the database (п. 109)."), size=8.5)
    document.spacer(2)
    columns = [
        Column("№", 0.4, "right", wrap=False),
        Column(tr(language, "ИКТ"), 1.0, "center", wrap=False),
        Column(tr(language, "School"), 1.0, "center", wrap=False),
        Column(tr(language, "Field"), 1.0),
        Column(tr(language, "In the database"), 2.2),
        Column(tr(language, "Why"), 2.0),
        Column(tr(language, "Right data"), 2.6),
        Column(tr(language, "Checked (signature)"), 1.3),
    ]
    body: list[list[object]] = [
        [number, row.ikt, row.school_key, tr(language, FIELD_NAMES[row.field]), row.value,
         ", ".join(tr(language, PROBLEM_NAMES[problem]) for problem in row.problems), "", ""]
        for number, row in enumerate(rows, start=1)]
    body += [[len(rows) + number, "", "", "", "", "", "\u00a0\n\u00a0", ""]
             for number in range(1, BLANK_CHANGE_ROWS + 1)]
    document.table(columns, body, font_size=8)
    document.paragraph(tr(language, "Letter grids of the form: surname {surname}, name {name}, patronymic {patronymic} "
                                    "cells.").format(surname=codebook.SURNAME_LETTERS, name=codebook.NAME_LETTERS,
                                                     patronymic=codebook.PATRONYMIC_LETTERS), size=7.5)
    document.signatures([Signature(tr(language, "Head of the test site")),
                         Signature(tr(language, "Programmer of the Ministry (received)"))])
    return document.build()


# --- прил. 6 -------------------------------------------------------------------------------------


def build_passes_register(site: Site, rows: Sequence[PassRow], language: str) -> BuiltForm:
    """The register of one school's passes (``rows`` of one school, in the order of its passes)."""
    first = rows[0]
    document = FormDocument(
        FormHeader(title=tr(language, "Register of issued admission passes to the ЕНТ"), appendix="6",
                   subtitle=f"{first.school_key} — {first.school_name(language)}", site=site_line(site, language)),
        language, landscape_pages=True, footer_note="ent-applications")
    columns = [
        Column("№", 0.4, "right", wrap=False),
        Column(tr(language, "ИКТ"), 1.0, "center", wrap=False),
        Column(tr(language, "Surname, name, patronymic"), 3.4),
        Column(tr(language, "Stream"), 0.6, "center", wrap=False),
        Column(tr(language, "Exam date"), 1.0, "center", wrap=False),
        Column(tr(language, "Room"), 0.8, "center", wrap=False),
        Column(tr(language, "Place"), 0.6, "center", wrap=False),
        Column(tr(language, "Date of issue"), 1.0),
        Column(tr(language, "Applicant's signature"), 1.6),
    ]
    document.table(columns, [[number, row.ikt, row.full_name, row.stream, row.exam_date.strftime("%d.%m.%Y"),
                              row.room, row.place, "", ""] for number, row in enumerate(rows, start=1)],
                   total=["", "", tr(language, "Passes: {count}").format(count=len(rows)), "", "", "", "", "", ""],
                   font_size=8.5)
    document.signatures([Signature(tr(language, "Technical secretary")), Signature(tr(language, "School director"))])
    return document.build()


# --- п. 32.1 -------------------------------------------------------------------------------------


def build_room_folders(site: Site, stream: StreamInfo, rows: Sequence[PassRow], language: str) -> BuiltForm:
    """One sheet per room of ``stream``: the room's list of applicants and its stubs to collect."""
    day = stream.exam_date.strftime("%d.%m.%Y")
    document = FormDocument(
        FormHeader(title=tr(language, "Room folders"),
                   subtitle=tr(language, "Stream {stream}, {date}").format(stream=stream.number, date=day),
                   site=site_line(site, language)),
        language, footer_note="ent-applications")
    rooms = by_room(rows)
    for index, (room, placed) in enumerate(rooms):
        if index:
            document.page_break()
        reserve = any(row.reserve_room for row in placed)
        heading = tr(language, "Room {room}").format(room=room)
        if reserve:
            heading += f" ({tr(language, 'reserve')})"
        document.heading(heading)
        document.key_values([
            (tr(language, "Stream"), f"{stream.number} — {day}"),
            (tr(language, "Applicants in the room"), len(placed)),
            (tr(language, "The folder holds"), tr(language, "the stubs of these applicants' passes and this list "
                                                            "(п. 32.1)")),
        ])
        document.subheading(tr(language, "Room list of applicants"))
        document.table([
            Column(tr(language, "Place"), 0.6, "center", wrap=False),
            Column(tr(language, "ИКТ"), 1.1, "center", wrap=False),
            Column(tr(language, "Surname, name, patronymic"), 3.6),
            Column(tr(language, "School"), 1.1, "center", wrap=False),
            Column(tr(language, "Test language"), 1.4),
            Column(tr(language, "Stub in the folder"), 1.0, "center"),
        ], [[row.place, row.ikt, row.full_name, row.school_key,
             _language(language, row.test_language, row.history_language), "☐"] for row in placed], font_size=8.5)
        document.signatures([Signature(tr(language, "Head of the test site"))], date_line=False)
    return document.build()


# --- прил. 17 ------------------------------------------------------------------------------------


def build_site_journal(site: Site, stream: StreamInfo, rows: Sequence[JournalRow], language: str,
                       copies: int = SITE_JOURNAL_COPIES) -> BuiltForm:
    """The site journal of applications of ``stream`` (прил. 17), ``copies`` times in one print (п. 107)."""
    day = stream.exam_date.strftime("%d.%m.%Y")
    document = FormDocument(
        FormHeader(title=tr(language, "Site journal of applications"), appendix="17",
                   subtitle=tr(language, "Stream {stream}, {date}").format(stream=stream.number, date=day),
                   site=site_line(site, language)),
        language, landscape_pages=True, footer_note="ent-applications")
    totals: dict[str, int] = {}
    for row in rows:
        name = _language(language, row.test_language, row.history_language)
        totals[name] = totals.get(name, 0) + 1
    for copy in range(1, copies + 1):
        if copy > 1:
            document.page_break()
        document.heading(tr(language, "Copy {copy} of {copies}").format(copy=copy, copies=copies))
        document.table([
            Column("№", 0.5, "right", wrap=False),
            Column(tr(language, "ИКТ"), 1.1, "center", wrap=False),
            Column(tr(language, "Surname, name, patronymic"), 3.8),
            Column(tr(language, "School"), 1.1, "center", wrap=False),
            Column(tr(language, "Test language"), 1.6),
            Column(tr(language, "Room"), 0.8, "center", wrap=False),
            Column(tr(language, "Place"), 0.6, "center", wrap=False),
        ], [[number, row.ikt, row.full_name, row.school_key,
             _language(language, row.test_language, row.history_language), row.room or "—",
             "—" if row.place is None else row.place] for number, row in enumerate(rows, start=1)], font_size=8.5)
        document.key_values([(tr(language, "Applicants in the stream"), len(rows)), *sorted(totals.items())])
        document.signatures([Signature(tr(language, "Expert of the test site")),
                             Signature(tr(language, "Head of the test site"))])
    return document.build()
