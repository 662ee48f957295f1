"""Test-only crash points: ``ENT_CRASH_AT=name`` makes the process die at that point, as ``kill -9`` would."""

import os


def armed(name: str) -> bool:
    """Whether the environment names this crash point (to prepare it, e.g. flush what the crash should find)."""
    return os.environ.get("ENT_CRASH_AT") == name


def crash_point(name: str) -> None:
    """Die at once, without cleanup, when the environment names this point (tests only)."""
    if armed(name):
        os._exit(137)
