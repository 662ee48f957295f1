"""The Windows bundle's recipe, checked without building it (a build takes minutes: installers/build_bundle.py).

The PyInstaller spec is executed against stand-ins for PyInstaller's classes, so what it would
hand PyInstaller — executables, scripts, data files, hidden imports — is checked in a second.
"""

from __future__ import annotations

import configparser
import fnmatch
import importlib
import re
import subprocess
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from common import i18n
from common.workstation import ALL_PROGRAMS

ROOT = Path(__file__).resolve().parent.parent
INSTALLERS = ROOT / "installers"
SPEC = INSTALLERS / "ent-arm.spec"
ISS = INSTALLERS / "ent-arm.iss"
QT_PLUGINS = [f"PySide6/Qt/plugins/{folder}/lib{folder}.so"
              for folder in ("platforms", "printsupport", "imageformats", "iconengines")]


@pytest.fixture(scope="module")
def config() -> types.ModuleType:
    sys.path.insert(0, str(INSTALLERS))
    try:
        module = importlib.import_module("bundle_config")
        build = importlib.import_module("build_bundle")
    finally:
        sys.path.remove(str(INSTALLERS))
    build.compile_catalogue()  # as the build does first: the .mo files are not kept in git
    return module


def pyproject_scripts() -> dict[str, str]:
    import tomllib

    with (ROOT / "pyproject.toml").open("rb") as handle:
        scripts: dict[str, str] = tomllib.load(handle)["project"]["scripts"]
    return scripts


# --- the spec, run against stand-ins for PyInstaller -------------------------------------------


@dataclass
class FakeAnalysis:
    scripts_in: list[str]
    kwargs: dict[str, Any]
    binaries: list[tuple[str, str, str]]
    scripts: list[tuple[str, str, str]] = field(default_factory=list)
    datas: list[tuple[str, str, str]] = field(default_factory=list)
    pure: list[Any] = field(default_factory=list)

    def __post_init__(self) -> None:
        hooks = [("pyi_rth_inspect", "/pyinstaller/pyi_rth_inspect.py", "PYSOURCE")]
        hooks += [(Path(hook).stem, hook, "PYSOURCE") for hook in self.kwargs["runtime_hooks"]]
        self.scripts = hooks + [(Path(script).stem, script, "PYSOURCE") for script in self.scripts_in]
        self.datas = [(f"{folder}/{Path(source).name}", source, "DATA") for source, folder in self.kwargs["datas"]]
        self.datas += [("PySide6/Qt/translations/qtbase_de.qm", "/qt/qtbase_de.qm", "DATA"),
                       ("PySide6/Qt/translations/qtbase_ru.qm", "/qt/qtbase_ru.qm", "DATA")]


@dataclass
class SpecRun:
    analysis: FakeAnalysis
    exes: list[dict[str, Any]]
    collect: dict[str, Any]
    submodule_trees: list[str]
    launchers: Path


def run_spec(tmp_path: Path, config: types.ModuleType, monkeypatch: pytest.MonkeyPatch,
             qt_binaries: list[str] = QT_PLUGINS) -> SpecRun:
    recorded: dict[str, Any] = {"exes": [], "trees": []}

    def analysis(scripts: list[str], **kwargs: Any) -> FakeAnalysis:
        recorded["analysis"] = FakeAnalysis(scripts, kwargs, [(b, "/qt/" + b, "BINARY") for b in qt_binaries])
        return recorded["analysis"]  # type: ignore[no-any-return]

    def exe(pyz: object, scripts: list[tuple[str, str, str]], *rest: object, **kwargs: Any) -> dict[str, Any]:
        recorded["exes"].append({"scripts": scripts, **kwargs})
        return recorded["exes"][-1]  # type: ignore[no-any-return]

    def collect(*items: object, **kwargs: Any) -> None:
        recorded["collect"] = {"items": items, **kwargs}

    def collect_submodules(tree: str) -> list[str]:
        recorded["trees"].append(tree)
        return [f"{tree}.stand_in"]

    hooks = types.ModuleType("PyInstaller.utils.hooks")
    hooks.collect_submodules = collect_submodules  # type: ignore[attr-defined]
    for name in ("PyInstaller", "PyInstaller.utils"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, "PyInstaller.utils.hooks", hooks)
    monkeypatch.setitem(sys.modules, "bundle_config", config)
    monkeypatch.setattr(config, "is_windows", lambda: False)
    monkeypatch.setattr(sys, "path", list(sys.path))
    namespace = {
        "SPECPATH": str(INSTALLERS), "workpath": str(tmp_path), "DISTPATH": str(tmp_path / "dist"),
        "Analysis": analysis, "PYZ": lambda pure: ("pyz", pure), "EXE": exe, "COLLECT": collect,
        "__file__": str(SPEC),
    }
    exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
    return SpecRun(recorded["analysis"], recorded["exes"], recorded["collect"], recorded["trees"],
                   tmp_path / "launchers")


@pytest.fixture
def spec_run(tmp_path: Path, config: types.ModuleType, monkeypatch: pytest.MonkeyPatch) -> SpecRun:
    return run_spec(tmp_path, config, monkeypatch)


def test_every_console_script_is_bundled_as_its_own_executable(spec_run: SpecRun) -> None:
    names = {exe["name"] for exe in spec_run.exes}
    assert set(pyproject_scripts()) <= names
    assert spec_run.collect["name"] == "ent-arm"
    assert [item["name"] for item in spec_run.collect["items"] if isinstance(item, dict)] == [
        exe["name"] for exe in spec_run.exes
    ]


def test_programs_with_a_window_get_a_windowed_and_a_console_executable(spec_run: SpecRun) -> None:
    console = {exe["name"]: exe["console"] for exe in spec_run.exes}
    windowed_programs = {workstation.program for workstation in ALL_PROGRAMS}
    for program in pyproject_scripts():
        if program in windowed_programs:
            assert console[program] is False, program
            assert console[program + "-cli"] is True, program
        else:
            assert console[program] is True, program
            assert program + "-cli" not in console
    assert len(console) == len(pyproject_scripts()) + len(windowed_programs)


def test_each_executable_runs_only_its_own_programs_entry_point(spec_run: SpecRun) -> None:
    scripts = pyproject_scripts()
    for exe in spec_run.exes:
        program = exe["name"].removesuffix("-cli")
        launchers = [path for _name, path, _kind in exe["scripts"] if Path(path).parent == spec_run.launchers]
        assert len(launchers) == 1, exe["name"]
        source = Path(launchers[0]).read_text(encoding="utf-8")
        module, function = scripts[program].split(":")
        assert f"from {module} import {function}" in source
        compile(source, launchers[0], "exec")
        assert callable(getattr(importlib.import_module(module), function))
        assert exe["scripts"][-1][1] == launchers[0], "the launcher runs after the runtime hooks"
        assert any(path.endswith("windows_console.py") for _name, path, _kind in exe["scripts"])


def test_data_the_programs_read_at_run_time_is_in_the_bundle(spec_run: SpecRun) -> None:
    bundled = {destination for destination, _source, _kind in spec_run.analysis.datas}
    for language in ("kk", "ru"):
        assert f"common/i18n/locale/{language}/LC_MESSAGES/ent.mo" in bundled
    for chain in ("common/db/migrations", "nct_hub/db/migrations"):
        versions = sorted((ROOT / chain / "versions").glob("[0-9]*.py"))
        assert versions
        for script in [*versions, ROOT / chain / "env.py"]:
            assert script.relative_to(ROOT).as_posix() in bundled
    expected = ["common/fonts/DejaVuSans.ttf", "common/fonts/DejaVuSans-Bold.ttf", "common/ui/icon.svg",
                "common/testspec/examples/ent2018.json", "nct_hub/data/schools.csv"]
    assert set(expected) <= bundled
    assert not any(destination.endswith((".po", ".pot")) for destination in bundled)


def test_every_file_beside_the_code_is_bundled_or_deliberately_left_out(config: types.ModuleType) -> None:
    bundled = {Path(source) for source, _folder in config.data_files()}
    left_out = config.PACKAGE_DATA_LEFT_OUT
    for package in config.PACKAGES:
        for path in (ROOT / package).rglob("*"):
            if not path.is_file() or "__pycache__" in path.parts or path.suffix in (".py", ".pyc"):
                continue
            if any(fnmatch.fnmatchcase(path.name, pattern) for pattern in left_out):
                continue
            assert path in bundled, f"{path.relative_to(ROOT)} is neither bundled nor listed as left out"


def test_every_data_folder_the_spec_lists_exists(config: types.ModuleType) -> None:
    for data_set in config.DATA:
        folder = ROOT / data_set.folder
        assert folder.is_dir(), data_set.folder
        assert config.data_set_files(data_set), data_set.folder


def test_modules_found_only_at_run_time_are_named(spec_run: SpecRun, config: types.ModuleType) -> None:
    hidden = set(spec_run.analysis.kwargs["hiddenimports"])
    assert {"zxingcpp", "cv2", "sqlalchemy.dialects.sqlite", "PySide6.QtPdf", "PySide6.QtPrintSupport"} <= hidden
    assert "reportlab.graphics.barcode" in spec_run.submodule_trees
    top_packages = {target.split(".")[0] for target in pyproject_scripts().values()}
    assert top_packages <= set(spec_run.submodule_trees)
    assert "common" in spec_run.submodule_trees  # migrations' env.py and revisions, importable
    assert "ent_demo" in spec_run.analysis.kwargs["excludes"]


def test_qt_translations_of_other_languages_are_left_out(spec_run: SpecRun) -> None:
    bundled = {destination for destination, _source, _kind in spec_run.analysis.datas}
    assert "PySide6/Qt/translations/qtbase_ru.qm" in bundled
    assert "PySide6/Qt/translations/qtbase_de.qm" not in bundled


def test_the_build_stops_when_a_qt_plugin_folder_is_missing(
    tmp_path: Path, config: types.ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    without_printing = [binary for binary in QT_PLUGINS if "printsupport" not in binary]
    with pytest.raises(SystemExit, match="printsupport"):
        run_spec(tmp_path, config, monkeypatch, qt_binaries=without_printing)


def test_qt_plugins_are_recognised_in_the_windows_layout(config: types.ModuleType) -> None:
    windows = ["PySide6\\plugins\\platforms\\qwindows.dll", "PySide6\\plugins\\printsupport\\windowsprintersupport.dll",
               "PySide6\\plugins\\imageformats\\qsvg.dll", "PySide6\\plugins\\iconengines\\qsvgicon.dll"]
    assert config.missing_qt_plugins(windows) == []
    assert config.missing_qt_plugins(windows[1:]) == ["platforms"]
    assert config.keep_data("PySide6\\translations\\qtbase_kk.qm")
    assert not config.keep_data("PySide6\\translations\\qtbase_fr.qm")


def test_a_program_missing_from_the_bundle_list_stops_the_build(
    config: types.ModuleType, tmp_path: Path
) -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        pyproject.replace("[project.scripts]\n", '[project.scripts]\nent-new = "ent_new.cli:main"\n'), encoding="utf-8"
    )
    with pytest.raises(SystemExit, match="ent-new"):
        config.check_programs(tmp_path)


# --- the Inno Setup script --------------------------------------------------------------------


def iss_sections() -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = ""
    for raw in ISS.read_text(encoding="utf-8-sig").splitlines():
        line = raw.strip()
        if not line or line.startswith(";"):
            continue
        if re.fullmatch(r"\[\w+\]", line):
            current = line[1:-1]
            sections.setdefault(current, [])
        elif not line.startswith("#"):
            sections.setdefault(current, []).append(line)
    return sections


def iss_entries(section: str) -> list[dict[str, str]]:
    """Lines like ``Name: "x"; Filename: "y"`` as dictionaries."""
    entries = []
    for line in iss_sections()[section]:
        pairs = re.findall(r'(\w+):\s*("(?:[^"]|"")*"|[^;]+)', line)
        entries.append({key: value.strip().strip('"') for key, value in pairs})
    return entries


def custom_messages() -> dict[tuple[str, str], str]:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string("[m]\n" + "\n".join(iss_sections()["CustomMessages"]))
    messages = {}
    for key, value in parser["m"].items():
        language, name = key.split(".", 1)
        messages[(language, name)] = value
    return messages


def shortcuts() -> dict[str, str]:
    """Start-menu shortcuts: target file name (``ent-x.exe``) -> shortcut name."""
    return {entry["Filename"].rsplit("\\", 1)[-1]: entry["Name"] for entry in iss_entries("Icons")}


def test_the_installer_has_a_start_menu_shortcut_for_every_windowed_program() -> None:
    targets = shortcuts()
    for workstation in ALL_PROGRAMS:
        assert f"{workstation.program}.exe" in targets, workstation.program
    console_only = set(pyproject_scripts()) - {workstation.program for workstation in ALL_PROGRAMS}
    text = ISS.read_text(encoding="utf-8-sig")
    for program in console_only:
        assert f"{program}.exe" in text, program


def test_shortcut_names_are_the_workstations_own_kazakh_and_russian_titles() -> None:
    messages = custom_messages()
    targets = shortcuts()
    for workstation in ALL_PROGRAMS:
        name = targets[f"{workstation.program}.exe"]
        key = re.fullmatch(r"\{group\}\\\{cm:(\w+)\}", name)
        assert key, name
        assert messages[("kazakh", key[1])] == i18n.tr("kk", workstation.title)
        assert messages[("russian", key[1])] == i18n.tr("ru", workstation.title)
        assert messages[("english", key[1])] == workstation.title
    names = {name for _language, name in messages}
    for name in names:
        assert {language for language, other in messages if other == name} == {"kazakh", "russian", "english"}


def test_the_installer_installs_the_built_bundle_for_the_whole_machine(config: types.ModuleType) -> None:
    setup = dict(line.split("=", 1) for line in iss_sections()["Setup"])
    assert setup["AppId"] == "{" + config.APP_ID
    assert setup["PrivilegesRequired"] == "admin"
    assert setup["DefaultDirName"].startswith("{autopf}")
    text = ISS.read_text(encoding="utf-8-sig")
    assert '#define BundleDir AddBackslash(SourcePath) + "..\\dist\\ent-arm"' in text
    [files] = iss_entries("Files")
    assert files["Source"] == "{#BundleDir}\\*" and "recursesubdirs" in files["Flags"]


def test_upgrades_replace_the_program_and_keep_the_users_data() -> None:
    sections = iss_sections()
    deleted_on_install = [entry["Name"] for entry in iss_entries("InstallDelete")]
    assert "{app}\\_internal" in deleted_on_install
    assert all(name.startswith("{app}\\") for name in deleted_on_install)
    for line in sections.get("UninstallDelete", []):
        assert "{app}" in line and "appdata" not in line.lower(), line


def test_tasks_offers_the_bundle_command() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "tasks.py"), "bundle", "--help"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "--no-check" in result.stdout



# --- the smoke test of the built bundle (installers/smoke.py, run by `tasks.py test`) -----------


@pytest.fixture(scope="module")
def smoke(config: types.ModuleType) -> types.ModuleType:
    sys.path.insert(0, str(INSTALLERS))
    try:
        return importlib.import_module("smoke")
    finally:
        sys.path.remove(str(INSTALLERS))


def test_the_smoke_opens_the_window_of_every_workstation(smoke: types.ModuleType) -> None:
    from common.workstation import WORKSTATIONS

    assert tuple(workstation.program for workstation in WORKSTATIONS) == smoke.WINDOWS
    assert set(smoke.UPGRADED) == {"programmer", "certificate", "nct"}


@pytest.mark.parametrize(("package", "newest"), [
    ("arm_programmer", {"codes", "score", "statement", "appeal", "handover", "identify", "protocol"}),
    ("arm_certificate", {"import", "packs", "assign", "spoil", "print", "calibrate", "signing-key"}),
    ("nct_hub", {"results", "appeals", "certificates", "verify-certificate", "certificate-key"}),
])
def test_the_smoke_finds_every_command_a_program_lists_in_its_help(
    smoke: types.ModuleType, package: str, newest: set[str]
) -> None:
    i18n.set_language("en")
    parser = importlib.import_module(f"{package}.cli").build().build_parser()
    listed = smoke.commands_in_help(parser.format_help())
    assert newest <= set(listed)
    assert "init" in listed and "info" in listed
    assert not [word for word in listed if word.startswith("-")]


def test_pyinstallers_cache_and_work_folders_are_inside_the_checkout(config: types.ModuleType) -> None:
    sys.path.insert(0, str(INSTALLERS))
    try:
        build = importlib.import_module("build_bundle")
    finally:
        sys.path.remove(str(INSTALLERS))
    cache = Path(build.pyinstaller_env()["PYINSTALLER_CONFIG_DIR"])
    assert cache.is_relative_to(ROOT / "build") and build.WORK.is_relative_to(ROOT / "build")
    for name in ("build_bundle.py", "smoke.py", "old_folders.py"):
        assert "/tmp/" not in (INSTALLERS / name).read_text(encoding="utf-8")


def test_the_smoke_fails_a_print_without_the_bundled_font(smoke: types.ModuleType, tmp_path: Path) -> None:
    done = subprocess.CompletedProcess(["print"], 0, "", "")
    page = tmp_path / "page.pdf"
    page.write_bytes(b"%PDF-1.4 /FontName /Helvetica")
    assert smoke._pdf_with_fonts(page)(done) == "page.pdf lacks the bundled DejaVu font"
    page.write_bytes(b"%PDF-1.4 /FontName /AAAAAA+DejaVuSans")
    assert smoke._pdf_with_fonts(page)(done) is None
