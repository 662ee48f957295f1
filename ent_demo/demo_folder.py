"""What a demo folder holds — nothing yet, a demo that did not reach its end, or a finished demo — and starting
it again.

A demo whose every step succeeded leaves :data:`FINISHED` (when, and how many steps) in its folder, whether
``--auto`` ran it or the launcher did. Starting again empties the folder, but only of what the demo makes there:
a folder that holds anything else (a ``--data-dir`` pointed at the wrong place) is refused, nothing deleted.
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from enum import Enum
from pathlib import Path

from common.errors import Refused
from common.i18n import _
from common.workstation import ALL_PROGRAMS

FINISHED = "demo-finished.json"
MADE_BY_THE_DEMO = frozenset({
    *(program.code for program in ALL_PROGRAMS),
    "exchange", "forms", "application-scans", FINISHED,
})
"""The names the demo makes at the top of its folder: the workstations' data folders, the exchange folder between
them, the forms index, the application forms the simulated scanner gave and the mark of a finished demo."""


class FolderState(Enum):
    EMPTY = "empty"
    STARTED = "started"
    FINISHED = "finished"


def state(root: Path) -> FolderState:
    if (root / FINISHED).is_file():
        return FolderState.FINISHED
    if root.is_dir() and any(root.iterdir()):
        return FolderState.STARTED
    return FolderState.EMPTY


def mark_finished(root: Path, steps: int) -> None:
    """Every one of ``steps`` succeeded: say so in the folder, for the launcher that opens it next."""
    when = datetime.now().astimezone().isoformat(timespec="seconds")
    (root / FINISHED).write_text(json.dumps({"finished": when, "steps": steps}) + "\n", encoding="utf-8")


def forget_finished(root: Path) -> None:
    """The steps run again over the folder: it is a finished demo again only when they all succeed again."""
    (root / FINISHED).unlink(missing_ok=True)


def finished_at(root: Path) -> str | None:
    """When the demo in ``root`` finished (``2027-06-20 14:03``), or None."""
    try:
        when = json.loads((root / FINISHED).read_text(encoding="utf-8"))["finished"]
        return datetime.fromisoformat(str(when)).strftime("%Y-%m-%d %H:%M")
    except (OSError, ValueError, KeyError, TypeError):
        return None


def foreign(root: Path) -> list[str]:
    """The names at the top of ``root`` the demo did not make."""
    if not root.is_dir():
        return []
    return sorted(path.name for path in root.iterdir() if path.name not in MADE_BY_THE_DEMO)


def clear(root: Path) -> None:
    """Delete everything the demo made in ``root``; refused, nothing deleted, when ``root`` holds anything else."""
    strangers = foreign(root)
    if strangers:
        raise Refused(_("The demo folder {path} holds files the demo did not make ({names}); nothing was deleted. "
                        "Empty it yourself or choose another folder with --data-dir.").format(
            path=root, names=", ".join(strangers[:5])))
    for path in sorted(root.iterdir()) if root.is_dir() else []:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
