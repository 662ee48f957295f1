"""Issue 13: closing the applicant database with НЦТ's code (ch. 20, п. 13, 107), then every write
refused; the final file to НЦТ, НЦТ's room opening (п. 89.11), the distribution (п. 89.12–89.14, 110)
and the counts per room back to НЦТ — through the command lines of the site and of НЦТ.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from applications_support import applications, form, iin, ok, planned_scene, scan, schools_by_expected
from exchange_support import Run, Scene, run_cli
from pdf_support import pdf_text

from common.i18n import set_language, tr
from common.security.codes import generate_code


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def close(scene: Scene, code: str) -> Run:
    from arm_applications.cli import build

    return run_cli(build(), ["close", "--data-dir", str(scene.folder("applications"))], ENT_CODE=code)


def first_ikts(scene: Scene, school: str, count: int) -> list[str]:
    journal = {state["school"]: state for state in ok(applications(scene, "journals", "list", "--json")).json()}
    first = int(journal[school]["first_ikt"])
    return [f"{first + offset:09d}" for offset in range(count)]


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Scene:
    """Three schools scanned (stream 1: 3 kk + 3 ru; stream 2: 3 kk), one annulled, a secretary entered."""
    scene = planned_scene(tmp_path_factory)
    schools = schools_by_expected(scene)
    for school in schools.values():
        ok(applications(scene, "journals", "print", "--school", school))
    ok(applications(scene, "secretaries", "add", "--school", schools[25], "--name", "Сейітова Гүлнар"))
    people = {
        25: [("Абаев", "Арман", "kk"), ("Бекова", "Дана", "kk"), ("Ермеков", "Нұр", "kk"), ("Иванов", "Олег", "ru")],
        12: [("Петров", "Иван", "ru"), ("Сидорова", "Анна", "ru")],
        32: [("Қасымов", "Ерлан", "kk"), ("Жұмабек", "Әли", "kk"), ("Омаров", "Бек", "kk"), ("Алиев", "Тимур", "kk")],
    }
    serial = 1
    for expected, persons in people.items():
        school = schools[expected]
        ikts = first_ikts(scene, school, len(persons))
        sheets = []
        for ikt, (surname, name, language) in zip(ikts, persons, strict=True):
            sheets.append(form(school, ikt, surname, name, iin_or_date=iin("080101", "M", serial), language=language))
            serial += 10
        assert ok(scan(scene, school, sheets, f"school-{expected}")).json()["counts"] == {"applied": len(persons)}
    last = people[32][-1]
    annul = form(schools[32], first_ikts(scene, schools[32], 4)[3], last[0], last[1],
                 iin_or_date=iin("080101", "M", 91), language="kk", annulled=True)
    ok(scan(scene, schools[32], [annul], "annul"))
    return scene


def test_closing_refuses_a_wrong_code_then_closes_and_every_later_write_is_refused(scene: Scene) -> None:
    issued = ok(scene.nct("password", "issue", "--site", "017", "--purpose", "close-applications", "--json")).json()
    on_argv = applications(scene, "close", "--code", str(issued["code"]))
    assert on_argv.code == 1 and "--code-fd" in on_argv.err  # never on the command line, where others read it
    wrong = close(scene, generate_code())
    assert wrong.code == 1 and len(wrong.err.strip().splitlines()) == 1
    assert ok(applications(scene, "applications", "list", "--json")).json()  # nothing closed: still open
    ok(applications(scene, "secretaries", "approve", "1"))  # a write still works

    closed = close(scene, str(issued["code"]))
    assert closed.code == 0, closed.err
    assert "9 applicant(s), 1 annulled" in closed.out
    journals = ok(applications(scene, "journals", "list", "--json")).json()
    assert all(state["free"] == 0 and state["struck"] > 0 for state in journals)  # п. 107.3: «Z»

    again = close(scene, str(issued["code"]))
    assert again.code == 1 and "closed" in again.err


def _later_writes(scene: Scene) -> dict[str, list[str]]:
    schools = schools_by_expected(scene)
    capture = scene.out / "after-closing"
    capture.mkdir(exist_ok=True)
    return {
        "scan": ["scan", "--school", schools[12], "--from", str(capture), "--settle", "0", "--idle", "0.1"],
        "review fix": ["review", "fix", "1", "--set", "sex=F"],
        "review set-aside": ["review", "set-aside", "1"],
        "journals extend": ["journals", "extend", "--school", schools[12], "--rows", "2"],
        "journals strike": ["journals", "strike", "--school", schools[12]],
        "journals missing": ["journals", "missing", first_ikts(scene, schools[12], 1)[0]],
        "secretaries add": ["secretaries", "add", "--school", schools[12], "--name", "Ахметова Сая"],
        "secretaries approve": ["secretaries", "approve", "1"],
        "secretaries remove": ["secretaries", "remove", "1"],
    }


WRITES = ["scan", "review fix", "review set-aside", "journals extend", "journals strike", "journals missing",
          "secretaries add", "secretaries approve", "secretaries remove", "plan import"]


@pytest.mark.parametrize("write", WRITES)
def test_after_closing_each_write_is_refused_with_one_line(scene: Scene, write: str) -> None:
    if write == "plan import":
        sent = ok(scene.nct("plan", "send", "--site", "017", "--out", str(scene.out), "--json")).json()
        command = ["plan", "import", sent["path"]]
    else:
        command = _later_writes(scene)[write]
    refused = applications(scene, *command)
    assert refused.code == 1
    assert refused.err.strip().splitlines() == [refused.err.strip()]
    assert "The applicant database was closed on" in refused.err, refused.err


def _rooms(data: Any) -> list[tuple[int, str, str, bool, int]]:
    return [(room["stream"], room["room"], room["language"], room["opened"], room["placed"]) for room in data]


def _an_impossible_distribution_is_refused_with_the_numbers(scene: Scene, tmp_path: Path) -> None:
    """In a copy of the site where НЦТ kept the Russian room of stream 1 back: nothing is placed."""
    import sqlite3

    copy = scene.copy(tmp_path / "copy")
    with sqlite3.connect(copy.folder("applications") / "workstation.sqlite") as database:
        database.execute("UPDATE room_streams SET opened = 0 WHERE language_status = 'ru'")
    refused = applications(copy, "distribute")
    assert refused.code == 1
    assert refused.err.strip().endswith(
        "The applicants do not fit in the rooms НЦТ opened — stream 1, ru: 3 applicant(s), 0 seat(s) opened.")
    rooms = ok(applications(copy, "rooms", "list", "--json")).json()
    assert rooms and all(room["placed"] == 0 for room in rooms)


def test_the_final_file_rooms_opened_by_nct_distribution_and_counts_back(scene: Scene, tmp_path: Path) -> None:
    final = ok(applications(scene, "send", "final", "--json")).json()
    assert final["counts"] == {"live": 9, "annulled": 1}
    imported = ok(scene.nct("import", final["path"], "--json")).json()
    assert "applicants" in str(imported)

    refused = applications(scene, "distribute")
    assert refused.code == 1 and "room-opening" in refused.err
    early = applications(scene, "send", "handover")
    assert early.code == 1 and "not distributed" in early.err

    opening = ok(scene.nct("rooms", "open", "--site", "017", "--out", str(scene.out), "--json")).json()
    assert opening["short"] == []
    taken = ok(applications(scene, "rooms", "import", opening["path"], "--json")).json()
    assert [(room["stream"], room["room"], room["language"], room["opened"]) for room in taken["rooms"]] == [
        (1, "01", "kk", True), (1, "02", "ru", True), (2, "02", "kk", True)]

    _an_impossible_distribution_is_refused_with_the_numbers(scene, tmp_path)

    done = ok(applications(scene, "distribute", "--json")).json()
    assert (done["applicants"], done["rooms"]) == (9, 3)
    rooms = ok(applications(scene, "rooms", "list", "--json")).json()
    assert _rooms(rooms) == [(1, "01", "kk", True, 3), (1, "02", "ru", True, 3), (2, "02", "kk", True, 3)]

    counts = ok(applications(scene, "send", "counts", "--json")).json()
    ok(scene.nct("import", counts["path"]))
    shown = ok(scene.nct("rooms", "counts", "--site", "017", "--json")).json()
    assert [(row["stream"], row["room"], row["applicants"]) for row in shown] == [
        (1, "01", 3), (1, "02", 3), (2, "02", 3)]
    text = ok(scene.nct("rooms", "counts")).out
    assert "Site 017, stream 1, room 01: kk, 3 of" in text


def test_nct_opens_ordinary_rooms_first_reserves_only_when_short_and_names_a_shortfall(scene: Scene) -> None:
    """НЦТ's rule (nct_hub/room_opening.py) on the site's own rooms and final file, varied in a rolled-back session."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from nct_hub.db.engine import database_url, open_engine
    from nct_hub.db.import_models import SiteRoom, SiteRoomStream
    from nct_hub.room_opening import room_opening_payload

    engine = open_engine(database_url(scene.nct_dir))
    try:
        with Session(engine) as session:
            payload, short = room_opening_payload(session, "017")
            assert payload["applicants"] == [{"stream": 1, "language": "kk", "applicants": 3},
                                             {"stream": 1, "language": "ru", "applicants": 3},
                                             {"stream": 2, "language": "kk", "applicants": 3}]
            assert short == []
            # stream 1, kk: room 01 of 2 seats, then room 03 (ordinary, 5 seats), reserve 04 kept back
            use = session.scalars(select(SiteRoomStream).where(SiteRoomStream.stream == 1,
                                                               SiteRoomStream.room_number == "01")).one()
            use.seats = 2
            received = use.received_id
            for number, reserve in (("04", True), ("03", False)):
                session.add(SiteRoom(site_code="017", received_id=received, number=number, seats=5))
                session.add(SiteRoomStream(site_code="017", received_id=received, stream=1, room_number=number,
                                           language="kk", reserve=reserve, seats=5))
            # stream 1, ru: room 02 holds 1 of the 3
            ru = session.scalars(select(SiteRoomStream).where(SiteRoomStream.stream == 1,
                                                              SiteRoomStream.room_number == "02")).one()
            ru.seats = 1
            session.flush()
            payload, short = room_opening_payload(session, "017")
            opened = {(use["stream"], use["room_number"]): use["opened"] for use in payload["room_streams"]}
            assert opened == {(1, "01"): True, (1, "02"): True, (1, "03"): True, (1, "04"): False, (2, "02"): True}
            assert [(item.stream, item.language, item.applicants, item.seats) for item in short] == [(1, "ru", 3, 1)]
            use.seats = 1  # now 01 and 03 hold 6 ≥ 3 still: make 03 smaller so the reserve is needed
            session.execute(SiteRoomStream.__table__.update().where(SiteRoomStream.room_number == "03")
                            .values(seats=1))
            payload, _short = room_opening_payload(session, "017")
            opened = {(use["stream"], use["room_number"]): use["opened"] for use in payload["room_streams"]}
            assert opened[(1, "04")] is True
            session.rollback()
    finally:
        engine.dispose()


def test_the_placements_are_read_by_stream_room_and_place(scene: Scene) -> None:
    from arm_applications.distribution import placements
    from common.db.engine import open_engine, transaction

    engine = open_engine(scene.folder("applications") / "workstation.sqlite", read_only=True)
    try:
        with transaction(engine, read_only=True) as session:
            found = placements(session)
            second = placements(session, stream_number=2)
    finally:
        engine.dispose()
    assert [(item.stream_number, item.room_number, item.place) for item in found][:4] == [
        (1, "01", 1), (1, "01", 2), (1, "01", 3), (1, "02", 1)]
    assert [item.place for item in second] == [1, 2, 3] and {item.room_number for item in second} == {"02"}
    assert all(not item.is_reserve_room for item in found)


def test_a_later_room_opening_undoes_the_distribution(scene: Scene, tmp_path: Path) -> None:
    copy = scene.copy(tmp_path / "copy")
    opening = ok(copy.nct("rooms", "open", "--site", "017", "--out", str(copy.out), "--json")).json()
    assert opening["sequence"] == 2
    ok(applications(copy, "rooms", "import", opening["path"]))
    rooms = ok(applications(copy, "rooms", "list", "--json")).json()
    assert rooms and all(room["placed"] == 0 for room in rooms)
    refused = applications(copy, "send", "counts")
    assert refused.code == 1 and "not distributed" in refused.err
    assert ok(applications(copy, "distribute", "--json")).json()["applicants"] == 9


def test_closing_printed_the_database_information_again_and_the_secretary_journal_prints(scene: Scene) -> None:
    printed = scene.folder("applications") / "printed"
    assert len(list(printed.glob("database_*.pdf"))) == 3  # п. 107.1: прил. 32 of each school at closing
    school = schools_by_expected(scene)[25]
    for language, words in {"kk": ("Техникалық хатшы журналы", "33-қосымша", "Абаев Арман"),
                            "ru": ("Журнал технического секретаря", "Приложение 33", "Сейітова Гүлнар")}.items():
        made = ok(applications(scene, "print", "secretary-journal", "--school", school, "--language", language,
                               "--json")).json()
        text = pdf_text(Path(made["path"]))
        assert all(word in text for word in words), text
        # п. 107.3: the free rows struck out at closing show as such (its words wrap around the row's other cells)
        assert all(word in text for word in tr(language, "struck out with Z").split()), text


def test_the_distribution_prints_per_stream_with_a_page_per_room(scene: Scene, tmp_path: Path) -> None:
    for language, words in {"kk": ("Талапкерлерді аудиториялар бойынша бөлу", "2-қосымша", "01 аудитория",
                                   "Абаев Арман", "Бекова Дана"),
                            "ru": ("Распределение поступающих по аудиториям", "Приложение 2", "Аудитория 02",
                                   "Петров Иван", "Сидорова Анна")}.items():
        made = ok(applications(scene, "print", "distribution", "--language", language, "--json")).json()
        assert len(made) == 2  # one per stream
        first = pdf_text(Path(made[0]["path"]))
        assert all(word in first for word in words), first
        assert made[0]["pages"] == 3  # the rooms' counts, room 01, room 02
        second = pdf_text(Path(made[1]["path"]))
        assert "Қасымов Ерлан" in second and "Алиев" not in second  # annulled: not placed
    only = ok(applications(scene, "print", "distribution", "--stream", "2", "--json")).json()
    assert len(only) == 1
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "2", "-l", "2", made[0]["path"], str(tmp_path / "room")],
                   check=True)
    [page] = list(tmp_path.glob("room*.png"))
    assert page.stat().st_size > 3000


def test_the_programmer_takes_the_closed_distributed_database_and_then_nothing_is_redistributed(
    scene: Scene,
) -> None:
    from arm_programmer.cli import build

    scene.enrol("programmer")
    certificates = ok(scene.nct("site", "certificates", "--site", "017", "--role", "applications", "--out",
                                str(scene.out), "--json")).json()
    ok(applications(scene, "package", "open", certificates["path"]))
    sent = ok(applications(scene, "send", "handover", "--json")).json()
    assert sent["kind"] == "applicant-database" and sent["counts"] == {"applicants": 10, "rooms": 3}

    def programmer(*args: str) -> Run:
        return run_cli(build(), [*args, "--data-dir", str(scene.folder("programmer"))],
                       ENT_PASSWORD=scene.passwords["programmer"])

    assert "No applicant database" in ok(programmer("handover", "show")).out
    taken = ok(programmer("handover", "import", sent["path"], "--json")).json()
    assert (taken["applicants"], taken["annulled"], taken["placed"], taken["rooms"], taken["streams"]) == (
        9, 1, 9, 3, 2)
    shown = ok(programmer("handover", "show")).out
    assert "Site 017: 9 applicant(s), 1 annulled, 9 placed in 3 room(s) of 2 stream(s), 3 school(s)" in shown
    assert "already" in ok(programmer("handover", "import", sent["path"])).out  # the same package: nothing to do

    again = applications(scene, "distribute")
    assert again.code == 1 and "handed over" in again.err
