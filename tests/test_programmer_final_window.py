"""The certificate-file page of the programmer's window (pytest-qt, п. 214, 232): stream 1 scored; the certificate
file refused in one line while its appeal is not closed (nothing asked, nothing in the outbox), then — the statement
printed, one application registered and «не явился», the appeal closed — the stream's state (closed when, how many
applicants the file carries, nothing sent yet), the file sealed once confirmed (the confirmation naming the stream and
the site's АРМ «Сертификат»; cancelled: nothing sent), the certificate workstation taking it, and the programmer's
report (прил. 25) printed through the print preview. The page fits a 1366×768 screen in kk and ru."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from applications_support import ok
from certificate_support import certificate, scored_scene
from exchange_support import Scene
from programmer_support import programmer, session_of, sheet_ikt
from PySide6.QtWidgets import QApplication
from window_support import answer, open_programmer_window, settled_page, squeezed

from arm_programmer.results import ResultStatus
from arm_programmer.ui.final_page import FinalPage
from common.ui.page import ERROR_STYLE
from common.ui.print_preview import PrintPreviewDialog
from common.ui.shell import switch_language

WAIT = 60000
CHAIR = "Сәрсенбаева Гүлнар"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Scene, str]:
    """Stream 1 scored, the site's АРМ «Сертификат» known to the programmer's workstation (:func:`scored_scene`).
    With the ИКТ of an applicant with a result."""
    scene, paper = scored_scene(tmp_path_factory)
    return scene, sheet_ikt(paper["marked"])


@pytest.fixture
def scene(base: tuple[Scene, str], tmp_path: Path) -> Scene:
    return base[0].copy(tmp_path / "scene")


def close_the_appeal(scene: Scene, ikt: str) -> None:
    """The results announced (the statement printed), one application registered, «не явился», the appeal closed."""
    ok(programmer(scene, "statement", "print", "--stream", "1"))
    ok(programmer(scene, "appeal", "add", "--stream", "1", "--chair", CHAIR, "--ikt", ikt, "--kind", "content",
                  "--task", "reading_literacy:1:no-right-answer"))
    ok(programmer(scene, "appeal", "no-show", "--stream", "1", "--number", "1"))
    ok(programmer(scene, "appeal", "close", "--stream", "1"))


def open_page(qtbot: Any, scene: Scene) -> FinalPage:
    return settled_page(qtbot, open_programmer_window(qtbot, scene.folder("programmer")), "final", FinalPage)


def settle(qtbot: Any, page: FinalPage) -> None:
    qtbot.waitUntil(lambda: not page.busy, timeout=WAIT)
    QApplication.processEvents()


def certificate_files(scene: Scene) -> set[Path]:
    return set((scene.folder("programmer") / "outbox").glob("*certificate-file*"))


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_certificate_file_page_fits_a_1366_screen(qtbot, base: tuple[Scene, str], tmp_path: Path,  # type: ignore[no-untyped-def]
                                                      language: str) -> None:
    scene = base[0].copy(tmp_path / "scene")
    close_the_appeal(scene, base[1])
    ok(programmer(scene, "send", "certificate-file", "--stream", "1"))
    switch_language(language)
    page = open_page(qtbot, scene)
    page.grab().save(str(scene.root / f"final-{language}.png"))
    found = squeezed(page, "final")
    lines = page.state.text().splitlines()
    switch_language("en")
    assert len(lines) == 3
    assert found == []


def test_the_certificate_file_refused_before_the_appeal_closes_then_sent_and_taken(  # type: ignore[no-untyped-def]
        qtbot, scene: Scene, base: tuple[Scene, str]) -> None:
    from arm_programmer.scores import result_rows

    switch_language("en")
    with session_of(scene) as session:
        scored = [row for row in result_rows(session, 1) if row.status is ResultStatus.SCORED]
    page = open_page(qtbot, scene)
    assert page.stream.number() == 1
    assert page.state.text().splitlines() == [
        "Stream 1: the appeals are not closed yet; the certificate file follows the appeal (п. 214).",
        f"The certificate file would carry {len(scored)} applicant(s) with a result, to 017/certificate.",
        "No certificate file sent yet."]
    qtbot.keyClicks(page.password, scene.passwords["programmer"])
    page.send_button.click()  # no confirmation is asked: the refusal comes first
    assert page.message.text() == ("The appeals of stream 1 are not closed yet: the certificate file follows the "
                                   "appeal (appeal close, п. 214).")
    assert page.message.styleSheet() == ERROR_STYLE and not page.busy
    assert certificate_files(scene) == set()

    close_the_appeal(scene, base[1])
    page.reload()
    state = page.state.text().splitlines()
    assert state[0].startswith("Stream 1: the appeals were closed on ") and state[0].endswith(" UTC.")
    assert state[1:] == [f"The certificate file would carry {len(scored)} applicant(s) with a result, to "
                         "017/certificate.", "No certificate file sent yet."]

    asked = answer(None)  # cancelled: nothing sealed, the password stays
    page.send_button.click()
    assert asked == [f"Seal the certificate file of stream 1 ({len(scored)} applicant(s)) to АРМ «Сертификат» "
                     "017/certificate?"]
    assert certificate_files(scene) == set() and page.password.text() == scene.passwords["programmer"]

    page.password.clear()
    page.send_button.click()
    assert page.message.text() == "Type the workstation's password (from the enrolment sheet)."
    qtbot.keyClicks(page.password, scene.passwords["programmer"])
    asked = answer()
    page.send_button.click()
    settle(qtbot, page)
    assert asked and "stream 1" in asked[0] and "017/certificate" in asked[0]
    assert f"The certificate file of stream 1 ({len(scored)} applicant(s)) is sealed for 017/certificate" in \
        page.message.text(), page.message.text()
    assert page.password.text() == ""
    [sent] = certificate_files(scene)
    assert sent.name in page.message.text()
    assert page.state.text().splitlines()[2].startswith("Certificate files sent: 1; the last on ")
    assert page.state.text().splitlines()[2].endswith(f"({sent.name}).")

    taken = ok(certificate(scene, "import", str(sent), "--json")).json()
    assert taken["taken"] and taken["stream"] == 1 and taken["applicants"] == len(scored)
    listed = ok(certificate(scene, "applicants", "--stream", "1", "--json")).json()
    assert {item["ikt"] for item in listed["applicants"]} == {row.ikt for row in scored}

    # a second file is sent only once confirmed again; the confirmation says one was sent
    qtbot.keyClicks(page.password, scene.passwords["programmer"])
    asked = answer(None)
    page.send_button.click()
    assert "A file was already sent for this stream" in asked[0] and certificate_files(scene) == {sent}

    # the programmer's report (прил. 25) through the print preview
    page.language.setCurrentIndex(page.language.findData("ru"))
    page.report_button.click()
    qtbot.waitUntil(lambda: isinstance(page.last_preview, PrintPreviewDialog), timeout=WAIT)
    assert page.last_printed is not None and page.last_printed.path.is_file()
    assert page.last_printed.path.parent == scene.folder("programmer") / "printed"
    assert "programmer-report" in page.last_printed.path.name
    assert page.message.text().startswith("Printed ") and str(page.last_printed.path) in page.message.text()
    page.last_preview.close()
    log = (scene.folder("programmer") / "audit.log").read_text(encoding="utf-8")
    assert "certificate-file.sent" in log
    assert not any(row.surname in log or (row.iin and row.iin in log) for row in scored)


def test_the_programmers_report_of_a_stream_without_appeals_is_printed(qtbot, scene: Scene) -> None:  # type: ignore[no-untyped-def]
    """Прил. 25 is the report on the work done (п. 232): a stream whose appeal closed without an application still
    has its report — its testing counts and an appeal of zeros."""
    switch_language("en")
    ok(programmer(scene, "statement", "print", "--stream", "1"))
    ok(programmer(scene, "appeal", "close", "--stream", "1"))
    page = open_page(qtbot, scene)
    page.report_button.click()
    qtbot.waitUntil(lambda: isinstance(page.last_preview, PrintPreviewDialog) or page.message.styleSheet()
                    == ERROR_STYLE, timeout=WAIT)
    assert page.message.styleSheet() != ERROR_STYLE, page.message.text()
    assert page.last_printed is not None and "programmer-report" in page.last_printed.path.name
    assert page.last_preview is not None
    page.last_preview.close()
