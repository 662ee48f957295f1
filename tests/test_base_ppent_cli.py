"""``ent-base-ppent`` commands as scripts use them: text, ``--json``, exit codes, nothing half-done."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from base_ppent_support import enrolled_folder, run, school_row, write_xlsx

from common import i18n
from common.workstation import DataFolder


@pytest.fixture
def folder(tmp_path: Path) -> DataFolder:
    i18n.set_language("en")
    return enrolled_folder(tmp_path / "site")


def test_a_site_is_planned_from_the_command_line(folder: DataFolder, capsys: pytest.CaptureFixture[str],
                                                 tmp_path: Path) -> None:
    facts = ("--lodging", "30", "--detector-type", "ручной", "--detectors", "3")
    assert run(folder, capsys, "site", "set", *facts).code == 0
    assert run(folder, capsys, "streams", "add", "--date", "2027-06-20").out.strip() == "Stream 1 added on 20.06.2027."
    assert run(folder, capsys, "rooms", "add", "1", "--desks", "15").out.strip() == "Room 01 added: 30 seats."
    assert run(folder, capsys, "rooms", "use", "01", "--stream", "1", "--language", "en-ru", "--reserve").code == 0
    rooms = json.loads(run(folder, capsys, "rooms", "list", "--json").out)
    assert rooms == [{"number": "01", "desks": 15, "seats": 30, "ventilation": "natural", "jammers": 0, "cameras": 0,
                      "building": "Корпус 1, ул. Абая 10",
                      "uses": [{"room_number": "01", "stream": 1, "language": "en-ru", "reserve": True}]}]
    template = run(folder, capsys, "template", str(tmp_path / "t.xlsx"))
    assert template.code == 0 and (tmp_path / "t.xlsx").exists()
    filled = write_xlsx(tmp_path / "filled.xlsx", [school_row(n, stream=1) for n in range(1, 4)])
    imported = run(folder, capsys, "import", str(filled), "--json")
    assert json.loads(imported.out) == {"added": 3, "updated": 0, "rows": 3}
    totals = json.loads(run(folder, capsys, "totals", "--json").out)
    (stream,) = totals["streams"]
    assert stream["schools"] == 3 and stream["seats"] == 0 and stream["reserve_seats"] == 30
    assert stream["shortfall"] == stream["expected"] > 0
    facts = json.loads(run(folder, capsys, "site", "show", "--json").out)["facts"]
    assert (facts["lodging_places"], facts["metal_detector_count"]) == (30, 3)


def test_a_broken_rule_exits_1_with_one_line_and_writes_nothing(folder: DataFolder,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    before = folder.audit_log.read_text(encoding="utf-8")
    refused = run(folder, capsys, "rooms", "add", "01", "--desks", "16")
    assert refused.code == 1
    assert refused.err.strip().splitlines() == [
        "ent-base-ppent: 16 desks give 32 seats (2 per desk, п. 80.6). A room must have from 30 to 120 seats "
        "in multiples of 10; 32 is not allowed."
    ]
    assert refused.out == ""
    assert run(folder, capsys, "rooms", "list", "--json").out.strip() == "[]"
    assert folder.audit_log.read_text(encoding="utf-8") == before


def test_refusals_speak_the_chosen_language_and_json(folder: DataFolder, capsys: pytest.CaptureFixture[str]) -> None:
    run(folder, capsys, "rooms", "add", "01", "--desks", "15")
    kazakh = run(folder, capsys, "rooms", "add", "01", "--desks", "15", "--lang", "kk")
    assert kazakh.code == 1 and "01 аудиториясы аудиториялық қорда бұрыннан бар." in kazakh.err
    as_json = run(folder, capsys, "rooms", "add", "02", "--desks", "15", "--building", "Корпус 9", "--json",
                  "--lang", "ru")
    assert as_json.code == 1
    assert json.loads(as_json.out)["error"].startswith("Все аудитории должны быть в одном здании (п. 80.1)")


def test_printing_keeps_both_languages_in_printed(folder: DataFolder, capsys: pytest.CaptureFixture[str]) -> None:
    run(folder, capsys, "rooms", "add", "01", "--desks", "15")
    result = run(folder, capsys, "print", "app28", "--language", "both", "--json")
    assert result.code == 0
    printed = json.loads(result.out)
    assert [item["language"] for item in printed] == ["kk", "ru"]
    assert all(Path(item["path"]).parent == folder.printed and Path(item["path"]).exists() for item in printed)
    assert run(folder, capsys, "print", "seat-scheme", "--room", "07").code == 1


def test_schools_are_added_assigned_and_listed(folder: DataFolder, capsys: pytest.CaptureFixture[str]) -> None:
    from base_ppent_support import valid_bin

    run(folder, capsys, "streams", "add", "--date", "2027-06-20")
    added = run(folder, capsys, "schools", "add", "--bin", valid_bin(1), "--code", "1", "--name-kk", "№1 мектеп",
                "--name-ru", "Школа №1", "--region", "10", "--district", "001", "--expected", "kk=20,en-ru=2",
                "--students", "11=40", "--settlement", "village")
    assert added.code == 1 and "4 digits" in added.err, "a code is written with its zeros"
    assert run(folder, capsys, "schools", "add", "--bin", valid_bin(1), "--code", "0001", "--name-kk", "№1 мектеп",
               "--name-ru", "Школа №1", "--region", "10", "--district", "001", "--expected", "kk=20,en-ru=2",
               "--students", "11=40", "--settlement", "village").code == 0
    assert run(folder, capsys, "schools", "assign", valid_bin(1), "--stream", "1").code == 0
    (school,) = json.loads(run(folder, capsys, "schools", "list", "--stream", "1", "--json").out)
    assert (school["stream"], school["expected"], school["settlement"]) == (1, {"kk": 20, "en-ru": 2}, "village")
    assert json.loads(run(folder, capsys, "schools", "list", "--search", "нет такой", "--json").out) == []
    bad = run(folder, capsys, "schools", "update", valid_bin(1), "--expected", "kk=many")
    assert bad.code == 1 and "«many» is not a number" in bad.err
