"""The demo's launcher window steps through the exam (issue 19): every step listed with its stage and workstation,
run one by one or to the end in a worker thread, a failure stopping the run with its output shown, each step's
workstation window opened on the demo's folder, a filled folder said and started again only when confirmed.

The steps run in the launcher's worker process; the short step lists the tests give it are in
``launcher_steps_support``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QProcess
from PySide6.QtWidgets import QMessageBox, QPushButton
from window_support import answer

from common import i18n
from common.workstation import APPLICATIONS, BASE_PPENT, NCT, SCANNER_CHECK, WORKSTATIONS
from ent_demo import demo_folder
from ent_demo.demo_folder import FolderState
from ent_demo.launcher import FAILED, OK, WAITING, Launcher
from ent_demo.scenario import Scene, steps
from ent_demo.step_worker import STEPS, recall_passwords

SCREEN = (1366, 700)  # a 1366×768 screen less the taskbar and the title bar


def open_launcher(qtbot: Any, root: Path, exam: str = STEPS) -> Launcher:
    launcher = Launcher(root, WORKSTATIONS, exam)
    qtbot.addWidget(launcher)
    launcher.resize(*SCREEN)
    launcher.show()
    qtbot.waitExposed(launcher)
    return launcher


def idle(qtbot: Any, launcher: Launcher, timeout: int = 120_000) -> None:
    qtbot.waitUntil(lambda: launcher.running is None, timeout=timeout)


def test_every_step_is_listed_under_its_stage_with_the_workstation_that_does_it(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    i18n.set_language("ru")
    exam = steps(Scene(tmp_path))
    launcher = open_launcher(qtbot, tmp_path)
    assert len(launcher.step_items) == len(exam) > 40
    rows = [(item.text(0), item.text(1), item.text(2), item.text(3)) for item in launcher.step_items]
    assert rows[0] == ("1.", exam[0].title, "Национальный центр тестирования", "ожидает")
    assert rows[1][2] == "АРМ «База ППЕНТ»"  # the site database workstation's enrolment
    workstations = [step.workstation for step in exam]
    assert workstations[:6] == [NCT, *WORKSTATIONS]
    scanner = next(index for index, step in enumerate(exam) if step.stage == "Scanner check")
    assert rows[scanner][2] == "АРМ «Проверка сканера»" and exam[scanner].workstation is SCANNER_CHECK
    assert {step.workstation for step in exam} == {NCT, *WORKSTATIONS, None}
    assert rows[-1][2] == "все АРМ" and exam[-1].workstation is None  # the audit of every workstation
    # grouped by stage, in the exam's order: a bold row per stage, its steps below it
    stages = [launcher.tree.topLevelItem(index) for index in range(launcher.tree.topLevelItemCount())]
    headings = [item.text(0) for item in stages if item not in launcher.step_items]
    assert headings[:4] == ["НЦТ и регистрация АРМ", "База ППЕНТ", "Заявления", "Проверка сканера"]
    assert len(headings) == len(dict.fromkeys(step.stage for step in exam)) and all(step.stage for step in exam)
    assert not any(step.workstation is None for step in exam[:-2])  # only the forms index and the audit
    assert launcher.open_button.text() == "Открыть окно: Национальный центр тестирования"
    assert not launcher.notice_frame.isVisible()  # an empty folder: nothing to say about it


def test_run_next_step_runs_the_first_steps_for_real_and_opens_their_windows(qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    i18n.set_language("en")
    started: list[tuple[str, list[str]]] = []
    monkeypatch.setattr(QProcess, "startDetached", lambda program, arguments: started.append((program, arguments)))
    launcher = open_launcher(qtbot, tmp_path)
    launcher.next_button.click()
    assert launcher.running == 0 and not launcher.next_button.isEnabled()  # it runs in the worker process
    assert launcher.step_items[0].text(3) == "running…"
    idle(qtbot, launcher)
    assert launcher.states[:2] == [OK, WAITING]
    assert launcher.step_items[0].text(3) == "ok" and launcher.progress.value() == 1
    assert (tmp_path / "nct" / "workstation.sqlite").is_file()
    assert "$ ent-nct init" in launcher.output.toPlainText()  # what --auto prints, in the pane
    assert "Step 1 done" in launcher.message.text()
    launcher.next_button.click()
    idle(qtbot, launcher)
    assert launcher.states[:3] == [OK, OK, WAITING]
    assert (tmp_path / "base-ppent" / "workstation.sqlite").is_file()
    assert "ent-base-ppent enrol --package" in launcher.output.toPlainText()
    # the selected step's workstation window, on the folder the steps have filled
    assert launcher.open_button.text() == "Open window: Site database workstation"
    launcher.open_button.click()
    assert started == [(sys.executable, ["-m", "arm_base_ppent", "--data-dir", str(tmp_path / "base-ppent")])]
    launcher.tree.setCurrentItem(launcher.step_items[0])  # НЦТ's step: НЦТ has no window, and says so
    assert "$ ent-nct init" in launcher.output.toPlainText()
    launcher.open_button.click()
    assert len(started) == 1 and "has no window" in launcher.message.text()
    launcher.buttons[WORKSTATIONS.index(APPLICATIONS)].click()  # the programs' own buttons stay
    assert started[-1][1] == ["-m", "arm_applications", "--data-dir", str(tmp_path / "applications")]
    assert demo_folder.state(tmp_path) is FolderState.STARTED
    # a worker started anew (after a crash) reads the enrolled workstations' passwords off НЦТ's sheets again
    scene = Scene(tmp_path)
    recall_passwords(scene)
    assert list(scene.passwords) == [BASE_PPENT.code]


def test_a_failing_step_is_marked_failed_stops_the_run_and_shows_its_output(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    i18n.set_language("en")
    launcher = open_launcher(qtbot, tmp_path, "launcher_steps_support:flaky_exam")
    launcher.all_button.click()
    idle(qtbot, launcher, 10_000)
    assert launcher.states == [OK, FAILED, WAITING]  # the third never ran
    assert launcher.step_items[1].text(3) == "FAILED"
    assert launcher.tree.currentItem() is launcher.step_items[1]
    assert "the scanner has no paper" in launcher.output.toPlainText()
    assert "Step 2 FAILED" in launcher.message.text()
    assert demo_folder.state(tmp_path) is not FolderState.FINISHED
    launcher.all_button.click()  # the cause put right, the run goes on from the failed step
    idle(qtbot, launcher, 10_000)
    assert launcher.states == [OK, OK, OK]
    assert (tmp_path / "attempts.txt").read_text(encoding="utf-8") == "xx"
    assert (tmp_path / "ran.txt").read_text(encoding="utf-8") == "rooms\ncodes\n"
    assert launcher.message.text() == "Demo finished: every step succeeded."
    assert demo_folder.state(tmp_path) is FolderState.FINISHED
    assert not launcher.next_button.isEnabled() and not launcher.all_button.isEnabled()


def test_a_crashing_step_fails_with_its_traceback_and_the_window_stays(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    i18n.set_language("en")
    launcher = open_launcher(qtbot, tmp_path, "launcher_steps_support:crashing_exam")
    launcher.next_button.click()
    idle(qtbot, launcher, 10_000)
    assert launcher.states == [FAILED]
    assert "RuntimeError: the printer caught fire" in launcher.output.toPlainText()
    assert launcher.next_button.isEnabled()
    # the worker itself survives the crash (it keeps the demo's scene): the step failed, not the process
    assert launcher.worker is not None and "ended unexpectedly" not in launcher.output.toPlainText()


def test_a_step_whose_process_dies_fails_and_the_next_run_starts_a_new_one(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    i18n.set_language("en")
    launcher = open_launcher(qtbot, tmp_path, "launcher_steps_support:dying_exam")
    launcher.next_button.click()
    idle(qtbot, launcher, 10_000)
    assert launcher.states == [FAILED] and launcher.worker is None
    assert "ended unexpectedly (exit code 3)" in launcher.output.toPlainText()
    launcher.next_button.click()
    idle(qtbot, launcher, 10_000)
    assert launcher.states == [OK]


def test_a_finished_demo_is_said_and_started_again_only_when_confirmed(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    i18n.set_language("en")
    (tmp_path / "programmer").mkdir()
    (tmp_path / "programmer" / "workstation.sqlite").write_text("a finished exam", encoding="utf-8")
    demo_folder.mark_finished(tmp_path, 3)
    ran = tmp_path / "ran.txt"
    launcher = open_launcher(qtbot, tmp_path, "launcher_steps_support:one_step")
    assert launcher.notice_frame.isVisible() and "already holds a finished demo" in launcher.notice.text()
    asked = answer(None)  # a step over the finished demo: asked first; Cancel runs nothing
    launcher.next_button.click()
    assert "Run its steps again over it?" in asked[0] and not ran.exists() and launcher.running is None
    assert demo_folder.state(tmp_path) is FolderState.FINISHED
    asked = answer(None)  # start again, cancelled: nothing deleted
    launcher.start_again_button.click()
    assert str(tmp_path) in asked[0] and (tmp_path / "programmer" / "workstation.sqlite").is_file()
    answer(QMessageBox.ButtonRole.DestructiveRole)
    launcher.start_again_button.click()
    assert list(tmp_path.iterdir()) == [] and not launcher.notice_frame.isVisible()
    assert demo_folder.state(tmp_path) is FolderState.EMPTY
    launcher.next_button.click()  # an empty folder: no question
    idle(qtbot, launcher, 10_000)
    assert ran.read_text(encoding="utf-8") == "rooms\n" and launcher.states == [OK]


def test_steps_run_over_a_finished_demo_once_the_user_agrees(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    i18n.set_language("en")
    demo_folder.mark_finished(tmp_path, 2)
    launcher = open_launcher(qtbot, tmp_path, "launcher_steps_support:two_steps")
    answer(QMessageBox.ButtonRole.AcceptRole)
    launcher.next_button.click()
    idle(qtbot, launcher, 10_000)
    assert launcher.states == [OK, WAITING]
    assert demo_folder.state(tmp_path) is not FolderState.FINISHED  # finished again only when every step succeeds
    launcher.next_button.click()  # asked once
    idle(qtbot, launcher, 10_000)
    assert demo_folder.state(tmp_path) is FolderState.FINISHED


def test_start_again_deletes_nothing_in_a_folder_the_demo_did_not_make(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    i18n.set_language("en")
    (tmp_path / "nct").mkdir()
    (tmp_path / "thesis.docx").write_text("a year of work", encoding="utf-8")
    launcher = open_launcher(qtbot, tmp_path, "launcher_steps_support:one_step")
    assert "did not run to its end" in launcher.notice.text()
    answer(QMessageBox.ButtonRole.DestructiveRole)
    launcher.start_again_button.click()
    assert (tmp_path / "thesis.docx").is_file() and (tmp_path / "nct").is_dir()
    assert "thesis.docx" in launcher.message.text() and "nothing was deleted" in launcher.message.text()


@pytest.mark.parametrize(("language", "texts"), [
    ("kk", ("Келесі қадамды орындау", "Соңына дейін орындау", "күтуде", "ҰТО және АЖО-ларды тіркеу")),
    ("ru", ("Выполнить следующий шаг", "Выполнить до конца", "ожидает", "НЦТ и регистрация АРМ")),
])
def test_the_launcher_speaks_kazakh_and_russian(qtbot, tmp_path: Path, language: str,  # type: ignore[no-untyped-def]
                                                texts: tuple[str, ...]) -> None:
    i18n.set_language("en")
    launcher = open_launcher(qtbot, tmp_path)
    launcher.language.setCurrentIndex(launcher.language.findData(language))
    run_next, run_all, waiting, stage = texts
    assert (launcher.next_button.text(), launcher.all_button.text()) == (run_next, run_all)
    assert launcher.step_items[0].text(3) == waiting and launcher.tree.topLevelItem(0).text(0) == stage
    assert launcher.step_items[0].text(1) == steps(Scene(tmp_path))[0].title  # the steps' titles too
    assert launcher.step_items[0].text(1) != "NTC: keys, directories and the test site"


def test_a_step_runs_in_the_language_the_window_speaks_when_it_starts(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    i18n.set_language("en")
    launcher = open_launcher(qtbot, tmp_path, "launcher_steps_support:two_steps")
    launcher.next_button.click()  # the worker starts in English
    idle(qtbot, launcher, 10_000)
    assert "   ok" in launcher.outputs[0]
    launcher.language.setCurrentIndex(launcher.language.findData("ru"))
    launcher.next_button.click()  # the same worker, the next step in Russian
    idle(qtbot, launcher, 10_000)
    assert "   готово" in launcher.outputs[1] and "   ok" not in launcher.outputs[1]


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_launcher_is_readable_on_a_1366x768_screen(qtbot, tmp_path: Path, language: str) -> None:  # type: ignore[no-untyped-def]
    i18n.set_language(language)
    demo_folder.mark_finished(tmp_path, 43)  # the notice shown too
    launcher = open_launcher(qtbot, tmp_path)
    qtbot.wait(50)
    assert launcher.notice_frame.isVisible()
    cut = [button.text() for button in launcher.findChildren(QPushButton)
           if button.isVisible() and button.width() < button.sizeHint().width()]
    assert cut == []
    assert launcher.tree.columnWidth(1) >= 500  # the steps' titles have room
    assert launcher.tree.viewport().height() >= 200 and launcher.output.height() >= 120
    for item in launcher.step_items[:3]:  # a title's row is as tall as its wrapped lines
        rect = launcher.tree.visualItemRect(item)
        needed = launcher.tree.fontMetrics().boundingRect(0, 0, launcher.tree.columnWidth(1) - 8, 1000,
                                                          0x1000, item.text(1)).height()  # Qt.TextWordWrap
        assert rect.height() >= needed


def test_without_auto_and_with_a_display_the_launcher_opens_at_once(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import ent_demo.launcher
    from ent_demo.run import main

    opened: list[Path] = []
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(ent_demo.launcher, "run_launcher", lambda root, programs: opened.append(root) or 0)
    assert main(["--data-dir", str(tmp_path), "--lang", "en"]) == 0
    assert opened == [tmp_path.resolve()] and list(tmp_path.iterdir()) == []  # no step ran before it


def test_the_folder_states(tmp_path: Path) -> None:
    assert demo_folder.state(tmp_path) is FolderState.EMPTY
    (tmp_path / "exchange").mkdir()
    assert demo_folder.state(tmp_path) is FolderState.STARTED
    demo_folder.mark_finished(tmp_path, 43)
    assert demo_folder.state(tmp_path) is FolderState.FINISHED and demo_folder.finished_at(tmp_path)
    demo_folder.forget_finished(tmp_path)
    assert demo_folder.state(tmp_path) is FolderState.STARTED
    demo_folder.clear(tmp_path)
    assert demo_folder.state(tmp_path) is FolderState.EMPTY
