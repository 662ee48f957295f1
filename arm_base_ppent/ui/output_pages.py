"""The prints (п. 85, 87–88, 32.2) with Qt's print preview, and the package to НЦТ (п. 79.3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
)
from sqlalchemy.orm import Session

from arm_base_ppent.printing import FORMS
from arm_base_ppent.sending import KIND, SentDatabase, plan_warnings, readiness_problems, send_site_database
from arm_base_ppent.snapshot import SiteSnapshot, load_snapshot
from arm_base_ppent.ui.schools_page import table_view
from arm_base_ppent.ui.support import FormLanguageBox, print_and_preview
from common.i18n import N_, _
from common.i18n.citation import cite
from common.ui.page import ERROR_STYLE, Page, secret_box
from common.ui.print_preview import show_print_preview
from common.ui.shell import ShellContext
from common.ui.table_model import RowFilterModel, RowTableModel, TableColumn


@dataclass(frozen=True)
class PrintedFile:
    path: Path
    modified: datetime
    size: int


PRINTED_COLUMNS: list[TableColumn[PrintedFile]] = [
    TableColumn(N_("File"), lambda f: f.path.name),
    TableColumn(N_("Printed"), lambda f: f.modified.strftime("%d.%m.%Y %H:%M:%S"), sort=lambda f: f.modified),
    TableColumn(N_("Size, KB"), lambda f: round(f.size / 1024), "right"),
]


def printed_files(folder: Path) -> list[PrintedFile]:
    if not folder.is_dir():
        return []
    files = []
    for path in folder.glob("*.pdf"):
        stat = path.stat()
        files.append(PrintedFile(path, datetime.fromtimestamp(stat.st_mtime), stat.st_size))
    return sorted(files, key=lambda item: item.modified, reverse=True)


class ReportsPage(Page):
    def __init__(self, context: ShellContext) -> None:
        super().__init__(context)
        self.forms = QListWidget()
        self.forms.setObjectName("forms")
        for key in FORMS:
            item = QListWidgetItem()
            item.setData(256, key)
            self.forms.addItem(item)
        self.forms.setCurrentRow(0)
        self.forms.setMaximumHeight(130)
        self.body.addWidget(self.forms)
        row = QHBoxLayout()
        self.rooms_label = QLabel()
        self.rooms = QLineEdit()
        self.rooms.setObjectName("printRooms")
        self.form_language = FormLanguageBox()
        self.print_button = QPushButton()
        self.print_button.setObjectName("printForm")
        row.addWidget(self.rooms_label)
        row.addWidget(self.rooms, 1)
        row.addWidget(self.form_language)
        row.addWidget(self.print_button)
        self.body.addLayout(row)
        self.printed_title = QLabel()
        self.body.addWidget(self.printed_title)
        self.printed_model: RowTableModel[PrintedFile] = RowTableModel(PRINTED_COLUMNS, self)
        self.printed_proxy = RowFilterModel(self.printed_model, self)
        self.printed_table = table_view(self.printed_proxy, "printedTable")
        self.printed_table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.printed_table.doubleClicked.connect(lambda _index: self.preview_selected())
        self.body.addWidget(self.printed_table, 1)
        row = QHBoxLayout()
        self.preview_button, self.folder_button = QPushButton(), QPushButton()
        row.addWidget(self.preview_button)
        row.addWidget(self.folder_button)
        row.addStretch(1)
        self.body.addLayout(row)
        self.forms.currentRowChanged.connect(lambda _row: self._form_chosen())
        self.print_button.clicked.connect(self.print_chosen)
        self.preview_button.clicked.connect(self.preview_selected)
        self.folder_button.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.db.folder.printed))))
        self.retranslate()
        self.reload()

    def reload(self) -> None:
        self.printed_model.set_rows(printed_files(self.db.folder.printed))

    def chosen_form(self) -> str:
        item = self.forms.currentItem()
        return str(item.data(256)) if item else next(iter(FORMS))

    def choose(self, form: str) -> None:
        for row in range(self.forms.count()):
            if self.forms.item(row).data(256) == form:
                self.forms.setCurrentRow(row)

    def print_chosen(self) -> None:
        form = self.chosen_form()
        rooms = [part.strip() for part in self.rooms.text().replace(";", ",").split(",") if part.strip()]
        print_and_preview(self, form, self.form_language.language, rooms if FORMS[form].per_room else None)

    def preview_selected(self) -> None:
        rows = self.printed_table.selectionModel().selectedRows()
        if not rows:
            self.show_problem(_("Choose a printed form in the table first."))
            return
        self.last_preview = show_print_preview(self.printed_proxy.row_at(rows[0].row()).path, self)

    def _form_chosen(self) -> None:
        per_room = FORMS[self.chosen_form()].per_room
        self.rooms.setEnabled(per_room)
        self.rooms_label.setEnabled(per_room)

    def retranslate(self) -> None:
        self.heading.setText(_("Reports and printed forms (п. 85, 87–88)"))
        for row in range(self.forms.count()):
            spec = FORMS[self.forms.item(row).data(256)]
            self.forms.item(row).setText(f"{_(spec.title)} — {cite(spec.paragraphs)}")
        self.rooms_label.setText(_("Rooms (empty: all):"))
        self.rooms.setPlaceholderText("01, 02")
        self.print_button.setText(_("Print…"))
        self.printed_title.setText(_("Printed forms kept in the data folder:"))
        self.preview_button.setText(_("Preview and print again…"))
        self.folder_button.setText(_("Open folder"))
        self.form_language.retranslate()
        self.printed_model.retranslate()
        self._form_chosen()


@dataclass(frozen=True)
class SendView:
    snapshot: SiteSnapshot
    problems: list[str]
    warnings: list[str]
    sent: list[str]


def _send_view(session: Session) -> SendView:
    from common.exchange.store import list_packages

    snapshot = load_snapshot(session)
    sent = [
        _("{when}: {name} (package {sequence})").format(when=record.at.astimezone().strftime("%d.%m.%Y %H:%M"),
                                                        name=record.name, sequence=record.sequence)
        for record in list_packages(session) if record.direction == "out" and record.kind == KIND
    ]
    return SendView(snapshot, readiness_problems(snapshot), plan_warnings(snapshot), sent)


class SendPage(Page):
    def __init__(self, context: ShellContext) -> None:
        super().__init__(context)
        self.summary = QLabel()
        self.summary.setObjectName("sendSummary")
        self.summary.setWordWrap(True)
        self.body.addWidget(self.summary)
        self.problems = QLabel()
        self.problems.setObjectName("sendProblems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet(ERROR_STYLE)
        self.body.addWidget(self.problems)
        self.box = QGroupBox()
        form = QFormLayout(self.box)
        self.password = secret_box("sendPassword")
        self.password_label = QLabel()
        form.addRow(self.password_label, self.password)
        self.send_button = QPushButton()
        self.send_button.setObjectName("send")
        form.addRow(self.send_button)
        self.body.addWidget(self.box)
        self.sent_title = QLabel()
        self.sent = QListWidget()
        self.sent.setObjectName("sentPackages")
        self.body.addWidget(self.sent_title)
        self.body.addWidget(self.sent, 1)
        self.view: SendView | None = None
        self.send_button.clicked.connect(self.send)
        self.retranslate()
        self.reload()

    def reload(self) -> None:
        self.view = self.read(_send_view)
        self._render()

    def send(self) -> None:
        def finished(sent: SentDatabase) -> None:
            lines = [_("The site database is sealed for NTC: {path}. Hand this file to NTC (п. 79.3).").format(
                path=sent.path)]
            lines += [_("Note: {warning}").format(warning=warning) for warning in sent.warnings]
            self.show_done("\n".join(lines))

        self.send_sealed(self.password,
                         lambda session, password: send_site_database(session, self.db.folder, password=password,
                                                                      actor=self.db.actor),
                         finished, _("Sealing the site database…"))  # fmt: skip

    def _render(self) -> None:
        view = self.view
        if view is None:
            self.box.setEnabled(False)
            return
        snapshot = view.snapshot
        self.summary.setText(_("To send: site {code}, {streams} stream(s), {rooms} room(s) used {uses} time(s), "
                               "{schools} school(s), {expected} expected applicant(s). A later send replaces "
                               "the earlier one at NTC.").format(
            code=snapshot.site.code, streams=len(snapshot.streams), rooms=len(snapshot.rooms),
            uses=sum(len(room.uses) for room in snapshot.rooms), schools=len(snapshot.schools),
            expected=snapshot.distribution.expected))
        notes = view.problems + [_("Note: {warning}").format(warning=warning) for warning in view.warnings]
        self.problems.setText("\n".join(notes))
        self.box.setEnabled(not view.problems)
        self.sent.clear()
        self.sent.addItems(view.sent or [_("Nothing sent yet.")])

    def retranslate(self) -> None:
        self.heading.setText(_("Send the site database to NTC (п. 79.3)"))
        self.box.setTitle(_("Seal and send"))
        self.password_label.setText(_("Workstation password"))
        self.send_button.setText(_("Seal the package for NTC"))
        self.sent_title.setText(_("Site database packages sent:"))
        if self.view is not None:
            self.reload()  # the problems and the list of packages are worded when read
        else:
            self._render()


def reports_page(context: ShellContext) -> ReportsPage:
    return ReportsPage(context)


def send_page(context: ShellContext) -> SendPage:
    return SendPage(context)
