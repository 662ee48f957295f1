"""A workstation's window on a 1366×768 screen, as the window tests open it, and what such a screen squeezes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QMessageBox, QPushButton, QWidget

from common.ui.login import Operator
from common.ui.shell import WorkstationWindow
from common.workstation import PROGRAMMER, Workstation

SCREEN = (1366, 700)  # a 1366×768 screen less the taskbar and the title bar
Page = TypeVar("Page", bound=QWidget)


def open_window(qtbot: Any, workstation: Workstation, folder: Path, operator: Operator,
                pages: Sequence[Any]) -> WorkstationWindow:
    """The workstation's window, shown at the screen's size."""
    window = WorkstationWindow(workstation, folder, operator, pages)
    qtbot.addWidget(window)
    window.resize(*SCREEN)
    window.show()
    qtbot.waitExposed(window)
    return window


def open_programmer_window(qtbot: Any, folder: Path) -> WorkstationWindow:
    from arm_programmer.ui.main_window import PAGES

    return open_window(qtbot, PROGRAMMER, folder, Operator("Оспанов Б.", "ministry_programmer"), PAGES)


def settled_page(qtbot: Any, window: WorkstationWindow, key: str, kind: type[Page]) -> Page:
    """The window's page ``key``, laid out."""
    page = window.page(key)
    assert isinstance(page, kind)
    QApplication.processEvents()
    qtbot.wait(30)
    return page


def squeezed(page: Any, key: str) -> list[str]:
    """What the screen squeezes on ``page``: a scroll bar, a visible combo box or button narrower than its text, a
    placeholder cut off, a message shown before anything is done; empty when the page fits."""
    found: list[str] = []
    area = page.parentWidget().parentWidget()
    if area.verticalScrollBar().maximum() or area.horizontalScrollBar().maximum():
        found.append(f"{key}: the page scrolls")
    for widget in (*page.findChildren(QComboBox), *page.findChildren(QPushButton)):
        if widget.isVisible() and widget.width() < widget.sizeHint().width():
            text = widget.currentText() if isinstance(widget, QComboBox) else widget.text()
            found.append(f"{key}: {widget.objectName()} {text!r} {widget.width()} < {widget.sizeHint().width()}")
    for box in page.findChildren(QLineEdit):
        needed = box.fontMetrics().horizontalAdvance(box.placeholderText()) + 12
        if box.isVisible() and box.placeholderText() and box.width() < needed:
            found.append(f"{key}: placeholder {box.placeholderText()!r} cut in {box.width()}px")
    if page.message.text():
        found.append(f"{key}: {page.message.text()!r} before anything is done")
    return found


def answer(role: QMessageBox.ButtonRole | None = QMessageBox.ButtonRole.DestructiveRole) -> list[str]:
    """Answer the next confirmation with its button of ``role`` (its destructive one unless told; ``None``: Cancel);
    returns its text."""
    asked: list[str] = []

    def press() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        if role is None:
            box.button(QMessageBox.StandardButton.Cancel).click()
        else:
            next(b for b in box.buttons() if box.buttonRole(b) == role).click()

    QTimer.singleShot(0, press)
    return asked
