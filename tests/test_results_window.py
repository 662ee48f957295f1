"""The results page of the programmer's window (pytest-qt, п. 176–180): the answer codes refused before the end of
identification, opened by three typed passwords after two wrong sets (the lines cleared after every attempt), the
sheets scored, прил. 9 and прил. 4 printed through the print preview, the results and the day's statistics sealed
for НЦТ, a printed statement page checked by its QR (trusted, then caught after a score changed in the database);
the page fits a 1366×768 screen in kk and ru."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from exchange_support import Scene
from programmer_support import audit_entries, end_identification, identified_stream, session_of
from PySide6.QtWidgets import QApplication
from sqlalchemy import select
from window_support import open_programmer_window, settled_page, squeezed

from arm_programmer.ui.results_page import ResultsPage
from common.db.score_models import SheetScoreRow
from common.scanning.simulated import SimulatedSheet
from common.security.codes import generate_code
from common.ui.page import DONE_STYLE, ERROR_STYLE
from common.ui.print_preview import PrintPreviewDialog
from common.ui.shell import switch_language

WAIT = 60000


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Scene, list[str], dict[str, SimulatedSheet]]:
    """Stream 1 identified, its end not reported yet; the answer codes sealed and taken."""
    return identified_stream(tmp_path_factory, end=False)


@pytest.fixture
def scene(base: tuple[Scene, list[str], dict[str, SimulatedSheet]], tmp_path: Path) -> Scene:
    return base[0].copy(tmp_path / "scene")


def open_page(qtbot, scene: Scene, stage: str = "results") -> ResultsPage:  # type: ignore[no-untyped-def]
    return settled_page(qtbot, open_programmer_window(qtbot, scene.folder("programmer")), stage, ResultsPage)


def type_passwords(qtbot, page: ResultsPage, passwords: list[str]) -> None:  # type: ignore[no-untyped-def]
    for index, password in enumerate(passwords):
        qtbot.keyClicks(page.passwords.lines[index], password)


def settle(qtbot, page: ResultsPage) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not page.busy, timeout=WAIT)
    QApplication.processEvents()


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_results_page_fits_a_1366_screen(qtbot, scene: Scene, language: str) -> None:  # type: ignore[no-untyped-def]
    switch_language(language)
    page = open_page(qtbot, scene)
    page.grab().save(str(scene.root / f"results-{language}.png"))
    assert squeezed(page, "results") == []
    switch_language("en")


def test_the_codes_refused_before_the_end_of_identification(  # type: ignore[no-untyped-def]
        qtbot, scene: Scene, base: tuple[Scene, list[str], dict[str, SimulatedSheet]]) -> None:
    switch_language("en")
    passwords = base[1]
    page = open_page(qtbot, scene, "results")
    assert "the answer codes cannot be opened yet" in page.state.text()
    assert "The end of identification is not reported to НЦТ yet" in page.state.text()
    type_passwords(qtbot, page, passwords)
    page.open_button.click()
    assert "The answer codes of stream 1 cannot be opened yet" in page.message.text()
    assert "The end of identification is not reported to НЦТ yet" in page.message.text()
    assert [line.text() for line in page.passwords.lines] == ["", "", ""], "cleared after the refused attempt"
    assert audit_entries(scene, "answer-codes.wrong") == [] and page.table.rowCount() == 0


def test_open_score_print_send_and_check_through_the_page(  # type: ignore[no-untyped-def]
        qtbot, scene: Scene, base: tuple[Scene, list[str], dict[str, SimulatedSheet]]) -> None:
    switch_language("en")
    passwords = base[1]
    end_identification(scene)
    page = open_page(qtbot, scene)
    assert "identification has ended; the answer codes wait for the three passwords" in page.state.text()

    type_passwords(qtbot, page, passwords[:2])
    page.open_button.click()
    assert page.message.text() == ("Each holder types their own password; not typed yet: Ministry "
                                   "representative.")
    assert [bool(line.text()) for line in page.passwords.lines] == [True, True, False]
    page.passwords.clear()

    wrong_sets = ([passwords[0], generate_code(), passwords[2]], [generate_code(), passwords[1], passwords[2]])
    for count, wrong in enumerate(wrong_sets, start=1):
        type_passwords(qtbot, page, wrong)
        page.open_button.click()
        assert [line.text() for line in page.passwords.lines] == ["", "", ""], "cleared at once"
        settle(qtbot, page)
        assert "These three passwords do not open the file" in page.message.text()
        assert f"Wrong sets so far: {count}." in page.message.text()
        assert page.message.styleSheet() == ERROR_STYLE
        assert len(audit_entries(scene, "answer-codes.wrong")) == count
    assert "the answer codes wait for the three passwords" in page.state.text()

    type_passwords(qtbot, page, passwords)
    page.open_button.click()
    assert [line.text() for line in page.passwords.lines] == ["", "", ""]
    settle(qtbot, page)
    assert "The answer codes of stream 1 are open" in page.message.text()
    assert "Stream 1: the answer codes were opened by Оспанов Б. at " in page.state.text()
    assert "The sheets of stream 1 are not scored yet" in page.state.text()
    assert not page.codes_box.isEnabled()
    page.grab().save(str(scene.root / "results-opened.png"))

    page.score_button.click()
    settle(qtbot, page)
    assert "Stream 1: 2 sheet(s) scored and stored per task" in page.message.text()
    assert "2 scored, 1 absent, 0 annulled, 0 not admitted." in page.state.text()
    rows = [[page.table.item(row, column).text() for column in range(7)] for row in range(page.table.rowCount())]
    assert sorted(row[6] for row in rows) == ["Absent", "Scored", "Scored"]
    absent = next(row for row in rows if row[6] == "Absent")
    assert absent[5] == "" and absent[4] == ""
    assert any(row[5].endswith("/ 140") for row in rows) and any(row[5].endswith("/ 40") for row in rows)
    assert all(row[1] and row[0] for row in rows)

    printed = scene.folder("programmer") / "printed"
    page.codes_print_button.click()
    qtbot.waitUntil(lambda: isinstance(page.last_preview, PrintPreviewDialog), timeout=WAIT)
    assert page.last_printed is not None and page.last_printed.path.parent == printed
    codes_pdf = page.last_printed.path
    assert codes_pdf.exists() and "Printed" in page.message.text()
    assert page.last_preview is not None
    page.last_preview.close()
    page.last_preview = None

    page.statement_button.click()
    assert "Type the workstation's password" in page.message.text() and page.last_preview is None
    qtbot.keyClicks(page.password, scene.passwords["programmer"])
    page.statement_button.click()
    qtbot.waitUntil(lambda: isinstance(page.last_preview, PrintPreviewDialog), timeout=WAIT)
    statement_pdf = page.last_printed.path
    assert statement_pdf != codes_pdf and statement_pdf.parent == printed and page.password.text() == ""
    page.last_preview.close()
    page.grab().save(str(scene.root / "results-scored.png"))

    outbox = scene.folder("programmer") / "outbox"
    before = set(outbox.iterdir()) if outbox.exists() else set()
    qtbot.keyClicks(page.password, scene.passwords["programmer"])
    page.send_button.click()
    settle(qtbot, page)
    assert "The results of stream 1 are sealed for НЦТ (2 scored, 1 absent, 0 annulled, 0 not admitted)" in \
        page.message.text()
    [package] = set(outbox.iterdir()) - before
    assert str(package) in page.message.text() and page.password.text() == ""
    qtbot.keyClicks(page.password, scene.passwords["programmer"])
    page.statistics_button.click()
    settle(qtbot, page)
    [statistics] = set(outbox.iterdir()) - before - {package}
    assert "are sealed for НЦТ" in page.message.text() and str(statistics) in page.message.text()
    assert page.password.text() == ""

    image = scene.root / "statement-page"
    subprocess.run(["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", str(statement_pdf), str(image)],
                   check=True)
    [png] = scene.root.glob("statement-page*.png")
    page.check_statement(png)
    settle(qtbot, page)
    assert "signed by this workstation; its 3 rows are those of the database" in page.checked.text()
    assert page.checked.isVisible() and page.checked.styleSheet() == DONE_STYLE

    with session_of(scene) as session:  # a score changed in the database after the printing
        row = session.scalars(select(SheetScoreRow).where(SheetScoreRow.creative.is_(False))).one()
        row.total += 10
    page.check_statement(png)
    settle(qtbot, page)
    assert "the printed rows differ from the database's now, ИКТ" in page.checked.text()
    assert page.checked.styleSheet() == ERROR_STYLE
