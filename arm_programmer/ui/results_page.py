"""The results of a stream (п. 176–180): the answer codes opened by three people (the codes gate), the codes
printed (прил. 9), the sheets scored, the statement without appeal printed (прил. 4) and a printed page checked
by its signed QR, the results and the day's statistics sent to НЦТ — the services of ``codes open``,
``codes print``, ``score``, ``statement print``, ``statement check``, ``send results`` and ``send statistics``.

The three password lines take typed keys only and are cleared after every attempt, right or wrong: the window
never keeps a password after use."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
)
from sqlalchemy.orm import Session

from arm_programmer.day import stream_numbers
from arm_programmer.results import ResultRow, ResultStatus
from arm_programmer.ui.stream_choice import stream_header
from common.errors import Refused
from common.i18n import N_, _
from common.reports import PrintedForm
from common.security.audit import AuditLog
from common.ui.page import DONE_STYLE, ERROR_STYLE, PrintPage, secret_box
from common.ui.secrets import ThreePasswords
from common.ui.shell import ShellContext

STATUS_NAMES = {ResultStatus.SCORED: N_("Scored"), ResultStatus.ABSENT: N_("Absent"),
                ResultStatus.ANNULLED: N_("Annulled"), ResultStatus.NOT_ADMITTED: N_("Not admitted")}
SHOWN_BLOCKERS = 3
PASSWORD_WIDTH = 260
STATEMENT_IMAGES = "*.png *.jpg *.jpeg *.tif *.tiff *.pdf"


@dataclass
class ResultsView:
    """What the page shows of a stream: the state line, whether the codes are open, the results."""

    lines: list[str]
    opened: bool
    rows: list[ResultRow] = field(default_factory=list)


def results_view(session: Session, stream_number: int) -> ResultsView:
    """The stream's state: what blocks the answer codes, or who opened them when, and the scored counts."""
    from arm_programmer.codes import held_key
    from arm_programmer.draw import stream_of
    from arm_programmer.identification import stream_state
    from arm_programmer.scores import result_rows, scores_summary

    row = held_key(session, stream_of(session, stream_number))
    if row is None:
        state, _current = stream_state(session, stream_number)
        if state.ready_for_answer_codes:
            return ResultsView([_("Stream {stream}: identification has ended; the answer codes wait for the three "
                                  "passwords (п. 176–178).").format(stream=stream_number)], False)
        blockers = list(state.blockers) or [_("The end of identification is not reported to НЦТ yet (identify "
                                              "end, п. 176).")]
        lines = [_("Stream {stream}: the answer codes cannot be opened yet; {count} thing(s) block them:").format(
            stream=stream_number, count=len(blockers)), *blockers[:SHOWN_BLOCKERS]]
        if len(blockers) > SHOWN_BLOCKERS:
            lines.append(_("… and {count} more.").format(count=len(blockers) - SHOWN_BLOCKERS))
        return ResultsView(lines, False)
    opened = _("Stream {stream}: the answer codes were opened by {who} at {moment}.").format(
        stream=stream_number, moment=f"{row.opened_at:%d.%m.%Y %H:%M} UTC", who=row.opened_by)
    try:
        rows = result_rows(session, stream_number)
    except Refused as refusal:
        return ResultsView([opened, refusal.message], True)
    counts = scores_summary(rows)
    return ResultsView([opened, _("{scored} scored, {absent} absent, {annulled} annulled, {not_admitted} not "
                                  "admitted.").format(scored=counts["scored"], absent=counts["absent"],
                                                      annulled=counts["annulled"],
                                                      not_admitted=counts["not-admitted"])], True, rows)


class ResultsPage(PrintPage):
    def __init__(self, context: ShellContext) -> None:
        super().__init__(context)
        self.view: ResultsView | None = None
        self.header = stream_header(self.body, "results", self.show_stream)
        self.stream, self.language, self.state = self.header.stream, self.header.language, self.header.state

        self.codes_box = QGroupBox()
        codes = QHBoxLayout(self.codes_box)
        self.passwords = ThreePasswords("codesPasswords")
        self.open_button = QPushButton()
        self.open_button.setObjectName("openCodes")
        self.open_button.clicked.connect(self.open_codes)
        for line in self.passwords.lines:
            line.setMaximumWidth(PASSWORD_WIDTH)
        codes.addWidget(self.passwords)
        codes.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignBottom)
        codes.addStretch(1)
        self.body.addWidget(self.codes_box)
        self.results_box = QGroupBox()
        grid = QGridLayout(self.results_box)
        self.score_button, self.codes_print_button, self.statement_button = QPushButton(), QPushButton(), QPushButton()
        self.send_button, self.statistics_button, self.check_button = QPushButton(), QPushButton(), QPushButton()
        self.password_label = QLabel()
        self.password = secret_box("resultsPassword")
        for button, name, slot in (
                (self.score_button, "scoreStream", self.score),
                (self.codes_print_button, "printCodes", self.print_codes),
                (self.statement_button, "printStatement", self.print_statement),
                (self.send_button, "sendResults", self.send_results),
                (self.statistics_button, "sendStatistics", self.send_statistics),
                (self.check_button, "checkStatement", self.choose_statement_page)):
            button.setObjectName(name)
            button.clicked.connect(slot)
        grid.addWidget(self.score_button, 0, 0)
        grid.addWidget(self.codes_print_button, 0, 1)
        grid.addWidget(self.check_button, 0, 2)
        grid.addWidget(self.statement_button, 1, 0)
        grid.addWidget(self.send_button, 1, 1)
        grid.addWidget(self.statistics_button, 1, 2)
        grid.addWidget(self.password_label, 0, 3)  # beside the three buttons that need it
        grid.addWidget(self.password, 1, 3)
        grid.setColumnStretch(4, 1)
        self.password.setMaximumWidth(PASSWORD_WIDTH)
        self.body.addWidget(self.results_box)
        self.checked = QLabel()
        self.checked.setObjectName("statementChecked")
        self.checked.setWordWrap(True)
        self.checked.setVisible(False)  # until a page is checked
        self.body.addWidget(self.checked)
        self.table = QTableWidget(0, 7)
        self.table.setObjectName("resultRows")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(120)
        self.body.addWidget(self.table, 1)
        self.retranslate()

    def reload(self) -> None:
        self.stream.offer(self.read(stream_numbers) or [])
        self.show_stream()

    def show_stream(self) -> None:
        number = self.header.chosen()
        self.table.setRowCount(0)
        if number is None:
            self.view = None
            self.codes_box.setEnabled(False)
            return
        self.view = self.read(lambda session: results_view(session, number))
        if self.view is None:
            self.state.setText("")
            return
        self.state.setText("\n".join(self.view.lines))
        self.codes_box.setEnabled(not self.view.opened)
        self.table.setRowCount(len(self.view.rows))
        for index, row in enumerate(self.view.rows):
            total = "" if row.total is None else f"{row.total} / {row.max_total}"
            values = (row.ikt, row.full_name, row.room_number, "" if row.seat is None else str(row.seat),
                      row.variant or "", total, _(STATUS_NAMES[row.status]))
            for column, value in enumerate(values):
                self.table.setItem(index, column, QTableWidgetItem(value))

    # the codes gate (п. 176–178)

    def open_codes(self) -> None:
        """Open the answer codes with the three typed passwords off the window's thread; the lines are cleared
        after every attempt (refused by the gate, wrong or right)."""
        from arm_programmer.codes import OpenedCodes, codes_opened, gate, open_stream_codes

        number = self.stream.number()
        if number is None:
            return

        def check(session: Session) -> OpenedCodes | None:
            held = codes_opened(session, number)
            if held is None:
                gate(session, number)
            return held

        try:
            with self.db.transaction(read_only=True) as session:
                held = check(session)
        except Refused as refusal:
            self.passwords.clear()
            self.show_problem(refusal.message)
            return
        if held is not None:
            self.passwords.clear()
            self.show_done(held.message)
            return
        missing = self.passwords.missing()
        if missing:
            self.show_problem(_("Each holder types their own password; not typed yet: {holders}.").format(
                holders=", ".join(missing)))
            return
        typed = self.passwords.passwords()
        self.passwords.clear()
        if typed is None:
            return
        audit = AuditLog(self.db.folder.audit_log)

        def work() -> OpenedCodes:
            with self.db.transaction() as session:
                outcome = open_stream_codes(session, number, typed, audit, self.db.actor)
            if not outcome.opened and not outcome.already:  # after the commit: the wrong set stays counted
                raise Refused(_("{message} Wrong sets so far: {failures}.").format(message=outcome.message,
                                                                                   failures=outcome.failures))
            return outcome

        self.in_background(work, lambda outcome: self.show_done(outcome.message), _("Opening the answer codes…"))

    # scores, prints and sends

    def score(self) -> None:
        from arm_programmer.scores import ScoredStream, score_stream

        number = self.stream.number()
        if number is None:
            return
        audit = AuditLog(self.db.folder.audit_log)

        def work() -> ScoredStream:
            with self.db.transaction() as session:
                return score_stream(session, number, self.db.actor, audit)

        self.in_background(work, lambda scored: self.show_done(_(
            "Stream {stream}: {scored} sheet(s) scored and stored per task; {deleted} deleted sheet(s) left out "
            "(п. 170).").format(stream=number, scored=scored.scored, deleted=scored.deleted)), _("Scoring…"))

    def print_codes(self) -> None:
        from arm_programmer.results_prints import print_codes

        number, language = self.stream.number(), str(self.language.currentData())
        if number is None:
            return

        def work() -> PrintedForm:
            with self.db.transaction() as session:
                return print_codes(session, self.db.folder, number, language, actor=self.db.actor)

        self.in_background(work, self.show_printed, _("Printing…"))

    def print_statement(self) -> None:
        from arm_programmer.results_prints import print_statement

        number, language = self.stream.number(), str(self.language.currentData())
        if number is None:
            return
        self.send_sealed(self.password, lambda session, password: print_statement(
            session, self.db.folder, number, language, password=password, actor=self.db.actor),
            self.show_printed, _("Printing…"))

    def send_results(self) -> None:
        from arm_programmer.scores import SentResults, send_results

        number = self.stream.number()
        if number is None:
            return
        audit = AuditLog(self.db.folder.audit_log)

        def finished(sent: SentResults) -> None:
            counts = sent.payload["counts"]
            self.show_done(_("The results of stream {stream} are sealed for НЦТ ({scored} scored, {absent} absent, "
                             "{annulled} annulled, {not_admitted} not admitted): {path}").format(
                stream=number, scored=counts["scored"], absent=counts["absent"], annulled=counts["annulled"],
                not_admitted=counts["not-admitted"], path=sent.path))

        self.send_sealed(self.password, lambda session, password: send_results(
            session, self.db.folder, number, password=password, actor=self.db.actor, audit=audit),
            finished, _("Sealing the results…"))

    def send_statistics(self) -> None:
        """The statistics of the chosen stream's exam day (п. 53.6)."""
        from arm_programmer.prints import exam_day
        from arm_programmer.results_prints import SentStatistics, send_statistics

        number = self.stream.number()
        if number is None:
            return
        audit = AuditLog(self.db.folder.audit_log)

        def seal(session: Session, password: str) -> SentStatistics:
            day = exam_day(session, number).exam_date
            return send_statistics(session, self.db.folder, day, password=password, actor=self.db.actor, audit=audit)

        self.send_sealed(self.password, seal, lambda sent: self.show_done(_(
            "The statistics of {date} ({streams} stream(s)) are sealed for НЦТ: {path}").format(
            date=sent.exam_date.strftime("%d.%m.%Y"), streams=sent.streams, path=sent.path)),
            _("Sealing the statistics…"))

    def choose_statement_page(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(self, _("A scan or photograph of a statement page"), "",
                                                      f"{_('Images and PDF')} ({STATEMENT_IMAGES})")
        if chosen:
            self.check_statement(Path(chosen))

    def check_statement(self, image: Path) -> None:
        """Check a scanned or photographed statement page against the database; its one line shown, red when
        the page is not to be trusted."""
        from arm_programmer.results_prints import StatementCheck, check_statement

        def work() -> StatementCheck:
            with self.db.transaction(read_only=True) as session:
                return check_statement(session, image)

        def finished(checked: StatementCheck) -> None:
            trusted = checked.check.signature_valid and checked.check.digest_matches
            self.checked.setStyleSheet(DONE_STYLE if trusted else ERROR_STYLE)
            self.checked.setText(checked.line)
            self.checked.setVisible(True)
            self.message.setText("")

        self.checked.setText("")
        self.checked.setVisible(False)
        self.in_background(work, finished, _("Reading the page's QR…"))

    def retranslate(self) -> None:
        self.heading.setText(_("Answer codes, scores and results"))
        self.header.retranslate()
        self.codes_box.setTitle(_("The answer codes (п. 176–178): each holder types their own password"))
        self.passwords.retranslate()
        self.open_button.setText(_("Open the answer codes"))
        self.results_box.setTitle(_("Scores and results"))
        self.score_button.setText(_("Score the sheets"))
        self.codes_print_button.setText(_("Print the codes (прил. 9)"))
        self.check_button.setText(_("Check a statement page…"))
        self.password_label.setText(_("Workstation password:"))
        self.statement_button.setText(_("Print the statement (прил. 4)"))
        self.send_button.setText(_("Send the results"))
        self.statistics_button.setText(_("Send the day's statistics"))
        self.table.setHorizontalHeaderLabels([_("ИКТ"), _("Surname, name, patronymic"), _("Room"), _("Seat"),
                                              _("Variant"), _("Total"), _("Status")])
        self.reload()
