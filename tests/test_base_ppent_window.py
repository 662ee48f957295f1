"""The expert's main path through the window: enrol, facts, schedule, rooms (breaking a rule on the
way), schools from a spreadsheet and from НЦТ's directory, streams, the report, sending."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from base_ppent_support import NctSide, nct_with_enrolment, school_row, valid_bin, write_xlsx
from pdf_support import pdf_text
from PySide6.QtCore import QDate, QItemSelectionModel, Qt

from arm_base_ppent.cli import build
from arm_base_ppent.ui.main_window import PAGES
from arm_base_ppent.ui.output_pages import ReportsPage, SendPage
from arm_base_ppent.ui.rooms_page import RoomsPage
from arm_base_ppent.ui.schedule_page import SchedulePage
from arm_base_ppent.ui.schools_page import SchoolsPage
from arm_base_ppent.ui.site_pages import SiteFactsPage
from common import i18n
from common.ui.enrolment_page import EnrolmentPage
from common.ui.login import Operator
from common.ui.print_preview import PrintPreviewDialog
from common.ui.shell import WorkstationWindow, switch_language
from common.workstation import BASE_PPENT


@pytest.fixture(scope="module")
def nct(tmp_path_factory: pytest.TempPathFactory) -> NctSide:
    return nct_with_enrolment(tmp_path_factory.mktemp("nct"))


def open_window(qtbot, folder: Path) -> WorkstationWindow:  # type: ignore[no-untyped-def]
    window = WorkstationWindow(BASE_PPENT, folder, Operator("Ахметова А.", "site_expert"), PAGES)
    qtbot.addWidget(window)
    window.show()
    return window


def add_room(page: RoomsPage, number: str, desks: int) -> None:
    page.clear_form()
    page.number.setText(number)
    page.desks.setValue(desks)
    page.add_button.click()


def use_room(page: RoomsPage, number: str, stream: int, language: str, reserve: bool = False) -> None:
    row = next(index for index, room in enumerate(page.rooms) if room.number == number)
    page.table.selectRow(row)
    page.stream.setCurrentIndex(page.stream.findData(stream))
    page.language.setCurrentIndex(page.language.findData(language))
    page.reserve.setChecked(reserve)
    page.apply_use.click()


def test_the_expert_builds_prints_and_sends_the_site_database(qtbot, tmp_path: Path, nct: NctSide) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "site"
    assert build().run(["init", "--data-dir", str(folder)]) == 0
    switch_language("en")
    window = open_window(qtbot, folder)

    # Enrolment with the package and the password from the sheet.
    enrolment = window.page("enrolment")
    assert isinstance(enrolment, EnrolmentPage)
    assert "not enrolled yet" in enrolment.state.text()
    enrolment.package.setText(str(nct.package))
    enrolment.password.setText("WRONG-PASSWORD")
    enrolment.enrol_button.click()
    assert enrolment.message.text() and "017" not in enrolment.state.text()
    enrolment.package.setText(str(nct.package))
    enrolment.password.setText(nct.password)
    enrolment.enrol_button.click()
    assert "Enrolled at test site 017." in enrolment.state.text()
    assert "ППЕНТ Семей" in enrolment.state.text() and "4483 schools" in enrolment.state.text()
    assert "017" in window.site_label.text()

    # Site facts.
    facts = window.page("site")
    assert isinstance(facts, SiteFactsPage)
    assert facts.building.text() == "Корпус 1, ул. Абая 10"
    facts.counts["metal_detector_count"].setValue(2)
    assert "type of the metal detectors" in facts.problems.text() and not facts.save_button.isEnabled()
    facts.detector_type.setText("арочный")
    facts.counts["lodging_places"].setValue(40)
    facts.save_button.click()
    assert facts.message.text() == "The site's facts are saved."

    # Three streams.
    schedule = window.page("schedule")
    assert isinstance(schedule, SchedulePage)
    for day in (20, 21, 22):
        schedule.date.setDate(QDate(2027, 6, day))
        schedule.add_stream_button.click()
    assert [s.number for s in schedule.streams] == [1, 2, 3]

    # Rooms; a rule broken as the expert types, and its message.
    rooms = window.page("rooms")
    assert isinstance(rooms, RoomsPage)
    add_room(rooms, "01", 60)
    rooms.clear_form()
    rooms.number.setText("02")
    rooms.desks.setValue(17)
    assert "17 desks give 34 seats (2 per desk, п. 80.6)." in rooms.room_problems.text()
    assert not rooms.add_button.isEnabled()
    rooms.desks.setValue(30)
    rooms.building.setText("Корпус 2")
    assert "All rooms must be in one building (п. 80.1)" in rooms.room_problems.text()
    rooms.building.setText("Корпус 1, ул. Абая 10")
    assert rooms.room_problems.text() == "" and rooms.add_button.isEnabled()
    rooms.add_button.click()
    for number, desks in (("03", 30), ("04", 15)):
        add_room(rooms, number, desks)
    assert [(r.number, r.seats) for r in rooms.rooms] == [("01", 120), ("02", 60), ("03", 60), ("04", 30)]
    for stream in (1, 2, 3):
        use_room(rooms, "01", stream, "kk")
        use_room(rooms, "02", stream, "ru")
        use_room(rooms, "03", stream, "en-kk")
        use_room(rooms, "04", stream, "kk", reserve=True)
    assert rooms.rooms[0].use_in(3) is not None and rooms.rooms[3].use_in(2).reserve
    assert "Stream 3: 3 of 12 rooms, 1 of 2 reserve rooms" in rooms.stream_summary.text()

    # Schools from the template filled in a spreadsheet, then one from НЦТ's directory.
    schools = window.page("schools")
    assert isinstance(schools, SchoolsPage)
    template = schools.write_template(tmp_path / "template.xlsx")
    assert template.exists()
    filled = write_xlsx(tmp_path / "filled.xlsx", [school_row(n) for n in range(1, 50)])
    schools.import_file(filled)
    qtbot.waitUntil(lambda: "Imported 49 row(s)" in schools.message.text(), timeout=20000)
    assert schools.model.rowCount() == 49
    schools.search.setText("№17")
    assert schools.proxy.rowCount() == 1
    schools.search.setText("")
    dialog = schools.from_directory()
    assert dialog is not None
    dialog.search.setText("Школа-лицей №1")
    dialog.table.selectRow(0)
    dialog.stream_box.setCurrentIndex(dialog.stream_box.findData(2))
    dialog.accept()
    assert "1 school(s) taken from NTC's directory." in schools.message.text()
    assert schools.model.rowCount() == 50

    # A school typed by hand: the БИН is checked as it is typed.
    typed = schools.add()
    typed.bin.setText("123456789012")
    assert "is not valid" in typed.problems.text()
    typed.bin.setText(valid_bin(1))
    assert "already in the database" in typed.problems.text()
    typed.reject()

    # Distribution over streams with live totals.
    schedule = window.page("schedule")
    assert isinstance(schedule, SchedulePage)
    assert schedule.totals is not None and schedule.totals.unassigned_schools == 49
    selection = schedule.school_table.selectionModel()
    for row in range(schedule.school_proxy.rowCount()):
        school = schedule.school_proxy.row_at(row)
        if school.stream is None:
            index = schedule.school_proxy.index(row, 0)
            selection.select(index, QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    schedule.target.setCurrentIndex(schedule.target.findData(1))
    schedule.move_selected()
    assert "49 school(s) put into stream 1." in schedule.message.text()
    first = schedule.totals.streams[0]
    assert first.schools == 49 and first.language("kk").seats == 120
    shortfalls = [row for row in schedule.total_model.rows() if row.shortfall]
    assert shortfalls, "49 schools need more than one Kazakh room"
    index = schedule.total_model.index(schedule.total_model.rows().index(shortfalls[0]), 0)
    assert schedule.total_model.data(index, Qt.ItemDataRole.ToolTipRole).endswith("add rooms of this language or "
                                                                                "move schools.")

    # прил. 28 through the print preview, kept in printed/.
    reports = window.page("reports")
    assert isinstance(reports, ReportsPage)
    reports.choose("app28")
    reports.form_language.combo.setCurrentIndex(reports.form_language.combo.findData("kk"))
    reports.print_button.click()
    qtbot.waitUntil(lambda: isinstance(getattr(reports, "last_preview", None), PrintPreviewDialog), timeout=20000)
    preview = reports.last_preview
    assert preview.isVisible() and preview.page_count == reports.last_printed.pages >= 2
    assert preview.pdf_path.parent == folder / "printed"
    assert "28-қосымша" in pdf_text(preview.pdf_path, layout=False)
    opened: list[str] = []
    preview.open_url = lambda url: opened.append(url.toLocalFile()) or True  # type: ignore[method-assign]
    preview.folder_button.click()
    assert opened == [str(folder / "printed")]
    preview.accept()
    assert reports.printed_model.rowCount() == 1

    # Send the database to НЦТ.
    send = window.page("send")
    assert isinstance(send, SendPage)
    assert "50 school(s)" in send.summary.text()
    assert "Note: Stream 1:" in send.problems.text(), "the seats too few for stream 1 are pointed out"
    send.password.setText(nct.password)
    send.send_button.click()
    qtbot.waitUntil(lambda: "sealed for NTC" in send.message.text(), timeout=20000)
    assert send.password.text() == "", "the password is not left in the window"
    outbox = list((folder / "outbox").glob("*.entpkg"))
    assert len(outbox) == 1 and outbox[0].name in send.message.text()
    assert send.sent.count() == 1 and outbox[0].name in send.sent.item(0).text()
    actions = [json.loads(line)["action"] for line in (folder / "audit.log").read_text(encoding="utf-8").splitlines()]
    for action in ("workstation.enrol", "site.facts", "streams.add", "rooms.add", "rooms.use", "schools.import",
                   "schools.take", "schools.assign", "form.printed", "package.send"):
        assert action in actions, action


def test_every_page_retranslates(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from base_ppent_support import enrolled_folder

    folder = enrolled_folder(tmp_path / "site").root
    switch_language("ru")
    window = open_window(qtbot, folder)
    headings = {}
    for stage in BASE_PPENT.stages:
        page = window.page(stage.key)
        headings[stage.key] = page.heading.text()
    assert headings["rooms"] == "Аудиторный фонд (п. 80–82)"
    switch_language("kk")
    assert window.page("rooms").heading.text() == "Аудиториялық қор (80–82-тармақтар)"
    assert all(window.page(key).heading.text() != text for key, text in headings.items())
    rooms = window.page("rooms")
    assert isinstance(rooms, RoomsPage)
    assert rooms.model.headerData(0, Qt.Orientation.Horizontal) == "Аудитория"
    rooms.desks.setValue(16)
    assert "80.6-тармақ" in rooms.room_problems.text()
    assert i18n.current_language() == "kk"
