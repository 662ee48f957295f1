"""The demo's stage on the programmer's workstation (issue 14): the applicant database taken over (the
previous stage), two lines of the journal of changes (прил. 13) entered and the database closed; НЦТ
seals stream 1's test specification and variants file and the programmer takes them; on the exam
morning the seats of stream 1 are drawn with the code НЦТ dictates — a second draw is refused — and
the state commission seats one applicant late in the reserve room. The exam day's prints (seating
lists, hand-out order, the representatives' forms) go to the programmer's ``printed/`` through
:func:`ent_demo.exam_day_stage.exam_day_steps`.
"""

from __future__ import annotations

from common.i18n import _, current_language
from common.workstation import NCT, PROGRAMMER
from ent_demo.exam_day_stage import exam_day_steps
from ent_demo.scenario import (
    NCT_PASSWORD,
    SITE_CODE,
    DemoStep,
    Scene,
    _secret_descriptor,
    program,
    run,
    run_json,
    workstation_session,
)

STREAM = 1
COMMISSION_MEMBER = "Сейітов Бауыржан"


def programmer_steps(scene: Scene) -> list[DemoStep]:
    return [
        DemoStep(_("Programmer: two lines of the journal of changes, then the database closed"),
                 lambda: _changes_and_close(scene), PROGRAMMER),
        DemoStep(_("NTC: stream 1's test specification and variants file, taken by the programmer"),
                 lambda: _variants(scene), NCT),
        DemoStep(_("Programmer: the seating draw of stream 1 with NTC's code (a second draw refused), a late seating"),
                 lambda: _draw(scene), PROGRAMMER),
        *exam_day_steps(scene),
    ]


def _password(scene: Scene) -> str | None:
    return scene.passwords.get(PROGRAMMER.code)


def _with_code(scene: Scene, code: str, *args: str) -> int:
    """A programmer's command that reads the code НЦТ dictated: from a descriptor, never on the command line."""
    command = [*args, "--data-dir", str(scene.folder(PROGRAMMER)), "--lang", current_language()]
    with _secret_descriptor(code) as descriptor:
        assert descriptor is not None
        print(f"   $ {PROGRAMMER.program} {' '.join(args)} --code-fd 3 3<code-dictated-by-NTC", flush=True)
        return program(PROGRAMMER)([*command, "--code-fd", str(descriptor)])


def _journal_lines(scene: Scene) -> list[tuple[str, str, str]]:
    """What the secretaries wrote into the journal of changes (прил. 13) after the closing: a double surname
    the grid could not hold (п. 94.1) and a patronymic left out — the ИКТ read off the paper journal."""
    from sqlalchemy import select

    from common.db.models import Applicant, Application, ApplicationStatus, IktRow, Sex

    with workstation_session(scene, PROGRAMMER) as session:
        people = session.execute(
            select(IktRow.ikt, Applicant.surname, Applicant.patronymic, Applicant.sex)
            .join(Application, Application.ikt_row_id == IktRow.id)
            .join(Applicant, Application.applicant_id == Applicant.id)
            .where(Application.status != ApplicationStatus.ANNULLED).order_by(IktRow.ikt)).all()
    if len(people) < 2:
        return []
    first, surname, _patronymic, sex = people[0]
    second, _surname, _none, other_sex = next((person for person in people[1:] if not person[2]), people[1])
    return [(first, "surname", f"{surname}-Әлиев" if sex == Sex.MALE else f"{surname}-Әлиева"),
            (second, "patronymic", "Серікұлы" if other_sex == Sex.MALE else "Серікқызы")]


def _changes_and_close(scene: Scene) -> bool:
    listed = run_json(scene, "changes", "list")
    if not isinstance(listed, dict):
        return False
    if not listed["changes"]:
        lines = _journal_lines(scene)
        if not lines:
            return False
        for row, (ikt, field, value) in enumerate(lines, start=1):
            if run(scene, PROGRAMMER, "changes", "add", "--ikt", ikt, "--field", field, "--value", value, "--row",
                   str(row))[0]:
                return False
        if run(scene, PROGRAMMER, "changes", "list")[0]:
            return False
    state = run_json(scene, "handover", "show")
    if not isinstance(state, dict):
        return False
    return bool(state.get("takeover_closed_at")) or run(scene, PROGRAMMER, "close")[0] == 0


def _variants(scene: Scene) -> bool:
    shown = run_json(scene, "variants", "show", "--stream", str(STREAM))
    if isinstance(shown, dict) and shown.get("variants_file") and shown.get("specification"):
        return True
    sent = run_json(scene, "variants", "send", "--site", SITE_CODE, "--stream", str(STREAM), "--spec", "ent2018",
                    "--out", str(scene.exchange), password=NCT_PASSWORD, workstation=NCT)
    if not isinstance(sent, dict):
        return False
    for path in (sent["specification_path"], sent["path"]):
        if run(scene, PROGRAMMER, "variants", "import", path, password=_password(scene))[0]:
            return False
    return run(scene, PROGRAMMER, "variants", "show", "--stream", str(STREAM))[0] == 0


def _draw(scene: Scene) -> bool:
    shown = run_json(scene, "draw", "show", "--stream", str(STREAM))
    if not isinstance(shown, dict):
        return False
    if shown["draw"] is None:
        issued = run_json(scene, "password", "issue", "--site", SITE_CODE, "--purpose", "seating-draw", "--stream",
                          str(STREAM), "--out", str(scene.exchange), password=NCT_PASSWORD, workstation=NCT)
        if not isinstance(issued, dict) or run(scene, PROGRAMMER, "package", "open", str(issued["package"]),
                                               password=_password(scene))[0]:
            return False
        if _with_code(scene, str(issued["code"]), "draw", "--stream", str(STREAM)) != 0:
            return False
        print(_("   the draw happens once: a second attempt is refused and written to the audit log"))
        if _with_code(scene, str(issued["code"]), "draw", "--stream", str(STREAM)) == 0:
            return False
        shown = run_json(scene, "draw", "show", "--stream", str(STREAM))
        if not isinstance(shown, dict):
            return False
    if not any(seat["late"] for seat in shown["seats"]):
        kk = [seat for seat in shown["seats"] if seat["language_status"] == "kk"]
        # the secretary wrote Kazakh for an applicant who takes the test in English with history in Russian:
        # the state commission seats the applicant in the en-ru reserve room (п. 130)
        if not kk or run(scene, PROGRAMMER, "late-seat", "--ikt", kk[-1]["ikt"], "--member", COMMISSION_MEMBER,
                         "--language", "en-ru")[0]:
            return False
    return run(scene, PROGRAMMER, "draw", "show", "--stream", str(STREAM))[0] == 0
