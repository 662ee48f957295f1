"""Test-only crash points: ``ENT_CRASH_AT=name`` makes the process die at that point, as ``kill -9`` would."""

import os


def crash_point(name: str) -> None:
    """Die at once, without cleanup, when the environment names this point (tests only)."""
    if os.environ.get("ENT_CRASH_AT") == name:
        os._exit(137)
