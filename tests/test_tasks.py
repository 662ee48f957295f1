"""``tasks.py``, the set-up a new user runs first: the demo command, the lock, the test database."""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYTEST_NO_TESTS = 5  # pytest's exit status when it collected no test


@pytest.fixture(scope="module")
def tasks() -> types.ModuleType:
    spec = importlib.util.spec_from_file_location("ent_arm_tasks", ROOT / "tasks.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def locked() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pins[_normal(name)] = version
    return pins


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_demo_task_runs_the_demo_package_with_the_data_folder_given(
    tasks: types.ModuleType, tmp_path: Path
) -> None:
    command = tasks.demo_command(argparse.Namespace(auto=True, data_dir=str(tmp_path), lang=None))
    module = command[command.index("-m") + 1]
    assert importlib.util.find_spec(f"{module}.__main__") is not None, f"python -m {module} cannot run"
    assert command[-2:] == ["--data-dir", str(tmp_path)]
    assert "--auto" in command
    shown = subprocess.run([sys.executable, str(ROOT / "tasks.py"), "demo", "--help"],
                           capture_output=True, text=True, timeout=60)
    assert "--data-dir" in shown.stdout


def test_the_lock_pins_every_installed_package_at_its_installed_version() -> None:
    pins = locked()
    for must in ("pip", "setuptools", "pyinstaller", "pytest", "mypy", "ruff", "pyside6-essentials", "numpy"):
        assert must in pins, f"{must} is not locked"
    for dist in importlib.metadata.distributions():
        name = _normal(dist.metadata["Name"])
        if name == "ent-arm":
            continue
        assert name in pins, f"{name} is installed but not in constraints.txt"
        assert pins[name] == dist.version, f"{name} {dist.version} is installed, the lock says {pins[name]}"


def test_setup_installs_from_the_lock_and_again_when_the_lock_changes(
    tasks: types.ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "checkout"
    root.mkdir()
    shutil.copy(ROOT / "pyproject.toml", root)
    shutil.copy(ROOT / "constraints.txt", root)
    venv = root / ".venv"
    python = venv / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.touch()
    (venv / ".installed-test").touch()  # an older set-up's stamp: an empty file
    commands: list[list[str]] = []
    monkeypatch.setattr(tasks, "ROOT", root)
    monkeypatch.setattr(tasks, "VENV", venv)
    monkeypatch.setattr(tasks, "CONSTRAINTS", root / "constraints.txt")
    monkeypatch.setattr(tasks, "venv_python", lambda: python)
    monkeypatch.setattr(tasks, "run", lambda command, **kwargs: commands.append([str(c) for c in command]))

    tasks.ensure_venv("test")
    installs = [c for c in commands if "install" in c]
    assert installs, "an older stamp must lead to an install"
    for command in installs:
        assert command[command.index("-c") + 1] == str(root / "constraints.txt")
    assert any("--build-constraint" in c and "-e" in c for c in installs)

    commands.clear()
    tasks.ensure_venv("test")
    assert commands == [], "nothing changed: nothing to install"

    lock = root / "constraints.txt"
    lock.write_text(lock.read_text(encoding="utf-8").replace("numpy==", "numpy==0"), encoding="utf-8")
    tasks.ensure_venv("test")
    assert commands, "a changed lock must be installed"


def test_no_fixed_shared_paths_or_ports_in_the_set_up() -> None:
    text = (ROOT / "tasks.py").read_text(encoding="utf-8") + (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "/tmp/" not in text
    assert not re.search(r"-p \d{4,5}\b|port=\d{4,5}\b", text)


def _postgres_available() -> bool:
    return (os.name != "nt" and os.geteuid() == 0 and shutil.which("runuser") is not None
            and any(Path("/usr/lib/postgresql").glob("*/bin/initdb")))


@pytest.mark.postgres
def test_test_database_is_private_to_the_run_and_removed_even_after_a_failure(
    tasks: types.ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not _postgres_available():
        message = "needs root and Debian's postgresql (python3 tasks.py test installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    import psycopg

    monkeypatch.delenv("ENT_TEST_POSTGRES_URL", raising=False)
    folders: list[Path] = []
    with pytest.raises(RuntimeError), tasks.postgres_for_tests() as first, tasks.postgres_for_tests() as second:
        urls = [first["ENT_TEST_POSTGRES_URL"], second["ENT_TEST_POSTGRES_URL"]]
        for url in urls:
            folder = Path(re.search(r"host=([^&]+)", url).group(1))  # type: ignore[union-attr]
            port = re.search(r"port=(\d+)", url).group(1)  # type: ignore[union-attr]
            folders.append(folder)
            assert (folder / f".s.PGSQL.{port}").exists()
            with psycopg.connect(host=str(folder), port=port, user="postgres", dbname="postgres") as connection:
                assert connection.execute("SHOW listen_addresses").fetchone() == ("",)
        assert folders[0] != folders[1] and urls[0] != urls[1]
        raise RuntimeError("a test run that fails")
    for folder in folders:
        assert not folder.exists()
    assert not any(str(folder) in line for folder in folders for line in _processes())


def _processes() -> list[str]:
    return subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True, check=True).stdout.splitlines()


@pytest.mark.parametrize(("test_status", "ci_status"), [(0, 0), (1, 1), (5, 1)])
def test_ci_runs_both_readme_commands_and_no_test_is_a_failure(
    tmp_path: Path, test_status: int, ci_status: int
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "```\npython3 tasks.py demo\npython3 tasks.py test\n```" in readme
    (tmp_path / ".ci").mkdir()
    shutil.copy(ROOT / ".ci" / "run", tmp_path / ".ci" / "run")
    fake = tmp_path / "bin"
    fake.mkdir()
    calls = tmp_path / "calls"
    (fake / "python3").write_text(
        f'#!/bin/sh\necho "$*" >> {calls}\n[ "$2" = test ] && exit {test_status}\nexit 0\n', encoding="utf-8"
    )
    (fake / "python3").chmod(0o755)
    env = {**os.environ, "PATH": f"{fake}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(["bash", str(tmp_path / ".ci" / "run")], env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == ci_status, result.stderr
    assert calls.read_text(encoding="utf-8").splitlines() == ["tasks.py demo --auto", "tasks.py test"]


def test_an_interrupted_test_run_ends_every_process_it_started(tmp_path: Path) -> None:
    """SIGTERM (CI's timeout, ``kill``) to ``tasks.py test`` ends pytest and the workers pytest started."""
    pids = tmp_path / "pids"
    child = ("import os, subprocess, sys, time; "
             f"worker = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)']); "
             f"open({str(pids)!r}, 'w').write(f'{{os.getpid()}} {{worker.pid}}'); time.sleep(300)")
    script = tmp_path / "interrupted.py"
    script.write_text(
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('tasks', {str(ROOT / 'tasks.py')!r})\n"
        "tasks = importlib.util.module_from_spec(spec); spec.loader.exec_module(tasks)\n"
        "tasks._stop_on_sigterm()\n"
        f"tasks.run_group([sys.executable, '-c', {child!r}], cwd=tasks.ROOT, env=dict(__import__('os').environ))\n",
        encoding="utf-8",
    )
    runner = subprocess.Popen([sys.executable, str(script)])
    try:
        for _attempt in range(200):
            if pids.exists() and len(pids.read_text(encoding="utf-8").split()) == 2:
                break
            time.sleep(0.05)
        started = [int(pid) for pid in pids.read_text(encoding="utf-8").split()]
        runner.send_signal(signal.SIGTERM)
        assert runner.wait(timeout=30) == 128 + signal.SIGTERM
        for _attempt in range(100):
            if not any(_alive(pid) for pid in started):
                break
            time.sleep(0.05)
        assert not any(_alive(pid) for pid in started), "a process of the interrupted run is still there"
    finally:
        runner.kill()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat")
    return not (state.exists() and state.read_text().split(")")[-1].split()[0] == "Z")


@pytest.mark.parametrize(("pytest_status", "expected", "said"), [
    (-signal.SIGKILL, 1, "pytest was killed by signal SIGKILL: the run failed"),
    (PYTEST_NO_TESTS, 1, "pytest ran no test: that is a failure, not a pass"),
    (0, 0, None),
])
def test_a_test_run_whose_pytest_was_killed_or_ran_nothing_fails(
    tasks: types.ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    tmp_path: Path, pytest_status: int, expected: int, said: str | None,
) -> None:
    """A killed pytest ends with a negative status: the run must fail and say why, not exit with it."""
    _recording_run(tasks, monkeypatch, {"pytest": pytest_status})  # ruff, mypy and the bundle pass
    status = tasks._lint_and_test(argparse.Namespace(pytest_args=[]), {}, tmp_path)
    assert status == expected
    out = capsys.readouterr().out
    assert (said in out) if said else ("failed" not in out and "no test" not in out)


def _recording_run(tasks: types.ModuleType, monkeypatch: pytest.MonkeyPatch, statuses: dict[str, int]) -> list[str]:
    """Stand-ins for the commands of a test run: each returns the status given for its tool (else 0)."""
    done: list[str] = []

    def run_group(command: list[str], cwd: Path, env: dict[str, str]) -> int:
        tool = next((name for name in ("ruff", "mypy", "pytest", "build_bundle.py") if any(
            str(word).endswith(name) for word in command)), str(command[0]))
        done.append(" ".join(str(word) for word in command))
        return statuses.get(tool, 0)

    monkeypatch.setattr(tasks, "run_group", run_group)
    monkeypatch.setattr(tasks, "pip_install",
                        lambda *requirements, **kwargs: done.append("pip " + " ".join(requirements)))
    return done


def test_a_green_test_run_builds_the_bundle_with_the_locked_pyinstaller_and_smokes_it(
    tasks: types.ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(tasks.SKIP_BUNDLE, raising=False)
    done = _recording_run(tasks, monkeypatch, {})
    assert tasks._lint_and_test(argparse.Namespace(pytest_args=[]), {}, tmp_path) == 0
    assert done[-2] == f"pip {tasks.PYINSTALLER}"  # pinned by the lock: pip_install passes constraints.txt
    build = done[-1].split()
    assert build[1] == str(ROOT / "installers" / "build_bundle.py")
    assert build[2:] == ["--smoke-dir", str(tmp_path / "smoke")]  # the smoke's folders: this run's, removed after
    assert "pyinstaller" in locked()


def test_a_failed_bundle_or_smoke_fails_the_test_run(
    tasks: types.ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.delenv(tasks.SKIP_BUNDLE, raising=False)
    _recording_run(tasks, monkeypatch, {"build_bundle.py": 1})
    assert tasks._lint_and_test(argparse.Namespace(pytest_args=[]), {}, tmp_path) == 1
    assert "smoke test failed" in capsys.readouterr().out


def test_failing_tests_or_the_opt_out_build_no_bundle(
    tasks: types.ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.delenv(tasks.SKIP_BUNDLE, raising=False)
    done = _recording_run(tasks, monkeypatch, {"pytest": 1})
    assert tasks._lint_and_test(argparse.Namespace(pytest_args=[]), {}, tmp_path) == 1
    assert not any("build_bundle.py" in command for command in done)

    monkeypatch.setenv(tasks.SKIP_BUNDLE, "1")
    done = _recording_run(tasks, monkeypatch, {})
    assert tasks._lint_and_test(argparse.Namespace(pytest_args=[]), {}, tmp_path) == 0
    assert not any("build_bundle.py" in command or command.startswith("pip") for command in done)
    assert f"{tasks.SKIP_BUNDLE} is set" in capsys.readouterr().out
