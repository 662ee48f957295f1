"""«Учебные заведения» (п. 83–85): the schools and colleges, from NTC's directory or a spreadsheet.

The table is a model over the rows the service returns, with a filter proxy: thousands of schools
load, sort and filter without a widget per row.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from arm_base_ppent.directory import add_from_directory, directory_schools
from arm_base_ppent.school_import import ImportResult, import_schools, write_template
from arm_base_ppent.schools import SchoolRecord, add_school, list_schools, remove_schools, update_school
from arm_base_ppent.streams import StreamRow, list_streams
from arm_base_ppent.ui.school_dialog import SchoolDialog
from arm_base_ppent.ui.support import FormLanguageBox, print_and_preview
from arm_base_ppent.vocabulary import SCHOOL_KIND, SCHOOL_LANGUAGE, SETTLEMENT, label
from common.directories import School as DirectorySchool
from common.errors import Refused
from common.i18n import N_, _, current_language
from common.ui.page import Page
from common.ui.shell import ShellContext
from common.ui.table_model import RowFilterModel, RowTableModel, TableColumn

ALL, NO_STREAM = "all", "none"

SCHOOL_COLUMNS: list[TableColumn[SchoolRecord]] = [
    TableColumn(N_("Code"), lambda s: f"{s.region_code}/{s.district_code}/{s.code}"),
    TableColumn(N_("БИН"), lambda s: s.bin),
    TableColumn(N_("Name"), lambda s: s.name(current_language())),
    TableColumn(N_("Language"), lambda s: label(SCHOOL_LANGUAGE, s.language_status)),
    TableColumn(N_("City / village"), lambda s: label(SETTLEMENT, s.settlement)),
    TableColumn(N_("Kind"), lambda s: label(SCHOOL_KIND, s.school_kind)),
    TableColumn(N_("Expected"), lambda s: s.expected_total, "right"),
    TableColumn(N_("Stream"), lambda s: s.stream, "center", sort=lambda s: s.stream or 0),
]

NAME_COLUMN = 2

DIRECTORY_COLUMNS: list[TableColumn[DirectorySchool]] = [
    TableColumn(N_("Code"), lambda s: f"{s.region_code}/{s.district_code}/{s.code}"),
    TableColumn(N_("БИН"), lambda s: s.bin),
    TableColumn(N_("Name"), lambda s: s.name(current_language()), tip=lambda s: s.name(current_language())),
    TableColumn(N_("City / village"), lambda s: label(SETTLEMENT, s.settlement)),
    TableColumn(N_("Kind"), lambda s: label(SCHOOL_KIND, s.kind)),
]


MAX_COLUMN_WIDTH = 420


def table_view(model: RowFilterModel, name: str) -> QTableView:
    """A sortable, multi-select table whose columns fit their contents each time the rows change."""
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSortingEnabled(True)
    view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(24)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setResizeContentsPrecision(100)  # look at 100 rows, not thousands, to size a column
    model.modelReset.connect(lambda: fit_columns(view))
    model.layoutChanged.connect(lambda: fit_columns(view))
    return view


def wrap_column(view: QTableView, column: int) -> None:
    """``column`` (the names) takes the width the other columns leave and wraps a long text onto a
    second line; the others fit their contents, so nothing needs scrolling sideways."""
    view.setWordWrap(True)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
    header = view.horizontalHeader()
    for index in range(view.model().columnCount()):
        mode = QHeaderView.ResizeMode.Stretch if index == column else QHeaderView.ResizeMode.ResizeToContents
        header.setSectionResizeMode(index, mode)

    def fit_rows() -> None:
        QTimer.singleShot(0, view.resizeRowsToContents)

    view.model().modelReset.connect(fit_rows)
    view.model().layoutChanged.connect(fit_rows)
    view.model().dataChanged.connect(fit_rows)
    header.sectionResized.connect(lambda index, _old, _new: index == column and fit_rows())


def fit_columns(view: QTableView) -> None:
    view.resizeColumnsToContents()
    for column in range(view.model().columnCount()):
        if view.columnWidth(column) > MAX_COLUMN_WIDTH:
            view.setColumnWidth(column, MAX_COLUMN_WIDTH)


class SchoolsPage(Page):
    def __init__(self, context: ShellContext) -> None:
        super().__init__(context)
        self.schools: list[SchoolRecord] = []
        self.streams: list[StreamRow] = []
        self.dialog: QDialog | None = None
        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("schoolSearch")
        self.search.setClearButtonEnabled(True)
        self.stream_filter = QComboBox()
        self.stream_filter.setObjectName("streamFilter")
        self.count = QLabel()
        self.count.setObjectName("schoolCount")
        filters.addWidget(self.search, 2)
        filters.addWidget(self.stream_filter)
        filters.addWidget(self.count, 1)
        self.body.addLayout(filters)
        self.model: RowTableModel[SchoolRecord] = RowTableModel(SCHOOL_COLUMNS, self)
        self.proxy = RowFilterModel(self.model, self)
        self.table = table_view(self.proxy, "schoolsTable")
        wrap_column(self.table, NAME_COLUMN)
        self.table.doubleClicked.connect(lambda _index: self.edit())
        self.body.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.add_button, self.edit_button, self.remove_button = QPushButton(), QPushButton(), QPushButton()
        self.directory_button, self.import_button, self.template_button = QPushButton(), QPushButton(), QPushButton()
        self.print_button = QPushButton()
        self.print_button.setObjectName("printDirectory")
        self.import_button.setObjectName("importSchools")
        self.form_language = FormLanguageBox()
        for button in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.form_language)
        buttons.addWidget(self.print_button)
        sources = QHBoxLayout()
        for button in (self.directory_button, self.import_button, self.template_button):
            sources.addWidget(button)
        sources.addStretch(1)
        self.body.addLayout(buttons)
        self.body.addLayout(sources)
        self.search.textChanged.connect(self._filter)
        self.stream_filter.currentIndexChanged.connect(self._filter)
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.remove_button.clicked.connect(self.remove)
        self.directory_button.clicked.connect(self.from_directory)
        self.import_button.clicked.connect(self._choose_import)
        self.template_button.clicked.connect(self._choose_template)
        self.print_button.clicked.connect(
            lambda: print_and_preview(self, "schools-directory", self.form_language.language))
        self.retranslate()
        self.reload()

    # data -------------------------------------------------------------------------------------
    def reload(self) -> None:
        loaded = self.read(lambda session: (list_schools(session), list_streams(session)))
        if loaded is None:
            return
        self.schools, self.streams = loaded
        self.model.set_rows(self.schools)
        self._fill_stream_filter()
        self._filter()

    def _fill_stream_filter(self) -> None:
        chosen = self.stream_filter.currentData()
        self.stream_filter.blockSignals(True)
        self.stream_filter.clear()
        self.stream_filter.addItem(_("all streams"), ALL)
        self.stream_filter.addItem(_("not in a stream"), NO_STREAM)
        for stream in self.streams:
            self.stream_filter.addItem(_("stream {stream}").format(stream=stream.number), stream.number)
        self.stream_filter.setCurrentIndex(max(0, self.stream_filter.findData(chosen)))
        self.stream_filter.blockSignals(False)

    def _filter(self) -> None:
        chosen = self.stream_filter.currentData()
        if chosen in (ALL, None):
            self.proxy.set_keep(None)
        elif chosen == NO_STREAM:
            self.proxy.set_keep(lambda school: school.stream is None)
        else:
            self.proxy.set_keep(lambda school: school.stream == chosen)
        self.proxy.set_search(self.search.text())
        shown = [self.proxy.row_at(row) for row in range(self.proxy.rowCount())]
        self.count.setText(_("{shown} of {total} schools · {expected} expected applicants").format(
            shown=len(shown), total=len(self.schools), expected=sum(s.expected_total for s in shown)))

    def selected(self) -> list[SchoolRecord]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.proxy.row_at(row) for row in rows]

    # actions ----------------------------------------------------------------------------------
    def add(self) -> SchoolDialog:
        return self._open_dialog(None)

    def edit(self) -> SchoolDialog | None:
        chosen = self.selected()
        if not chosen:
            self.show_problem(_("Choose a school in the table first."))
            return None
        return self._open_dialog(chosen[0])

    def _open_dialog(self, record: SchoolRecord | None) -> SchoolDialog:
        others = {school.bin for school in self.schools if record is None or school.bin != record.bin}

        def save(new: SchoolRecord) -> str | None:
            try:
                with self.db.transaction() as session:
                    saved = update_school(session, record.bin, new) if record else add_school(session, new)
                    self.db.audit(session, "schools.update" if record else "schools.add", saved.bin, code=saved.code)
            except Refused as refusal:
                return refusal.message
            self.show_done(_("School saved: {name}").format(name=saved.name(current_language())))
            self.context.events.changed.emit()
            return None

        dialog = SchoolDialog(self, record, self.streams, others, save)
        self.dialog = dialog
        dialog.open()
        return dialog

    def remove(self) -> None:
        chosen = self.selected()
        if not chosen:
            self.show_problem(_("Choose the schools to remove in the table first."))
            return
        bins = [school.bin for school in chosen]
        question = _("Remove {count} school(s) from the site database?").format(count=len(chosen))
        expected = sum(school.expected_total for school in chosen)
        if expected:
            question += "\n\n" + _("Their {expected} expected applicant(s) leave the totals of the streams.").format(
                expected=expected)
        if not self.confirm(question, _("Remove")):
            return

        def work(session: Session) -> int:
            count = remove_schools(session, bins)
            self.db.audit(session, "schools.remove", None, bins=bins)
            return count

        self.act(work, lambda count: _("{count} school(s) removed.").format(count=count))

    def import_file(self, path: Path, update: bool = False) -> None:
        """Import a filled template (in the background); the result or the bad row is shown."""
        def work() -> ImportResult:
            with self.db.transaction() as session:
                result = import_schools(session, path, update=update)
                self.db.audit(session, "schools.import", path.name, added=result.added, updated=result.updated)
            return result

        self.in_background(work, lambda result: self.show_done(
            _("Imported {rows} row(s) from {name}: {added} added, {updated} updated.").format(
                rows=result.rows, name=path.name, added=result.added, updated=result.updated)),
            _("Importing {name}…").format(name=path.name))

    def _choose_import(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, _("Import schools"), str(Path.home()),
                                                    _("Spreadsheets (*.xlsx *.csv)"))
        if name:
            self.import_file(Path(name))

    def write_template(self, path: Path) -> Path:
        written = write_template(path)
        self.show_done(_("Template written to {path}.").format(path=written))
        return written

    def _choose_template(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(self, _("Save the import template"),
                                                    str(Path.home() / "schools-template.xlsx"),
                                                    _("Spreadsheets (*.xlsx *.csv)"))
        if name:
            self.write_template(Path(name))

    def from_directory(self) -> DirectoryDialog | None:
        found = self.read(lambda session: directory_schools(session))
        if found is None:
            return None
        if not found:
            self.show_problem(_("No directories from NTC on this workstation yet: take the directories package "
                                "first."))
            return None
        taken = {school.bin for school in self.schools}
        dialog = DirectoryDialog(self, [school for school in found if school.bin not in taken], self.streams)
        dialog.accepted.connect(lambda: self._take(dialog.chosen(), dialog.stream()))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _take(self, chosen: list[DirectorySchool], stream: int | None) -> None:
        keys = [school.key for school in chosen]

        def work(session: Session) -> int:
            added = add_from_directory(session, keys, stream)
            self.db.audit(session, "schools.take", None, codes=[school.code for school in added])
            return len(added)

        self.act(work, lambda count: _("{count} school(s) taken from NTC's directory.").format(count=count))

    def retranslate(self) -> None:
        self.heading.setText(_("Schools and colleges (п. 83–85)"))
        self.search.setPlaceholderText(_("Search by name, code or БИН…"))
        self.add_button.setText(_("Add…"))
        self.edit_button.setText(_("Edit…"))
        self.remove_button.setText(_("Remove"))
        self.directory_button.setText(_("From NTC's directory…"))
        self.import_button.setText(_("Import XLSX/CSV…"))
        self.template_button.setText(_("Import template…"))
        self.print_button.setText(_("Directory for checking (п. 85)…"))
        self.form_language.retranslate()
        self.model.retranslate()
        self._fill_stream_filter()
        self._filter()


class DirectoryDialog(QDialog):
    """Schools of NTC's directory not yet in the database; the chosen ones are added together."""

    def __init__(self, parent: QWidget, schools: list[DirectorySchool], streams: list[StreamRow]) -> None:
        super().__init__(parent)
        self.setObjectName("directoryDialog")
        self.setWindowTitle(_("Schools of NTC's directory"))
        self.resize(1100, 620)
        layout = QVBoxLayout(self)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search by name, code or БИН…"))
        self.model: RowTableModel[DirectorySchool] = RowTableModel(DIRECTORY_COLUMNS, self)
        self.model.set_rows(schools)
        self.proxy = RowFilterModel(self.model, self)
        self.table = table_view(self.proxy, "directoryTable")
        # The name takes the width the codes leave (thousands of rows: no wrapping, the whole name in
        # the tooltip).
        header = self.table.horizontalHeader()
        for column in range(len(DIRECTORY_COLUMNS)):
            mode = QHeaderView.ResizeMode.Stretch if column == NAME_COLUMN else QHeaderView.ResizeMode.ResizeToContents
            header.setSectionResizeMode(column, mode)
        self.search.textChanged.connect(self.proxy.set_search)
        self.stream_box = QComboBox()
        self.stream_box.addItem(_("not yet in a stream"), None)
        for stream in streams:
            self.stream_box.addItem(_("stream {stream}").format(stream=stream.number), stream.number)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Put the chosen schools into:")))
        row.addWidget(self.stream_box)
        row.addStretch(1)
        layout.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Add the chosen schools"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen(self) -> list[DirectorySchool]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.proxy.row_at(row) for row in rows]

    def stream(self) -> int | None:
        data = self.stream_box.currentData()
        return int(data) if data is not None else None


def schools_page(context: ShellContext) -> SchoolsPage:
    return SchoolsPage(context)
