"""Run the built bundle as a user would and say what worked: ``python installers/smoke.py [BUNDLE]``.

Every executable answers ``--help``; ``ent-applications`` makes a workstation folder and reports on
it; ``ent-nct`` makes its database, imports the shipped sample directories and exports them to
XLSX; ``ent-omr`` lists its forms, prints a blank answer sheet (reportlab, barcodes, fonts) and reads
it back from the PDF with two worker processes (pypdfium2, OpenCV, zxing-cpp, multiprocessing in a
frozen program); a window opens offscreen and keeps running until it is closed. Runs without Qt
or the suite installed: only the bundle is used. Exit status 0 when every check passed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bundle_config import BUNDLE_NAME, PROGRAMS, ROOT

EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""
TIMEOUT = 300
WINDOW_SECONDS = 8.0


@dataclass
class Check:
    """One command run from the bundle."""

    name: str
    ok: bool
    seconds: float
    detail: str = ""


def default_bundle() -> Path:
    return ROOT / "dist" / BUNDLE_NAME


def executable(bundle: Path, name: str) -> Path:
    return bundle / (name + EXE_SUFFIX)


def isolated_env(home: Path) -> dict[str, str]:
    """The environment of a fresh user: settings and data under ``home``, Qt without a screen."""
    return {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "ENT_ARM_CONFIG_DIR": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "LOCALAPPDATA": str(home / "data"),
        "APPDATA": str(home / "config"),
        "ENT_OPERATOR": "smoke-test",
    }


def _run(name: str, command: list[str], env: dict[str, str], cwd: Path,
         accept: Callable[[subprocess.CompletedProcess[str]], str | None]) -> Check:
    start = time.perf_counter()
    try:
        result = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", errors="replace",
                                env=env, cwd=cwd, timeout=TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as error:
        return Check(name, False, time.perf_counter() - start, str(error))
    seconds = time.perf_counter() - start
    problem = accept(result)
    if problem is None:
        return Check(name, True, seconds)
    tail = (result.stderr or result.stdout).strip().splitlines()[-5:]
    return Check(name, False, seconds, f"{problem}; exit {result.returncode}; " + " | ".join(tail))


def _exit_zero_and(text: str) -> Callable[[subprocess.CompletedProcess[str]], str | None]:
    def accept(result: subprocess.CompletedProcess[str]) -> str | None:
        if result.returncode != 0:
            return "failed"
        if text not in result.stdout:
            return f"output lacks {text!r}"
        return None

    return accept


def help_checks(bundle: Path, env: dict[str, str], cwd: Path) -> list[Check]:
    checks = []
    for program in PROGRAMS:
        for name, _console in program.executables:
            command = [str(executable(bundle, name)), "--help"]
            checks.append(_run(f"{name} --help", command, env, cwd, _exit_zero_and("usage:")))
    return checks


def workstation_checks(bundle: Path, env: dict[str, str], cwd: Path) -> list[Check]:
    program = executable(bundle, _console_name("ent-applications"))
    folder = cwd / "applications"
    checks = [
        _run("ent-applications init", [str(program), "--lang", "en", "init", "--data-dir", str(folder)],
             env, cwd, _exit_zero_and("Created")),
        _run("ent-applications info", [str(program), "--lang", "en", "info", "--json", "--data-dir", str(folder)],
             env, cwd, _json_with(("audit_ok", True))),
        _run("ent-applications info (kk)", [str(program), "--lang", "kk", "info", "--data-dir", str(folder)],
             env, cwd, _exit_zero_and("ҰБТ")),
    ]
    return checks


def nct_checks(bundle: Path, env: dict[str, str], cwd: Path) -> list[Check]:
    """НЦТ's own database (its Alembic chain), the shipped sample directories, an XLSX export."""
    nct = str(executable(bundle, _console_name("ent-nct")))
    folder = cwd / "nct"
    return [
        _run("ent-nct --help (ru)", [nct, "--lang", "ru", "--help"], env, cwd,
             _exit_zero_and("Национальный центр тестирования")),
        _run("ent-nct init", [nct, "init", "--data-dir", str(folder)], env, cwd, _exit_zero_and("")),
        _run("ent-nct directories import --sample",
             [nct, "directories", "import", "--sample", "--json", "--data-dir", str(folder)],
             env, cwd, _json_with(("version", 1))),
        _run("ent-nct directories export (XLSX)",
             [nct, "directories", "export", str(cwd / "directories.xlsx"), "--data-dir", str(folder)],
             env, cwd, _file_made(cwd / "directories.xlsx")),
    ]


def omr_checks(bundle: Path, env: dict[str, str], cwd: Path) -> list[Check]:
    omr = str(executable(bundle, "ent-omr"))
    pdf = cwd / "answer-sheet.pdf"
    checks = [
        _run("ent-omr forms", [omr, "forms"], env, cwd, _exit_zero_and("answer-sheet")),
        _run("ent-omr layout", [omr, "layout", "answer-sheet", "--json"], env, cwd, _exit_zero_and('"bubbles"')),
        _run("ent-omr blank", [omr, "blank", "answer-sheet", "--number", "1234567", "--out", str(pdf)],
             env, cwd, _file_made(pdf)),
    ]
    if not pdf.exists():
        return checks
    copies = []
    for index in range(6):  # the reader starts worker processes from 6 files on
        copy = cwd / f"sheet-{index}.pdf"
        shutil.copyfile(pdf, copy)
        copies.append(str(copy))
    checks.append(_run("ent-omr read (2 workers)", [omr, "read", "answer-sheet", *copies, "--json", "--workers", "2"],
                       env, cwd, _read_back(len(copies), "1234567")))
    return checks


def window_check(bundle: Path, env: dict[str, str], cwd: Path) -> Check:
    """A window opens offscreen and is still running after a few seconds (no missing plugin or module)."""
    program = executable(bundle, "ent-applications")
    start = time.perf_counter()
    # No arguments at all: any argument, even --lang, makes the program parse a command line.
    process = subprocess.Popen([str(program)], env={**env, "LANGUAGE": "kk"}, cwd=cwd,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _out, err = process.communicate(timeout=WINDOW_SECONDS)
    except subprocess.TimeoutExpired:
        process.terminate()
        process.communicate(timeout=30)
        return Check("ent-applications window (offscreen)", True, time.perf_counter() - start,
                     f"still open after {WINDOW_SECONDS:.0f} s")
    tail = " | ".join(err.strip().splitlines()[-5:])
    return Check("ent-applications window (offscreen)", False, time.perf_counter() - start,
                 f"exited {process.returncode} at once: {tail}")


def _console_name(program: str) -> str:
    for candidate in PROGRAMS:
        if candidate.name == program:
            return next(name for name, console in candidate.executables if console)
    raise KeyError(program)


def _json_with(expected: tuple[str, object]) -> Callable[[subprocess.CompletedProcess[str]], str | None]:
    key, value = expected

    def accept(result: subprocess.CompletedProcess[str]) -> str | None:
        if result.returncode != 0:
            return "failed"
        try:
            data = json.loads(result.stdout)
        except ValueError:
            return "output is not JSON"
        return None if data.get(key) == value else f"{key} is {data.get(key)!r}"

    return accept


def _file_made(path: Path) -> Callable[[subprocess.CompletedProcess[str]], str | None]:
    def accept(result: subprocess.CompletedProcess[str]) -> str | None:
        if result.returncode != 0:
            return "failed"
        return None if path.is_file() and path.stat().st_size > 0 else f"{path.name} was not written"

    return accept


def _read_back(pages: int, number: str) -> Callable[[subprocess.CompletedProcess[str]], str | None]:
    def accept(result: subprocess.CompletedProcess[str]) -> str | None:
        if result.returncode != 0:
            return "failed"
        lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
        if len(lines) != pages:
            return f"{len(lines)} pages read, expected {pages}"
        numbers = {line.get("sheet_number") for line in lines}
        return None if numbers == {number} else f"sheet numbers read: {sorted(map(str, numbers))}"

    return accept


def run_all(bundle: Path) -> list[Check]:
    with tempfile.TemporaryDirectory(prefix="ent-arm-smoke-") as temporary:
        home = Path(temporary)
        env = isolated_env(home)
        return [
            *help_checks(bundle, env, home),
            *workstation_checks(bundle, env, home),
            *nct_checks(bundle, env, home),
            *omr_checks(bundle, env, home),
            window_check(bundle, env, home),
        ]


def report(checks: list[Check]) -> str:
    lines = []
    for check in checks:
        mark = "ok  " if check.ok else "FAIL"
        lines.append(f"{mark} {check.seconds:6.2f} s  {check.name}" + (f"  — {check.detail}" if check.detail else ""))
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    bundle = Path(argv[0]) if argv else default_bundle()
    if not executable(bundle, PROGRAMS[0].name).exists():
        print(f"no bundle at {bundle}: run python installers/build_bundle.py first", file=sys.stderr)
        return 2
    checks = run_all(bundle)
    print(report(checks))
    return 0 if all(check.ok for check in checks) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
