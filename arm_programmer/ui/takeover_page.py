"""The takeover stage (п. 52.8): the closed, distributed applicant database from АРМ «Заявления ЕНТ»,
taken from its sealed package; the same service as ``handover import``, then what it holds."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLineEdit, QPlainTextEdit, QPushButton
from sqlalchemy.orm import Session

from arm_programmer.handover import KIND, handover_counts, take_handover
from common.i18n import _
from common.ui.page import Page
from common.ui.shell import ShellContext


class TakeoverPage(Page):
    def __init__(self, context: ShellContext) -> None:
        super().__init__(context)
        row = QHBoxLayout()
        self.package = QLineEdit()
        self.package.setObjectName("handoverPackage")
        self.browse = QPushButton()
        self.browse.clicked.connect(self._browse)
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
        self.body.addWidget(self.summary, 1)
        self.retranslate()

    def _browse(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(self, _("The applicant-database package"), "", "*.entpkg")
        if chosen:
            self.package.setText(chosen)

    def take(self) -> None:
        path = Path(self.package.text().strip())
        password = self.password.text()
        self.password.clear()

        def work(session: Session) -> str:
            from common.files import read_input_file

            taken, message, package_id = take_handover(session, read_input_file(path), password, path.name)
            if taken:
                self.db.audit(session, "package.take", path.name, kind=KIND, package=package_id)
            return message

        self.act(work, lambda message: message)
        self.reload()

    def reload(self) -> None:
        counts = self.read(handover_counts)
        if counts is None:
            return
        if counts.closed_at is None:
            self.summary.setPlainText(_("No applicant database taken yet: take the package from АРМ «Заявления ЕНТ» "
                                        "(handover import FILE)."))
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
        self.reload()
