"""НЦТ's side of the results without appeal (п. 180) and the programmer's daily statistics (п. 53.6).

Payloads are made from ``ResultRow``s with the contract's own ``results_payload`` and imported as
``ent-nct import`` does after ``open_package`` checked them; ``test_nct_results_cli.py`` seals them.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from nct_support import english_fixture, nct_engine_fixture, postgres_nct_url_fixture  # noqa: F401
from sqlalchemy import Engine, func, select

from arm_programmer.results import ResultRow, ResultStatus, SubjectPoints, results_payload
from arm_programmer.statistics import StreamAttendance, daily_statistics_payload
from common.errors import Refused
from nct_hub import sample_data
from nct_hub.daily_statistics import daily_applicants, exam_days
from nct_hub.db.engine import transaction
from nct_hub.db.import_models import ReceivedPackage
from nct_hub.db.results_models import ExamResult
from nct_hub.imports import ImportResult, import_payload
from nct_hub.results import results_summary, summary_text

pytestmark = pytest.mark.usefixtures("english")


def result_row(number: int, status: ResultStatus = ResultStatus.SCORED, points: tuple[int, ...] = (12, 8, 30),
               iin: str | None = None) -> ResultRow:
    """Applicant ``number`` of a stream; scored in three subjects unless ``status`` says otherwise."""
    scored = status is ResultStatus.SCORED
    subjects = tuple(SubjectPoints(code, value, most) for code, value, most
                     in zip(("HKZ", "MLIT", "MATH"), points, (20, 10, 40), strict=True)) if scored else ()
    return ResultRow(
        application_id=number, ikt=f"{100000000 + number}", iin=iin or f"05010{number % 10}{number:06d}",
        surname="Абаев", name="Асан", patronymic=None, school_code="110001", test_language="kk", room_number="01",
        seat=number, sheet_number=f"S{number:05d}" if scored else None, variant="0101" if scored else None,
        creative=False, subjects=subjects, total=sum(points) if scored else None,
        max_total=70 if scored else None, status=status,
    )  # fmt: skip


def stream_rows() -> list[ResultRow]:
    return [result_row(1, points=(20, 10, 40)), result_row(2, points=(10, 5, 15)), result_row(3, points=(0, 0, 3)),
            result_row(4, ResultStatus.ABSENT), result_row(5, ResultStatus.ANNULLED),
            result_row(6, ResultStatus.NOT_ADMITTED)]  # fmt: skip


def _import(engine: Engine, kind: str, site: str, sequence: int, payload: dict[str, Any], *,
            stream: int | None = None, role: str = "programmer") -> ImportResult:
    manifest = sample_data.sample_manifest(kind, site, sequence, stream=stream, role=role)
    with transaction(engine) as session:
        return import_payload(session, manifest, payload, package_id=f"{site}-{kind}-{stream}-{sequence}-{role}"
                              .ljust(64, "0"), operator="tester")  # fmt: skip


def _results(engine: Engine, site: str = "017", stream: int = 1) -> list[ExamResult]:
    with transaction(engine) as session:
        rows = list(session.scalars(select(ExamResult).where(ExamResult.site_code == site, ExamResult.stream == stream)
                                    .order_by(ExamResult.ikt)))  # fmt: skip
        session.expunge_all()
    return rows


# --- results ----------------------------------------------------------------------------------------
def test_results_are_kept_per_site_and_stream_and_a_newer_package_replaces_the_stream(nct_engine: Engine) -> None:
    result = _import(nct_engine, "results", "017", 1, results_payload("017", 1, "2027-06-20", stream_rows()), stream=1)
    assert result.imported and result.counts == {"results": 6, "scored": 3, "absent": 1, "annulled": 1,
                                                 "not-admitted": 1}
    _import(nct_engine, "results", "017", 1, results_payload("017", 2, "2027-06-20", stream_rows()[:2]), stream=2)
    _import(nct_engine, "results", "018", 1, results_payload("018", 1, "2027-06-20", stream_rows()[:1]), stream=1)
    kept = _results(nct_engine)
    assert [(row.ikt, row.status, row.total) for row in kept] == [
        ("100000001", "scored", 70), ("100000002", "scored", 30), ("100000003", "scored", 3),
        ("100000004", "absent", None), ("100000005", "annulled", None), ("100000006", "not-admitted", None)]
    assert kept[0].subjects == [{"code": "HKZ", "points": 20, "max": 20}, {"code": "MLIT", "points": 10, "max": 10},
                                {"code": "MATH", "points": 40, "max": 40}]  # fmt: skip
    assert kept[0].iin == result_row(1).iin and str(kept[0].exam_date) == "2027-06-20"

    corrected = [result_row(1, points=(19, 10, 40)), *stream_rows()[1:3]]  # the site sends the stream again
    result = _import(nct_engine, "results", "017", 2, results_payload("017", 1, "2027-06-20", corrected), stream=1)
    assert result.superseded_sequence == 1
    assert [(row.ikt, row.total) for row in _results(nct_engine)] == [
        ("100000001", 69), ("100000002", 30), ("100000003", 3)]
    assert len(_results(nct_engine, stream=2)) == 2 and len(_results(nct_engine, "018")) == 1  # left alone
    with transaction(nct_engine) as session:  # the older package stays as history, no longer current
        history = session.execute(select(ReceivedPackage.sequence, ReceivedPackage.current).where(
            ReceivedPackage.kind == "results", ReceivedPackage.site_code == "017", ReceivedPackage.stream_key == 1)
            .order_by(ReceivedPackage.sequence)).all()  # fmt: skip
    assert [tuple(row) for row in history] == [(1, False), (2, True)]


def test_results_show_counts_and_averages(nct_engine: Engine) -> None:
    _import(nct_engine, "results", "017", 1, results_payload("017", 1, "2027-06-20", stream_rows()), stream=1)
    with transaction(nct_engine) as session:
        summary = results_summary(session, "017", 1)
        assert results_summary(session, "017", 2) is None
    assert summary is not None
    assert (summary.seated, summary.average_total, summary.max_total) == (6, round((70 + 30 + 3) / 3, 2), 70)
    assert summary.counts == {"scored": 3, "absent": 1, "annulled": 1, "not-admitted": 1}
    assert [(item.code, item.average, item.max_points) for item in summary.subjects] == [
        ("HKZ", 10.0, 20), ("MATH", round(58 / 3, 2), 40), ("MLIT", 5.0, 10)]
    text = summary_text(summary)
    assert "Site 017, stream 1, 2027-06-20: results number 1, 6 seated." in text
    assert "scored 3, absent 1, annulled 1, not admitted 1" in text and "Average total: 34.33 of 70." in text


def _other_site(payload: dict[str, Any]) -> None:
    payload["site_code"] = "099"


def _other_stream(payload: dict[str, Any]) -> None:
    payload["stream"] = 2


def _text_points(payload: dict[str, Any]) -> None:
    payload["results"][1]["subjects"][0]["points"] = "10"


def _wrong_total(payload: dict[str, Any]) -> None:
    payload["results"][0]["total"] = 71


def _points_above_max(payload: dict[str, Any]) -> None:
    payload["results"][2]["subjects"][2]["points"] = 41


def _bad_iin(payload: dict[str, Any]) -> None:
    payload["results"][0]["iin"] = "12345"


def _unknown_status(payload: dict[str, Any]) -> None:
    payload["results"][3]["status"] = "late"


def _points_for_the_absent(payload: dict[str, Any]) -> None:
    payload["results"][3]["total"] = 10


def _twice(payload: dict[str, Any]) -> None:
    payload["results"][1]["ikt"] = payload["results"][0]["ikt"]


def _counts_off(payload: dict[str, Any]) -> None:
    payload["counts"]["absent"] = 2


def _bad_date(payload: dict[str, Any]) -> None:
    payload["date"] = "20.06.2027"


def _future_format(payload: dict[str, Any]) -> None:
    payload["format"] = 2


@pytest.mark.parametrize(("breaks", "message"), [
    (_other_site, "site_code: the results are of site 099, but the package came from site 017."),
    (_other_stream, "stream: the results are of stream 2, but the package is of stream 1."),
    (_text_points, "results[1].subjects[0].points: not a whole number of zero or more."),
    (_wrong_total, "results[0].total: the total is not the sum of the subjects' points."),
    (_points_above_max, "results[2].subjects[2].points: the points are missing or above the subject's maximum."),
    (_bad_iin, "results[0].iin: missing or not valid."),
    (_unknown_status, "results[3].status: unknown status late."),
    (_points_for_the_absent, "results[3].subjects: points for an applicant who was not scored."),
    (_twice, "results[1].ikt: the ИКТ appears twice."),
    (_counts_off, "counts: the counts do not match the results."),
    (_bad_date, "date: not a date (YYYY-MM-DD)."),
    (_future_format, "format: format 2 is not known to this program."),
])
def test_a_bad_results_package_is_refused_in_one_line_and_the_stream_keeps_its_results(
    nct_engine: Engine, breaks: Callable[[dict[str, Any]], None], message: str
) -> None:
    good = results_payload("017", 1, "2027-06-20", stream_rows())
    _import(nct_engine, "results", "017", 1, good, stream=1)
    bad = copy.deepcopy(good)
    breaks(bad)
    with pytest.raises(Refused) as refused:
        _import(nct_engine, "results", "017", 2, bad, stream=1)
    assert refused.value.message == "The results are not valid: " + message
    assert "\n" not in refused.value.message
    assert [row.total for row in _results(nct_engine)] == [70, 30, 3, None, None, None]
    with transaction(nct_engine) as session:
        assert session.scalar(select(func.count()).select_from(ReceivedPackage)) == 1


def test_a_results_package_of_no_stream_is_refused(nct_engine: Engine) -> None:
    with pytest.raises(Refused, match="the package is of stream —"):
        _import(nct_engine, "results", "017", 1, results_payload("017", 1, "2027-06-20", stream_rows()))


# --- the programmer's daily statistics ---------------------------------------------------------------
def test_daily_statistics_count_each_stream_before_and_after_scoring() -> None:
    payload = daily_statistics_payload(
        "017", "2027-06-20", {1: stream_rows(), 2: None, 3: None},
        {1: StreamAttendance(seated=6, identified=4, absent=1, annulled=1, not_admitted=1),
         2: StreamAttendance(seated=30, identified=27, absent=2, annulled=0, not_admitted=1)})  # fmt: skip
    assert payload["format"] == 1 and payload["source"] == "programmer"
    assert (payload["site_code"], payload["date"]) == ("017", "2027-06-20")
    assert payload["streams"] == [
        {"stream": 1, "seated": 6, "present": 4, "identified": 4, "scored": 3, "absent": 1, "annulled": 1,
         "not_admitted": 1, "average_total": 34.33},
        {"stream": 2, "seated": 30, "present": 27, "identified": 27, "scored": None, "absent": 2, "annulled": 0,
         "not_admitted": 1, "average_total": None},
        {"stream": 3, "seated": None, "present": None, "identified": None, "scored": None, "absent": None,
         "annulled": None, "not_admitted": None, "average_total": None},
    ]
    assert "Абаев" not in str(payload) and result_row(1).iin not in str(payload)  # counts only


def _applications_daily(day: str) -> dict[str, Any]:
    return {"format": 1, "date": day,
            "counts": [{"stream": 1, "language": "kk", "entered": 120, "changed": 4, "annulled": 2}]}


def test_nct_keeps_both_daily_statistics_apart_by_sender(nct_engine: Engine) -> None:
    _import(nct_engine, "daily-statistics", "017", 1, _applications_daily("2027-06-19"), role="applications")
    first = daily_statistics_payload("017", "2027-06-20", {1: None}, {1: StreamAttendance(6, 4, 1, 1, 1)})
    later = daily_statistics_payload("017", "2027-06-20", {1: stream_rows()}, {1: StreamAttendance(6, 4, 1, 1, 1)})
    next_day = daily_statistics_payload("017", "2027-06-21", {2: None}, {})
    for sequence, payload in enumerate((first, later, next_day), start=1):
        result = _import(nct_engine, "daily-statistics", "017", sequence, payload)
        assert result.imported
    with transaction(nct_engine) as session:
        # the programmer's did not supersede the applications workstation's: ent-nct stats still counts it
        assert list(daily_applicants(session)) == [("017", 1, "kk", 124)]
        days = exam_days(session)
    assert [(day.site_code, day.date, day.sequence) for day in days] == [("017", "2027-06-20", 2),
                                                                         ("017", "2027-06-21", 3)]
    assert days[0].streams[0]["average_total"] == 34.33 and days[0].streams[0]["scored"] == 3


def test_a_malformed_programmer_daily_statistics_is_refused(nct_engine: Engine) -> None:
    payload = daily_statistics_payload("017", "2027-06-20", {1: stream_rows()}, {})
    payload["streams"][0]["absent"] = -1
    with pytest.raises(Refused, match=r"^The programmer's daily statistics are not valid: streams\[0\].absent.$"):
        _import(nct_engine, "daily-statistics", "017", 1, payload)
    other = daily_statistics_payload("018", "2027-06-20", {1: stream_rows()}, {})
    with pytest.raises(Refused, match="not valid: site_code"):
        _import(nct_engine, "daily-statistics", "017", 1, other)
    with transaction(nct_engine) as session:
        assert session.scalar(select(func.count()).select_from(ReceivedPackage)) == 0


def _documented(heading: str) -> dict[str, Any]:
    """The JSON example under ``heading`` in docs/packages.md."""
    import json
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "docs" / "packages.md").read_text(encoding="utf-8")
    section = text[text.index(heading):]
    example: dict[str, Any] = json.loads(section[section.index("```json") + 7:section.index("```\n")])
    return example


def test_the_documented_payloads_are_accepted(nct_engine: Engine) -> None:
    example = _documented("## `results` — ")
    assert _import(nct_engine, "results", "017", 1, example, stream=1).counts["results"] == 2
    daily = _documented("## `daily-statistics` — АРМ «Программиста Министерства»")
    assert _import(nct_engine, "daily-statistics", "017", 1, daily).imported
    assert set(daily["streams"][0]) == set(daily_statistics_payload("017", "2027-06-20", {1: []}, {})["streams"][0])
