"""Screenshots of every workstation window, for looking at them as a person would.

Run under a real X server:
``xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python tools/screenshots.py OUT [STAGE]``
(or offscreen with ``QT_QPA_PLATFORM=offscreen``). Each window opens on a fresh folder in Kazakh and
in Russian, on its first stage (or STAGE), and the screen is saved as ``OUT/<workstation>-<lang>.png``.
Under X the screen is taken with ``xwd`` and ``xwdtopnm`` (Debian's x11-apps and netpbm): Qt's own
grab of an Xvfb screen comes out black.
"""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from common import i18n
from common.cli import CommandLine
from common.roles import operator_roles
from common.ui.app import application
from common.ui.login import Operator
from common.ui.shell import WorkstationWindow
from common.workstation import WORKSTATIONS


def take(window: WorkstationWindow, target: Path) -> None:
    if QApplication.platformName() == "xcb" and shutil.which("xwd") and shutil.which("xwdtopnm"):
        subprocess.run(f"xwd -root -silent | xwdtopnm 2>/dev/null | pnmtopng > '{target}'", shell=True, check=True)
    else:
        window.grab().save(str(target))


def main(out: Path, stage: str | None = None) -> int:
    out.mkdir(parents=True, exist_ok=True)
    app = application()
    with tempfile.TemporaryDirectory() as scratch:
        for workstation in WORKSTATIONS:
            folder = Path(scratch) / workstation.code
            CommandLine(workstation).run(["init", "--data-dir", str(folder)])
            pages = importlib.import_module(workstation.ui_module).PAGES
            for language in ("kk", "ru"):
                i18n.set_language(language)
                operator = Operator("Ахметова А.Б.", operator_roles(workstation.code)[0])
                window = WorkstationWindow(workstation, folder, operator, pages)
                window.move(0, 0)
                window.show()
                if stage:
                    window.page(stage)
                target = out / f"{workstation.code}-{language}.png"
                QTimer.singleShot(1200, lambda window=window, target=target: (take(window, target), app.quit()))
                app.exec()
                window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots"), *(sys.argv[2:3])))
