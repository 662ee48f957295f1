"""The certificate file (п. 214–215): the programmer's package of a stream taken with the workstation's password (the
service of ``import FILE``), the streams taken, and a stream's applicants with their certificate numbers (the
service of ``applicants``)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton
from sqlalchemy.orm import Session

from arm_certificate.certificate_file import (
    ListedApplicant,
    stream_applicants,
    stream_numbers,
    stream_of_package,
    take_certificate_file,
)
from arm_certificate.ui.widgets import NO_FILE, StreamChoice
from common.i18n import N_, _, current_language
from common.ui.page import Page, Unreadable, secret_box
from common.ui.shell import ShellContext
from common.ui.table_model import TableColumn
from common.ui.widgets import browse_button, browse_into, fit_placeholder, row_table

PASSWORD_WIDTH = 300


def certificate_text(item: ListedApplicant) -> str:
    """The applicant's blank as printed, or «—» while none is assigned."""
    return " ".join(part for part in (item.certificate_series, item.certificate_number) if part) or "—"


def school_name(item: ListedApplicant) -> str:
    """The school's name in the window's language (the column shows its code: a name is too long for a 1366
    screen)."""
    name = item.school_name_kk if current_language() == "kk" else item.school_name_ru
    return name or item.school_name_ru or item.school_name_kk or item.school_code


COLUMNS: list[TableColumn[ListedApplicant]] = [
    TableColumn(N_("ИКТ"), lambda item: item.ikt),
    TableColumn(N_("Full name"), lambda item: item.full_name),
    TableColumn(N_("School"), lambda item: item.school_code, tip=school_name),
    TableColumn(N_("Language"), lambda item: item.test_language, "center"),
    TableColumn(N_("Total"), lambda item: item.total, "right", text=str),
    TableColumn(N_("Certificate"), certificate_text),
]


class CertificateFilePage(Page):
    def __init__(self, context: ShellContext) -> None:
        super().__init__(context)
        take = QHBoxLayout()
        self.package = QLineEdit()
        self.package.setObjectName("certificatePackage")
        self.browse = browse_button("browsePackage")
        self.browse.clicked.connect(lambda: browse_into(self, self.package, _("The certificate-file package"),
                                                        "*.entpkg"))
        self.password = secret_box("certificatePassword")
        self.password.setMaximumWidth(PASSWORD_WIDTH)
        self.take_button = QPushButton()
        self.take_button.setObjectName("takeCertificateFile")
        self.take_button.clicked.connect(self.take)
        self.password.returnPressed.connect(self.take)
        for widget in (self.package, self.browse, self.password, self.take_button):
            take.addWidget(widget)
        take.setStretch(0, 1)
        self.body.addLayout(take)
        top = QHBoxLayout()
        self.stream_label = QLabel()
        self.stream = StreamChoice()
        self.stream.setObjectName("fileStream")
        self.stream.currentIndexChanged.connect(lambda _index: self.show_stream())
        self.state = QLabel()
        self.state.setObjectName("fileState")
        self.state.setWordWrap(True)
        top.addWidget(self.stream_label)
        top.addWidget(self.stream)
        top.addWidget(self.state, 1)
        self.body.addLayout(top)
        self.table, self.model = row_table("applicants", COLUMNS, stretch=(1,))
        self.body.addWidget(self.table, 1)
        self.retranslate()

    def take(self) -> None:
        """Take the chosen package with the typed password (cleared after the attempt)."""
        password = self.password.text()
        if not password:
            self.show_problem(_("Type the workstation's password (from the enrolment sheet)."))
            return
        path = self.package.text().strip()
        if not path:
            self.show_problem(_("Choose the certificate-file package (.entpkg) first."))
            return
        self.password.clear()
        taken = self.take_package_file(Path(path), password, take_certificate_file)
        if taken is not None and taken.taken:
            self.package.clear()
            self.reload()
            shown = self.read(lambda session: stream_of_package(session, taken.package_id))
            self.stream.setCurrentIndex(max(0, self.stream.findData(None if shown is None else shown.number)))

    def reload(self) -> None:
        self.stream.offer(self.read(stream_numbers) or [])
        self.show_stream()

    def show_stream(self) -> None:
        number = self.stream.number()
        if number is None:
            self.model.set_rows([])
            self.state.setText(_(NO_FILE))
            return
        def work(session: Session) -> tuple[str, list[ListedApplicant]]:
            stream, rows = stream_applicants(session, number)
            return _("{date}, site {site}: {count} applicant(s), {numbered} with a certificate number.").format(
                date=stream.exam_date.strftime("%d.%m.%Y"), site=stream.site_code, count=len(rows),
                numbered=sum(1 for item in rows if item.certificate_number)), rows

        shown = self.peek(work)
        if isinstance(shown, Unreadable):
            self.model.set_rows([])
            self.state.setText(shown)
            return
        self.state.setText(shown[0])
        self.model.set_rows(shown[1])

    def retranslate(self) -> None:
        self.heading.setText(_("Certificate file (п. 214–215)"))
        self.package.setPlaceholderText(_("the certificate-file package (.entpkg)"))
        self.browse.setText(_("Browse…"))
        self.password.setPlaceholderText(_("the workstation's password"))
        fit_placeholder(self.password)
        self.take_button.setText(_("Take the certificate file"))
        self.stream_label.setText(_("Stream"))
        self.model.retranslate()
        self.reload()
