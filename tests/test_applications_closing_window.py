"""Issue 13 in the window: close with a wrong then the right code, take НЦТ's room opening, distribute,
print прил. 2 and send the packages; the two pages fit a 1366×768 screen in Kazakh and in Russian."""

from __future__ import annotations

from pathlib import Path

import pytest
import window_support
from applications_support import applications, form, iin, ok, planned_scene, schools_by_expected
from exchange_support import Scene
from PySide6.QtWidgets import QLineEdit, QPushButton, QWidget
from window_support import settled_page, squeezed

from arm_applications.ui.closing_pages import ClosingPage, DistributionPage
from arm_applications.ui.main_window import PAGES
from common.scanning.simulated import SimulatedScanner
from common.security.codes import generate_code
from common.ui.login import Operator
from common.ui.shell import WorkstationWindow, switch_language
from common.workstation import APPLICATIONS
from forms.registry import get_layout


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Scene:
    scene = planned_scene(tmp_path_factory)
    school = schools_by_expected(scene)[25]
    ok(applications(scene, "journals", "print", "--school", school))
    journal = {state["school"]: state for state in ok(applications(scene, "journals", "list", "--json")).json()}
    first = int(journal[school]["first_ikt"])
    batch = scene.out / "forms"
    batch.mkdir()
    SimulatedScanner(get_layout("application"), [
        form(school, f"{first:09d}", "Нұрланова", "Айгерім", sex="F", iin_or_date=iin("080505", "F")),
        form(school, f"{first + 1:09d}", "Петров", "Иван", iin_or_date=iin("080808", "M"), language="ru"),
    ], seed=3).export(batch)
    ok(applications(scene, "scan", "--school", school, "--from", str(batch), "--settle", "0", "--idle", "0.3"))
    return scene


def open_window(qtbot, scene: Scene) -> WorkstationWindow:  # type: ignore[no-untyped-def]
    return window_support.open_window(qtbot, APPLICATIONS, scene.folder("applications"),
                                      Operator("Ахметова А.", "site_expert"), PAGES)


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_closing_and_distribution_pages_fit_a_1366_screen(qtbot, scene: Scene, language: str) -> None:  # type: ignore[no-untyped-def]
    switch_language(language)
    window = open_window(qtbot, scene)
    found = [line for key in ("closing", "distribution")
             for line in squeezed(settled_page(qtbot, window, key, QWidget), key)]
    assert found == []


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_programmers_takeover_page_fits_a_1366_screen(qtbot, tmp_path: Path, language: str) -> None:  # type: ignore[no-untyped-def]
    from arm_programmer.cli import build

    assert build().run(["init", "--data-dir", str(tmp_path / "programmer")]) == 0
    switch_language(language)
    window = window_support.open_programmer_window(qtbot, tmp_path / "programmer")
    page = settled_page(qtbot, window, "takeover", QWidget)
    cut = [button.text() for button in page.findChildren(QPushButton)
           if button.width() < button.sizeHint().width()]
    cut += [box.placeholderText() for box in page.findChildren(QLineEdit)
            if box.placeholderText() and box.width() < box.fontMetrics().horizontalAdvance(box.placeholderText())]
    assert cut == [] and page.message.text() == ""
    assert squeezed(page, "takeover") == []


def test_close_wrong_then_right_code_take_rooms_distribute_print_and_send(qtbot, scene: Scene) -> None:  # type: ignore[no-untyped-def]
    switch_language("en")
    window = open_window(qtbot, scene)
    closing = window.page("closing")
    assert isinstance(closing, ClosingPage)
    closing.reload()
    closing.print_button.click()
    assert "Printed" in closing.message.text()

    closing.code.setText(generate_code())
    closing.close_button.click()
    assert "is closed" not in closing.message.text() and closing.message.text()
    assert "is open" in closing.state.text()
    issued = ok(scene.nct("password", "issue", "--site", "017", "--purpose", "close-applications", "--json")).json()
    closing.code.setText(str(issued["code"]))
    closing.close_button.click()
    assert "The applicant database is closed: 2 applicant(s), 0 annulled" in closing.message.text()
    assert "is closed" in closing.state.text() and closing.code.text() == ""

    closing.password.setText(scene.passwords["applications"])
    closing.send_button.click()
    qtbot.waitUntil(lambda: "Sealed (applicants" in closing.message.text(), timeout=20_000)
    [final] = (scene.folder("applications") / "outbox").glob("*applicants*.entpkg")
    ok(scene.nct("import", str(final)))
    opening = ok(scene.nct("rooms", "open", "--site", "017", "--out", str(scene.out), "--json")).json()

    page = window.page("distribution")
    assert isinstance(page, DistributionPage)
    page.package.setText(opening["path"])
    page.take_password.setText(scene.passwords["applications"])
    page.take_button.click()
    assert "room opening taken" in page.message.text()
    page.distribute_button.click()
    assert "2 applicant(s) distributed to 2 room(s)" in page.message.text()
    assert any("placed" in page.rooms.item(row).text() and "1 placed" in page.rooms.item(row).text()
               for row in range(page.rooms.count()))
    page.print_button.click()
    assert len(list(Path(scene.folder("applications") / "printed").glob("distribution_*.pdf"))) == 1
    page.password.setText(scene.passwords["applications"])
    page.counts_button.click()
    qtbot.waitUntil(lambda: "Sealed (room-counts" in page.message.text(), timeout=20_000)
    assert "Distributed to rooms." in page.state.text()

    scene.enrol("programmer")
    certificates = ok(scene.nct("site", "certificates", "--site", "017", "--role", "applications", "--out",
                                str(scene.out), "--json")).json()
    ok(applications(scene, "package", "open", certificates["path"]))
    page.password.setText(scene.passwords["applications"])
    page.handover_button.click()
    qtbot.waitUntil(lambda: "Sealed (applicant-database" in page.message.text(), timeout=20_000)
    assert "Handed over to the programmer." in page.state.text()
    [handover] = (scene.folder("applications") / "outbox").glob("*applicant-database*.entpkg")

    from arm_programmer.ui.main_window import PAGES as PROGRAMMER_PAGES
    from arm_programmer.ui.takeover_page import TakeoverPage
    from common.workstation import PROGRAMMER

    programmer = WorkstationWindow(PROGRAMMER, scene.folder("programmer"),
                                   Operator("Оспанов Б.", "ministry_programmer"), PROGRAMMER_PAGES)
    qtbot.addWidget(programmer)
    programmer.show()
    takeover = programmer.page("takeover")
    assert isinstance(takeover, TakeoverPage)
    assert "No applicant database taken yet" in takeover.summary.toPlainText()
    takeover.package.setText(str(handover))
    takeover.password.setText(scene.passwords["programmer"])
    takeover.take_button.click()
    assert "Applicant database of site 017 taken: 2 applicant(s) (0 annulled), 2 placed" in takeover.message.text()
    assert "Site 017: 2 applicant(s), 0 annulled, 2 placed in 2 room(s)" in takeover.summary.toPlainText()

    closing.reload()
    closing.code.setText(str(issued["code"]))
    closing.close_button.click()
    assert "was closed on" in closing.message.text()  # a second closing is refused: the database is closed

    from arm_applications.ui.scanning_page import ScanningPage

    scanning = window.page("scanning")
    assert isinstance(scanning, ScanningPage)
    scanning.school.setCurrentIndex(scanning.school.findData(schools_by_expected(scene)[25]))
    scanning.folder.setText(str(scene.out))
    scanning.scan_button.click()
    assert "was closed on" in scanning.message.text() and not scanning.busy  # no scan of a closed database
