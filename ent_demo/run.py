"""``python -m ent_demo [--auto] [--data-dir D]``: the demo exam, stepped through in the launcher window.

With a display the launcher opens at once and runs the exam's steps one by one or to the end, each workstation's
window a click away. With ``--auto`` (or without a display) every step runs headless through the same commands a
user types, and the demo exits 0 when all of them succeeded.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import platformdirs

from common import i18n
from common.i18n import _
from common.workstation import WORKSTATIONS
from ent_demo.demo_folder import forget_finished, mark_finished
from ent_demo.scenario import Scene, run_step, steps


def default_demo_dir() -> Path:
    return Path(platformdirs.user_data_dir("ent-arm", appauthor=False)) / "demo"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ent-demo", description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--auto", action="store_true", help="run every step headless and exit")
    parser.add_argument("--data-dir", type=Path, default=None, help="folder for the demo workstations")
    parser.add_argument("--lang", choices=i18n.LANGUAGES, default=None)
    args = parser.parse_args(argv)
    language = i18n.resolve_language(args.lang, None)
    i18n.set_language(language)
    root = (args.data_dir or default_demo_dir()).expanduser().resolve()
    root.mkdir(parents=True, exist_ok=True)
    headless = args.auto or (
        sys.platform.startswith("linux") and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")
    )
    if not headless:
        from ent_demo.launcher import run_launcher

        return run_launcher(root, WORKSTATIONS)
    print(_("Demo folder: {path}").format(path=root), flush=True)
    failures = 0
    forget_finished(root)  # finished again only if every step succeeds again
    exam = steps(Scene(root))
    for number, step in enumerate(exam, start=1):
        print(flush=True)
        failures += not run_step(number, step, language)
    if failures:
        print(_("{count} demo steps failed.").format(count=failures), file=sys.stderr)
        return 1
    mark_finished(root, len(exam))
    print("\n" + _("Demo finished: every step succeeded."))
    return 0
