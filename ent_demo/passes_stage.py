"""The demo's admission passes (issue 13), after the distribution stage: each school's passes with
stubs (ch. 21) and register of issued passes (прил. 6), each stream's room folders (п. 32.1) and site
journal (прил. 17, two copies), and the journal of changes (прил. 13). Every print runs the
command a user types and stays in the workstation's ``printed/`` (``applications/printed/``).
"""

from __future__ import annotations

import json
from pathlib import Path

from common.i18n import _
from common.workstation import APPLICATIONS
from ent_demo.scenario import DemoStep, Scene, pdf_text, run

FORMS = ("passes-register", "room-folders", "site-journal", "journal-of-changes")


def passes_steps(scene: Scene) -> list[DemoStep]:
    return [DemoStep(_("Applications: admission passes with stubs, their register, room folders and journals"),
                     lambda: print_passes_stage(scene), APPLICATIONS)]


def _printed(scene: Scene, *args: str) -> list[Path]:
    code, out = run(scene, APPLICATIONS, *args, "--json", capture=True)
    if code != 0:
        return []
    return [Path(item["path"]) for item in json.loads(out)["files"]]


def print_passes_stage(scene: Scene) -> bool:
    """Print the passes and the registers of the distributed site; True when every print is made and
    the passes read back with their stubs."""
    passes = _printed(scene, "passes", "print")
    if not passes or not all(pdf_text(path).count("ИКТ") + pdf_text(path).count("ТЖК") >= 2 for path in passes):
        return False
    return all(_printed(scene, "print", form) for form in FORMS)
