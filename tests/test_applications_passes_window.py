"""The stage «Admission passes» of the window (issue 13): refused before the distribution, then a
school's passes printed through Qt's own print preview, and the registers."""

from __future__ import annotations

from pathlib import Path

from passes_support import applications_folder, distribute

from arm_applications.ui.main_window import PAGES
from arm_applications.ui.passes_page import PassesPage
from common.ui.login import Operator
from common.ui.print_preview import PrintPreviewDialog
from common.ui.shell import WorkstationWindow, switch_language
from common.workstation import APPLICATIONS


def test_print_passes_in_the_window(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = applications_folder(tmp_path / "applications")
    switch_language("en")
    window = WorkstationWindow(APPLICATIONS, folder.root, Operator("Ахметова А.", "site_expert"), PAGES)
    qtbot.addWidget(window)
    window.show()
    page = window.page("passes")
    assert isinstance(page, PassesPage)
    assert "not distributed" in page.state.text()
    page.passes_button.click()
    qtbot.waitUntil(lambda: not page.busy, timeout=30_000)
    assert "not distributed" in page.message.text() and page.last_preview is None
    assert not list(folder.printed.glob("passes*"))

    distribute(folder)
    page.reload()
    assert page.state.text() == "9 applicant(s) placed in 6 room(s)."
    page.school.setCurrentIndex(page.school.findData("11/001/0002"))
    page.passes_button.click()
    qtbot.waitUntil(lambda: not page.busy, timeout=30_000)
    [printed] = page.last_printed
    assert printed.path.name.startswith("passes_11-001-0002_") and printed.path.exists()
    preview = page.last_preview
    assert isinstance(preview, PrintPreviewDialog) and preview.isVisible()
    assert preview.pdf_path == printed.path and preview.page_count == 1  # three passes: one page
    preview.close()

    page.language.setCurrentIndex(page.language.findData("kk"))
    page.stream.setCurrentIndex(page.stream.findData(1))
    page.folders_button.click()
    qtbot.waitUntil(lambda: not page.busy, timeout=30_000)
    [folders] = page.last_printed
    assert folders.path.name.startswith("room-folders_stream-1_kk_") and folders.pages == 5
    assert isinstance(page.last_preview, PrintPreviewDialog) and page.last_preview.pdf_path == folders.path
    page.last_preview.close()


def test_the_passes_page_squeezes_no_button_in_kazakh(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QComboBox, QPushButton

    folder = applications_folder(tmp_path / "applications")
    switch_language("kk")
    window = WorkstationWindow(APPLICATIONS, folder.root, Operator("Ахметова А.", "site_expert"), PAGES)
    qtbot.addWidget(window)
    window.show()
    page = window.page("passes")
    qtbot.wait(50)
    area = page.parentWidget().parentWidget()
    assert not area.verticalScrollBar().maximum() and not area.horizontalScrollBar().maximum()
    squeezed = [widget.objectName() for widget in (*page.findChildren(QComboBox), *page.findChildren(QPushButton))
                if widget.isVisible() and widget.width() < widget.sizeHint().width()]
    assert squeezed == []
    assert page.passes_button.text() == "Рұқсатнамаларды түбіртектерімен басу"
