"""The identification protocol's entries laid over the automatic identification (п. 159–170), pure.

:func:`check_sheet_entry` and :func:`check_note` refuse, each in one line, what the protocol cannot say:

* «Исправить» (visual identification, п. 159): the sheet must be among the sheets given to its room,
  the right ИКТ that of an applicant seated in that room (not withdrawn by an act, not seated late,
  not already identified to another sheet), and the commission must give the actual seat, the variant
  and the profile subjects; otherwise the sheet stays in the protocol (п. 160);
* «Досадка» (п. 169): the right ИКТ must be that of an applicant seated late in that room;
* «Удалить бланк» (п. 170): always possible — the sheet is left out of the statement;
* the upper table's «Не явился» is refused for an applicant a sheet is identified to, «Исправить» needs
  the number of a sheet of the room.

:func:`resolve` gives the result: each sheet identified (automatically or by the protocol), deleted,
unused or still open; each applicant identified, absent, not admitted, annulled or still open.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from arm_programmer.draw import DrawnSeat
from arm_programmer.identify import ApplicantStatus, Decision, Identification, SheetLike, SheetReason
from common import codebook
from common.errors import Refused
from common.i18n import N_, _

NOTE_KEYS: Final = ("correct", "absent", "not-admitted", "annulled")


@dataclass(frozen=True)
class Entry:
    """A lower-table row as entered (п. 167–170)."""

    sheet_id: int
    decision: Decision
    application_id: int | None = None
    seat: int | None = None
    variant: str | None = None
    subjects: str | None = None


@dataclass(frozen=True)
class Note:
    """An upper-table row as entered (п. 166)."""

    application_id: int
    note: str
    sheet_number: str | None = None


class SheetState(enum.Enum):
    IDENTIFIED = "identified"
    DELETED = "deleted"
    UNUSED = "unused"
    OPEN = "open"


SHEET_STATES: Final = {"identified": N_("identified"), "deleted": N_("deleted (п. 170)"), "unused": N_("unused"),
                       "open": N_("to identify")}


class ApplicantState(enum.Enum):
    IDENTIFIED = "identified"
    ABSENT = "absent"
    NOT_ADMITTED = "not-admitted"
    ANNULLED = "annulled"
    OPEN = "open"


@dataclass(frozen=True)
class FinalSheet:
    sheet_id: int
    room_number: str
    sheet_number: str | None
    state: SheetState
    application_id: int | None
    by_protocol: bool
    seat: int | None
    variant: str
    subjects: str
    reasons: tuple[SheetReason, ...]
    """Why it was not identified automatically (empty when it was)."""

    @property
    def in_statement(self) -> bool:
        """Whether the sheet's work goes to the statement: «Удалить бланк» sheets never do (п. 170)."""
        return self.state is SheetState.IDENTIFIED


@dataclass(frozen=True)
class FinalApplicant:
    application_id: int
    room_number: str
    state: ApplicantState
    sheet_id: int | None


@dataclass(frozen=True)
class Resolution:
    sheets: tuple[FinalSheet, ...]
    applicants: tuple[FinalApplicant, ...]

    def sheet(self, sheet_id: int) -> FinalSheet:
        return next(item for item in self.sheets if item.sheet_id == sheet_id)

    def applicant(self, application_id: int) -> FinalApplicant:
        return next(item for item in self.applicants if item.application_id == application_id)

    def open_sheets(self) -> list[FinalSheet]:
        return [item for item in self.sheets if item.state is SheetState.OPEN]

    def open_applicants(self) -> list[FinalApplicant]:
        return [item for item in self.applicants if item.state is ApplicantState.OPEN]

    @property
    def complete(self) -> bool:
        """Nothing left to identify: every sheet and every applicant settled."""
        return not self.open_sheets() and not self.open_applicants()


def _seat_ok(seat: int | None) -> bool:
    return seat is not None and codebook.SEAT_MIN <= seat <= codebook.SEAT_MAX


def check_sheet_entry(auto: Identification, seats: Sequence[DrawnSeat], entry: Entry,
                      entries: Mapping[int, Entry], withdrawn: Iterable[int] = ()) -> None:
    """Refuse an entry the protocol cannot make (see the module's text); ``entries``: the others held."""
    outcome = next((item for item in auto.sheets if item.sheet_id == entry.sheet_id), None)
    if outcome is None:
        raise Refused(_("Sheet {sheet} is not a scanned sheet of the stream.").format(sheet=entry.sheet_id))
    label = outcome.sheet_number or str(entry.sheet_id)
    if entry.decision is Decision.DELETE:
        return
    if SheetReason.NOT_IN_ROOM in outcome.reasons:
        raise Refused(_("Sheet {sheet} was not given to room {room}: its work is not assessed, the only decision is "
                        "«Delete sheet» (п. 170).").format(sheet=label, room=outcome.room_number))
    owner = next((seat for seat in seats if seat.application_id == entry.application_id), None)
    if owner is None or owner.room_number != outcome.room_number:
        raise Refused(_("The right ИКТ is not the ИКТ of an applicant seated in room {room} (п. 159.2): the sheet "
                        "stays in the protocol (п. 160).").format(room=outcome.room_number))
    if owner.application_id in set(withdrawn):
        raise Refused(_("The applicant with ИКТ {ikt} was withdrawn by an act (прил. 35): the sheet cannot be "
                        "theirs.").format(ikt=owner.ikt))
    if entry.decision is Decision.LATE and not owner.late:
        raise Refused(_("The applicant with ИКТ {ikt} was not seated late: «Late seating» is for the applicants the "
                        "commission seated late (п. 169).").format(ikt=owner.ikt))
    if entry.decision is Decision.CORRECT and owner.late:
        raise Refused(_("The applicant with ИКТ {ikt} was seated late: the decision is «Late seating» (п. 169).")
                      .format(ikt=owner.ikt))
    taken = [item.sheet_id for item in auto.sheets
             if item.application_id == owner.application_id and item.sheet_id != entry.sheet_id
             and item.sheet_id not in entries]
    taken += [other.sheet_id for other in entries.values()
              if other.application_id == owner.application_id and other.sheet_id != entry.sheet_id
              and other.decision is not Decision.DELETE]
    if taken:
        raise Refused(_("Another sheet is identified to the applicant with ИКТ {ikt} already: settle that sheet "
                        "first.").format(ikt=owner.ikt))
    if not _seat_ok(entry.seat):
        raise Refused(_("Give the actual seat, {low}–{high} (п. 159.3).").format(low=codebook.SEAT_MIN,
                                                                               high=codebook.SEAT_MAX))
    if not entry.variant or not codebook.is_code(entry.variant, codebook.VARIANT_DIGITS):
        raise Refused(_("Give the variant from the booklet: 4 digits (п. 159.3)."))
    if not entry.subjects:
        raise Refused(_("Give the profile subjects from the booklet (п. 159.3)."))


def check_note(resolution: Resolution, auto: Identification, note: Note) -> None:
    """Refuse an upper-table note the protocol cannot make."""
    if note.note not in NOTE_KEYS:
        raise Refused(_("The note is one of: {notes}.").format(notes=", ".join(NOTE_KEYS)))
    applicant = next((item for item in resolution.applicants if item.application_id == note.application_id), None)
    if applicant is None:
        raise Refused(_("The applicant is not seated in the stream."))
    if note.note == "absent" and applicant.state is ApplicantState.IDENTIFIED:
        raise Refused(_("A sheet is identified to this applicant: «Absent» does not hold."))
    if note.note == "correct":
        numbers = {item.sheet_number for item in auto.sheets if item.room_number == applicant.room_number}
        if note.sheet_number is None or note.sheet_number not in numbers:
            raise Refused(_("«Correct» needs the number of a scanned sheet of room {room}.").format(
                room=applicant.room_number))


def resolve(auto: Identification, sheets: Iterable[SheetLike], entries: Mapping[int, Entry],
            notes: Mapping[int, Note]) -> Resolution:
    """The stream's identification with the protocol's entries laid over the automatic one."""
    read = {sheet.sheet_id: sheet.fields for sheet in sheets}
    final: list[FinalSheet] = []
    for outcome in auto.sheets:
        fields = read.get(outcome.sheet_id, {})
        entry = entries.get(outcome.sheet_id)
        if entry is not None:
            state = SheetState.DELETED if entry.decision is Decision.DELETE else SheetState.IDENTIFIED
            final.append(FinalSheet(outcome.sheet_id, outcome.room_number, outcome.sheet_number, state,
                                    None if state is SheetState.DELETED else entry.application_id, True,
                                    entry.seat, entry.variant or "", entry.subjects or "", outcome.reasons))
            continue
        state = (SheetState.IDENTIFIED if outcome.identified else SheetState.UNUSED if outcome.blank
                 else SheetState.OPEN)
        seat = fields.get("seat", "")
        final.append(FinalSheet(outcome.sheet_id, outcome.room_number, outcome.sheet_number, state,
                                outcome.application_id, False, int(seat) if seat.isdigit() else None,
                                fields.get("variant", ""), fields.get("subjects", ""), outcome.reasons))
    sheet_of = {item.application_id: item.sheet_id for item in final
                if item.state is SheetState.IDENTIFIED and item.application_id is not None}
    applicants: list[FinalApplicant] = []
    for applicant in auto.applicants:
        note = notes.get(applicant.application_id)
        if applicant.application_id in sheet_of:
            who = ApplicantState.IDENTIFIED
        elif applicant.status is ApplicantStatus.ANNULLED or (note is not None and note.note == "annulled"):
            who = ApplicantState.ANNULLED
        elif applicant.status is ApplicantStatus.NOT_ADMITTED or (note is not None and note.note == "not-admitted"):
            who = ApplicantState.NOT_ADMITTED
        elif note is not None and note.note == "absent":
            who = ApplicantState.ABSENT
        else:
            who = ApplicantState.OPEN
        applicants.append(FinalApplicant(applicant.application_id, applicant.room_number, who,
                                         sheet_of.get(applicant.application_id)))
    return Resolution(tuple(final), tuple(applicants))


@dataclass(frozen=True)
class VariantExcess:
    """More sheets of a variant in a room than booklets of it were given there: variant identification
    (прил. 37, п. 171) — the commission checks these sheets against their booklets."""

    room_number: str
    variant: str
    given: int
    found: int
    sheet_ids: tuple[int, ...]


def variant_excess(resolution: Resolution, booklets: Mapping[str, Mapping[str, int]]) -> list[VariantExcess]:
    """Each room's variants counted over the sheets that go to the statement, against the booklets НЦТ gave
    the room (a room whose booklets are not known is not checked)."""
    found: dict[tuple[str, str], list[int]] = {}
    for sheet in resolution.sheets:
        if sheet.in_statement:
            found.setdefault((sheet.room_number, sheet.variant), []).append(sheet.sheet_id)
    excess = []
    for (room, variant), sheet_ids in sorted(found.items()):
        given = booklets.get(room)
        if not given:
            continue
        if len(sheet_ids) > given.get(variant, 0):
            excess.append(VariantExcess(room, variant, given.get(variant, 0), len(sheet_ids), tuple(sheet_ids)))
    return excess
