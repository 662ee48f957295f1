"""The programmer's window, issue 14: the journal of changes and the closing on the takeover stage, then the
stream's day at a glance, the draw with НЦТ's code (a second refused) and a late seating on the seating
stage; both pages fit a 1366×768 screen in Kazakh and in Russian."""

from __future__ import annotations

from pathlib import Path

import pytest
from applications_support import ok
from exchange_support import Scene
from programmer_support import draw_code, handed_over_scene, programmer
from PySide6.QtWidgets import QWidget
from window_support import open_programmer_window, settled_page, squeezed

from common.security.codes import generate_code
from common.ui.shell import switch_language


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Scene:
    return handed_over_scene(tmp_path_factory)


@pytest.fixture
def scene(base: Scene, tmp_path: Path) -> Scene:
    return base.copy(tmp_path / "scene")


def ikts(scene: Scene) -> dict[str, str]:
    shown = ok(programmer(scene, "draw", "show", "--stream", "1", "--json")).json()["seats"]
    return {seat["full_name"].split()[0]: seat["ikt"] for seat in shown}


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_takeover_and_seating_pages_fit_a_1366_screen(qtbot, base: Scene, language: str) -> None:  # type: ignore[no-untyped-def]
    switch_language(language)
    window = open_programmer_window(qtbot, base.folder("programmer"))
    found = [line for key in ("takeover", "seating")
             for line in squeezed(settled_page(qtbot, window, key, QWidget), key)]
    switch_language("en")
    assert found == []


def test_changes_close_the_day_at_a_glance_draw_once_and_seat_late(qtbot, scene: Scene) -> None:  # type: ignore[no-untyped-def]
    from arm_programmer.ui.seating_page import SeatingPage
    from arm_programmer.ui.takeover_page import TakeoverPage

    switch_language("en")
    window = open_programmer_window(qtbot, scene.folder("programmer"))
    seating = window.page("seating")
    assert isinstance(seating, SeatingPage)
    seating.reload()
    assert "closed —" in seating.state.text() and "Seats: not drawn" in seating.state.text()
    assert "close the database" in seating.next_step.text()
    rooms = [seating.rooms.item(row).text() for row in range(seating.rooms.count())]
    assert rooms[0].startswith("Room 01 (kk, opened): 30 seats, 15 desks; 1 applicant(s)")
    assert any("Room 03 (kk, reserve, kept back)" in text for text in rooms)

    takeover = window.page("takeover")
    assert isinstance(takeover, TakeoverPage)
    from sqlalchemy import select

    from common.db.models import Applicant, Application, IktRow

    numbers = dict(takeover.read(lambda session: [(surname, ikt) for surname, ikt in session.execute(
        select(Applicant.surname, IktRow.ikt).join(Application, Application.applicant_id == Applicant.id)
        .join(IktRow, Application.ikt_row_id == IktRow.id))]) or [])
    for ikt, field, value in ((numbers["Абаев"], "surname", "Абаев-Ёлкин"), (numbers["Иванов"], "name", "Олёг")):
        takeover.change_ikt.setText(ikt)
        takeover.change_field.setCurrentIndex(takeover.change_field.findData(field))
        takeover.change_value.setText(value)
        takeover.add_button.click()
        assert "of the journal of changes entered" in takeover.message.text(), takeover.message.text()
    assert takeover.changes.count() == 2 and takeover.change_row.value() == 3
    assert "Абаев → Абаев-Ёлкин" in takeover.changes.item(0).text()
    takeover.close_button.click()
    assert "is closed" in takeover.message.text() and "Closed" in takeover.state.text()
    takeover.change_ikt.setText(numbers["Петров"])
    takeover.change_value.setText("Иван-Ёл")
    takeover.add_button.click()
    assert "was closed" in takeover.message.text() and takeover.changes.count() == 2

    seating.reload()
    assert "Blocked" in seating.next_step.text() and "password data" in seating.next_step.text()
    code = draw_code(scene, 1)
    seating.reload()
    assert "Draw the seats" in seating.next_step.text()
    seating.code.setText(generate_code())
    seating.draw_button.click()
    assert "attempt(s) left" in seating.message.text() and seating.code.text() == ""
    seating.code.setText(code)
    seating.draw_button.click()
    assert "Seats of stream 1 drawn: 3 applicant(s) in 2 room(s)" in seating.message.text()
    assert "Seats: drawn" in seating.state.text() and "Waiting for НЦТ's test specification" in seating.next_step.text()
    seating.code.setText(code)
    seating.draw_button.click()
    assert "drawn already" in seating.message.text()

    seating.late_ikt.setText(numbers["Иванов"])
    seating.member.setText("Сейітов Б.")
    seating.language.setCurrentIndex(seating.language.findData("kk"))
    seating.late_button.click()
    assert "sits in reserve room 03, seat 1, stream 1" in seating.message.text()
    assert any("Room 03" in seating.rooms.item(row).text() and "(1 late-seated)" in seating.rooms.item(row).text()
               for row in range(seating.rooms.count()))
    names = {seat["full_name"] for seat in ok(programmer(scene, "draw", "show", "--stream", "1", "--json")).json()
             ["seats"]}
    assert {"Абаев-Ёлкин Арман", "Иванов Олёг"} <= names  # the seating list carries the journal's changes
