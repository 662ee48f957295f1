"""The demo's exam-day prints on the programmer's workstation (issue 14), run after the seating draw:
for every stream whose seats are drawn, the seating lists with the booklet hand-out order (прил. 5
Правил), the room lists, the hand-out order on the desk plans once НЦТ's variants file is here, and
the blanks for the representatives, in Kazakh and Russian — the same ``ent-programmer print …``
commands a user types. The PDFs stay in the programmer's ``printed/``.

The demo calls :func:`print_exam_day_stage` after its draw step (see :func:`exam_day_steps`).
"""

from __future__ import annotations

from common.i18n import _
from common.workstation import PROGRAMMER
from ent_demo.scenario import DemoStep, Scene, run, run_json

LANGUAGES = ("kk", "ru")
MAX_STREAMS = 20


def exam_day_steps(scene: Scene) -> list[DemoStep]:
    return [DemoStep(_("Programmer: the exam-day prints of the drawn streams"), lambda: print_exam_day_stage(scene),
                     PROGRAMMER)]


def drawn_streams(scene: Scene) -> list[int]:
    """The streams of the taken-over database whose seats are drawn (stream numbers run from 1)."""
    drawn = []
    for number in range(1, MAX_STREAMS + 1):
        shown = run_json(scene, "draw", "show", "--stream", str(number))
        if not isinstance(shown, dict):
            break
        if shown.get("draw"):
            drawn.append(number)
    return drawn


def print_exam_day_stage(scene: Scene) -> bool:
    """Print everything of the exam morning for each drawn stream; False when nothing is drawn or a print fails.

    A stream whose seating lists are already in ``printed/`` is not printed again (the demo may be rerun).
    """
    streams = drawn_streams(scene)
    if not streams:
        print(_("   no stream's seats are drawn yet: nothing to print"), flush=True)
        return False
    printed = scene.folder(PROGRAMMER) / "printed"
    for stream in streams:
        if any(printed.glob(f"seating-list_stream-{stream}_*.pdf")):
            continue
        variants = run_json(scene, "variants", "show", "--stream", str(stream))
        forms = ["seating", "room-lists", "acts"]
        if isinstance(variants, dict) and variants.get("variants_file"):
            forms.append("handout")
        for language in LANGUAGES:
            for form in forms:
                if run(scene, PROGRAMMER, "print", form, "--stream", str(stream), "--language", language)[0]:
                    return False
    return True
