"""The programmer's room-scanning page (pytest-qt): a room scanned in pass 1 from the simulated scanner and in pass 2
from a capture folder, the difference shown side by side with both pictures and decided; the page fits a 1366×768
screen in kk and ru."""

from __future__ import annotations

import pytest
from exchange_support import Scene
from programmer_support import audit_entries, drawn_scene, session_of
from window_support import open_programmer_window, settled_page, squeezed

from arm_programmer.room_simulation import room_envelope, scanner, with_changed_mark
from arm_programmer.ui.room_scan_page import RoomScanPage
from common.ui.shell import switch_language


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Scene:
    return drawn_scene(tmp_path_factory)


def open_page(qtbot, scene: Scene) -> RoomScanPage:  # type: ignore[no-untyped-def]
    return settled_page(qtbot, open_programmer_window(qtbot, scene.folder("programmer")), "scanning", RoomScanPage)


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_room_scanning_page_fits_a_1366_screen(qtbot, scene: Scene, language: str) -> None:  # type: ignore[no-untyped-def]
    switch_language(language)
    page = open_page(qtbot, scene)
    assert squeezed(page, "scanning") == []
    switch_language("en")


def test_scan_a_room_twice_see_the_difference_side_by_side_and_decide_it(qtbot, scene: Scene) -> None:  # type: ignore[no-untyped-def]
    switch_language("en")
    page = open_page(qtbot, scene)
    assert [page.room.itemData(index) for index in range(page.room.count())] == ["01", "02"]
    page.room.setCurrentIndex(page.room.findData("01"))
    page.pass_number.setCurrentIndex(page.pass_number.findData(1))
    page.scan_simulated.click()
    qtbot.waitUntil(lambda: "pass 1: 3 stored" in page.message.text(), timeout=60000)
    assert page.progress.value() == 3

    with session_of(scene) as session:
        layout, sheets = room_envelope(session, 1, "01", blanks=2)
    old = sheets[0].answers["history_kz.q02"]
    new = "A" if old != "A" else "B"
    folder = scene.out / "capture"
    folder.mkdir()
    scanner(layout, [with_changed_mark(sheets[0], "history_kz.q02", new), *sheets[1:]], pass_number=2).export(folder)
    page.settle_seconds, page.idle_seconds = 0.0, 0.3
    page.folder.setText(str(folder))
    page.pass_number.setCurrentIndex(page.pass_number.findData(2))
    page.scan_folder.click()
    qtbot.waitUntil(lambda: "pass 2: 3 stored" in page.message.text(), timeout=60000)

    room = next(item for item in page.counts if item.room_number == "01")
    assert (room.pass1, room.pass2, room.differences) == (3, 3, 2)  # the old answer unmarked, the new one marked
    assert page.rooms.item(0, 4).text() == "2"
    bubbles = [page.table.item(row, 2).text() for row in range(page.table.rowCount())]
    assert sorted(bubbles) == sorted([f"history_kz.q02.{old}", f"history_kz.q02.{new}"])
    page.table.selectRow(0)
    qtbot.waitUntil(lambda: page.crop1.pixmap() is not None and not page.crop1.pixmap().isNull(), timeout=20000)
    assert not page.crop2.pixmap().isNull()
    page.value.setText(new)
    page.table.selectRow(0)
    page.resolve_button.click()
    assert f"decided as «{new}»" in page.message.text()
    assert page.table.item(0, 5).text() == new and page.rooms.item(0, 4).text() == "0"
    assert [entry["details"]["field"] for entry in audit_entries(scene, "sheet.resolved")] == ["history_kz.q02"]
    assert [entry["details"]["pass_number"] for entry in audit_entries(scene, "scan.room")] == [1, 2]
