"""The QApplication every window of the suite runs in: fonts with Kazakh letters, one style."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
FONT_FAMILY = "DejaVu Sans"


def application(argv: list[str] | None = None) -> QApplication:
    """Return the running QApplication, creating it with the suite's fonts and style once."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication([sys.argv[0], *(argv or [])])
    app.setApplicationName("ent-arm")
    app.setOrganizationName("NCT")
    app.setStyle("Fusion")
    install_fonts(app)
    icon = Path(__file__).with_name("icon.svg")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def install_fonts(app: QApplication) -> None:
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        QFontDatabase.addApplicationFont(str(FONT_DIR / name))
    font = QFont(FONT_FAMILY)
    font.setPointSize(10)
    app.setFont(font)
