"""«Аудиторный фонд» (п. 80–82): the rooms of the building and their use in each stream.

The rules of п. 80 are checked on every keystroke against the rooms already loaded (pure checks,
no database round trip) and shown under the form; the services check them again when saving.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from arm_base_ppent.rooms import (
    RoomRow,
    add_room,
    clear_room_use,
    list_rooms,
    removal_warning,
    remove_room,
    set_room_use,
    update_room,
)
from arm_base_ppent.rules import RoomDraft, StreamUse, room_problems, seats_hint, stream_use_problems
from arm_base_ppent.site import site_info
from arm_base_ppent.streams import StreamRow, list_streams
from arm_base_ppent.ui.support import FormLanguageBox, print_and_preview
from arm_base_ppent.vocabulary import ROOM_LANGUAGE, ROOM_LANGUAGE_SHORT, VENTILATION, label
from common import codebook
from common.i18n import N_, _
from common.ui.page import ERROR_STYLE, HINT_STYLE, Page
from common.ui.shell import ShellContext
from common.ui.table_model import RowTableModel, TableColumn

NOT_USED = ""


def _uses_text(room: RoomRow) -> str:
    """The room's use per stream, streams with the same use together: "1–3: Kaz.; 4: Rus. (res.)"."""
    groups: dict[tuple[str, bool], list[int]] = {}
    for use in sorted(room.uses, key=lambda use: use.stream):
        groups.setdefault((use.language, use.reserve), []).append(use.stream)
    return "; ".join(
        f"{_stream_ranges(streams)}: {label(ROOM_LANGUAGE_SHORT, language)}" + (" " + _("(res.)") if reserve else "")
        for (language, reserve), streams in groups.items()
    )


def _stream_ranges(numbers: list[int]) -> str:
    ranges: list[list[int]] = []
    for number in numbers:
        if ranges and number == ranges[-1][-1] + 1:
            ranges[-1].append(number)
        else:
            ranges.append([number])
    return ", ".join(str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}" for run in ranges)


def _uses_tip(room: RoomRow) -> str:
    return "\n".join(
        _("Stream {stream}: {language}").format(stream=use.stream, language=label(ROOM_LANGUAGE, use.language))
        + (" — " + _("reserve room") if use.reserve else "")
        for use in room.uses
    )


ROOM_COLUMNS: list[TableColumn[RoomRow]] = [
    TableColumn(N_("Room"), lambda r: r.number, "center"),
    TableColumn(N_("Desks"), lambda r: r.desks, "right"),
    TableColumn(N_("Seats"), lambda r: r.seats, "right"),
    TableColumn(N_("Ventilation"), lambda r: label(VENTILATION, r.ventilation)),
    TableColumn(N_("Jammers"), lambda r: r.jammers, "right"),
    TableColumn(N_("Cameras"), lambda r: r.cameras, "right"),
    TableColumn(N_("Use in streams"), _uses_text, tip=_uses_tip),
]


class RoomsPage(Page):
    def __init__(self, context: ShellContext) -> None:
        super().__init__(context)
        self.rooms: list[RoomRow] = []
        self.streams: list[StreamRow] = []
        self.site_building = ""
        self.editing: str | None = None
        self._filling = False  # the page itself is filling the form: not the operator's edit
        self._touched = False  # the operator changed the form since it was filled
        self.building_note = QLabel()
        self.building_note.setWordWrap(True)
        self.body.addWidget(self.building_note)
        columns = QHBoxLayout()
        left = QVBoxLayout()
        self.model: RowTableModel[RoomRow] = RowTableModel(ROOM_COLUMNS, self)
        self.table = QTableView()
        self.table.setObjectName("roomsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _old: self._select(current.row()))
        left.addWidget(self.table, 1)
        left.addWidget(self._build_use())
        columns.addLayout(left, 1)
        columns.addWidget(self._build_side())
        self.body.addLayout(columns, 1)
        self._connect()
        self.retranslate()
        self.reload()

    # construction -----------------------------------------------------------------------------
    def _build_side(self) -> QWidget:
        side = QWidget()
        side.setFixedWidth(380)
        layout = QVBoxLayout(side)
        layout.setContentsMargins(0, 0, 0, 0)
        self.room_box = QGroupBox()
        form = QFormLayout(self.room_box)
        self.number = QLineEdit()
        self.number.setObjectName("roomNumber")
        self.number.setMaxLength(codebook.ROOM_DIGITS)
        self.desks = QSpinBox()
        self.desks.setObjectName("desks")
        self.desks.setRange(0, codebook.ROOM_SEATS_MAX)
        self.seats = QLabel()
        self.seats.setObjectName("seats")
        self.ventilation = QComboBox()
        self.ventilation.setObjectName("ventilation")
        for code in VENTILATION:
            self.ventilation.addItem("", code)
        self.jammers = QSpinBox()
        self.jammers.setRange(0, 20)
        self.cameras = QSpinBox()
        self.cameras.setRange(0, 20)
        self.building = QLineEdit()
        self.building.setObjectName("building")
        self.form_labels = [QLabel() for _index in range(7)]
        for text, widget in zip(self.form_labels, (self.number, self.desks, self.seats, self.ventilation,
                                                   self.jammers, self.cameras, self.building), strict=True):
            form.addRow(text, widget)
        self.room_problems = QLabel()
        self.room_problems.setObjectName("roomProblems")
        self.room_problems.setWordWrap(True)
        self.room_problems.setStyleSheet(ERROR_STYLE)
        form.addRow(self.room_problems)
        buttons = QGridLayout()
        self.new_button, self.add_button = QPushButton(), QPushButton()
        self.save_button, self.remove_button = QPushButton(), QPushButton()
        self.add_button.setObjectName("addRoom")
        self.save_button.setObjectName("saveRoom")
        self.remove_button.setObjectName("removeRoom")
        for index, button in enumerate((self.new_button, self.add_button, self.save_button, self.remove_button)):
            buttons.addWidget(button, index // 2, index % 2)
        form.addRow(buttons)
        layout.addWidget(self.room_box)

        prints = QHBoxLayout()
        self.form_language = FormLanguageBox()
        self.signs_button, self.scheme_button = QPushButton(), QPushButton()
        self.signs_button.setObjectName("printSigns")
        self.scheme_button.setObjectName("printScheme")
        prints.addWidget(self.form_language)
        prints.addStretch(1)
        layout.addLayout(prints)
        layout.addWidget(self.signs_button)
        layout.addWidget(self.scheme_button)
        layout.addStretch(1)
        return side

    def _build_use(self) -> QWidget:
        self.use_box = QGroupBox()
        use_form = QFormLayout(self.use_box)
        self.stream = QComboBox()
        self.stream.setObjectName("useStream")
        self.language = QComboBox()
        self.language.setObjectName("useLanguage")
        self.language.addItem("", NOT_USED)
        for code in ROOM_LANGUAGE:
            self.language.addItem("", code)
        self.reserve = QCheckBox()
        self.reserve.setObjectName("useReserve")
        self.use_labels = [QLabel() for _index in range(3)]
        for text, widget in zip(self.use_labels, (self.stream, self.language, self.reserve), strict=True):
            use_form.addRow(text, widget)
        self.use_problems = QLabel()
        self.use_problems.setObjectName("useProblems")
        self.use_problems.setWordWrap(True)
        self.use_problems.setStyleSheet(ERROR_STYLE)
        use_form.addRow(self.use_problems)
        self.apply_use = QPushButton()
        self.apply_use.setObjectName("applyUse")
        use_form.addRow(self.apply_use)
        self.stream_summary = QLabel()
        self.stream_summary.setObjectName("streamSummary")
        self.stream_summary.setWordWrap(True)
        use_form.addRow(self.stream_summary)
        return self.use_box

    def _connect(self) -> None:
        for widget in (self.number, self.building):
            widget.textChanged.connect(self._edited)
        for spin in (self.desks, self.jammers, self.cameras):
            spin.valueChanged.connect(self._edited)
        self.ventilation.currentIndexChanged.connect(self._edited)
        self.stream.currentIndexChanged.connect(self._stream_chosen)
        self.language.currentIndexChanged.connect(self._check_use)
        self.reserve.toggled.connect(self._check_use)
        self.new_button.clicked.connect(self.clear_form)
        self.add_button.clicked.connect(self.add)
        self.save_button.clicked.connect(self.save)
        self.remove_button.clicked.connect(self.remove)
        self.apply_use.clicked.connect(self.apply)
        self.signs_button.clicked.connect(lambda: self._print("room-signs"))
        self.scheme_button.clicked.connect(lambda: self._print("seat-scheme"))

    # data -------------------------------------------------------------------------------------
    def reload(self) -> None:
        loaded = self.read(lambda session: (list_rooms(session), list_streams(session),
                                            site_info(session).facts.building))
        if loaded is None:
            return
        self.rooms, self.streams, self.site_building = loaded
        self.model.set_rows(self.rooms)
        current_stream = self.stream.currentData()
        self.stream.blockSignals(True)
        self.stream.clear()
        for stream in self.streams:
            self.stream.addItem(_stream_text(stream), stream.number)
        index = self.stream.findData(current_stream)
        self.stream.setCurrentIndex(index if index >= 0 else 0)
        self.stream.blockSignals(False)
        if self.editing is not None:
            self._reselect()
        elif not self._touched:
            self.clear_form()  # a valid new room to start from, not a form full of errors
        self._render_building_note()
        self._check_room()
        self._stream_chosen()

    def draft(self) -> RoomDraft:
        return RoomDraft(self.number.text(), self.desks.value(), str(self.ventilation.currentData()),
                         self.jammers.value(), self.cameras.value(), self.building.text())

    def _others(self) -> list[RoomRow]:
        return [room for room in self.rooms if room.number != self.editing]

    def _check_room(self) -> list[str]:
        others = self._others()
        buildings = [room.building for room in others] + ([self.site_building] if self.site_building else [])
        problems = room_problems(self.draft(), taken_numbers=[room.number for room in others],
                                 other_buildings=buildings)
        self.seats.setText(seats_hint(self.desks.value()))
        shown = self._touched or self.editing is not None  # no errors before the operator typed anything
        self.room_problems.setText("\n".join(problems) if shown else "")
        self.add_button.setEnabled(not problems)
        self.save_button.setEnabled(not problems and self.editing is not None)
        self.remove_button.setEnabled(self.editing is not None)
        return problems

    def _select(self, row: int) -> None:
        if not 0 <= row < len(self.rooms):
            return
        room = self.rooms[row]
        self.editing = room.number
        self._fill(room.number, room.desks, room.ventilation, room.jammers, room.cameras, room.building)
        self._check_room()
        self._stream_chosen()

    def clear_form(self) -> None:
        self.editing = None
        self.table.clearSelection()
        free = self._next_number()
        number = codebook.format_code(free, codebook.ROOM_DIGITS) if free is not None else ""
        self._fill(number, 15, str(self.ventilation.itemData(0)), 0, 0, self.site_building)
        self._check_room()
        self._stream_chosen()

    def _fill(self, number: str, desks: int, ventilation: str, jammers: int, cameras: int, building: str) -> None:
        """Put a room into the form (the page's doing, not an edit of the operator's)."""
        self._filling = True
        try:
            self.number.setText(number)
            self.desks.setValue(desks)
            self.ventilation.setCurrentIndex(max(0, self.ventilation.findData(ventilation)))
            self.jammers.setValue(jammers)
            self.cameras.setValue(cameras)
            self.building.setText(building)
            self.building.setCursorPosition(0)
        finally:
            self._filling = False
        self._touched = False

    def _edited(self) -> None:
        if not self._filling:
            self._touched = True
            self._check_room()

    def _next_number(self) -> int | None:
        taken = {int(room.number) for room in self.rooms if room.number.isdigit()}
        return next((number for number in range(1, 100) if number not in taken), None)

    # actions ----------------------------------------------------------------------------------
    def add(self) -> None:
        if self._check_room():
            return
        draft = self.draft()
        row = self.act(lambda session: self._audited(session, "rooms.add", add_room(session, draft)),
                       lambda room: _("Room {room} added: {seats} seats.").format(room=room.number, seats=room.seats))
        if row is not None:
            self.editing = row.number
            self._reselect()

    def save(self) -> None:
        if self.editing is None or self._check_room():
            return
        number, draft = self.editing, self.draft()
        row = self.act(lambda session: self._audited(session, "rooms.update", update_room(session, number, draft)),
                       lambda room: _("Room {room} saved: {seats} seats.").format(room=room.number, seats=room.seats))
        if row is not None:
            self.editing = row.number
            self._reselect()

    def remove(self) -> None:
        room = self._current_room()
        if room is None:
            return
        number = room.number
        question = _("Remove room {room} from the room fund?").format(room=number)
        warning = removal_warning(room)
        if warning:
            question += "\n\n" + warning
        if not self.confirm(question, _("Remove room {room}").format(room=number)):
            return

        def work(session: Session) -> bool:
            remove_room(session, number, with_uses=True)
            self.db.audit(session, "rooms.remove", number)
            return True

        if self.act(work, _("Room {room} removed.").format(room=number)):
            self.editing = None
            self.clear_form()

    def _audited(self, session: Session, action: str, row: RoomRow) -> RoomRow:
        self.db.audit(session, action, row.number, seats=row.seats)
        return row

    def _reselect(self) -> None:
        row = next((i for i, room in enumerate(self.rooms) if room.number == self.editing), None)
        if row is not None:
            self.table.selectRow(row)

    def _stream_chosen(self) -> None:
        room = self._current_room()
        stream = self.stream.currentData()
        use = room.use_in(stream) if room is not None and stream is not None else None
        for widget in (self.language, self.reserve):
            widget.blockSignals(True)
        self.language.setCurrentIndex(max(0, self.language.findData(use.language if use else NOT_USED)))
        self.reserve.setChecked(bool(use and use.reserve))
        for widget in (self.language, self.reserve):
            widget.blockSignals(False)
        self._check_use()

    def _current_room(self) -> RoomRow | None:
        return next((room for room in self.rooms if room.number == self.editing), None)

    def _check_use(self) -> list[str]:
        room, stream = self._current_room(), self.stream.currentData()
        self.use_box.setEnabled(room is not None and stream is not None)
        self._render_stream_summary(stream)
        if room is None or stream is None:
            self.use_problems.setStyleSheet(HINT_STYLE)  # what to do next, not an error
            self.use_problems.setText(_("Choose a saved room in the table and a stream.") if self.streams else
                                      _("Add the streams of the schedule first."))
            return ["no room"]
        language = str(self.language.currentData())
        self.use_problems.setStyleSheet(ERROR_STYLE)
        if language == NOT_USED:
            self.use_problems.setText("")
            return []
        others = [use for other in self.rooms for use in other.uses if use.stream == stream]
        problems = stream_use_problems(StreamUse(room.number, stream, language, self.reserve.isChecked()), others)
        self.use_problems.setText("\n".join(problems))
        self.apply_use.setEnabled(not problems)
        return problems

    def apply(self) -> None:
        room, stream = self._current_room(), self.stream.currentData()
        if room is None or stream is None or self._check_use():
            return
        language, reserve, number = str(self.language.currentData()), self.reserve.isChecked(), room.number

        if language == NOT_USED and room.use_in(stream) is not None and not self.confirm(
            _("Stop using room {room} in stream {stream}?").format(room=number, stream=stream),
            _("Stop using it"),
        ):
            return

        def work(session: Session) -> RoomRow:
            if language == NOT_USED:
                if room.use_in(stream) is None:
                    return room
                row = clear_room_use(session, number, stream)
                self.db.audit(session, "rooms.unuse", number, stream=stream)
                return row
            row = set_room_use(session, number, stream, language, reserve)
            self.db.audit(session, "rooms.use", number, stream=stream, language=language, reserve=reserve)
            return row

        self.act(work, _("Room {room} in stream {stream} saved.").format(room=number, stream=stream))

    def _print(self, form: str) -> None:
        rooms = [self.editing] if self.editing else None
        print_and_preview(self, form, self.form_language.language, rooms)

    # texts ------------------------------------------------------------------------------------
    def _render_building_note(self) -> None:
        building = self.site_building or _("not named yet (see Site facts)")
        self.building_note.setText(_("All rooms are in one building (п. 80.1): {building}. A room has 30 to 120 "
                                     "seats in multiples of 10, two persons per desk (п. 80.4, 80.6); a stream "
                                     "has at most 12 rooms and 2 reserve rooms (п. 80.5).").format(building=building))

    def _render_stream_summary(self, stream: int | None) -> None:
        if stream is None:
            self.stream_summary.setText("")
            return
        uses = [(room, room.use_in(stream)) for room in self.rooms]
        regular = [(room, use) for room, use in uses if use and not use.reserve]
        reserve = [(room, use) for room, use in uses if use and use.reserve]
        seats = {code: sum(room.seats for room, use in regular if use.language == code) for code in ROOM_LANGUAGE}
        self.stream_summary.setText(_("Stream {stream}: {rooms} of {max_rooms} rooms, {reserve} of {max_reserve} "
                                      "reserve rooms; seats: {seats}").format(
            stream=stream, rooms=len(regular), max_rooms=codebook.MAX_ROOMS_PER_STREAM, reserve=len(reserve),
            max_reserve=codebook.MAX_RESERVE_ROOMS_PER_STREAM,
            seats=", ".join(f"{label(ROOM_LANGUAGE_SHORT, code)} {count}" for code, count in seats.items() if count)
            or "0"))

    def retranslate(self) -> None:
        self.heading.setText(_("Room fund (п. 80–82)"))
        self.room_box.setTitle(_("Room"))
        self.use_box.setTitle(_("Use in a stream"))
        for widget, text in zip(self.form_labels, (_("Number"), _("Desks"), _("Seats"), _("Ventilation"),
                                                   _("Jammers"), _("Cameras"), _("Building")), strict=True):
            widget.setText(text)
        for widget, text in zip(self.use_labels, (_("Stream"), _("Language status"), _("Reserve room")), strict=True):
            widget.setText(text)
        for index in range(self.ventilation.count()):
            self.ventilation.setItemText(index, label(VENTILATION, str(self.ventilation.itemData(index))))
        self.language.setItemText(0, _("not used in this stream"))
        for index in range(1, self.language.count()):
            self.language.setItemText(index, label(ROOM_LANGUAGE, str(self.language.itemData(index))))
        self.reserve.setText(_("reserve room"))
        self.new_button.setText(_("New"))
        self.add_button.setText(_("Add room"))
        self.save_button.setText(_("Save changes"))
        self.remove_button.setText(_("Remove"))
        self.apply_use.setText(_("Apply to this stream"))
        self.signs_button.setText(_("Room signs (прил. 11)…"))
        self.scheme_button.setText(_("Seat scheme (прил. 12)…"))
        for index, stream in enumerate(self.streams):
            if index < self.stream.count():
                self.stream.setItemText(index, _stream_text(stream))
        self.form_language.retranslate()
        self.model.retranslate()
        self._render_building_note()
        self._check_room()
        self._check_use()


def _stream_text(stream: StreamRow) -> str:
    return _("Stream {stream} — {date}").format(stream=stream.number, date=stream.exam_date.strftime("%d.%m.%Y"))


def rooms_page(context: ShellContext) -> RoomsPage:
    return RoomsPage(context)
