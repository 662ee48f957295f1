"""The window's main path (issue 11): scan a school from the simulated scanner, fix a flagged
letter on its crop, annul one application by its form, print the school's report."""

from __future__ import annotations

import pytest
from applications_support import applications, form, iin, ok, planned_scene, schools_by_expected
from exchange_support import Scene

from arm_applications.ui.main_window import PAGES
from arm_applications.ui.scanning_page import ScanningPage
from common.omr.synth import MarkSpec
from common.scanning.simulated import SimulatedScanner
from common.ui.login import Operator
from common.ui.shell import WorkstationWindow, switch_language
from common.workstation import APPLICATIONS
from forms.registry import get_layout


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Scene:
    scene = planned_scene(tmp_path_factory)
    ok(applications(scene, "journals", "print", "--school", schools_by_expected(scene)[25]))
    return scene


def test_scan_fix_annul_and_print_in_the_window(qtbot, scene: Scene) -> None:  # type: ignore[no-untyped-def]
    school = schools_by_expected(scene)[25]
    journal = {state["school"]: state for state in ok(applications(scene, "journals", "list", "--json")).json()}
    first = int(journal[school]["first_ikt"])
    ikts = [f"{first + offset:09d}" for offset in range(3)]
    layout = get_layout("application")
    batch = scene.out / "window-forms"
    batch.mkdir()
    SimulatedScanner(layout, [
        form(school, ikts[0], "Нұрланова", "Айгерім", sex="F", iin_or_date=iin("080505", "F")),
        form(school, ikts[1], "Өтегенов", "Бауыржан", iin_or_date=iin("080606", "M"),
             marks={"surname.c01.Ө": MarkSpec(fill=0.45)}),
        form(school, ikts[2], "Петров", "Иван", iin_or_date=iin("080808", "M"), language="ru"),
    ], seed=5).export(batch)

    switch_language("en")
    window = WorkstationWindow(APPLICATIONS, scene.folder("applications"), Operator("Ахметова А.", "site_expert"),
                               PAGES)
    qtbot.addWidget(window)
    window.show()
    page = window.page("scanning")
    assert isinstance(page, ScanningPage)
    page.settle_seconds, page.idle_seconds = 0.0, 0.5
    page.school.setCurrentIndex(page.school.findData(school))
    page.folder.setText(str(batch))
    page.scan_button.click()
    qtbot.waitUntil(lambda: not page.busy, timeout=60_000)
    assert page.counter.text() == "Pages: 3"
    assert page.flagged.count() == 1
    assert page.field.text() == "surname.c01"
    assert page.picture.pixmap() is not None and not page.picture.pixmap().isNull()  # the letter's crop

    page.value.setText("Ө")
    page.fix_button.click()
    assert page.flagged.count() == 0
    assert page.applications.count() == 3

    annul = scene.out / "window-annul"
    annul.mkdir()
    SimulatedScanner(layout, [form(school, ikts[2], "Петров", "Иван", iin_or_date=iin("080808", "M"),
                                   language="ru", annulled=True)], seed=6).export(annul)
    page.folder.setText(str(annul))
    page.scan_button.click()
    qtbot.waitUntil(lambda: not page.busy, timeout=60_000)
    assert any(f"{ikts[2]}  annulled" in page.applications.item(row).text() for row in range(page.applications.count()))

    page.form.setCurrentIndex(page.form.findData("scan-report"))
    page.print_button.click()
    reports = list((scene.folder("applications") / "printed").glob("scan-report_*.pdf"))
    assert len(reports) == 1 and "Printed" in page.message.text()
    listed = {row["ikt"]: row for row in ok(applications(scene, "applications", "list", "--json")).json()}
    assert listed[ikts[1]]["surname"] == "Өтегенов"
    assert listed[ikts[2]]["status"] == "annulled"
