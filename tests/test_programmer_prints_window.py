"""The programmer's exam-day prints page (pytest-qt): print the seating list of a drawn stream through Qt's print
preview; the page fits a 1366×768 screen in kk and ru."""

from __future__ import annotations

from pathlib import Path

import pytest
from base_ppent_support import flat
from exchange_support import Scene
from pdf_support import pdf_text
from programmer_support import drawn_scene
from window_support import open_programmer_window, settled_page, squeezed

from arm_programmer.ui.prints_page import PrintsPage
from common.ui.print_preview import PrintPreviewDialog
from common.ui.shell import switch_language


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Scene:
    return drawn_scene(tmp_path_factory)


def open_page(qtbot, scene: Scene) -> PrintsPage:  # type: ignore[no-untyped-def]
    return settled_page(qtbot, open_programmer_window(qtbot, scene.folder("programmer")), "prints", PrintsPage)


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_prints_page_fits_a_1366_screen(qtbot, scene: Scene, language: str) -> None:  # type: ignore[no-untyped-def]
    switch_language(language)
    page = open_page(qtbot, scene)
    assert squeezed(page, "prints") == []
    switch_language("en")


def test_print_the_seating_list_of_the_drawn_stream_through_the_print_preview(qtbot, scene: Scene) -> None:  # type: ignore[no-untyped-def]
    switch_language("en")
    page = open_page(qtbot, scene)
    assert [page.stream.itemData(index) for index in range(page.stream.count())] == [1, 2]
    assert [page.room.itemText(index) for index in range(1, page.room.count())] == ["01", "02"]
    page.what.setCurrentIndex(page.what.findData("seating"))
    page.language.setCurrentIndex(page.language.findData("ru"))
    page.print_button.click()
    qtbot.waitUntil(lambda: isinstance(page.last_preview, PrintPreviewDialog), timeout=20000)
    preview = page.last_preview
    assert preview is not None and preview.page_count == 2
    [printed] = page.last_printed
    assert printed.path.parent == scene.folder("programmer") / "printed" and "seating-list" in printed.path.name
    words = flat(pdf_text(Path(printed.path), layout=False))
    assert "Посадочный лист" in words and "Абаев Арман" in words and "Петров Иван" in words
    assert "Printed 2 page(s)" in page.message.text() and page.printed.count() == 1
    preview.close()

    page.stream.setCurrentIndex(page.stream.findData(2))
    page.print_button.click()
    qtbot.waitUntil(lambda: "not drawn yet" in page.message.text(), timeout=20000)
    assert page.printed.count() == 1
