"""НЦТ's side of the appeals (п. 203–206): the ``appeals`` package imported and checked field by field,
the Republican commission's decisions (final, п. 205), the ``appeal-decisions`` payload, and the
``final-results`` package standing for the stream's results with appeal."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from appeal_nct_support import APPEAL_SCAN, ATTACHMENTS, TEST_DAY, final_payload, stream_payload
from nct_support import english_fixture, nct_engine_fixture, postgres_nct_url_fixture  # noqa: F401
from sqlalchemy import Engine, func, select
from test_nct_results import stream_rows

from arm_programmer.appeal_records import RepublicanDecision, TaskDecision, decisions_payload
from arm_programmer.results import results_payload
from common.errors import Refused
from nct_hub import sample_data
from nct_hub.appeals import appeal_data, appeal_images, decide, decisions_for, stream_appeals
from nct_hub.db.appeal_models import FinalExamResult, NctAppeal, NctAppealTask
from nct_hub.db.engine import transaction
from nct_hub.imports import ImportResult, import_payload
from nct_hub.results import results_summary, summary_text
from nct_hub.results_lookup import entries_from_results

pytestmark = pytest.mark.usefixtures("english")


def _import(engine: Engine, kind: str, sequence: int, payload: dict[str, Any], *, site: str = "017",
            stream: int = 1, attachments: dict[str, bytes] | None = None) -> ImportResult:
    manifest = sample_data.sample_manifest(kind, site, sequence, stream=stream, role="programmer")
    with transaction(engine) as session:
        package = f"{site}-{kind}-{stream}-{sequence}".ljust(64, "0")
        return import_payload(session, manifest, payload, package_id=package, operator="tester",
                              attachments=attachments)


def _listed(engine: Engine, site: str | None = "017", stream: int | None = 1) -> list[dict[str, Any]]:
    with transaction(engine) as session:
        return [appeal_data(appeal) for appeal in stream_appeals(session, site, stream)]


def _decide(engine: Engine, number: int, subject: str, task: int, decision: TaskDecision,
            points: int | None = None) -> None:
    with transaction(engine) as session:
        decide(session, "017", 1, number, subject, task, decision, points=points, note="", actor="РК")


def test_appeals_are_kept_per_application_and_task_with_the_technical_images(nct_engine: Engine) -> None:
    result = _import(nct_engine, "appeals", 1, stream_payload(), attachments=ATTACHMENTS)
    assert result.counts == {"appeals": 3, "tasks": 5, "technical": 1, "no-show": 1, "decided-kept": 0}
    listed = _listed(nct_engine)
    assert [(item["number"], item["kind"], item["state"], item["ikt"]) for item in listed] == [
        (1, "technical", "registered", "100000001"), (2, "content", "registered", "100000002"),
        (3, "content", "no-show", "100000003")]  # fmt: skip
    assert [(task["subject"], task["task"], task["ground"], task["state"]) for task in listed[1]["tasks"]] == [
        ("HKZ", 3, "key-mismatch", "not-satisfied"), ("HKZ", 7, "several-right", "pending")]
    with transaction(nct_engine) as session:
        technical = stream_appeals(session, "017", 1)[0]
        assert [(image.role, image.data) for image in appeal_images(session, technical)] == [
            ("test_day", TEST_DAY), ("appeal", APPEAL_SCAN)]
        assert technical.tasks[0].fills["C"] == 0.62 and technical.tasks[0].case == "unread-mark"
    assert _listed(nct_engine, stream=2) == []


def _other_site(payload: dict[str, Any]) -> None:
    payload["site_code"] = "099"


def _other_stream(payload: dict[str, Any]) -> None:
    payload["stream"] = 2


def _twice(payload: dict[str, Any]) -> None:
    payload["appeals"][2]["number"] = 1


def _unknown_ground(payload: dict[str, Any]) -> None:
    payload["appeals"][1]["tasks"][1]["ground"] = "unfair"


def _technical_ground_on_content(payload: dict[str, Any]) -> None:
    payload["appeals"][1]["tasks"][1]["ground"] = "read-as-empty"


def _missing_image(payload: dict[str, Any]) -> None:
    payload["appeals"][0]["images"]["appeal"] = "appeal-9.png"


def _text_task(payload: dict[str, Any]) -> None:
    payload["appeals"][0]["tasks"][0]["task"] = "12"


def _site_satisfies(payload: dict[str, Any]) -> None:
    payload["appeals"][1]["tasks"][1]["decision"] = "satisfied"


def _wrong_answer_not_satisfied(payload: dict[str, Any]) -> None:
    payload["appeals"][1]["tasks"][1]["decision"] = "not-satisfied"


def _fill_above_one(payload: dict[str, Any]) -> None:
    payload["appeals"][0]["tasks"][0]["fills"]["C"] = 1.5


@pytest.mark.parametrize(("spoil", "message"), [
    (_other_site, "site_code: the appeals are of site 099, but the package came from site 017"),
    (_other_stream, "stream: the appeals are of stream 2, but the package is of stream 1"),
    (_twice, "appeals[2].number: the number appears twice"),
    (_unknown_ground, "appeals[1].tasks[1].ground: unknown ground unfair"),
    (_technical_ground_on_content, "appeals[1].tasks[1].ground: the ground read-as-empty is not one of a content"),
    (_missing_image, "appeals[0].images.appeal: the package has no attachment appeal-9.png"),
    (_text_task, "appeals[0].tasks[0].task: not a whole number of zero or more"),
    (_site_satisfies, "appeals[1].tasks[1].decision: the decision is the Republican commission's"),
    (_wrong_answer_not_satisfied, "appeals[1].tasks[1].decision: only a content task answered right"),
    (_fill_above_one, "appeals[0].tasks[0].fills.C: not a fill between 0 and 1"),
])  # fmt: skip
def test_a_malformed_appeals_package_is_refused_and_nothing_is_kept(
    nct_engine: Engine, spoil: Callable[[dict[str, Any]], None], message: str
) -> None:
    payload = copy.deepcopy(stream_payload())
    spoil(payload)
    with pytest.raises(Refused, match="The appeals are not valid: " + message.replace("[", r"\[").replace("]", r"\]")):
        _import(nct_engine, "appeals", 1, payload, attachments=ATTACHMENTS)
    with transaction(nct_engine) as session:
        assert session.scalar(select(func.count()).select_from(NctAppeal)) == 0
        assert session.scalar(select(func.count()).select_from(NctAppealTask)) == 0


def test_decisions_are_final_and_the_package_waits_for_every_pending_task(nct_engine: Engine) -> None:
    _import(nct_engine, "appeals", 1, stream_payload(), attachments=ATTACHMENTS)
    _decide(nct_engine, 1, "MATH", 12, TaskDecision.SATISFIED)  # the commission's proposal: 1 point
    with pytest.raises(Refused, match=r"Task MATH:12 of application 1 is already decided: the decision is final "
                                      r"\(п. 205\)"):  # fmt: skip
        _decide(nct_engine, 1, "MATH", 12, TaskDecision.NOT_SATISFIED)
    with pytest.raises(Refused, match=r"Task HKZ:3 of application 2 was answered right"):
        _decide(nct_engine, 2, "HKZ", 3, TaskDecision.SATISFIED, points=1)
    with pytest.raises(Refused, match=r"Application 3 is «не явился»: it is not considered \(п. 192\)"):
        _decide(nct_engine, 3, "MLIT", 4, TaskDecision.SATISFIED, points=1)
    with pytest.raises(Refused, match="The task's points must be from 0 to 2"):
        _decide(nct_engine, 1, "MATH", 31, TaskDecision.SATISFIED, points=3)
    with transaction(nct_engine) as session, pytest.raises(Refused, match="Task MATH:31 of application 1 is not "
                                                                          "decided yet"):  # fmt: skip
        decisions_for(session, "017", 1)

    _decide(nct_engine, 1, "MATH", 31, TaskDecision.NOT_SATISFIED)
    _decide(nct_engine, 2, "HKZ", 7, TaskDecision.SATISFIED, points=1)
    with transaction(nct_engine) as session:
        payload = decisions_payload("017", 1, decisions_for(session, "017", 1))
    assert [(item["number"], item["subject"], item["task"], item["decision"], item["points"])
            for item in payload["decisions"]] == [
        (1, "MATH", 12, "satisfied", 1), (1, "MATH", 31, "not-satisfied", 0),
        (2, "HKZ", 3, "not-satisfied", 1), (2, "HKZ", 7, "satisfied", 1)]  # fmt: skip
    assert [item["state"] for item in _listed(nct_engine)] == ["decided", "decided", "no-show"]


def test_a_newer_appeals_package_replaces_the_pending_tasks_but_never_a_decided_one(nct_engine: Engine) -> None:
    _import(nct_engine, "appeals", 1, stream_payload(), attachments=ATTACHMENTS)
    _decide(nct_engine, 1, "MATH", 12, TaskDecision.SATISFIED)
    again = copy.deepcopy(stream_payload())
    again["appeals"][0]["tasks"][0]["proposed_points"] = 0  # the site changed its mind on a decided task: ignored
    again["appeals"][0]["tasks"][1]["proposed_points"] = 1  # and on a pending one: taken
    del again["appeals"][1]
    result = _import(nct_engine, "appeals", 2, again, attachments=ATTACHMENTS)
    assert result.superseded_sequence == 1 and result.counts["decided-kept"] == 1
    listed = _listed(nct_engine)
    assert [item["number"] for item in listed] == [1, 3]
    tasks = {(task["subject"], task["task"]): task for task in listed[0]["tasks"]}
    assert (tasks["MATH", 12]["state"], tasks["MATH", 12]["decided_points"], tasks["MATH", 12]["proposed_points"]) \
        == ("satisfied", 1, 1)
    assert (tasks["MATH", 31]["state"], tasks["MATH", 31]["proposed_points"]) == ("pending", 1)
    assert listed[0]["state"] == "registered"  # one task still waits
    other = copy.deepcopy(again)
    other["appeals"][0]["ikt"] = "100000009"
    with pytest.raises(Refused, match="application 1 is another applicant's"):
        _import(nct_engine, "appeals", 3, other, attachments=ATTACHMENTS)


def test_the_final_results_stand_for_the_stream_and_in_the_lookup_file(nct_engine: Engine) -> None:
    _import(nct_engine, "results", 1, results_payload("017", 1, "2027-06-20", stream_rows()))
    _import(nct_engine, "results", 1, results_payload("017", 2, "2027-06-20", stream_rows()[:2]), stream=2)
    result = _import(nct_engine, "final-results", 1, final_payload())
    assert result.counts == {"results": 6, "scored": 3, "absent": 1, "annulled": 1, "not-admitted": 1, "changes": 1}
    with transaction(nct_engine) as session:
        final = results_summary(session, "017", 1, final=True)
        without = results_summary(session, "017", 1)
        assert results_summary(session, "017", 2, final=True) is None
        row = session.scalar(select(FinalExamResult).where(FinalExamResult.ikt == "100000002"))
        assert row is not None and row.total == 31 and row.changes == [
            {"subject": "HKZ", "task": 7, "before": 0, "after": 1, "appeal": 2,
             "decided_by": "republican-commission 0001", "applied_at": "2027-06-21T10:00:00+00:00"}]  # fmt: skip
        entries, _without = entries_from_results(session)
    assert final is not None and without is not None
    assert (final.average_total, without.average_total) == (round(104 / 3, 2), round(103 / 3, 2))
    assert "results with appeal number 1, 6 seated, 1 tasks changed by appeals." in summary_text(final)
    totals = {(entry.result["stream"], entry.ikt): entry.result["total"] for entry in entries}
    assert len(entries) == 8 and totals[1, "100000002"] == 31 and totals[2, "100000002"] == 30

    again = final_payload()  # the site sends the stream's results with appeal again: they replace the rows
    again["results"], again["counts"] = again["results"][:2], {"scored": 2, "absent": 0, "annulled": 0,
                                                                "not-admitted": 0}
    assert _import(nct_engine, "final-results", 2, again).superseded_sequence == 1
    with transaction(nct_engine) as session:
        assert session.scalar(select(func.count()).select_from(FinalExamResult)) == 2


@pytest.mark.parametrize(("spoil", "message"), [
    (lambda payload: payload["changes"][0].update(ikt="100000099"), r"changes\[0\].ikt: not an applicant"),
    (lambda payload: payload["changes"][0].update(subject="BIO"), r"changes\[0\].subject: not one of"),
    (lambda payload: payload.update(changes=None), "changes: not a list"),
    (lambda payload: payload["results"][0].update(total=1), r"results\[0\].total: the total is not the sum"),
])  # fmt: skip
def test_malformed_final_results_are_refused(nct_engine: Engine, spoil: Callable[[dict[str, Any]], None],
                                             message: str) -> None:
    payload = copy.deepcopy(final_payload())
    spoil(payload)
    with pytest.raises(Refused, match="The results with appeal are not valid: " + message):
        _import(nct_engine, "final-results", 1, payload)
    with transaction(nct_engine) as session:
        assert session.scalar(select(func.count()).select_from(FinalExamResult)) == 0


def _documented(heading: str) -> dict[str, Any]:
    """The JSON example under ``heading`` in docs/packages.md."""
    import json
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "docs" / "packages.md").read_text(encoding="utf-8")
    section = text[text.index(heading):]
    example: dict[str, Any] = json.loads(section[section.index("```json") + 7:section.index("```\n")])
    return example


def test_the_documented_payloads_are_the_contracts_and_are_accepted(nct_engine: Engine) -> None:
    appeals = _documented("## `appeals` — ")
    assert set(appeals["appeals"][0]) == set(stream_payload()["appeals"][0])
    assert set(appeals["appeals"][0]["tasks"][0]) == set(stream_payload()["appeals"][0]["tasks"][0])
    assert _import(nct_engine, "appeals", 1, appeals, attachments=ATTACHMENTS).counts["tasks"] == 3
    decisions = _documented("## `appeal-decisions` — ")
    assert decisions == decisions_payload("017", 1, [
        RepublicanDecision(2, "100000002", "HKZ", 3, TaskDecision.NOT_SATISFIED, 1),
        RepublicanDecision(1, "100000001", "MATH", 12, TaskDecision.SATISFIED, 1)])
    final = _documented("## `final-results` — ")
    assert set(final) == set(final_payload()) and set(final["changes"][0]) == set(final_payload()["changes"][0])
    assert _import(nct_engine, "final-results", 1, final).counts == {
        "results": 1, "scored": 1, "absent": 0, "annulled": 0, "not-admitted": 0, "changes": 1}
