#!/usr/bin/env python3
"""Set up and run ent-arm on a fresh machine: ``python3 tasks.py demo`` / ``python3 tasks.py test``.

Creates ``.venv``, installs the suite with its test extras at the exact versions of
``constraints.txt`` (the lock; ``python3 tasks.py lock`` regenerates it on purpose), compiles the
message catalogue, and on Debian as root installs the system packages Qt, poppler, fonts, Xvfb, SANE
and PostgreSQL need (otherwise it prints the exact command to run). ``test`` ends by building the
bundle with PyInstaller and running ``installers/smoke.py`` on it (``ENT_ARM_SKIP_BUNDLE=1`` skips
that). Standard library only: it runs before anything is installed. Works on Windows too
(``py tasks.py demo``), where the Debian steps are skipped.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCALE = ROOT / "common" / "i18n" / "locale"
LANGS = ("kk", "ru", "en")
CONSTRAINTS = ROOT / "constraints.txt"
"""The lock: the exact version of every package the set-up installs (pip, setuptools and PyInstaller too)."""
LOCKED_EXTRAS = "test,postgres,sane,windows"
"""What ``lock`` installs to find the versions: every extra, so each of them is pinned."""
PYINSTALLER = "pyinstaller>=6.10,<7"
SKIP_BUNDLE = "ENT_ARM_SKIP_BUNDLE"
"""``ENT_ARM_SKIP_BUNDLE=1 python3 tasks.py test``: a developer's run without the bundle and its smoke (CI has them)."""
PYTEST_NO_TESTS = 5

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


def install_fingerprint() -> str:
    """What the installed ``.venv`` depends on: pyproject.toml and the lock, by content."""
    digest = hashlib.sha256()
    for path in (ROOT / "pyproject.toml", CONSTRAINTS):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def pip_env() -> dict[str, str]:
    """The environment for pip: the lock also binds the build backend in build isolation.

    ``PIP_CONSTRAINT`` is what older pips apply to the isolated build; newer ones ignore it there
    and take ``--build-constraint`` (passed once pip itself is at the locked version).
    """
    return {**os.environ, "PIP_CONSTRAINT": str(CONSTRAINTS), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def pip_install(*requirements: str, cwd: Path = ROOT) -> None:
    """``pip install`` into ``.venv`` at the locked versions."""
    run([str(venv_python()), "-m", "pip", "install", "-q", "-c", str(CONSTRAINTS),
         "--build-constraint", str(CONSTRAINTS), *requirements], cwd=cwd, env=pip_env())


def ensure_venv(extras: str) -> None:
    """Create ``.venv`` and install the suite with ``extras``, unless the same lock is installed already.

    The stamp holds the fingerprint of pyproject.toml and constraints.txt: a changed lock (or an
    empty stamp from an older set-up) installs again, moving every package to its locked version.
    """
    stamp = VENV / f".installed-{extras or 'base'}"
    if not venv_python().exists():
        run([sys.executable, "-m", "venv", str(VENV)])
    fingerprint = install_fingerprint()
    if stamp.exists() and stamp.read_text(encoding="utf-8").strip() == fingerprint:
        return
    # pip and setuptools first, with whatever pip the venv has (it may predate --build-constraint)
    run([str(venv_python()), "-m", "pip", "install", "-q", "-c", str(CONSTRAINTS), "pip", "setuptools"],
        env=pip_env())
    pip_install("-e", f".[{extras}]" if extras else ".")
    stamp.write_text(fingerprint + "\n", encoding="utf-8")


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


def free_port() -> int:
    """A port no one listens on now (the socket file's name; the server itself listens on no TCP port)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def postgres_for_tests() -> Iterator[dict[str, str]]:
    """A throwaway PostgreSQL cluster (as root on Debian) for one test run; yields the env for the tests.

    Private to the run: a fresh folder from ``mkdtemp`` owned by postgres, its unix socket inside
    it, a port picked free for this run, no TCP listener. Stopped and removed when the run ends,
    also when it fails or is interrupted.
    """
    if os.environ.get("ENT_TEST_POSTGRES_URL"):
        yield {}
        return
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb")) if Path("/usr/lib/postgresql").exists() else []
    if not bins or os.name == "nt" or os.geteuid() != 0:
        say("PostgreSQL tests need a server: set ENT_TEST_POSTGRES_URL=postgresql://user:pw@host/db")
        yield {}
        return
    import pwd

    bindir = bins[-1].parent
    postgres = pwd.getpwnam("postgres")
    base = Path(tempfile.mkdtemp(prefix="ent-arm-pg-"))
    data = base / "data"
    as_postgres = ["runuser", "-u", "postgres", "--"]
    started = False
    try:
        os.chown(base, postgres.pw_uid, postgres.pw_gid)
        run([*as_postgres, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"],
            stdout=subprocess.DEVNULL)
        port = free_port()
        started = True
        run([*as_postgres, str(bindir / "pg_ctl"), "-D", str(data), "-w", "-l", str(base / "log"),
             "-o", f"-k {base} -p {port} -c listen_addresses='' -c fsync=off", "start"], stdout=subprocess.DEVNULL)
        yield {"ENT_TEST_POSTGRES_URL": f"postgresql+psycopg://postgres@/postgres?host={base}&port={port}"}
    finally:
        if started:
            subprocess.run([*as_postgres, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        shutil.rmtree(base, ignore_errors=True)


def run_group(command: list[str], cwd: Path, env: dict[str, str]) -> int:
    """Run ``command`` in its own process group; when this run is interrupted, end the whole group.

    pytest's reader workers are processes of their own: killing pytest alone would leave them behind.
    """
    if os.name == "nt":
        return subprocess.run(command, cwd=cwd, env=env).returncode
    process = subprocess.Popen(command, cwd=cwd, env=env, start_new_session=True)
    try:
        return process.wait()
    except BaseException:
        for signum, grace in ((signal.SIGINT, 5), (signal.SIGTERM, 3), (signal.SIGKILL, 3)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signum)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=grace)
                if signum == signal.SIGKILL or not _group_alive(process.pid):
                    break
        raise


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def _stop_on_sigterm() -> None:
    """A SIGTERM (CI's timeout, ``kill``) unwinds like Ctrl+C, so the ``finally`` clean-ups run."""
    if os.name != "nt":
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def demo_command(args: argparse.Namespace) -> list[str]:
    """``python -m ent_demo`` with the options given to ``tasks.py demo``."""
    headless = args.auto or (sys.platform.startswith("linux") and not os.environ.get("DISPLAY")
                             and not os.environ.get("WAYLAND_DISPLAY"))
    command = [str(venv_python()), "-m", "ent_demo"]
    if headless:
        command.append("--auto")
    if args.data_dir:
        command += ["--data-dir", str(Path(args.data_dir).expanduser().resolve())]
    if args.lang:
        command += ["--lang", args.lang]
    return command


def cmd_demo(args: argparse.Namespace) -> int:
    debian_packages(for_tests=False)
    ensure_venv("")
    compile_catalogue()
    return subprocess.run(demo_command(args), cwd=ROOT).returncode


def cmd_test(args: argparse.Namespace) -> int:
    debian_packages(for_tests=True)
    ensure_venv("test")
    compile_catalogue()
    _stop_on_sigterm()
    with tempfile.TemporaryDirectory(prefix="ent-arm-test-") as private, postgres_for_tests() as database:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **database}
        return _lint_and_test(args, env, Path(private))


def _lint_and_test(args: argparse.Namespace, env: dict[str, str], private: Path) -> int:
    """ruff, mypy, pytest, then the bundle; pytest's and the smoke's folders go under this run's ``private`` folder."""
    checks = [
        [str(venv_bin("ruff")), "check", "."],
        [str(venv_bin("mypy")), "common", "forms", "nct_hub", "arm_base_ppent", "arm_applications",
         "arm_scanner_check", "arm_programmer", "arm_certificate", "ent_demo"],
    ]
    for check in checks:
        say(" ".join(check[:2]))
        if run_group(check, cwd=ROOT, env=env) != 0:
            return 1
    basetemp = [] if any(a.startswith("--basetemp") for a in args.pytest_args) else [f"--basetemp={private}"]
    pytest = [str(venv_python()), "-m", "pytest", "-q", "-p", "no:cacheprovider", *basetemp, *args.pytest_args]
    say(" ".join(pytest))
    status = run_group(pytest, cwd=ROOT, env=env)
    if status < 0:
        say(f"pytest was killed by signal {signal.Signals(-status).name}: the run failed")
        return 1
    if status == PYTEST_NO_TESTS:
        say("pytest ran no test: that is a failure, not a pass")
        return 1
    if status != 0:
        return status
    return bundle_and_smoke(env, private)


def bundle_and_smoke(env: dict[str, str], private: Path) -> int:
    """Build the Linux (or Windows) bundle with the locked PyInstaller and run installers/smoke.py on it.

    Part of ``test``, so CI keeps the bundle alive; ``ENT_ARM_SKIP_BUNDLE=1`` leaves it out. The build's
    work folder and PyInstaller's cache are in this checkout (``build/bundle``), the bundle in ``dist``,
    the smoke's user folders under this run's ``private`` folder: two checkouts share nothing.
    """
    if os.environ.get(SKIP_BUNDLE, "").strip() not in ("", "0"):
        say(f"{SKIP_BUNDLE} is set: the bundle is not built or checked")
        return 0
    start = time.monotonic()
    pip_install(PYINSTALLER)
    build = [str(venv_python()), str(ROOT / "installers" / "build_bundle.py"), "--smoke-dir", str(private / "smoke")]
    say(" ".join(build))
    status = run_group(build, cwd=ROOT, env=env)
    say(f"bundle built and checked in {time.monotonic() - start:.0f} s" if status == 0
        else "the bundle failed to build or its smoke test failed (see above)")
    return 0 if status == 0 else 1


def cmd_bundle(args: argparse.Namespace) -> int:
    """Build the Windows (or Linux) bundle with PyInstaller: installers/README.md says what follows."""
    debian_packages(for_tests=False)
    ensure_venv("windows,postgres")
    compile_catalogue()
    pip_install(PYINSTALLER)
    build = [str(venv_python()), str(ROOT / "installers" / "build_bundle.py")]
    build += ["--clean"] if args.clean else []
    build += ["--no-check"] if args.no_check else []
    return subprocess.run(build, cwd=ROOT).returncode


def cmd_lock(args: argparse.Namespace) -> int:
    """Regenerate constraints.txt: a fresh venv, the newest versions pyproject.toml allows, frozen.

    Only this command writes the lock; every other task installs from it.
    """
    with tempfile.TemporaryDirectory(prefix="ent-arm-lock-") as folder:
        venv = Path(folder) / "venv"
        run([sys.executable, "-m", "venv", str(venv)])
        python = str(venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python"))
        env = {key: value for key, value in os.environ.items() if key not in ("PIP_CONSTRAINT", "PIP_BUILD_CONSTRAINT")}
        run([python, "-m", "pip", "install", "-q", "--upgrade", "pip", "setuptools"], env=env)
        run([python, "-m", "pip", "install", "-q", f".[{LOCKED_EXTRAS}]", PYINSTALLER], cwd=ROOT, env=env)
        frozen = subprocess.run([python, "-m", "pip", "freeze", "--all", "--exclude-editable"],
                                check=True, capture_output=True, text=True, env=env).stdout
    pins = sorted(
        (line.strip() for line in frozen.splitlines()
         if "==" in line and not line.lower().startswith(("ent-arm==", "ent_arm=="))),
        key=lambda pin: pin.split("==")[0].lower(),
    )
    header = [
        "# The lock: exact versions of everything `python3 tasks.py setup|demo|test|bundle` installs.",
        f"# Written by `python3 tasks.py lock` (Python {sys.version_info.major}.{sys.version_info.minor}); "
        "do not edit by hand.",
    ]
    CONSTRAINTS.write_text("\n".join([*header, *pins]) + "\n", encoding="utf-8")
    say(f"wrote {CONSTRAINTS.name}: {len(pins)} packages")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="task", required=True)
    demo = sub.add_parser("demo", help="set up and run the demo (launcher window, or headless with --auto)")
    demo.add_argument("--auto", action="store_true", help="run the demo headless and exit")
    demo.add_argument("--data-dir", metavar="DIR",
                      help="folder for the demo workstations (default: ~/.local/share/ent-arm/demo)")
    demo.add_argument("--lang", choices=LANGS, help="language of the demo: kk, ru or en")
    test = sub.add_parser("test", help="set up and run lint, type checks, the whole test suite, then build the "
                                       f"bundle and run its smoke test ({SKIP_BUNDLE}=1 skips the bundle)")
    test.add_argument("pytest_args", nargs="*", help="extra arguments for pytest")
    sub.add_parser("setup", help="only create the virtual environment and install everything")
    sub.add_parser("i18n", help="extract messages and update the kk/ru/en catalogues")
    sub.add_parser("lock", help="regenerate constraints.txt from the newest versions pyproject.toml allows")
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
    if args.task == "lock":
        return cmd_lock(args)
    if args.task == "i18n":
        ensure_venv("test")
        update_catalogue()
        return 0
    translate(args.files)
    return 0


if __name__ == "__main__":
    sys.exit(main())
