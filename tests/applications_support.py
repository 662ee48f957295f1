"""АРМ «Заявления ЕНТ» through its command line on a real site: НЦТ, «База ППЕНТ» with three schools
in two streams, the site database imported at НЦТ, and the applications workstation enrolled.
"""

from __future__ import annotations

import pytest
from exchange_support import Run, Scene, run_cli

from common import codebook
from common.directories import Directories
from common.omr.synth import MarkSpec, group_answers
from common.scanning.simulated import SimulatedScanner, SimulatedSheet
from forms.registry import get_layout
from nct_hub import sample_data


def base_ppent(scene: Scene, *args: str, password: bool = False) -> Run:
    from arm_base_ppent.cli import build

    command = [*args, "--data-dir", str(scene.folder("base-ppent"))]
    if password:
        return run_cli(build(), command, ENT_PASSWORD=scene.passwords["base-ppent"])
    return run_cli(build(), command)


def applications(scene: Scene, *args: str) -> Run:
    from arm_applications.cli import build

    return run_cli(build(), [*args, "--data-dir", str(scene.folder("applications"))],
                   ENT_PASSWORD=scene.passwords["applications"])


def ok(run: Run) -> Run:
    assert run.code == 0, run.out + run.err
    return run


def send_site_database(scene: Scene) -> None:
    [package] = sorted((scene.folder("base-ppent") / "outbox").glob("*.entpkg"))[-1:]
    ok(scene.nct("import", str(package)))


def bins_by_stream(scene: Scene) -> list[str]:
    """The БИН of the site's schools: stream 1's first, then stream 2's."""
    schools = ok(base_ppent(scene, "schools", "list", "--json")).json()
    return [school["bin"] for school in sorted(schools, key=lambda school: (school["stream"], school["bin"]))]


def site_scene(tmp_path_factory: pytest.TempPathFactory) -> Scene:
    """The site built and its database at НЦТ; no plan sent yet."""
    scene = Scene(tmp_path_factory.mktemp("applications-e2e") / "scene")
    scene.out.mkdir(parents=True)
    ok(scene.nct("init"))
    ok(scene.nct("keys", "init"))
    ok(scene.nct("directories", "import", "--sample"))
    ok(scene.nct("site", "create", "--code", "017", "--name-kk", "Көкшетау ҰБТӨП", "--name-ru", "ППЕНТ Кокшетау",
                 "--region", "11", "--building", "Бас ғимарат"))
    scene.enrol("base-ppent")
    scene.enrol("applications")
    directories: Directories = sample_data.generate_directories()
    ok(base_ppent(scene, "streams", "add", "--date", "2027-06-20"))
    ok(base_ppent(scene, "streams", "add", "--date", "2027-06-21"))
    for number, desks in {"01": 15, "02": 30}.items():
        ok(base_ppent(scene, "rooms", "add", number, "--desks", str(desks)))
    ok(base_ppent(scene, "rooms", "use", "01", "--stream", "1", "--language", "kk"))
    ok(base_ppent(scene, "rooms", "use", "02", "--stream", "1", "--language", "ru"))
    ok(base_ppent(scene, "rooms", "use", "02", "--stream", "2", "--language", "kk"))
    keys = [f"{school.region_code}/{school.district_code}/{school.code}" for school in directories.schools_of("11")[:3]]
    ok(base_ppent(scene, "schools", "take", *keys[:2], "--stream", "1"))
    ok(base_ppent(scene, "schools", "take", keys[2], "--stream", "2"))
    for bin_code, expected in zip(bins_by_stream(scene), ("kk=20,ru=5", "ru=12", "kk=30,en-kk=2"), strict=True):
        ok(base_ppent(scene, "schools", "update", bin_code, "--expected", expected))
    ok(base_ppent(scene, "send", password=True))
    send_site_database(scene)
    return scene


def planned_scene(tmp_path_factory: pytest.TempPathFactory) -> Scene:
    """The site with its plan taken on the applications workstation."""
    scene = site_scene(tmp_path_factory)
    sent = ok(scene.nct("plan", "send", "--site", "017", "--out", str(scene.out), "--json")).json()
    ok(applications(scene, "plan", "import", sent["path"]))
    return scene


def scan(scene: Scene, school: str, sheets: list[SimulatedSheet], batch: str, *, dpi: int = 200) -> Run:
    """``ent-applications scan --json`` of ``sheets`` from the simulated scanner, exported to ``out/<batch>``."""
    folder = scene.out / batch
    folder.mkdir()
    SimulatedScanner(get_layout("application"), sheets, dpi=dpi, seed=len(batch)).export(folder)
    return applications(scene, "scan", "--school", school, "--from", str(folder), "--settle", "0", "--idle", "0.3",
                        "--json")


def schools_by_expected(scene: Scene) -> dict[int, str]:
    """The planned schools' keys (region/district/school) by their expected applicants."""
    plan = ok(applications(scene, "plan", "show", "--json")).json()
    return {school["expected"]: school["school"] for school in plan["schools"]}


DIRECTORIES = sample_data.generate_directories()
CITIZENSHIP = DIRECTORIES.citizenships[0].code
NATIONALITY = DIRECTORIES.nationalities[0].code


def iin(born: str, sex: str, serial: int = 1) -> str:
    """A valid ИИН for a person born on YYMMDD in the 2000s."""
    while True:
        first = f"{born}{'5' if sex == 'M' else '6'}{serial:04d}"
        check = codebook.iin_check_digit(first)
        if check is not None:
            return f"{first}{check}"
        serial += 1


def form(school: str, ikt: str, surname: str, name: str, *, sex: str = "M", iin_or_date: str = "",
         language: str = "kk", history: str = "", patronymic: str = "", changed: bool = False,
         annulled: bool = False, marks: dict[str, MarkSpec] | None = None) -> SimulatedSheet:
    layout = get_layout("application")
    region, district, code = school.split("/")
    answers: dict[str, str] = {}
    for group, text in (("surname", codebook.grid_form_of_name(surname)), ("name", codebook.grid_form_of_name(name)),
                        ("patronymic", codebook.grid_form_of_name(patronymic)), ("ikt", ikt), ("iin", iin_or_date),
                        ("citizenship", CITIZENSHIP), ("nationality", NATIONALITY), ("region", region),
                        ("district", district), ("school", code)):
        answers.update(group_answers(layout, group, text))
    answers.update({"sex": sex, "language": language, "history_language": history,
                    "changed": "Y" if changed else "", "annulled": "Y" if annulled else ""})
    return SimulatedSheet(answers=answers, marks=marks or {})
