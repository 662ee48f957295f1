"""``python -m ent_demo.step_worker --data-dir D [--steps module:function]``: the launcher's steps, run one at a time
in a process of their own.

The launcher writes a step's index and the language on a line (``3 kk``: the step in the language the window
speaks when it starts it — the worker takes no language of its own); the worker runs that step of the exam and
prints what ``--auto`` prints for it, then :data:`DONE`, the index and 1 or 0 on a line of their own. The worker
keeps the demo's scene (the passwords read off НЦТ's sheets) from one step to the next, as ``--auto`` does; a worker
started on a folder whose workstations are enrolled already reads those passwords off the sheets again.

The steps run outside the window's process: a step imports half the suite, and imports in a thread of a Qt
program go through PySide's import hook, which is not safe there.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from common import i18n
from common.workstation import WORKSTATIONS
from ent_demo.scenario import DemoStep, Scene, enrolment_package, password_on, run_step

DONE = "\x1e"
"""Starts the line that ends a step (ASCII's record separator: no program prints it)."""
STEPS = "ent_demo.scenario:steps"


def load_steps(dotted: str) -> Callable[[Scene], list[DemoStep]]:
    """The step list ``module:function`` names (the exam's, or a test's)."""
    module, _sep, name = dotted.partition(":")
    factory: Callable[[Scene], list[DemoStep]] = getattr(importlib.import_module(module), name)
    return factory


def recall_passwords(scene: Scene) -> None:
    """The workstations' passwords, read off the enrolment sheets НЦТ printed in ``exchange/``, as the enrolment
    steps read them."""
    for workstation in WORKSTATIONS:
        password = password_on(enrolment_package(scene, workstation).with_suffix(".pdf"))
        if password is not None:
            scene.passwords[workstation.code] = password


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ent-demo-steps")
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--steps", default=STEPS)
    args = parser.parse_args(argv)
    factory = load_steps(args.steps)
    scene = Scene(args.data_dir)
    recall_passwords(scene)
    sys.stderr = sys.stdout  # one stream, in the order it was written: the launcher shows it as it comes
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        index, language = int(words[0]), (words[1] if len(words) > 1 else i18n.current_language())
        i18n.set_language(language)
        step = factory(scene)[index]  # made again: its title in the language asked
        ok = run_step(index + 1, step, language, contain_crash=True)  # the window stays: a crash fails the step
        print(f"{DONE}{index} {int(ok)}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
