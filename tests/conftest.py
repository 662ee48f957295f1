"""Test-wide setup: Qt offscreen, private settings and data folders, the language reset after each test."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True, scope="session")
def _private_data_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Default data folders and saved settings (the user's language) belong to this run, not to the user."""
    private = {"XDG_DATA_HOME": "data-home", "ENT_ARM_CONFIG_DIR": "config-home"}  # module fixtures too
    before = {name: os.environ.get(name) for name in private}
    for name, folder in private.items():
        os.environ[name] = str(tmp_path_factory.mktemp(folder))
    yield
    for name, value in before.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(autouse=True)
def _writes_to_a_closed_pipe_raise() -> None:
    """Python ignores SIGPIPE (a write to a closed pipe raises BrokenPipeError); native libraries loaded by
    the tests may set it back to "terminate", and a fresh-clone run once ended with pytest killed by
    signal 13. Ignoring it again before each test keeps one library from ending the whole run."""
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)


@pytest.fixture(autouse=True)
def _private_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from common import i18n

    monkeypatch.setenv("ENT_ARM_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
    monkeypatch.setenv("ENT_OPERATOR", "test-operator")
    before = i18n.current_language()
    yield
    i18n.set_language(before)


@pytest.fixture
def workstation_dir(tmp_path: Path) -> Path:
    """An empty folder path for ``init --data-dir``."""
    return tmp_path / "workstation"


def pytest_unconfigure(config: pytest.Config) -> None:
    """Worker processes still alive when the run ends would keep pytest from exiting (a pool's manager thread
    waits for them at exit); end them, and say so, so that a leak shows without hanging the run."""
    import multiprocessing
    import sys

    leftover = multiprocessing.active_children()
    for child in leftover:
        child.terminate()
    for child in leftover:
        child.join(timeout=5)
    if leftover:
        print(f"\nconftest: ended {len(leftover)} worker process(es) left running by the tests", file=sys.stderr)
