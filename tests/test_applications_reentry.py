"""Issue 11: re-entry after annulment (п. 104) of an applicant without an ИИН (a foreign applicant
writes the birth date in the ИИН sector): the new application on a new ИКТ continues the annulled one.
"""

from __future__ import annotations

import pytest
from applications_support import applications, form, ok, planned_scene, scan, schools_by_expected
from exchange_support import Scene


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Scene:
    scene = planned_scene(tmp_path_factory)
    ok(applications(scene, "journals", "print", "--school", schools_by_expected(scene)[32]))
    return scene


def test_an_applicant_without_an_iin_is_re_entered_on_a_new_ikt(scene: Scene) -> None:
    school = schools_by_expected(scene)[32]
    journal = {state["school"]: state for state in ok(applications(scene, "journals", "list", "--json")).json()}
    first = int(journal[school]["first_ikt"])
    ikts = [f"{first + offset:09d}" for offset in range(4)]
    smith = {"iin_or_date": "080101", "language": "en", "history": "kk"}
    namesake = {"iin_or_date": "080505", "language": "kk"}  # the same name, born another day: another person
    assert ok(scan(scene, school, [form(school, ikts[0], "Смит", "Джон", **smith),
                                   form(school, ikts[1], "Смит", "Джон", **namesake)], "entered")).json()["counts"] == {
        "applied": 2}

    # п. 104: the old form marked «аннулирован», then a new form on a free row, a new ИКТ, another language
    ok(scan(scene, school, [form(school, ikts[0], "Смит", "Джон", annulled=True, **smith),
                            form(school, ikts[2], "Смит", "Джон", iin_or_date="080101", language="ru")], "re-entry"))

    rows = {row["ikt"]: row for row in ok(applications(scene, "applications", "list", "--json")).json()}
    assert rows[ikts[0]]["status"] == "annulled"
    assert (rows[ikts[2]]["status"], rows[ikts[2]]["test_language"]) == ("entered", "ru")
    assert rows[ikts[2]]["replaces"] == rows[ikts[0]]["id"]  # the same person continued, not a new one
    assert rows[ikts[2]]["history"] == ["entered"]
    assert rows[ikts[1]]["replaces"] is None and rows[ikts[1]]["status"] == "entered"


def test_a_namesake_with_a_live_application_is_not_taken_for_a_re_entry(scene: Scene) -> None:
    school = schools_by_expected(scene)[32]
    journal = {state["school"]: state for state in ok(applications(scene, "journals", "list", "--json")).json()}
    ikt = f"{int(journal[school]['first_ikt']) + 3:09d}"
    # the namesake born 080505 still has a live application: a form with the same data enters nobody new
    ok(scan(scene, school, [form(school, ikt, "Смит", "Джон", iin_or_date="080505", language="ru")], "twin"))
    rows = {row["ikt"]: row for row in ok(applications(scene, "applications", "list", "--json")).json()}
    assert (rows[ikt]["status"], rows[ikt]["replaces"]) == ("entered", None)
