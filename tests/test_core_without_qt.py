"""The core imports no Qt: every module outside ``common/ui`` and the programs' ``ui`` imports
with PySide6 made unimportable (ARCHITECTURE.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from import_blocker import blocker

ROOT = Path(__file__).resolve().parent.parent
CORE_PACKAGES = ("common", "forms", "nct_hub", "arm_base_ppent", "arm_applications", "arm_scanner_check",
                 "arm_programmer", "arm_certificate", "ent_demo")
QT_PACKAGES = {"ui", "migrations"}
QT_MODULES = {"ent_demo.launcher"}

BLOCKER = blocker(("PySide6", "shiboken6"), "Qt is blocked in the core")


def core_modules() -> list[str]:
    modules = []
    for package in CORE_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if QT_PACKAGES.intersection(parts) or path.name == "__main__.py":
                continue
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            if name not in QT_MODULES:
                modules.append(name)
    return modules


def test_every_core_module_imports_without_qt() -> None:
    modules = core_modules()
    assert "common.cli" in modules and "common.i18n" in modules
    result = subprocess.run([sys.executable, "-c", BLOCKER, *modules], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_blocker_really_blocks_qt() -> None:
    command = [sys.executable, "-c", BLOCKER, "common.ui.shell"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert "Qt is blocked" in result.stdout
