"""Each workstation window opens offscreen in the shared shell and speaks kk, ru and en."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from common import i18n
from common.cli import CommandLine
from common.ui.login import LoginDialog, Operator
from common.ui.shell import PlaceholderPage, WorkstationWindow, about_text, switch_language
from common.workstation import WORKSTATIONS, Workstation


def open_window(qtbot, workstation: Workstation, data_dir: Path) -> WorkstationWindow:  # type: ignore[no-untyped-def]
    window = WorkstationWindow(workstation, data_dir, Operator("Ахметова А.", workstation_role(workstation)))
    qtbot.addWidget(window)
    window.show()
    return window


def workstation_role(workstation: Workstation) -> str:
    from common.roles import operator_roles

    return operator_roles(workstation.code)[0]


def visible_texts(window: WorkstationWindow) -> list[str]:
    texts = [window.windowTitle(), window.status_label.text(), window.operator_label.text()]
    texts += [window.navigation.item(row).text() for row in range(window.navigation.count())]
    texts += [label.text() for label in window.findChildren(QLabel)]
    return texts


@pytest.mark.parametrize("workstation", WORKSTATIONS, ids=lambda w: w.code)
def test_window_switches_language_at_run_time(qtbot, tmp_path: Path, workstation: Workstation) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / workstation.code
    assert CommandLine(workstation).run(["init", "--data-dir", str(folder)]) == 0
    switch_language("ru")
    window = open_window(qtbot, workstation, folder)
    russian = visible_texts(window)
    assert window.title_label.text() == i18n.tr("ru", workstation.title) != workstation.title
    switch_language("kk")
    kazakh = visible_texts(window)
    assert window.title_label.text() == i18n.tr("kk", workstation.title)
    assert kazakh != russian
    assert window.navigation.item(0).text() != russian[3]
    switch_language("en")
    assert window.title_label.text() == workstation.title
    assert "✓" in window.status_label.text(), "a freshly initialised folder is at the schema head"
    assert "audit" in window.status_label.text()


def test_every_stage_is_listed_in_order_and_unbuilt_ones_say_so(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    workstation = WORKSTATIONS[0]
    i18n.set_language("en")
    window = open_window(qtbot, workstation, tmp_path / "none")
    titles = [window.navigation.item(row).text() for row in range(window.navigation.count())]
    assert titles[0].startswith("1. ") and len(titles) == len(workstation.stages)
    page = window.page(workstation.stages[-1].key)
    assert isinstance(page, PlaceholderPage)
    assert "not built yet" in page.body.text()
    assert "No workstation folder" in window.status_label.text()


def test_about_box_names_version_and_data_folder(tmp_path: Path) -> None:
    i18n.set_language("en")
    text = about_text(WORKSTATIONS[1], tmp_path)
    assert "0.1.0" in text and str(tmp_path) in text


def test_login_needs_a_name(qtbot) -> None:  # type: ignore[no-untyped-def]
    i18n.set_language("en")
    dialog = LoginDialog(WORKSTATIONS[3])
    qtbot.addWidget(dialog)
    dialog.name.setText("")
    dialog.accept()
    assert dialog.error.text() == "Enter the operator's name."
    dialog.name.setText("Серікбаев Н.")
    dialog.accept()
    assert dialog.operator() == Operator("Серікбаев Н.", "ministry_programmer")


def test_qt_standard_buttons_follow_the_language(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QDialogButtonBox

    from common.ui.app import application

    application()
    switch_language("ru")
    dialog = LoginDialog(WORKSTATIONS[0])
    qtbot.addWidget(dialog)
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel)
    assert ok.text().replace("&", "") == "Отмена"
    switch_language("en")


def test_window_opens_when_only_options_are_given(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    opened: list[tuple[str | None, list[str]]] = []
    cli = CommandLine(WORKSTATIONS[1])
    monkeypatch.setattr(cli, "open_window", lambda data_dir, argv: opened.append((data_dir, argv)) or 0)
    assert cli.run(["--data-dir", str(tmp_path), "--lang", "kk"]) == 0
    assert opened == [(str(tmp_path), ["--data-dir", str(tmp_path), "--lang", "kk"])]


def test_json_may_come_before_the_command(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    cli = CommandLine(WORKSTATIONS[1])
    assert cli.run(["init", "--data-dir", str(tmp_path / "w")]) == 0
    capsys.readouterr()
    assert cli.run(["--json", "info", "--data-dir", str(tmp_path / "w")]) == 0
    assert '"schema_revision"' in capsys.readouterr().out


@pytest.mark.parametrize("workstation", WORKSTATIONS, ids=lambda w: w.code)
def test_every_workstation_starts_with_the_enrolment_page(qtbot, tmp_path: Path, workstation: Workstation) -> None:  # type: ignore[no-untyped-def]
    import importlib

    from common.ui.enrolment_page import EnrolmentPage

    folder = tmp_path / workstation.code
    assert CommandLine(workstation).run(["init", "--data-dir", str(folder)]) == 0
    i18n.set_language("en")
    pages = importlib.import_module(workstation.ui_module).PAGES
    window = WorkstationWindow(workstation, folder, Operator("Ахметова А.", workstation_role(workstation)), pages)
    qtbot.addWidget(window)
    page = window.page("enrolment")
    assert isinstance(page, EnrolmentPage)
    assert "not enrolled yet" in page.state.text()
    page.enrol(tmp_path / "missing.entpkg", "x")
    assert page.message.text() == "Choose the enrolment package file from NTC."


def test_status_after_a_change_counts_entries_without_rereading_the_log(tmp_path: Path) -> None:
    from common.status import folder_status

    folder = tmp_path / "w"
    assert CommandLine(WORKSTATIONS[1]).run(["init", "--data-dir", str(folder)]) == 0
    opened = folder_status(folder)
    assert opened.audit_ok and opened.audit_entries == 1
    assert CommandLine(WORKSTATIONS[1]).run(["init", "--data-dir", str(folder)]) == 1  # refused: nothing logged
    (folder / "audit.log").write_text("tampered\n", encoding="utf-8")
    quick = folder_status(folder, previous=opened)
    assert quick.audit_ok and quick.audit_entries == 1, "the quick refresh carries the verdict over"
    full = folder_status(folder)
    assert not full.audit_ok and full.audit_problem
