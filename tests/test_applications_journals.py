"""Issue 11: technical secretaries (п. 89.2) and registration journals with their ИКТ (прил. 5,
п. 90–91, 101.5, 107.3), through ``ent-applications`` on a site whose plan came from НЦТ.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from applications_support import applications, ok, planned_scene, schools_by_expected
from exchange_support import Scene
from pdf_support import pdf_text

from common import codebook


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Scene:
    return planned_scene(tmp_path_factory)


def ikt(value: int) -> str:
    return f"{value:09d}"


def test_journals_carry_ikt_from_the_block_and_never_reuse_one(scene: Scene) -> None:
    schools = schools_by_expected(scene)  # expected 25, 12 and 32
    first = ok(applications(scene, "journals", "print", "--school", schools[25], "--language", "ru", "--json")).json()
    assert (first["rows"], first["free"]) == (25 + 5, 30)
    assert (first["first_ikt"], first["last_ikt"]) == (ikt(100_000_001), ikt(100_000_030))
    text = pdf_text(Path(first["path"]))
    assert "100000001" in text and "100000030" in text and "Журнал регистрации" in text

    second = ok(applications(scene, "journals", "print", "--school", schools[12], "--json")).json()
    assert (second["rows"], second["first_ikt"]) == (12 + 5, ikt(100_000_031))
    third = ok(applications(scene, "journals", "print", "--school", schools[32], "--language", "kk",
                            "--json")).json()
    assert third["rows"] == codebook.journal_rows(32) == 32 + 7

    again = ok(applications(scene, "journals", "print", "--school", schools[25], "--json")).json()
    assert (again["rows"], again["first_ikt"], again["last_ikt"]) == (30, ikt(100_000_001), ikt(100_000_030))
    assert again["path"] != first["path"]  # an earlier print is kept

    grown = ok(applications(scene, "journals", "extend", "--school", schools[25], "--rows", "3", "--json")).json()
    last_given = 100_000_030 + 17 + 39
    assert (grown["rows"], grown["last_ikt"]) == (33, ikt(last_given + 3))


def test_closing_strikes_free_rows_and_missing_rows_are_tracked(scene: Scene) -> None:
    schools = schools_by_expected(scene)
    ok(applications(scene, "journals", "print", "--school", schools[12]))

    marked = ok(applications(scene, "journals", "missing", ikt(100_000_031)))
    assert "1 row(s) marked missing" in marked.out
    refused = applications(scene, "journals", "missing", ikt(100_000_031))
    assert refused.code == 1 and "not a free row: it is missing" in refused.err
    unknown = applications(scene, "journals", "missing", "999999999")
    assert unknown.code == 1 and "in no journal" in unknown.err

    struck = ok(applications(scene, "journals", "strike", "--school", schools[12], "--json")).json()
    assert (struck["rows"], struck["free"], struck["struck"], struck["missing"]) == (17, 0, 16, 1)
    reprinted = ok(applications(scene, "journals", "print", "--school", schools[12], "--json")).json()
    assert pdf_text(Path(reprinted["path"])).count("Z") >= 16

    after = ok(applications(scene, "journals", "extend", "--school", schools[12], "--rows", "1", "--json")).json()
    listed = {state["school"]: state for state in ok(applications(scene, "journals", "list", "--json")).json()}
    highest = max(int(state["last_ikt"]) for state in listed.values() if state["last_ikt"])
    assert int(after["last_ikt"]) == highest  # the new row's ИКТ is after every ИКТ ever given
    assert listed[schools[12]]["free"] == 1


def test_a_journal_needs_a_school_of_the_plan(scene: Scene) -> None:
    refused = applications(scene, "journals", "print", "--school", "99/999/9999")
    assert refused.code == 1
    assert "is not in the site plan" in refused.err


def test_technical_secretaries_are_entered_approved_and_printed(scene: Scene) -> None:
    schools = schools_by_expected(scene)
    first = ok(applications(scene, "secretaries", "add", "--school", schools[25], "--name", "Сейітова  Айгүл Ерланқызы",
                            "--json")).json()
    ok(applications(scene, "secretaries", "add", "--school", schools[12], "--name", "Петрова Анна Ивановна",
                    "--approved"))
    assert first["approved"] is False and first["full_name"] == "Сейітова Айгүл Ерланқызы"
    ok(applications(scene, "secretaries", "approve", str(first["id"])))
    listed = ok(applications(scene, "secretaries", "list", "--json")).json()
    assert [(item["school"], item["approved"]) for item in listed] == sorted(
        [(schools[25], True), (schools[12], True)])

    printed = ok(applications(scene, "print", "secretaries", "--language", "kk", "--json")).json()
    text = pdf_text(Path(printed["path"]))
    assert "Сейітова Айгүл Ерланқызы" in text and "Петрова Анна Ивановна" in text
    audit = (scene.folder("applications") / "audit.log").read_text(encoding="utf-8")
    assert "Сейітова" not in audit and "Петрова" not in audit  # names are personal data

    refused = applications(scene, "secretaries", "add", "--school", "99/999/9999", "--name", "Кім Біреу")
    assert refused.code == 1 and "Кім" not in refused.err


def test_the_information_directory_gives_the_codes_of_sectors_6_to_10(scene: Scene) -> None:
    schools = schools_by_expected(scene)
    printed = ok(applications(scene, "print", "directory", "--language", "ru", "--json")).json()
    text = pdf_text(Path(printed["path"]))
    assert "Национальность (сектор 7)" in text and "Школа или колледж (сектор 10)" in text
    assert all(key in text for key in schools.values())  # the site's schools are there with their codes
