"""Run the built bundle as a user would and say what worked: ``python installers/smoke.py [BUNDLE]``.

Every executable answers ``--help``, and so does every command each program lists in its help (new
commands are checked without editing this file); ``ent-applications`` makes a
workstation folder and reports on it; every workstation's window opens with all its pages and closes
(``--check-window``, offscreen); ``ent-certificate`` prints a printer's test page (reportlab with
the bundled fonts); ``ent-nct`` makes its database, imports the shipped sample directories and
exports them to XLSX; ``ent-omr`` lists its forms, prints a blank answer sheet (reportlab, barcodes,
fonts) and reads it back from the PDF with two worker processes (pypdfium2, OpenCV, zxing-cpp,
multiprocessing in a frozen program); folders left by an older version (``old_folders.py``) are
opened by the bundled programs, migrated and keep every row; a window opens offscreen and keeps
running until it is closed. Only the bundle's programs are run; the older folders are made with the
suite's Alembic chains, so run this from the suite's virtual environment. Exit status 0 when every
check passed. ``python3 tasks.py test`` runs it after the test suite (``ENT_ARM_SKIP_BUNDLE=1`` skips it).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bundle_config import BUNDLE_NAME, CLI_SUFFIX, PROGRAMS, ROOT

EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""
TIMEOUT = 300
WINDOW_SECONDS = 8.0
WORKERS = 2
"""Help checks run two at a time (the CI machine has 2 cores)."""
WINDOWS: tuple[str, ...] = ("ent-base-ppent", "ent-applications", "ent-scanner-check", "ent-programmer",
                            "ent-certificate")
"""The programs with a window (``ent-nct`` has commands only); tests/test_installers.py checks the list."""
UPGRADED: tuple[str, ...] = ("programmer", "certificate", "nct")
"""The older folders (``old_folders.py``) the bundled programs must migrate."""


@dataclass
class Check:
    """One command run from the bundle."""

    name: str
    ok: bool
    seconds: float
    detail: str = ""
    output: str = field(default="", repr=False)


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
        return Check(name, True, seconds, output=result.stdout)
    tail = (result.stderr or result.stdout).strip().splitlines()[-5:]
    return Check(name, False, seconds, f"{problem}; exit {result.returncode}; " + " | ".join(tail), result.stdout)


def _exit_zero_and(text: str) -> Callable[[subprocess.CompletedProcess[str]], str | None]:
    def accept(result: subprocess.CompletedProcess[str]) -> str | None:
        if result.returncode != 0:
            return "failed"
        if text not in result.stdout:
            return f"output lacks {text!r}"
        return None

    return accept


def help_checks(bundle: Path, env: dict[str, str], cwd: Path) -> list[Check]:
    """``--help`` of every executable, then of every command its help lists (in English).

    Sub-commands (``appeals decide``) are not run one by one: every ``--help`` builds the program's
    whole parser, which imports every command module, and a sub-command's own help text is checked
    by the test suite; one process per sub-command would add minutes on 2 cores.
    """
    jobs = [(f"{name} --help", [str(executable(bundle, name)), "--lang", "en", "--help"])
            for program in PROGRAMS for name, _console in program.executables]
    checks = _in_parallel(jobs, env, cwd)
    commands = []
    for check in checks:
        name = check.name.split()[0]
        if check.ok and (name.endswith(CLI_SUFFIX) or name == "ent-omr"):
            listed = commands_in_help(check.output)
            commands += [(name, command) for command in listed]
            if not listed:
                checks.append(Check(f"{name} lists its commands", False, 0.0, "no COMMAND list in its --help"))
    jobs = [(f"{name} {command} --help", [str(executable(bundle, name)), "--lang", "en", command, "--help"])
            for name, command in commands]
    return checks + _in_parallel(jobs, env, cwd)


def commands_in_help(text: str) -> list[str]:
    """The commands an argparse help lists under its ``COMMAND`` heading (English help)."""
    commands: list[str] = []
    inside = False
    for line in text.splitlines():
        if line.strip() == "COMMAND":
            inside = True
        elif inside and line.startswith("    ") and not line.startswith("     "):
            commands.append(line.split()[0])
        elif inside and not line.startswith("     "):
            break
    return commands


def _in_parallel(jobs: list[tuple[str, list[str]]], env: dict[str, str], cwd: Path) -> list[Check]:
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(lambda job: _run(job[0], job[1], env, cwd, _exit_zero_and("usage:")), jobs))


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


def window_checks(bundle: Path, env: dict[str, str], cwd: Path) -> list[Check]:
    """Every workstation's window, as the Start menu starts it, opens with all its pages and exits."""
    checks = []
    for name in WINDOWS:
        folder = cwd / "windows" / name
        checks.append(_run(f"{name} init", [str(executable(bundle, _console_name(name))), "--lang", "en", "init",
                                            "--data-dir", str(folder)], env, cwd, _exit_zero_and("")))
        checks.append(_run(f"{name} --check-window (kk, offscreen)",
                           [str(executable(bundle, name)), "--lang", "kk", "--check-window", "--data-dir", str(folder)],
                           env, cwd, _exit_zero_and("")))
    return checks


def print_check(bundle: Path, env: dict[str, str], cwd: Path) -> list[Check]:
    """A real print: the certificate printer's test page, a PDF drawn by reportlab with the bundled fonts."""
    program = str(executable(bundle, _console_name("ent-certificate")))
    folder = cwd / "certificate"
    page = cwd / "test-page.pdf"
    return [
        _run("ent-certificate init", [program, "--lang", "en", "init", "--data-dir", str(folder)], env, cwd,
             _exit_zero_and("")),
        _run("ent-certificate calibrate --test-page (print)",
             [program, "--lang", "kk", "calibrate", "--printer", "smoke", "--test-page", str(page),
              "--data-dir", str(folder)], env, cwd, _pdf_with_fonts(page)),
    ]


def upgrade_checks(bundle: Path, env: dict[str, str], cwd: Path) -> list[Check]:
    """Folders an older version left (``old_folders.py``), opened by the bundled program: migrated, rows kept."""
    try:
        import old_folders
    except ImportError as error:  # the suite is not installed where this runs
        return [Check("older folders (upgrade)", False, 0.0, f"run smoke.py from the suite's .venv: {error}")]
    checks = []
    for kind in UPGRADED:
        old = old_folders.make(kind, cwd / "older" / kind)
        program = str(executable(bundle, _console_name(old.program)))

        def accept(result: subprocess.CompletedProcess[str], old: old_folders.OldFolder = old) -> str | None:
            if result.returncode != 0:
                return "failed"
            data = json.loads(result.stdout)
            if data.get("audit_ok") is not True:
                return f"audit log: {data.get('audit_problem')}"
            found = old_folders.problems(old, data.get("schema_head"))
            return "; ".join(found) or None

        checks.append(_run(f"{old.program} opens a folder at {old.revision} (upgrade)",
                           [program, "--lang", "en", "info", "--json", "--data-dir", str(old.root)], env, cwd, accept))
    return checks


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


def _pdf_with_fonts(path: Path) -> Callable[[subprocess.CompletedProcess[str]], str | None]:
    def accept(result: subprocess.CompletedProcess[str]) -> str | None:
        if result.returncode != 0:
            return "failed"
        if not path.is_file():
            return f"{path.name} was not written"
        content = path.read_bytes()
        if not content.startswith(b"%PDF"):
            return f"{path.name} is not a PDF"
        return None if b"DejaVuSans" in content else f"{path.name} lacks the bundled DejaVu font"

    return accept


def run_all(bundle: Path, work: Path | None = None) -> list[Check]:
    """Every check, with a fresh user's folders in ``work`` (default: a new temporary folder, removed after)."""
    with _work_folder(work) as home:
        env = isolated_env(home)
        return [
            *help_checks(bundle, env, home),
            *workstation_checks(bundle, env, home),
            *window_checks(bundle, env, home),
            *print_check(bundle, env, home),
            *nct_checks(bundle, env, home),
            *omr_checks(bundle, env, home),
            *upgrade_checks(bundle, env, home),
            window_check(bundle, env, home),
        ]


@contextlib.contextmanager
def _work_folder(work: Path | None) -> Iterator[Path]:
    if work is not None:
        work.mkdir(parents=True, exist_ok=True)
        yield work
        return
    with tempfile.TemporaryDirectory(prefix="ent-arm-smoke-") as temporary:
        yield Path(temporary)


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
