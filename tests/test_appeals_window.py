"""The appeals page of the programmer's window (pytest-qt, ch. 32–39, п. 181–213): stream 1 scored and its statement
printed (the results announced). Through the page: a technical appeal on a bubble filled about 60 % and read as
empty, with its fresh scan from a file (the fills of the test day and of the fresh scan side by side, the ``explain``
pictures of both), proposed by п. 196; a content appeal on a task answered wrongly, voted for; a third application
refused after 13:00 of the next day; the file sent to НЦТ, which decides both and sends its decisions back (through
the НЦТ commands); the decisions taken from the package file — the totals and the states change —; the appeals
closed, the statement with appeal (прил. 3) printed through the print preview and the results with appeal sent. The
page fits a 1366×768 screen in kk and ru."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from applications_support import ok
from exchange_support import Scene
from programmer_support import audit_entries, identified_stream, programmer, session_of, sheet_ikt, three_passwords
from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QApplication
from sqlalchemy import select
from window_support import open_programmer_window, settled_page, squeezed

from arm_programmer.ui.appeals_page import AppealsPage
from common.codebook import AppealGround
from common.db.answer_models import SheetScan
from common.db.base import utc_now
from common.db.score_models import SheetScoreRow
from common.omr.synth import MarkSpec
from common.scanning.simulated import SimulatedSheet
from common.ui.print_preview import PrintPreviewDialog
from common.ui.shell import switch_language

WAIT = 60000
CHAIR = "Сәрсенбаева Гүлнар"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Scene, dict[str, SimulatedSheet]]:
    """Stream 1 identified, its codes opened, scored and its statement printed (the results announced)."""
    scene, passwords, paper = identified_stream(tmp_path_factory)
    ok(programmer(scene, "codes", "open", "--stream", "1", **three_passwords(passwords)))
    ok(programmer(scene, "score", "--stream", "1"))
    ok(programmer(scene, "statement", "print", "--stream", "1"))
    return scene, paper


@pytest.fixture
def scene(base: tuple[Scene, dict[str, SimulatedSheet]], tmp_path: Path) -> Scene:
    return base[0].copy(tmp_path / "scene")


def open_page(qtbot, scene: Scene) -> AppealsPage:  # type: ignore[no-untyped-def]
    return settled_page(qtbot, open_programmer_window(qtbot, scene.folder("programmer")), "appeals", AppealsPage)


def settle(qtbot, page: AppealsPage) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not page.busy, timeout=WAIT)
    QApplication.processEvents()


def score_row(scene: Scene, ikt: str) -> SheetScoreRow:
    from arm_programmer.draw import drawn_seats

    with session_of(scene) as session:
        seat = next(seat for seat in drawn_seats(session, 1) if seat.ikt == ikt)
        row = session.scalar(select(SheetScoreRow).where(SheetScoreRow.application_id == seat.application_id))
        assert row is not None
        session.expunge(row)
    return row


def fill_entry(qtbot, page: AppealsPage, ikt: str, kind: str,  # type: ignore[no-untyped-def]
               claims: list[tuple[str, int, AppealGround]]) -> None:
    page.tabs.setCurrentIndex(0)
    page.ikt.clear()
    qtbot.keyClicks(page.ikt, ikt)
    page.ikt.editingFinished.emit()
    page.kind.setCurrentIndex(page.kind.findData(kind))
    page.chair.setText(CHAIR)
    page.claims.setRowCount(0)
    for index, (subject, task, ground) in enumerate(claims):
        page.add_claim()
        page.set_claim(index, subject, task, ground)


def cells(page: AppealsPage, table: Any) -> list[list[str]]:
    return [[table.item(row, column).text() for column in range(table.columnCount())]
            for row in range(table.rowCount())]


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_appeals_page_fits_a_1366_screen(qtbot, scene: Scene, language: str) -> None:  # type: ignore[no-untyped-def]
    switch_language(language)
    page = open_page(qtbot, scene)
    page.grab().save(str(scene.root / f"appeals-{language}.png"))
    assert squeezed(page, "appeals") == []
    page.tabs.setCurrentIndex(1)
    QApplication.processEvents()
    assert squeezed(page, "appeals") == []
    switch_language("en")


def test_one_content_and_one_technical_appeal_through_to_the_statement_with_appeal(  # type: ignore[no-untyped-def]
        qtbot, scene: Scene, base: tuple[Scene, dict[str, SimulatedSheet]]) -> None:
    from arm_programmer.appeal_view import appeals_view
    from arm_programmer.appeals import deadline, window_of
    from arm_programmer.codes import stream_key
    from arm_programmer.draw import stream_of

    switch_language("en")
    paper = base[1]
    marked, creative = sheet_ikt(paper["marked"]), sheet_ikt(paper["creative"])
    with session_of(scene) as session:
        _spec, key = stream_key(session, 1)
    row = score_row(scene, marked)
    correct = "".join(sorted(key.variants[row.variant]["math_literacy"][1]))
    assert row.per_task["math_literacy"][0] == 0 and row.marks["math_literacy"]["1"] == ""
    with session_of(scene) as session:  # the bubble of the answer code was filled ~60 % on the test day
        for scan in session.scalars(select(SheetScan).where(SheetScan.sheet_id == row.sheet_id)):
            scan.fills = {**scan.fills, f"math_literacy.q01.{correct}": 0.62}
    other = score_row(scene, creative)
    wrong, absent = [number for number in range(1, 21) if other.per_task["reading_literacy"][number - 1] == 0][:2]
    totals = {marked: row.total, creative: other.total}

    page = open_page(qtbot, scene)
    with session_of(scene) as session:  # the statement printed while the page is open: the entry's "now" is older
        window = window_of(session, stream_of(session, 1))
        assert window is not None
        window.announced_at = utc_now()
        last = deadline(window.announced_at)
    page.reload()
    deadline_text = last.strftime("%d.%m.%Y %H:%M")
    assert f"Stream 1: applications are taken until {deadline_text}" in page.state.text()
    assert "0 application(s)" in page.state.text()

    # the entry: the subjects offered are the applicant's tested ones, the grounds those of the kind
    fill_entry(qtbot, page, marked, "technical", [("math_literacy", 1, AppealGround.READ_AS_EMPTY)])
    subjects = page.claims.cellWidget(0, 0)
    assert [subjects.itemText(index) for index in range(subjects.count())] == list(row.per_task)
    grounds = page.claims.cellWidget(0, 2)
    assert [grounds.itemData(index) for index in range(grounds.count())] == [
        "read-as-several", "read-as-empty", "defective-sheet"]
    page.register_button.click()
    assert "Stream 1: application number 1 registered (1 task(s))." in page.message.text(), page.message.text()
    fill_entry(qtbot, page, creative, "content", [("reading_literacy", wrong, AppealGround.INCORRECT_TASK)])
    page.register_button.click()
    assert "application number 2 registered" in page.message.text(), page.message.text()
    fill_entry(qtbot, page, creative, "content", [("reading_literacy", absent, AppealGround.NO_RIGHT_ANSWER)])
    late = last + timedelta(minutes=1)
    page.received.setDateTime(QDateTime.fromSecsSinceEpoch(int(late.timestamp())))
    page.register_button.click()
    assert "after the deadline" in page.message.text() and deadline_text in page.message.text()
    assert len(page.message.text().splitlines()) == 1
    assert page.ikt.text() == creative and page.claims.rowCount() == 1, "the entry is kept to be corrected"
    page.received.setDateTime(page.received_default)  # back to "now"
    page.add_claim()
    page.set_claim(1, "reading_literacy", 99, AppealGround.INCORRECT_TASK)
    page.register_button.click()
    assert "Task reading_literacy:99: the applicant was not tested in it" in page.message.text()
    assert len(page.message.text().splitlines()) == 1
    page.remove_claim()
    page.register_button.click()
    assert "application number 3 registered" in page.message.text(), page.message.text()
    assert "3 application(s): 3 registered, 0 «не явился», 0 «решение принято»." in page.state.text()
    assert "Closing waits for 3 application(s)" in page.state.text()
    with session_of(scene) as session:  # after 13:00 of the next day the state line says the deadline passed
        passed = appeals_view(session, 1, now=last + timedelta(minutes=1)).lines[0]
    assert passed == f"Stream 1: applications were taken until {deadline_text}; the deadline has passed (п. 185)."

    # the list: the content task voted for
    page.tabs.setCurrentIndex(1)
    listed = cells(page, page.appeals)
    assert [(line[0], line[1], line[3], line[4]) for line in listed] == [
        ("1", marked, "technical", "registered"), ("2", creative, "content", "registered"),
        ("3", creative, "content", "registered")]
    page.select_appeal(3)
    page.no_show_button.click()
    assert page.message.text() == "Appeal 3: «не явился» (п. 192)."
    assert cells(page, page.appeals)[2][4] == "«не явился»" and not page.no_show_button.isEnabled()
    assert all(line[2] for line in listed) and listed[0][5] == f"{totals[marked]} / 140"
    page.select_appeal(2)
    assert page.vote_box.isVisibleTo(page) and not page.technical_box.isVisibleTo(page)
    [task] = cells(page, page.tasks)
    assert task[0] == f"reading_literacy:{wrong}" and task[3] == "0 / 1" and task[6] == "pending"
    page.votes_for.setValue(3)
    page.votes_against.setValue(3)
    page.vote_button.click()
    assert "The vote is tied 3–3: the chair's vote decides" in page.message.text(), page.message.text()
    assert cells(page, page.tasks)[0][4] == "", "a refused vote writes nothing"
    page.votes_for.setValue(4)
    page.votes_against.setValue(1)
    page.vote_button.click()
    assert "4 for, 1 against: the commission proposes «satisfied»." in page.message.text(), page.message.text()
    assert cells(page, page.tasks)[0][4] == "4 for, 1 against; proposed 1"

    # the technical task: the test-day fills, then the fresh scan's, side by side with the pictures
    page.select_appeal(1)
    assert page.technical_box.isVisibleTo(page) and not page.vote_box.isVisibleTo(page)
    assert "test day: " in page.fills.text() and f"{correct} 62% ✓" in page.fills.text()
    assert page.fills.text().splitlines()[2] == "fresh scan: —"
    assert page.test_day_picture.pixmap() is not None and not page.test_day_picture.pixmap().isNull()
    assert page.fresh_picture.text() == "No fresh scan yet"
    page.send_button.click()
    assert "Type the workstation's password" in page.message.text()
    qtbot.keyClicks(page.password, scene.passwords["programmer"])
    page.send_button.click()
    settle(qtbot, page)
    assert "Appeal 1: task math_literacy:1 has no proposal" in page.message.text()
    from arm_programmer.room_simulation import scanner
    from arm_programmer.sheets import answer_layouts

    with session_of(scene) as session:
        layout = answer_layouts(session, 1)
    sheet = paper["marked"]
    fresh = SimulatedSheet(answers=sheet.answers, number=sheet.number,
                           marks={f"math_literacy.q01.{correct}": MarkSpec(0.62, "pencil", 0.58)})
    folder = scene.out / "appeal-rescan"
    folder.mkdir()
    image = scanner(layout, [fresh], pass_number=1, seed=5).export(folder)[0]
    page.rescan(image)
    assert "Appeal 1: the fresh scan is kept" in page.message.text(), page.message.text()
    assert page.selected_number() == 1
    fresh_line = page.fills.text().splitlines()[2]
    fresh_fill = next(part for part in fresh_line.split("   ") if part.startswith(f"fresh scan: {correct} ")
                      or part.startswith(f"{correct} "))
    assert fresh_fill.endswith("✓") and f"{correct} 62% ✓" in page.fills.text().splitlines()[1]
    assert not page.fresh_picture.pixmap().isNull() and not page.test_day_picture.pixmap().isNull()
    page.grab().save(str(scene.root / "appeals-technical.png"))
    for language in ("kk", "ru"):  # the technical appeal's fills and pictures fit in both languages
        switch_language(language)
        QApplication.processEvents()
        assert page.selected_number() == 1 and page.technical_box.isVisible()
        page.grab().save(str(scene.root / f"appeals-technical-{language}.png"))
        assert squeezed(page, "appeals") == [] or squeezed(page, "appeals") == [
            f"appeals: {page.message.text()!r} before anything is done"]
    switch_language("en")
    page.propose_button.click()
    assert "Fills on the fresh scan" in page.message.text() and "(п. 196, 1)" in page.message.text()
    assert "proposed 1 point(s) (was 0)" in page.message.text()

    # to НЦТ and back
    outbox = scene.folder("programmer") / "outbox"
    before = set(outbox.iterdir())
    page.password.clear()  # kept after the refused sending
    qtbot.keyClicks(page.password, scene.passwords["programmer"])
    page.send_button.click()
    settle(qtbot, page)
    assert "The appeals of stream 1 (3 application(s), 2 image(s)) are sealed for НЦТ" in page.message.text()
    [package] = set(outbox.iterdir()) - before
    assert page.password.text() == ""
    ok(scene.nct("import", str(package)))
    decide = ("appeals", "decide", "--site", "017", "--stream", "1", "--decision", "satisfied")
    ok(scene.nct(*decide, "--number", "1", "--task", "math_literacy:1"))
    ok(scene.nct(*decide, "--number", "2", "--task", f"reading_literacy:{wrong}"))
    decisions = Path(ok(scene.nct("--json", "appeals", "send-decisions", "--site", "017", "--stream", "1", "--out",
                                  str(scene.out))).json()["path"])
    page.package.setText(str(decisions))
    qtbot.keyClicks(page.password, scene.passwords["programmer"])
    page.take_button.click()
    assert "Stream 1: 2 decision(s) of the Republican commission applied, 2 score(s) changed" in \
        page.message.text(), page.message.text()
    assert page.password.text() == "" and page.package.text() == ""
    assert audit_entries(scene, "package.take")[-1]["details"]["kind"] == "appeal-decisions"
    assert [entry["actor"] for entry in audit_entries(scene, "appeal.decided")] == ["Оспанов Б."] * 2  # the window's
    assert "3 application(s): 0 registered, 1 «не явился», 2 «решение принято»." in page.state.text()
    assert "the appeals can be closed" in page.state.text()
    listed = cells(page, page.appeals)
    assert [line[4] for line in listed] == ["«решение принято»", "«решение принято»", "«не явился»"]
    assert listed[0][5] == f"{totals[marked] + 1} / 140" and listed[1][5].startswith(f"{totals[creative] + 1} / ")
    assert score_row(scene, marked).total == totals[marked] + 1
    page.select_appeal(2)
    assert cells(page, page.tasks)[0][6] == "«удовлетворено» (1)"

    # closing, прил. 3 and the results with appeal
    page.form.setCurrentIndex(page.form.findData("statement"))
    page.close_button.click()
    assert "The appeals of stream 1 are closed (п. 209)." in page.message.text()
    assert "The appeals were closed on" in page.state.text()
    page.print_button.click()
    assert "Type the workstation's password" in page.message.text() and page.last_preview is None
    qtbot.keyClicks(page.password, scene.passwords["programmer"])
    page.print_button.click()
    qtbot.waitUntil(lambda: isinstance(page.last_preview, PrintPreviewDialog), timeout=WAIT)
    assert page.last_printed is not None and page.last_printed.path.parent == scene.folder("programmer") / "printed"
    assert page.last_printed.path.is_file() and "with-appeal" in page.last_printed.path.name
    assert page.password.text() == ""
    page.last_preview.close()
    before = set(outbox.iterdir())
    qtbot.keyClicks(page.password, scene.passwords["programmer"])
    page.final_button.click()
    settle(qtbot, page)
    assert "The results with appeal of stream 1 (2 change(s)) are sealed for НЦТ" in page.message.text()
    [final] = set(outbox.iterdir()) - before
    ok(scene.nct("import", str(final)))
    shown = ok(scene.nct("results", "show", "--site", "017", "--stream", "1", "--final"))
    assert "2 tasks changed by appeals" in shown.out
    log = (scene.folder("programmer") / "audit.log").read_text(encoding="utf-8")
    assert CHAIR not in log and CHAIR.split()[0] not in log
