"""The window's other stages: the site plan from НЦТ (п. 89.1), technical secretaries (п. 89.2),
registration journals (п. 90–91, 107.3) with the information directory (п. 37.2, 89.4),
reconciliation (ch. 18) and the daily statistics to НЦТ (п. 12). Each button calls the service the
matching command calls."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
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

from arm_applications.plan import (
    applications_of,
    find_school,
    load_plan,
    school_key,
    schools_in_order,
    take_plan_package,
)
from common.i18n import N_, _
from common.ui.page import Page, secret_box
from common.ui.shell import ShellContext
from common.ui.widgets import browse_into


class _SchoolPage(Page):
    """A page with a school chooser kept in step with the plan."""

    def __init__(self, context: ShellContext) -> None:
        super().__init__(context)
        self.school = QComboBox()
        self.school.setObjectName("school")

    @property
    def school_key(self) -> str | None:
        value = self.school.currentData()
        return str(value) if value else None

    def reload_schools(self) -> None:
        schools = self.read(lambda session: [school_key(school) for school in schools_in_order(session)]) or []
        if [self.school.itemData(index) for index in range(self.school.count())] == schools:
            return
        current = self.school_key
        self.school.clear()
        for key in schools:
            self.school.addItem(key, key)
        if current in schools:
            self.school.setCurrentIndex(schools.index(current))


class PlanPage(Page):
    def __init__(self, context: ShellContext) -> None:
        super().__init__(context)
        self.package = QLineEdit()
        self.package.setObjectName("planPackage")
        self.browse = QPushButton()
        self.browse.clicked.connect(lambda: browse_into(self, self.package, _("The site-plan package"), "*.entpkg"))
        self.password = secret_box("planPassword")
        self.import_button = QPushButton()
        self.import_button.setObjectName("planImport")
        self.import_button.clicked.connect(self.take)
        row = QHBoxLayout()
        for widget in (self.package, self.browse, self.password, self.import_button):
            row.addWidget(widget)
        row.setStretch(0, 1)
        self.body.addLayout(row)
        self.summary = QPlainTextEdit()
        self.summary.setObjectName("planSummary")
        self.summary.setReadOnly(True)
        self.body.addWidget(self.summary, 1)
        self.retranslate()
        self.reload()

    def take(self) -> None:
        self.take_package_file(Path(self.package.text().strip()), self.password.text(), take_plan_package)
        self.password.clear()

    def reload(self) -> None:
        def text(session: Session) -> str:
            plan = load_plan(session)
            lines = [_("Site {code}: {name} — plan number {sequence}").format(
                code=plan.site_code, name=plan.site_name_ru, sequence=plan.sequence),
                _("ИКТ block(s): {blocks} ({count} ИКТ)").format(
                    blocks=", ".join(f"{block.first:09d}–{block.last:09d}" for block in plan.ikt_blocks),
                    count=plan.ikt_total)]
            lines += [_("{key}  stream {stream}  expected {expected}  journal rows {rows}  {name}").format(
                key=school.key, stream=school.stream if school.stream is not None else "—", expected=school.expected,
                rows=school.journal_rows, name=school.name_ru) for school in plan.schools]
            lines.append(_("Applicants expected in all: {count}").format(count=plan.expected))
            return "\n".join(lines)

        from common.errors import Refused

        try:
            with self.db.transaction(read_only=True) as session:
                self.summary.setPlainText(text(session))
        except Refused as refusal:
            self.summary.setPlainText(refusal.message)

    def retranslate(self) -> None:
        self.heading.setText(_("Site plan from NTC"))
        self.package.setPlaceholderText(_("the site-plan package (.entpkg)"))
        self.password.setPlaceholderText(_("the workstation's password"))
        self.browse.setText(_("Folder…"))
        self.import_button.setText(_("Take the plan"))


class SecretariesPage(_SchoolPage):
    def __init__(self, context: ShellContext) -> None:
        super().__init__(context)
        self.name = QLineEdit()
        self.name.setObjectName("secretaryName")
        self.approved = QCheckBox()
        self.add_button = QPushButton()
        self.add_button.setObjectName("addSecretary")
        self.add_button.clicked.connect(self.add)
        row = QHBoxLayout()
        for widget in (self.school, self.name, self.approved, self.add_button):
            row.addWidget(widget)
        row.setStretch(1, 1)
        self.body.addLayout(row)
        self.list = QListWidget()
        self.list.setObjectName("secretaries")
        self.body.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        self.approve_button = QPushButton()
        self.approve_button.clicked.connect(self.approve)
        self.print_button = QPushButton()
        self.print_button.setObjectName("printSecretaries")
        self.print_button.clicked.connect(self.print_list)
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        self.body.addLayout(buttons)
        self.ids: list[int] = []
        self.retranslate()
        self.reload()

    def reload(self) -> None:
        from arm_applications.secretaries import list_secretaries

        self.reload_schools()
        items = self.read(list_secretaries) or []
        self.ids = [item.id for item in items]
        self.list.clear()
        self.list.addItems([f"{item.id}  {item.school}  {item.full_name}  "
                            f"({_('approved') if item.approved else _('not approved yet')})" for item in items])

    def add(self) -> None:
        from arm_applications.secretaries import add_secretary

        key, name, approved = self.school_key, self.name.text(), self.approved.isChecked()

        def work(session: Session) -> Any:
            added = add_secretary(session, key or "", name, approved=approved)
            self.db.audit(session, "secretaries.add", str(added.id), school=added.school, approved=added.approved)
            return added

        if self.act(work, lambda added: _("Technical secretary number {number} entered for school {school}.").format(
                number=added.id, school=added.school)) is not None:
            self.name.clear()

    def approve(self) -> None:
        from arm_applications.secretaries import approve_secretary

        row = self.list.currentRow()
        if not 0 <= row < len(self.ids):
            return
        number = self.ids[row]

        def work(session: Session) -> Any:
            done = approve_secretary(session, number)
            self.db.audit(session, "secretaries.approve", str(done.id), school=done.school)
            return done

        self.act(work, _("Approved."))

    def print_list(self) -> None:
        from arm_applications.printing import default_form_language, print_secretaries

        self.act(lambda session: print_secretaries(session, self.db.folder, default_form_language(),
                                                   actor=self.db.actor),
                 lambda printed: _("Printed {pages} page(s): {path}").format(pages=printed.pages, path=printed.path))

    def retranslate(self) -> None:
        self.heading.setText(_("Technical secretaries"))
        self.name.setPlaceholderText(_("full name"))
        self.approved.setText(_("Approved"))
        self.add_button.setText(_("Add"))
        self.approve_button.setText(_("Approve"))
        self.print_button.setText(_("Print the list"))


class JournalsPage(_SchoolPage):
    def __init__(self, context: ShellContext) -> None:
        super().__init__(context)
        self.print_button = QPushButton()
        self.print_button.setObjectName("printJournal")
        self.print_button.clicked.connect(self.print_journal)
        self.rows = QSpinBox()
        self.rows.setRange(1, 500)
        self.extend_button = QPushButton()
        self.extend_button.clicked.connect(self.extend)
        self.strike_button = QPushButton()
        self.strike_button.setObjectName("strikeJournal")
        self.strike_button.clicked.connect(self.strike)
        self.directory_button = QPushButton()
        self.directory_button.setObjectName("printDirectory")
        self.directory_button.clicked.connect(self.print_directory)
        row = QHBoxLayout()
        for widget in (self.school, self.print_button, self.rows, self.extend_button, self.strike_button,
                       self.directory_button):
            row.addWidget(widget)
        row.addStretch(1)
        self.body.addLayout(row)
        self.states = QListWidget()
        self.states.setObjectName("journalStates")
        self.body.addWidget(self.states, 1)
        self.retranslate()
        self.reload()

    def reload(self) -> None:
        from arm_applications.journals import journal_state

        self.reload_schools()

        def lines(session: Session) -> list[str]:
            schools = schools_in_order(session)
            return [_("{school}: {rows} rows (ИКТ {first}–{last}), {used} used, {free} free, {struck} struck out, "
                      "{missing} missing").format(school=state.school, rows=state.rows,
                                                  first=state.first_ikt or "—", last=state.last_ikt or "—",
                                                  used=state.used, free=state.free, struck=state.struck,
                                                  missing=state.missing)
                    for state in (journal_state(session, school) for school in schools)]

        self.states.clear()
        self.states.addItems(self.read(lines) or [])

    def print_journal(self) -> None:
        from arm_applications.printing import default_form_language, print_journal

        key = self.school_key or ""
        self.act(lambda session: print_journal(session, self.db.folder, key, default_form_language(),
                                               actor=self.db.actor),
                 lambda done: _("Printed {pages} page(s): {path}").format(pages=done.printed.pages,
                                                                         path=done.printed.path))

    def print_directory(self) -> None:
        from arm_applications.printing import default_form_language, print_directory

        self.act(lambda session: print_directory(session, self.db.folder, default_form_language(),
                                                 actor=self.db.actor),
                 lambda printed: _("Printed {pages} page(s): {path}").format(pages=printed.pages, path=printed.path))

    def extend(self) -> None:
        from arm_applications.journals import extend_journal

        key, count = self.school_key or "", self.rows.value()

        def work(session: Session) -> int:
            added = extend_journal(session, find_school(session, key), count)
            self.db.audit(session, "journals.extend", key, rows=len(added), first=added[0].ikt, last=added[-1].ikt)
            return len(added)

        self.act(work, lambda added: _("{count} row(s) added.").format(count=added))

    def strike(self) -> None:
        from arm_applications.journals import strike_free_rows

        key = self.school_key or ""
        if not self.confirm(_("Strike out every free row of the journal of {school} with «Z»? They can no longer "
                              "be used.").format(school=key), _("Strike out")):
            return

        def work(session: Session) -> int:
            struck = strike_free_rows(session, find_school(session, key))
            self.db.audit(session, "journals.strike", key, rows=struck)
            return struck

        self.act(work, lambda struck: _("{count} row(s) struck out with «Z».").format(count=struck))

    def retranslate(self) -> None:
        self.heading.setText(_("Registration journals"))
        self.print_button.setText(_("Print the journal"))
        self.extend_button.setText(_("Add rows"))
        self.strike_button.setText(_("Close: strike out free rows"))
        self.directory_button.setText(_("Print the information directory"))


class ReconciliationPage(_SchoolPage):
    def __init__(self, context: ShellContext) -> None:
        super().__init__(context)
        self.registered = QLineEdit()
        self.registered.setObjectName("journalRegistered")
        self.annulled = QLineEdit()
        self.annulled.setObjectName("journalAnnulled")
        self.run_button = QPushButton()
        self.run_button.setObjectName("reconcile")
        self.run_button.clicked.connect(self.reconcile)
        row = QHBoxLayout()
        for widget in (self.school, self.registered, self.annulled, self.run_button):
            row.addWidget(widget)
        row.setStretch(1, 1)
        row.setStretch(2, 1)
        self.body.addLayout(row)
        self.result = QPlainTextEdit()
        self.result.setObjectName("reconciliation")
        self.result.setReadOnly(True)
        self.body.addWidget(self.result, 1)
        self.retranslate()
        self.reload()

    def reload(self) -> None:
        self.reload_schools()

    def reconcile(self) -> None:
        from arm_applications.reconciliation import describe, parse_ikts, reconcile

        key, registered, annulled = self.school_key or "", self.registered.text(), self.annulled.text()
        result = self.read(lambda session: reconcile(find_school(session, key), parse_ikts(registered or None),
                                                     parse_ikts(annulled or None)))
        if result is None:
            return
        self.result.setPlainText("\n".join(describe(result)))

    def retranslate(self) -> None:
        self.heading.setText(_("Reconciliation"))
        self.registered.setPlaceholderText(_("ИКТ the journal shows registered, e.g. 100000001-100000012,100000015"))
        self.annulled.setPlaceholderText(_("ИКТ the journal shows annulled"))
        self.run_button.setText(_("Reconcile"))


class StatisticsPage(Page):
    def __init__(self, context: ShellContext) -> None:
        super().__init__(context)
        self.password = secret_box("dailyPassword")
        self.send_button = QPushButton()
        self.send_button.setObjectName("sendDaily")
        self.send_button.clicked.connect(self.send)
        row = QHBoxLayout()
        row.addWidget(self.password)
        row.addWidget(self.send_button)
        row.addStretch(1)
        self.body.addLayout(row)
        self.body.addStretch(1)
        self.retranslate()

    def send(self) -> None:
        from arm_applications.daily import send_daily

        self.send_sealed(
            self.password,
            lambda session, password: send_daily(session, self.db.folder, password=password, actor=self.db.actor),
            lambda sent: self.show_done(_("Daily statistics sealed for NTC: {path} ({applications} applications, "
                                          "{annulled} annulled, package {sequence}).").format(
                path=sent.path, applications=sent.applications, annulled=sent.annulled, sequence=sent.sequence)),
            _("Sealing…"))

    def retranslate(self) -> None:
        self.heading.setText(_("Daily statistics"))
        self.password.setPlaceholderText(_("the workstation's password"))
        self.send_button.setText(_("Seal for NTC"))


class ChangesPage(_SchoolPage):
    """Changes and annulments (ch. 19): they arrive as forms marked «изменен» or «аннулирован» on the
    scanning stage; here each application of the school with its status history, the re-entries
    with the application they replace, and the corrected certificates (п. 98, 104.7)."""

    def __init__(self, context: ShellContext) -> None:
        super().__init__(context)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.body.addWidget(self.note)
        row = QHBoxLayout()
        self.print_button = QPushButton()
        self.print_button.setObjectName("printCertificates")
        self.print_button.clicked.connect(self.print_certificates)
        row.addWidget(self.school)
        row.addWidget(self.print_button)
        row.addStretch(1)
        self.body.addLayout(row)
        self.list = QListWidget()
        self.list.setObjectName("applicationHistory")
        self.body.addWidget(self.list, 1)
        self.school.currentIndexChanged.connect(lambda _index: self._load())
        self.retranslate()
        self.reload()

    def reload(self) -> None:
        self.reload_schools()
        self._load()

    def _load(self) -> None:

        key = self.school_key
        if key is None:
            return

        def lines(session: Session) -> list[str]:
            school = find_school(session, key)
            result = []
            for application in applications_of(session, school):
                history = " → ".join(_(STATUS_WORDS[entry.new_status.value]) for entry in application.history)
                replaces = (_(" (replaces ИКТ {ikt})").format(ikt=application.replaces.ikt)
                            if application.replaces is not None else "")
                result.append(f"{application.ikt}  {history}{replaces}")
            return result

        self.list.clear()
        self.list.addItems(self.read(lines) or [])

    def print_certificates(self) -> None:
        from arm_applications.printing import default_form_language, print_school_form

        key = self.school_key or ""
        self.act(lambda session: print_school_form(session, self.db.folder, "certificates", key,
                                                   default_form_language(), actor=self.db.actor),
                 lambda printed: _("Printed {pages} page(s): {path}").format(pages=printed.pages, path=printed.path))

    def retranslate(self) -> None:
        self.heading.setText(_("Changes and annulments"))
        self.note.setText(_("A change or an annulment is a form marked «изменен» or «аннулирован» by the technical "
                            "secretary, scanned on the scanning stage. A new test language or ИКТ needs the "
                            "annulment and a new form on a free journal row (п. 103–104)."))
        self.print_button.setText(_("Print the certificates"))


STATUS_WORDS = {"entered": N_("entered"), "changed": N_("changed"), "annulled": N_("annulled")}
