"""Who logs in at each workstation: the login offers the roles the instruction gives the
workstation, and the README's program table names the same people."""

from __future__ import annotations

from pathlib import Path

import pytest

from common import i18n
from common.roles import ROLE_TITLES, operator_roles
from common.ui.login import LoginDialog
from common.workstation import WORKSTATIONS, Workstation

ROOT = Path(__file__).resolve().parent.parent


def readme_users(program: str) -> str:
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        if line.startswith(f"| `{program}` |"):
            return line.split("|")[3].strip()
    raise AssertionError(f"{program} is not in the README's program table")


def test_the_certificate_workstation_is_run_by_the_ministry_programmer() -> None:
    # п. 216: "Программист Министерства производит ввод в БД типографского номера и печать
    # сертификатов; печать реестра выдачи сертификатов"; п. 217: he sends the file to НЦТ.
    assert operator_roles("certificate") == ("ministry_programmer",)


@pytest.mark.parametrize("workstation", WORKSTATIONS, ids=lambda w: w.code)
def test_the_readme_names_who_logs_in(workstation: Workstation) -> None:
    users = readme_users(workstation.program).casefold()
    for role in operator_roles(workstation.code):
        assert ROLE_TITLES[role].casefold() in users, (workstation.program, role)


@pytest.mark.parametrize("workstation", WORKSTATIONS, ids=lambda w: w.code)
def test_the_login_offers_the_workstations_roles(qtbot, workstation: Workstation) -> None:  # type: ignore[no-untyped-def]
    i18n.set_language("en")
    dialog = LoginDialog(workstation)
    qtbot.addWidget(dialog)
    offered = [dialog.role.itemData(index) for index in range(dialog.role.count())]
    assert offered == list(operator_roles(workstation.code))
