"""Services of the site database: what is saved, what is refused, and that a refusal saves nothing."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from base_ppent_support import bad_bin, database, enrolled_folder, valid_bin

from arm_base_ppent.distribution import distribution
from arm_base_ppent.rooms import RoomDraft, add_room, clear_room_use, list_rooms, remove_room, set_room_use, update_room
from arm_base_ppent.schools import SchoolRecord, add_school, assign_stream, list_schools, save_schools, update_school
from arm_base_ppent.sending import site_database_payload
from arm_base_ppent.site import SiteFacts, site_info, update_site_facts
from arm_base_ppent.snapshot import load_snapshot
from arm_base_ppent.streams import add_stream, list_streams, remove_stream
from common import i18n
from common.errors import Refused
from common.workstation import DataFolder


@pytest.fixture
def folder(tmp_path: Path) -> DataFolder:
    i18n.set_language("en")
    return enrolled_folder(tmp_path / "site")


def room(number: str, desks: int = 15, building: str = "Корпус 1, ул. Абая 10") -> RoomDraft:
    return RoomDraft(number, desks, "natural", 1, 2, building)


def school(number: int, stream: int | None = None, **changes: object) -> SchoolRecord:
    values: dict[str, object] = {
        "code": f"{number:04d}", "name_kk": f"№{number} мектеп", "name_ru": f"Школа №{number}",
        "bin": valid_bin(number), "region_code": "10", "district_code": "001",
        "expected": {"kk": 20, "ru": 5}, "stream": stream, "language_status": "kk", "settlement": "city",
    }
    values.update(changes)
    return SchoolRecord(**values)  # type: ignore[arg-type]


def test_rooms_are_saved_with_two_seats_per_desk_and_used_per_stream(folder: DataFolder) -> None:
    with database(folder) as session:
        add_stream(session, date(2027, 6, 20))
        add_stream(session, date(2027, 6, 21))
        add_room(session, room("1", desks=60))
        set_room_use(session, "01", 1, "kk")
        set_room_use(session, "01", 2, "en-ru", reserve=True)
    with database(folder) as session:
        (saved,) = list_rooms(session)
        assert (saved.number, saved.seats) == ("01", 120)
        assert [(use.stream, use.language, use.reserve) for use in saved.uses] == [(1, "kk", False), (2, "en-ru", True)]
        clear_room_use(session, "01", 2)
        assert [use.stream for use in list_rooms(session)[0].uses] == [1]


def test_a_refused_room_leaves_the_database_as_it_was(folder: DataFolder) -> None:
    with database(folder) as session:
        add_room(session, room("01"))
    for bad, expected in [
        (room("02", desks=16), "16 desks give 32 seats"),
        (room("01"), "Room 01 is already in the room fund."),
        (room("02", building="Корпус 2"), "All rooms must be in one building (п. 80.1)"),
        (room("02", desks=65), "130 is not allowed"),
    ]:
        with pytest.raises(Refused, match=re.escape(expected)), database(folder) as session:
            add_room(session, bad)
    with database(folder) as session:
        assert [r.number for r in list_rooms(session)] == ["01"]


def test_a_room_can_be_renumbered_and_removed(folder: DataFolder) -> None:
    with database(folder) as session:
        add_room(session, room("01"))
        add_room(session, room("02"))
        with pytest.raises(Refused, match="Room 02 is already"):
            update_room(session, "01", room("02"))
        update_room(session, "01", room("05", desks=20))
        remove_room(session, "02")
        assert [(r.number, r.seats) for r in list_rooms(session)] == [("05", 40)]


def test_the_thirteenth_room_of_a_stream_is_refused_and_the_third_reserve_room_too(folder: DataFolder) -> None:
    with database(folder) as session:
        add_stream(session, date(2027, 6, 20))
        for number in range(1, 16):
            add_room(session, room(f"{number:02d}"))
        for number in range(1, 13):
            set_room_use(session, f"{number:02d}", 1, "kk")
        set_room_use(session, "13", 1, "ru", reserve=True)
        set_room_use(session, "14", 1, "ru", reserve=True)
        with pytest.raises(Refused, match="already has 12 rooms"):
            set_room_use(session, "15", 1, "kk")
        with pytest.raises(Refused, match="already has 2 reserve rooms"):
            set_room_use(session, "15", 1, "kk", reserve=True)
        # Changing a counted room's own record stays possible.
        set_room_use(session, "01", 1, "en-kk")


def test_streams_need_a_date_and_only_empty_ones_are_removed(folder: DataFolder) -> None:
    with database(folder) as session:
        add_stream(session, date(2027, 6, 20))
        add_stream(session, date(2027, 6, 21), number=5)
        with pytest.raises(Refused, match=r"Stream 5 is already in the schedule\."):
            add_stream(session, date(2027, 6, 22), number=5)
        assert [s.number for s in list_streams(session)] == [1, 5]
        add_room(session, room("01"))
        set_room_use(session, "01", 5, "kk")
        with pytest.raises(Refused, match="Stream 5 still has 1 room"):
            remove_stream(session, 5)
        remove_stream(session, 1)
        assert [s.number for s in list_streams(session)] == [5]


def test_schools_are_checked_by_bin_and_duplicates_refused_naming_the_row(folder: DataFolder) -> None:
    with database(folder) as session:
        add_school(session, school(1))
    with pytest.raises(Refused, match=r"row 3: БИН \d+ is already in row 2"), database(folder) as session:
        save_schools(session, [school(2), school(3, bin=valid_bin(2))], row_names=["row 2", "row 3"])
    with pytest.raises(Refused, match=r"row 2: a school with БИН \d+ is already in the database \(0001\)"), \
            database(folder) as session:
        save_schools(session, [school(9, bin=valid_bin(1))], row_names=["row 2"])
    with pytest.raises(Refused, match="is not valid: it needs 12 digits with a correct check digit"), \
            database(folder) as session:
        add_school(session, school(4, bin=bad_bin(4)))
    with database(folder) as session:
        assert [s.code for s in list_schools(session)] == ["0001"]


def test_a_school_code_is_unique_within_its_district_only(folder: DataFolder) -> None:
    with database(folder) as session:
        add_school(session, school(1))
        add_school(session, school(2, code="0001", district_code="002"))
        with pytest.raises(Refused, match="school code 0001 is already used"):
            add_school(session, school(3, code="0001"))
        assert len(list_schools(session)) == 2


def test_every_field_of_p84_is_kept(folder: DataFolder) -> None:
    full = school(
        7, address="Семей, Абай к-сі 7", students_per_grade={"9": 60, "11": 48}, foreign_languages=("en", "de"),
        language_status="mixed", settlement="village", ownership="private", school_type="lyceum",
        school_kind="school", transport="hired-bus", delivery="сопровождает учитель", distance_km=12.5,
        expected={"kk": 10, "ru": 8, "en-kk": 2, "en-ru": 1},
    )
    with database(folder) as session:
        add_school(session, full)
    with database(folder) as session:
        assert list_schools(session) == [full]
        update_school(session, full.bin, school(7, bin=valid_bin(70)))
        assert [s.bin for s in list_schools(session)] == [valid_bin(70)]


def test_totals_compare_expected_applicants_with_the_seats_of_each_language(folder: DataFolder) -> None:
    with database(folder) as session:
        add_stream(session, date(2027, 6, 20))
        add_stream(session, date(2027, 6, 21))
        for number in ("01", "02", "03"):
            add_room(session, room(number))
        set_room_use(session, "01", 1, "kk")
        set_room_use(session, "02", 1, "ru")
        set_room_use(session, "03", 1, "kk", reserve=True)
        add_school(session, school(1, stream=1, expected={"kk": 25, "ru": 10}))
        add_school(session, school(2, stream=1, expected={"kk": 10}))
        add_school(session, school(3, expected={"ru": 7}))
        totals = distribution(session)
    first = totals.streams[0]
    assert (first.schools, first.expected, first.seats, first.reserve_seats) == (2, 45, 60, 30)
    assert (first.language("kk").expected, first.language("kk").seats, first.language("kk").shortfall) == (35, 30, 5)
    assert first.language("ru").shortfall == 0
    assert (totals.unassigned_schools, totals.unassigned_expected) == (1, 7)
    with database(folder) as session:
        assign_stream(session, [valid_bin(2)], 2)
        moved = distribution(session)
    assert moved.streams[0].language("kk").shortfall == 0
    assert moved.streams[1].language("kk").shortfall == 10, "stream 2 has no rooms yet"


def test_site_facts_are_saved_and_checked(folder: DataFolder) -> None:
    facts = SiteFacts("Корпус 1", 30, 60, "1 этаж", "арочный", 2, 14, 28)
    with database(folder) as session:
        update_site_facts(session, facts)
        with pytest.raises(Refused, match="type of the metal detectors"):
            update_site_facts(session, SiteFacts(metal_detector_count=2))
    with database(folder) as session:
        assert site_info(session).facts == facts


def test_the_package_payload_holds_what_ntc_imports(folder: DataFolder) -> None:
    with database(folder) as session:
        add_stream(session, date(2027, 6, 20))
        add_room(session, room("01", desks=20))
        set_room_use(session, "01", 1, "en-kk", reserve=True)
        add_school(session, school(1, stream=1, expected={"kk": 3, "en-kk": 2}, students_per_grade={"11": 40}))
        payload = site_database_payload(load_snapshot(session))
    assert payload["format"] == 1
    assert payload["site"]["code"] == "017" and payload["site"]["building"] == "Корпус 1, ул. Абая 10"
    assert payload["streams"] == [{"stream": 1, "date": "2027-06-20"}]
    assert payload["rooms"][0]["seats"] == 40 and payload["rooms"][0]["desks"] == 20
    assert payload["room_streams"] == [{"stream": 1, "room_number": "01", "language": "en-kk", "reserve": True,
                                        "seats": 40}]
    (sent,) = payload["schools"]
    assert (sent["bin"], sent["school_code"], sent["streams"], sent["expected_applicants"]) == (
        valid_bin(1), "0001", [1], 5)
    assert sent["expected_by_language"] == {"kk": 3, "en-kk": 2}
    assert sent["details"]["students_by_grade"] == {"11": 40}


def test_nothing_works_before_enrolment(tmp_path: Path) -> None:
    from arm_base_ppent.cli import build

    assert build().run(["init", "--data-dir", str(tmp_path / "new")]) == 0
    with pytest.raises(Refused, match="not enrolled yet"), database(DataFolder(tmp_path / "new")) as session:
        list_rooms(session)
