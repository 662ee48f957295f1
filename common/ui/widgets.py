"""Small widgets the workstations' pages share: the language of the printed forms, a read-only table over rows, a file
line's «Browse…», a line as wide as its placeholder."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QComboBox, QFileDialog, QHeaderView, QLineEdit, QPushButton, QTableView, QWidget

from common.i18n import current_language
from common.ui.table_model import RowTableModel, TableColumn

FORM_LANGUAGES = {"kk": "Қазақша", "ru": "Русский"}


def language_choice(name: str) -> QComboBox:
    """The language of a printed form (kk or ru), the window's language first."""
    box = QComboBox()
    box.setObjectName(name)
    for code, title in FORM_LANGUAGES.items():
        box.addItem(title, code)
    box.setCurrentIndex(box.findData(current_language() if current_language() in FORM_LANGUAGES else "ru"))
    return box


def row_table(name: str, columns: Sequence[TableColumn[Any]], stretch: Sequence[int] = ()) -> tuple[
        QTableView, RowTableModel[Any]]:
    """A read-only table of rows: the columns fit their contents, the ``stretch`` ones take the rest."""
    model: RowTableModel[Any] = RowTableModel(columns)
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    for column in stretch:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    view.setMinimumHeight(110)
    return view, model


def browse_into(parent: QWidget, line: QLineEdit, title: str, pattern: str) -> None:
    """Choose a file and put its path in ``line``."""
    chosen, _filter = QFileDialog.getOpenFileName(parent, title, "", pattern)
    if chosen:
        line.setText(chosen)


def browse_button(name: str) -> QPushButton:
    button = QPushButton()
    button.setObjectName(name)
    return button


def fit_placeholder(*lines: QLineEdit) -> None:
    """Keep each line at least as wide as its placeholder (set again after a language switch)."""
    for line in lines:
        line.setMinimumWidth(line.fontMetrics().horizontalAdvance(line.placeholderText()) + 24)
