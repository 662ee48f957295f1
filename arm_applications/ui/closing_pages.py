"""The stages after the applications are in: closing the database with НЦТ's code (ch. 20, п. 13, 107),
then НЦТ's room opening, the distribution to rooms and the packages after it (п. 89.10–89.14, 110).
Each button calls the service the matching command calls."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QListWidget, QPushButton
from sqlalchemy.orm import Session

from arm_applications.closing import Closed, Sent, application_counts, database_state
from common.exchange.dictated import CodeCheck
from common.i18n import _
from common.ui.page import Page, secret_box
from common.ui.shell import ShellContext
from common.ui.widgets import browse_into


def _state_text(session: Session) -> str:
    state = database_state(session)
    counts = application_counts(session)
    if state is None:
        return _("The applicant database is open: {live} applicant(s), {annulled} annulled.").format(**counts)
    text = _("The applicant database is closed ({date}): {live} applicant(s), {annulled} annulled.").format(
        date=state.closed_at.astimezone().strftime("%Y-%m-%d %H:%M"), **counts)
    if state.distributed_at is not None:
        text += " " + _("Distributed to rooms.")
    if state.handed_over_at is not None:
        text += " " + _("Handed over to the programmer.")
    return text


class ClosingPage(Page):
    """прил. 33 for the reconciliation, then the code НЦТ dictates closes the database; the final file."""

    def __init__(self, context: ShellContext) -> None:
        super().__init__(context)
        self.state = QLabel()
        self.state.setObjectName("closingState")
        self.state.setWordWrap(True)
        self.body.addWidget(self.state)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.body.addWidget(self.note)
        print_row = QHBoxLayout()
        self.school = QComboBox()
        self.school.setObjectName("school")
        self.print_button = QPushButton()
        self.print_button.setObjectName("printSecretaryJournal")
        self.print_button.clicked.connect(self.print_journal)
        print_row.addWidget(self.school)
        print_row.addWidget(self.print_button)
        print_row.addStretch(1)
        self.body.addLayout(print_row)
        close_row = QHBoxLayout()
        self.code = secret_box("closingCode")
        self.close_button = QPushButton()
        self.close_button.setObjectName("closeDatabase")
        self.close_button.clicked.connect(self.close_database)
        close_row.addWidget(self.code, 1)
        close_row.addWidget(self.close_button)
        self.body.addLayout(close_row)
        send_row = QHBoxLayout()
        self.password = secret_box("finalPassword")
        self.send_button = QPushButton()
        self.send_button.setObjectName("sendFinal")
        self.send_button.clicked.connect(self.send_final)
        send_row.addWidget(self.password, 1)
        send_row.addWidget(self.send_button)
        self.body.addLayout(send_row)
        self.body.addStretch(1)
        self.retranslate()
        self.reload()

    def reload(self) -> None:
        from arm_applications.plan import school_key, schools_in_order

        text = self.read(_state_text)
        if text is not None:
            self.state.setText(text)
        schools = self.read(lambda session: [school_key(school) for school in schools_in_order(session)
                                             if school.journal]) or []
        if [self.school.itemData(index) for index in range(self.school.count())] != schools:
            self.school.clear()
            for key in schools:
                self.school.addItem(key, key)

    def print_journal(self) -> None:
        from arm_applications.printing import default_form_language, print_school_form

        key = str(self.school.currentData() or "")
        self.act(lambda session: print_school_form(session, self.db.folder, "secretary-journal", key,
                                                   default_form_language(), actor=self.db.actor),
                 lambda printed: _("Printed {pages} page(s): {path}").format(pages=printed.pages, path=printed.path))

    def close_database(self) -> None:
        from arm_applications.closing import close_database, closing_obstacles
        from arm_applications.printing import default_form_language, print_closing_record
        from common.security.audit import AuditLog

        code = self.code.text()
        self.code.clear()

        def work(session: Session) -> tuple[CodeCheck, Closed | None]:
            site_code = closing_obstacles(session)
            check, closed = close_database(session, code=code, audit=AuditLog(self.db.folder.audit_log),
                                           actor=self.db.actor)
            if closed is not None:
                self.db.audit(session, "applications.close", site_code, struck=closed.struck,
                              applicants=closed.applicants, annulled=closed.annulled)
            return check, closed

        outcome = self.act(work)
        if outcome is None:
            return
        check, closed = outcome
        if closed is None:
            self.show_problem(check.message)
            return
        prints = self.act(lambda session: print_closing_record(session, self.db.folder, default_form_language(),
                                                               actor=self.db.actor))
        self.show_done(_("The applicant database is closed: {applicants} applicant(s), {annulled} annulled; {struck} "
                         "free row(s) struck out with «Z». Send the final file to NTC: send final.").format(
            applicants=closed.applicants, annulled=closed.annulled, struck=closed.struck)
            + " " + _("{count} print(s) of the database information in printed/.").format(count=len(prints or [])))
        self.reload()

    def send_final(self) -> None:
        from arm_applications.closing import send_after_closing

        self.send_sealed(self.password,
                         lambda session, password: send_after_closing(session, self.db.folder, "final",
                                                                      password=password, actor=self.db.actor),
                         lambda sent: self.show_done(sent.line()), _("Sealing…"))  # fmt: skip

    def retranslate(self) -> None:
        self.heading.setText(_("Closing the database"))
        self.note.setText(_("Print the technical secretary's journal (прил. 33) of each school for the reconciliation "
                            "(п. 107.1–107.2); then type the code NTC dictates to close the database. Free journal "
                            "rows are struck out with «Z» and nothing can be changed afterwards."))
        self.print_button.setText(_("Print the technical secretary's journal"))
        self.code.setPlaceholderText(_("the code NTC dictates"))
        self.close_button.setText(_("Close the database"))
        self.password.setPlaceholderText(_("the workstation's password"))
        self.send_button.setText(_("Send the final file to NTC"))
        self.reload()


class DistributionPage(Page):
    """НЦТ's room opening, the distribution, прил. 2 and the counts and hand-over packages."""

    def __init__(self, context: ShellContext) -> None:
        super().__init__(context)
        self.state = QLabel()
        self.state.setObjectName("distributionState")
        self.state.setWordWrap(True)
        self.body.addWidget(self.state)
        take_row = QHBoxLayout()
        self.package = QLineEdit()
        self.package.setObjectName("openingPackage")
        self.browse = QPushButton()
        self.browse.clicked.connect(lambda: browse_into(self, self.package, _("The room-opening package"), "*.entpkg"))
        self.take_password = secret_box("openingPassword")
        self.take_button = QPushButton()
        self.take_button.setObjectName("takeOpening")
        self.take_button.clicked.connect(self.take)
        for widget in (self.package, self.browse, self.take_password, self.take_button):
            take_row.addWidget(widget)
        take_row.setStretch(0, 1)
        self.body.addLayout(take_row)
        act_row = QHBoxLayout()
        self.distribute_button = QPushButton()
        self.distribute_button.setObjectName("distribute")
        self.distribute_button.clicked.connect(self.distribute)
        self.print_button = QPushButton()
        self.print_button.setObjectName("printDistribution")
        self.print_button.clicked.connect(self.print_distribution)
        act_row.addWidget(self.distribute_button)
        act_row.addWidget(self.print_button)
        act_row.addStretch(1)
        self.body.addLayout(act_row)
        send_row = QHBoxLayout()
        self.password = secret_box("sendPassword")
        self.counts_button = QPushButton()
        self.counts_button.setObjectName("sendCounts")
        self.counts_button.clicked.connect(lambda: self.send("counts"))
        self.handover_button = QPushButton()
        self.handover_button.setObjectName("sendHandover")
        self.handover_button.clicked.connect(lambda: self.send("handover"))
        send_row.addWidget(self.password, 1)
        send_row.addWidget(self.counts_button)
        send_row.addWidget(self.handover_button)
        self.body.addLayout(send_row)
        self.rooms = QListWidget()
        self.rooms.setObjectName("roomUses")
        self.body.addWidget(self.rooms, 1)
        self.retranslate()
        self.reload()

    def reload(self) -> None:
        from arm_applications.rooms import room_uses, summary_lines

        text = self.read(_state_text)
        if text is not None:
            self.state.setText(text)
        self.rooms.clear()
        self.rooms.addItems(self.read(lambda session: summary_lines(room_uses(session))) or [])

    def take(self) -> None:
        from arm_applications.rooms import take_room_opening

        password = self.take_password.text()
        self.take_password.clear()
        self.take_package_file(Path(self.package.text().strip()), password, take_room_opening)
        self.reload()

    def distribute(self) -> None:
        from arm_applications.distribution import distribute

        def work(session: Session) -> str:
            done = distribute(session)
            self.db.audit(session, "applications.distribute", None, applicants=done.applicants, rooms=done.rooms,
                          reserve_rooms=done.reserve_rooms)
            return _("{applicants} applicant(s) distributed to {rooms} room(s), {reserve} of them reserve rooms. "
                     "Print the rooms' lists (print distribution) and send the counts to NTC (send counts).").format(
                applicants=done.applicants, rooms=done.rooms, reserve=done.reserve_rooms)

        self.act(work, lambda message: message)
        self.reload()

    def print_distribution(self) -> None:
        from arm_applications.printing import default_form_language, print_distribution

        self.act(lambda session: print_distribution(session, self.db.folder, default_form_language(),
                                                    actor=self.db.actor),
                 lambda prints: "\n".join(_("Printed {pages} page(s): {path}").format(pages=item.pages, path=item.path)
                                          for item in prints))

    def send(self, what: str) -> None:
        from arm_applications.closing import send_after_closing

        def finished(sent: Sent) -> None:
            self.show_done(sent.line())
            self.reload()

        self.send_sealed(self.password,
                         lambda session, password: send_after_closing(session, self.db.folder, what,
                                                                      password=password, actor=self.db.actor),
                         finished, _("Sealing…"))  # fmt: skip

    def retranslate(self) -> None:
        self.heading.setText(_("Distribution to rooms"))
        self.package.setPlaceholderText(_("NTC's room-opening package"))
        self.browse.setText(_("Folder…"))
        self.take_password.setPlaceholderText(_("the workstation's password"))
        metrics = self.take_password.fontMetrics()  # the whole placeholder shows, in either language
        self.take_password.setMinimumWidth(metrics.horizontalAdvance(self.take_password.placeholderText()) + 24)
        self.take_button.setText(_("Take the room opening"))
        self.distribute_button.setText(_("Distribute"))
        self.print_button.setText(_("Print the distribution (прил. 2)"))
        self.password.setPlaceholderText(_("the workstation's password"))
        self.counts_button.setText(_("Send the counts to NTC"))
        self.handover_button.setText(_("Hand over to the programmer"))
        self.reload()
