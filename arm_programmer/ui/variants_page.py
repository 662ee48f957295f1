"""The variants file (п. 53.1): a stream's test specification and variants package from НЦТ taken from its file with
the workstation's password (the service of ``variants import``), then, per stream, what ``variants show`` shows — the
test specification, and for each room its answer-sheet numbers (п. 157.1) and booklets per variant (п. 171)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
)

from arm_programmer.day import stream_numbers
from arm_programmer.takeover import NO_APPLICANT_DATABASE
from arm_programmer.ui.stream_choice import StreamChoice
from arm_programmer.variants import RoomVariants, VariantsView, stream_variants, take_from_nct
from common.i18n import _
from common.ui.page import Page, secret_box
from common.ui.shell import ShellContext
from common.ui.widgets import browse_into

PASSWORD_WIDTH = 220
VARIANTS_PER_LINE = 6  # a room's booklets per variant: the twelve of a specification on two lines


def view_line(view: VariantsView) -> str:
    """The stream's line, as ``variants show`` prints it first."""
    return _("Stream {stream} ({date}): test specification {spec}; variants file {file}.").format(
        stream=view.stream, date=view.date or "—", spec=view.specification or _("not received"),
        file=_("received") if view.variants_file else _("not received"))


def room_cells(room: RoomVariants) -> tuple[str, ...]:
    """A room's row: room, language, seats, sheets, spare sheets, booklets in all, booklets per variant (six a
    line)."""
    spare = "" if room.spare_sheets is None else f"{room.spare_sheets[0]}–{room.spare_sheets[1]}"
    counts = [f"{variant}×{count}" for variant, count in room.booklets.items()]
    booklets = "\n".join(", ".join(counts[start:start + VARIANTS_PER_LINE])
                         for start in range(0, len(counts), VARIANTS_PER_LINE))
    return (room.room, room.language, str(room.seats), f"{room.sheets[0]}–{room.sheets[1]}", spare,
            str(sum(room.booklets.values())), booklets)


class VariantsPage(Page):
    def __init__(self, context: ShellContext) -> None:
        super().__init__(context)
        self.view: VariantsView | None = None
        self.take_box = QGroupBox()
        row = QHBoxLayout(self.take_box)
        self.package = QLineEdit()
        self.package.setObjectName("variantsPackage")
        self.browse_button = QPushButton()
        self.browse_button.setObjectName("browseVariants")
        self.browse_button.clicked.connect(
            lambda: browse_into(self, self.package, _("The test-specification or variants package"), "*.entpkg"))
        self.password_label = QLabel()
        self.password = secret_box("variantsPassword")
        self.password.setMaximumWidth(PASSWORD_WIDTH)
        self.take_button = QPushButton()
        self.take_button.setObjectName("takeVariants")
        self.take_button.clicked.connect(self.take)
        for widget in (self.package, self.browse_button, self.password_label, self.password, self.take_button):
            row.addWidget(widget)
        row.setStretch(0, 1)
        self.body.addWidget(self.take_box)

        top = QHBoxLayout()
        self.stream_label = QLabel()
        self.stream = StreamChoice()
        self.stream.setObjectName("variantsStream")
        self.stream.currentIndexChanged.connect(lambda _index: self.show_stream())
        top.addWidget(self.stream_label)
        top.addWidget(self.stream)
        top.addStretch(1)
        self.body.addLayout(top)
        self.state = QLabel()
        self.state.setObjectName("variantsState")
        self.state.setWordWrap(True)
        self.state.setStyleSheet("font-weight: bold;")
        self.body.addWidget(self.state)
        self.table = QTableWidget(0, 7)
        self.table.setObjectName("variantsRooms")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)  # the row's height is its lines, whatever the column's width
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setMinimumHeight(120)
        self.body.addWidget(self.table, 1)
        self.retranslate()

    def take(self) -> None:
        """Take the package file with the typed password (cleared after every attempt, taken or refused)."""
        text, password = self.package.text().strip(), self.password.text()
        if not text:
            self.show_problem(_("Choose the package file first."))
            return
        if not password:
            self.show_problem(_("Type the workstation's password (from the enrolment sheet)."))
            return
        self.password.clear()
        if self.take_package_file(Path(text), password, take_from_nct) is not None:
            self.package.clear()
        self.reload()

    def reload(self) -> None:
        self.stream.offer(self.read(stream_numbers) or [])
        self.show_stream()

    def show_stream(self) -> None:
        number = self.stream.number()
        self.table.setRowCount(0)
        if number is None:
            self.view = None
            self.state.setText(_(NO_APPLICANT_DATABASE))
            return
        self.view = self.read(lambda session: stream_variants(session, number))
        if self.view is None:
            self.state.setText("")
            return
        lines = [view_line(self.view)]
        if not self.view.variants_file:
            lines.append(_("The rooms' answer-sheet numbers and booklets come with the variants file from НЦТ "
                           "(п. 53.1)."))
        self.state.setText("\n".join(lines))
        self.table.setRowCount(len(self.view.rooms))
        for index, room in enumerate(self.view.rooms):
            for column, value in enumerate(room_cells(room)):
                self.table.setItem(index, column, QTableWidgetItem(value))
        self.table.resizeRowsToContents()

    def retranslate(self) -> None:
        self.heading.setText(_("Variants file"))
        self.take_box.setTitle(_("The test specification or variants package from НЦТ (п. 53.1)"))
        self.package.setPlaceholderText(_("the test-specification or variants package (.entpkg)"))
        self.browse_button.setText(_("Choose…"))
        self.password_label.setText(_("Workstation password:"))
        self.take_button.setText(_("Take the package"))
        self.stream_label.setText(_("Stream"))
        self.table.setHorizontalHeaderLabels([_("Room"), _("Language"), _("Seats"), _("Answer sheets"),
                                              _("Spare sheets"), _("Booklets"), _("Booklets per variant")])
        self.reload()
