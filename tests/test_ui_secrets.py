"""Password lines take typed keys only: nothing pasted, nothing copied out, nothing shown; the three holders'
lines of the answer codes give their passwords only when all three are typed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from common.i18n import set_language
from common.ui.page import secret_box
from common.ui.secrets import SecretLine, ThreePasswords


def test_a_secret_line_takes_typing_but_no_paste_and_gives_no_copy(qtbot) -> None:  # type: ignore[no-untyped-def]
    line = secret_box("code")
    qtbot.addWidget(line)
    line.show()
    assert isinstance(line, SecretLine) and line.echoMode() == QLineEdit.EchoMode.Password
    clipboard = QApplication.clipboard()
    clipboard.setText("PASTED-SECRET")
    qtbot.keyClick(line, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(line, Qt.Key.Key_Insert, Qt.KeyboardModifier.ShiftModifier)
    assert line.text() == ""
    qtbot.keyClicks(line, "ABC-123")
    assert line.text() == "ABC-123"
    line.selectAll()
    clipboard.setText("untouched")
    qtbot.keyClick(line, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(line, Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier)
    assert clipboard.text() == "untouched" and line.text() == "ABC-123"
    assert line.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu and not line.acceptDrops()


def test_three_passwords_only_when_all_three_are_typed(qtbot) -> None:  # type: ignore[no-untyped-def]
    set_language("en")
    three = ThreePasswords("codes")
    qtbot.addWidget(three)
    three.show()
    assert three.passwords() is None
    assert three.missing() == ["State commission chair", "ДКНБ representative", "Ministry representative"]
    qtbot.keyClicks(three.lines[0], "one")
    qtbot.keyClicks(three.lines[2], "three")
    assert three.passwords() is None and three.missing() == ["ДКНБ representative"]
    qtbot.keyClicks(three.lines[1], "two")
    assert three.passwords() == ("one", "two", "three")
    assert all(line.echoMode() == QLineEdit.EchoMode.Password for line in three.lines)
    three.clear()
    assert three.passwords() is None and all(line.text() == "" for line in three.lines)
    set_language("ru")
    three.retranslate()
    assert all(label.text() for label in three.labels)
