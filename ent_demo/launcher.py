"""The demo's launcher window: one button per program, each opening it on its demo folder."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QProcess
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from common import i18n
from common.i18n import _
from common.ui.app import application
from common.ui.shell import LANGUAGE_NAMES, switch_language
from common.workstation import Workstation


class Launcher(QWidget):
    def __init__(self, root: Path, programs: tuple[Workstation, ...]) -> None:
        super().__init__()
        self.root = root
        self.programs = programs
        self.setObjectName("launcher")
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.language = QComboBox()
        for code in i18n.LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[code], code)
        self.language.setCurrentIndex(self.language.findData(i18n.current_language()))
        self.language.currentIndexChanged.connect(lambda _index: switch_language(str(self.language.currentData())))
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.language)
        layout.addLayout(top)
        grid = QGridLayout()
        self.buttons: list[QPushButton] = []
        for index, program in enumerate(programs):
            button = QPushButton()
            button.setMinimumHeight(56)
            button.clicked.connect(lambda _checked=False, p=program: self.open_program(p))
            grid.addWidget(button, index // 2, index % 2)
            self.buttons.append(button)
        layout.addLayout(grid)
        self.footer = QLabel()
        layout.addWidget(self.footer)
        unsubscribe = i18n.on_language_changed(lambda _language: self.retranslate())
        self.destroyed.connect(lambda *_: unsubscribe())  # a closed launcher hears no more switches
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("ent-arm demo"))
        self.heading.setText(_("Unified National Testing — the site's workstations"))
        for button, program in zip(self.buttons, self.programs, strict=True):
            button.setText(f"{_(program.title)}\n{program.program}")
        self.footer.setText(_("Demo folder: {path}").format(path=self.root))

    def open_program(self, program: Workstation) -> None:
        folder = self.root / program.code
        QProcess.startDetached(sys.executable, ["-m", program.package, "--data-dir", str(folder)])


def run_launcher(root: Path, programs: tuple[Workstation, ...]) -> int:
    app = application()
    window = Launcher(root, programs)
    window.resize(640, 360)
    window.show()
    return int(app.exec())
