"""Kazakh cites the instruction as "87–88-тармақтар", "28-қосымша" — never "п. 87" or "прил. 28"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from base_ppent_support import enrolled_folder
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QListWidget, QWidget

from common import i18n
from common.cli import CommandLine
from common.i18n import LOCALE_DIR
from common.i18n.citation import cite
from common.roles import operator_roles
from common.ui.login import Operator
from common.ui.shell import WorkstationWindow, switch_language
from common.workstation import BASE_PPENT, WORKSTATIONS, Workstation

RUSSIAN_CITATION = re.compile(r"\bпп?\.\s*\d|\bприл\.")


def test_no_kazakh_translation_cites_the_russian_way() -> None:
    with (LOCALE_DIR / "kk" / "LC_MESSAGES" / "ent.po").open("rb") as handle:
        catalog = read_po(handle)
    wrong = [
        str(message.string)
        for message in catalog
        if message.id and any(RUSSIAN_CITATION.search(text) for text in
                              ([message.string] if isinstance(message.string, str) else list(message.string)))
    ]
    assert wrong == []


def test_a_reference_is_cited_in_the_readers_language() -> None:
    assert cite("п. 52.11–13", "kk") == "52.11–13-тармақтар"
    assert cite("п. 85", "kk") == "85-тармақ"
    assert cite("п. 214, 232", "kk") == "214, 232-тармақтар"
    assert cite("прил. 28", "kk") == "28-қосымша"
    assert cite("п. 87–88", "ru") == "п. 87–88"
    i18n.set_language("kk")
    assert cite("п. 216–222") == "216–222-тармақтар"


def shown_texts(window: QWidget) -> list[str]:
    texts = [label.text() for label in window.findChildren(QLabel)]
    texts += [box.title() for box in window.findChildren(QGroupBox)]
    texts += [button.text() for button in window.findChildren(QAbstractButton)]
    for listing in window.findChildren(QListWidget):
        for row in range(listing.count()):
            texts += [listing.item(row).text(), listing.item(row).toolTip()]
    return texts


@pytest.mark.parametrize("workstation", WORKSTATIONS, ids=lambda w: w.code)
def test_no_kazakh_window_cites_the_russian_way(qtbot, tmp_path: Path, workstation: Workstation) -> None:  # type: ignore[no-untyped-def]
    import importlib

    folder = tmp_path / workstation.code
    if workstation is BASE_PPENT:
        enrolled_folder(folder)
    else:
        assert CommandLine(workstation).run(["init", "--data-dir", str(folder)]) == 0
    switch_language("kk")
    pages = importlib.import_module(workstation.ui_module).PAGES
    window = WorkstationWindow(workstation, folder, Operator("Ахметова А.", operator_roles(workstation.code)[0]), pages)
    qtbot.addWidget(window)
    window.show()
    for stage in workstation.stages:
        window.page(stage.key)
    wrong = [text for text in shown_texts(window) if RUSSIAN_CITATION.search(text)]
    assert wrong == []
