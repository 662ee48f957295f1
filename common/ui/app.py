"""The QApplication every window of the suite runs in: fonts with Kazakh letters, one style."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from common import i18n

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
FONT_FAMILY = "DejaVu Sans"


def application(argv: list[str] | None = None) -> QApplication:
    """Return the running QApplication, creating it if needed; set up fonts, style, translations once."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0], *(argv or [])])
    if app.property("ent_arm_ready"):
        return app
    app.setProperty("ent_arm_ready", True)
    app.setApplicationName("ent-arm")
    app.setOrganizationName("NCT")
    app.setStyle("Fusion")
    install_fonts(app)
    icon = Path(__file__).with_name("icon.svg")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    install_qt_translations(i18n.current_language())
    i18n.on_language_changed(install_qt_translations)
    return app


def install_fonts(app: QApplication) -> None:
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        QFontDatabase.addApplicationFont(str(FONT_DIR / name))
    font = QFont(FONT_FAMILY)
    font.setPointSize(10)
    app.setFont(font)


_qt_translator: QTranslator | None = None


def install_qt_translations(language: str) -> None:
    """Qt's own texts (OK, Cancel, file dialogs) in ``language``; ours come from the gettext catalogue."""
    global _qt_translator
    app = QApplication.instance()
    if app is None:
        return
    if _qt_translator is not None:
        app.removeTranslator(_qt_translator)
        _qt_translator = None
    QLocale.setDefault(QLocale(language))
    if language == "en":
        return
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{language}", folder):
        app.installTranslator(translator)
        _qt_translator = translator
