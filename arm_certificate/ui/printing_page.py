"""Printing the certificates (п. 215–218): the QR's signing key НЦТ issued (installed from its file with its
password; its issuer and fingerprint shown), the printer and its calibration (the test page, the measured offset in
mm saved), and a stream's issued certificates printed on their blanks — in the background, then Qt's print preview of
the kept PDF. The services of ``signing-key install|show``, ``calibrate`` and ``print certificates``."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
)

from arm_certificate.certificate_file import stream_numbers
from arm_certificate.certificate_print import (
    MAX_OFFSET_MM,
    print_certificates,
    print_test_page,
    printer_offset,
    save_offset,
)
from arm_certificate.signing_key import KeyInfo, install_signing_key, signing_key_info
from arm_certificate.ui.widgets import NO_FILE, NO_FILE_STATE, StreamChoice
from common.i18n import _, current_language
from common.reports import PrintedForm
from common.security.audit import AuditLog
from common.ui.page import PrintPage, Unreadable
from common.ui.secrets import SecretLine
from common.ui.shell import ShellContext
from common.ui.widgets import browse_button, browse_into, fit_placeholder

PDF_PRINTER = "PDF"
"""The printer offered when the system has none: the certificates go to a PDF printed elsewhere."""
PASSWORD_WIDTH = 300


def printer_names() -> list[str]:
    """The system's printers (QPrinterInfo), or «PDF» when there is none."""
    return list(QPrinterInfo.availablePrinterNames()) or [PDF_PRINTER]


class PrintingPage(PrintPage):
    def __init__(self, context: ShellContext) -> None:
        super().__init__(context)

        self.key_box = QGroupBox()
        key = QGridLayout(self.key_box)
        self.key_state = QLabel()
        self.key_state.setObjectName("keyState")
        self.key_state.setWordWrap(True)
        self.key_file = QLineEdit()
        self.key_file.setObjectName("keyFile")
        self.key_browse = browse_button("browseKey")
        self.key_browse.clicked.connect(lambda: browse_into(self, self.key_file, _("The signing key file НЦТ issued"),
                                                            "*.json"))
        self.install_password = SecretLine("installKeyPassword")
        self.install_password.setMaximumWidth(PASSWORD_WIDTH)
        self.install_button = QPushButton()
        self.install_button.setObjectName("installKey")
        self.install_button.clicked.connect(self.install_key)
        key.addWidget(self.key_state, 0, 0, 1, 4)
        key.addWidget(self.key_file, 1, 0)
        key.addWidget(self.key_browse, 1, 1)
        key.addWidget(self.install_password, 1, 2)
        key.addWidget(self.install_button, 1, 3)
        key.setColumnStretch(0, 1)
        self.body.addWidget(self.key_box)

        self.printer_box = QGroupBox()
        printer = QGridLayout(self.printer_box)
        self.printer_label, self.dx_label, self.dy_label = QLabel(), QLabel(), QLabel()
        self.printer = QComboBox()
        self.printer.setObjectName("printer")
        self.printer.currentIndexChanged.connect(lambda _index: self.show_printer(boxes=True))
        self.printer_state = QLabel()
        self.printer_state.setObjectName("printerState")
        self.printer_state.setWordWrap(True)
        self.test_button = QPushButton()
        self.test_button.setObjectName("printTestPage")
        self.test_button.clicked.connect(self.print_test_page)
        self.dx, self.dy = QDoubleSpinBox(), QDoubleSpinBox()
        for box, name in ((self.dx, "offsetDx"), (self.dy, "offsetDy")):
            box.setObjectName(name)
            box.setRange(-MAX_OFFSET_MM, MAX_OFFSET_MM)
            box.setDecimals(1)
            box.setSingleStep(0.5)
            box.setSuffix(" mm")
        self.save_button = QPushButton()
        self.save_button.setObjectName("saveOffset")
        self.save_button.clicked.connect(self.save_offset)
        printer.addWidget(self.printer_label, 0, 0)
        printer.addWidget(self.printer, 0, 1)
        printer.addWidget(self.printer_state, 0, 2, 1, 4)
        printer.addWidget(self.test_button, 1, 1)
        offsets = QHBoxLayout()
        for widget in (self.dx_label, self.dx, self.dy_label, self.dy, self.save_button):
            offsets.addWidget(widget)
        offsets.addStretch(1)
        printer.addLayout(offsets, 1, 2, 1, 4)
        printer.setColumnStretch(5, 1)
        self.body.addWidget(self.printer_box)

        self.print_box = QGroupBox()
        printing = QGridLayout(self.print_box)
        self.stream_label = QLabel()
        self.stream = StreamChoice()
        self.stream.setObjectName("printStream")
        self.stream.currentIndexChanged.connect(lambda _index: self.show_stream())
        self.stream_state = QLabel()
        self.stream_state.setObjectName("printState")
        self.stream_state.setWordWrap(True)
        self.key_password = SecretLine("printKeyPassword")
        self.key_password.setMaximumWidth(PASSWORD_WIDTH)
        self.only_ikt = QLineEdit()
        self.only_ikt.setObjectName("printOnlyIkt")
        self.only_ikt.setMaxLength(20)
        self.print_button = QPushButton()
        self.print_button.setObjectName("printCertificates")
        self.print_button.clicked.connect(self.print_certificates)
        printing.addWidget(self.stream_label, 0, 0)
        printing.addWidget(self.stream, 0, 1)
        printing.addWidget(self.stream_state, 0, 2, 1, 3)
        printing.addWidget(self.key_password, 1, 1, 1, 2)
        printing.addWidget(self.only_ikt, 1, 3)
        printing.addWidget(self.print_button, 1, 4)
        printing.setColumnStretch(2, 1)
        self.body.addWidget(self.print_box)
        self.body.addStretch(1)
        self.retranslate()

    def _audit(self) -> AuditLog:
        return AuditLog(self.db.folder.audit_log)

    # the signing key

    def install_key(self) -> None:
        from common.files import read_input_file

        password = self.install_password.text()
        self.install_password.clear()
        path = self.key_file.text().strip()
        if not path or not password:
            self.show_problem(_("Choose the signing key file НЦТ issued and type its password."))
            return
        audit = self._audit()

        def done(info: KeyInfo) -> str:
            return _("The certificate signing key of {issuer} is installed; fingerprint {fingerprint}.").format(
                issuer=info.issuer, fingerprint=info.fingerprint)

        if self.act(lambda session: install_signing_key(session, self.db.folder, read_input_file(Path(path)), password,
                                                        actor=self.db.actor, audit=audit), done) is not None:
            self.key_file.clear()

    # the printer

    def chosen_printer(self) -> str:
        return self.printer.currentText()

    def print_test_page(self) -> None:
        printer, language = self.chosen_printer(), current_language()

        def work() -> PrintedForm:
            with self.db.transaction() as session:
                return print_test_page(session, self.db.folder, printer, language, actor=self.db.actor)

        self.in_background(work, self.show_printed, _("Printing the test page…"))

    def save_offset(self) -> None:
        printer, dx, dy = self.chosen_printer(), self.dx.value(), self.dy.value()
        audit = self._audit()
        self.act(lambda session: save_offset(session, printer, dx, dy, actor=self.db.actor, audit=audit),
                 _("Printer {printer}: every field moves {dx:+.1f} mm right and {dy:+.1f} mm down.").format(
                     printer=printer, dx=dx, dy=dy))

    # the certificates

    def print_certificates(self) -> None:
        """Print the stream's issued certificates in the background with the typed key password (cleared), then
        open the print preview."""
        number = self.stream.number()
        password = self.key_password.text()
        self.key_password.clear()
        if number is None:
            self.show_problem(_(NO_FILE))
            return
        if not password:
            self.show_problem(_("Type the signing key's password (given with its file)."))
            return
        printer, language, audit = self.chosen_printer(), current_language(), self._audit()
        ikt = self.only_ikt.text().strip() or None

        def work() -> PrintedForm:
            with self.db.transaction() as session:
                return print_certificates(session, self.db.folder, number, printer, password, language,
                                          actor=self.db.actor, audit=audit, ikt=ikt)

        self.in_background(work, self.show_printed, _("Printing the certificates…"))

    # showing

    def reload(self) -> None:
        info = signing_key_info(self.db.folder)
        self.key_state.setText(_("No certificate signing key is installed: install the file НЦТ issued with its "
                                 "password.") if info is None else
                               _("Signing key of {issuer}; fingerprint {fingerprint}.").format(
                                   issuer=info.issuer, fingerprint=info.fingerprint))
        names = printer_names()
        if [self.printer.itemText(index) for index in range(self.printer.count())] != names:
            chosen = self.printer.currentText()
            self.printer.blockSignals(True)
            self.printer.clear()
            self.printer.addItems(names)
            self.printer.setCurrentIndex(max(0, self.printer.findText(chosen)))
            self.printer.blockSignals(False)
            self.show_printer(boxes=True)
        else:
            self.show_printer()
        self.stream.offer(self.read(stream_numbers) or [])
        self.show_stream()

    def show_printer(self, boxes: bool = False) -> None:
        """The chosen printer's calibration; ``boxes``: also put its saved offset (or 0) in the spin boxes — when
        another printer is chosen, not after every change (what the operator is typing stays)."""
        printer = self.chosen_printer()
        offset = self.read(lambda session: printer_offset(session, printer)) if printer else None
        if boxes:
            self.dx.setValue(0.0 if offset is None else offset[0])
            self.dy.setValue(0.0 if offset is None else offset[1])
        if offset is None:
            self.printer_state.setText(_("Not calibrated: print the test page, measure the crosses and save the "
                                         "offset."))
            return
        self.printer_state.setText(_("Calibrated: every field moves {dx:+.1f} mm right and {dy:+.1f} mm down.").format(
            dx=offset[0], dy=offset[1]))

    def show_stream(self) -> None:
        from arm_certificate.certificate_file import stream_applicants

        number = self.stream.number()
        if number is None:
            self.stream_state.setText(_(NO_FILE_STATE))
            return
        rows = self.peek(lambda session: stream_applicants(session, number)[1])
        if isinstance(rows, Unreadable):
            self.stream_state.setText(rows)
            return
        issued = sum(1 for item in rows if item.certificate_number)
        self.stream_state.setText(_("{issued} of {count} certificate(s) have a number and will be printed, one a "
                                    "page.").format(issued=issued, count=len(rows)))

    def retranslate(self) -> None:
        self.heading.setText(_("Printing certificates (п. 215–218)"))
        self.key_box.setTitle(_("The QR's signing key from НЦТ"))
        self.key_file.setPlaceholderText(_("the signing key file НЦТ issued"))
        self.key_browse.setText(_("Browse…"))
        self.install_password.setPlaceholderText(_("its password"))
        self.install_button.setText(_("Install the key"))
        self.printer_box.setTitle(_("Printer and its calibration"))
        self.printer_label.setText(_("Printer"))
        self.test_button.setText(_("Print the test page…"))
        self.dx_label.setText(_("Right (dx)"))
        self.dy_label.setText(_("Down (dy)"))
        self.save_button.setText(_("Save the offset"))
        self.print_box.setTitle(_("Certificates of a stream"))
        self.stream_label.setText(_("Stream"))
        self.key_password.setPlaceholderText(_("the signing key's password"))
        self.only_ikt.setPlaceholderText(_("only this ИКТ (a reprint)"))
        self.print_button.setText(_("Print the certificates…"))
        fit_placeholder(self.install_password, self.key_password, self.only_ikt)
        self.reload()
