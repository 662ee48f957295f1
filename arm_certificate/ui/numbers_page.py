"""The typographic numbers (п. 215–216, 222): the special interface for entering the blanks' numbers — a pack typed
as series, first number and count, or the first blank's barcode scanned by a keyboard-wedge reader (it types the text
and Enter: the line adds the pack, shows what it read and keeps the focus for the next scan); the packs received;
the stream's numbers assigned from the clean blanks; a spoiled blank recorded with its reason. The services of
``packs add``, ``packs list``, ``assign`` and ``spoil``."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
)
from sqlalchemy.orm import Session

from arm_certificate.blanks import (
    MOST_BLANKS,
    MOST_REASON,
    Assigned,
    PackLine,
    Spoiled,
    add_pack,
    assign_blank,
    assign_stream,
    list_packs,
    parse_blank,
    spoil,
    typed_pack,
)
from arm_certificate.certificate_file import stream_applicants, stream_numbers
from arm_certificate.ui.widgets import NO_FILE, NO_FILE_STATE, StreamChoice
from common.errors import Refused
from common.i18n import N_, _
from common.security.audit import AuditLog
from common.ui.page import HINT_STYLE, Page, Unreadable
from common.ui.shell import ShellContext
from common.ui.table_model import TableColumn
from common.ui.widgets import fit_placeholder, row_table

PACK_COLUMNS: list[TableColumn[PackLine]] = [
    TableColumn(N_("Series"), lambda line: line.series),
    TableColumn(N_("First blank"), lambda line: line.first),
    TableColumn(N_("Last blank"), lambda line: line.last),
    TableColumn(N_("Blanks"), lambda line: line.count, "right", text=str),
    TableColumn(N_("Issued blanks"), lambda line: line.issued, "right", text=str),
    TableColumn(N_("Spoiled"), lambda line: line.spoiled, "right", text=str),
    TableColumn(N_("Clean"), lambda line: line.clean, "right", text=str),
]


class NumbersPage(Page):
    def __init__(self, context: ShellContext) -> None:
        super().__init__(context)
        self.packs_box = QGroupBox()
        packs = QGridLayout(self.packs_box)
        self.scan_label, self.count_label, self.typed_label = QLabel(), QLabel(), QLabel()
        self.scan = QLineEdit()
        self.scan.setObjectName("packBarcode")
        self.scan.returnPressed.connect(self.add_scanned)
        self.count = QSpinBox()
        self.count.setObjectName("packCount")
        self.count.setRange(0, MOST_BLANKS)
        self.series = QLineEdit()
        self.series.setObjectName("packSeries")
        self.series.setMaxLength(10)
        self.first = QLineEdit()
        self.first.setObjectName("packFirst")
        self.first.setMaxLength(9)
        self.first.returnPressed.connect(self.add_typed)
        self.add_button = QPushButton()
        self.add_button.setObjectName("addPack")
        self.add_button.clicked.connect(self.add_typed)
        self.parsed = QLabel()
        self.parsed.setObjectName("packParsed")
        self.parsed.setStyleSheet(HINT_STYLE)
        packs.addWidget(self.count_label, 0, 0)
        packs.addWidget(self.count, 0, 1)
        packs.addWidget(self.scan_label, 0, 2)
        packs.addWidget(self.scan, 0, 3, 1, 2)
        packs.addWidget(self.typed_label, 1, 2)
        typed = QHBoxLayout()
        typed.addWidget(self.series)
        typed.addWidget(self.first, 1)
        packs.addLayout(typed, 1, 3)
        packs.addWidget(self.add_button, 1, 4)
        packs.addWidget(self.parsed, 2, 0, 1, 5)
        packs.setColumnStretch(3, 1)
        self.body.addWidget(self.packs_box)
        self.table, self.model = row_table("packs", PACK_COLUMNS)
        self.body.addWidget(self.table, 1)

        self.assign_box = QGroupBox()
        assign = QGridLayout(self.assign_box)
        self.stream_label = QLabel()
        self.stream = StreamChoice()
        self.stream.setObjectName("numbersStream")
        self.stream.currentIndexChanged.connect(lambda _index: self.show_stream())
        self.state = QLabel()
        self.state.setObjectName("numbersState")
        self.state.setWordWrap(True)
        self.assign_button = QPushButton()
        self.assign_button.setObjectName("assignNumbers")
        self.assign_button.clicked.connect(self.assign)
        self.one_label = QLabel()
        self.one_ikt = QLineEdit()
        self.one_ikt.setObjectName("assignIkt")
        self.one_ikt.setMaxLength(20)
        self.one_blank = QLineEdit()
        self.one_blank.setObjectName("assignBlank")
        self.one_button = QPushButton()
        self.one_button.setObjectName("assignOneBlank")
        self.one_button.clicked.connect(self.assign_one)
        assign.addWidget(self.stream_label, 0, 0)
        assign.addWidget(self.stream, 0, 1)
        assign.addWidget(self.state, 0, 2, 1, 3)
        assign.addWidget(self.assign_button, 0, 5)
        assign.addWidget(self.one_label, 1, 0, 1, 3)
        assign.addWidget(self.one_ikt, 1, 3)
        assign.addWidget(self.one_blank, 1, 4)
        assign.addWidget(self.one_button, 1, 5)
        self.date_label = QLabel()
        self.issued_on = QDateEdit(QDate.currentDate())
        self.issued_on.setObjectName("certificateDate")
        self.issued_on.setCalendarPopup(True)
        self.issued_on.setDisplayFormat("dd.MM.yyyy")
        assign.addWidget(self.date_label, 2, 0)
        assign.addWidget(self.issued_on, 2, 1)
        assign.setColumnStretch(2, 1)
        self.body.addWidget(self.assign_box)

        self.spoil_box = QGroupBox()
        spoiling = QHBoxLayout(self.spoil_box)
        self.blank = QLineEdit()
        self.blank.setObjectName("spoilBlank")
        self.reason = QLineEdit()
        self.reason.setObjectName("spoilReason")
        self.reason.setMaxLength(MOST_REASON)
        self.spoil_button = QPushButton()
        self.spoil_button.setObjectName("spoilBlankButton")
        self.spoil_button.clicked.connect(self.spoil)
        spoiling.addWidget(self.blank)
        spoiling.addWidget(self.reason, 1)
        spoiling.addWidget(self.spoil_button)
        self.body.addWidget(self.spoil_box)
        self.waiting = 0
        self.retranslate()

    def _issue_date(self) -> date:
        chosen = self.issued_on.date()
        return date(chosen.year(), chosen.month(), chosen.day())

    def _audit(self) -> AuditLog:
        return AuditLog(self.db.folder.audit_log)

    # the packs

    def _count(self) -> int | None:
        if self.count.value() == 0:
            self.show_problem(_("Set how many blanks the pack holds first."))
            self.count.setFocus()
            return None
        return self.count.value()

    def _add(self, series: str, first: int, digits: int, count: int) -> PackLine | None:
        audit = self._audit()
        return self.act(lambda session: add_pack(session, series, first, count, digits, actor=self.db.actor,
                                                 audit=audit),
                        lambda line: _("Pack {series} {first}–{last} ({count} blank(s)) is recorded.").format(
                            series=line.series, first=line.first, last=line.last, count=line.count))

    def add_scanned(self) -> None:
        """The barcode reader's Enter (or the operator's): read the first blank, record the pack, clear the line and
        keep the focus on it for the next scan."""
        text = self.scan.text()
        self.scan.clear()
        self.scan.setFocus()
        if not text.strip():
            return
        try:
            series, first, digits = parse_blank(text)
        except Refused as refusal:
            self.parsed.setText("")
            self.show_problem(refusal.message)
            return
        self.parsed.setText(_("Read: series {series}, first blank {first} ({digits} digits).").format(
            series=series, first=str(first).zfill(digits), digits=digits))
        count = self._count()
        if count is None:
            self.scan.setText(text.strip())
            return
        self._add(series, first, digits, count)
        self.scan.setFocus()

    def add_typed(self) -> None:
        """The pack typed as series, first number and count."""
        try:
            series, first, digits = typed_pack(self.series.text(), self.first.text())
        except Refused as refusal:
            self.show_problem(refusal.message)
            return
        count = self._count()
        if count is None:
            return
        if self._add(series, first, digits, count) is not None:
            self.series.clear()
            self.first.clear()
            self.parsed.setText("")

    # the numbers

    def _waiting(self, session: Session, number: int) -> tuple[int, int]:
        _stream, rows = stream_applicants(session, number)
        return len(rows), sum(1 for item in rows if not item.certificate_number)

    def assign(self) -> None:
        """Give the stream's applicants without a number the next clean blanks, after the operator confirms."""
        number = self.stream.number()
        if number is None:
            self.show_problem(_(NO_FILE))
            return
        counted = self.read(lambda session: self._waiting(session, number))
        if counted is None:
            return
        if not counted[1]:
            self.show_done(_("Every applicant of stream {stream} has a certificate number already.").format(
                stream=number))
            return
        if not self.confirm(_("Assign {count} certificate number(s) to stream {stream} from the clean blanks, in the "
                              "certificate order? A blank once given is printed for that applicant and is never "
                              "given to another.").format(count=counted[1], stream=number), _("Assign")):
            return
        audit, on = self._audit(), self._issue_date()

        def done(assigned: list[Assigned]) -> str:
            first, last = assigned[0], assigned[-1]
            return _("Stream {stream}: {count} certificate number(s) assigned, {first} … {last}.").format(
                stream=number, count=len(assigned), first=f"{first.series} {first.number}",
                last=f"{last.series} {last.number}")

        self.act(lambda session: assign_stream(session, number, on, actor=self.db.actor, audit=audit),
                 done)

    def assign_one(self) -> None:
        """Give one applicant of the stream one named blank (a reprint on the blank now in the printer), after the
        operator confirms."""
        number, ikt, text = self.stream.number(), self.one_ikt.text().strip(), self.one_blank.text().strip()
        if number is None:
            self.show_problem(_(NO_FILE))
            return
        if not ikt or not text:
            self.show_problem(_("Type the applicant's ИКТ and the blank to give them."))
            return
        try:
            parse_blank(text)
        except Refused as refusal:
            self.show_problem(refusal.message)
            return
        if not self.confirm(_("Give blank {blank} to the applicant with ИКТ {ikt} of stream {stream}? The blank is "
                              "then printed for them and is never given to another.").format(
                blank=text, ikt=ikt, stream=number), _("Give the blank")):
            return
        audit, on = self._audit(), self._issue_date()

        def done(assigned: Assigned) -> str:
            return _("The applicant with ИКТ {ikt} has blank {blank} now.").format(
                ikt=assigned.ikt, blank=f"{assigned.series} {assigned.number}")

        if self.act(lambda session: assign_blank(session, number, ikt, text, on, actor=self.db.actor,
                                                 audit=audit), done) is not None:
            self.one_ikt.clear()
            self.one_blank.clear()

    # spoiling

    def _issued_to(self, text: str) -> str | None:
        """The ИКТ of the chosen stream's applicant the blank is issued to, if any."""
        number = self.stream.number()
        if number is None:
            return None
        series, value, _digits = parse_blank(text)
        rows = self.read(lambda session: stream_applicants(session, number)[1]) or []
        for item in rows:
            if item.certificate_series == series and item.certificate_number and int(item.certificate_number) == value:
                return item.ikt
        return None

    def spoil(self) -> None:
        """Record the typed blank as spoiled with its reason, after the operator confirms."""
        text, reason = self.blank.text().strip(), self.reason.text().strip()
        try:
            parse_blank(text)
            if not reason:
                raise Refused(_("Give the reason the blank is spoiled, at most {most} characters.").format(
                    most=MOST_REASON))
            ikt = self._issued_to(text)
        except Refused as refusal:
            self.show_problem(refusal.message)
            return
        if ikt is not None:
            question = _("Record blank {blank} as spoiled? It is issued to the applicant with ИКТ {ikt}: the applicant "
                         "loses this certificate number and needs a reprint on another blank (assign the numbers "
                         "again, then print). A spoiled blank is never used again.").format(blank=text, ikt=ikt)
        else:
            question = _("Record blank {blank} as spoiled? A spoiled blank is never used again; if it was issued, "
                         "its applicant loses the certificate number and needs a reprint on another "
                         "blank.").format(blank=text)
        if not self.confirm(question, _("Spoil the blank")):
            return
        audit = self._audit()

        def done(spoiled: Spoiled) -> str:
            if spoiled.ikt is None:
                return _("Blank {blank} is recorded as spoiled.").format(blank=spoiled.blank)
            return _("Blank {blank} is recorded as spoiled; the applicant with ИКТ {ikt} has no certificate number "
                     "now (assign).").format(blank=spoiled.blank, ikt=spoiled.ikt)

        if self.act(lambda session: spoil(session, text, reason, actor=self.db.actor, audit=audit), done):
            self.blank.clear()
            self.reason.clear()

    # showing

    def reload(self) -> None:
        self.model.set_rows(self.read(list_packs) or [])
        self.stream.offer(self.read(stream_numbers) or [])
        self.show_stream()

    def show_stream(self) -> None:
        number = self.stream.number()
        if number is None:
            self.state.setText(_(NO_FILE_STATE))
            return
        shown = self.peek(lambda session: self._waiting(session, number))
        if isinstance(shown, Unreadable):
            self.state.setText(shown)
            return
        self.state.setText(_("{count} applicant(s), {waiting} without a certificate number.").format(
            count=shown[0], waiting=shown[1]))

    def retranslate(self) -> None:
        self.heading.setText(_("Typographic numbers (п. 215–216, 222)"))
        self.packs_box.setTitle(_("Packs of blanks received from НЦТ"))
        self.count_label.setText(_("Blanks in the pack"))
        self.count.setSpecialValueText("—")
        self.scan_label.setText(_("Scan the first blank"))
        self.scan.setPlaceholderText(_("the barcode reader types here, e.g. AA 0012345"))
        self.typed_label.setText(_("or type"))
        self.series.setPlaceholderText(_("series"))
        self.first.setPlaceholderText(_("first number, e.g. 0012345"))
        self.add_button.setText(_("Add the pack"))
        self.model.retranslate()
        self.assign_box.setTitle(_("Certificate numbers of a stream"))
        self.stream_label.setText(_("Stream"))
        self.assign_button.setText(_("Assign numbers…"))
        self.one_label.setText(_("or give one applicant a named blank (a reprint):"))
        self.one_ikt.setPlaceholderText(_("ИКТ"))
        self.one_blank.setPlaceholderText(_("blank, e.g. AA 0012345"))
        self.one_button.setText(_("Give the blank…"))
        self.date_label.setText(_("Certificates' date"))
        self.spoil_box.setTitle(_("Spoiled blank (п. 222)"))
        self.blank.setPlaceholderText(_("blank, e.g. AA 0012345"))
        self.reason.setPlaceholderText(_("why it is spoiled (no names)"))
        self.spoil_button.setText(_("Spoil the blank…"))
        fit_placeholder(self.scan, self.series, self.first, self.blank, self.one_ikt, self.one_blank)
        self.reload()
