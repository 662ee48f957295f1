"""The variants-file page of the programmer's window (pytest-qt, п. 53.1): НЦТ's variants package and test
specification of stream 1 taken from their files with the workstation's password — refused in one line without the
password or with a wrong one, nothing taken —, then the stream's specification, sheet numbers and booklets per room
shown as ``variants show`` shows them. The page fits a 1366×768 screen in kk and ru."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from applications_support import ok
from exchange_support import Scene
from programmer_support import audit_entries, handed_over_scene, programmer
from window_support import open_programmer_window, settled_page, squeezed

from arm_programmer.ui.variants_page import VariantsPage
from common.ui.page import ERROR_STYLE
from common.ui.shell import switch_language


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Scene, dict[str, Any]]:
    """Handed over and closed; НЦТ's variants package and test specification of stream 1 made, not taken."""
    scene = handed_over_scene(tmp_path_factory)
    ok(programmer(scene, "close"))
    sent = ok(scene.nct("variants", "send", "--site", "017", "--out", str(scene.out), "--json", "--stream", "1",
                        "--spec", "ent2018")).json()
    return scene, sent


@pytest.fixture
def scene(base: tuple[Scene, dict[str, Any]], tmp_path: Path) -> Scene:
    return base[0].copy(tmp_path / "scene")


def open_page(qtbot: Any, scene: Scene) -> VariantsPage:
    return settled_page(qtbot, open_programmer_window(qtbot, scene.folder("programmer")), "variants", VariantsPage)


def cells(page: VariantsPage) -> list[list[str]]:
    return [[page.table.item(row, column).text() for column in range(page.table.columnCount())]
            for row in range(page.table.rowCount())]


def lines(counts: list[str]) -> list[list[str]]:
    return [counts[start:start + 6] for start in range(0, len(counts), 6)]


def take(qtbot: Any, page: VariantsPage, path: str, password: str) -> None:
    page.package.setText(path)
    page.password.clear()
    qtbot.keyClicks(page.password, password)
    page.take_button.click()


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_variants_page_fits_a_1366_screen(qtbot, base: tuple[Scene, dict[str, Any]], tmp_path: Path,  # type: ignore[no-untyped-def]
                                              language: str) -> None:
    scene = base[0].copy(tmp_path / "scene")
    ok(programmer(scene, "variants", "import", base[1]["specification_path"]))
    ok(programmer(scene, "variants", "import", base[1]["path"]))
    switch_language(language)
    page = open_page(qtbot, scene)
    page.grab().save(str(scene.root / f"variants-{language}.png"))
    found = squeezed(page, "variants")
    switch_language("en")
    assert page.table.rowCount() == 2
    assert found == []


def test_the_variants_file_taken_through_the_page_and_shown_per_room(  # type: ignore[no-untyped-def]
        qtbot, scene: Scene, base: tuple[Scene, dict[str, Any]]) -> None:
    switch_language("en")
    sent = base[1]
    page = open_page(qtbot, scene)
    assert page.stream.number() == 1
    assert page.state.text().splitlines()[0] == ("Stream 1 (2027-06-20): test specification not received; variants "
                                                 "file not received.")
    assert "come with the variants file from НЦТ" in page.state.text() and page.table.rowCount() == 0

    page.package.setText(sent["path"])
    page.take_button.click()
    assert page.message.text() == "Type the workstation's password (from the enrolment sheet)."
    take(qtbot, page, sent["path"], "not the password")
    assert page.message.styleSheet() == ERROR_STYLE and len(page.message.text().splitlines()) == 1
    assert page.password.text() == "" and page.package.text() == sent["path"], "the file stays to be taken again"
    assert page.table.rowCount() == 0 and "variants file not received" in page.state.text()

    take(qtbot, page, sent["path"], scene.passwords["programmer"])
    assert "Variants file of stream 1 taken: 2 room(s), 90 answer sheet(s), 90 booklet(s)." in page.message.text(), \
        page.message.text()
    assert page.password.text() == "" and page.package.text() == ""
    take(qtbot, page, sent["specification_path"], scene.passwords["programmer"])
    assert "Test specification 'ent2018' of stream 1 taken" in page.message.text(), page.message.text()
    assert [entry["details"]["kind"] for entry in audit_entries(scene, "package.take")][-2:] == [
        "variants", "test-specification"]
    assert audit_entries(scene, "package.take")[-1]["actor"] == "Оспанов Б."  # the window's operator

    assert page.state.text() == "Stream 1 (2027-06-20): test specification ent2018; variants file received."
    shown = ok(programmer(scene, "variants", "show", "--stream", "1", "--json")).json()
    expected = [[room["room"], room["language"], str(room["seats"]), "–".join(room["sheets"]),
                 "–".join(room["spare_sheets"]) if room["spare_sheets"] else "", str(sum(room["booklets"].values())),
                 "\n".join(", ".join(line) for line in lines(
                     [f"{variant}×{count}" for variant, count in room["booklets"].items()]))]
                for room in shown["rooms"]]
    assert cells(page) == expected
    assert [row[:6] for row in cells(page)] == [["01", "kk", "30", "0000001–0000030", "0000091–0000100", "30"],
                                               ["02", "ru", "60", "0000031–0000090", "", "60"]]
    assert cells(page)[0][6].startswith("0001×3, ") and len(cells(page)[0][6].splitlines()) == 2  # 12 variants

    # the same file again changes nothing; stream 2 has nothing yet
    take(qtbot, page, sent["path"], scene.passwords["programmer"])
    assert "already" in page.message.text() and page.table.rowCount() == 2
    page.stream.setCurrentIndex(page.stream.findData(2))
    assert "Stream 2" in page.state.text() and "variants file not received" in page.state.text()
    assert page.table.rowCount() == 0
