"""What the certificate workstation's pages share: the stream chooser, the language of the printed forms, a table
over rows, and a file line with its «Browse…» button."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from PySide6.QtWidgets import QComboBox, QFileDialog, QHeaderView, QLineEdit, QPushButton, QTableView, QWidget
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from common.errors import Refused
from common.i18n import _, current_language
from common.ui.stream_choice import StreamChoice as SharedStreamChoice
from common.ui.table_model import RowTableModel, TableColumn

T = TypeVar("T")
FORM_LANGUAGES = {"kk": "Қазақша", "ru": "Русский"}


class StreamChoice(SharedStreamChoice):
    """The streams whose certificate file is taken; a refill that changes them announces the choice (the page shows
    the chosen stream's state)."""

    def offer(self, numbers: Sequence[int]) -> None:
        before = self.streams()
        super().offer(numbers)
        if before != list(numbers):
            self.currentIndexChanged.emit(self.currentIndex())


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


class Unreadable(str):
    """Why a page's state could not be read: a refusal's line or an I/O failure's."""


def peek(page: Any, work: Callable[[Session], T]) -> T | Unreadable:
    """Read a page's state line for display in one read-only transaction; a refusal or an I/O failure comes back as
    its one line (shown in the state line, not as an error: nothing was asked yet)."""
    from common.failures import describe

    try:
        with page.db.transaction(read_only=True) as session:
            return work(session)
    except Refused as refusal:
        return Unreadable(refusal.message)
    except (OSError, DBAPIError) as error:
        return Unreadable(describe(error, page.db.folder.root) or _("Unexpected error: {error}").format(error=error))
