"""The takeover stage (п. 52.8–52.10): the closed, distributed applicant database from АРМ «Заявления ЕНТ»,
taken from its sealed package (the service of ``handover import``), then what it holds; the journal of
changes entered line by line (``changes add``, п. 52.9, 109) and the closing (``close``)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
)
from sqlalchemy.orm import Session

from arm_programmer.changes import FIELDS, add_change, change_lines
from arm_programmer.handover import handover_counts, take_handover
from arm_programmer.takeover import NO_APPLICANT_DATABASE, close_takeover, takeover_state
from common.i18n import _
from common.ui.page import Page
from common.ui.shell import ShellContext
from common.ui.widgets import browse_into


class TakeoverPage(Page):
    def __init__(self, context: ShellContext) -> None:
        super().__init__(context)
        row = QHBoxLayout()
        self.package = QLineEdit()
        self.package.setObjectName("handoverPackage")
        self.browse = QPushButton()
        self.browse.clicked.connect(
            lambda: browse_into(self, self.package, _("The applicant-database package"), "*.entpkg"))
        self.password = QLineEdit()
        self.password.setObjectName("handoverPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.take_button = QPushButton()
        self.take_button.setObjectName("takeHandover")
        self.take_button.clicked.connect(self.take)
        for widget in (self.package, self.browse, self.password, self.take_button):
            row.addWidget(widget)
        row.setStretch(0, 1)
        self.body.addLayout(row)
        self.summary = QPlainTextEdit()
        self.summary.setObjectName("handoverSummary")
        self.summary.setReadOnly(True)
        self.summary.setMaximumHeight(self.summary.fontMetrics().lineSpacing() * 4)
        self.body.addWidget(self.summary)
        self.changes_title = QLabel()
        self.body.addWidget(self.changes_title)
        change_row = QHBoxLayout()
        self.change_row = QSpinBox()
        self.change_row.setObjectName("changeRow")
        self.change_row.setRange(1, 9999)
        self.change_ikt = QLineEdit()
        self.change_ikt.setObjectName("changeIkt")
        self.change_field = QComboBox()
        self.change_field.setObjectName("changeField")
        self.change_value = QLineEdit()
        self.change_value.setObjectName("changeValue")
        self.add_button = QPushButton()
        self.add_button.setObjectName("addChange")
        self.add_button.clicked.connect(self.add_change)
        for widget in (self.change_row, self.change_ikt, self.change_field, self.change_value, self.add_button):
            change_row.addWidget(widget)
        change_row.setStretch(3, 1)
        self.body.addLayout(change_row)
        self.changes = QListWidget()
        self.changes.setObjectName("changes")
        self.body.addWidget(self.changes, 1)
        close_row = QHBoxLayout()
        self.state = QLabel()
        self.state.setObjectName("takeoverState")
        self.state.setWordWrap(True)
        self.close_button = QPushButton()
        self.close_button.setObjectName("closeTakeover")
        self.close_button.clicked.connect(self.close_database)
        close_row.addWidget(self.state, 1)
        close_row.addWidget(self.close_button)
        self.body.addLayout(close_row)
        self.retranslate()

    def take(self) -> None:
        password = self.password.text()
        self.password.clear()
        self.take_package_file(Path(self.package.text().strip()), password, take_handover)
        self.reload()

    def add_change(self) -> None:
        ikt, field, value, row = (self.change_ikt.text(), str(self.change_field.currentData()),
                                  self.change_value.text(), self.change_row.value())

        def work(session: Session) -> str:
            line = add_change(session, ikt=ikt, field=field, value=value, row=row, actor=self.db.actor)
            self.db.audit(session, "changes.add", line.ikt, field=line.field, row=line.row)
            return _("Line {row} of the journal of changes entered: {field} of ИКТ {ikt} corrected.").format(
                row=line.row, field=_(FIELDS[line.field]), ikt=line.ikt)

        if self.act(work, lambda message: message) is not None:
            self.change_value.clear()
            self.change_row.setValue(row + 1)
        self.reload()

    def close_database(self) -> None:
        def work(session: Session) -> None:
            close_takeover(session, self.db.actor)
            self.db.audit(session, "takeover.close", None)

        self.act(work, _("The applicant database is closed: from now on only the exam-day operations write (the "
                         "draw, late seating)."))
        self.reload()

    def reload(self) -> None:
        lines = self.read(change_lines) or []
        self.changes.clear()
        for line in lines:
            self.changes.addItem(_("Row {row}: ИКТ {ikt}, {field}: {old} → {new}").format(
                row=line.row, ikt=line.ikt, field=_(FIELDS[line.field]), old=line.old or "—", new=line.new or "—"))
        state = self.read(takeover_state)
        self.state.setText(_("Closed {moment}: only the exam-day operations write now.").format(
            moment=state.closed_at.astimezone().strftime("%Y-%m-%d %H:%M")) if state is not None else
            _("Open: enter the journal of changes (прил. 13), then close the database."))
        counts = self.read(handover_counts)
        if counts is None:
            return
        if counts.closed_at is None:
            self.summary.setPlainText(_(NO_APPLICANT_DATABASE))
            return
        self.summary.setPlainText(_(
            "Site {site}: {applicants} applicant(s), {annulled} annulled, {placed} placed in {rooms} room(s) of "
            "{streams} stream(s), {schools} school(s); closed {closed}, distributed {distributed}.").format(
            site=counts.site, applicants=counts.applicants, annulled=counts.annulled, placed=counts.placed,
            rooms=counts.rooms, streams=counts.streams, schools=counts.schools, closed=counts.closed_at,
            distributed=counts.distributed_at))

    def retranslate(self) -> None:
        self.heading.setText(_("Applicant database takeover"))
        self.package.setPlaceholderText(_("the applicant-database package (.entpkg)"))
        self.browse.setText(_("Folder…"))
        self.password.setPlaceholderText(_("the workstation's password"))
        metrics = self.password.fontMetrics()
        self.password.setMinimumWidth(metrics.horizontalAdvance(self.password.placeholderText()) + 24)
        self.take_button.setText(_("Take the applicant database"))
        self.changes_title.setText(_("Journal of changes (прил. 13): row, ИКТ, what is corrected, the new value"))
        self.change_ikt.setPlaceholderText(_("ИКТ"))
        self.change_value.setPlaceholderText(_("the new value"))
        field = self.change_field.currentData()
        self.change_field.clear()
        for key, title in FIELDS.items():
            self.change_field.addItem(_(title), key)
        if field is not None:
            self.change_field.setCurrentIndex(max(0, self.change_field.findData(field)))
        self.add_button.setText(_("Enter the line"))
        self.close_button.setText(_("Close the database"))
        self.reload()
