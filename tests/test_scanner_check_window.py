"""The scanner-check window's main path (issue 12): print the control set, check a degraded
scanner (not fit, the reasons listed and the failing sheet shown) and a fit one, print прил. 18, send
every check to НЦТ — each page driven as an operator would."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from exchange_support import make_scene
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QListWidget,
    QPushButton,
    QWidget,
)

from arm_scanner_check.cli import build
from arm_scanner_check.ui.main_window import PAGES
from arm_scanner_check.ui.pages import ControlSetPage, ReportPage, ScanPage
from common.ui.login import Operator
from common.ui.shell import WorkstationWindow, switch_language
from common.workstation import SCANNER_CHECK


def wait(qtbot, page: QWidget) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not page.busy, timeout=60000)  # type: ignore[attr-defined]


def test_the_programmer_proves_a_scanner_unfit_then_fit_prints_the_report_and_sends_it(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path
) -> None:
    scene = make_scene(tmp_path / "scene", roles=("scanner-check",))
    folder = scene.folder("scanner-check")
    switch_language("en")
    window = WorkstationWindow(SCANNER_CHECK, folder, Operator("Серікбаев Д.", "ministry_programmer"), PAGES)
    qtbot.addWidget(window)
    window.show()

    sets = window.page("control-sheets")
    assert isinstance(sets, ControlSetPage)
    sets.print_button.click()
    wait(qtbot, sets)
    assert sets.last_printed is not None and sets.last_printed.sheets == 5, sets.message.text()
    assert sets.sets.count() == 1
    sets.preview.close()

    scan = window.page("scan")
    assert isinstance(scan, ScanPage)
    scan.model.setText("Fujitsu fi-7160")
    scan.serial.setText("A17-0042")
    scan.dpi.setValue(150)
    scan.streak.setValue(62)
    scan.scan_button.click()
    wait(qtbot, scan)
    assert scan.progress.value() == 5
    assert "NOT FIT" in scan.verdict.text(), scan.message.text()
    reasons = [scan.findings.item(row).text() for row in range(scan.findings.count())]
    assert any("150 dpi" in reason for reason in reasons) and any("62 mm" in reason for reason in reasons)
    assert scan.pages.count() == 5
    assert scan.picture.pixmap() is not None and not scan.picture.pixmap().isNull()

    scan.dpi.setValue(200)
    scan.streak.setValue(0)
    scan.scan_button.click()
    wait(qtbot, scan)
    assert "is FIT" in scan.verdict.text() and scan.findings.count() == 0

    switch_language("kk")
    assert "ЖАРАМДЫ" in scan.verdict.text()
    switch_language("en")

    report = window.page("report")
    assert isinstance(report, ReportPage)
    report.reload()
    assert report.checks.count() == 2
    report.language.setCurrentIndex(report.language.findData("ru"))
    report.print_button.click()
    wait(qtbot, report)
    assert report.last_printed is not None and "app18_check-2_ru" in report.last_printed.path.name
    report.preview.close()
    report.send_button.click()  # no password typed: refused at once, nothing sealed
    assert "Type the workstation's password" in report.message.text() and report.last_sent is None
    assert not list((folder / "outbox").glob("*.entpkg"))
    report.password.setText(scene.passwords["scanner-check"])
    report.send_button.click()
    wait(qtbot, report)
    assert report.last_sent is not None and report.last_sent.checks == 2, report.message.text()
    assert report.password.text() == "", "the password is not left in the window"
    imported = scene.nct("import", report.last_sent.path)
    assert imported.code == 0 and "checks 2, fit 1, not_fit 1" in imported.out
    assert build().run(["fitness", "--model", "Fujitsu fi-7160", "--serial", "A17-0042",
                        "--data-dir", str(folder)]) == 0  # fmt: skip


SCREEN = (1366, 700)  # a 1366×768 screen less the taskbar and the title bar
KAZAKH_LETTERS = re.compile("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("checked") / "scanner-check"
    degraded = ["check", "--scanner", "simulated", "--model", "Fujitsu fi-7160", "--dpi", "150", "--fault", "streak=62"]
    for args in (["init"], ["print-set"], degraded):
        assert build().run([*args, "--data-dir", str(folder), "--lang", "en"]) == 0
    return folder


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_page_fits_a_1366_screen_and_speaks_one_language(qtbot, checked: Path, language: str) -> None:  # type: ignore[no-untyped-def]
    switch_language("kk" if language == "ru" else "ru")
    window = WorkstationWindow(SCANNER_CHECK, checked, Operator("Сериков Д.", "ministry_programmer"), PAGES)
    qtbot.addWidget(window)
    window.resize(*SCREEN)
    window.show()
    qtbot.waitExposed(window)
    for stage in SCANNER_CHECK.stages:
        window.page(stage.key)
    switch_language(language)
    squeezed: list[str] = []
    for stage in SCANNER_CHECK.stages:
        page = window.page(stage.key)
        QApplication.processEvents()
        qtbot.wait(30)
        area = page.parentWidget().parentWidget()
        if area.verticalScrollBar().maximum() or area.horizontalScrollBar().maximum():
            squeezed.append(f"{stage.key}: the page scrolls")
        for widget in (*page.findChildren(QComboBox), *page.findChildren(QPushButton)):
            if widget.isVisible() and widget.width() < widget.sizeHint().width():
                squeezed.append(f"{stage.key}: {widget.objectName()} {widget.width()} < {widget.sizeHint().width()}")
    assert squeezed == []
    scan = window.page("scan")
    assert isinstance(scan, ScanPage)
    assert scan.picture.pixmap() is not None and not scan.picture.pixmap().isNull()
    texts = [label.text() for label in window.findChildren(QLabel)]
    texts += [button.text() for button in window.findChildren(QAbstractButton)]
    texts += [box.title() for box in window.findChildren(QGroupBox)]
    for listing in window.findChildren(QListWidget):
        texts += [listing.item(row).text() for row in range(listing.count())]
    for combo in window.findChildren(QComboBox):
        texts += [combo.itemText(index) for index in range(combo.count())]
    if language == "ru":
        left = [text for text in texts if KAZAKH_LETTERS.search(text) and text != "Қазақша"]
        assert left == []
    else:
        assert "ЖАРАМСЫЗ" in scan.verdict.text()
        assert any("62 мм" in text for text in texts)
