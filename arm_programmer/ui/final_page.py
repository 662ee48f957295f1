"""The certificate file and the programmer's report (п. 214, 232): the stream's state — whether its appeal is closed,
how many applicants the certificate file would carry, the files already sent —, the file sealed with the workstation's
password to the site's АРМ «Сертификат» once confirmed (the service of ``send certificate-file``), and the
programmer's report (прил. 25) printed (the service of ``appeal print report``)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QPushButton

from arm_programmer.certificate_file import CertificateFileState, SentCertificateFile, certificate_file_state
from arm_programmer.day import stream_numbers
from arm_programmer.ui.stream_choice import stream_header
from common.i18n import _
from common.reports import PrintedForm
from common.security.audit import AuditLog
from common.ui.page import PrintPage, secret_box
from common.ui.shell import ShellContext

PASSWORD_WIDTH = 220


def _moment(moment: datetime) -> str:
    return f"{moment:%d.%m.%Y %H:%M} UTC"


def state_lines(state: CertificateFileState) -> list[str]:
    """The stream's state in the page's bold lines."""
    number = state.stream_number
    if state.appeal_closed_at is None:
        lines = [_("Stream {stream}: the appeals are not closed yet; the certificate file follows the appeal "
                   "(п. 214).").format(stream=number)]
    else:
        lines = [_("Stream {stream}: the appeals were closed on {moment}.").format(
            stream=number, moment=_moment(state.appeal_closed_at))]
    if state.applicants is not None:
        lines.append(_("The certificate file would carry {count} applicant(s) with a result, to {recipient}.").format(
            count=state.applicants, recipient=state.recipient))
    if state.sent:
        last = state.sent[-1]
        lines.append(_("Certificate files sent: {count}; the last on {moment} ({file}).").format(
            count=len(state.sent), moment=_moment(last.sent_at), file=last.file_name))
    else:
        lines.append(_("No certificate file sent yet."))
    return lines


class FinalPage(PrintPage):
    def __init__(self, context: ShellContext) -> None:
        super().__init__(context)
        self.view: CertificateFileState | None = None
        self.header = stream_header(self.body, "final", self.show_stream)
        self.stream, self.language, self.state = self.header.stream, self.header.language, self.header.state

        self.send_box = QGroupBox()
        grid = QGridLayout(self.send_box)
        self.password_label = QLabel()
        self.password = secret_box("finalPassword")
        self.password.setMaximumWidth(PASSWORD_WIDTH)
        self.send_button = QPushButton()
        self.send_button.setObjectName("sendCertificateFile")
        self.send_button.clicked.connect(self.send_certificate_file)
        grid.addWidget(self.password_label, 0, 0)
        grid.addWidget(self.password, 0, 1)
        grid.addWidget(self.send_button, 0, 2)
        grid.setColumnStretch(3, 1)
        self.body.addWidget(self.send_box)

        self.report_box = QGroupBox()
        report = QGridLayout(self.report_box)
        self.report_button = QPushButton()
        self.report_button.setObjectName("printProgrammerReport")
        self.report_button.clicked.connect(self.print_report)
        report.addWidget(self.report_button, 0, 0)
        report.setColumnStretch(1, 1)
        self.body.addWidget(self.report_box)
        self.body.addStretch(1)
        self.retranslate()

    def reload(self) -> None:
        self.stream.offer(self.read(stream_numbers) or [])
        self.show_stream()

    def show_stream(self) -> None:
        number = self.header.chosen()
        if number is None:
            self.view = None
            return
        self.view = self.read(lambda session: certificate_file_state(session, number))
        self.state.setText("" if self.view is None else "\n".join(state_lines(self.view)))

    def send_certificate_file(self) -> None:
        """Seal the chosen stream's certificate file to the site's АРМ «Сертификат» once confirmed; refused in one
        line (nothing asked, nothing written) while the stream's appeal is not closed."""
        from arm_programmer.certificate_file import send_certificate_file

        number = self.stream.number()
        if number is None:
            return
        state = self.read(lambda session: certificate_file_state(session, number))
        if state is None:
            return
        if state.refusal is not None:
            self.show_problem(state.refusal)
            return
        if not self.password.text():
            self.show_problem(_("Type the workstation's password (from the enrolment sheet)."))
            return
        again = "" if not state.sent else " " + _("A file was already sent for this stream; the workstation takes "
                                                   "the newer one while no certificate number is assigned.")
        if not self.confirm(_("Seal the certificate file of stream {stream} ({count} applicant(s)) to АРМ "
                              "«Сертификат» {recipient}?").format(stream=number, count=state.applicants,
                                                                   recipient=state.recipient) + again,
                            _("Send the certificate file")):
            return
        audit, outbox = AuditLog(self.db.folder.audit_log), self.db.folder.outbox

        def finished(sent: SentCertificateFile) -> None:
            self.show_done(_("The certificate file of stream {stream} ({count} applicant(s)) is sealed for "
                             "{recipient}: {path}").format(stream=sent.stream_number, count=sent.applicants,
                                                           recipient=sent.recipient, path=sent.path))

        self.send_sealed(self.password, lambda session, password: send_certificate_file(
            session, outbox, number, password=password, actor=self.db.actor, audit=audit),
            finished, _("Sealing the certificate file…"))

    def print_report(self) -> None:
        """The programmer's report (прил. 25) of the chosen stream, in the chosen language."""
        from arm_programmer.appeal_print_service import print_appeal_form

        number, language = self.stream.number(), str(self.language.currentData())
        if number is None:
            return
        folder = self.db.folder

        def work() -> list[PrintedForm]:
            with self.db.transaction() as session:
                return print_appeal_form(session, folder, number, "report", language, actor=self.db.actor)

        self.in_background(work, self.show_printed, _("Printing…"))

    def retranslate(self) -> None:
        self.heading.setText(_("Certificate file and reports"))
        self.header.retranslate()
        self.send_box.setTitle(_("The certificate file to АРМ «Сертификат» (п. 55.2, 214)"))
        self.password_label.setText(_("Workstation password:"))
        self.send_button.setText(_("Send the certificate file…"))
        self.report_box.setTitle(_("Reports (п. 232)"))
        self.report_button.setText(_("Print the programmer's report (прил. 25)"))
        self.reload()
