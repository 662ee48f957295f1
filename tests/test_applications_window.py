"""The window's main path (issue 11): scan a school from the simulated scanner, fix a flagged
letter on its crop, annul one application by its form, print the school's report."""

from __future__ import annotations

import pytest
from applications_support import applications, form, iin, ok, planned_scene, schools_by_expected
from exchange_support import Scene
from PySide6.QtCore import Qt

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
    review = page.review  # the shared review widget, on the faint letter cut out of the scan
    assert review is not None and review.current is not None and review.current.field == "surname.c01"
    assert review.picture.pixmap() is not None and not review.picture.pixmap().isNull()
    review.value.setText("ө")
    qtbot.keyClick(review.value, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.flagged.count() == 0, timeout=10_000)
    assert page.applications.count() == 3

    annul = scene.out / "window-annul"
    annul.mkdir()
    SimulatedScanner(layout, [form(school, ikts[2], "Петров", "Иван", iin_or_date=iin("080808", "M"),
                                   language="ru", annulled=True)], seed=6).export(annul)
    page.folder.setText(str(annul))
    page.scan_button.click()
    qtbot.waitUntil(lambda: not page.busy, timeout=60_000)
    assert any(f"{ikts[2]}  annulled" in page.applications.item(row).text() for row in range(page.applications.count()))

    from arm_applications.ui.stage_pages import ChangesPage

    changes = window.page("changes")
    assert isinstance(changes, ChangesPage)
    changes.reload()
    changes.school.setCurrentIndex(changes.school.findData(school))
    history = [changes.list.item(row).text() for row in range(changes.list.count())]
    assert f"{ikts[2]}  entered → annulled" in history

    page.form.setCurrentIndex(page.form.findData("scan-report"))
    page.print_button.click()
    reports = list((scene.folder("applications") / "printed").glob("scan-report_*.pdf"))
    assert len(reports) == 1 and "Printed" in page.message.text()
    listed = {row["ikt"]: row for row in ok(applications(scene, "applications", "list", "--json")).json()}
    assert listed[ikts[1]]["surname"] == "Өтегенов"
    assert listed[ikts[2]]["status"] == "annulled"


def test_plan_secretaries_journals_reconciliation_and_statistics_in_the_window(  # type: ignore[no-untyped-def]
    qtbot, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from applications_support import site_scene

    from arm_applications.ui.stage_pages import (
        JournalsPage,
        PlanPage,
        ReconciliationPage,
        SecretariesPage,
        StatisticsPage,
    )

    scene = site_scene(tmp_path_factory)
    sent = ok(scene.nct("plan", "send", "--site", "017", "--out", str(scene.out), "--json")).json()
    switch_language("en")
    window = WorkstationWindow(APPLICATIONS, scene.folder("applications"), Operator("Ахметова А.", "site_expert"),
                               PAGES)
    qtbot.addWidget(window)
    window.show()

    plan = window.page("plan")
    assert isinstance(plan, PlanPage)
    plan.package.setText(sent["path"])
    plan.password.setText("wrong password")
    plan.import_button.click()
    assert plan.message.styleSheet() and "Plan of site" not in plan.message.text()
    plan.package.setText(sent["path"])
    plan.password.setText(scene.passwords["applications"])
    plan.import_button.click()
    assert "Plan of site 017 taken: 3 schools" in plan.message.text()
    assert "100000001–100010000" in plan.summary.toPlainText()

    school = schools_by_expected(scene)[25]
    secretaries = window.page("secretaries")
    assert isinstance(secretaries, SecretariesPage)
    secretaries.reload()
    secretaries.school.setCurrentIndex(secretaries.school.findData(school))
    secretaries.name.setText("Серікбаева Гүлнар")
    secretaries.add_button.click()
    assert secretaries.list.count() == 1 and "not approved yet" in secretaries.list.item(0).text()
    secretaries.list.setCurrentRow(0)
    secretaries.approve_button.click()
    assert "(approved)" in secretaries.list.item(0).text()
    secretaries.print_button.click()
    assert "Printed 1 page(s)" in secretaries.message.text()

    journals = window.page("journals")
    assert isinstance(journals, JournalsPage)
    journals.reload()
    journals.school.setCurrentIndex(journals.school.findData(school))
    journals.print_button.click()
    assert "Printed" in journals.message.text()
    assert any(f"{school}: 30 rows" in journals.states.item(row).text() for row in range(journals.states.count()))
    journals.directory_button.click()
    assert "directory_" in journals.message.text()

    reconciliation = window.page("reconciliation")
    assert isinstance(reconciliation, ReconciliationPage)
    reconciliation.reload()
    reconciliation.school.setCurrentIndex(reconciliation.school.findData(school))
    reconciliation.registered.setText("100000001")
    reconciliation.run_button.click()
    assert "not in the database (п. 102.1): 100000001" in reconciliation.result.toPlainText()

    statistics = window.page("statistics")
    assert isinstance(statistics, StatisticsPage)
    statistics.password.setText("WRONG-PASSWORD")
    statistics.send_button.click()
    qtbot.waitUntil(lambda: not statistics.busy, timeout=20_000)
    assert "Daily statistics sealed" not in statistics.message.text() and statistics.message.text()
    assert not list((scene.folder("applications") / "outbox").glob("*daily-statistics*.entpkg"))
    statistics.password.setText(scene.passwords["applications"])
    statistics.send_button.click()
    qtbot.waitUntil(lambda: "Daily statistics sealed for NTC" in statistics.message.text(), timeout=20_000)
    assert statistics.password.text() == ""
    assert list((scene.folder("applications") / "outbox").glob("*daily-statistics*.entpkg"))
