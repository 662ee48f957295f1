"""Enrolment from НЦТ, the first stage of every workstation (п. 24.4, 52.2): the site this folder
serves, and enrolling it with the package and the password sheet НЦТ issued."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton
from sqlalchemy.orm import Session

from common.i18n import _
from common.site import EnrolmentState, enrolment_state
from common.ui.page import Page
from common.ui.shell import ShellContext


class EnrolmentPage(Page):
    """Shows the enrolled site; enrols the folder with НЦТ's package and its password sheet."""

    def __init__(self, context: ShellContext) -> None:
        super().__init__(context)
        self.state_view: EnrolmentState | None = None
        self.state = QLabel()
        self.state.setObjectName("enrolmentState")
        self.state.setWordWrap(True)
        self.body.addWidget(self.state)
        self.box = QGroupBox()
        form = QFormLayout(self.box)
        self.package = QLineEdit()
        self.package.setObjectName("enrolmentPackage")
        self.browse = QPushButton()
        row = QHBoxLayout()
        row.addWidget(self.package, 1)
        row.addWidget(self.browse)
        self.password = QLineEdit()
        self.password.setObjectName("enrolmentPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.enrol_button = QPushButton()
        self.enrol_button.setObjectName("enrol")
        self.labels = [QLabel(), QLabel()]
        form.addRow(self.labels[0], row)
        form.addRow(self.labels[1], self.password)
        form.addRow(self.enrol_button)
        self.body.addWidget(self.box)
        self.body.addStretch(1)
        self.browse.clicked.connect(self._browse)
        self.enrol_button.clicked.connect(lambda: self.enrol(Path(self.package.text()), self.password.text()))
        self.retranslate()
        self.reload()

    def reload(self) -> None:
        if self.db.folder.exists():
            self.state_view = self.read(enrolment_state)
        self._render()

    def enrol(self, package: Path, password: str) -> None:
        from common.security.audit import AuditLog
        from common.security.enrolment import enrol, open_enrolment

        if not package.is_file():
            self.show_problem(_("Choose the enrolment package file from NTC."))
            return
        try:
            enrolment = open_enrolment(package.read_bytes(), password, self.context.workstation.code)
        except Exception as error:  # a refusal of the package, shown as it is
            self.show_problem(getattr(error, "message", str(error)))
            return

        def work(session: Session) -> str:
            result = enrol(session, enrolment, self.context.workstation.code, AuditLog(self.db.folder.audit_log),
                           self.db.actor)
            return str(result.site.code)

        self.act(work, lambda code: _("Enrolled at site {site}.").format(site=code))
        self.password.clear()

    def _browse(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, _("Enrolment package"), str(Path.home()),
                                                    _("Packages (*.entpkg)"))
        if name:
            self.package.setText(name)

    def _render(self) -> None:
        view = self.state_view
        if view is None:
            self.state.setText(_("This workstation is not enrolled yet. Choose the enrolment package NTC "
                                 "issued for this site and type the password from its sheet."))
            return
        self.message.clear()
        directories = (_("NTC's directories version {version}: {schools} schools and colleges.").format(
            version=view.directory_version, schools=view.directory_schools) if view.directory_version is not None
            else _("No directories from NTC yet."))
        self.state.setText("\n".join([
            _("Enrolled at test site {code}.").format(code=view.site_code),
            _("Name in Kazakh: {name}").format(name=view.name_kk),
            _("Name in Russian: {name}").format(name=view.name_ru),
            _("Region code: {region}").format(region=view.region_code),
            directories,
        ]))

    def retranslate(self) -> None:
        self.heading.setText(_("Enrolment from NTC (п. 24.4, 79)"))
        self.box.setTitle(_("Enrol with a package"))
        self.labels[0].setText(_("Package"))
        self.labels[1].setText(_("Password from the sheet"))
        self.browse.setText(_("Browse…"))
        self.enrol_button.setText(_("Enrol"))
        self._render()


def enrolment_page(context: ShellContext) -> EnrolmentPage:
    return EnrolmentPage(context)
