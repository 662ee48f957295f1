"""``python -m ent_demo [--auto] [--data-dir D]``: prepare demo folders, then open the launcher.

With ``--auto`` (or without a display) every step runs headless through the same commands a user
types, and the demo exits 0 when all of them succeeded.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from common import i18n
from common.i18n import _
from common.testspec import random_answer_key, score_sheet, shipped_spec
from common.workstation import ALL_PROGRAMS, WORKSTATIONS, Workstation


@dataclass(frozen=True)
class DemoStep:
    title: str
    run: Callable[[], bool]


def default_demo_dir() -> Path:
    return Path(platformdirs.user_data_dir("ent-arm", appauthor=False)) / "demo"


def program_main(workstation: Workstation) -> Callable[[Sequence[str]], int]:
    module = importlib.import_module(f"{workstation.package}.cli")
    main: Callable[[Sequence[str]], int] = module.main
    return main


def workstation_folder(root: Path, workstation: Workstation) -> Path:
    return root / workstation.code


def prepare(root: Path) -> list[DemoStep]:
    """The demo's steps; each prints what it does through the programs' own commands."""
    steps: list[DemoStep] = []
    for workstation in WORKSTATIONS:
        folder = workstation_folder(root, workstation)
        main = program_main(workstation)

        def init_and_check(main: Callable[[Sequence[str]], int] = main, folder: Path = folder) -> bool:
            if not (folder / "workstation.sqlite").exists() and main(["init", "--data-dir", str(folder)]) != 0:
                return False
            return main(["info", "--data-dir", str(folder)]) == 0 and main(
                ["audit", "verify", "--data-dir", str(folder)]
            ) == 0

        steps.append(DemoStep(_("Workstation folder: {title}").format(title=_(workstation.title)), init_and_check))
    steps.append(DemoStep(_("Scoring a perfect ENT answer sheet"), _score_perfect_sheet))
    return steps


def _score_perfect_sheet() -> bool:
    spec = shipped_spec("ent2018")
    variant = spec.variants[0]
    key = random_answer_key(spec, [variant], seed=2018)
    profile = [choice.code for choice in spec.profile_subject_choices[: len(spec.profile_slot_subjects)]]
    chosen = dict(zip((slot.code for slot in spec.profile_slot_subjects), profile, strict=True))
    answers = {
        subject.code: {
            task.number: "".join(sorted(key.correct(variant, chosen.get(subject.code, subject.code), task.number)))
            for task in subject.tasks
        }
        for subject in spec.subjects
    }
    result = score_sheet(spec, key, variant, answers, profile)
    print(_("Perfect sheet: {total} of {maximum} points").format(total=result.total, maximum=result.max_total))
    return result.total == result.max_total


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ent-demo", description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--auto", action="store_true", help="run every step headless and exit")
    parser.add_argument("--data-dir", type=Path, default=None, help="folder for the demo workstations")
    parser.add_argument("--lang", choices=i18n.LANGUAGES, default=None)
    args = parser.parse_args(argv)
    i18n.set_language(i18n.resolve_language(args.lang, None))
    root = (args.data_dir or default_demo_dir()).expanduser().resolve()
    root.mkdir(parents=True, exist_ok=True)
    print(_("Demo folder: {path}").format(path=root), flush=True)
    failures = 0
    for number, step in enumerate(prepare(root), start=1):
        print(f"\n== {number}. {step.title}", flush=True)
        ok = step.run()
        failures += not ok
        print(_("   ok") if ok else _("   FAILED"), flush=True)
    headless = args.auto or (
        sys.platform.startswith("linux") and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")
    )
    if failures:
        print(_("{count} demo steps failed.").format(count=failures), file=sys.stderr)
        return 1
    if headless:
        print("\n" + _("Demo finished: every step succeeded."))
        return 0
    from ent_demo.launcher import run_launcher

    return run_launcher(root, ALL_PROGRAMS)
