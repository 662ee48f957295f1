"""The demo's launcher window: the exam's steps in order, grouped by stage, run one by one or to the end, and each
step's workstation window opened on the folder the steps have filled so far.

A step runs in the launcher's worker process (:mod:`ent_demo.step_worker`; the window stays responsive); what it
prints — the same lines ``--auto`` prints — shows in the pane below the list. The programs' own buttons stay at the
bottom, as before.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QProcess, QProcessEnvironment, Qt
from PySide6.QtGui import QBrush, QCloseEvent, QColor, QFont, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from common import i18n
from common.errors import Refused
from common.i18n import N_, _
from common.ui.app import application
from common.ui.shell import LANGUAGE_NAMES, switch_language
from common.workstation import Workstation
from ent_demo import demo_folder
from ent_demo.demo_folder import FolderState
from ent_demo.scenario import Scene
from ent_demo.step_worker import DONE, STEPS, load_steps

WAITING, RUNNING, OK, FAILED = "waiting", "running", "ok", "failed"
STATE_TEXT = {WAITING: N_("waiting"), RUNNING: N_("running…"), OK: N_("ok"), FAILED: N_("FAILED")}
STATE_COLOUR = {WAITING: "#555555", RUNNING: "#1d4ed8", OK: "#15803d", FAILED: "#b91c1c"}
STEP = Qt.ItemDataRole.UserRole


class Launcher(QWidget):
    def __init__(self, root: Path, programs: tuple[Workstation, ...], steps: str = STEPS) -> None:
        """``steps`` names the step list (``module:function``): the exam's, or a test's."""
        super().__init__()
        self.root = root
        self.programs = programs
        self.steps_name = steps
        self.make_steps = load_steps(steps)
        self.steps = self.make_steps(Scene(root))  # the titles; the worker process runs them
        self.states = [WAITING] * len(self.steps)
        self.outputs = [""] * len(self.steps)
        self.next_index = 0
        self.running: int | None = None
        self.worker: QProcess | None = None
        self._unread = b""
        self.to_the_end = False
        self.close_when_done = False
        self.found = demo_folder.state(root)
        """What the folder held when the launcher opened (or after "Start again"): steps over a filled folder
        run only once the user has said so."""
        self.over_filled_confirmed = False
        self.language_code = i18n.current_language()
        self.setObjectName("launcher")
        self._build()
        unsubscribe = i18n.on_language_changed(self._language_changed)
        self.destroyed.connect(lambda *_: unsubscribe())  # a closed launcher hears no more switches
        self.retranslate()
        self._select(0)

    # ---- layout ---------------------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.language = QComboBox()
        self.language.setObjectName("language")
        for code in i18n.LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[code], code)
        self.language.setCurrentIndex(self.language.findData(i18n.current_language()))
        self.language.currentIndexChanged.connect(lambda _index: switch_language(str(self.language.currentData())))
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.language)
        layout.addLayout(top)

        self.notice_frame = QFrame()
        self.notice_frame.setObjectName("notice")
        self.notice_frame.setStyleSheet("QFrame#notice { background: #fff7d6; border: 1px solid #e0c36a; }")
        notice = QHBoxLayout(self.notice_frame)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.start_again_button = QPushButton()
        self.start_again_button.setObjectName("start-again")
        self.start_again_button.clicked.connect(self.start_again)
        notice.addWidget(self.notice, 1)
        notice.addWidget(self.start_again_button)
        layout.addWidget(self.notice_frame)

        self.tree = QTreeWidget()
        self.tree.setObjectName("steps")
        self.tree.setColumnCount(4)
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(False)
        self.tree.setWordWrap(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        header.sectionResized.connect(lambda *_: self.tree.doItemsLayout())  # wrapped titles take their height
        self.tree.currentItemChanged.connect(lambda *_: self._selection_changed())
        self.step_items: list[QTreeWidgetItem] = []
        self.stage_items: list[tuple[QTreeWidgetItem, str]] = []
        self._fill_tree()

        self.output = QPlainTextEdit()
        self.output.setObjectName("output")
        self.output.setReadOnly(True)
        self.output.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.output_label = QLabel()
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.output_label)
        lower_layout.addWidget(self.output, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.tree)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([360, 200])

        actions = QHBoxLayout()
        self.next_button = QPushButton()
        self.next_button.setObjectName("run-next")
        self.next_button.clicked.connect(self.run_next)
        self.all_button = QPushButton()
        self.all_button.setObjectName("run-all")
        self.all_button.clicked.connect(self.run_to_the_end)
        self.open_button = QPushButton()
        self.open_button.setObjectName("open-window")
        self.open_button.clicked.connect(self.open_selected)
        self.progress = QProgressBar()
        self.progress.setRange(0, len(self.steps))
        self.progress.setFormat("%v / %m")
        for button in (self.next_button, self.all_button, self.open_button):
            button.setMinimumHeight(36)
            actions.addWidget(button)
        actions.addWidget(self.progress, 1)
        layout.addLayout(actions)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)

        self.programs_label = QLabel()
        layout.addWidget(self.programs_label)
        grid = QGridLayout()
        self.buttons: list[QPushButton] = []
        for index, program in enumerate(self.programs):
            button = QPushButton()
            button.setMinimumHeight(48)
            button.clicked.connect(lambda _checked=False, p=program: self.open_program(p))
            grid.addWidget(button, 0, index)
            self.buttons.append(button)
        layout.addLayout(grid)
        self.footer = QLabel()
        self.footer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.footer)

    def _fill_tree(self) -> None:
        """A row per stage, bold and across the columns, then a row per step of it."""
        stage_font = QFont(self.tree.font())
        stage_font.setBold(True)
        for index, step in enumerate(self.steps):
            if not self.stage_items or step.stage != self.stage_items[-1][1]:
                stage = QTreeWidgetItem(self.tree)
                stage.setFlags(Qt.ItemFlag.ItemIsEnabled)
                stage.setFont(0, stage_font)
                stage.setFirstColumnSpanned(True)
                self.stage_items.append((stage, step.stage))
            item = QTreeWidgetItem(self.tree)
            item.setData(0, STEP, index)
            item.setTextAlignment(0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            for column in (1, 2, 3):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            self.step_items.append(item)

    # ---- texts ----------------------------------------------------------------------------------------------
    def _language_changed(self, language: str) -> None:
        self.language_code = language
        self.retranslate()

    def retranslate(self) -> None:
        self.steps = self.make_steps(Scene(self.root))  # the steps' titles are translated when they are made
        self.setWindowTitle(_("ent-arm demo"))
        self.heading.setText(_("Unified National Testing — a demo exam, step by step"))
        self.tree.setHeaderLabels(["№", _("Step"), _("Workstation"), _("State")])
        for stage, key in self.stage_items:
            stage.setText(0, _(key) if key else "")
        for index, (item, step) in enumerate(zip(self.step_items, self.steps, strict=True)):
            item.setText(0, f"{index + 1}.")
            item.setText(1, step.title)
            item.setText(2, _(step.workstation.title) if step.workstation else _("every workstation"))
            self._show_state(index)
        self.next_button.setText(_("Run next step"))
        self.all_button.setText(_("Run to the end"))
        self.start_again_button.setText(_("Start again…"))
        self.programs_label.setText(_("The workstations' windows, on the demo's folders:"))
        for button, program in zip(self.buttons, self.programs, strict=True):
            button.setText(f"{_(program.title)}\n{program.program}")
        self.footer.setText(_("Demo folder: {path}").format(path=self.root))
        self._show_notice()
        self._selection_changed()
        self._enable()

    def _show_state(self, index: int) -> None:
        item, state = self.step_items[index], self.states[index]
        item.setText(3, _(STATE_TEXT[state]))
        item.setForeground(3, QBrush(QColor(STATE_COLOUR[state])))
        self.progress.setValue(self.states.count(OK))

    def _show_notice(self) -> None:
        if self.found is FolderState.FINISHED:
            when = demo_folder.finished_at(self.root)
            self.notice.setText(_("This folder already holds a finished demo (finished {when}). Open a "
                                  "workstation's window to look at it, run the steps again over it, or start "
                                  "again with an empty folder.").format(when=when or "?"))
        elif self.found is FolderState.STARTED:
            self.notice.setText(_("This folder holds a demo that did not run to its end. The steps run again from "
                                  "the first, each seeing what is already done, or start again with an empty "
                                  "folder."))
        self.notice_frame.setVisible(self.found is not FolderState.EMPTY)

    # ---- selection and windows ------------------------------------------------------------------------------
    def _select(self, index: int) -> None:
        if 0 <= index < len(self.step_items):
            self.tree.setCurrentItem(self.step_items[index])
            self.tree.scrollToItem(self.step_items[index])

    def selected(self) -> int | None:
        item = self.tree.currentItem()
        value = item.data(0, STEP) if item is not None else None
        return int(value) if value is not None else None

    def _selection_changed(self) -> None:
        index = self.selected()
        workstation = self.steps[index].workstation if index is not None else None
        self.open_button.setEnabled(workstation is not None)
        self.open_button.setText(_("Open window: {workstation}").format(workstation=_(workstation.title))
                                 if workstation is not None else _("Open window"))
        self.open_button.setToolTip("" if workstation is not None else
                                    _("This step works over every workstation: open one of them below."))
        if index is None:
            return
        self.output_label.setText(_("Output of step {number}. {title}").format(
            number=index + 1, title=self.steps[index].title))
        self.output.setPlainText(self.outputs[index])
        self.output.setPlaceholderText(_("This step has not run yet."))
        self.output.moveCursor(self.output.textCursor().MoveOperation.End)

    def open_selected(self) -> None:
        index = self.selected()
        workstation = self.steps[index].workstation if index is not None else None
        if workstation is not None:
            self.open_program(workstation)

    def open_program(self, program: Workstation) -> None:
        if not program.has_window:
            self._say(_("{workstation} has no window: its work is the {program} commands the step printed, "
                        "shown below.").format(workstation=_(program.title), program=program.program))
            return
        folder = self.root / program.code
        QProcess.startDetached(sys.executable, ["-m", program.package, "--data-dir", str(folder)])
        self._say(_("{workstation} opens on {path}.").format(workstation=_(program.title), path=folder))

    def _say(self, text: str, problem: bool = False) -> None:
        self.message.setStyleSheet("color: #b91c1c; font-weight: bold;" if problem else "")
        self.message.setText(text)

    # ---- running --------------------------------------------------------------------------------------------
    def _enable(self) -> None:
        idle = self.running is None
        more = self.next_index < len(self.steps)
        self.next_button.setEnabled(idle and more)
        self.all_button.setEnabled(idle and more)
        self.start_again_button.setEnabled(idle)
        self.language.setEnabled(idle)

    def run_next(self) -> None:
        self.to_the_end = False
        self._start()

    def run_to_the_end(self) -> None:
        self.to_the_end = True
        self._start()

    def _may_run(self) -> bool:
        """Steps over a folder that held a demo run only once the user agreed (they see what is done there, as
        ``--auto`` on a second run does); "Start again" is the other way."""
        if self.found is FolderState.EMPTY or self.over_filled_confirmed:
            return True
        question = (_("This folder already holds a finished demo. Run its steps again over it? Each step sees "
                      "what is already done there and does not do it twice, as --auto does on a second run. "
                      "\"Start again\" begins with an empty folder instead.")
                    if self.found is FolderState.FINISHED else
                    _("This folder holds a demo that did not run to its end. Run the steps again from the first? "
                      "Each step sees what is already done there and does not do it twice. \"Start again\" "
                      "begins with an empty folder instead."))
        if not self._confirm(question, _("Run over it"), QMessageBox.ButtonRole.AcceptRole):
            return False
        self.over_filled_confirmed = True
        demo_folder.forget_finished(self.root)  # finished again only when every step succeeds again
        return True

    def _start(self) -> None:
        if self.running is not None or self.next_index >= len(self.steps):
            return
        if not self._may_run():
            self.to_the_end = False
            return
        index = self.next_index
        self.states[index] = RUNNING
        self.outputs[index] = ""
        self._show_state(index)
        self._select(index)
        self._say(_("Step {number} of {count} is running…").format(number=index + 1, count=len(self.steps)))
        self.running = index
        self._enable()
        self._worker().write(f"{index} {self.language_code}\n".encode())

    def _worker(self) -> QProcess:
        """The process that runs the steps, started with the first one; it keeps the demo's scene between them."""
        if self.worker is not None:
            return self.worker
        worker = QProcess(self)
        environment = QProcessEnvironment.systemEnvironment()
        environment.insert("PYTHONPATH", os.pathsep.join(path for path in sys.path if path))  # ent_demo, as here
        environment.insert("PYTHONUNBUFFERED", "1")
        worker.setProcessEnvironment(environment)
        worker.setProcessChannelMode(QProcess.ProcessChannelMode.MergedChannels)
        worker.readyReadStandardOutput.connect(self._read)
        worker.finished.connect(self._worker_ended)
        worker.errorOccurred.connect(lambda error: self._worker_ended(-1) if error is
                                     QProcess.ProcessError.FailedToStart else None)
        worker.start(sys.executable, ["-m", "ent_demo.step_worker", "--data-dir", str(self.root),
                                      "--steps", self.steps_name])  # each step's line names its language
        self.worker = worker
        return worker

    def _read(self) -> None:
        if self.worker is None:
            return
        self._unread += bytes(self.worker.readAllStandardOutput().data())
        *lines, self._unread = self._unread.split(b"\n")
        for raw in lines:
            line = raw.decode("utf-8", errors="replace")
            if line.startswith(DONE):
                index, ok = line[len(DONE):].split()
                self._done(int(index), ok == "1")
            elif self.running is not None:
                self._output(self.running, line + "\n")

    def _worker_ended(self, code: int) -> None:
        """The worker process ended (or never started): the step it ran failed; the next one starts a new worker,
        which reads the workstations' passwords off the sheets again."""
        worker, self.worker, self._unread = self.worker, None, b""
        if worker is not None:
            worker.deleteLater()
        if self.running is not None:
            self._output(self.running, _("The demo's step process ended unexpectedly (exit code {code}).").format(
                code=code) + "\n")
            self._done(self.running, False)

    def _output(self, index: int, text: str) -> None:
        self.outputs[index] += text
        if self.selected() == index:
            self.output.moveCursor(self.output.textCursor().MoveOperation.End)
            self.output.insertPlainText(text)

    def _done(self, index: int, ok: bool) -> None:
        self.running = None
        self.states[index] = OK if ok else FAILED
        self._show_state(index)
        if ok:
            self.next_index = index + 1
        if self.close_when_done:
            self.close()
            return
        if not ok:
            self.to_the_end = False
            self._select(index)
            self._say(_("Step {number} FAILED: its output is below. \"Run next step\" runs it again.").format(
                number=index + 1), problem=True)
        elif self.next_index >= len(self.steps):
            demo_folder.mark_finished(self.root, len(self.steps))
            self.found = FolderState.FINISHED
            self._show_notice()
            self._say(_("Demo finished: every step succeeded."))
        elif self.to_the_end:
            self._enable()
            self._start()
            return
        else:
            self._say(_("Step {number} done. Open its workstation's window to see what it did, or run the next "
                        "step.").format(number=index + 1))
        self._enable()

    def start_again(self) -> None:
        if self.running is not None:
            return
        question = _("Delete everything in the demo folder {path} and start the demo again from its first "
                     "step?").format(path=self.root)
        if not self._confirm(question, _("Delete and start again"), QMessageBox.ButtonRole.DestructiveRole):
            return
        try:
            demo_folder.clear(self.root)
        except Refused as refusal:
            self._say(refusal.message, problem=True)
            return
        self._stop_worker()  # a new demo: a new scene
        self.states = [WAITING] * len(self.steps)
        self.outputs = [""] * len(self.steps)
        self.next_index = 0
        self.found = FolderState.EMPTY
        self.over_filled_confirmed = False
        self.retranslate()  # every step's state shown again: waiting
        self._select(0)
        self._say(_("The demo folder is empty: the demo starts again from its first step."))

    def _confirm(self, question: str, action: str, role: QMessageBox.ButtonRole) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, _("Confirm"), question, QMessageBox.StandardButton.NoButton,
                          self)
        box.setObjectName("confirmation")
        box.addButton(action, role)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.exec()
        return box.clickedButton() is not None and box.clickedButton() is not cancel

    def _stop_worker(self) -> None:
        worker, self.worker = self.worker, None
        if worker is None:
            return
        worker.finished.disconnect()
        worker.closeWriteChannel()  # the worker ends at the end of its input
        if not worker.waitForFinished(10_000):
            worker.kill()
            worker.waitForFinished(3_000)
        worker.deleteLater()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.running is not None:  # a step's commands are not cut in the middle of a write
            self.close_when_done = True
            self.to_the_end = False
            self._say(_("The window closes when the running step has ended."))
            event.ignore()
            return
        self._stop_worker()
        super().closeEvent(event)


def run_launcher(root: Path, programs: tuple[Workstation, ...]) -> int:
    app = application()
    window = Launcher(root, programs)
    window.resize(1280, 720)
    window.show()
    return int(app.exec())
