"""Tables are models: rows sort by their raw values (dates too) and filter by every word typed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtCore import Qt

from common.ui.table_model import RowFilterModel, RowTableModel, TableColumn


@dataclass(frozen=True)
class Printed:
    name: str
    when: datetime
    size: int


COLUMNS = [
    TableColumn("File", lambda row: row.name),
    TableColumn("Printed", lambda row: row.when.strftime("%d.%m.%Y %H:%M"), sort=lambda row: row.when),
    TableColumn("Size", lambda row: row.size),
]


def shown(proxy: RowFilterModel, column: int) -> list[str]:
    return [proxy.index(row, column).data() for row in range(proxy.rowCount())]


def test_rows_sort_by_date_and_number_not_by_their_text(qtbot) -> None:  # type: ignore[no-untyped-def]
    model: RowTableModel[Printed] = RowTableModel(COLUMNS)
    model.set_rows([
        Printed("a.pdf", datetime(2026, 11, 25, 9, 5, tzinfo=UTC), 9),
        Printed("b.pdf", datetime(2026, 1, 30, 14, 0, tzinfo=UTC), 100),
        Printed("c.pdf", datetime(2026, 12, 1, 8, 0, tzinfo=UTC), 20),
    ])
    proxy = RowFilterModel(model)
    proxy.sort(1, Qt.SortOrder.DescendingOrder)
    assert shown(proxy, 0) == ["c.pdf", "a.pdf", "b.pdf"]
    proxy.sort(2, Qt.SortOrder.AscendingOrder)
    assert shown(proxy, 2) == ["9", "20", "100"]
    proxy.set_search("B.PDF")
    assert shown(proxy, 0) == ["b.pdf"]
