"""The exam-day prints (п. 52.11–52.12): choose the stream, the print, a room or all, the language; the same
service as ``print …`` (``arm_programmer.prints``), then Qt's print preview of the kept PDF."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QListWidget, QListWidgetItem, QPushButton

from arm_programmer.day import stream_numbers
from arm_programmer.prints import print_stream, stream_rooms
from arm_programmer.takeover import NO_APPLICANT_DATABASE
from arm_programmer.ui.stream_choice import StreamChoice
from common.i18n import N_, _
from common.reports import PrintedForm
from common.ui.page import Page
from common.ui.print_preview import PrintPreviewDialog, show_print_preview
from common.ui.shell import ShellContext
from common.ui.widgets import language_choice

PRINT_NAMES = {"seating": N_("Seating lists (прил. 5 Правил) with the booklet hand-out order"),
               "room-lists": N_("Room lists"), "handout": N_("Booklet hand-out order on the desk plans"),
               "acts": N_("Blanks for the representatives (прил. 7, 8, 19–22, 34, 35; acts 4, 9–11 Правил)")}


class PrintsPage(Page):
    def __init__(self, context: ShellContext) -> None:
        super().__init__(context)
        grid = QGridLayout()
        self.stream_label, self.print_label, self.room_label, self.language_label = (QLabel() for _i in range(4))
        self.stream = StreamChoice()
        self.stream.setObjectName("printStream")
        self.stream.currentIndexChanged.connect(lambda _index: self._load_rooms())
        self.what = QComboBox()
        self.what.setObjectName("printWhat")
        self.room = QComboBox()
        self.room.setObjectName("printRoom")
        self.language = language_choice("printLanguage")
        self.print_button = QPushButton()
        self.print_button.setObjectName("printExamDay")
        self.print_button.clicked.connect(self.print_chosen)
        for row, (label, widget) in enumerate(((self.stream_label, self.stream), (self.print_label, self.what),
                                               (self.room_label, self.room), (self.language_label, self.language))):
            grid.addWidget(label, row, 0)
            grid.addWidget(widget, row, 1)
        grid.addWidget(self.print_button, 4, 1)
        grid.setColumnStretch(1, 1)
        self.body.addLayout(grid)
        self.printed_label = QLabel()
        self.body.addWidget(self.printed_label)
        self.printed = QListWidget()
        self.printed.setObjectName("printedExamDay")
        self.printed.itemDoubleClicked.connect(self._preview_item)
        self.body.addWidget(self.printed, 1)
        self.last_printed: list[PrintedForm] = []
        self.last_preview: PrintPreviewDialog | None = None
        self.retranslate()

    def reload(self) -> None:
        self.stream.offer(self.read(stream_numbers) or [])
        self._load_rooms()

    def _load_rooms(self) -> None:
        number = self.stream.number()
        current = self.room.currentData()
        self.room.clear()
        self.room.addItem(_("All rooms"), None)
        if number is None:
            return
        rooms = self.read(lambda session: [room.room for room in stream_rooms(session, number, booklets=False)])
        for room in rooms or []:
            self.room.addItem(room, room)
        index = self.room.findData(current)
        self.room.setCurrentIndex(max(index, 0))

    def print_chosen(self) -> None:
        """Print the chosen form in the background, keep it in ``printed/`` and open its print preview."""
        number = self.stream.number()
        if number is None:
            self.show_problem(_(NO_APPLICANT_DATABASE))
            return
        what, room, language = str(self.what.currentData()), self.room.currentData(), str(self.language.currentData())

        def work() -> list[PrintedForm]:
            with self.db.transaction() as session:
                return print_stream(session, self.db.folder, what, number, language, actor=self.db.actor,
                                    room=room)

        def finished(printed: list[PrintedForm]) -> None:
            self.last_printed = printed
            for item in printed:
                entry = QListWidgetItem(item.path.name)
                entry.setData(Qt.ItemDataRole.UserRole, str(item.path))
                self.printed.addItem(entry)
            self.show_done(_("Printed {pages} page(s): {path}").format(pages=sum(item.pages for item in printed),
                                                                       path=printed[0].path))
            self.last_preview = show_print_preview(printed[0].path, self)

        self.in_background(work, finished, _("Printing…"))

    def _preview_item(self, item: QListWidgetItem) -> None:
        self.last_preview = show_print_preview(Path(str(item.data(Qt.ItemDataRole.UserRole))), self)

    def retranslate(self) -> None:
        self.heading.setText(_("Exam-day prints"))
        self.stream_label.setText(_("Stream"))
        self.print_label.setText(_("Print"))
        self.room_label.setText(_("Room"))
        self.language_label.setText(_("Form language:"))
        current = self.what.currentData()
        self.what.clear()
        for key, name in PRINT_NAMES.items():
            self.what.addItem(_(name), key)
        self.what.setCurrentIndex(max(self.what.findData(current), 0))
        self.print_button.setText(_("Print and preview…"))
        self.printed_label.setText(_("Printed here (double-click to preview again):"))
        self.reload()
