"""The stream chooser the programmer's pages share: filled from the workstation's streams, keeping the choice; and
the header of the pages that print per stream (stream, form language, the stream's state in bold)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QBoxLayout, QComboBox, QHBoxLayout, QLabel

from arm_programmer.takeover import NO_APPLICANT_DATABASE
from common.i18n import _
from common.ui.stream_choice import StreamChoice
from common.ui.widgets import language_choice


@dataclass(frozen=True)
class StreamHeader:
    """The stream chooser, the language of the forms and the bold state line at the top of a page."""

    stream_label: QLabel
    stream: StreamChoice
    language_label: QLabel
    language: QComboBox
    state: QLabel

    def chosen(self) -> int | None:
        """The chosen stream; with none (no applicant database taken yet) the state line says so."""
        number = self.stream.number()
        if number is None:
            self.state.setText(_(NO_APPLICANT_DATABASE))
        return number

    def retranslate(self) -> None:
        self.stream_label.setText(_("Stream"))
        self.language_label.setText(_("Form language:"))


def stream_header(body: QBoxLayout, name: str, changed: Callable[[], None]) -> StreamHeader:
    """Add the header to ``body``; object names start with ``name`` (``resultsStream``, ``resultsLanguage``,
    ``resultsState``); ``changed`` runs when another stream is chosen."""
    top = QHBoxLayout()
    stream = StreamChoice()
    stream.setObjectName(f"{name}Stream")
    stream.currentIndexChanged.connect(lambda _index: changed())
    language = language_choice(f"{name}Language")
    header = StreamHeader(QLabel(), stream, QLabel(), language, QLabel())
    for widget in (header.stream_label, stream, header.language_label, language):
        top.addWidget(widget)
    top.addStretch(1)
    body.addLayout(top)
    header.state.setObjectName(f"{name}State")
    header.state.setWordWrap(True)
    header.state.setStyleSheet("font-weight: bold;")
    body.addWidget(header.state)
    return header
