"""The certificate workstation's stream chooser (the widgets every workstation shares are in
:mod:`common.ui.widgets`, the state line read without raising is :meth:`common.ui.page.Page.peek`)."""

from __future__ import annotations

from collections.abc import Sequence

from common.ui.stream_choice import StreamChoice as SharedStreamChoice


class StreamChoice(SharedStreamChoice):
    """The streams whose certificate file is taken; a refill that changes them announces the choice (the page shows
    the chosen stream's state)."""

    def offer(self, numbers: Sequence[int]) -> None:
        before = self.streams()
        super().offer(numbers)
        if before != list(numbers):
            self.currentIndexChanged.emit(self.currentIndex())
