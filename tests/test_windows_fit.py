"""The windows as an operator sees them on a 1366×768 screen, in Kazakh and in Russian: nothing cut
off or elided, no error before anything is typed, a destructive action asks first, and a language
switch leaves no text of the old language behind."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from base_ppent_support import database, enrolled_folder, run, valid_bin
from PySide6.QtCore import QModelIndex, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableView,
    QWidget,
)
from window_support import answer

from arm_base_ppent.rooms import RoomDraft, add_room, list_rooms, set_room_use
from arm_base_ppent.schools import SchoolRecord, add_school
from arm_base_ppent.streams import add_stream
from arm_base_ppent.ui.main_window import PAGES
from arm_base_ppent.ui.rooms_page import RoomsPage
from arm_base_ppent.ui.schedule_page import SchedulePage
from common import i18n
from common.cli import CommandLine
from common.roles import operator_roles
from common.ui.login import LoginDialog, Operator
from common.ui.shell import WorkstationWindow, switch_language
from common.workstation import BASE_PPENT, WORKSTATIONS, DataFolder, Workstation

SCREEN = (1366, 700)  # a 1366×768 screen less the taskbar and the title bar
LONG_NAMES = [
    ("Ілияс Жансүгіров атындағы №11 жалпы орта білім беретін мектеп",
     "Средняя общеобразовательная школа №11 имени Ильяса Жансугурова"),
    ("Көкшетау индустриалды-технологиялық колледжі", "Индустриально-технологический колледж г. Кокшетау"),
    ("№4 гимназия", "Гимназия №4"),
]


@pytest.fixture
def site(tmp_path: Path) -> DataFolder:
    """A planned site: three streams, rooms of 130/80/30 seats per language, schools with long names."""
    folder = enrolled_folder(tmp_path / "site")
    with database(folder) as session:
        for day in (20, 21, 22):
            add_stream(session, date(2027, 6, day))
        for number, desks in (("01", 40), ("02", 25), ("03", 40), ("04", 15), ("05", 20)):
            add_room(session, RoomDraft(number, desks, "natural", 0, 0, "Корпус 1, ул. Абая 10"))
        for stream in (1, 2, 3):
            for number, language in (("01", "kk"), ("02", "kk"), ("03", "ru"), ("04", "en-kk")):
                set_room_use(session, number, stream, language)
            set_room_use(session, "05", stream, "kk", reserve=True)
        for index, (kazakh, russian) in enumerate(LONG_NAMES, start=1):
            add_school(session, SchoolRecord(code=f"{index:04d}", name_kk=kazakh, name_ru=russian, bin=valid_bin(index),
                                             region_code="10", district_code="001", expected={"kk": 140, "ru": 95},
                                             stream=1))
    return folder


def open_window(qtbot, folder: Path, workstation: Workstation = BASE_PPENT) -> WorkstationWindow:  # type: ignore[no-untyped-def]
    pages = PAGES if workstation is BASE_PPENT else None
    window = WorkstationWindow(workstation, folder, Operator("Ахметова А.", operator_roles(workstation.code)[0]), pages)
    qtbot.addWidget(window)
    window.resize(*SCREEN)
    window.show()
    qtbot.waitExposed(window)
    return window


def settle(qtbot) -> None:  # type: ignore[no-untyped-def]
    QApplication.processEvents()
    qtbot.wait(30)


def cut_cells(view: QTableView) -> list[str]:
    """Every header or cell of ``view`` whose text does not fit its column (or its row, when the
    view wraps), and any column that lies outside the visible width."""
    model, header = view.model(), view.horizontalHeader()
    cell_metrics, header_metrics = view.fontMetrics(), header.fontMetrics()
    cut: list[str] = []
    right = 0
    for column in range(model.columnCount()):
        if view.isColumnHidden(column):
            continue
        width = view.columnWidth(column)
        right += width
        title = str(model.headerData(column, Qt.Orientation.Horizontal))
        if header_metrics.horizontalAdvance(title) + 8 > width:
            cut.append(f"header {title!r}: {width}px")
        for row in range(model.rowCount()):
            text = str(model.data(model.index(row, column)) or "")
            if cell_metrics.horizontalAdvance(text) + 6 <= width:
                continue
            wrapped = cell_metrics.boundingRect(QRect(0, 0, width - 8, 10_000), Qt.TextFlag.TextWordWrap, text)
            if not view.wordWrap() or wrapped.height() > view.rowHeight(row):
                cut.append(f"{title!r} row {row}: {text!r} in {width}px")
    if right > view.viewport().width():
        cut.append(f"columns need {right}px, {view.viewport().width()}px shown")
    return cut


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_schedule_tables_fit_a_1366_screen(qtbot, site: DataFolder, language: str) -> None:  # type: ignore[no-untyped-def]
    switch_language(language)
    window = open_window(qtbot, site.root)
    schedule = window.page("schedule")
    assert isinstance(schedule, SchedulePage)
    settle(qtbot)
    seats = [row.seats for row in schedule.total_model.rows() if row.stream == 1]
    assert seats == [130, 80, 30]
    for view in (schedule.stream_table, schedule.total_table, schedule.school_table):
        assert cut_cells(view) == [], view.objectName()
    assert schedule.move_label.height() <= 2 * schedule.move_label.fontMetrics().height()


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_schools_table_fits_a_1366_screen(qtbot, site: DataFolder, language: str) -> None:  # type: ignore[no-untyped-def]
    from arm_base_ppent.ui.schools_page import SchoolsPage

    switch_language(language)
    window = open_window(qtbot, site.root)
    schools = window.page("schools")
    assert isinstance(schools, SchoolsPage)
    settle(qtbot)
    assert cut_cells(schools.table) == []


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_school_dialog_shows_whole_codes_and_names(qtbot, site: DataFolder, language: str) -> None:  # type: ignore[no-untyped-def]
    from arm_base_ppent.ui.schools_page import SchoolsPage

    switch_language(language)
    window = open_window(qtbot, site.root)
    schools = window.page("schools")
    assert isinstance(schools, SchoolsPage)
    longest = max(range(len(schools.schools)), key=lambda row: len(schools.proxy.row_at(row).name_ru))
    schools.table.selectRow(longest)
    dialog = schools.edit()
    assert dialog is not None
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    for field in (dialog.region, dialog.district, dialog.code, dialog.name_kk, dialog.name_ru):
        assert field.fontMetrics().horizontalAdvance(field.text()) + 12 <= field.width(), field.text()
    dialog.close()


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_rooms_page_fits_and_shows_no_error_before_anything_is_typed(qtbot, site: DataFolder,  # type: ignore[no-untyped-def]
                                                                         language: str) -> None:
    switch_language(language)
    window = open_window(qtbot, site.root)
    rooms = window.page("rooms")
    assert isinstance(rooms, RoomsPage)
    settle(qtbot)
    assert cut_cells(rooms.table) == []
    assert rooms.room_problems.text() == "" and rooms.add_button.isEnabled()
    assert rooms.use_problems.styleSheet() != rooms.room_problems.styleSheet(), "a hint, not a red error"
    area = rooms.parentWidget().parentWidget()  # the page's scroll area
    assert area.verticalScrollBar().maximum() == 0, "every button visible without scrolling"
    rooms.desks.setValue(16)  # the operator types: now the rule speaks
    assert rooms.room_problems.text() != "" and not rooms.add_button.isEnabled()


def test_removing_a_room_used_in_streams_asks_first_and_says_what_goes_with_it(qtbot, site: DataFolder) -> None:  # type: ignore[no-untyped-def]
    switch_language("en")
    window = open_window(qtbot, site.root)
    rooms = window.page("rooms")
    assert isinstance(rooms, RoomsPage)
    rooms.table.selectRow(0)
    asked = answer(None)
    rooms.remove_button.click()
    assert asked and "Room 01 is used in 3 stream(s) (1, 2, 3); its use there is removed too." in asked[0]
    with database(site) as session:
        assert list_rooms(session)[0].number == "01"
        assert len(list_rooms(session)[0].uses) == 3
    asked = answer()
    rooms.remove_button.click()
    assert asked
    with database(site) as session:
        assert "01" not in [room.number for room in list_rooms(session)]


def test_stopping_a_rooms_use_in_a_stream_asks_first(qtbot, site: DataFolder) -> None:  # type: ignore[no-untyped-def]
    switch_language("en")
    window = open_window(qtbot, site.root)
    rooms = window.page("rooms")
    assert isinstance(rooms, RoomsPage)
    rooms.table.selectRow(0)
    rooms.stream.setCurrentIndex(rooms.stream.findData(2))
    rooms.language.setCurrentIndex(0)  # not used in this stream
    asked = answer(None)
    rooms.apply_use.click()
    assert asked == ["Stop using room 01 in stream 2?"]
    assert rooms.rooms[0].use_in(2) is not None
    answer()
    rooms.apply_use.click()
    assert rooms.rooms[0].use_in(2) is None and rooms.rooms[0].use_in(1) is not None


def test_removing_schools_or_a_stream_asks_first(qtbot, site: DataFolder) -> None:  # type: ignore[no-untyped-def]
    from arm_base_ppent.ui.schools_page import SchoolsPage

    switch_language("en")
    window = open_window(qtbot, site.root)
    schools = window.page("schools")
    assert isinstance(schools, SchoolsPage)
    schools.table.selectRow(0)
    asked = answer(None)
    schools.remove_button.click()
    assert asked and "Their 235 expected applicant(s) leave the totals of the streams." in asked[0]
    assert schools.model.rowCount() == 3
    answer()
    schools.remove_button.click()
    assert schools.model.rowCount() == 2

    schedule = window.page("schedule")
    assert isinstance(schedule, SchedulePage)
    schedule.date.setDate(date(2027, 6, 23))
    schedule.add_stream_button.click()
    schedule.stream_table.selectRow(3)
    asked = answer(None)
    schedule.remove_stream_button.click()
    assert asked == ["Remove stream 4 (23.06.2027) from the schedule?"]
    assert [stream.number for stream in schedule.streams] == [1, 2, 3, 4]
    answer()
    schedule.remove_stream_button.click()
    assert [stream.number for stream in schedule.streams] == [1, 2, 3]


def test_the_command_removes_a_used_room_only_with_yes(site: DataFolder, capsys: pytest.CaptureFixture[str]) -> None:
    i18n.set_language("en")
    refused = run(site, capsys, "rooms", "remove", "01")
    assert refused.code == 1
    assert "Room 01 is used in 3 stream(s) (1, 2, 3)" in refused.err and "--yes" in refused.err
    with database(site) as session:
        assert "01" in [room.number for room in list_rooms(session)]
    assert run(site, capsys, "rooms", "remove", "01", "--yes").code == 0
    run(site, capsys, "rooms", "add", "09", "--desks", "15")
    assert run(site, capsys, "rooms", "remove", "09").code == 0, "an unused room needs no confirmation"
    with database(site) as session:
        assert [room.number for room in list_rooms(session)] == ["02", "03", "04", "05"]


def test_switching_kazakh_to_russian_leaves_no_kazakh_in_the_combos(qtbot, site: DataFolder) -> None:  # type: ignore[no-untyped-def]
    switch_language("kk")
    window = open_window(qtbot, site.root)
    rooms = window.page("rooms")
    schedule = window.page("schedule")
    assert isinstance(rooms, RoomsPage) and isinstance(schedule, SchedulePage)
    assert rooms.stream.itemText(0) == "1-ағын — 20.06.2027"
    switch_language("ru")
    assert rooms.stream.itemText(0) == "Поток 1 — 20.06.2027"
    for combo in (rooms.stream, rooms.language, rooms.ventilation, schedule.stream_filter, schedule.target):
        texts = [combo.itemText(index) for index in range(combo.count())]
        assert not any(letter in text for text in texts for letter in "әғқңөұүһі"), texts


@pytest.mark.parametrize("language", ["kk", "ru"])
@pytest.mark.parametrize("workstation", WORKSTATIONS, ids=lambda w: w.code)
def test_stage_titles_in_the_side_bar_are_not_cut(qtbot, tmp_path: Path, workstation: Workstation,  # type: ignore[no-untyped-def]
                                                  language: str) -> None:
    switch_language(language)
    window = open_window(qtbot, tmp_path / "absent", workstation)
    navigation = window.navigation
    metrics = navigation.fontMetrics()
    for row in range(navigation.count()):
        item = navigation.item(row)
        rect = navigation.visualItemRect(item)
        width = min(rect.width(), navigation.viewport().width()) - 16  # the item's padding and text margins
        needed = metrics.boundingRect(QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap, item.text())
        assert needed.width() <= width and needed.height() <= rect.height() - 10, item.text()


@pytest.mark.parametrize("language", ["kk", "ru"])
@pytest.mark.parametrize("workstation", WORKSTATIONS, ids=lambda w: w.code)
def test_the_login_shows_its_whole_placeholder(qtbot, workstation: Workstation, language: str) -> None:  # type: ignore[no-untyped-def]
    i18n.set_language(language)
    dialog = LoginDialog(workstation)
    qtbot.addWidget(dialog)
    dialog.name.setText("")
    dialog.show()
    qtbot.waitExposed(dialog)
    field = dialog.name
    room = field.width() - 16  # the frame and the text margins
    assert field.fontMetrics().horizontalAdvance(field.placeholderText()) <= room, field.placeholderText()
    assert dialog.role.sizeHint().width() <= dialog.role.width()


def test_a_fresh_folder_opens_every_page_without_errors(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "site"
    assert CommandLine(BASE_PPENT).run(["init", "--data-dir", str(folder)]) == 0
    switch_language("kk")
    window = open_window(qtbot, folder)
    rooms = window.page("rooms")
    assert isinstance(rooms, RoomsPage)
    assert rooms.room_problems.text() == ""


KAZAKH_LETTERS = re.compile("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")


def chrome_texts(window: QWidget) -> list[str]:
    """Every text of the window's own making: labels, buttons, titles, combo entries, placeholders,
    table headers and cells, list entries."""
    texts = [label.text() for label in window.findChildren(QLabel)]
    texts += [button.text() for button in window.findChildren(QAbstractButton)]
    texts += [box.title() for box in window.findChildren(QGroupBox)]
    texts += [edit.placeholderText() for edit in window.findChildren(QLineEdit)]
    for combo in window.findChildren(QComboBox):
        texts += [combo.itemText(index) for index in range(combo.count())]
    for listing in window.findChildren(QListWidget):
        texts += [listing.item(row).text() for row in range(listing.count())]
    for view in window.findChildren(QTableView):
        model = view.model()
        rows = min(model.rowCount(QModelIndex()), 20)
        for column in range(model.columnCount(QModelIndex())):
            texts.append(str(model.headerData(column, Qt.Orientation.Horizontal) or ""))
            texts += [str(model.data(model.index(row, column)) or "") for row in range(rows)]
    return texts


def test_every_page_speaks_russian_after_switching_from_kazakh(qtbot, site: DataFolder) -> None:  # type: ignore[no-untyped-def]
    switch_language("kk")
    window = open_window(qtbot, site.root)
    for stage in BASE_PPENT.stages:
        window.page(stage.key)
    switch_language("ru")
    settle(qtbot)
    data = ("Семей ҰБТ өткізу пункті", *(kazakh for kazakh, _russian in LONG_NAMES))  # names, not the window's text
    left = [text for text in chrome_texts(window)
            if KAZAKH_LETTERS.search(text) and not any(name in text for name in data) and text != "Қазақша"]
    assert left == []


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_no_page_squeezes_a_combo_or_a_button_or_needs_scrolling(qtbot, site: DataFolder, language: str) -> None:  # type: ignore[no-untyped-def]
    switch_language(language)
    window = open_window(qtbot, site.root)
    squeezed: list[str] = []
    for stage in BASE_PPENT.stages:
        page = window.page(stage.key)
        settle(qtbot)
        area = page.parentWidget().parentWidget()
        if area.verticalScrollBar().maximum() or area.horizontalScrollBar().maximum():
            squeezed.append(f"{stage.key}: the page scrolls")
        for widget in (*page.findChildren(QComboBox), *page.findChildren(QPushButton)):
            if widget.isVisible() and widget.width() < widget.sizeHint().width():
                text = widget.currentText() if isinstance(widget, QComboBox) else widget.text()
                squeezed.append(f"{stage.key}: {text!r} {widget.width()} < {widget.sizeHint().width()}")
    assert squeezed == []


def test_the_print_preview_fits_the_screen_even_for_a_deep_folder(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from reportlab.pdfgen.canvas import Canvas

    from common.ui.print_preview import PrintPreviewDialog

    folder = tmp_path.joinpath(*["a-rather-long-folder-name-of-the-printed-forms"] * 6)
    folder.mkdir(parents=True)
    pdf = folder / "app28_kk.pdf"
    canvas = Canvas(str(pdf))
    canvas.drawString(100, 700, "28")
    canvas.save()
    switch_language("kk")
    dialog = PrintPreviewDialog(pdf)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    screen = dialog.screen().availableGeometry()
    assert dialog.width() <= screen.width() and dialog.height() <= screen.height()
    assert dialog.close_button.geometry().bottom() < dialog.height()


def test_a_window_opens_within_the_screen(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    switch_language("ru")
    window = WorkstationWindow(BASE_PPENT, tmp_path / "absent", Operator("Ахметова А.", "site_expert"), PAGES)
    qtbot.addWidget(window)
    screen = QApplication.primaryScreen().availableGeometry()
    assert window.width() <= screen.width() and window.height() <= screen.height()
