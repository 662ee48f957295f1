"""Pieces of the site-database pages: the form-language choice and print-with-preview."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from common.i18n import _
from common.ui.page import Page


class FormLanguageBox(QWidget):
    """Kazakh or Russian for a printed form, with its label."""

    def __init__(self) -> None:
        from PySide6.QtWidgets import QComboBox, QHBoxLayout

        from arm_base_ppent.printing import default_form_language

        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.combo = QComboBox()
        self.combo.setObjectName("formLanguage")
        self.combo.addItem("Қазақша", "kk")
        self.combo.addItem("Русский", "ru")
        self.combo.setCurrentIndex(self.combo.findData(default_form_language()))
        layout.addWidget(self.label)
        layout.addWidget(self.combo)
        self.retranslate()

    @property
    def language(self) -> str:
        return str(self.combo.currentData())

    def retranslate(self) -> None:
        self.label.setText(_("Form language:"))


def print_and_preview(page: Page, form: str, language: str, rooms: list[str] | None = None) -> None:
    """Build ``form`` in the background, keep it in ``printed/`` and open the print preview."""
    from arm_base_ppent.printing import build_form, keep_form
    from common.reports import PrintedForm
    from common.ui.print_preview import show_print_preview

    def work() -> PrintedForm:
        with page.db.transaction(read_only=True) as session:
            built = build_form(session, form, language, rooms)
        with page.db.transaction() as session:
            return keep_form(session, page.db.folder, form, built, actor=page.db.actor, rooms=rooms)

    def finished(printed: PrintedForm) -> None:
        page.show_done(_("Printed {pages} page(s): {path}").format(pages=printed.pages, path=printed.path))
        page.last_printed = printed  # type: ignore[attr-defined]
        page.last_preview = show_print_preview(printed.path, page)  # type: ignore[attr-defined]

    page.in_background(work, finished, _("Printing…"))
