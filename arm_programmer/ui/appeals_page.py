"""The appeals of a stream (ch. 32–39, п. 181–213): the deadline and what blocks closing, an application registered in
the chair's presence, the local commission's vote (content) or proposal by the fills against 50 % (technical, with
the fresh scan and the ``explain`` pictures side by side), «не явился», the file to НЦТ, the Republican commission's
decisions taken, closing, the results with appeal sent and the appeal forms printed — the services of ``appeal
add|vote|rescan|propose|no-show|close|print``, ``send appeals``, ``package open`` and ``send final-results``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QDateTime, QSize, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from arm_programmer.appeal_print_service import APPEAL_FORMS
from arm_programmer.appeal_records import MARKED_SHARE, AppealKind, AppealRecord, AppealState, TaskDecision
from arm_programmer.appeal_view import AppealsView, TaskPictures, appeals_view, take_decisions, tested_subjects
from arm_programmer.day import stream_numbers
from arm_programmer.ui.stream_choice import stream_header
from common.codebook import APPEAL_GROUND_TEXTS, AppealGround
from common.db.base import utc_now
from common.i18n import N_, _
from common.reports import PrintedForm
from common.security.audit import AuditLog
from common.ui.page import PrintPage, secret_box
from common.ui.shell import ShellContext
from common.ui.widgets import browse_into

KIND_NAMES = {AppealKind.CONTENT: N_("on the content of tasks"), AppealKind.TECHNICAL: N_("on technical grounds")}
SHORT_KINDS = {AppealKind.CONTENT: N_("content"), AppealKind.TECHNICAL: N_("technical")}
STATE_NAMES = {AppealState.REGISTERED: N_("registered"), AppealState.NO_SHOW: N_("«не явился»"),
               AppealState.DECIDED: N_("«решение принято»")}
DECISION_NAMES = {TaskDecision.PENDING: N_("pending"), TaskDecision.SATISFIED: N_("«удовлетворено»"),
                  TaskDecision.NOT_SATISFIED: N_("«не удовлетворено»")}
PICTURE_HEIGHT = 110
PICTURE_WIDTH = 210
FILL_LINES = 3
FORM_CHARACTERS = 36
TABLE_HEIGHT = 90
PASSWORD_WIDTH = 200
SCAN_IMAGES = "*.png *.jpg *.jpeg *.tif *.tiff *.pdf"


def _item(text: str) -> QTableWidgetItem:
    return QTableWidgetItem(text)


class _Table(QTableWidget):
    """A table asking for little height: the page's stretch gives it the screen's rest (a 1366×768 screen)."""

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(super().sizeHint().width(), TABLE_HEIGHT)


class AppealsPage(PrintPage):
    def __init__(self, context: ShellContext) -> None:
        super().__init__(context)
        self.view: AppealsView | None = None
        self.pictures = TaskPictures(None, None)
        self.header = stream_header(self.body, "appeals", self.show_stream)
        self.stream, self.language, self.state = self.header.stream, self.header.language, self.header.state

        self.tabs = QTabWidget()
        self.tabs.setObjectName("appealsTabs")
        self.tabs.addTab(self._entry_tab(), "")
        self.tabs.addTab(self._list_tab(), "")
        self.body.addWidget(self.tabs, 1)
        self.body.addWidget(self._actions_box())
        self.retranslate()

    # --- building -------------------------------------------------------------------------------------------

    def _entry_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        row = QHBoxLayout()
        self.ikt_label, self.kind_label, self.chair_label, self.received_label = QLabel(), QLabel(), QLabel(), QLabel()
        self.ikt = QLineEdit()
        self.ikt.setObjectName("appealIkt")
        self.ikt.setMaximumWidth(140)
        self.ikt.editingFinished.connect(self._offer_subjects)
        self.kind = QComboBox()
        self.kind.setObjectName("appealKind")
        self.kind.currentIndexChanged.connect(lambda _index: self._offer_grounds())
        self.chair = QLineEdit()
        self.chair.setObjectName("appealChair")
        self.received = QDateTimeEdit()
        self.received.setObjectName("appealReceived")
        self.received.setDisplayFormat("dd.MM.yyyy HH:mm")
        self.received.setCalendarPopup(True)
        self.received_default = QDateTime()
        self._received_now()
        for widget in (self.ikt_label, self.ikt, self.kind_label, self.kind, self.chair_label, self.chair,
                       self.received_label, self.received):
            row.addWidget(widget)
        row.setStretch(5, 1)
        layout.addLayout(row)
        self.claims = _Table(0, 4)
        self.claims.setObjectName("appealClaims")
        self.claims.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.claims.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.claims, 1)
        buttons = QHBoxLayout()
        self.add_task_button, self.remove_task_button, self.register_button = QPushButton(), QPushButton(), \
            QPushButton()
        for button, name, slot in ((self.add_task_button, "addClaim", self.add_claim),
                                   (self.remove_task_button, "removeClaim", self.remove_claim),
                                   (self.register_button, "registerAppeal", self.register)):
            button.setObjectName(name)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        return tab

    def _list_tab(self) -> QWidget:
        tab = QWidget()
        layout = QHBoxLayout(tab)
        left = QVBoxLayout()
        self.appeals = _Table(0, 6)
        self.appeals.setObjectName("appealsList")
        self.appeals.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.appeals.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.appeals.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.appeals.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.appeals.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.appeals.itemSelectionChanged.connect(self.show_appeal)
        left.addWidget(self.appeals, 1)
        self.tasks = _Table(0, 7)
        self.tasks.setObjectName("appealTasks")
        self.tasks.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.tasks.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.tasks.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.tasks.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tasks.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.tasks.itemSelectionChanged.connect(self.show_task)
        left.addWidget(self.tasks, 1)
        layout.addLayout(left, 3)
        right = QVBoxLayout()
        self.vote_box = QWidget()
        vote = QGridLayout(self.vote_box)
        vote.setContentsMargins(0, 0, 0, 0)
        self.for_label, self.against_label = QLabel(), QLabel()
        self.votes_for, self.votes_against = QSpinBox(), QSpinBox()
        self.votes_for.setObjectName("votesFor")
        self.votes_against.setObjectName("votesAgainst")
        self.chair_vote = QComboBox()
        self.chair_vote.setObjectName("chairVote")
        self.vote_button = QPushButton()
        self.vote_button.setObjectName("voteTask")
        self.vote_button.clicked.connect(self.vote)
        vote.addWidget(self.for_label, 0, 0)
        vote.addWidget(self.votes_for, 0, 1)
        vote.addWidget(self.against_label, 0, 2)
        vote.addWidget(self.votes_against, 0, 3)
        vote.addWidget(self.chair_vote, 1, 0, 1, 4)
        vote.addWidget(self.vote_button, 2, 0, 1, 4)
        right.addWidget(self.vote_box)
        self.technical_box = QWidget()
        technical = QGridLayout(self.technical_box)
        technical.setContentsMargins(0, 0, 0, 0)
        self.rescan_button, self.propose_button = QPushButton(), QPushButton()
        self.rescan_button.setObjectName("rescanAppeal")
        self.rescan_button.clicked.connect(self.choose_rescan)
        self.propose_button.setObjectName("proposeTask")
        self.propose_button.clicked.connect(self.propose)
        self.defect = QCheckBox()
        self.defect.setObjectName("defectiveSheet")
        self.fills = QLabel()
        self.fills.setObjectName("taskFills")
        self.fills.setWordWrap(True)
        self.fills.setMinimumHeight(self.fills.fontMetrics().lineSpacing() * FILL_LINES)
        self.test_day_picture, self.fresh_picture = QLabel(), QLabel()
        self.test_day_picture.setObjectName("testDayPicture")
        self.fresh_picture.setObjectName("freshPicture")
        for picture in (self.test_day_picture, self.fresh_picture):
            picture.setMinimumHeight(PICTURE_HEIGHT)
            picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        technical.addWidget(self.rescan_button, 0, 0, 1, 2)
        technical.addWidget(self.defect, 1, 0)
        technical.addWidget(self.propose_button, 1, 1)
        technical.addWidget(self.fills, 2, 0, 1, 2)
        technical.addWidget(self.test_day_picture, 3, 0)
        technical.addWidget(self.fresh_picture, 3, 1)
        right.addWidget(self.technical_box)
        self.no_show_button = QPushButton()
        self.no_show_button.setObjectName("noShow")
        self.no_show_button.clicked.connect(self.no_show)
        right.addWidget(self.no_show_button)
        right.addStretch(1)
        layout.addLayout(right, 2)
        return tab

    def _actions_box(self) -> QGroupBox:
        self.actions_box = QGroupBox()
        grid = QGridLayout(self.actions_box)
        self.password_label, self.package_label = QLabel(), QLabel()
        self.password = secret_box("appealsPassword")
        self.password.setMaximumWidth(PASSWORD_WIDTH)
        self.package = QLineEdit()
        self.package.setObjectName("decisionsPackage")
        self.browse_button = QPushButton()
        self.browse_button.setObjectName("browseDecisions")
        self.browse_button.clicked.connect(
            lambda: browse_into(self, self.package, _("The Republican commission's decisions"), "*.entpkg"))
        self.send_button, self.take_button, self.close_button = QPushButton(), QPushButton(), QPushButton()
        self.final_button, self.print_button = QPushButton(), QPushButton()
        self.form = QComboBox()
        self.form.setObjectName("appealForm")
        self.form.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.form.setMinimumContentsLength(FORM_CHARACTERS)
        for button, name, slot in ((self.send_button, "sendAppeals", self.send_appeals),
                                   (self.take_button, "takeDecisions", self.take_decisions),
                                   (self.close_button, "closeAppeals", self.close_appeals),
                                   (self.final_button, "sendFinalResults", self.send_final_results),
                                   (self.print_button, "printAppealForm", self.print_form)):
            button.setObjectName(name)
            button.clicked.connect(slot)
        grid.addWidget(self.password_label, 0, 0)
        grid.addWidget(self.password, 0, 1)
        grid.addWidget(self.send_button, 0, 2)
        grid.addWidget(self.close_button, 0, 3)
        grid.addWidget(self.final_button, 0, 4)
        grid.addWidget(self.package_label, 1, 0)
        grid.addWidget(self.package, 1, 1, 1, 2)
        grid.addWidget(self.browse_button, 1, 3)
        grid.addWidget(self.take_button, 1, 4)
        grid.addWidget(self.form, 2, 0, 1, 3)
        grid.addWidget(self.print_button, 2, 3)
        grid.setColumnStretch(5, 1)
        return self.actions_box

    # --- showing --------------------------------------------------------------------------------------------

    def reload(self) -> None:
        if self.received.dateTime() == self.received_default:  # still "now": shown as now again
            self._received_now()
        self.stream.offer(self.read(stream_numbers) or [])
        self.show_stream()

    def show_stream(self) -> None:
        number = self.header.chosen()
        chosen = self.selected_number()
        self.appeals.setRowCount(0)
        if number is None:
            self.view = None
            self.show_appeal()
            return
        self.view = self.read(lambda session: appeals_view(session, number))
        if self.view is None:
            self.state.setText("")
            self.show_appeal()
            return
        self.state.setText("\n".join(self.view.lines))
        self.appeals.blockSignals(True)
        self.appeals.setRowCount(len(self.view.records))
        for index, record in enumerate(self.view.records):
            values = (str(record.number), record.ikt, self.view.names.get(record.ikt, ""), _(SHORT_KINDS[record.kind]),
                      _(STATE_NAMES[record.state]), self.view.totals.get(record.ikt, ""))
            for column, value in enumerate(values):
                self.appeals.setItem(index, column, _item(value))
            if record.number == chosen:
                self.appeals.selectRow(index)
        self.appeals.blockSignals(False)
        self.show_appeal()

    def selected_number(self) -> int | None:
        rows = self.appeals.selectionModel().selectedRows() if self.appeals.selectionModel() else []
        if not rows:
            return None
        item = self.appeals.item(rows[0].row(), 0)
        return None if item is None else int(item.text())

    def selected_record(self) -> AppealRecord | None:
        number = self.selected_number()
        if self.view is None or number is None:
            return None
        return next((record for record in self.view.records if record.number == number), None)

    def select_appeal(self, number: int) -> None:
        for row in range(self.appeals.rowCount()):
            item = self.appeals.item(row, 0)
            if item is not None and item.text() == str(number):
                self.appeals.selectRow(row)
                return

    def show_appeal(self) -> None:
        record = self.selected_record()
        self.tasks.blockSignals(True)
        self.tasks.setRowCount(0 if record is None else len(record.tasks))
        for index, task in enumerate(() if record is None else record.tasks):
            if record is not None and record.kind is AppealKind.CONTENT:
                if task.votes_for is None:
                    vote = ""
                else:
                    vote = _("{votes_for} for, {votes_against} against").format(votes_for=task.votes_for,
                                                                             votes_against=task.votes_against)
                    if task.chair_for is not None and task.votes_for == task.votes_against:
                        vote += "; " + (_("the chair for") if task.chair_for else _("the chair against"))
            else:
                vote = ""
            proposed = "" if task.proposed_points is None else _("proposed {points}").format(
                points=task.proposed_points)
            decided = _(DECISION_NAMES[task.decision])
            if task.decided_points is not None:
                decided += f" ({task.decided_points})"
            values = (f"{task.subject}:{task.task}", task.marks or "—", task.correct,
                      f"{task.points} / {task.max_points}", "; ".join(part for part in (vote, proposed) if part),
                      _(APPEAL_GROUND_TEXTS[task.ground]), decided)
            for column, value in enumerate(values):
                self.tasks.setItem(index, column, _item(value))
                self.tasks.item(index, column).setToolTip(value)  # the ground's whole text where it is cut
        if record is not None and record.tasks:
            self.tasks.selectRow(0)
        self.tasks.blockSignals(False)
        content = record is not None and record.kind is AppealKind.CONTENT
        technical = record is not None and record.kind is AppealKind.TECHNICAL
        self.vote_box.setVisible(content)
        self.technical_box.setVisible(technical)
        self.no_show_button.setEnabled(record is not None and record.state is AppealState.REGISTERED)
        self.show_task()

    def selected_task(self) -> tuple[str, int] | None:
        record = self.selected_record()
        rows = self.tasks.selectionModel().selectedRows() if self.tasks.selectionModel() else []
        if record is None or not rows or rows[0].row() >= len(record.tasks):
            return None
        task = record.tasks[rows[0].row()]
        return task.subject, task.task

    def show_task(self) -> None:
        """The technical task's fills against 50 % side by side and its ``explain`` pictures."""
        record, chosen = self.selected_record(), self.selected_task()
        self.fills.setText("")
        self.test_day_picture.clear()
        self.fresh_picture.clear()
        if record is None or chosen is None or record.kind is not AppealKind.TECHNICAL:
            return
        task = next(item for item in record.tasks if (item.subject, item.task) == chosen)
        def shown(fills: Mapping[str, float]) -> str:
            return "   ".join(f"{letter} {value:.0%}" + (" ✓" if value >= MARKED_SHARE else "")
                              for letter, value in sorted(fills.items())) or "—"

        self.fills.setText("\n".join((
            _("The bubbles' fills (marked from {share:.0%}, п. 196):").format(share=MARKED_SHARE),
            _("test day: {fills}").format(fills=shown(task.fills)),
            _("fresh scan: {fills}").format(fills=shown(task.appeal_fills)))))
        number, stream = record.number, self.stream.number()
        if stream is None:
            return
        from arm_programmer.appeal_view import task_pictures

        pictures = self.read(lambda session: task_pictures(session, self.db.folder.scans, stream, number, *chosen))
        self.pictures = pictures or TaskPictures(None, None)
        for label, data, missing in ((self.test_day_picture, self.pictures.test_day, _("No test-day image")),
                                     (self.fresh_picture, self.pictures.fresh, _("No fresh scan yet"))):
            if data is None:
                label.setText(missing)
                continue
            pixmap = QPixmap()
            pixmap.loadFromData(data)
            label.setPixmap(pixmap.scaled(PICTURE_WIDTH, PICTURE_HEIGHT, Qt.AspectRatioMode.KeepAspectRatio,
                                         Qt.TransformationMode.SmoothTransformation))

    # --- the entry table --------------------------------------------------------------------------------------

    def _received_now(self) -> None:
        """The received time shows now; left so, the application is received at the moment it is registered."""
        self.received.setDateTime(QDateTime.currentDateTime())
        self.received_default = self.received.dateTime()

    def chosen_kind(self) -> AppealKind:
        return AppealKind(str(self.kind.currentData()))

    def _subjects(self) -> list[str]:
        number = self.stream.number()
        ikt = self.ikt.text().strip()
        if number is None or not ikt:
            return []
        return self.read(lambda session: tested_subjects(session, number, ikt)) or []

    def _offer_subjects(self) -> None:
        subjects = self._subjects()
        for row in range(self.claims.rowCount()):
            combo = self.claims.cellWidget(row, 0)
            if isinstance(combo, QComboBox):
                chosen = combo.currentText()
                combo.clear()
                combo.addItems(subjects)
                if chosen in subjects:
                    combo.setCurrentText(chosen)

    def _offer_grounds(self) -> None:
        technical = self.chosen_kind() is AppealKind.TECHNICAL
        for row in range(self.claims.rowCount()):
            combo = self.claims.cellWidget(row, 2)
            if isinstance(combo, QComboBox):
                chosen = combo.currentData()
                combo.clear()
                for ground, text in APPEAL_GROUND_TEXTS.items():
                    if ground.technical == technical:
                        combo.addItem(_(text), ground.value)
                combo.setCurrentIndex(max(0, combo.findData(chosen)))

    def add_claim(self) -> None:
        row = self.claims.rowCount()
        self.claims.insertRow(row)
        subject = QComboBox()
        subject.setObjectName(f"claimSubject{row}")
        subject.addItems(self._subjects())
        task = QSpinBox()
        task.setObjectName(f"claimTask{row}")
        task.setRange(1, 120)
        ground = QComboBox()
        ground.setObjectName(f"claimGround{row}")
        claimed = QLineEdit()
        claimed.setObjectName(f"claimLetters{row}")
        claimed.setMaxLength(8)
        for column, widget in enumerate((subject, task, ground, claimed)):
            self.claims.setCellWidget(row, column, widget)
        self._offer_grounds()

    def remove_claim(self) -> None:
        if self.claims.rowCount():
            self.claims.removeRow(self.claims.rowCount() - 1)

    def set_claim(self, row: int, subject: str, task: int, ground: AppealGround, letters: str = "") -> None:
        """Fill a row of the disputed tasks (the test's hand on the combos)."""
        subject_box, task_box, ground_box, letters_box = (self.claims.cellWidget(row, column) for column in range(4))
        assert isinstance(subject_box, QComboBox) and isinstance(task_box, QSpinBox)
        assert isinstance(ground_box, QComboBox) and isinstance(letters_box, QLineEdit)
        subject_box.setCurrentIndex(subject_box.findText(subject))
        task_box.setValue(task)
        ground_box.setCurrentIndex(ground_box.findData(ground.value))
        letters_box.setText(letters)

    def _claims(self) -> list[str]:
        texts = []
        for row in range(self.claims.rowCount()):
            subject, task, ground, letters = (self.claims.cellWidget(row, column) for column in range(4))
            assert isinstance(subject, QComboBox) and isinstance(task, QSpinBox)
            assert isinstance(ground, QComboBox) and isinstance(letters, QLineEdit)
            parts = [subject.currentText(), str(task.value()), str(ground.currentData())]
            if letters.text().strip():
                parts.append(letters.text().strip())
            texts.append(":".join(parts))
        return texts

    # --- actions ----------------------------------------------------------------------------------------------

    def _audit(self) -> AuditLog:
        return AuditLog(self.db.folder.audit_log)

    def register(self) -> None:
        from arm_programmer.appeals import add_appeal, parse_claim

        number = self.stream.number()
        if number is None:
            return
        ikt, kind, chair = self.ikt.text().strip(), self.chosen_kind(), self.chair.text()
        # left as shown, the time is the moment of registering (shown to the minute, it would fall before the
        # announcement when both are in the same minute)
        received = utc_now() if self.received.dateTime() == self.received_default else datetime.fromtimestamp(
            self.received.dateTime().toSecsSinceEpoch()).astimezone()
        audit = self._audit()

        def work(session: Session) -> str:
            claims = [parse_claim(text) for text in self._claims()]
            appeal = add_appeal(session, number, ikt, kind, claims, chair=chair, received_by=self.db.actor,
                                received_at=received, actor=self.db.actor, audit=audit)
            text = _("Stream {stream}: application number {number} registered ({tasks} task(s)).").format(
                stream=number, number=appeal.number, tasks=len(claims))
            decided = sum(1 for task in appeal.tasks if task.decision != TaskDecision.PENDING.value)
            if decided:
                text += " " + _("{count} task(s) answered right: «не удовлетворено» at once (п. 197).").format(
                    count=decided)
            return text

        if self.act(work, lambda text: text) is not None:
            self.ikt.clear()
            self.claims.setRowCount(0)
            self._received_now()

    def _on_selected(self, work: str) -> tuple[int, int, tuple[str, int] | None] | None:
        number, record = self.stream.number(), self.selected_record()
        if number is None or record is None:
            self.show_problem(_("Choose an application in the list first."))
            return None
        return number, record.number, self.selected_task() if work == "task" else None

    def vote(self) -> None:
        from arm_programmer.appeals import vote

        chosen = self._on_selected("task")
        if chosen is None or chosen[2] is None:
            return
        stream, number, (subject, task) = chosen[0], chosen[1], chosen[2]
        votes_for, votes_against = self.votes_for.value(), self.votes_against.value()
        chair = self.chair_vote.currentData()
        audit = self._audit()
        self.act(lambda session: vote(session, stream, number, subject, task, votes_for, votes_against,
                                      None if chair is None else bool(chair), actor=self.db.actor, audit=audit),
                 lambda proposal: proposal.reason)
        self.select_appeal(number)

    def propose(self) -> None:
        from arm_programmer.appeals import propose

        chosen = self._on_selected("task")
        if chosen is None or chosen[2] is None:
            return
        stream, number, (subject, task) = chosen[0], chosen[1], chosen[2]
        defect = self.defect.isChecked()
        audit = self._audit()
        self.act(lambda session: propose(session, stream, number, subject, task, defect=defect, actor=self.db.actor,
                                         audit=audit), lambda proposal: proposal.reason)
        self.select_appeal(number)

    def choose_rescan(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(self, _("The fresh scan of the appeal's sheet"), "",
                                                      f"{_('Images and PDF')} ({SCAN_IMAGES})")
        if chosen:
            self.rescan(Path(chosen))

    def rescan(self, image: Path) -> None:
        from arm_programmer.appeals import rescan

        chosen = self._on_selected("appeal")
        if chosen is None:
            return
        stream, number = chosen[0], chosen[1]
        audit = self._audit()
        scans = self.db.folder.scans
        self.act(lambda session: rescan(session, scans, stream, number, image, actor=self.db.actor, audit=audit)
                 .appeal_image, lambda kept: _("Appeal {number}: the fresh scan is kept ({image}) and read.").format(
                     number=number, image=kept))
        self.select_appeal(number)

    def no_show(self) -> None:
        from arm_programmer.appeals import no_show

        chosen = self._on_selected("appeal")
        if chosen is None:
            return
        stream, number = chosen[0], chosen[1]
        audit = self._audit()
        self.act(lambda session: no_show(session, stream, number, actor=self.db.actor, audit=audit),
                 _("Appeal {number}: «не явился» (п. 192).").format(number=number))

    def send_appeals(self) -> None:
        from arm_programmer.appeal_exchange import SentAppeals, send_appeals

        number = self.stream.number()
        if number is None:
            return
        audit, folder = self._audit(), self.db.folder

        def finished(sent: SentAppeals) -> None:
            self.show_done(_("The appeals of stream {stream} ({count} application(s), {images} image(s)) are sealed "
                             "for НЦТ: {path}").format(stream=number, count=sent.appeals, images=sent.images,
                                                      path=sent.path))

        self.send_sealed(self.password, lambda session, password: send_appeals(
            session, folder.scans, folder.outbox, number, password=password, actor=self.db.actor, audit=audit),
            finished, _("Sealing the appeals…"))

    def take_decisions(self) -> None:
        password = self.password.text()
        if not password:
            self.show_problem(_("Type the workstation's password (from the enrolment sheet)."))
            return
        self.password.clear()
        if self.take_package_file(Path(self.package.text().strip()), password, take_decisions) is not None:
            self.package.clear()
        self.reload()

    def close_appeals(self) -> None:
        from arm_programmer.appeal_exchange import close_appeals

        number = self.stream.number()
        if number is None:
            return
        audit = self._audit()
        self.act(lambda session: close_appeals(session, number, actor=self.db.actor, audit=audit),
                 _("The appeals of stream {stream} are closed (п. 209).").format(stream=number))

    def send_final_results(self) -> None:
        from arm_programmer.appeal_exchange import SentFinalResults, send_final_results

        number = self.stream.number()
        if number is None:
            return
        audit, outbox = self._audit(), self.db.folder.outbox

        def finished(sent: SentFinalResults) -> None:
            self.show_done(_("The results with appeal of stream {stream} ({changes} change(s)) are sealed for НЦТ: "
                             "{path}").format(stream=number, changes=len(sent.payload["changes"]), path=sent.path))

        self.send_sealed(self.password, lambda session, password: send_final_results(
            session, outbox, number, password=password, actor=self.db.actor, audit=audit),
            finished, _("Sealing the results with appeal…"))

    def print_form(self) -> None:
        """Print the chosen form; the statement with appeal (прил. 3) is signed with the typed password."""
        from arm_programmer.appeal_print_service import print_appeal_form

        number, form, language = self.stream.number(), str(self.form.currentData()), str(self.language.currentData())
        if number is None:
            return
        folder = self.db.folder
        if form == "statement":
            self.send_sealed(self.password, lambda session, password: print_appeal_form(
                session, folder, number, form, language, actor=self.db.actor, password=password),
                self.show_printed, _("Printing…"))
            return

        def work() -> list[PrintedForm]:
            with self.db.transaction() as session:
                return print_appeal_form(session, folder, number, form, language, actor=self.db.actor)

        self.in_background(work, self.show_printed, _("Printing…"))

    # --- texts ------------------------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.heading.setText(_("Appeals"))
        self.header.retranslate()
        self.tabs.setTabText(0, _("Register an application"))
        self.tabs.setTabText(1, _("Applications"))
        self.ikt_label.setText(_("ИКТ"))
        self.kind_label.setText(_("Kind"))
        self.chair_label.setText(_("Chair (п. 200)"))
        self.received_label.setText(_("Received"))
        chosen_kind = self.kind.currentData()
        self.kind.blockSignals(True)
        self.kind.clear()
        for kind, text in KIND_NAMES.items():
            self.kind.addItem(_(text), kind.value)
        self.kind.setCurrentIndex(max(0, self.kind.findData(chosen_kind)))
        self.kind.blockSignals(False)
        self.claims.setHorizontalHeaderLabels([_("Subject"), _("Task"), _("Ground (п. 195)"), _("Claimed letters")])
        self._offer_grounds()
        self.add_task_button.setText(_("Add a task"))
        self.remove_task_button.setText(_("Remove the last task"))
        self.register_button.setText(_("Register the application"))
        self.appeals.setHorizontalHeaderLabels([_("No."), _("ИКТ"), _("Surname, name, patronymic"), _("Kind"),
                                                _("State"), _("Total")])
        self.tasks.setHorizontalHeaderLabels([_("Task"), _("Marks"), _("Code"), _("Points"),
                                              _("Commission"), _("Ground"), _("Decision")])
        self.for_label.setText(_("For"))
        self.against_label.setText(_("Against"))
        chair = self.chair_vote.currentIndex()
        self.chair_vote.clear()
        self.chair_vote.addItem(_("no tie"), None)
        self.chair_vote.addItem(_("the chair votes for"), True)
        self.chair_vote.addItem(_("the chair votes against"), False)
        self.chair_vote.setCurrentIndex(max(0, chair))
        self.vote_button.setText(_("Record the vote (п. 194)"))
        self.rescan_button.setText(_("Fresh scan from a file…"))
        self.defect.setText(_("defective sheet"))
        self.propose_button.setText(_("Propose (п. 196)"))
        self.no_show_button.setText(_("«не явился» (п. 192)"))
        self.actions_box.setTitle(_("НЦТ, closing and prints"))
        self.password_label.setText(_("Workstation password:"))
        self.package_label.setText(_("Decisions package:"))
        self.browse_button.setText(_("Choose…"))
        self.send_button.setText(_("Send the appeals to НЦТ"))
        self.take_button.setText(_("Take the decisions"))
        self.close_button.setText(_("Close the appeals"))
        self.final_button.setText(_("Send the results with appeal"))
        form = self.form.currentData()
        self.form.clear()
        for key, text in APPEAL_FORMS.items():
            self.form.addItem(_(text), key)
        self.form.setCurrentIndex(max(0, self.form.findData(form)))
        self.print_button.setText(_("Print"))
        self.reload()

