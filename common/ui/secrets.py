"""Lines for passwords and dictated codes: what is typed is never shown, copied, pasted or dragged.

A secret is typed by the person who holds it (п. 178: the chair, the ДКНБ representative and the
Ministry representative each type their own password), so the line accepts keystrokes only — no
paste from the clipboard or the X11 selection, no drop, no context menu — and nothing can be copied
out of it. :class:`ThreePasswords` holds the three holders' lines of the answer codes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeyEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from common.i18n import _
from common.security.sealing import HOLDERS


class SecretLine(QLineEdit):
    """A password line that takes typed keys only."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setAcceptDrops(False)
        self.setDragEnabled(False)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if any(event.matches(key) for key in (QKeySequence.StandardKey.Paste, QKeySequence.StandardKey.Copy,
                                               QKeySequence.StandardKey.Cut)):
            event.ignore()
            return
        super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.MiddleButton:  # the X11 selection paste
            event.ignore()
            return
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.MiddleButton:
            event.ignore()
            return
        super().mouseReleaseEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        event.ignore()


class ThreePasswords(QWidget):
    """The three holders' password lines (chair, ДКНБ, Ministry), each typed by its holder."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.labels: list[QLabel] = []
        self.lines: list[SecretLine] = []
        for key, _title in HOLDERS:
            label, line = QLabel(), SecretLine(f"{name}_{key}")
            self.labels.append(label)
            self.lines.append(line)
            layout.addRow(label, line)
        self.retranslate()

    def passwords(self) -> tuple[str, str, str] | None:
        """The three typed passwords, or None while one is missing."""
        typed = [line.text().strip() for line in self.lines]
        if not all(typed):
            return None
        return typed[0], typed[1], typed[2]

    def missing(self) -> list[str]:
        """The holders whose password is not typed yet, by title in the current language."""
        return [_(title) for (_key, title), line in zip(HOLDERS, self.lines, strict=True) if not line.text().strip()]

    def clear(self) -> None:
        for line in self.lines:
            line.clear()

    def retranslate(self) -> None:
        for label, (_key, title) in zip(self.labels, HOLDERS, strict=True):
            label.setText(_("{holder}'s password").format(holder=_(title)))
