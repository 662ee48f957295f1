"""The demo's АРМ «Заявления ЕНТ» stage (issue 11): the plan from НЦТ, secretaries and journals,
three schools' application forms filled and scanned by the simulated scanner — Kazakh and Russian
names, one with a bad ИИН, one changed, one annulled — the flags fixed, each school's prints, and
the daily statistics that НЦТ's figures count. Its prints stay in the workstation's ``printed/``.
"""

from __future__ import annotations

import json

from common import codebook
from common.i18n import _
from common.workstation import APPLICATIONS, NCT
from ent_demo.scenario import NCT_PASSWORD, SITE_CODE, DemoStep, Scene, run, run_json


def applications_steps(scene: Scene) -> list[DemoStep]:
    return [
        DemoStep(_("Applications: the site plan from NTC, technical secretaries and journals"),
                 lambda: _plan_and_journals(scene), APPLICATIONS),
        DemoStep(_("Applications: three schools' forms scanned, reviewed and printed"), lambda: _scan_schools(scene),
                 APPLICATIONS),
        DemoStep(_("Applications: daily statistics to NTC and national figures"), lambda: _daily(scene), APPLICATIONS),
    ]


def _password(scene: Scene) -> str | None:
    return scene.passwords.get(APPLICATIONS.code)


def _schools(scene: Scene) -> list[str]:
    plan = run_json(scene, "plan", "show", workstation=APPLICATIONS)
    if not isinstance(plan, dict):
        return []
    return [school["school"] for school in plan["schools"] if school["stream"] == 1][:3]


def _plan_and_journals(scene: Scene) -> bool:
    if run_json(scene, "plan", "show", workstation=APPLICATIONS) is None:
        code, out = run(scene, NCT, "plan", "send", "--site", SITE_CODE, "--out", str(scene.exchange), "--json",
                        password=NCT_PASSWORD, capture=True)
        if code != 0 or run(scene, APPLICATIONS, "plan", "import", json.loads(out)["path"],
                            password=_password(scene))[0] != 0:
            return False
    schools = _schools(scene)
    if len(schools) < 3:
        return False
    if not run_json(scene, "secretaries", "list", workstation=APPLICATIONS):
        for school, name in zip(schools, ("Серікбаева Гүлнар Асқарқызы", "Иванова Ольга Петровна",
                                          "Нұрланов Ерлан Болатұлы"), strict=True):
            if run(scene, APPLICATIONS, "secretaries", "add", "--school", school, "--name", name, "--approved")[0]:
                return False
    steps: list[tuple[str, ...]] = [("print", "secretaries"), ("print", "directory")]
    steps += [("journals", "print", "--school", school) for school in schools]
    return all(run(scene, APPLICATIONS, *step)[0] == 0 for step in steps)


def _iin(born: str, sex: str, serial: int) -> str:
    while True:
        first = f"{born}{'5' if sex == 'M' else '6'}{serial:04d}"
        check = codebook.iin_check_digit(first)
        if check is not None:
            return f"{first}{check}"
        serial += 1


def _forms(school: str, ikts: list[str], index: int) -> tuple[list[object], list[object]]:
    """The school's first batch of forms and, after review, its changes and annulments."""
    from common.omr.synth import group_answers
    from common.scanning.simulated import SimulatedSheet
    from forms.registry import get_layout
    from nct_hub import sample_data

    layout = get_layout("application")
    directories = sample_data.generate_directories()
    region, district, code = school.split("/")

    def sheet(ikt: str, surname: str, name: str, sex: str, iin: str, language: str = "kk", history: str = "",
              patronymic: str = "", changed: bool = False, annulled: bool = False) -> object:
        answers: dict[str, str] = {}
        for group, text in (("surname", codebook.grid_form_of_name(surname)),
                            ("name", codebook.grid_form_of_name(name)),
                            ("patronymic", codebook.grid_form_of_name(patronymic)), ("ikt", ikt), ("iin", iin),
                            ("citizenship", directories.citizenships[0].code),
                            ("nationality", directories.nationalities[0].code),
                            ("region", region), ("district", district), ("school", code)):
            answers.update(group_answers(layout, group, text))
        answers.update({"sex": sex, "language": language, "history_language": history,
                        "changed": "Y" if changed else "", "annulled": "Y" if annulled else ""})
        return SimulatedSheet(answers=answers)

    people = [
        ("Әбілқайыр", "Ұлжан", "F", _iin("080315", "F", 10 + index), "kk", "", "Серікқызы"),
        ("Лёвин", "Артём", "M", _iin("071102", "M", 20 + index), "ru", "", "Сергеевич"),
        ("Жақсылықов", "Нұрсұлтан", "M", _iin("080707", "M", 30 + index), "kk", "", ""),
        ("Смит", "Джон", "M", "080101", "en", "ru", ""),
    ]
    first = []
    for ikt, (surname, name, sex, iin, language, history, patronymic) in zip(ikts, people, strict=False):
        if index == 0 and surname == "Жақсылықов":
            iin = iin[:11] + str((int(iin[11]) + 1) % 10)  # a bad ИИН: the check digit is wrong
        first.append(sheet(ikt, surname, name, sex, iin, language, history, patronymic))
    later: list[object] = []
    if index == 1:  # a corrected name (п. 105)
        later.append(sheet(ikts[1], "Лёвина", "Анна", "F", _iin("071102", "F", 40), "ru", "", "Сергеевна",
                           changed=True))
    if index == 2:  # an annulment (п. 104)
        later.append(sheet(ikts[3], "Смит", "Джон", "M", "080101", "en", "ru", annulled=True))
    return first, later


def _scan_schools(scene: Scene) -> bool:
    from common.scanning.simulated import SimulatedScanner
    from ent_demo.closing_stage import outbox_packages
    from forms.registry import get_layout

    if outbox_packages(scene, APPLICATIONS, "applicants"):  # closed on an earlier run: nothing can be scanned
        print(_("   the applications were closed on an earlier run of the demo: the forms stay as they were scanned"))
        return True
    journals = run_json(scene, "journals", "list", workstation=APPLICATIONS)
    if not isinstance(journals, list):
        return False
    first_ikt = {state["school"]: state["first_ikt"] for state in journals}
    layout = get_layout("application")
    for index, school in enumerate(_schools(scene)):
        start = int(first_ikt[school])
        ikts = [f"{start + offset:0{codebook.IKT_DIGITS}d}" for offset in range(4)]
        first, later = _forms(school, ikts, index)
        for batch, sheets in (("forms", first), ("changes", later)):
            if not sheets:
                continue
            folder = scene.root / "application-scans" / school.replace("/", "-") / batch
            if not folder.exists():
                folder.mkdir(parents=True)
                SimulatedScanner(layout, sheets, seed=index).export(folder)  # type: ignore[arg-type]
            if run(scene, APPLICATIONS, "scan", "--school", school, "--from", str(folder), "--settle", "0",
                   "--idle", "1")[0] != 0:
                return False
            if batch == "forms" and not _fix_flags(scene, school, index):
                return False
        for form in ("scan-report", "certificates", "register", "database"):
            if run(scene, APPLICATIONS, "print", form, "--school", school)[0] != 0:
                return False
    return run(scene, APPLICATIONS, "applications", "list")[0] == 0


def _fix_flags(scene: Scene, school: str, index: int) -> bool:
    flagged = run_json(scene, "review", "list", "--school", school, workstation=APPLICATIONS)
    if not isinstance(flagged, list):
        return False
    for item in flagged:
        run(scene, APPLICATIONS, "review", "show", str(item["id"]))
        command: tuple[str, ...] = ("review", "set-aside", str(item["id"]))
        if ["09", "iin"] in item["problems"]:  # the secretary reads the right ИИН off the applicant's papers
            command = ("review", "fix", str(item["id"]), "--set", f"iin={_iin('080707', 'M', 30 + index)}")
        if run(scene, APPLICATIONS, *command)[0] != 0:
            return False
    return True


def _daily(scene: Scene) -> bool:
    code, out = run(scene, APPLICATIONS, "send", "daily", "--json", password=_password(scene), capture=True)
    if code != 0:
        return False
    path = json.loads(out)["path"]
    return run(scene, NCT, "import", path, password=NCT_PASSWORD)[0] == 0 and run(scene, NCT, "stats")[0] == 0
