"""The register and the acts (п. 216–222): the register of issued certificates of a stream (прил. 14), the acts of the
blanks received (прил. 16), handed over (прил. 15) and returned to НЦТ (прил. 41), each kept in ``printed/`` and shown
in Qt's print preview; and the stream's certificate numbers with the spoiled blanks sealed for НЦТ (п. 217) — what
goes and where the package is written shown first. The services of ``print register``, ``print act`` and ``send
certificate-numbers``."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton
from sqlalchemy.orm import Session

from arm_certificate.blanks import SentNumbers, certificate_numbers_payload, send_certificate_numbers
from arm_certificate.certificate_file import stream_numbers
from arm_certificate.register_prints import ACT_APPENDICES, ACT_KINDS, ACT_TITLES, print_act, print_register
from arm_certificate.ui.widgets import NO_FILE, NO_FILE_STATE, StreamChoice
from common.i18n import _
from common.reports import PrintedForm
from common.security.audit import AuditLog
from common.ui.page import PrintPage, Unreadable, secret_box
from common.ui.shell import ShellContext
from common.ui.widgets import fit_placeholder, language_choice

PASSWORD_WIDTH = 300


class RegisterPage(PrintPage):
    def __init__(self, context: ShellContext) -> None:
        super().__init__(context)
        top = QHBoxLayout()
        self.stream_label, self.language_label = QLabel(), QLabel()
        self.stream = StreamChoice()
        self.stream.setObjectName("registerStream")
        self.stream.currentIndexChanged.connect(lambda _index: self.show_stream())
        self.language = language_choice("registerLanguage")
        for widget in (self.stream_label, self.stream, self.language_label, self.language):
            top.addWidget(widget)
        top.addStretch(1)
        self.body.addLayout(top)

        self.prints_box = QGroupBox()
        prints = QGridLayout(self.prints_box)
        self.register_state = QLabel()
        self.register_state.setObjectName("registerState")
        self.register_state.setWordWrap(True)
        self.register_button = QPushButton()
        self.register_button.setObjectName("printRegister")
        self.register_button.clicked.connect(self.print_register)
        self.act_kind = QComboBox()
        self.act_kind.setObjectName("actKind")
        self.act_button = QPushButton()
        self.act_button.setObjectName("printAct")
        self.act_button.clicked.connect(self.print_act)
        prints.addWidget(self.register_state, 0, 0)
        prints.addWidget(self.register_button, 0, 1)
        prints.addWidget(self.act_kind, 1, 0)
        prints.addWidget(self.act_button, 1, 1)
        prints.setColumnStretch(0, 1)
        self.body.addWidget(self.prints_box)

        self.send_box = QGroupBox()
        sending = QGridLayout(self.send_box)
        self.send_state = QLabel()
        self.send_state.setObjectName("sendState")
        self.send_state.setWordWrap(True)
        self.password = secret_box("sendPassword")
        self.password.setMaximumWidth(PASSWORD_WIDTH)
        self.send_button = QPushButton()
        self.send_button.setObjectName("sendNumbers")
        self.send_button.clicked.connect(self.send)
        sending.addWidget(self.send_state, 0, 0, 1, 3)
        sending.addWidget(self.password, 1, 1)
        sending.addWidget(self.send_button, 1, 2)
        sending.setColumnStretch(0, 1)
        self.body.addWidget(self.send_box)
        self.body.addStretch(1)
        self.retranslate()

    def _no_stream(self) -> None:
        self.show_problem(_(NO_FILE))

    # the prints

    def _print(self, work: Callable[[Session], PrintedForm]) -> None:
        def run() -> PrintedForm:
            with self.db.transaction() as session:
                return work(session)

        self.in_background(run, self.show_printed, _("Printing…"))

    def print_register(self) -> None:
        number = self.stream.number()
        if number is None:
            self._no_stream()
            return
        language = str(self.language.currentData())
        self._print(lambda session: print_register(session, self.db.folder, number, language,
                                                   actor=self.db.actor)[1])

    def print_act(self) -> None:
        kind, language = str(self.act_kind.currentData()), str(self.language.currentData())
        self._print(lambda session: print_act(session, self.db.folder, kind, language, actor=self.db.actor))

    # the numbers to НЦТ

    def send(self) -> None:
        number = self.stream.number()
        if number is None:
            self._no_stream()
            return
        folder, audit = self.db.folder, AuditLog(self.db.folder.audit_log)

        def finished(sent: SentNumbers) -> None:
            self.show_done(_("The certificate numbers of stream {stream} ({count} certificate(s), {spoiled} spoiled "
                             "blank(s)) are sealed for НЦТ: {path}").format(
                stream=sent.stream, count=sent.certificates, spoiled=sent.spoiled, path=sent.path))

        self.send_sealed(self.password, lambda session, password: send_certificate_numbers(
            session, folder.outbox, number, password=password, actor=self.db.actor, audit=audit),
            finished, _("Sealing the certificate numbers…"))

    # showing

    def reload(self) -> None:
        self.stream.offer(self.read(stream_numbers) or [])
        self.show_stream()

    def show_stream(self) -> None:
        number = self.stream.number()
        if number is None:
            self.register_state.setText(_(NO_FILE_STATE))
            self.send_state.setText("")
            return
        payload = self.peek(lambda session: certificate_numbers_payload(session, number))
        if isinstance(payload, Unreadable):
            self.register_state.setText(_("The register lists the stream's issued certificates by school."))
            self.send_state.setText(payload)
            return
        self.register_state.setText(_("Stream {stream}: {count} issued certificate(s) to register by school.").format(
            stream=number, count=len(payload["certificates"])))
        self.send_state.setText(_("To НЦТ: stream {stream}, {count} certificate number(s), {spoiled} spoiled blank(s), "
                                  "{packs} pack(s) received; the sealed package is written to {outbox}").format(
            stream=number, count=len(payload["certificates"]), spoiled=len(payload["spoiled"]),
            packs=len(payload["packs"]), outbox=self.db.folder.outbox))

    def retranslate(self) -> None:
        self.heading.setText(_("Register and acts (п. 216–222)"))
        self.stream_label.setText(_("Stream"))
        self.language_label.setText(_("Form language:"))
        self.prints_box.setTitle(_("Prints"))
        self.register_button.setText(_("Print the register (прил. 14)…"))
        kind = self.act_kind.currentData()
        self.act_kind.clear()
        for key in ACT_KINDS:
            self.act_kind.addItem(_("{title} (прил. {appendix})").format(title=_(ACT_TITLES[key]),
                                                                         appendix=ACT_APPENDICES[key]), key)
        self.act_kind.setCurrentIndex(max(0, self.act_kind.findData(kind)))
        self.act_button.setText(_("Print the act…"))
        self.send_box.setTitle(_("Certificate numbers to НЦТ (п. 217)"))
        self.password.setPlaceholderText(_("the workstation's password"))
        self.send_button.setText(_("Send the numbers to НЦТ"))
        fit_placeholder(self.password)
        self.reload()
