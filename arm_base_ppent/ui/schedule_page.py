"""The testing schedule and the distribution of schools over streams (п. 79.2), with the totals of
expected applicants per stream and language against the seats of the room fund, kept live.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from arm_base_ppent.distribution import Distribution, compute_distribution
from arm_base_ppent.rooms import list_rooms
from arm_base_ppent.schools import SchoolRecord, assign_stream, list_schools
from arm_base_ppent.streams import StreamRow, add_stream, list_streams, remove_stream, set_stream_date
from arm_base_ppent.ui.schools_page import ALL, NO_STREAM, table_view, wrap_column
from arm_base_ppent.vocabulary import ROOM_LANGUAGE, ROOM_LANGUAGE_SHORT, label
from common.i18n import N_, _, current_language
from common.ui.page import Page
from common.ui.shell import ShellContext
from common.ui.table_model import RowFilterModel, RowTableModel, TableColumn


@dataclass(frozen=True)
class TotalRow:
    """One stream and language: what the live totals table shows."""

    stream: int
    language: str
    schools: int
    expected: int
    seats: int
    reserve_seats: int

    @property
    def shortfall(self) -> int:
        return max(0, self.expected - self.seats)


STREAM_COLUMNS: list[TableColumn[StreamRow]] = [
    TableColumn(N_("Stream"), lambda s: s.number, "center"),
    TableColumn(N_("Date"), lambda s: s.exam_date.strftime("%d.%m.%Y"), sort=lambda s: s.exam_date),
    TableColumn(N_("Rooms"), lambda s: s.rooms, "right"),
    TableColumn(N_("Schools"), lambda s: s.schools, "right"),
]

TOTAL_COLUMNS: list[TableColumn[TotalRow]] = [
    TableColumn(N_("Stream, language"), lambda t: f"{t.stream}: {label(ROOM_LANGUAGE_SHORT, t.language)}",
                sort=lambda t: t.stream * 10 + list(ROOM_LANGUAGE).index(t.language),
                tip=lambda t: _("Stream {stream}: {language}").format(stream=t.stream,
                                                                       language=label(ROOM_LANGUAGE, t.language))),
    TableColumn(N_("Expected"), lambda t: t.expected, "right"),
    TableColumn(N_("Seats"), lambda t: f"{t.seats} (−{t.shortfall})" if t.shortfall else t.seats, "right",
                sort=lambda t: t.seats),
    TableColumn(N_("Reserve seats"), lambda t: t.reserve_seats, "right"),
]


# The schools beside the schedule: what moving them between streams needs (the БИН column stays
# hidden, there for the search).
DISTRIBUTION_COLUMNS: list[TableColumn[SchoolRecord]] = [
    TableColumn(N_("Name"), lambda s: s.name(current_language()),
                tip=lambda s: f"{s.region_code}/{s.district_code}/{s.code} · {s.bin}"),
    TableColumn(N_("Expected"), lambda s: s.expected_total, "right"),
    TableColumn(N_("Stream"), lambda s: s.stream, "center", sort=lambda s: s.stream or 0),
    TableColumn(N_("Code"), lambda s: f"{s.region_code}/{s.district_code}/{s.code}"),
    TableColumn(N_("БИН"), lambda s: s.bin),
]
HIDDEN_DISTRIBUTION_COLUMNS = (3, 4)


def total_rows(totals: Distribution) -> list[TotalRow]:
    """Every stream and language that has applicants or seats."""
    rows = []
    for load in totals.streams:
        for item in load.languages:
            if item.expected or item.seats or item.reserve_seats:
                rows.append(TotalRow(load.stream, item.language, load.schools, item.expected, item.seats,
                                     item.reserve_seats))
    return rows


def _shortfall_message(row: TotalRow) -> str | None:
    if not row.shortfall:
        return None
    return _("{short} expected applicant(s) without a seat: add rooms of this language or move schools.").format(
        short=row.shortfall)


class SchedulePage(Page):
    def __init__(self, context: ShellContext) -> None:
        super().__init__(context)
        self.streams: list[StreamRow] = []
        self.schools: list[SchoolRecord] = []
        self.totals: Distribution | None = None
        splitter = QSplitter()
        splitter.addWidget(self._build_schedule())
        splitter.addWidget(self._build_distribution())
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([590, 490])
        self.body.addWidget(splitter, 1)
        self.retranslate()
        self.reload()

    def _build_schedule(self) -> QWidget:
        self.schedule_box = QGroupBox()
        layout = QVBoxLayout(self.schedule_box)
        self.stream_model: RowTableModel[StreamRow] = RowTableModel(STREAM_COLUMNS, self)
        self.stream_proxy = RowFilterModel(self.stream_model, self)
        self.stream_table = table_view(self.stream_proxy, "streamsTable")
        layout.addWidget(self.stream_table, 1)
        row = QHBoxLayout()
        self.date = QDateEdit()
        self.date.setObjectName("streamDate")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd.MM.yyyy")
        self.date.setDate(QDate.currentDate())
        self.add_stream_button, self.date_button = QPushButton(), QPushButton()
        self.remove_stream_button = QPushButton()
        self.add_stream_button.setObjectName("addStream")
        row.addWidget(self.date)
        row.addWidget(self.add_stream_button)
        layout.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(self.date_button)
        row.addWidget(self.remove_stream_button)
        layout.addLayout(row)
        self.totals_label = QLabel()
        self.totals_label.setWordWrap(True)
        layout.addWidget(self.totals_label)
        self.total_model: RowTableModel[TotalRow] = RowTableModel(TOTAL_COLUMNS, self, problem=_shortfall_message)
        self.total_proxy = RowFilterModel(self.total_model, self)
        self.total_table = table_view(self.total_proxy, "totalsTable")
        layout.addWidget(self.total_table, 2)
        self.add_stream_button.clicked.connect(self.add_stream)
        self.date_button.clicked.connect(self.change_date)
        self.remove_stream_button.clicked.connect(self.remove_stream)
        return self.schedule_box

    def _build_distribution(self) -> QWidget:
        self.distribution_box = QGroupBox()
        layout = QVBoxLayout(self.distribution_box)
        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.stream_filter = QComboBox()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.stream_filter)
        layout.addLayout(filters)
        self.school_model: RowTableModel[SchoolRecord] = RowTableModel(DISTRIBUTION_COLUMNS, self)
        self.school_proxy = RowFilterModel(self.school_model, self)
        self.school_table = table_view(self.school_proxy, "distributionTable")
        for column in HIDDEN_DISTRIBUTION_COLUMNS:
            self.school_table.setColumnHidden(column, True)
        wrap_column(self.school_table, 0)  # a long name wraps in its row instead of being cut
        layout.addWidget(self.school_table, 1)
        row = QHBoxLayout()
        self.move_label = QLabel()
        self.target = QComboBox()
        self.target.setObjectName("targetStream")
        self.move_button = QPushButton()
        self.move_button.setObjectName("moveSchools")
        row.addWidget(self.move_label)
        row.addWidget(self.target)
        row.addWidget(self.move_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.search.textChanged.connect(self.school_proxy.set_search)
        self.stream_filter.currentIndexChanged.connect(self._filter)
        self.move_button.clicked.connect(self.move_selected)
        return self.distribution_box

    # data -------------------------------------------------------------------------------------
    def reload(self) -> None:
        loaded = self.read(lambda session: (list_streams(session), list_rooms(session), list_schools(session)))
        if loaded is None:
            return
        self.streams, rooms, self.schools = loaded
        self.totals = compute_distribution(self.streams, rooms, self.schools)
        self.stream_model.set_rows(self.streams)
        self.school_model.set_rows(self.schools)
        self.total_model.set_rows(total_rows(self.totals))
        self._fill_combos()
        self._filter()
        self._render_totals()

    def _fill_combos(self) -> None:
        chosen_filter, chosen_target = self.stream_filter.currentData(), self.target.currentData()
        for box in (self.stream_filter, self.target):
            box.blockSignals(True)
            box.clear()
        self.stream_filter.addItem(_("all streams"), ALL)
        self.stream_filter.addItem(_("not in a stream"), NO_STREAM)
        self.target.addItem(_("no stream"), None)
        for stream in self.streams:
            text = _("stream {stream}").format(stream=stream.number)
            self.stream_filter.addItem(text, stream.number)
            self.target.addItem(text, stream.number)
        self.stream_filter.setCurrentIndex(max(0, self.stream_filter.findData(chosen_filter)))
        self.target.setCurrentIndex(max(0, self.target.findData(chosen_target)))
        for box in (self.stream_filter, self.target):
            box.blockSignals(False)

    def _filter(self) -> None:
        chosen = self.stream_filter.currentData()
        if chosen in (ALL, None):
            self.school_proxy.set_keep(None)
        elif chosen == NO_STREAM:
            self.school_proxy.set_keep(lambda school: school.stream is None)
        else:
            self.school_proxy.set_keep(lambda school: school.stream == chosen)

    def _render_totals(self) -> None:
        totals = self.totals
        if totals is None:
            return
        short = sum(load.shortfall for load in totals.streams)
        text = _("Expected applicants: {expected}; seats in regular rooms: {seats}; not in a stream: {unassigned} "
                 "school(s).").format(expected=totals.expected, seats=sum(load.seats for load in totals.streams),
                                      unassigned=totals.unassigned_schools)
        if short:
            text += " " + _("Short of seats: {short}.").format(short=short)
        self.totals_label.setText(text)

    def selected_stream(self) -> StreamRow | None:
        rows = self.stream_table.selectionModel().selectedRows()
        return self.stream_proxy.row_at(rows[0].row()) if rows else None

    def selected_schools(self) -> list[SchoolRecord]:
        rows = sorted({index.row() for index in self.school_table.selectionModel().selectedRows()})
        return [self.school_proxy.row_at(row) for row in rows]

    # actions ----------------------------------------------------------------------------------
    def add_stream(self) -> None:
        exam_date = self.date.date().toPython()

        def work(session: Session) -> StreamRow:
            row = add_stream(session, exam_date)
            self.db.audit(session, "streams.add", str(row.number), date=row.exam_date.isoformat())
            return row

        self.act(work, lambda row: _("Stream {stream} added on {date}.").format(
            stream=row.number, date=row.exam_date.strftime("%d.%m.%Y")))

    def change_date(self) -> None:
        stream = self.selected_stream()
        if stream is None:
            self.show_problem(_("Choose a stream in the schedule first."))
            return
        exam_date = self.date.date().toPython()

        def work(session: Session) -> StreamRow:
            row = set_stream_date(session, stream.number, exam_date)
            self.db.audit(session, "streams.date", str(row.number), date=row.exam_date.isoformat())
            return row

        self.act(work, lambda row: _("Stream {stream} is on {date}.").format(
            stream=row.number, date=row.exam_date.strftime("%d.%m.%Y")))

    def remove_stream(self) -> None:
        stream = self.selected_stream()
        if stream is None:
            self.show_problem(_("Choose a stream in the schedule first."))
            return
        if not (stream.rooms or stream.schools) and not self.confirm(  # one in use is refused anyway
            _("Remove stream {stream} ({date}) from the schedule?").format(
                stream=stream.number, date=stream.exam_date.strftime("%d.%m.%Y")), _("Remove")):
            return

        def work(session: Session) -> int:
            remove_stream(session, stream.number)
            self.db.audit(session, "streams.remove", str(stream.number))
            return stream.number

        self.act(work, lambda number: _("Stream {stream} removed.").format(stream=number))

    def move_selected(self) -> None:
        chosen = self.selected_schools()
        if not chosen:
            self.show_problem(_("Choose the schools to move in the table first."))
            return
        target = self.target.currentData()
        bins = [school.bin for school in chosen]

        def work(session: Session) -> int:
            count = assign_stream(session, bins, target)
            self.db.audit(session, "schools.assign", None, bins=bins, stream=target)
            return count

        self.act(work, lambda count: _("{count} school(s) put into stream {stream}.").format(
            count=count, stream=target) if target is not None else
            _("{count} school(s) taken out of their stream.").format(count=count))

    def retranslate(self) -> None:
        self.heading.setText(_("Schedule and distribution of schools over streams (п. 79.2)"))
        self.schedule_box.setTitle(_("Testing schedule"))
        self.distribution_box.setTitle(_("Schools by stream"))
        self.add_stream_button.setText(_("Add stream on this date"))
        self.date_button.setText(_("Set the date of the chosen stream"))
        self.remove_stream_button.setText(_("Remove the chosen stream"))
        self.search.setPlaceholderText(_("Search by name, code or БИН…"))
        self.move_label.setText(_("Put the chosen schools into:"))
        self.move_button.setText(_("Move"))
        for model in (self.stream_model, self.school_model, self.total_model):
            model.retranslate()
        self._fill_combos()
        self._render_totals()


def schedule_page(context: ShellContext) -> SchedulePage:
    return SchedulePage(context)
