"""Tables as models: one Qt model over a list of plain rows (dataclasses), and a filter over it.

A page keeps its rows as the services return them and describes the columns once; the view asks
only for the cells it shows, so thousands of rows cost nothing to display. Column titles are
message ids, translated when the view asks for them, so :meth:`RowTableModel.retranslate` is all
a language switch needs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, Literal, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from common.i18n import _

Row = TypeVar("Row")
AnyIndex = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
_ALIGN = {
    "left": Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
    "center": Qt.AlignmentFlag.AlignCenter,
    "right": Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
}
PROBLEM_BACKGROUND = QColor(255, 228, 225)


@dataclass(frozen=True)
class TableColumn(Generic[Row]):
    """A column: ``title`` is an untranslated message id; ``value`` reads the cell from a row.

    ``text`` formats the value for display (default ``str``; None shows empty); ``sort`` gives the
    value to sort by (default the value itself, so numbers sort as numbers).
    """

    title: str
    value: Callable[[Row], object]
    align: Literal["left", "center", "right"] = "left"
    text: Callable[[object], str] | None = None
    sort: Callable[[Row], object] | None = None
    tip: Callable[[Row], str] | None = None


class RowTableModel(QAbstractTableModel, Generic[Row]):
    """A read-only table over ``rows``; ``problem(row)`` marks a row red with the message as tooltip."""

    def __init__(
        self,
        columns: Sequence[TableColumn[Row]],
        parent: Any = None,
        problem: Callable[[Row], str | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[Row] = []
        self._problem = problem
        self._search: list[str] | None = None

    # contents ----------------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._search = None
        self.endResetModel()

    def rows(self) -> list[Row]:
        return list(self._rows)

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def search_text(self, row: int) -> str:
        """Every cell of ``row`` as one lower-case string (what the filter looks in)."""
        if self._search is None:
            self._search = [
                "\x1f".join(self._cell_text(column, item) for column in self.columns).casefold()
                for item in self._rows
            ]
        return self._search[row]

    def retranslate(self) -> None:
        """Titles are message ids and cells may be words of the language (names of statuses, a
        school's name in it): tell the views to ask for all of them again."""
        self._search = None
        if self.columns:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
        if self.columns and self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self.columns) - 1))

    # Qt's model interface ------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's name
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's name
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell_text(column, item)
        if role == SORT_ROLE:
            value = column.sort(item) if column.sort else column.value(item)
            if isinstance(value, date | datetime):
                return value.isoformat()  # Qt compares strings and numbers, not Python dates
            return "" if value is None else value
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_ALIGN[column.align].value)
        if role == ROW_ROLE:
            return item
        marks = (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole)
        if self._problem is not None and role in marks:
            message = self._problem(item)
            if message is not None:
                return QBrush(PROBLEM_BACKGROUND) if role == Qt.ItemDataRole.BackgroundRole else message
        if role == Qt.ItemDataRole.ToolTipRole and column.tip is not None:
            return column.tip(item)
        return None

    def headerData(  # noqa: N802 - Qt's name
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return _(self.columns[section].title)
        return str(section + 1)

    @staticmethod
    def _cell_text(column: TableColumn[Row], item: Row) -> str:
        value = column.value(item)
        if column.text is not None:
            return column.text(value)
        if value is None:
            return ""
        if isinstance(value, bool):
            return "✓" if value else ""
        return str(value)


class RowFilterModel(QSortFilterProxyModel):
    """Sorts by the raw values and keeps the rows whose cells contain every word typed."""

    def __init__(self, source: RowTableModel[Any], parent: Any = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []
        self._keep: Callable[[Any], bool] | None = None
        self.setSourceModel(source)
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def set_search(self, text: str) -> None:
        self.beginFilterChange()
        self._words = text.casefold().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_keep(self, keep: Callable[[Any], bool] | None) -> None:
        """Also keep only the rows for which ``keep(row)`` is true (None: every row)."""
        self.beginFilterChange()
        self._keep = keep
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:  # noqa: N802 - Qt's name
        source = self.sourceModel()
        assert isinstance(source, RowTableModel)
        if self._keep is not None and not self._keep(source.row_at(source_row)):
            return False
        if not self._words:
            return True
        text = source.search_text(source_row)
        return all(word in text for word in self._words)

    def row_at(self, proxy_row: int) -> Any:
        """The source row shown at ``proxy_row`` of this (sorted, filtered) model."""
        source_index = self.mapToSource(self.index(proxy_row, 0))
        source = self.sourceModel()
        assert isinstance(source, RowTableModel)
        return source.row_at(source_index.row())
