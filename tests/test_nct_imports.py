"""What sites send, into НЦТ's database — on SQLite and on a real PostgreSQL (never skipped in CI).

Payloads are imported as ``ent-nct import`` does after ``open_package`` checked them; the sealed
file path is covered by ``test_nct_cli.py``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import cache
from typing import Any

import pytest
from nct_support import english_fixture, nct_engine_fixture, postgres_nct_url_fixture  # noqa: F401
from sqlalchemy import Engine, func, select

from common import codebook
from common.directories import Directories
from common.errors import Refused
from nct_hub import sample_data
from nct_hub.db.engine import transaction
from nct_hub.db.import_models import (
    Applicant,
    ReceivedAttachment,
    ReceivedPackage,
    SiteRoom,
    SiteRoomStream,
    SiteSchool,
)
from nct_hub.directories import import_directories, load_directories, sample_files
from nct_hub.imports import ImportResult, import_payload
from nct_hub.stats import national_stats, stats_csv, stats_text

pytestmark = pytest.mark.usefixtures("english")


@cache
def directories() -> Directories:
    return sample_data.generate_directories()


def _import(engine: Engine, kind: str, site: str, sequence: int, payload: dict[str, Any], *,
            stream: int | None = None, role: str | None = None, package: str | None = None,
            attachments: dict[str, bytes] | None = None) -> ImportResult:
    manifest = sample_data.sample_manifest(kind, site, sequence, stream=stream, role=role)
    package_id = package or f"{site}-{kind}-{stream}-{sequence}-{role}".ljust(64, "0")
    with transaction(engine) as session:
        return import_payload(session, manifest, payload, package_id=package_id, operator="tester",
                              attachments=attachments)


def _count(engine: Engine, model: Any, *where: Any) -> int:
    with transaction(engine) as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


# --- Site database -----------------------------------------------------------------------------
def test_site_database_is_modelled_and_a_later_send_replaces_it(nct_engine: Engine) -> None:
    first = sample_data.sample_site_database(directories(), "017", "11", streams=3, rooms=12, schools=50)
    result = _import(nct_engine, "site-database", "017", 1, first)
    assert result.imported and result.counts == {"streams": 3, "rooms": 12, "room_streams": 36, "schools": 50}
    with transaction(nct_engine) as session:  # the desks too: the room opening carries them to the site
        desks = dict(session.execute(select(SiteRoom.number, SiteRoom.desks).where(SiteRoom.site_code == "017")).all())
    assert desks == {room["number"]: room["desks"] for room in first["rooms"]}
    second = sample_data.sample_site_database(directories(), "017", "11", streams=2, rooms=8, schools=20)
    result = _import(nct_engine, "site-database", "017", 2, second)
    assert result.superseded_sequence == 1
    assert _count(nct_engine, SiteRoomStream, SiteRoomStream.site_code == "017") == 16
    assert _count(nct_engine, SiteSchool, SiteSchool.site_code == "017") == 20
    with transaction(nct_engine) as session:
        packages = session.execute(select(ReceivedPackage.sequence, ReceivedPackage.current)
                                   .order_by(ReceivedPackage.sequence)).all()
    assert [tuple(row) for row in packages] == [(1, False), (2, True)]


def test_another_sites_data_is_left_alone(nct_engine: Engine) -> None:
    _import(nct_engine, "site-database", "017", 1, sample_data.sample_site_database(directories(), "017", "11"))
    _import(nct_engine, "site-database", "018", 1,
            sample_data.sample_site_database(directories(), "018", "75", schools=10))
    _import(nct_engine, "site-database", "018", 2,
            sample_data.sample_site_database(directories(), "018", "75", schools=5))
    assert _count(nct_engine, SiteSchool, SiteSchool.site_code == "017") == 50
    assert _count(nct_engine, SiteSchool, SiteSchool.site_code == "018") == 5


def _broken_room_language(payload: dict[str, Any]) -> None:
    payload["room_streams"][4]["language"] = "de"


def _room_of_no_stream(payload: dict[str, Any]) -> None:
    payload["room_streams"][0]["stream"] = 9


def _bad_desks(payload: dict[str, Any]) -> None:
    payload["rooms"][1]["desks"] = -1


def _bad_bin(payload: dict[str, Any]) -> None:
    payload["schools"][2]["bin"] = "123456789012"


def _other_site(payload: dict[str, Any]) -> None:
    payload["site"]["code"] = "099"


@pytest.mark.parametrize(("breaks", "message"), [
    (_broken_room_language, "room_streams entry 5: unknown language status de"),
    (_room_of_no_stream, "room_streams entry 1: stream 9 is not in the schedule"),
    (_bad_bin, "schools entry 3: the БИН is not valid"),
    (_bad_desks, "rooms entry 2: the number of desks is not valid"),
    (_other_site, "is of site 099, but the package came from site 017"),
])
def test_a_bad_site_database_is_refused_and_the_old_one_stays(
    nct_engine: Engine, breaks: Callable[[dict[str, Any]], None], message: str
) -> None:
    good = sample_data.sample_site_database(directories(), "017", "11", schools=30)
    _import(nct_engine, "site-database", "017", 1, good)
    bad = copy.deepcopy(good)
    breaks(bad)
    with pytest.raises(Refused, match=message):
        _import(nct_engine, "site-database", "017", 2, bad)
    assert _count(nct_engine, SiteSchool) == 30
    assert _count(nct_engine, ReceivedPackage) == 1


# --- Applicants --------------------------------------------------------------------------------
def test_applicant_file_is_imported_and_superseded(nct_engine: Engine) -> None:
    first = sample_data.sample_applicants(directories(), 1500, region_code="11")
    assert _import(nct_engine, "applicants", "017", 1, first).counts["applicants"] == 1500
    second = sample_data.sample_applicants(directories(), 700, region_code="11", seed=7, first_ikt=200_000_001)
    second["applicants"]["rows"][0][14] = "annulled"
    result = _import(nct_engine, "applicants", "017", 2, second)
    assert result.counts == {"applicants": 700, "annulled": 1}
    assert _count(nct_engine, Applicant) == 700
    with transaction(nct_engine) as session:
        stored = session.scalar(select(Applicant).where(Applicant.ikt == "200000002"))
    assert stored is not None
    row = second["applicants"]["rows"][1]
    assert (stored.iin, stored.surname, stored.school_code, stored.test_language) == (row[1], row[2], row[11], row[12])


def test_records_as_objects_are_accepted(nct_engine: Engine) -> None:
    table = sample_data.sample_applicants(directories(), 3)["applicants"]
    records = [dict(zip(table["columns"], row, strict=True)) for row in table["rows"]]
    assert _import(nct_engine, "applicants", "017", 1, {"format": 1, "applicants": records}).counts["applicants"] == 3


@pytest.mark.parametrize(("column", "value", "message"), [
    (0, "12345", "Applicant record 42: the ИКТ must have 9 digits"),
    (1, "000512500128", "Applicant record 42: the ИИН is not valid"),
    (5, "X", "Applicant record 42: the sex must be M or F"),
    (11, "12", "Applicant record 42: the school code must have 4 digits"),
    (12, "de", "Applicant record 42: the test language must be kk, ru or en"),
    (14, "lost", "Applicant record 42: the status must be one of"),
])
def test_a_bad_record_is_refused_by_number_without_personal_data(
    nct_engine: Engine, column: int, value: str, message: str
) -> None:
    payload = sample_data.sample_applicants(directories(), 100)
    record = payload["applicants"]["rows"][41]
    record[column] = value
    with pytest.raises(Refused, match=message) as refused:
        _import(nct_engine, "applicants", "017", 1, payload)
    for personal in (record[1], record[2], record[3]):
        assert str(personal) not in refused.value.message
    assert _count(nct_engine, Applicant) == 0 and _count(nct_engine, ReceivedPackage) == 0


def test_an_ikt_twice_and_english_without_history_language_are_refused(nct_engine: Engine) -> None:
    payload = sample_data.sample_applicants(directories(), 10)
    payload["applicants"]["rows"][6][0] = payload["applicants"]["rows"][2][0]
    with pytest.raises(Refused, match="record 7: the ИКТ appears twice"):
        _import(nct_engine, "applicants", "017", 1, payload)
    payload = sample_data.sample_applicants(directories(), 10)
    payload["applicants"]["rows"][3][12], payload["applicants"]["rows"][3][13] = "en", None
    with pytest.raises(Refused, match="record 4: the language of the history test"):
        _import(nct_engine, "applicants", "017", 1, payload)


# --- Every kind, supersede rules ----------------------------------------------------------------
def test_kinds_without_tables_are_kept_whole_with_their_attachments(nct_engine: Engine) -> None:
    payload = {"format": 1, "date": "2018-06-01", "by_school": [{"school": "0001", "count": 12}] * 3}
    result = _import(nct_engine, "daily-statistics", "017", 1, payload, attachments={"act.pdf": b"%PDF-1.4"})
    assert result.counts == {"by_school": 3}
    report = {"format": 1, "rows": [1, 2]}
    _import(nct_engine, "reports", "017", 1, report, stream=2)
    with transaction(nct_engine) as session:
        kept = session.scalar(select(ReceivedPackage).where(ReceivedPackage.kind == "daily-statistics"))
        assert kept is not None and kept.payload == payload and kept.manifest_json["kind"] == "daily-statistics"
        attachment = session.scalar(select(ReceivedAttachment))
        assert attachment is not None and attachment.data == b"%PDF-1.4"


def test_the_same_package_twice_is_a_no_op_and_an_older_one_is_refused(nct_engine: Engine) -> None:
    payload = sample_data.sample_applicants(directories(), 50)
    _import(nct_engine, "applicants", "017", 5, payload, package="p5".ljust(64, "0"))
    again = _import(nct_engine, "applicants", "017", 5, payload, package="p5".ljust(64, "0"))
    assert not again.imported and "already imported" in again.message
    with pytest.raises(Refused, match="Superseded: package number 3 is older than number 5"):
        _import(nct_engine, "applicants", "017", 3, payload)
    assert _count(nct_engine, Applicant) == 50


def test_streams_supersede_separately(nct_engine: Engine) -> None:
    _import(nct_engine, "reports", "017", 1, {"format": 1, "rows": [1]}, stream=1)
    _import(nct_engine, "reports", "017", 1, {"format": 1, "rows": [1, 2]}, stream=2)
    _import(nct_engine, "reports", "017", 2, {"format": 1, "rows": [1, 2, 3]}, stream=1)
    with transaction(nct_engine) as session:
        current = session.execute(select(ReceivedPackage.stream_key, ReceivedPackage.sequence)
                                  .where(ReceivedPackage.current.is_(True)).order_by(ReceivedPackage.stream_key)).all()
    assert [tuple(row) for row in current] == [(1, 2), (2, 1)]


def test_nct_refuses_kinds_that_do_not_come_from_sites(nct_engine: Engine) -> None:
    with pytest.raises(Refused, match="does not import packages of kind answer-codes"):
        _import(nct_engine, "answer-codes", "017", 1, {"format": 1})


# --- Directories and statistics on both databases -----------------------------------------------
def test_directories_round_trip(nct_engine: Engine) -> None:
    with transaction(nct_engine) as session:
        import_directories(session, sample_files(), "tester")
    with transaction(nct_engine) as session:
        assert load_directories(session).schools == directories().schools


def test_national_stats_by_region_site_stream_and_language(nct_engine: Engine) -> None:
    with transaction(nct_engine) as session:
        import_directories(session, sample_files(), "tester")
    site = sample_data.sample_site_database(directories(), "017", "11", streams=2, rooms=6, schools=10)
    _import(nct_engine, "site-database", "017", 1, site)
    _import(nct_engine, "site-database", "018", 1,
            sample_data.sample_site_database(directories(), "018", "75", streams=1, rooms=4, schools=5))
    applicants = sample_data.sample_applicants(directories(), 400, region_code="11", streams=2)
    _import(nct_engine, "applicants", "017", 1, applicants)
    with transaction(nct_engine) as session:
        rows = national_stats(session)

    expected_seats: dict[tuple[int, str], int] = {}
    expected_rooms: dict[tuple[int, str], int] = {}
    for room in site["room_streams"]:
        if not room["reserve"]:
            key = (room["stream"], room["language"])
            expected_seats[key] = expected_seats.get(key, 0) + room["seats"]
            expected_rooms[key] = expected_rooms.get(key, 0) + 1
    got = {(row.stream, row.language): (row.rooms, row.seats) for row in rows
           if row.level == "language" and row.site_code == "017" and row.rooms}
    assert got == {key: (expected_rooms[key], expected_seats[key]) for key in expected_seats}

    by_language: dict[tuple[int, str], int] = {}
    for record in applicants["applicants"]["rows"]:
        status = codebook.room_language_status(record[12], record[13])
        by_language[(record[15], status)] = by_language.get((record[15], status), 0) + 1
    got_applicants = {(row.stream, row.language): row.applicants for row in rows
                      if row.level == "language" and row.site_code == "017" and row.applicants}
    assert got_applicants == by_language

    site_row = next(row for row in rows if row.level == "site" and row.site_code == "017")
    assert (site_row.rooms, site_row.schools, site_row.applicants) == (6, 10, 400)
    national = rows[-1]
    assert national.level == "national" and national.sites == 2 and national.schools == 15
    region = next(row for row in rows if row.level == "region" and row.region_code == "75")
    assert region.region_name == "город Алматы" and region.applicants == 0
    assert stats_csv(rows).splitlines()[0].startswith("level,region_code,region_name,site_code")
    assert len(stats_csv(rows).splitlines()) == len(rows) + 1
    text = stats_text(rows)
    assert "Region 11 Акмолинская область" in text and "Site 017" in text


def test_a_database_error_carries_no_personal_data(nct_engine: Engine) -> None:
    from nct_hub.applicant_file import check_applicants, write_applicants

    rows = check_applicants("017", sample_data.sample_applicants(directories(), 3))
    expected = "НЦТ's database refused the applicant records"
    with pytest.raises(Refused, match=expected) as failed, transaction(nct_engine) as session:
        write_applicants(session, 999_999, rows)  # no such package: the foreign key fails
    for row in rows:
        assert row["surname"] not in failed.value.message and row["iin"] not in failed.value.message
    assert "\n" not in failed.value.message
