"""The protocol's entries over the automatic identification (п. 159–170): visual identification, late seating,
«Удалить бланк» left out of the statement, the upper table's notes, and what is refused."""

from __future__ import annotations

import pytest
from test_identify_auto import ROOM_SHEETS, SEATS, Sheet, marked, seat

from arm_programmer.identify import Decision, Identification, Withdrawal, identify
from arm_programmer.resolution import (
    ApplicantState,
    Entry,
    Note,
    SheetState,
    check_note,
    check_sheet_entry,
    resolve,
    variant_excess,
)
from common.errors import Refused
from common.i18n import set_language


@pytest.fixture(autouse=True)
def english() -> None:
    set_language("en")


STREAM_SEATS = [*SEATS, seat(6, "102", 30, late=True)]


def stream() -> tuple[list[Sheet], Identification]:
    sheets = [
        marked(10, "101", 1000001, 1, 1),
        marked(11, "101", 1000002, 2, 9),                    # seat mismatch
        marked(12, "101", 1000040, 3, 3),                    # a sheet of room 102
        Sheet(13, "101", "1000004", {"ikt": "", "seat": ""}),  # unused
        marked(20, "102", 1000031, 6, 30),                   # late seated
        marked(21, "102", 1000032, 4, 1, ikt="100009999"),   # wrong ИКТ
    ]
    return sheets, identify(sheets, STREAM_SEATS, ROOM_SHEETS, withdrawn={5: Withdrawal.REMOVED})


def correct(sheet_id: int, application_id: int, seat_number: int, decision: Decision = Decision.CORRECT) -> Entry:
    return Entry(sheet_id, decision, application_id, seat_number, "0102", "MATH-PHYS")


def test_before_the_protocol_the_stream_is_open() -> None:
    sheets, auto = stream()
    result = resolve(auto, sheets, {}, {})
    assert [item.sheet_id for item in result.open_sheets()] == [11, 12, 20, 21]
    assert result.sheet(13).state is SheetState.UNUSED
    assert {item.application_id for item in result.open_applicants()} == {2, 3, 4, 6}
    assert result.applicant(5).state is ApplicantState.ANNULLED and not result.complete


def test_the_protocol_entered_settles_the_stream() -> None:
    sheets, auto = stream()
    entries = {11: correct(11, 2, 2), 12: Entry(12, Decision.DELETE), 20: correct(20, 6, 30, Decision.LATE),
               21: correct(21, 4, 1)}
    for entry in entries.values():
        check_sheet_entry(auto, STREAM_SEATS, entry, {k: v for k, v in entries.items() if k != entry.sheet_id},
                          withdrawn=[5])
    notes = {3: Note(3, "absent")}
    result = resolve(auto, sheets, entries, notes)
    assert result.complete
    assert result.sheet(11).application_id == 2 and result.sheet(11).variant == "0102" and result.sheet(11).by_protocol
    assert result.sheet(12).state is SheetState.DELETED and not result.sheet(12).in_statement
    assert result.sheet(20).application_id == 6 and result.applicant(6).state is ApplicantState.IDENTIFIED
    assert result.applicant(3).state is ApplicantState.ABSENT
    assert [item.sheet_id for item in result.sheets if item.in_statement] == [10, 11, 20, 21]


def test_a_sheet_of_another_room_can_only_be_deleted() -> None:
    _sheets, auto = stream()
    with pytest.raises(Refused, match=r"п\. 170"):
        check_sheet_entry(auto, STREAM_SEATS, correct(12, 3, 3), {})


def test_visual_identification_needs_an_applicant_of_the_room_and_the_booklet_data() -> None:
    _sheets, auto = stream()
    with pytest.raises(Refused, match=r"п\. 159.2"):
        check_sheet_entry(auto, STREAM_SEATS, correct(11, 4, 2), {})
    with pytest.raises(Refused, match="seat"):
        check_sheet_entry(auto, STREAM_SEATS, correct(11, 2, 0), {})
    with pytest.raises(Refused, match="variant"):
        check_sheet_entry(auto, STREAM_SEATS, Entry(11, Decision.CORRECT, 2, 2, "12", "MATH-PHYS"), {})
    with pytest.raises(Refused, match="profile subjects"):
        check_sheet_entry(auto, STREAM_SEATS, Entry(11, Decision.CORRECT, 2, 2, "0102", ""), {})


def test_a_sheet_is_not_given_to_an_applicant_who_has_one() -> None:
    _sheets, auto = stream()
    with pytest.raises(Refused, match="already"):
        check_sheet_entry(auto, STREAM_SEATS, correct(11, 1, 1), {})


def test_late_seating_is_for_the_late_seated_only_and_they_take_no_correct() -> None:
    _sheets, auto = stream()
    with pytest.raises(Refused, match=r"п\. 169"):
        check_sheet_entry(auto, STREAM_SEATS, correct(21, 4, 1, Decision.LATE), {})
    with pytest.raises(Refused, match=r"п\. 169"):
        check_sheet_entry(auto, STREAM_SEATS, correct(20, 6, 30), {})


def test_a_withdrawn_applicant_gets_no_sheet() -> None:
    _sheets, auto = stream()
    with pytest.raises(Refused, match=r"прил\. 35"):
        check_sheet_entry(auto, STREAM_SEATS, correct(21, 5, 2), {}, withdrawn=[5])


def test_the_upper_table_notes() -> None:
    sheets, auto = stream()
    result = resolve(auto, sheets, {}, {})
    check_note(result, auto, Note(2, "correct", "1000002"))
    with pytest.raises(Refused, match="room 101"):
        check_note(result, auto, Note(2, "correct", "1000031"))
    with pytest.raises(Refused, match="Absent"):
        check_note(result, auto, Note(1, "absent"))
    with pytest.raises(Refused):
        check_note(result, auto, Note(1, "gone"))


def test_a_variant_found_more_often_than_its_booklets_needs_variant_identification() -> None:
    sheets, auto = stream()
    entries = {11: correct(11, 2, 2), 12: Entry(12, Decision.DELETE)}
    result = resolve(auto, sheets, entries, {})
    # room 101: sheet 10 read 0101, sheet 11 entered 0102; the deleted sheet does not count
    assert variant_excess(result, {"101": {"0101": 1, "0102": 1}}) == []
    [excess] = variant_excess(result, {"101": {"0101": 0, "0102": 1}})
    assert (excess.room_number, excess.variant, excess.given, excess.found, excess.sheet_ids) == ("101", "0101", 0, 1,
                                                                                                   (10,))
    fixed = resolve(auto, sheets, {**entries, 10: correct(10, 1, 1)}, {})
    assert variant_excess(fixed, {"101": {"0101": 0, "0102": 2}}) == [], "corrected from the booklet"
