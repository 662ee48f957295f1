"""Issue 11, the site's plan: АРМ «База ППЕНТ» sends its database, НЦТ imports it and seals the
``site-plan`` package with the site's ИКТ block, and АРМ «Заявления ЕНТ» takes it with
``plan import`` — through the programs' command lines, with real enrolments and sealed packages.
"""

from __future__ import annotations

import pytest
from exchange_support import Run, Scene, run_cli
from nct_support import english_fixture, nct_engine_fixture, postgres_nct_url_fixture  # noqa: F401
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from common import codebook
from common.directories import Directories
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


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Scene:
    scene = Scene(tmp_path_factory.mktemp("plan-e2e") / "scene")
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


def test_the_plan_reaches_the_applications_workstation_with_its_ikt_block(scene: Scene) -> None:
    sent = ok(scene.nct("plan", "send", "--site", "017", "--out", str(scene.out), "--json")).json()
    assert sent["schools"] == 3 and sent["streams"] == 2
    assert sent["ikt_blocks"] == [{"first": "100000001", "last": "100010000"}]

    taken = ok(applications(scene, "plan", "import", sent["path"], "--json")).json()
    assert taken["taken"] is True
    assert taken["expected"] == 20 + 5 + 12 + 30 + 2
    assert taken["ikt_blocks"] == [{"first": "100000001", "last": "100010000"}]
    streams = {stream["stream"]: (stream["date"], stream["seats_by_language"]) for stream in taken["streams"]}
    assert streams == {1: ("2027-06-20", {"kk": 30, "ru": 60}), 2: ("2027-06-21", {"kk": 60})}
    by_stream = sorted((school["stream"], school["expected"]) for school in taken["schools"])
    assert by_stream == [(1, 12), (1, 25), (2, 32)]
    assert all(school["name_kk"] and school["name_ru"] for school in taken["schools"])

    shown = ok(applications(scene, "plan", "show")).out
    assert "100000001–100010000 (10000 ИКТ)" in shown
    assert "Applicants expected in all: 69" in shown

    again = ok(applications(scene, "plan", "import", sent["path"]))
    assert "already" in again.out


def test_a_later_plan_updates_the_schools_and_keeps_the_block(scene: Scene) -> None:
    ok(base_ppent(scene, "schools", "update", bins_by_stream(scene)[0], "--expected", "kk=40", "--stream", "2"))
    ok(base_ppent(scene, "send", password=True))
    send_site_database(scene)
    sent = ok(scene.nct("plan", "send", "--site", "017", "--out", str(scene.out), "--json")).json()
    assert sent["ikt_blocks"] == [{"first": "100000001", "last": "100010000"}]

    taken = ok(applications(scene, "plan", "import", sent["path"], "--json")).json()
    assert len(taken["schools"]) == 3
    assert taken["expected"] == 40 + 12 + 30 + 2
    assert sorted((school["stream"], school["expected"]) for school in taken["schools"]) == [(1, 12), (2, 32), (2, 40)]


def test_no_plan_for_a_site_whose_database_nct_has_not_got(scene: Scene) -> None:
    ok(scene.nct("site", "create", "--code", "019", "--name-kk", "Екі", "--name-ru", "Два", "--region", "11"))
    refused = scene.nct("plan", "send", "--site", "019", "--out", str(scene.out))
    assert refused.code == 1
    assert "no site database of site 019" in refused.err


def test_another_kind_of_package_is_not_taken_as_a_plan(scene: Scene) -> None:
    sent = ok(scene.nct("site", "certificates", "--site", "017", "--role", "applications", "--out", str(scene.out),
                        "--json")).json()
    refused = applications(scene, "plan", "import", sent["path"])
    assert refused.code == 1
    assert "is not a site plan" in refused.err


def test_ikt_blocks_never_overlap_across_sites(nct_engine: Engine, english: None) -> None:
    from nct_hub.db.site_models import Site
    from nct_hub.site_plan import allocate_blocks

    with Session(nct_engine) as session, session.begin():
        for code in ("017", "018"):
            session.add(Site(code=code, name_kk=code, name_ru=code, region_code="11"))
        session.flush()
        [first] = allocate_blocks(session, "017", 100, "test")
        [second] = allocate_blocks(session, "018", 100, "test")
        assert (first.first, first.last) == (codebook.IKT_FIRST, codebook.IKT_FIRST + codebook.IKT_BLOCK_SIZE - 1)
        assert second.first == first.last + 1
        assert allocate_blocks(session, "017", 100, "test") == [first]  # the block is kept, not allocated again
        grown = allocate_blocks(session, "017", codebook.IKT_BLOCK_SIZE, "test")  # a site outgrows its block
        assert grown[0] == first and grown[1].first == second.last + 1
        assert sum(block.size for block in grown) >= codebook.IKT_BLOCK_COVER * codebook.IKT_BLOCK_SIZE


def test_journal_size_has_a_margin() -> None:
    assert codebook.journal_rows(0) == codebook.JOURNAL_MARGIN_MIN
    assert codebook.journal_rows(10) == 10 + codebook.JOURNAL_MARGIN_MIN
    assert codebook.journal_rows(100) == 120

