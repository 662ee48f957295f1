"""The identification stage (п. 156–176): a stream at a glance — rooms scanned in pass 1 and 2, differences
open, sheets identified, what still blocks the answer codes — and the identification protocol's rows
(прил. 36), each with the sheet's ``explain`` picture beside the selected row, entered row by row (the service of
``identify sheet``); the protocol printed (``protocol print``)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
)
from sqlalchemy.orm import Session

from arm_programmer.day import stream_numbers
from arm_programmer.identification import (
    Entered,
    StreamIdentification,
    StreamState,
    enter_note,
    enter_sheet,
    print_protocol,
    sheet_explain_png,
    stream_sheets,
    stream_state,
)
from arm_programmer.identify import SHEET_REASONS, Decision, kept_image
from arm_programmer.protocol import DECISIONS, NOTES
from arm_programmer.resolution import SHEET_STATES, Note
from arm_programmer.takeover import NO_APPLICANT_DATABASE
from arm_programmer.ui.stream_choice import StreamChoice
from common.i18n import _
from common.security.audit import AuditLog
from common.ui.page import Page
from common.ui.shell import ShellContext

IMAGE_WIDTH = 300


class IdentifyPage(Page):
    def __init__(self, context: ShellContext) -> None:
        super().__init__(context)
        self.current: StreamIdentification | None = None
        self.images: dict[str, str | None] = {}
        top = QHBoxLayout()
        self.stream_label = QLabel()
        self.stream = StreamChoice()
        self.stream.setObjectName("stream")
        self.stream.currentIndexChanged.connect(lambda _index: self.show_stream())
        self.print_button = QPushButton()
        self.print_button.setObjectName("printProtocol")
        self.print_button.clicked.connect(self.print_protocol)
        top.addWidget(self.stream_label)
        top.addWidget(self.stream)
        top.addStretch(1)
        top.addWidget(self.print_button)
        self.body.addLayout(top)
        self.state = QLabel()
        self.state.setObjectName("identifyState")
        self.state.setWordWrap(True)
        self.state.setStyleSheet("font-weight: bold;")
        self.body.addWidget(self.state)
        self.rooms = QListWidget()
        self.rooms.setObjectName("identifyRooms")
        self.rooms.setMaximumHeight(110)
        self.body.addWidget(self.rooms)
        middle = QHBoxLayout()
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("protocolRows")
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self.show_sheet)
        self.image = QLabel()
        self.image.setObjectName("sheetImage")
        self.image.setFixedWidth(IMAGE_WIDTH)
        self.image.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self.image.setWordWrap(True)
        middle.addWidget(self.table, 1)
        middle.addWidget(self.image)
        self.body.addLayout(middle, 1)
        entry = QHBoxLayout()
        self.sheet = QLineEdit()
        self.sheet.setObjectName("entrySheet")
        self.decision = QComboBox()
        self.decision.setObjectName("entryDecision")
        self.ikt = QLineEdit()
        self.ikt.setObjectName("entryIkt")
        self.seat = QSpinBox()
        self.seat.setObjectName("entrySeat")
        self.seat.setRange(0, 120)
        self.variant = QLineEdit()
        self.variant.setObjectName("entryVariant")
        self.subjects = QLineEdit()
        self.subjects.setObjectName("entrySubjects")
        self.name = QLineEdit()
        self.name.setObjectName("entryName")
        self.enter_button = QPushButton()
        self.enter_button.setObjectName("enterRow")
        self.enter_button.clicked.connect(self.enter)
        for widget in (self.sheet, self.decision, self.ikt, self.seat, self.variant, self.subjects, self.name,
                       self.enter_button):
            entry.addWidget(widget)
        entry.setStretch(6, 1)
        self.body.addLayout(entry)
        upper = QHBoxLayout()
        self.note_ikt = QLineEdit()
        self.note_ikt.setObjectName("noteIkt")
        self.note = QComboBox()
        self.note.setObjectName("noteKind")
        self.note_sheet = QLineEdit()
        self.note_sheet.setObjectName("noteSheet")
        self.note_button = QPushButton()
        self.note_button.setObjectName("enterNote")
        self.note_button.clicked.connect(self.enter_note)
        for widget in (self.note_ikt, self.note, self.note_sheet, self.note_button):
            upper.addWidget(widget)
        upper.addStretch(1)
        self.body.addLayout(upper)
        self.retranslate()

    def current_stream(self) -> int | None:
        return self.stream.number()

    def reload(self) -> None:
        self.stream.offer(self.read(stream_numbers) or [])
        self.show_stream()

    def show_stream(self) -> None:
        number = self.current_stream()
        self.rooms.clear()
        self.table.setRowCount(0)
        self.current = None
        if number is None:
            self.state.setText(_(NO_APPLICANT_DATABASE))
            return
        found = self.read(lambda session: stream_state(session, number))
        if found is None:
            self.state.setText("")
            return
        state, current = found
        self.current = current
        self.state.setText(self._state_text(state))
        for room in state.rooms:
            self.rooms.addItem(_("Room {room}: pass 1 {first}, pass 2 {second}, {differences} difference(s) open, "
                                 "{identified} of {sheets} sheet(s) identified").format(
                room=room.room_number, first=room.pass1, second=room.pass2, differences=room.differences,
                identified=room.identified, sheets=room.sheets))
        sheets = self.read(lambda session: stream_sheets(session, number)) or []
        self.images = {sheet.sheet_number or str(sheet.sheet_id): kept_image(sheet) for sheet in sheets}
        rows = current.auto.lower_table()
        self.table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            final = current.resolution.sheet(row.sheet_id)
            why = _("unused sheet") if row.blank else "; ".join(_(SHEET_REASONS[reason]) for reason in row.reasons)
            values = (row.room_number, row.sheet_number or "?", why, _(SHEET_STATES[final.state.value]))
            for column, value in enumerate(values):
                self.table.setItem(index, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()

    @staticmethod
    def _state_text(state: StreamState) -> str:
        if state.ready_for_answer_codes:
            return _("Stream {stream}: ready for answer codes.").format(stream=state.stream_number)
        head = _("Stream {stream}: not ready for answer codes.").format(stream=state.stream_number)
        return "\n".join([head, *state.blockers])

    def show_sheet(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        item = self.table.item(rows[0].row(), 1)
        if item is None:
            return
        number = item.text()
        self.sheet.setText(number)
        stream = self.current_stream()
        if stream is None:
            return
        root = self.db.folder.root
        png = self.read(lambda session: sheet_explain_png(session, root, stream, number))
        if not png:
            self.image.setPixmap(QPixmap())
            self.image.setText(_("No image of this sheet."))
            return
        picture = QPixmap()
        picture.loadFromData(png, "PNG")
        self.image.setText("")
        self.image.setPixmap(picture.scaledToWidth(IMAGE_WIDTH, Qt.TransformationMode.SmoothTransformation))
        relative = self.images.get(number)
        self.image.setToolTip("" if relative is None else str(root / relative))

    def enter(self) -> None:
        number = self.current_stream()
        if number is None:
            return
        decision = self.decision.currentData()
        sheet_number, ikt, seat = self.sheet.text().strip(), self.ikt.text().strip() or None, self.seat.value() or None
        variant, subjects = self.variant.text().strip() or None, self.subjects.text().strip() or None
        name = self.name.text().strip() or None

        def work(session: Session) -> Entered:
            return enter_sheet(session, number, stream_sheets(session, number), sheet_number=sheet_number,
                               decision=Decision(decision), ikt=ikt, seat=seat, variant=variant, subjects=subjects,
                               name=name, audit=AuditLog(self.db.folder.audit_log), actor=self.db.actor)

        if self.act(work, lambda done: _("Sheet {sheet}: «{decision}» entered (entry {revision}).").format(
                sheet=done.sheet_number, decision=self.decision.currentText(), revision=done.revision)) is not None:
            for field in (self.ikt, self.variant, self.subjects, self.name):
                field.clear()
            self.seat.setValue(0)
        self.reload()

    def enter_note(self) -> None:
        number = self.current_stream()
        if number is None:
            return
        ikt, note, sheet = self.note_ikt.text().strip(), self.note.currentData(), self.note_sheet.text().strip() or None

        def work(session: Session) -> Note:
            return enter_note(session, number, stream_sheets(session, number), ikt=ikt, note=note, sheet_number=sheet,
                              audit=AuditLog(self.db.folder.audit_log), actor=self.db.actor)

        if self.act(work, lambda done: _("ИКТ {ikt}: «{note}» entered.").format(
                ikt=ikt, note=self.note.currentText())) is not None:
            self.note_ikt.clear()
            self.note_sheet.clear()
        self.reload()

    def print_protocol(self) -> None:
        number = self.current_stream()
        if number is None:
            return
        from arm_programmer.prints import default_language

        language = default_language()
        self.act(lambda session: print_protocol(session, self.db.folder, number, language, actor=self.db.actor),
                 lambda printed: _("Printed {pages} page(s): {path}").format(pages=printed.pages, path=printed.path))

    def retranslate(self) -> None:
        self.heading.setText(_("Identification of answer sheets"))
        self.stream_label.setText(_("Stream"))
        self.print_button.setText(_("Print the protocol (прил. 36)"))
        self.table.setHorizontalHeaderLabels([_("Room"), _("Sheet No."), _("Sectors with errors"), _("State")])
        chosen = self.decision.currentData()
        self.decision.clear()
        for decision, label in DECISIONS.items():
            self.decision.addItem(_(label), decision.value)
        self.decision.setCurrentIndex(max(0, self.decision.findData(chosen)))
        self.sheet.setPlaceholderText(_("Sheet No."))
        self.ikt.setPlaceholderText(_("Right ИКТ"))
        self.variant.setPlaceholderText(_("Variant on the booklet"))
        self.subjects.setPlaceholderText(_("Profile subjects on the booklet"))
        self.name.setPlaceholderText(_("Name on the sheet"))
        self.enter_button.setText(_("Enter the row"))
        chosen_note = self.note.currentData()
        self.note.clear()
        for key, label in NOTES.items():
            self.note.addItem(_(label), key)
        self.note.setCurrentIndex(max(0, self.note.findData(chosen_note)))
        self.note_ikt.setPlaceholderText(_("ИКТ (upper table)"))
        self.note_sheet.setPlaceholderText(_("Answer sheet No. (for Correct)"))
        self.note_button.setText(_("Enter the note (п. 166)"))
        self.reload()
