"""The pages of АРМ «Проверка сканера»: the control set (п. 52.4), the scan with the verdict
(п. 52.5), the report (прил. 18) and the package to НЦТ (п. 42.5). Each button calls the service
the matching ``ent-scanner-check`` command calls."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from arm_scanner_check.check import CheckOutcome, Finding
from arm_scanner_check.checking import (
    CheckSummary,
    list_checks,
    load_check,
    record_check,
    scan_control_set,
    summary,
    verdict_line,
)
from arm_scanner_check.evidence import evidence_for_file, evidence_picture, failing_cells
from arm_scanner_check.reporting import FORM_LANGUAGES, default_form_language, print_report
from arm_scanner_check.scanners import ScannerChoice
from arm_scanner_check.sending import SentChecks, send_checks
from arm_scanner_check.sets import PrintedSet, list_sets, load_set, print_set, set_line
from common.i18n import _
from common.reports import PrintedForm
from common.ui.page import ERROR_STYLE, Page, secret_box
from common.ui.print_preview import show_print_preview
from common.ui.shell import ShellContext

FIT_STYLE = "color: #1b5e20; font-size: 13pt; font-weight: bold;"
NOT_FIT_STYLE = "color: #b00020; font-size: 13pt; font-weight: bold;"
PICTURE_WIDTH = 480


class ControlSetPage(Page):
    """п. 52.4: print the control set from the test specification; its key goes beside it."""

    def __init__(self, context: ShellContext) -> None:
        super().__init__(context)
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.body.addWidget(self.explanation)
        self.print_button = QPushButton()
        self.print_button.setObjectName("printSet")
        self.print_button.clicked.connect(self.print_set)
        row = QHBoxLayout()
        row.addWidget(self.print_button)
        row.addStretch(1)
        self.body.addLayout(row)
        self.sets_label = QLabel()
        self.body.addWidget(self.sets_label)
        self.sets = QListWidget()
        self.sets.setObjectName("controlSets")
        self.body.addWidget(self.sets, 1)
        self.last_printed: PrintedSet | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(_("Control sheets"))
        self.explanation.setText(
            _(
                "The control set is the exam's answer sheet, printed from the test specification with known "
                "marks: every bubble filled from faint to full, single and double marks, erasure-like residue and "
                "a blank sheet. Print it, put it in the scanner's feeder in the order printed, then scan it on the "
                "next page."
            )
        )
        self.print_button.setText(_("Print the control set"))
        self.sets_label.setText(_("Control sets printed:"))
        self.reload()

    def reload(self) -> None:
        entries = self.read(list_sets)
        self.sets.clear()
        for entry in entries or []:
            self.sets.addItem(set_line(entry))

    def print_set(self) -> None:
        def work() -> PrintedSet:
            with self.db.transaction() as session:
                return print_set(session, self.db.folder, actor=self.db.actor)

        def finished(printed: PrintedSet) -> None:
            self.last_printed = printed
            self.show_done(_("Control set {number}: {sheets} sheets printed from the specification {spec} ({source}): "
                             "{path}; key: {key}").format(number=printed.number, sheets=printed.sheets,
                                                          spec=printed.spec_code, source=printed.spec_source,
                                                          path=printed.path, key=printed.key_path))  # fmt: skip
            self.preview = show_print_preview(Path(printed.path), self)

        self.in_background(work, finished, _("Printing…"))


class _Progress(QObject):
    advanced = Signal(int, int)


@dataclass
class _Done:
    summary: CheckSummary
    outcome: CheckOutcome


class ScanPage(Page):
    """п. 52.5: choose the scanner and its settings, scan the set, see the verdict and the sheets."""

    def __init__(self, context: ShellContext) -> None:
        super().__init__(context)
        self.scanner_box = QGroupBox()
        form = QFormLayout(self.scanner_box)
        self.driver = QComboBox()
        self.driver.setObjectName("driver")
        for key in ("simulated", "folder", "sane"):
            self.driver.addItem(key, key)
        self.device = QLineEdit()
        self.device.setObjectName("device")
        self.choose_folder = QPushButton()
        self.choose_folder.setObjectName("chooseFolder")
        self.choose_folder.clicked.connect(self._choose_folder)
        device_row = QWidget()
        device_layout = QHBoxLayout(device_row)
        device_layout.setContentsMargins(0, 0, 0, 0)
        device_layout.addWidget(self.device, 1)
        device_layout.addWidget(self.choose_folder)
        self.model = QLineEdit()
        self.model.setObjectName("model")
        self.serial = QLineEdit()
        self.serial.setObjectName("serial")
        self.dpi = QSpinBox()
        self.dpi.setObjectName("dpi")
        self.dpi.setRange(100, 600)
        self.dpi.setSingleStep(50)
        self.dpi.setValue(200)
        self.brightness = QSpinBox()
        self.brightness.setObjectName("brightness")
        self.brightness.setRange(-100, 100)
        self.skew = QDoubleSpinBox()
        self.skew.setObjectName("faultSkew")
        self.skew.setRange(0.0, 10.0)
        self.skew.setDecimals(1)
        self.streak = QSpinBox()
        self.streak.setObjectName("faultStreak")
        self.streak.setRange(0, 200)
        self.labels = [QLabel() for _index in range(8)]
        for label, field in zip(self.labels, (self.driver, device_row, self.model, self.serial, self.dpi,
                                              self.brightness, self.skew, self.streak), strict=True):  # fmt: skip
            form.addRow(label, field)
        form.setVerticalSpacing(3)
        self.scan_button = QPushButton()
        self.scan_button.setObjectName("scan")
        self.scan_button.clicked.connect(self.scan)
        self.progress = QProgressBar()
        self.progress.setObjectName("progress")
        self.progress.setRange(0, 5)
        self.progress.setValue(0)
        self.verdict = QLabel()
        self.verdict.setObjectName("verdict")
        self.verdict.setWordWrap(True)
        self.findings = QListWidget()
        self.findings.setObjectName("findings")
        self.findings.setWordWrap(True)
        self.pages = QListWidget()
        self.pages.setObjectName("pages")
        self.pages.setWordWrap(True)
        self.pages.currentRowChanged.connect(self.show_page)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.scanner_box)
        buttons = QHBoxLayout()
        buttons.addWidget(self.scan_button)
        buttons.addWidget(self.progress, 1)
        column.addLayout(buttons)
        column.addWidget(self.verdict)
        column.addWidget(self.findings, 2)
        column.addWidget(self.pages, 1)
        self.picture = QLabel()
        self.picture.setObjectName("sheetPicture")
        self.picture.setWordWrap(True)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.picture)
        self.scroll.setWidgetResizable(True)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.scroll)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        left.setMinimumWidth(460)
        left.setMaximumWidth(580)
        self.scroll.setMinimumWidth(PICTURE_WIDTH + 24)
        split.setSizes([560, PICTURE_WIDTH + 60])
        self.body.addWidget(split, 1)
        self.notifier = _Progress()
        self.notifier.advanced.connect(self._advanced)
        self.outcome: CheckOutcome | None = None
        self.check: CheckSummary | None = None
        self.page_outcomes: list[dict[str, Any]] = []
        self.scans_folder: Path | None = None
        self.driver.currentIndexChanged.connect(self._driver_changed)
        self.retranslate()
        self._driver_changed()
        self.reload()

    def retranslate(self) -> None:
        self.heading.setText(_("Scanning control sheets"))
        self.scanner_box.setTitle(_("Scanner and settings"))
        texts = [_("Driver:"), _("Device or folder:"), _("Model:"), _("Serial number:"), _("Resolution, dpi:"),
                 _("Brightness (−100…100):"), _("Simulated feed skew, °:"), _("Simulated streak at, mm:")]  # fmt: skip
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        names = {"simulated": _("simulated scanner"), "folder": _("folder of a scanner's software"),
                 "sane": _("SANE device")}  # fmt: skip
        for index in range(self.driver.count()):
            self.driver.setItemText(index, names[str(self.driver.itemData(index))])
        self.driver.setMinimumWidth(self.driver.sizeHint().width())
        self.scan_button.setText(_("Scan the control set and check"))
        self.choose_folder.setText(_("Choose…"))
        if self.check is not None:
            self._show_verdict(self.check)

    def _choose_folder(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        chosen = QFileDialog.getExistingDirectory(self, _("The folder the scanner's software writes into"))
        if chosen:
            self.device.setText(chosen)

    def _driver_changed(self) -> None:
        simulated = self.driver.currentData() == "simulated"
        self.device.setEnabled(not simulated)
        self.choose_folder.setEnabled(self.driver.currentData() == "folder")
        self.skew.setEnabled(simulated)
        self.streak.setEnabled(simulated)

    def reload(self) -> None:
        if self.check is not None or self.busy:
            return
        checks = self.read(list_checks)
        if checks:
            self._show_stored(checks[-1].id)

    def choice(self) -> ScannerChoice:
        faults: dict[str, float] = {}
        if self.driver.currentData() == "simulated":
            if self.skew.value():
                faults["skew"] = round(self.skew.value(), 1)
            if self.streak.value():
                faults["streak"] = float(self.streak.value())
        return ScannerChoice(str(self.driver.currentData()), self.device.text().strip(), self.model.text().strip(),
                             self.serial.text().strip(), self.dpi.value(), self.brightness.value(), faults)  # fmt: skip

    def scan(self) -> None:
        choice = self.choice()
        notifier = self.notifier
        self.progress.setValue(0)

        def work() -> _Done:
            with self.db.transaction(read_only=True) as session:
                _row, control_set = load_set(session)
            outcome = scan_control_set(control_set, choice, lambda done, total: notifier.advanced.emit(done, total))
            with self.db.transaction() as session:
                set_row, _set = load_set(session, control_set.number)
                stored = record_check(session, self.db.folder, set_row, choice, outcome, actor=self.db.actor)
            return _Done(stored, outcome)

        def finished(done: _Done) -> None:
            self.outcome = done.outcome
            self.scans_folder = self.db.folder.root / done.summary.scans_folder
            self.page_outcomes = [read.outcome for read in done.outcome.pages]
            self._show_verdict(done.summary)
            self.show_done(verdict_line(done.summary))

        self.in_background(work, finished, _("Scanning…"))

    def _advanced(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, done))
        self.progress.setValue(done)

    def _show_stored(self, check_id: int) -> None:
        def work(session: Session) -> tuple[CheckSummary, list[dict[str, Any]], str]:
            row, set_row = load_check(session, check_id)
            return summary(row, set_row.number), list(row.pages), row.scans_folder

        loaded = self.read(work)
        if loaded is None:
            return
        check, pages, folder = loaded
        self.outcome = None
        self.page_outcomes = pages
        self.scans_folder = self.db.folder.root / folder
        self._show_verdict(check)

    def _show_verdict(self, check: CheckSummary) -> None:
        self.check = check
        self.verdict.setText(verdict_line(check))
        self.verdict.setStyleSheet(FIT_STYLE if check.fit else NOT_FIT_STYLE)
        self.findings.clear()
        row = self.read(lambda session: load_check(session, check.id)[0].findings)
        for item in row or []:
            self.findings.addItem(Finding.from_json(item).message())
        self.pages.blockSignals(True)
        self.pages.clear()
        first_failing: int | None = None
        for index, outcome in enumerate(self.page_outcomes):
            failing = failing_cells(outcome)
            problems = len(outcome["problems"])
            line = _("Page {page}, sheet {sheet}: {cells} cell(s) unlike the key, {problems} page check(s) failed")
            text = line.format(page=outcome["page"], sheet=outcome["sheet"] or "—", cells=len(failing),
                               problems=problems)  # fmt: skip
            item = QListWidgetItem(text)
            if failing or problems:
                item.setForeground(Qt.GlobalColor.red)
                first_failing = index if first_failing is None else first_failing
            self.pages.addItem(item)
        self.pages.blockSignals(False)
        if self.page_outcomes:
            shown = first_failing or 0
            self.pages.setCurrentRow(shown)
            self.show_page(shown)

    def show_page(self, row: int) -> None:
        """The sheet of page ``row``: upright, every bubble's fill, the failing cells framed."""
        if not 0 <= row < len(self.page_outcomes):
            return
        outcome = self.page_outcomes[row]
        picture: np.ndarray | None = None
        try:
            if self.outcome is not None:
                read = self.outcome.pages[row]
                picture = evidence_picture(read.page.image, self._layout(), read.result, failing_cells(outcome))
            elif self.scans_folder is not None:
                picture = evidence_for_file(self.scans_folder / outcome["image"], self._layout(), outcome)
        except ValueError:
            picture = None
        if picture is None:
            self.picture.setPixmap(QPixmap())
            self.picture.setStyleSheet(ERROR_STYLE)
            self.picture.setText(_("This page was not read as a control sheet, so there is no picture of it."))
            return
        self.picture.setStyleSheet("")
        self.picture.setText("")
        height, width = picture.shape[:2]
        image = QImage(np.ascontiguousarray(picture).data, width, height, 3 * width, QImage.Format.Format_RGB888)
        target = max(PICTURE_WIDTH, self.scroll.viewport().width() - 24)
        self.picture.setPixmap(QPixmap.fromImage(image.copy()).scaledToWidth(
            target, Qt.TransformationMode.SmoothTransformation))  # fmt: skip

    def _layout(self) -> Any:
        check = self.check
        assert check is not None

        def work(session: Session) -> Any:
            _row, control_set = load_set(session, check.set_number)
            return control_set.layout

        return self.read(work)


class ReportPage(Page):
    """прил. 18 of a check, and every check sealed to НЦТ (п. 42.5)."""

    def __init__(self, context: ShellContext) -> None:
        super().__init__(context)
        self.checks_label = QLabel()
        self.body.addWidget(self.checks_label)
        self.checks = QListWidget()
        self.checks.setObjectName("checks")
        self.body.addWidget(self.checks, 1)
        row = QHBoxLayout()
        self.language_label = QLabel()
        self.language = QComboBox()
        self.language.setObjectName("formLanguage")
        for code, name in zip(FORM_LANGUAGES, ("Қазақша", "Русский"), strict=True):
            self.language.addItem(name, code)
        self.language.setCurrentIndex(self.language.findData(default_form_language()))
        self.print_button = QPushButton()
        self.print_button.setObjectName("printReport")
        self.print_button.clicked.connect(self.print_report)
        row.addWidget(self.language_label)
        row.addWidget(self.language)
        row.addWidget(self.print_button)
        row.addStretch(1)
        self.body.addLayout(row)
        send = QHBoxLayout()
        self.password_label = QLabel()
        self.password = secret_box("sendPassword")
        self.send_button = QPushButton()
        self.send_button.setObjectName("send")
        self.send_button.clicked.connect(self.send)
        send.addWidget(self.password_label)
        send.addWidget(self.password, 1)
        send.addWidget(self.send_button)
        self.body.addLayout(send)
        self.check_ids: list[int] = []
        self.last_printed: PrintedForm | None = None
        self.last_sent: SentChecks | None = None
        self.retranslate()
        self.reload()

    def retranslate(self) -> None:
        self.heading.setText(_("Scanner check report"))
        self.checks_label.setText(_("Checks made (choose one for its report):"))
        self.language_label.setText(_("Form language:"))
        self.print_button.setText(_("Print the report (прил. 18)"))
        self.password_label.setText(_("Workstation password:"))
        self.send_button.setText(_("Send every check to NTC"))
        self.reload()

    def reload(self) -> None:
        checks = self.read(list_checks) or []
        self.checks.clear()
        self.check_ids = [check.id for check in reversed(checks)]
        for check in reversed(checks):
            verdict = _("fit") if check.fit else _("not fit")
            text = f"{check.id}. {check.checked_at.astimezone():%d.%m.%Y %H:%M} — {check.scanner_model} " \
                   f"{check.scanner_serial} — {verdict}"  # fmt: skip
            item = QListWidgetItem(text.replace("  ", " "))
            item.setToolTip("\n".join(check.findings))
            self.checks.addItem(item)
        if checks:
            self.checks.setCurrentRow(0)

    def print_report(self) -> None:
        row = self.checks.currentRow()
        if not 0 <= row < len(self.check_ids):
            self.show_problem(
                _("No scanner has been checked yet: scan the control set first (ent-scanner-check check).")
            )
            return
        check_id, language = self.check_ids[row], str(self.language.currentData())

        def work() -> PrintedForm:
            with self.db.transaction() as session:
                return print_report(session, self.db.folder, language, actor=self.db.actor, check_id=check_id)

        def finished(printed: PrintedForm) -> None:
            self.last_printed = printed
            self.show_done(_("Printed {pages} page(s): {path}").format(pages=printed.pages, path=printed.path))
            self.preview = show_print_preview(printed.path, self)

        self.in_background(work, finished, _("Printing…"))

    def send(self) -> None:
        def finished(sent: SentChecks) -> None:
            self.last_sent = sent
            self.show_done(_("The scanner checks are sealed for NTC: {path} ({checks} check(s), {reports} report(s), "
                             "package {sequence}).").format(path=sent.path, checks=sent.checks, reports=sent.reports,
                                                            sequence=sent.sequence))  # fmt: skip

        self.send_sealed(self.password,
                         lambda session, password: send_checks(session, self.db.folder, password=password,
                                                               actor=self.db.actor),
                         finished, _("Sealing…"))  # fmt: skip


def control_set_page(context: ShellContext) -> QWidget:
    return ControlSetPage(context)


def scan_page(context: ShellContext) -> QWidget:
    return ScanPage(context)


def report_page(context: ShellContext) -> QWidget:
    return ReportPage(context)


__all__ = ["ControlSetPage", "ReportPage", "ScanPage", "control_set_page", "report_page", "scan_page"]
