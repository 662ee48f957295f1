"""What the Windows bundle holds: the programs, their data files, the modules found only at run time.

Read by ``ent-arm.spec`` (PyInstaller), ``build_bundle.py`` and the tests. Standard library only, so the
tests can check it without PyInstaller installed.

Windows console choice: every program that opens a window gets two executables built from the
same entry point — ``ent-<name>.exe`` (windowed, for the Start menu: no console window) and
``ent-<name>-cli.exe`` (console, for commands: ``cmd`` and PowerShell wait for it, pipe its output
and see its exit code 0/1/2). This is Python's own ``pythonw.exe`` / ``python.exe`` split. A
console program hiding its own console does not work under Windows 11's default Windows Terminal,
and a windowed program that attaches to its parent's console returns the prompt before it has
run, so scripts would lose the exit code. ``ent-omr`` has no window and is a console program only.
A runtime hook (``rthooks/windows_console.py``) still attaches the windowed executable to the
parent console when it is given a command, so its output is not lost when someone types it.
"""

from __future__ import annotations

import fnmatch
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Final

HERE: Final = Path(__file__).resolve().parent
ROOT: Final = HERE.parent
BUNDLE_NAME: Final = "ent-arm"
CLI_SUFFIX: Final = "-cli"
PUBLISHER: Final = "National Testing Centre"
ICON: Final = ROOT / "build" / "bundle" / "ent-arm.ico"
"""Made by build_bundle.py from common/ui/icon.svg; the executables and the installer use it."""
APP_ID: Final = "{6B0E3C7A-2F5D-4E21-9C1B-8A7D5E0F4C93}"
"""Inno Setup AppId: never change it, or an upgrade installs beside the old version."""


@dataclass(frozen=True)
class Program:
    """One console script of ``pyproject.toml`` as it is bundled."""

    name: str
    windowed: bool
    """Opens a window when run without a command: also built as a windowed executable."""

    @property
    def executables(self) -> tuple[tuple[str, bool], ...]:
        """``(executable name without .exe, console?)`` for every executable of this program."""
        if self.windowed:
            return ((self.name, False), (self.name + CLI_SUFFIX, True))
        return ((self.name, True),)


PROGRAMS: Final[tuple[Program, ...]] = (
    Program("ent-base-ppent", windowed=True),
    Program("ent-applications", windowed=True),
    Program("ent-scanner-check", windowed=True),
    Program("ent-programmer", windowed=True),
    Program("ent-certificate", windowed=True),
    Program("ent-nct", windowed=True),
    Program("ent-omr", windowed=False),
)

PACKAGES: Final[tuple[str, ...]] = (
    "common", "forms", "arm_base_ppent", "arm_applications", "arm_scanner_check", "arm_programmer",
    "arm_certificate", "nct_hub",
)
"""The suite's packages: every submodule is bundled, because windows, pages, command modules and
Alembic environments are imported by dotted name at run time, which PyInstaller cannot see."""


@dataclass(frozen=True)
class DataSet:
    """Files under ``folder`` (relative to the repository) matching ``patterns``, kept at the same path."""

    folder: str
    patterns: tuple[str, ...]
    why: str
    built: bool = False
    """The files are made by the build (compiled catalogue), not kept in git."""


MIGRATION_PATTERNS: Final = ("*.py", "script.py.mako")  # "*" spans folders: versions/*.py included

DATA: Final[tuple[DataSet, ...]] = (
    DataSet("common/fonts", ("*.ttf", "LICENSE-*.txt"), "DejaVu Sans with every Kazakh letter (Qt and reportlab)"),
    DataSet("common/ui", ("*.svg",), "window icon"),
    DataSet("common/i18n/locale", ("*/LC_MESSAGES/ent.mo",), "compiled kk/ru/en catalogue", built=True),
    DataSet("common/db/migrations", MIGRATION_PATTERNS, "Alembic reads revision scripts from files"),
    DataSet("nct_hub/db/migrations", MIGRATION_PATTERNS, "Alembic reads revision scripts from files"),
    DataSet("common/testspec/examples", ("*.json",), "ЕНТ 2018 and КТ test specifications"),
    DataSet("common/omr", ("fill_trees.npz",), "the sheet reader's fitted trees (a fill's last refinement)"),
    DataSet("nct_hub/data", ("*.csv",), "sample НЦТ directories"),
)

PACKAGE_DATA_LEFT_OUT: Final = ("*.po", "*.pot", ".lock", "*.md")
"""Files in the packages the bundle does not carry: catalogue sources (it has the compiled ``.mo``),
the catalogue's lock file, and developers' documentation."""

HIDDEN_SUBMODULE_TREES: Final[tuple[str, ...]] = (
    *PACKAGES,
    "reportlab.graphics.barcode",  # barcode classes are looked up by name (PITFALLS.md)
)

HIDDEN_IMPORTS: Final[tuple[str, ...]] = (
    "zxingcpp",
    "cv2",
    "sqlalchemy.dialects.sqlite",
    "sqlalchemy.dialects.sqlite.pysqlite",
    "alembic.ddl.sqlite",
    "alembic.ddl.postgresql",
    "PySide6.QtPrintSupport",
    "PySide6.QtPdf",
    "PySide6.QtPdfWidgets",
    "PySide6.QtSvg",
)

OPTIONAL_IMPORTS: Final[tuple[str, ...]] = (
    "psycopg",  # ent-nct on PostgreSQL (extra "postgres")
    "psycopg_binary",
    "sqlalchemy.dialects.postgresql.psycopg",
    "win32com.client",  # WIA scanners on Windows (extra "windows")
    "pythoncom",
    "sane",  # SANE scanners on Linux (extra "sane")
)
"""Bundled when the build environment has them installed."""

EXCLUDES: Final[tuple[str, ...]] = (
    "tkinter", "_tkinter", "pytest", "_pytest", "pytestqt", "hypothesis", "mypy", "ruff", "IPython",
    "ent_demo", "babel",  # babel only compiles .po files, and the bundle carries the compiled .mo
)

QT_PLUGIN_FOLDERS: Final[tuple[str, ...]] = ("platforms", "printsupport", "imageformats", "iconengines")
"""Qt plugin folders the bundle must contain (PySide6-Essentials + PySide6-Pdf): the build fails without."""

QT_TRANSLATIONS_KEPT: Final[tuple[str, ...]] = ("kk", "ru", "en")
"""Qt's own catalogues (standard dialogs) kept; the other 30-odd languages are left out."""


def console_scripts(root: Path = ROOT) -> dict[str, str]:
    """``[project.scripts]`` of ``pyproject.toml``: program name -> ``module:function``."""
    with (root / "pyproject.toml").open("rb") as handle:
        project = tomllib.load(handle)["project"]
    scripts: dict[str, str] = project["scripts"]
    return scripts


def version(root: Path = ROOT) -> str:
    with (root / "pyproject.toml").open("rb") as handle:
        result: str = tomllib.load(handle)["project"]["version"]
    return result


def package_data_patterns(root: Path = ROOT) -> tuple[str, ...]:
    with (root / "pyproject.toml").open("rb") as handle:
        patterns: list[str] = tomllib.load(handle)["tool"]["setuptools"]["package-data"]["*"]
    return tuple(patterns)


def check_programs(root: Path = ROOT) -> None:
    """Fail when the bundle's program list and ``pyproject.toml`` disagree."""
    bundled = {program.name for program in PROGRAMS}
    declared = set(console_scripts(root))
    if bundled != declared:
        raise SystemExit(
            f"installers/bundle_config.py PROGRAMS {sorted(bundled)} differ from pyproject's "
            f"[project.scripts] {sorted(declared)}"
        )


def launcher_source(program: Program, root: Path = ROOT) -> str:
    """The script PyInstaller freezes for ``program``: the console script's function, as pip would."""
    module, function = console_scripts(root)[program.name].split(":")
    return (
        f'"""{program.name}: made by installers/bundle_config.py from pyproject.toml."""\n'
        "import multiprocessing\n"
        "import sys\n"
        "\n"
        "# The reader's worker processes start this executable again (spawn): let them run the work.\n"
        "multiprocessing.freeze_support()\n"
        f"from {module} import {function}\n"
        "\n"
        f"sys.exit({function}())\n"
    )


def write_launchers(folder: Path, root: Path = ROOT) -> dict[str, Path]:
    """Write one launcher script per program into ``folder``; returns program name -> script."""
    folder.mkdir(parents=True, exist_ok=True)
    scripts: dict[str, Path] = {}
    for program in PROGRAMS:
        path = folder / f"{program.name.replace('-', '_')}.py"
        source = launcher_source(program, root)
        if not path.exists() or path.read_text(encoding="utf-8") != source:
            path.write_text(source, encoding="utf-8")
        scripts[program.name] = path
    return scripts


def _matches(path: Path, folder: Path, patterns: tuple[str, ...]) -> bool:
    relative = path.relative_to(folder).as_posix()
    return any(fnmatch.fnmatchcase(relative, pattern) for pattern in patterns)


def data_set_files(data_set: DataSet, root: Path = ROOT) -> list[Path]:
    folder = root / data_set.folder
    if not folder.is_dir():
        return []
    return sorted(
        path for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and _matches(path, folder, data_set.patterns)
    )


def extra_package_data(root: Path = ROOT) -> list[Path]:
    """Package data pip would install that no :data:`DATA` set names (new form assets, images …)."""
    listed = {path for data_set in DATA for path in data_set_files(data_set, root)}
    patterns = package_data_patterns(root)
    found: list[Path] = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*")):
            if not path.is_file() or "__pycache__" in path.parts or path in listed:
                continue
            name = path.name
            if any(fnmatch.fnmatchcase(name, p) for p in patterns) and not any(
                fnmatch.fnmatchcase(name, p) for p in PACKAGE_DATA_LEFT_OUT
            ):
                found.append(path)
    return found


def data_files(root: Path = ROOT) -> list[tuple[str, str]]:
    """``(source file, folder inside the bundle)`` pairs for PyInstaller's ``datas``.

    Raises ``SystemExit`` naming what is missing: a data set with no files (for the catalogue:
    compile it first — ``build_bundle.py`` does).
    """
    pairs: list[tuple[str, str]] = []
    for data_set in DATA:
        files = data_set_files(data_set, root)
        if not files:
            hint = " (compile the catalogue first: python installers/build_bundle.py does)" if data_set.built else ""
            raise SystemExit(f"no files for {data_set.folder} {data_set.patterns}{hint}")
        pairs += [(str(path), path.parent.relative_to(root).as_posix()) for path in files]
    pairs += [(str(path), path.parent.relative_to(root).as_posix()) for path in extra_package_data(root)]
    return pairs


def keep_data(destination: str) -> bool:
    """Whether a data file PyInstaller collected stays in the bundle (drops Qt's unused languages)."""
    parts = PurePosixPath(destination.replace("\\", "/")).parts
    if "PySide6" not in parts or "translations" not in parts or not destination.endswith(".qm"):
        return True
    language = PurePosixPath(destination).stem.rsplit("_", 1)[-1]
    return language in QT_TRANSLATIONS_KEPT


def missing_qt_plugins(binary_destinations: list[str]) -> list[str]:
    """The folders of :data:`QT_PLUGIN_FOLDERS` with no plugin among PyInstaller's binaries."""
    present = set()
    for destination in binary_destinations:
        parts = PurePosixPath(destination.replace("\\", "/")).parts
        if "plugins" in parts[:-1]:
            present.add(parts[parts.index("plugins") + 1])
    return [folder for folder in QT_PLUGIN_FOLDERS if folder not in present]


def available(module: str) -> bool:
    """Whether ``module`` can be imported in the build environment (without importing it)."""
    import importlib.util

    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def is_windows() -> bool:
    return sys.platform == "win32"
