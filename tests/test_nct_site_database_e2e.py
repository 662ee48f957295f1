"""Issue 5's "Done when" from НЦТ's side: a site built in АРМ «База ППЕНТ» is sent, imported by
``ent-nct import`` and seen in ``ent-nct stats`` — through both programs' command lines, with a real
enrolment, sealed package and the payload contract of ``docs/packages.md``.
"""

from __future__ import annotations

import csv
import io

import pytest
from exchange_support import Run, Scene, run_cli

from common.directories import Directories
from nct_hub import sample_data


def base_ppent(scene: Scene, *args: str, password: bool = False) -> Run:
    from arm_base_ppent.cli import build

    command = [*args, "--data-dir", str(scene.folder("base-ppent"))]
    if password:
        return run_cli(build(), command, ENT_PASSWORD=scene.passwords["base-ppent"])
    return run_cli(build(), command)


def ok(run: Run) -> Run:
    assert run.code == 0, run.out + run.err
    return run


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Scene:
    scene = Scene(tmp_path_factory.mktemp("site-e2e") / "scene")
    scene.out.mkdir(parents=True)
    ok(scene.nct("init"))
    ok(scene.nct("keys", "init"))
    ok(scene.nct("directories", "import", "--sample"))
    ok(scene.nct("site", "create", "--code", "017", "--name-kk", "Көкшетау ҰБТӨП", "--name-ru", "ППЕНТ Кокшетау",
                 "--region", "11", "--building", "Бас ғимарат"))
    scene.enrol("base-ppent")
    return scene


def test_a_site_built_in_base_ppent_shows_in_national_stats(scene: Scene) -> None:
    directories: Directories = sample_data.generate_directories()
    ok(base_ppent(scene, "streams", "add", "--date", "2027-06-20"))
    ok(base_ppent(scene, "streams", "add", "--date", "2027-06-21"))
    rooms = {"01": 15, "02": 30, "03": 20}
    for number, desks in rooms.items():
        ok(base_ppent(scene, "rooms", "add", number, "--desks", str(desks)))
    uses = [("01", 1, "kk"), ("02", 1, "ru"), ("03", 1, "kk"), ("01", 2, "en-kk"), ("02", 2, "kk")]
    for number, stream, language in uses:
        ok(base_ppent(scene, "rooms", "use", number, "--stream", str(stream), "--language", language))
    ok(base_ppent(scene, "rooms", "use", "03", "--stream", "2", "--language", "ru", "--reserve"))
    keys = [f"{school.region_code}/{school.district_code}/{school.code}" for school in directories.schools_of("11")[:5]]
    ok(base_ppent(scene, "schools", "take", *keys[:3], "--stream", "1"))
    ok(base_ppent(scene, "schools", "take", *keys[3:], "--stream", "2"))
    ok(base_ppent(scene, "send", password=True))
    [package] = sorted((scene.folder("base-ppent") / "outbox").glob("*.entpkg"))

    imported = ok(scene.nct("import", str(package)))
    assert "Site database of site 017, number 1, imported" in imported.out
    rows = list(csv.DictReader(io.StringIO(ok(scene.nct("stats", "--csv")).out)))

    languages = {(row["stream"], row["language"]): (int(row["rooms"]), int(row["reserve_rooms"]), int(row["seats"]))
                 for row in rows if row["level"] == "language"}
    assert languages == {
        ("1", "kk"): (2, 0, 2 * (15 + 20)), ("1", "ru"): (1, 0, 2 * 30),
        ("2", "en-kk"): (1, 0, 2 * 15), ("2", "kk"): (1, 0, 2 * 30), ("2", "ru"): (0, 1, 0),
    }
    streams = {row["stream"]: (int(row["schools"]), row["stream_date"]) for row in rows if row["level"] == "stream"}
    assert streams == {"1": (3, "2027-06-20"), "2": (2, "2027-06-21")}
    site = next(row for row in rows if row["level"] == "site")
    assert (site["site_code"], site["region_code"], site["rooms"], site["schools"]) == ("017", "11", "3", "5")
    assert site["site_name"] == "ППЕНТ Кокшетау"
