"""The certificate workstation's stream chooser and what its pages say before any stream is taken (the widgets
every workstation shares are in :mod:`common.ui.widgets`, the state line read without raising is
:meth:`common.ui.page.Page.peek`)."""

from __future__ import annotations

from collections.abc import Sequence

from common.i18n import N_
from common.ui.stream_choice import StreamChoice as SharedStreamChoice

NO_FILE = N_("No certificate file taken yet: take the package АРМ «Программиста Министерства» sent for a stream "
             "(п. 214).")
"""What an action needing a stream refuses with while no certificate file is taken."""
NO_FILE_STATE = N_("No certificate file taken yet (stage 2).")
"""A page's state line while no certificate file is taken."""


class StreamChoice(SharedStreamChoice):
    """The streams whose certificate file is taken; a refill that changes them announces the choice (the page shows
    the chosen stream's state)."""

    def offer(self, numbers: Sequence[int]) -> None:
        before = self.streams()
        super().offer(numbers)
        if before != list(numbers):
            self.currentIndexChanged.emit(self.currentIndex())
