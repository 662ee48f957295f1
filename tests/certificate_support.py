"""What the АРМ «Сертификат» command tests share: the workstation's command and the stage it works on — stream 1
identified, scored and the peers' certificates taken, ready for its certificate file (п. 214–215)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from applications_support import ok
from exchange_support import Run, Scene, run_cli
from programmer_support import identified_stream, programmer, three_passwords

if TYPE_CHECKING:
    from common.scanning.simulated import SimulatedSheet


def certificate(scene: Scene, *args: str) -> Run:
    """``ent-certificate ARGS`` on the scene's certificate workstation, its password in the environment."""
    from arm_certificate.cli import build

    return run_cli(build(), [*args, "--data-dir", str(scene.folder("certificate"))],
                   ENT_PASSWORD=scene.passwords["certificate"])


class Stage:
    """A module's scene and what its tests, run in order, hand on to the next in :attr:`facts`."""

    def __init__(self, scene: Scene) -> None:
        self.scene = scene
        self.facts: dict[str, Any] = {}


def scored_scene(tmp_path_factory: pytest.TempPathFactory) -> tuple[Scene, dict[str, SimulatedSheet]]:
    """Stream 1 identified, its answer codes opened and scored; the site's certificate workstation enrolled and its
    certificate taken by the programmer (the certificate file can be sealed to it). With the paper sheets by role
    (:func:`programmer_support.identified_stream`)."""
    scene, passwords, paper = identified_stream(tmp_path_factory)
    ok(programmer(scene, "codes", "open", "--stream", "1", **three_passwords(passwords)))
    ok(programmer(scene, "score", "--stream", "1"))
    scene.enrol("certificate")
    peers = ok(scene.nct("site", "certificates", "--site", "017", "--role", "programmer", "--out",
                         str(scene.out), "--json")).json()
    ok(programmer(scene, "package", "open", peers["path"]))
    return scene, paper


def scored_stage(tmp_path_factory: pytest.TempPathFactory) -> Stage:
    """:func:`scored_scene` as a module's :class:`Stage`."""
    return Stage(scored_scene(tmp_path_factory)[0])
