"""The demo's passes stage on a distributed database built here (the lead runs it after the
distribution stage): every print lands in ``applications/printed/``."""

from __future__ import annotations

from pathlib import Path

from passes_support import distributed_folder

from common.i18n import set_language
from common.workstation import APPLICATIONS
from ent_demo.passes_stage import print_passes_stage
from ent_demo.scenario import Scene


def test_the_passes_stage_prints_the_passes_and_the_registers(tmp_path: Path) -> None:
    scene = Scene(tmp_path / "demo")
    folder = distributed_folder(scene.folder(APPLICATIONS))
    set_language("ru")
    assert print_passes_stage(scene)
    printed = sorted(path.name.split("_")[0] for path in folder.printed.glob("*.pdf"))
    assert printed == ["journal-of-changes", *["passes"] * 3, *["passes-register"] * 3, *["room-folders"] * 2,
                       *["site-journal"] * 2]


def test_the_passes_stage_fails_before_the_distribution(tmp_path: Path) -> None:
    from passes_support import applications_folder

    scene = Scene(tmp_path / "demo")
    applications_folder(scene.folder(APPLICATIONS))
    assert not print_passes_stage(scene)
