"""Automatic identification (п. 157): case by case, over plain rows shaped as the scanner's read sheets."""

from __future__ import annotations

from dataclasses import dataclass, field

from arm_programmer.draw import DrawnSeat
from arm_programmer.identify import (
    ApplicantStatus,
    Decision,
    SheetReason,
    Withdrawal,
    identify,
)
from common.db.models import LanguageStatus

ROOM_SHEETS = {"101": [(1000001, 1000030)], "102": [(1000031, 1000060)]}
SPARE = [(1009001, 1009010)]


@dataclass(frozen=True)
class Sheet:
    sheet_id: int
    room_number: str
    sheet_number: str | None
    fields: dict[str, str] = field(default_factory=dict)
    flags: tuple[str, ...] = ()
    stream_number: int = 1
    image_pass1: str | None = None
    image_pass2: str | None = None


def seat(application_id: int, room: str, number: int, *, late: bool = False) -> DrawnSeat:
    return DrawnSeat(application_id, f"10000{application_id:04d}", f"Applicant {application_id}", 1, room, number,
                     LanguageStatus.KAZAKH, late)


def marked(sheet_id: int, room: str, number: int, application_id: int, seat_number: int, **extra: str) -> Sheet:
    fields = {"ikt": f"10000{application_id:04d}", "seat": f"{seat_number:03d}", "variant": "0101",
              "subjects": "MATH-PHYS", "answers": "ABCDE"}
    fields.update(extra)
    return Sheet(sheet_id, room, f"{number:07d}", fields)


SEATS = [seat(1, "101", 1), seat(2, "101", 2), seat(3, "101", 3), seat(4, "102", 1), seat(5, "102", 2)]


def test_a_sheet_identifies_when_the_three_conditions_hold() -> None:
    result = identify([marked(10, "101", 1000001, 1, 1), marked(11, "101", 1000002, 2, 2)], SEATS, ROOM_SHEETS)
    assert result.sheet(10).application_id == 1 and result.sheet(10).reasons == ()
    assert result.applicant(2).status is ApplicantStatus.IDENTIFIED and result.applicant(2).sheet_id == 11
    assert [item.sheet_id for item in result.lower_table("101")] == []


def test_a_spare_sheet_given_out_by_act_identifies_in_any_room() -> None:
    result = identify([marked(10, "102", 1009003, 4, 1)], SEATS, ROOM_SHEETS, spare=SPARE)
    assert result.sheet(10).identified


def test_a_sheet_from_another_room_is_to_be_deleted() -> None:
    result = identify([marked(10, "101", 1000040, 1, 1)], SEATS, ROOM_SHEETS)
    outcome = result.sheet(10)
    assert not outcome.identified
    assert SheetReason.NOT_IN_ROOM in outcome.reasons and outcome.belongs_to == "102"
    assert outcome.suggestion is Decision.DELETE
    assert result.applicant(1).status is ApplicantStatus.NOT_IDENTIFIED and result.applicant(1).sheet_id == 10


def test_a_wrong_ikt_goes_to_the_protocol_and_its_owner_to_the_upper_table() -> None:
    result = identify([marked(10, "101", 1000001, 1, 1, ikt="100009999")], SEATS, ROOM_SHEETS)
    assert result.sheet(10).reasons == (SheetReason.IKT_UNKNOWN,)
    assert result.sheet(10).suggestion is Decision.CORRECT
    upper = result.upper_table("101")
    assert [item.application_id for item in upper] == [1, 2, 3]
    assert not any(item.may_be_absent for item in upper), "a marked sheet of the room is still open"


def test_an_ikt_of_an_applicant_in_another_room() -> None:
    result = identify([marked(10, "101", 1000001, 4, 1)], SEATS, ROOM_SHEETS)
    assert result.sheet(10).reasons == (SheetReason.IKT_OTHER_ROOM,)
    assert result.sheet(10).candidate == 4


def test_a_seat_mismatch() -> None:
    result = identify([marked(10, "101", 1000001, 1, 7)], SEATS, ROOM_SHEETS)
    assert result.sheet(10).reasons == (SheetReason.SEAT_MISMATCH,)
    assert result.applicant(1).status is ApplicantStatus.NOT_IDENTIFIED and result.applicant(1).sheet_id == 10


def test_a_double_mark_in_the_ikt_or_variant_but_not_in_an_answer() -> None:
    in_ikt = Sheet(10, "101", "1000001", marked(0, "101", 1, 1, 1).fields, flags=("ambiguous:ikt.c03",))
    in_variant = Sheet(11, "101", "1000002", marked(0, "101", 1, 2, 2).fields, flags=("multiple:variant.c02",))
    in_answer = Sheet(12, "101", "1000003", marked(0, "101", 1, 3, 3).fields, flags=("multiple:math.q07",))
    result = identify([in_ikt, in_variant, in_answer], SEATS, ROOM_SHEETS)
    assert SheetReason.DOUBLE_MARK in result.sheet(10).reasons and not result.sheet(10).identified
    assert result.sheet(11).reasons == (SheetReason.DOUBLE_MARK,)
    assert result.sheet(12).identified


def test_an_incomplete_ikt_column() -> None:
    result = identify([marked(10, "101", 1000001, 1, 1, ikt="10000 001")], SEATS, ROOM_SHEETS)
    assert result.sheet(10).reasons == (SheetReason.IKT_UNREADABLE,)


def test_an_unresolved_pass_difference_holds_the_sheet_back() -> None:
    sheet = Sheet(10, "101", "1000001", marked(0, "101", 1, 1, 1).fields, flags=("differs:seat",))
    result = identify([sheet], SEATS, ROOM_SHEETS)
    assert result.sheet(10).reasons == (SheetReason.PASS_DIFFERENCE,)
    assert result.applicant(1).status is ApplicantStatus.NOT_IDENTIFIED


def test_a_late_seated_applicant_is_left_to_the_commission_as_dosadka() -> None:
    seats = [*SEATS, seat(6, "102", 30, late=True)]
    result = identify([marked(10, "102", 1000031, 6, 30)], seats, ROOM_SHEETS)
    assert result.sheet(10).reasons == (SheetReason.LATE_SEATED,)
    assert result.sheet(10).suggestion is Decision.LATE
    late = result.applicant(6)
    assert late.status is ApplicantStatus.LATE_SEATED and late.sheet_id == 10
    assert 6 not in [item.application_id for item in result.upper_table()], "п. 169: not in the upper table"


def test_absent_removed_and_not_admitted_applicants_in_the_upper_table() -> None:
    sheets = [marked(10, "101", 1000001, 1, 1), Sheet(11, "101", "1000002", {"ikt": "", "seat": "", "answers": ""})]
    result = identify(sheets, SEATS, ROOM_SHEETS, withdrawn={2: Withdrawal.REMOVED, 3: Withdrawal.NOT_ADMITTED})
    assert result.applicant(2).status is ApplicantStatus.ANNULLED
    assert result.applicant(3).status is ApplicantStatus.NOT_ADMITTED
    assert [item.application_id for item in result.upper_table("101")] == [2, 3]
    blank = result.sheet(11)
    assert blank.blank and blank.in_protocol and blank.suggestion is None


def test_an_absent_applicant_is_suggested_when_every_marked_sheet_is_accounted_for() -> None:
    sheets = [marked(10, "101", 1000001, 1, 1), marked(11, "101", 1000002, 2, 2),
              Sheet(12, "101", "1000003", {"ikt": "", "seat": ""})]
    result = identify(sheets, SEATS, ROOM_SHEETS)
    absent = result.applicant(3)
    assert absent.status is ApplicantStatus.NOT_IDENTIFIED and absent.may_be_absent and absent.sheet_id is None


def test_a_scanned_sheet_of_a_removed_applicant_is_not_identified() -> None:
    result = identify([marked(10, "101", 1000001, 1, 1)], SEATS, ROOM_SHEETS, withdrawn={1: Withdrawal.REMOVED})
    assert result.sheet(10).reasons == (SheetReason.WITHDRAWN,)
    assert result.applicant(1).status is ApplicantStatus.ANNULLED


def test_two_sheets_with_one_ikt_neither_identifies() -> None:
    result = identify([marked(10, "101", 1000001, 1, 1), marked(11, "101", 1000002, 1, 1)], SEATS, ROOM_SHEETS)
    assert result.sheet(10).reasons == result.sheet(11).reasons == (SheetReason.IKT_TWICE,)
    assert result.applicant(1).status is ApplicantStatus.NOT_IDENTIFIED


def test_an_unreadable_sheet_number() -> None:
    result = identify([Sheet(10, "101", None, marked(0, "101", 1, 1, 1).fields)], SEATS, ROOM_SHEETS)
    assert result.sheet(10).reasons == (SheetReason.NO_SHEET_NUMBER,)


def test_the_scanning_flags_as_the_room_scan_gives_them() -> None:
    fields = marked(0, "101", 1, 1, 1).fields
    one_pass = Sheet(10, "101", "1000001", fields, flags=("one_pass",))
    answer_doubt = Sheet(11, "101", "1000002", marked(0, "101", 1, 2, 2).fields, flags=("ambiguous",))
    two_variants = marked(12, "101", 1000003, 3, 3, variant="01012")
    result = identify([one_pass, answer_doubt, two_variants], SEATS, ROOM_SHEETS)
    assert result.sheet(10).reasons == (SheetReason.PASS_DIFFERENCE,), "a sheet missing from a pass is held back"
    assert result.sheet(11).identified, "a doubt in an answer is the scoring's, not the identification's"
    assert result.sheet(12).reasons == (SheetReason.DOUBLE_MARK,)
    excluded = identify([Sheet(13, "101", "1000004", marked(0, "101", 1, 1, 1).fields, flags=("excluded",))],
                        SEATS, ROOM_SHEETS)
    assert excluded.sheet(13).reasons == (SheetReason.WITHDRAWN,)
