"""The stream chooser the workstations' pages share: a combo box of stream numbers, refilled keeping the choice."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QComboBox


class StreamChoice(QComboBox):
    """A combo box of stream numbers."""

    def number(self) -> int | None:
        """The chosen stream, or None when there is none."""
        data = self.currentData()
        return None if data is None else int(data)

    def streams(self) -> list[int]:
        return [int(self.itemData(index)) for index in range(self.count())]

    def offer(self, numbers: Sequence[int]) -> None:
        """Show ``numbers``, keeping the chosen stream when it is still there; no change signal while refilling."""
        if self.streams() == list(numbers):
            return
        chosen = self.currentData()
        self.blockSignals(True)
        self.clear()
        for number in numbers:
            self.addItem(str(number), number)
        if chosen in numbers:
            self.setCurrentIndex(list(numbers).index(chosen))
        self.blockSignals(False)
