#!/usr/bin/env python3
"""Set up and run ent-arm on a fresh machine: ``python3 tasks.py demo`` / ``python3 tasks.py test``.

Creates ``.venv``, installs the suite with its test extras, compiles the message catalogue, and on
Debian as root installs the system packages Qt, poppler, fonts, Xvfb, SANE and PostgreSQL need
(otherwise it prints the exact command to run). Standard library only: it runs before anything
is installed. Works on Windows too (``py tasks.py demo``), where the Debian steps are skipped.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCALE = ROOT / "common" / "i18n" / "locale"
LANGS = ("kk", "ru", "en")

# Debian packages: (package, a file or program that shows it is there)
DEBIAN = [
    ("poppler-utils", "/usr/bin/pdftoppm"),
    ("fonts-dejavu-core", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    ("xvfb", "/usr/bin/Xvfb"),
    ("xauth", "/usr/bin/xauth"),
    ("libegl1", "libEGL.so.1"),
    ("libgl1", "libGL.so.1"),
    ("libxkbcommon0", "libxkbcommon.so.0"),
    ("libxkbcommon-x11-0", "libxkbcommon-x11.so.0"),
    ("libfontconfig1", "libfontconfig.so.1"),
    ("libdbus-1-3", "libdbus-1.so.3"),
    ("libxcb-icccm4", "libxcb-icccm.so.4"),
    ("libxcb-keysyms1", "libxcb-keysyms.so.1"),
    ("libxcb-cursor0", "libxcb-cursor.so.0"),
    ("libxcb-image0", "libxcb-image.so.0"),
    ("libxcb-render-util0", "libxcb-render-util.so.0"),
    ("libxcb-shape0", "libxcb-shape.so.0"),
    ("libxcb-xkb1", "libxcb-xkb.so.1"),
    ("libxcb-randr0", "libxcb-randr.so.0"),
    ("libxcb-xinerama0", "libxcb-xinerama.so.0"),
    ("libgssapi-krb5-2", "libgssapi_krb5.so.2"),
    ("sane-utils", "/usr/bin/scanimage"),
    ("libsane-dev", "/usr/include/sane/sane.h"),
    ("openssl", "/usr/bin/openssl"),
]
DEBIAN_TEST_ONLY = [("postgresql", "/usr/lib/postgresql")]


def say(message: str) -> None:
    print(f"[tasks] {message}", flush=True)


def run(command: list[str], **kwargs: object) -> None:
    say(" ".join(str(c) for c in command))
    subprocess.run(command, check=True, **kwargs)  # type: ignore[call-overload]


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def venv_bin(name: str) -> Path:
    return VENV / ("Scripts" if os.name == "nt" else "bin") / (name + (".exe" if os.name == "nt" else ""))


def _has(marker: str) -> bool:
    if marker.startswith("/"):
        return Path(marker).exists()
    for folder in ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib", "/lib/x86_64-linux-gnu"):
        if Path(folder, marker).exists():
            return True
    return False


def debian_packages(for_tests: bool) -> None:
    if not sys.platform.startswith("linux") or not Path("/etc/debian_version").exists():
        say("not Debian: install Qt's system libraries, poppler-utils and fonts yourself (see README)")
        return
    wanted = DEBIAN + (DEBIAN_TEST_ONLY if for_tests else [])
    missing = [package for package, marker in wanted if not _has(marker)]
    if not missing:
        return
    if os.geteuid() != 0:
        say("missing Debian packages; as root run:\n  apt-get install -y " + " ".join(missing))
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(["apt-get", "update", "-qq"], env=env)
    run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], env=env)


def ensure_venv(extras: str) -> None:
    stamp = VENV / f".installed-{extras or 'base'}"
    pyproject = ROOT / "pyproject.toml"
    if not venv_python().exists():
        run([sys.executable, "-m", "venv", str(VENV)])
    if stamp.exists() and stamp.stat().st_mtime >= pyproject.stat().st_mtime:
        return
    run([str(venv_python()), "-m", "pip", "install", "-q", "--upgrade", "pip"])
    target = f".[{extras}]" if extras else "."
    run([str(venv_python()), "-m", "pip", "install", "-q", "-e", target], cwd=ROOT)
    stamp.touch()


def compile_catalogue() -> None:
    for lang in LANGS:
        po = LOCALE / lang / "LC_MESSAGES" / "ent.po"
        if po.exists():
            subprocess.run(
                [str(venv_python()), "-m", "babel.messages.frontend", "-q", "compile", "-D", "ent",
                 "-d", str(LOCALE), "-l", lang],
                check=True,
            )


@contextlib.contextmanager
def catalogue_lock():  # type: ignore[no-untyped-def]
    lock = LOCALE / ".lock"
    LOCALE.mkdir(parents=True, exist_ok=True)
    with lock.open("w") as handle:
        if os.name != "nt":
            import fcntl

            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def update_catalogue() -> None:
    """Extract every marked string and merge it into the kk/ru/en catalogues (keeps translations)."""
    pot = LOCALE / "ent.pot"
    babel = [str(venv_python()), "-m", "babel.messages.frontend"]
    with catalogue_lock():
        run([*babel, "-q", "extract", "-F", "babel.cfg", "-k", "_", "-k", "N_", "-k", "tr:2",
             "--no-location", "--sort-output", "--omit-header", "-o", str(pot), "."], cwd=ROOT)
        for lang in LANGS:
            po = LOCALE / lang / "LC_MESSAGES" / "ent.po"
            action = "update" if po.exists() else "init"
            extra = ["--no-fuzzy-matching", "--ignore-obsolete"] if action == "update" else []
            run([*babel, "-q", action, "-D", "ent", "-i", str(pot), "-d", str(LOCALE), "-l", lang, *extra])


def translate(files: list[str]) -> None:
    """Merge translations from JSON files ``{msgid: {"kk": ..., "ru": ...}}`` into the catalogue."""
    with catalogue_lock():
        run([str(venv_python()), str(ROOT / "tools" / "merge_translations.py"), str(LOCALE), "kk,ru", *files])


def postgres_for_tests() -> dict[str, str]:
    """Start a throwaway PostgreSQL cluster as root on Debian; return env pointing the tests at it."""
    if os.environ.get("ENT_TEST_POSTGRES_URL"):
        return {}
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb")) if Path("/usr/lib/postgresql").exists() else []
    if not bins or os.name == "nt" or os.geteuid() != 0:
        say("PostgreSQL tests need a server: set ENT_TEST_POSTGRES_URL=postgresql://user:pw@host/db")
        return {}
    bindir = bins[-1].parent
    base = Path("/tmp/ent-arm-pg")
    data, sock = base / "data", base / "sock"
    import pwd

    postgres = pwd.getpwnam("postgres")
    if not (data / "PG_VERSION").exists():
        shutil.rmtree(base, ignore_errors=True)
        data.mkdir(parents=True)
        sock.mkdir(parents=True)
        for path in (base, data, sock):
            os.chown(path, postgres.pw_uid, postgres.pw_gid)
        run(["runuser", "-u", "postgres", "--", str(bindir / "initdb"), "-D", str(data), "-A", "trust",
             "-U", "postgres", "--no-sync"], stdout=subprocess.DEVNULL)
    status = subprocess.run(["runuser", "-u", "postgres", "--", str(bindir / "pg_ctl"), "-D", str(data), "status"],
                            capture_output=True)
    if status.returncode != 0:
        run(["runuser", "-u", "postgres", "--", str(bindir / "pg_ctl"), "-D", str(data), "-w", "-l",
             str(base / "log"), "-o", f"-k {sock} -p 55432 -c listen_addresses='' -c fsync=off", "start"],
            stdout=subprocess.DEVNULL)
    return {"ENT_TEST_POSTGRES_URL": f"postgresql+psycopg://postgres@/postgres?host={sock}&port=55432"}


def cmd_demo(args: argparse.Namespace) -> int:
    debian_packages(for_tests=False)
    ensure_venv("")
    compile_catalogue()
    headless = args.auto or (sys.platform.startswith("linux") and not os.environ.get("DISPLAY")
                             and not os.environ.get("WAYLAND_DISPLAY"))
    command = [str(venv_python()), "-m", "common.demo"]
    if headless:
        command.append("--auto")
    return subprocess.run(command, cwd=ROOT).returncode


def cmd_test(args: argparse.Namespace) -> int:
    debian_packages(for_tests=True)
    ensure_venv("test")
    compile_catalogue()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **postgres_for_tests()}
    checks = [
        [str(venv_bin("ruff")), "check", "."],
        [str(venv_bin("mypy")), "common", "forms", "nct_hub", "arm_base_ppent", "arm_applications",
         "arm_scanner_check", "arm_programmer", "arm_certificate", "ent_demo"],
    ]
    for check in checks:
        say(" ".join(check[:2]))
        if subprocess.run(check, cwd=ROOT, env=env).returncode != 0:
            return 1
    pytest = [str(venv_python()), "-m", "pytest", "-q", "-p", "no:cacheprovider", *args.pytest_args]
    say(" ".join(pytest))
    return subprocess.run(pytest, cwd=ROOT, env=env).returncode


def cmd_bundle(args: argparse.Namespace) -> int:
    """Build the Windows (or Linux) bundle with PyInstaller: installers/README.md says what follows."""
    debian_packages(for_tests=False)
    ensure_venv("windows,postgres")
    compile_catalogue()
    run([str(venv_python()), "-m", "pip", "install", "-q", "pyinstaller>=6.10,<7"])
    build = [str(venv_python()), str(ROOT / "installers" / "build_bundle.py")]
    build += ["--clean"] if args.clean else []
    build += ["--no-check"] if args.no_check else []
    return subprocess.run(build, cwd=ROOT).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="task", required=True)
    demo = sub.add_parser("demo", help="set up and run the demo (launcher window, or headless with --auto)")
    demo.add_argument("--auto", action="store_true", help="run the demo headless and exit")
    test = sub.add_parser("test", help="set up and run lint, type checks and the whole test suite")
    test.add_argument("pytest_args", nargs="*", help="extra arguments for pytest")
    sub.add_parser("setup", help="only create the virtual environment and install everything")
    sub.add_parser("i18n", help="extract messages and update the kk/ru/en catalogues")
    bundle = sub.add_parser("bundle", help="build dist/ent-arm with PyInstaller and run every bundled program")
    bundle.add_argument("--clean", action="store_true", help="empty PyInstaller's cache first")
    bundle.add_argument("--no-check", action="store_true", help="do not run the bundled programs afterwards")
    tr = sub.add_parser("translate", help="merge JSON translations into the catalogue")
    tr.add_argument("files", nargs="+")
    args = parser.parse_args()
    if args.task == "demo":
        return cmd_demo(args)
    if args.task == "test":
        return cmd_test(args)
    if args.task == "setup":
        debian_packages(for_tests=True)
        ensure_venv("test")
        compile_catalogue()
        return 0
    if args.task == "bundle":
        return cmd_bundle(args)
    if args.task == "i18n":
        ensure_venv("test")
        update_catalogue()
        return 0
    translate(args.files)
    return 0


if __name__ == "__main__":
    sys.exit(main())
