"""Answer sheets by room, twice (п. 156.1): the stream's rooms (pass 1, pass 2, rescans, differences open, sheets
not scanned); scan a room's envelope from the capture folder or the simulated scanner with a page counter; the
differences between the passes side by side with both pictures from ``common.omr.explain``; a decision on one.
The same services as ``scan``, ``passes diff`` and ``passes resolve`` (``arm_programmer.sheets``)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
)
from sqlalchemy.orm import Session

from arm_programmer.day import stream_numbers
from arm_programmer.sheets import (
    Difference,
    PassCounts,
    RoomPassSink,
    answer_layouts,
    differences,
    field_crops,
    refuse_before_draw,
    resolve,
    room_counts,
)
from arm_programmer.ui.stream_choice import StreamChoice
from common.i18n import N_, _
from common.scanning.driver import ScannerDriver
from common.ui.page import Page
from common.ui.shell import ShellContext

CROP_WIDTH = 300
KIND_NAMES = {"one_pass": N_("in one pass only"), "sheet_number": N_("number read differently"),
              "decision": N_("marked in one pass only"), "fill": N_("fills differ beyond the reader's error")}


class _Progress(QObject):
    page = Signal(int)


class RoomScanPage(Page):
    def __init__(self, context: ShellContext) -> None:
        super().__init__(context)
        top = QGridLayout()
        self.stream_label, self.room_label, self.pass_label, self.folder_label = (QLabel() for _i in range(4))
        self.stream = StreamChoice()
        self.stream.setObjectName("scanStream")
        self.stream.currentIndexChanged.connect(lambda _index: self._load())
        self.room = QComboBox()
        self.room.setObjectName("scanRoom")
        self.room.currentIndexChanged.connect(lambda _index: self._load_differences())
        self.pass_number = QComboBox()
        self.pass_number.setObjectName("scanPass")
        self.folder = QLineEdit()
        self.folder.setObjectName("scanFolder")
        self.browse = QPushButton()
        self.browse.setObjectName("scanBrowse")
        self.browse.clicked.connect(self._browse)
        self.scan_folder = QPushButton()
        self.scan_folder.setObjectName("scanFromFolder")
        self.scan_folder.clicked.connect(lambda: self.scan(simulated=False))
        self.scan_simulated = QPushButton()
        self.scan_simulated.setObjectName("scanSimulated")
        self.scan_simulated.clicked.connect(lambda: self.scan(simulated=True))
        self.progress = QProgressBar()
        self.progress.setObjectName("scanProgress")
        self.progress.setFormat("%v")
        top.addWidget(self.stream_label, 0, 0)
        top.addWidget(self.stream, 0, 1)
        top.addWidget(self.room_label, 0, 2)
        top.addWidget(self.room, 0, 3)
        top.addWidget(self.pass_label, 0, 4)
        top.addWidget(self.pass_number, 0, 5)
        top.addWidget(self.folder_label, 1, 0)
        top.addWidget(self.folder, 1, 1, 1, 3)
        top.addWidget(self.browse, 1, 4)
        top.addWidget(self.scan_folder, 1, 5)
        top.addWidget(self.scan_simulated, 1, 6)
        top.addWidget(self.progress, 0, 6)
        top.setColumnStretch(1, 1)
        top.setColumnStretch(3, 1)
        self.body.addLayout(top)
        self.rooms = QTableWidget(0, 6)
        self.rooms.setObjectName("scanRooms")
        self.rooms.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.rooms.setMaximumHeight(150)
        self.body.addWidget(self.rooms)
        middle = QHBoxLayout()
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("passDifferences")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.itemSelectionChanged.connect(self._show_crops)
        middle.addWidget(self.table, 2)
        self.crop1, self.crop2 = QLabel(), QLabel()
        for name, crop in (("crop1", self.crop1), ("crop2", self.crop2)):
            crop.setObjectName(name)
            crop.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
            crop.setMinimumWidth(CROP_WIDTH // 2)
            middle.addWidget(crop, 1)
        self.body.addLayout(middle, 1)
        bottom = QHBoxLayout()
        self.value_label = QLabel()
        self.value = QLineEdit()
        self.value.setObjectName("resolveValue")
        self.resolve_button = QPushButton()
        self.resolve_button.setObjectName("resolveDifference")
        self.resolve_button.clicked.connect(self.resolve_selected)
        bottom.addWidget(self.value_label)
        bottom.addWidget(self.value, 1)
        bottom.addWidget(self.resolve_button)
        self.body.addLayout(bottom)
        self.settle_seconds, self.idle_seconds = 2.0, 10.0
        """The capture folder's settle time and the idle time that ends a pass."""
        self.shown: list[Difference] = []
        self.counts: list[PassCounts] = []
        self._progress = _Progress()
        self._progress.page.connect(self.progress.setValue)
        self.retranslate()

    # --- data -------------------------------------------------------------------------------------

    def reload(self) -> None:
        self.stream.offer(self.read(stream_numbers) or [])
        self._load()

    def _load(self) -> None:
        number = self.stream.number()
        self.counts = [] if number is None else self.read(lambda session: room_counts(session, number)) or []
        self.rooms.setRowCount(len(self.counts))
        for row, item in enumerate(self.counts):
            values = (item.room_number, item.pass1, item.pass2, item.rescans, item.differences, item.not_scanned)
            for column, value in enumerate(values):
                self.rooms.setItem(row, column, QTableWidgetItem(str(value)))
        current = self.room.currentData()
        self.room.blockSignals(True)
        self.room.clear()
        for item in self.counts:
            self.room.addItem(item.room_number, item.room_number)
        self.room.setCurrentIndex(max(self.room.findData(current), 0))
        self.room.blockSignals(False)
        self._load_differences()

    def _load_differences(self) -> None:
        number, room = self.stream.number(), self.room.currentData()
        self.shown = [] if number is None or room is None else self.read(
            lambda session: differences(session, number, str(room))) or []
        self.table.setRowCount(len(self.shown))
        for row, item in enumerate(self.shown):
            kind = _(KIND_NAMES.get(item.kind, item.kind))
            values = (item.sheet_number or "?", kind, item.bubble or item.field or "", item.pass1, item.pass2,
                      item.resolved if item.resolved is not None else "")
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.crop1.clear()
        self.crop2.clear()

    def _selected(self) -> Difference | None:
        rows = {index.row() for index in self.table.selectedIndexes()}
        return self.shown[min(rows)] if rows and min(rows) < len(self.shown) else None

    def _show_crops(self) -> None:
        item = self._selected()
        number = self.stream.number()
        if item is None or number is None:
            return
        crops = self.read(lambda session: field_crops(session, self.db.folder.scans, number, item.sheet_id,
                                                      item.field))
        for label, picture in zip((self.crop1, self.crop2), crops or (None, None), strict=True):
            if picture is None:
                label.setText(_("not in this pass"))
                continue
            pixmap = QPixmap()
            pixmap.loadFromData(picture)
            label.setPixmap(pixmap.scaledToWidth(min(CROP_WIDTH, pixmap.width()),
                                                 Qt.TransformationMode.SmoothTransformation))
        if item.field is not None and item.kind in ("decision", "fill"):
            self.value.setPlaceholderText(_("the value of {field}").format(field=item.field))

    # --- actions ----------------------------------------------------------------------------------

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, _("The scanner's capture folder"))
        if chosen:
            self.folder.setText(chosen)

    def scan(self, *, simulated: bool) -> None:
        """Scan the chosen room's envelope (the chosen pass) in the background, counting the pages."""
        number, room, pass_number = self.stream.number(), self.room.currentData(), self.pass_number.currentData()
        if number is None or room is None:
            self.show_problem(_("No room to scan: take the applicant database and draw the stream first."))
            return
        folder = Path(self.folder.text().strip()) if self.folder.text().strip() else None
        if not simulated and (folder is None or not folder.is_dir()):
            self.show_problem(_("Choose the folder the scanner's capture software writes to."))
            return
        self.progress.setRange(0, 0 if not simulated else 1)
        self.progress.setValue(0)
        pages = [0]

        def work() -> tuple[int, int]:
            from common.scanning.loop import PageEvent, scan_into

            with self.db.transaction() as session:
                refuse_before_draw(session, number)
                layout = answer_layouts(session, number)
                driver = self._driver(session, number, str(room), int(pass_number), folder, simulated)
            sink = RoomPassSink(self.db.transaction, number, str(room), int(pass_number))

            def heard(_event: PageEvent) -> None:
                pages[0] += 1
                self._progress.page.emit(pages[0])

            summary = scan_into(self.db.folder, driver, layout, sink, on_page=heard)  # a full disk: refused
            with self.db.transaction() as session:
                self.db.audit(session, "scan.room", f"{number}/{room}", pass_number=int(pass_number),
                              pages=len(summary.events), stored=summary.count("stored"),
                              rescan=summary.count("rescan"))
            return summary.count("stored"), summary.count("rescan")

        def finished(result: tuple[int, int]) -> None:
            self.progress.setRange(0, max(pages[0], 1))
            self.progress.setValue(pages[0])
            self.show_done(_("Room {room}, pass {number}: {stored} stored, {rescan} to scan again.").format(
                room=room, number=pass_number, stored=result[0], rescan=result[1]))

        self.in_background(work, finished, _("Scanning…"))

    def _driver(self, session: Session, stream: int, room: str, pass_number: int, folder: Path | None,
                simulated: bool) -> ScannerDriver:
        if simulated:
            from arm_programmer.room_simulation import room_envelope, scanner

            layout, sheets = room_envelope(session, stream, room, blanks=2)
            return scanner(layout, sheets, pass_number=pass_number)
        from common.scanning.watched_folder import WatchedFolder

        assert folder is not None
        return WatchedFolder(folder, settle_seconds=self.settle_seconds, idle_timeout=self.idle_seconds)

    def resolve_selected(self) -> None:
        item = self._selected()
        number, room = self.stream.number(), self.room.currentData()
        if item is None or number is None:
            self.show_problem(_("Choose a difference first."))
            return
        field, value = item.field or "sheet_number", self.value.text().strip()
        sheet = item.sheet_number or f"#{item.sheet_id}"

        def work(session: Session) -> str:
            decision = resolve(session, number, str(room), sheet, field, value, self.db.actor)
            self.db.audit(session, "sheet.resolved", sheet, stream=number, room=str(room),
                          field=decision.field, value=decision.value)
            return decision.value

        self.act(work, lambda decided: _("Sheet {sheet}: {field} decided as «{value}».").format(
            sheet=sheet, field=field, value=decided))

    def retranslate(self) -> None:
        self.heading.setText(_("Answer sheets by room, scanned twice"))
        self.stream_label.setText(_("Stream"))
        self.room_label.setText(_("Room"))
        self.pass_label.setText(_("Pass"))
        self.folder_label.setText(_("Capture folder"))
        current = self.pass_number.currentData()
        self.pass_number.clear()
        for number in (1, 2):
            self.pass_number.addItem(str(number), number)
        self.pass_number.setCurrentIndex(max(self.pass_number.findData(current), 0))
        self.browse.setText(_("Choose…"))
        self.scan_folder.setText(_("Scan from the folder"))
        self.scan_simulated.setText(_("Scan with the simulated scanner"))
        self.rooms.setHorizontalHeaderLabels([_("Room"), _("Pass 1"), _("Pass 2"), _("To scan again"),
                                              _("Differences open"), _("Not scanned")])
        self.table.setHorizontalHeaderLabels([_("Sheet"), _("Difference"), _("Bubble or field"), _("Pass 1"),
                                              _("Pass 2"), _("Decided")])
        self.value_label.setText(_("Value read on the sheet:"))
        self.resolve_button.setText(_("Decide"))
        self.reload()
