"""``ent-<workstation> --check-window``: the window with every page opens and the program exits.

The installers' smoke test runs it from the bundle (installers/smoke.py); here it runs from the
sources: in-process for every workstation, and once as a real process offscreen.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QWidget

from common.ui.shell import ShellContext, check_window
from common.workstation import APPLICATIONS, WORKSTATIONS, Workstation

ROOT = Path(__file__).resolve().parent.parent


def _main(workstation: Workstation, *args: str) -> int:
    result: int = importlib.import_module(f"{workstation.package}.cli").main(list(args))
    return result


@pytest.mark.parametrize("workstation", WORKSTATIONS, ids=lambda w: w.code)
def test_every_workstation_window_opens_every_page_and_exits(
    workstation: Workstation, tmp_path: Path, capsys: pytest.CaptureFixture[str], qapp: object
) -> None:
    folder = tmp_path / workstation.code
    assert _main(workstation, "--lang", "en", "init", "--data-dir", str(folder)) == 0
    audit = (folder / "audit.log").read_bytes() if (folder / "audit.log").exists() else None
    capsys.readouterr()

    assert _main(workstation, "--lang", "en", "--check-window", "--data-dir", str(folder)) == 0

    out = capsys.readouterr().out
    assert f"opened all {len(workstation.stages)} stages" in out
    if audit is not None:  # opening the pages wrote nothing in the audit log
        assert (folder / "audit.log").read_bytes() == audit


def test_a_page_that_fails_to_open_fails_the_check_naming_its_stage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], qapp: object
) -> None:
    folder = tmp_path / "applications"
    assert _main(APPLICATIONS, "--lang", "en", "init", "--data-dir", str(folder)) == 0
    capsys.readouterr()

    def broken(context: ShellContext) -> QWidget:
        raise RuntimeError("the plan page is broken")

    def fine(context: ShellContext) -> QWidget:
        return QLabel("fine")

    assert check_window(APPLICATIONS, folder, [], {"enrolment": fine, "plan": broken}) == 1

    err = capsys.readouterr().err
    assert "the plan page is broken" in err
    assert "failed: plan." in err


def test_check_window_with_a_command_is_bad_usage(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        _main(APPLICATIONS, "--lang", "en", "--check-window", "info")
    assert exit_.value.code == 2
    assert "--check-window takes no command" in capsys.readouterr().err


def test_help_offers_check_window_to_workstations_only(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        _main(APPLICATIONS, "--lang", "en", "--help")
    assert "--check-window" in capsys.readouterr().out
    from nct_hub.cli import main as nct_main

    with pytest.raises(SystemExit):
        nct_main(["--lang", "en", "--help"])
    assert "--check-window" not in capsys.readouterr().out


def test_check_window_as_a_program_offscreen_exits_by_itself(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "arm_scanner_check.cli", "--lang", "kk", "--check-window",
         "--data-dir", str(tmp_path / "not-made-yet")],
        capture_output=True, text=True, encoding="utf-8", env=env, cwd=ROOT, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
    assert not (tmp_path / "not-made-yet").exists()  # a missing folder is shown as missing, not made
