"""Short step lists for the launcher's tests, named ``launcher_steps_support:<function>`` as the launcher's worker
process imports them: a step that fails the first time it runs, a step that crashes, steps that leave a mark."""

from __future__ import annotations

import os
import sys

from common.workstation import PROGRAMMER
from ent_demo.scenario import DemoStep, Scene

STAGE = "Exam day: seating and answer sheets"


def _marking(scene: Scene, name: str) -> DemoStep:
    def run() -> bool:
        print(f"   $ ent-programmer {name}")
        with (scene.root / "ran.txt").open("a", encoding="utf-8") as ran:
            ran.write(name + "\n")
        return True

    return DemoStep(f"Programmer: {name}", run, PROGRAMMER, STAGE)


def _flaky(scene: Scene) -> DemoStep:
    def run() -> bool:
        attempts = scene.root / "attempts.txt"
        count = len(attempts.read_text(encoding="utf-8")) if attempts.exists() else 0
        attempts.write_text("x" * (count + 1), encoding="utf-8")
        print("   $ ent-programmer scan --pass 1")
        if count == 0:
            print("ent-programmer: the scanner has no paper", file=sys.stderr)
            return False
        return True

    return DemoStep("Programmer: the answer sheets", run, PROGRAMMER, STAGE)


def flaky_exam(scene: Scene) -> list[DemoStep]:
    """Three steps; the second fails the first time (the scanner out of paper), then succeeds."""
    return [_marking(scene, "rooms"), _flaky(scene), _marking(scene, "codes")]


def crashing_exam(scene: Scene) -> list[DemoStep]:
    def run() -> bool:
        print("   $ ent-programmer print")
        raise RuntimeError("the printer caught fire")

    return [DemoStep("Programmer: print", run, PROGRAMMER, STAGE)]


def one_step(scene: Scene) -> list[DemoStep]:
    return [_marking(scene, "rooms")]


def two_steps(scene: Scene) -> list[DemoStep]:
    return [_marking(scene, "rooms"), _marking(scene, "codes")]


def dying_exam(scene: Scene) -> list[DemoStep]:
    """One step whose process dies the first time (as a crash of a native library would end it)."""

    def run() -> bool:
        died = scene.root / "died.txt"
        print("   $ ent-programmer scan --pass 2")
        if not died.exists():
            died.write_text("once", encoding="utf-8")
            sys.stdout.flush()
            os._exit(3)
        return True

    return [DemoStep("Programmer: the second pass", run, PROGRAMMER, STAGE)]
