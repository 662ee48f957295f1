"""The answer-sheet identification protocol (прил. 36, п. 156.2, 162–170), built from plain rows.

Nothing here reads the database. :func:`protocol_rooms` turns an automatic identification
(:func:`arm_programmer.identify.identify`) into the protocol's rows room by room:

* the **upper table** (п. 162.1, 166): every applicant of the room without an automatically identified
  sheet — the commission finds the sheet by name and writes its number and «Исправить», or writes
  «Не явился»; «Аннулирован» (removed, act) and «Не допущен» (impostor at the entrance) are printed
  already, from the acts (прил. 35);
* the **lower table** (п. 162.2, 165, 167): every sheet not identified, unused ones included, in the
  order the commission lays out the sheet–booklet pairs; the sectors with errors are named (the
  instruction frames them in bold), with what the reader read there; the commission fills in the name
  on the sheet, the right ИКТ, the right seat, the variant and profile subjects from the booklet, and
  the decision — «Исправить», «Досадка», «Удалить бланк».

:func:`build_protocol` prints them (A4 landscape, one room per page group, kk or ru).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from arm_programmer.draw import DrawnSeat
from arm_programmer.exam_prints import FOOTER, ExamDay
from arm_programmer.identify import (
    ApplicantStatus,
    Decision,
    Identification,
    SheetLike,
    SheetReason,
    kept_image,
)
from common.i18n import N_, tr
from common.reports import BuiltForm, Column, FormDocument, FormHeader, Signature

PROTOCOL_KEY: Final = "identification-protocol"
_TALL: Final = "\u00a0\n\u00a0"  # an empty cell two lines high, room for a handwritten entry
APPENDIX: Final = "36"

SECTORS: Final[Mapping[SheetReason, str]] = {
    SheetReason.NO_SHEET_NUMBER: N_("sheet number"),
    SheetReason.NOT_IN_ROOM: N_("sheet number"),
    SheetReason.IKT_UNREADABLE: N_("ИКТ"),
    SheetReason.IKT_UNKNOWN: N_("ИКТ"),
    SheetReason.IKT_OTHER_ROOM: N_("ИКТ"),
    SheetReason.IKT_TWICE: N_("ИКТ"),
    SheetReason.WITHDRAWN: N_("ИКТ"),
    SheetReason.SEAT_MISMATCH: N_("seat"),
    SheetReason.SEAT_UNREADABLE: N_("seat"),
    SheetReason.DOUBLE_MARK: N_("double mark"),
    SheetReason.PASS_DIFFERENCE: N_("passes differ"),
    SheetReason.LATE_SEATED: N_("late seating"),
}
"""The sector a reason frames on the protocol (п. 167)."""

DECISIONS: Final[Mapping[Decision, str]] = {
    Decision.CORRECT: N_("Correct"),
    Decision.LATE: N_("Late seating"),
    Decision.DELETE: N_("Delete sheet"),
}
"""The lower table's «Решение»: «Исправить», «Досадка», «Удалить бланк» (п. 168–170)."""

NOTES: Final[Mapping[str, str]] = {
    "correct": N_("Correct"),
    "absent": N_("Absent"),
    "not-admitted": N_("Not admitted"),
    "annulled": N_("Annulled"),
}
"""The upper table's «Примечание»: «Исправить», «Не явился», «Не допущен», «Аннулирован» (п. 166)."""


@dataclass(frozen=True)
class UpperRow:
    application_id: int
    seat: int
    ikt: str
    full_name: str
    note: str | None
    """Known from the acts: ``"annulled"`` or ``"not-admitted"``; otherwise the commission writes it."""
    sheet_number: str | None
    """The number of the room's sheet carrying the applicant's ИКТ, when there is one."""
    may_be_absent: bool


@dataclass(frozen=True)
class LowerRow:
    sheet_id: int
    sheet_number: str | None
    reasons: tuple[SheetReason, ...]
    belongs_to: str | None
    blank: bool
    ikt: str
    seat: str
    variant: str
    subjects: str
    suggestion: Decision | None
    image: str | None
    """The sheet's image (pass 1, else pass 2) to look at beside the row."""

    def sectors(self) -> tuple[str, ...]:
        """The framed sectors, once each, in the reasons' order (untranslated)."""
        return tuple(dict.fromkeys(SECTORS[reason] for reason in self.reasons))


@dataclass(frozen=True)
class ProtocolRoom:
    room: str
    upper: tuple[UpperRow, ...]
    lower: tuple[LowerRow, ...]
    sheets: int
    identified: int


def protocol_rooms(result: Identification, seats: Iterable[DrawnSeat],
                   sheets: Iterable[SheetLike]) -> list[ProtocolRoom]:
    """The protocol's rows, room by room (rooms by number; a room with nothing to identify has empty tables)."""
    seat_of = {seat.application_id: seat for seat in seats}
    sheet_of = {sheet.sheet_id: sheet for sheet in sheets}
    number_of = {item.sheet_id: item.sheet_number for item in result.sheets}
    rooms = sorted({item.room_number for item in result.sheets} | {item.room_number for item in result.applicants})
    built = []
    for room in rooms:
        upper = []
        for applicant in result.upper_table(room):
            seat = seat_of[applicant.application_id]
            note = ("annulled" if applicant.status is ApplicantStatus.ANNULLED
                    else "not-admitted" if applicant.status is ApplicantStatus.NOT_ADMITTED else None)
            upper.append(UpperRow(applicant.application_id, seat.seat, seat.ikt, seat.full_name, note,
                                  None if applicant.sheet_id is None else number_of.get(applicant.sheet_id),
                                  applicant.may_be_absent))
        lower = []
        for outcome in result.lower_table(room):
            sheet = sheet_of[outcome.sheet_id]
            read = sheet.fields
            lower.append(LowerRow(outcome.sheet_id, outcome.sheet_number, outcome.reasons, outcome.belongs_to,
                                  outcome.blank, read.get("ikt", ""), read.get("seat", ""), read.get("variant", ""),
                                  read.get("subjects", ""), outcome.suggestion, kept_image(sheet)))
        in_room = [item for item in result.sheets if item.room_number == room]
        built.append(ProtocolRoom(room, tuple(upper), tuple(lower), len(in_room),
                                  sum(1 for item in in_room if item.identified)))
    return built


def _sector_text(row: LowerRow, language: str) -> str:
    if row.blank:
        return tr(language, N_("unused sheet"))
    parts = [tr(language, sector) for sector in row.sectors()]
    if row.belongs_to is not None and SheetReason.NOT_IN_ROOM in row.reasons:
        parts.append(tr(language, N_("given to room {room}")).format(room=row.belongs_to))
    return ", ".join(parts)


def build_protocol(day: ExamDay, rooms: Sequence[ProtocolRoom], language: str) -> BuiltForm:
    """The identification protocol (прил. 36) of the rooms, each room on pages of its own."""
    document = FormDocument(FormHeader(title=tr(language, N_("Answer-sheet identification protocol")),
                                       appendix=APPENDIX, subtitle=day.when(language), site=day.site(language)),
                            language, landscape_pages=True, footer_note=FOOTER)
    for index, room in enumerate(rooms):
        if index:
            document.page_break()
        document.heading(tr(language, N_("Room {room}")).format(room=room.room))
        document.key_values([(tr(language, N_("Sheets scanned")), room.sheets),
                             (tr(language, N_("Identified automatically")), room.identified),
                             (tr(language, N_("Sheets to identify")), len(room.lower))], key_share=0.4)
        document.subheading(tr(language, N_("Upper table: applicants (п. 166)")))
        if room.upper:
            upper = [[row.seat, row.ikt, row.full_name, row.sheet_number or "",
                      tr(language, NOTES[row.note]) if row.note else
                      (tr(language, N_("no sheet with this ИКТ")) if row.may_be_absent else ""), _TALL]
                     for row in room.upper]
            document.table([Column(tr(language, "Seat"), 0.6, "right", wrap=False),
                            Column(tr(language, "ИКТ"), 1.1, "center", wrap=False),
                            Column(tr(language, "Surname, name, patronymic"), 3.5),
                            Column(tr(language, N_("Sheet number read")), 1.2, "center", wrap=False),
                            Column(tr(language, N_("Printed note")), 1.6),
                            Column(tr(language, N_("Answer sheet No. / Note")), 2.4)], upper, font_size=9)
        else:
            document.paragraph(tr(language, N_("Every applicant of the room has an identified sheet.")), size=9)
        document.spacer(3)
        document.subheading(tr(language, N_("Lower table: answer sheets (п. 167–170)")))
        if room.lower:
            lower = [[row.sheet_number or "?", _sector_text(row, language), row.ikt, row.seat, row.variant,
                      row.subjects, _TALL, "", "", "", "", ""] for row in room.lower]
            document.table([Column(tr(language, N_("Sheet No.")), 1.0, "center", wrap=False),
                            Column(tr(language, N_("Sectors with errors")), 1.8),
                            Column(tr(language, N_("ИКТ read")), 1.0, "center", wrap=False),
                            Column(tr(language, N_("Seat read")), 0.6, "center", wrap=False),
                            Column(tr(language, N_("Variant read")), 0.7, "center", wrap=False),
                            Column(tr(language, N_("Subjects read")), 1.0),
                            Column(tr(language, N_("Name on the sheet")), 2.2),
                            Column(tr(language, N_("Right ИКТ")), 1.1),
                            Column(tr(language, N_("Right seat")), 0.7),
                            Column(tr(language, N_("Variant on the booklet")), 0.9),
                            Column(tr(language, N_("Profile subjects on the booklet")), 1.3),
                            Column(tr(language, N_("Decision")), 1.1)], lower, font_size=8)
            document.paragraph(tr(language, N_("Decision: Correct (п. 168), Late seating (п. 169), Delete sheet "
                                               "(п. 170).")), size=8)
        else:
            document.paragraph(tr(language, N_("Every sheet of the room is identified.")), size=9)
        document.signatures([Signature(tr(language, N_("Representative of the Ministry"))),
                             Signature(tr(language, N_("Chair of the state commission"))),
                             Signature(tr(language, "Programmer of the Ministry"))], stamp=False)
    return document.build()


VARIANTS_KEY: Final = "variant-identification"
REIDENTIFICATION_KEY: Final = "reidentification"


@dataclass(frozen=True)
class VariantRow:
    """A sheet in variant identification (прил. 37, п. 171): its room's variant found on more sheets than
    booklets of it were given there."""

    room: str
    variant: str
    given: int
    found: int
    sheet_number: str


@dataclass(frozen=True)
class ReidentifiedRow:
    """A sheet re-identified (прил. 38, п. 173–175): what it says now, and the entry's number."""

    room: str
    sheet_number: str
    ikt: str
    seat: str
    variant: str
    subjects: str
    revision: int
    entered_at: str


def build_variant_identification(day: ExamDay, rows: Sequence[VariantRow], language: str) -> BuiltForm:
    """Variant identification (прил. 37): per room and variant the sheets to check against their booklets."""
    document = FormDocument(FormHeader(title=tr(language, N_("Variant identification")), appendix="37",
                                       subtitle=day.when(language), site=day.site(language)),
                            language, landscape_pages=True, footer_note=FOOTER)
    document.paragraph(tr(language, N_("A variant was found on more sheets of a room than booklets of it were given "
                                       "there (п. 171): check each sheet against its booklet and write the variant "
                                       "on the booklet.")), size=9)
    if rows:
        document.table([Column(tr(language, "Room"), 0.6, "center", wrap=False),
                        Column(tr(language, N_("Variant read")), 0.8, "center", wrap=False),
                        Column(tr(language, N_("Booklets given")), 0.8, "right", wrap=False),
                        Column(tr(language, N_("Sheets with the variant")), 0.9, "right", wrap=False),
                        Column(tr(language, N_("Sheet No.")), 1.0, "center", wrap=False),
                        Column(tr(language, N_("Variant on the booklet")), 1.2),
                        Column(tr(language, "Note"), 1.6)],
                       [[row.room, row.variant or "—", row.given, row.found, row.sheet_number, _TALL, ""]
                        for row in rows], font_size=9)
    else:
        document.paragraph(tr(language, N_("No variant was found more often than it was given out.")), size=9)
    document.signatures([Signature(tr(language, N_("Representative of the Ministry"))),
                         Signature(tr(language, N_("Chair of the state commission"))),
                         Signature(tr(language, "Programmer of the Ministry"))], stamp=False)
    return document.build()


def build_reidentification(day: ExamDay, rows: Sequence[ReidentifiedRow], language: str) -> BuiltForm:
    """Re-identification of answer sheets (прил. 38): the sheets re-identified with НЦТ's password (п. 173–175)."""
    document = FormDocument(FormHeader(title=tr(language, N_("Re-identification of answer sheets")), appendix="38",
                                       subtitle=day.when(language), site=day.site(language)),
                            language, landscape_pages=True, footer_note=FOOTER)
    document.paragraph(tr(language, N_("Re-identified after agreement with НЦТ and its password (п. 173): a wrongly "
                                       "corrected ИКТ, variant or profile subjects (п. 174).")), size=9)
    if rows:
        document.table([Column(tr(language, "Room"), 0.6, "center", wrap=False),
                        Column(tr(language, N_("Sheet No.")), 1.0, "center", wrap=False),
                        Column(tr(language, "ИКТ"), 1.1, "center", wrap=False),
                        Column(tr(language, "Seat"), 0.6, "right", wrap=False),
                        Column(tr(language, N_("Variant")), 0.8, "center", wrap=False),
                        Column(tr(language, N_("Profile subjects")), 1.4),
                        Column(tr(language, N_("Entry")), 0.6, "right", wrap=False),
                        Column(tr(language, N_("Entered")), 1.4, wrap=False)],
                       [[row.room, row.sheet_number, row.ikt, row.seat, row.variant, row.subjects, row.revision,
                         row.entered_at] for row in rows], font_size=9)
    else:
        document.paragraph(tr(language, N_("No sheet of the stream was re-identified.")), size=9)
    document.signatures([Signature(tr(language, N_("Representative of the Ministry"))),
                         Signature(tr(language, "Programmer of the Ministry"))], stamp=False)
    return document.build()
