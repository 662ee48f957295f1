"""Automatic identification of a stream's answer sheets (п. 157–158, 166–170), a pure function.

:func:`identify` takes the sheets read from a stream's envelopes (anything shaped like
``arm_programmer.sheets.ReadSheet``: :class:`SheetLike`), the stream's seating (``draw.drawn_seats``),
the answer-sheet numbers НЦТ gave each room (``variants``, п. 157.1) and the applicants withdrawn by
an act (прил. 35), and tells

* for every sheet: identified (to which application) or not, and every reason why not — these are
  the rows of the protocol's lower table (п. 162.2, 167–170), with the decision the reasons suggest;
* for every seated applicant: the sheet identified as theirs, or why not — the rows of the protocol's
  upper table (п. 162.1, 166).

A sheet is identified automatically when the three conditions of п. 157 hold: its number is among
the sheets given to its room (or the stream's spare sheets, handed out by act), its ИКТ is the ИКТ of
an applicant seated in that room, and its seat is that applicant's seat on the seating list. Beyond
the three conditions a sheet is not identified when what it says cannot be trusted: a double mark or
an unreadable column in the ИКТ, seat, variant or profile subjects (the sectors framed in bold on the
protocol, п. 167), a difference between the two passes left open, or a second sheet in the room with
the same ИКТ. A late-seated applicant (досадка, п. 169) is never identified automatically: the
commission checks the seating list and writes «Досадка». A sheet on which nothing is marked is an
unused sheet (п. 165): listed, blocking nothing.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Protocol

from arm_programmer.draw import DrawnSeat
from common import codebook
from common.i18n import N_

IDENTITY_FIELDS: Final = ("ikt", "seat", "variant", "subjects")
"""The fields the identification reads (п. 167): a doubt in any of them sends the sheet to the protocol."""


class SheetLike(Protocol):
    """A sheet as read from both passes (``arm_programmer.sheets.ReadSheet``)."""

    @property
    def sheet_id(self) -> int: ...
    @property
    def room_number(self) -> str: ...
    @property
    def sheet_number(self) -> str | None: ...
    @property
    def fields(self) -> Mapping[str, str]: ...
    @property
    def flags(self) -> tuple[str, ...]: ...
    @property
    def image_pass1(self) -> str | None: ...
    @property
    def image_pass2(self) -> str | None: ...


def kept_image(sheet: SheetLike) -> str | None:
    """The sheet's kept image (pass 1's, else pass 2's), as a path under the data folder."""
    return sheet.image_pass1 or sheet.image_pass2

class Withdrawal(enum.Enum):
    """Why an applicant has no sheet to scan (acts, прил. 35)."""

    REMOVED = "removed"
    """Removed from the room (rules of conduct, late hand-in, an impostor found during the test): «Аннулирован»."""
    NOT_ADMITTED = "not-admitted"
    """An impostor stopped at the entrance: «Не допущен»."""


class SheetReason(enum.Enum):
    NO_SHEET_NUMBER = "no-sheet-number"
    NOT_IN_ROOM = "not-in-room"
    IKT_UNREADABLE = "ikt-unreadable"
    IKT_UNKNOWN = "ikt-unknown"
    IKT_OTHER_ROOM = "ikt-other-room"
    IKT_TWICE = "ikt-twice"
    WITHDRAWN = "withdrawn"
    SEAT_MISMATCH = "seat-mismatch"
    SEAT_UNREADABLE = "seat-unreadable"
    DOUBLE_MARK = "double-mark"
    PASS_DIFFERENCE = "pass-difference"
    LATE_SEATED = "late-seated"


SHEET_REASONS: Final[Mapping[SheetReason, str]] = {
    SheetReason.NO_SHEET_NUMBER: N_("the sheet number could not be read"),
    SheetReason.NOT_IN_ROOM: N_("the sheet number is not among the sheets given to the room (п. 157.1)"),
    SheetReason.IKT_UNREADABLE: N_("the ИКТ is incomplete or unreadable"),
    SheetReason.IKT_UNKNOWN: N_("the ИКТ is not the ИКТ of an applicant seated in the room (п. 157.2)"),
    SheetReason.IKT_OTHER_ROOM: N_("the ИКТ is of an applicant seated in another room (п. 157.2)"),
    SheetReason.IKT_TWICE: N_("another sheet of the room carries the same ИКТ"),
    SheetReason.WITHDRAWN: N_("the ИКТ is of an applicant withdrawn by an act (прил. 35)"),
    SheetReason.SEAT_MISMATCH: N_("the seat differs from the seating list (п. 157.3)"),
    SheetReason.SEAT_UNREADABLE: N_("the seat is incomplete or unreadable"),
    SheetReason.DOUBLE_MARK: N_("a double mark or an unreadable column in the ИКТ, seat, variant or subjects"),
    SheetReason.PASS_DIFFERENCE: N_("the two passes differ and the difference is not resolved"),
    SheetReason.LATE_SEATED: N_("the applicant was seated late (п. 169)"),
}


class Decision(enum.Enum):
    """The lower table's «Решение» (п. 168–170)."""

    CORRECT = "correct"
    """«Исправить»: the commission wrote the right ИКТ, seat, variant, subjects (п. 168)."""
    LATE = "late"
    """«Досадка»: the applicant was seated late (п. 169)."""
    DELETE = "delete"
    """«Удалить бланк»: a sheet not given to the room, not assessed, left out of the statement (п. 170)."""


class ApplicantStatus(enum.Enum):
    IDENTIFIED = "identified"
    NOT_IDENTIFIED = "not-identified"
    """In the upper table: the commission finds the sheet by name, or writes «Не явился» (п. 166)."""
    ANNULLED = "annulled"
    """Removed from the room by an act: «Аннулирован»."""
    NOT_ADMITTED = "not-admitted"
    """Not admitted at the entrance: «Не допущен»."""
    LATE_SEATED = "late-seated"
    """Seated late: not in the upper table, the sheet is in the lower one with «Досадка» (п. 169)."""


@dataclass(frozen=True)
class SheetOutcome:
    sheet_id: int
    room_number: str
    sheet_number: str | None
    application_id: int | None
    """The applicant the sheet is identified to (``None``: not identified)."""
    reasons: tuple[SheetReason, ...]
    candidate: int | None
    """The application whose ИКТ the sheet carries, when one is seated in the stream."""
    belongs_to: str | None
    """The room the sheet number was given to, when it is another room."""
    blank: bool
    """Nothing is marked: an unused sheet (п. 165)."""

    @property
    def identified(self) -> bool:
        return self.application_id is not None

    @property
    def in_protocol(self) -> bool:
        """A row of the lower table (п. 162.2, 165): every sheet not identified, unused ones included."""
        return self.application_id is None

    @property
    def suggestion(self) -> Decision | None:
        """The decision the reasons point to (the commission decides): none for an unused sheet."""
        if self.identified or self.blank:
            return None
        if SheetReason.NOT_IN_ROOM in self.reasons:
            return Decision.DELETE
        if SheetReason.LATE_SEATED in self.reasons:
            return Decision.LATE
        return Decision.CORRECT


@dataclass(frozen=True)
class ApplicantOutcome:
    application_id: int
    room_number: str
    seat: int
    status: ApplicantStatus
    sheet_id: int | None
    """The identified sheet, or (not identified) the sheet of the room carrying the applicant's ИКТ."""
    may_be_absent: bool
    """No sheet of the room carries the ИКТ and every marked sheet of the room is accounted for."""

    @property
    def in_protocol(self) -> bool:
        """A row of the upper table (п. 166): the applicants without an automatically identified sheet."""
        return self.status in (ApplicantStatus.NOT_IDENTIFIED, ApplicantStatus.ANNULLED,
                               ApplicantStatus.NOT_ADMITTED)


@dataclass(frozen=True)
class Identification:
    sheets: tuple[SheetOutcome, ...]
    applicants: tuple[ApplicantOutcome, ...]

    def sheet(self, sheet_id: int) -> SheetOutcome:
        return next(item for item in self.sheets if item.sheet_id == sheet_id)

    def applicant(self, application_id: int) -> ApplicantOutcome:
        return next(item for item in self.applicants if item.application_id == application_id)

    def lower_table(self, room_number: str | None = None) -> list[SheetOutcome]:
        return [item for item in self.sheets
                if item.in_protocol and room_number in (None, item.room_number)]

    def upper_table(self, room_number: str | None = None) -> list[ApplicantOutcome]:
        return [item for item in self.applicants
                if item.in_protocol and room_number in (None, item.room_number)]


def _number(text: str | None) -> int | None:
    if text is None or len(text) != codebook.SHEET_NUMBER_DIGITS or not text.isdigit():
        return None
    return int(text)


def _ikt(text: str) -> str | None:
    return text if len(text) == codebook.IKT_DIGITS and text.isdigit() else None


def _seat(text: str) -> int | None:
    return int(text) if text and len(text) <= codebook.SEAT_DIGITS and text.isdigit() else None


def _flag(flag: str) -> tuple[str, str | None]:
    """``"ambiguous:ikt"`` → (``"ambiguous"``, ``"ikt"``); a flag with no field concerns the sheet."""
    kind, _sep, field = flag.partition(":")
    return kind, (field.split(".")[0] or None) if field else None


def _doubts(sheet: SheetLike) -> set[SheetReason]:
    """The scanning's open problems that keep a sheet from automatic identification.

    ``differs`` (a difference between the passes not resolved), ``one_pass`` and ``rescan`` (the sheet
    missing from a pass) hold the sheet back; a double mark counts where a flag names an identity field
    (``ambiguous:ikt.c03``) — a flag naming no field may concern an answer, and a double mark in the ИКТ,
    seat or variant shows in its value anyway; ``excluded``: the sheet was recorded as not to be scanned
    (прил. 35)."""
    reasons: set[SheetReason] = set()
    for flag in sheet.flags:
        kind, field = _flag(flag)
        if kind in ("differs", "one_pass", "rescan"):
            reasons.add(SheetReason.PASS_DIFFERENCE)
        elif kind in ("ambiguous", "multiple", "unreadable") and field in IDENTITY_FIELDS:
            reasons.add(SheetReason.DOUBLE_MARK)
        elif kind == "excluded":
            reasons.add(SheetReason.WITHDRAWN)
    variant = sheet.fields.get("variant")
    if variant and not codebook.is_code(variant, codebook.VARIANT_DIGITS):
        reasons.add(SheetReason.DOUBLE_MARK)
    return reasons


def _given(number: int | None, ranges: Iterable[tuple[int, int]]) -> bool:
    return number is not None and any(first <= number <= last for first, last in ranges)


def identify(sheets: Iterable[SheetLike], seats: Iterable[DrawnSeat],
             sheet_numbers: Mapping[str, Sequence[tuple[int, int]]], *,
             spare: Sequence[tuple[int, int]] = (),
             withdrawn: Mapping[int, Withdrawal] | None = None) -> Identification:
    """Identify the stream's sheets automatically (п. 157); see the module's text for the rules.

    ``sheet_numbers``: per room, the ranges of sheet numbers НЦТ gave it; ``spare``: the stream's spare
    sheets (given out by act to any room, п. 142); ``withdrawn``: applications withdrawn by an act.
    """
    withdrawn = withdrawn or {}
    ordered = sorted(sheets, key=lambda item: (item.room_number, item.sheet_number or "", item.sheet_id))
    seating = list(seats)
    by_ikt = {seat.ikt: seat for seat in seating}
    marked_ikt = Counter((sheet.room_number, sheet.fields.get("ikt", "")) for sheet in ordered)
    outcomes: list[SheetOutcome] = []
    for sheet in ordered:
        blank = not any(value for value in sheet.fields.values())
        number = _number(sheet.sheet_number)
        belongs_to = next((room for room, ranges in sheet_numbers.items() if _given(number, ranges)), None)
        if blank:
            outcomes.append(SheetOutcome(sheet.sheet_id, sheet.room_number, sheet.sheet_number, None, (), None,
                                         belongs_to if belongs_to != sheet.room_number else None, True))
            continue
        reasons = _doubts(sheet)
        if number is None:
            reasons.add(SheetReason.NO_SHEET_NUMBER)
        elif not (_given(number, sheet_numbers.get(sheet.room_number, ())) or _given(number, spare)):
            reasons.add(SheetReason.NOT_IN_ROOM)
        ikt = _ikt(sheet.fields.get("ikt", ""))
        owner = None if ikt is None else by_ikt.get(ikt)
        if ikt is None:
            reasons.add(SheetReason.IKT_UNREADABLE)
        elif owner is None:
            reasons.add(SheetReason.IKT_UNKNOWN)
        elif owner.room_number != sheet.room_number:
            reasons.add(SheetReason.IKT_OTHER_ROOM)
        else:
            if marked_ikt[(sheet.room_number, ikt)] > 1:
                reasons.add(SheetReason.IKT_TWICE)
            if owner.application_id in withdrawn:
                reasons.add(SheetReason.WITHDRAWN)
            if owner.late:
                reasons.add(SheetReason.LATE_SEATED)
            marked_seat = _seat(sheet.fields.get("seat", ""))
            if marked_seat is None:
                reasons.add(SheetReason.SEAT_UNREADABLE)
            elif marked_seat != owner.seat:
                reasons.add(SheetReason.SEAT_MISMATCH)
        identified = None if reasons or owner is None else owner.application_id
        outcomes.append(SheetOutcome(
            sheet.sheet_id, sheet.room_number, sheet.sheet_number, identified,
            tuple(reason for reason in SheetReason if reason in reasons),
            None if owner is None else owner.application_id,
            belongs_to if belongs_to != sheet.room_number else None, False))
    identified_to = {item.application_id: item.sheet_id for item in outcomes if item.application_id is not None}
    candidate_of = {item.candidate: item.sheet_id for item in outcomes
                    if item.candidate is not None and item.application_id is None}
    open_rooms = Counter(item.room_number for item in outcomes
                         if not item.blank and item.application_id is None
                         and SheetReason.LATE_SEATED not in item.reasons)
    applicants: list[ApplicantOutcome] = []
    for seat in sorted(seating, key=lambda item: (item.room_number, item.seat)):
        reason = withdrawn.get(seat.application_id)
        sheet_id: int | None
        if seat.application_id in identified_to:
            status, sheet_id = ApplicantStatus.IDENTIFIED, identified_to[seat.application_id]
        else:
            sheet_id = candidate_of.get(seat.application_id)
            status = (ApplicantStatus.ANNULLED if reason is Withdrawal.REMOVED
                      else ApplicantStatus.NOT_ADMITTED if reason is Withdrawal.NOT_ADMITTED
                      else ApplicantStatus.LATE_SEATED if seat.late
                      else ApplicantStatus.NOT_IDENTIFIED)
        absent = (status is ApplicantStatus.NOT_IDENTIFIED and sheet_id is None
                  and open_rooms[seat.room_number] == 0)
        applicants.append(ApplicantOutcome(seat.application_id, seat.room_number, seat.seat, status, sheet_id,
                                           absent))
    return Identification(tuple(outcomes), tuple(applicants))
