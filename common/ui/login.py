"""The operator chosen at the start of a session: name and role (п. 2)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from common import settings
from common.i18n import _
from common.roles import ROLE_TITLES, operator_roles
from common.workstation import Workstation


@dataclass(frozen=True)
class Operator:
    name: str
    role: str


class LoginDialog(QDialog):
    def __init__(self, workstation: Workstation) -> None:
        super().__init__()
        self.workstation = workstation
        self.setWindowTitle(_(workstation.title))
        layout = QVBoxLayout(self)
        heading = QLabel(_("Who is working at this workstation?"))
        heading.setStyleSheet("font-weight: bold;")
        layout.addWidget(heading)
        form = QFormLayout()
        self.name = QLineEdit(str(settings.load().get(f"operator.{workstation.code}", "")))
        self.name.setPlaceholderText(_("Surname and initials"))
        # The whole hint shows, in every language (a cut placeholder tells the operator nothing).
        self.name.setMinimumWidth(max(280, self.name.fontMetrics().horizontalAdvance(self.name.placeholderText()) + 40))
        self.role = QComboBox()
        for role in operator_roles(workstation.code):
            self.role.addItem(_(ROLE_TITLES[role]), role)
        form.addRow(_("Operator"), self.name)
        form.addRow(_("Role"), self.role)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def accept(self) -> None:
        if not self.name.text().strip():
            self.error.setText(_("Enter the operator's name."))
            return
        settings.save({f"operator.{self.workstation.code}": self.name.text().strip()})
        super().accept()

    def operator(self) -> Operator:
        return Operator(self.name.text().strip(), str(self.role.currentData()))
