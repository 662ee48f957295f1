"""The demo's stage after the applications (issue 13): the technical secretaries' journals (прил. 33),
the database closed with the code НЦТ dictates (a wrong code first, then a later edit refused), the
final applicant file to НЦТ, НЦТ's room opening, the distribution with its прил. 2, the counts per room
back to НЦТ, and the hand-over of the closed database to the programmer's workstation. The prints
stay in the applications workstation's ``printed/``; the packages are imported by НЦТ.

The demo site has no room for English takers with history in Russian in stream 1, whom the
applications stage registers: the site expert adds one (the reserve room 07) in АРМ «База ППЕНТ»
and sends the site database again before НЦТ opens the rooms.
"""

from __future__ import annotations

from pathlib import Path

from common.i18n import _
from common.workstation import APPLICATIONS, BASE_PPENT, NCT, PROGRAMMER, Workstation
from ent_demo.scenario import NCT_PASSWORD, SITE_CODE, DemoStep, Scene, run, run_json


def closing_steps(scene: Scene) -> list[DemoStep]:
    return [
        DemoStep(_("Applications: closing with NTC's code and the final file to NTC"), lambda: _close(scene),
                 APPLICATIONS),
        DemoStep(_("Applications: rooms opened by NTC, distribution, прил. 2 and the counts to NTC"),
                 lambda: _distribute(scene), APPLICATIONS),
    ]


def handover_steps(scene: Scene) -> list[DemoStep]:
    return [DemoStep(_("Applications: the closed database handed over to the programmer"), lambda: _handover(scene),
                     APPLICATIONS)]


def _password(scene: Scene, workstation: Workstation = APPLICATIONS) -> str | None:
    return scene.passwords.get(workstation.code)


def outbox_packages(scene: Scene, workstation: Workstation, kind: str) -> list[Path]:
    return sorted((scene.folder(workstation) / "outbox").glob(f"*_{kind}_*.entpkg"))


def _close(scene: Scene) -> bool:
    if outbox_packages(scene, APPLICATIONS, "applicants"):
        return True
    listed = run_json(scene, "journals", "list", workstation=APPLICATIONS)
    if not isinstance(listed, list):
        return False
    schools = [state["school"] for state in listed if state["rows"]]
    for school in schools:
        for language in ("kk", "ru"):
            if run(scene, APPLICATIONS, "print", "secretary-journal", "--school", school, "--language", language)[0]:
                return False
    issued = run_json(scene, "password", "issue", "--site", SITE_CODE, "--purpose", "close-applications",
                   password=NCT_PASSWORD, workstation=NCT)
    if not isinstance(issued, dict):
        return False
    print(_("   a mistyped code first: refused and counted"))
    from common.security.codes import generate_code

    if run(scene, APPLICATIONS, "close", dictated=generate_code())[0] == 0:
        return False
    if run(scene, APPLICATIONS, "close", dictated=str(issued["code"]))[0] != 0:
        return False
    print(_("   a later change is refused: the database is closed"))
    if run(scene, APPLICATIONS, "secretaries", "add", "--school", schools[0], "--name", "Ахметова Сая")[0] == 0:
        return False
    final = run_json(scene, "send", "final", password=_password(scene), workstation=APPLICATIONS)
    if not isinstance(final, dict):
        return False
    return run(scene, NCT, "import", final["path"], password=NCT_PASSWORD)[0] == 0


def _distribute(scene: Scene) -> bool:
    if outbox_packages(scene, APPLICATIONS, "room-counts"):
        return True
    # the English takers with history in Russian need a room of their status in stream 1 (п. 80.2)
    if run(scene, BASE_PPENT, "rooms", "use", "07", "--stream", "1", "--language", "en-ru", "--reserve")[0]:
        return False
    sent = run_json(scene, "send", password=_password(scene, BASE_PPENT), workstation=BASE_PPENT)
    if not isinstance(sent, dict) or run(scene, NCT, "import", sent["path"], password=NCT_PASSWORD)[0]:
        return False
    opening = run_json(scene, "rooms", "open", "--site", SITE_CODE, "--out", str(scene.exchange),
                    password=NCT_PASSWORD, workstation=NCT)
    if not isinstance(opening, dict):
        return False
    steps: list[tuple[tuple[str, ...], str | None]] = [
        (("rooms", "import", opening["path"]), _password(scene)),
        (("rooms", "list"), None),
        (("distribute",), None),
        (("print", "distribution", "--language", "kk"), None),
        (("print", "distribution", "--language", "ru"), None),
    ]
    if any(run(scene, APPLICATIONS, *args, password=password)[0] for args, password in steps):
        return False
    counts = run_json(scene, "send", "counts", password=_password(scene), workstation=APPLICATIONS)
    if not isinstance(counts, dict) or run(scene, NCT, "import", counts["path"], password=NCT_PASSWORD)[0]:
        return False
    return run(scene, NCT, "rooms", "counts", "--site", SITE_CODE)[0] == 0


def _handover(scene: Scene) -> bool:
    shown = run_json(scene, "handover", "show", workstation=PROGRAMMER)
    if isinstance(shown, dict) and shown.get("closed_at"):
        return True
    certificates = run_json(scene, "site", "certificates", "--site", SITE_CODE, "--role", APPLICATIONS.code,
                         "--out", str(scene.exchange), password=NCT_PASSWORD, workstation=NCT)
    if not isinstance(certificates, dict) or run(scene, APPLICATIONS, "package", "open", certificates["path"],
                                                 password=_password(scene))[0]:
        return False
    sent = run_json(scene, "send", "handover", password=_password(scene), workstation=APPLICATIONS)
    if not isinstance(sent, dict):
        return False
    if run(scene, PROGRAMMER, "handover", "import", sent["path"], password=_password(scene, PROGRAMMER))[0]:
        return False
    return run(scene, PROGRAMMER, "handover", "show")[0] == 0
