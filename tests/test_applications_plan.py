"""Issue 11, the site's plan: АРМ «База ППЕНТ» sends its database, НЦТ imports it and seals the
``site-plan`` package with the site's ИКТ block, and АРМ «Заявления ЕНТ» takes it with
``plan import`` — through the programs' command lines, with real enrolments and sealed packages.
"""

from __future__ import annotations

import pytest
from applications_support import applications, base_ppent, bins_by_stream, ok, send_site_database, site_scene
from exchange_support import Scene
from nct_support import english_fixture, nct_engine_fixture, postgres_nct_url_fixture  # noqa: F401
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from common import codebook


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Scene:
    return site_scene(tmp_path_factory)


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

