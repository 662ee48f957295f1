"""НЦТ writes a site's results, results with appeal and certificate numbers in bulk (one executemany a table, not a
statement a row: row by row a whole ЕНТ took PostgreSQL minutes, ``benchmarks/national.py``), and what it writes is
every row the package carries, exactly as it carries it; a refused package still leaves nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from nct_support import english_fixture, nct_engine_fixture, postgres_nct_url_fixture  # noqa: F401
from sqlalchemy import Engine, event, func, select
from test_nct_results import result_row

from arm_programmer.appeal_records import ScoreChange, final_results_payload
from arm_programmer.results import ResultStatus, results_payload
from common.errors import Refused
from nct_hub import sample_data
from nct_hub.bulk import insert_rows
from nct_hub.db.appeal_models import FinalExamResult
from nct_hub.db.certificate_models import CertificateNumber, ReceivedBlankPack, SpoiledBlank
from nct_hub.db.engine import transaction
from nct_hub.db.results_models import ExamResult
from nct_hub.imports import ImportResult, import_payload

pytestmark = pytest.mark.usefixtures("english")

SEATED = 300
STATUSES = (ResultStatus.SCORED, ResultStatus.SCORED, ResultStatus.ABSENT, ResultStatus.SCORED,
            ResultStatus.ANNULLED, ResultStatus.NOT_ADMITTED)


def _rows() -> list[Any]:
    return [result_row(number, STATUSES[number % len(STATUSES)], points=(number % 21, number % 11, number % 41))
            for number in range(1, SEATED + 1)]


def _import(engine: Engine, kind: str, sequence: int, payload: dict[str, Any], *, role: str = "programmer"
            ) -> ImportResult:
    manifest = sample_data.sample_manifest(kind, "017", sequence, stream=1, role=role)
    with transaction(engine) as session:
        return import_payload(session, manifest, payload, package_id=f"017-{kind}-1-{sequence}".ljust(64, "0"),
                              operator="tester")


@contextmanager
def _inserts(engine: Engine) -> Iterator[dict[str, int]]:
    """How many INSERT statements each table received (an executemany is one)."""
    counted: dict[str, int] = {}

    def count(_conn: Any, _cursor: Any, statement: str, _params: Any, _context: Any, _many: bool) -> None:
        words = statement.split()
        if len(words) > 2 and words[0].upper() == "INSERT":
            table = words[2].strip('"')
            counted[table] = counted.get(table, 0) + 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield counted
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _one_statement(engine: Engine) -> int:
    """The INSERTs a table's bulk write is: one executemany, or none on PostgreSQL with psycopg (a COPY)."""
    return 0 if engine.dialect.name == "postgresql" and engine.dialect.driver == "psycopg" else 1


def _certificates(count: int) -> dict[str, Any]:
    return {
        "format": 1, "site_code": "017", "stream": 1, "date": "2027-06-20",
        "certificates": [{"ikt": f"{100000000 + number}", "series": "ЖА", "number": f"{number:07d}",
                          "issued_on": "2027-07-01"} for number in range(1, count + 1)],
        "spoiled": [{"series": "ЖА", "number": f"{count + 1:07d}", "reason": "printer jam", "ikt": None}],
        "packs": [{"series": "ЖА", "first": "0000001", "last": f"{count + 1:07d}", "count": count + 1}],
    }  # fmt: skip


def test_a_stream_of_results_is_written_in_one_statement_and_every_row_as_sent(nct_engine: Engine) -> None:
    rows = _rows()
    with _inserts(nct_engine) as counted:
        result = _import(nct_engine, "results", 1, results_payload("017", 1, "2027-06-20", rows))
    assert counted.get(ExamResult.__tablename__, 0) == _one_statement(nct_engine)
    assert result.counts["results"] == SEATED and result.counts["scored"] == 150
    with transaction(nct_engine) as session:
        kept = {row.ikt: row for row in session.scalars(select(ExamResult))}
        assert len(kept) == SEATED
        sent = rows[5]  # applicant 6: scored in three subjects, every optional field filled
        row = kept[sent.ikt]
        assert (row.iin, row.room_number, row.seat, row.sheet_number, row.variant, row.creative, row.status,
                row.total, row.max_total, str(row.exam_date)) == (
            sent.iin, "01", 6, "S00006", "0101", False, "scored", 6 + 6 + 6, 70, "2027-06-20")  # fmt: skip
        assert row.subjects == [{"code": "HKZ", "points": 6, "max": 20}, {"code": "MLIT", "points": 6, "max": 10},
                                {"code": "MATH", "points": 6, "max": 40}]  # fmt: skip
        absent = kept[rows[1].ikt]  # applicant 2: absent, nothing scored
        assert (absent.status, absent.sheet_number, absent.subjects, absent.total) == ("absent", None, [], None)

    with _inserts(nct_engine) as counted:  # the site sends the stream again: one statement clears, one writes
        _import(nct_engine, "results", 2, results_payload("017", 1, "2027-06-20", rows[:10]))
    assert counted.get(ExamResult.__tablename__, 0) == _one_statement(nct_engine)
    with transaction(nct_engine) as session:
        assert session.scalar(select(func.count()).select_from(ExamResult)) == 10


def test_the_results_with_appeal_are_written_in_one_statement_with_their_changes(nct_engine: Engine) -> None:
    rows = _rows()
    rows[0] = result_row(1, points=(2, 1, 1))  # applicant 1: HKZ task 3 satisfied on appeal, 1 → 2 points
    applied = datetime(2027, 6, 21, 10, tzinfo=UTC)
    changes = [ScoreChange(rows[0].ikt, "HKZ", 3, 1, 2, 4, "republican-commission 0001", applied, "Программист")]
    with _inserts(nct_engine) as counted:
        result = _import(nct_engine, "final-results", 1,
                         final_results_payload("017", 1, "2027-06-20", rows, changes))
    assert counted.get(FinalExamResult.__tablename__, 0) == _one_statement(nct_engine)
    assert result.counts["results"] == SEATED and result.counts["changes"] == 1
    with transaction(nct_engine) as session:
        kept = {row.ikt: row for row in session.scalars(select(FinalExamResult))}
        assert len(kept) == SEATED and kept[rows[0].ikt].total == 4
        assert kept[rows[0].ikt].changes == [
            {"subject": "HKZ", "task": 3, "before": 1, "after": 2, "appeal": 4,
             "decided_by": "republican-commission 0001", "applied_at": "2027-06-21T10:00:00+00:00"}]  # fmt: skip
        assert all(row.changes == [] for ikt, row in kept.items() if ikt != rows[0].ikt)


def test_a_stream_of_certificate_numbers_is_written_in_one_statement_a_table(nct_engine: Engine) -> None:
    with _inserts(nct_engine) as counted:
        result = _import(nct_engine, "certificate-numbers", 1, _certificates(SEATED), role="certificate")
    tables = (CertificateNumber, SpoiledBlank, ReceivedBlankPack)
    assert {model.__tablename__: counted.get(model.__tablename__, 0) for model in tables} == dict.fromkeys(
        (model.__tablename__ for model in tables), _one_statement(nct_engine))
    assert result.counts == {"certificates": SEATED, "spoiled": 1, "packs": 1}
    with transaction(nct_engine) as session:
        numbers = {row.ikt: (row.series, row.number, str(row.issued_on)) for row in
                   session.scalars(select(CertificateNumber))}  # fmt: skip
        assert len(numbers) == SEATED and numbers["100000007"] == ("ЖА", "0000007", "2027-07-01")
        spoiled = session.scalars(select(SpoiledBlank)).one()
        pack = session.scalars(select(ReceivedBlankPack)).one()
        assert (spoiled.number, spoiled.reason, spoiled.ikt) == (f"{SEATED + 1:07d}", "printer jam", None)
        assert (pack.first, pack.last, pack.count) == ("0000001", f"{SEATED + 1:07d}", SEATED + 1)


def test_a_refused_bulk_package_leaves_nothing(nct_engine: Engine) -> None:
    body = _certificates(SEATED)
    body["packs"][0].update(last=f"{SEATED:07d}", count=SEATED)  # the spoiled blank is in no pack
    with pytest.raises(Refused, match=f"blank ЖА {SEATED + 1:07d} is in no pack"):
        _import(nct_engine, "certificate-numbers", 1, body, role="certificate")
    with transaction(nct_engine) as session:
        assert session.scalar(select(func.count()).select_from(CertificateNumber)) == 0
        assert session.scalar(select(func.count()).select_from(ReceivedBlankPack)) == 0


def test_a_row_the_database_still_refuses_is_named_by_its_constraint_never_by_its_values(nct_engine: Engine) -> None:
    _import(nct_engine, "certificate-numbers", 1, _certificates(3), role="certificate")
    with transaction(nct_engine) as session:
        kept = session.scalars(select(CertificateNumber).where(CertificateNumber.ikt == "100000002")).one()
        again = {column.name: getattr(kept, column.name) for column in CertificateNumber.__table__.columns
                 if column.name != "id"}  # fmt: skip
    with pytest.raises(Refused) as refused, transaction(nct_engine) as session:
        insert_rows(session, CertificateNumber, [again])
    said = str(refused.value)
    assert said.startswith("НЦТ's database refused the package's rows: ")
    assert "100000002" not in said and "0000002" not in said and "\n" not in said
    with transaction(nct_engine) as session:  # nothing changed
        assert session.scalar(select(func.count()).select_from(CertificateNumber)) == 3
