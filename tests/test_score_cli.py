"""Scores on the command line (п. 179–180): a stream scanned twice from the simulated scanner and identified —
one applicant absent, one sheet with sector 6 «Творческий экзамен», one with double marks and blanks — its
answer codes opened, ``score`` storing every sheet per task with the marks the paper carries, the results
(``result_rows``) and ``send results`` sealing the ``results`` package for НЦТ."""

from __future__ import annotations

from pathlib import Path

import pytest
from applications_support import ok
from exchange_support import NCT_PASSWORD, Scene
from programmer_support import audit_entries, identified_stream, programmer, session_of, three_passwords
from sqlalchemy import select

from arm_programmer.results import ResultStatus
from common.db.score_models import SheetScoreRow
from common.i18n import set_language
from common.scanning.simulated import SimulatedSheet


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


@pytest.fixture(scope="module")
def identified(tmp_path_factory: pytest.TempPathFactory) -> tuple[Scene, list[str], dict[str, SimulatedSheet]]:
    """Stream 1 identified and reported; its answer codes sealed and taken, not opened (``identified_stream``)."""
    return identified_stream(tmp_path_factory)


def test_scoring_waits_for_the_answer_codes(identified: tuple[Scene, list[str], dict[str, SimulatedSheet]]) -> None:
    scene, passwords, _paper = identified
    early = programmer(scene, "score", "--stream", "1")
    assert early.code == 1 and "The answer codes of stream 1 are not opened" in early.err
    ok(programmer(scene, "codes", "open", "--stream", "1", **three_passwords(passwords)))
    unsent = programmer(scene, "send", "results", "--stream", "1")
    assert unsent.code == 1 and "The sheets of stream 1 are not scored yet" in unsent.err


def test_every_identified_sheet_is_scored_per_task_with_the_marks_on_paper(
        identified: tuple[Scene, list[str], dict[str, SimulatedSheet]]) -> None:
    from arm_programmer.scores import result_rows

    scene, _passwords, paper = identified
    counts = ok(programmer(scene, "score", "--stream", "1", "--json")).json()
    assert (counts["scored"], counts["deleted"], counts["replaced"]) == (2, 0, 0)
    with session_of(scene) as session:
        stored = {row.application_id: row for row in session.scalars(select(SheetScoreRow))}
        rows = result_rows(session, 1)
        session.expunge_all()
    by_status = {row.status: row for row in rows}
    assert sorted(row.status.value for row in rows) == ["absent", "scored", "scored"]
    assert by_status[ResultStatus.ABSENT].total is None and not by_status[ResultStatus.ABSENT].subjects
    creative = next(row for row in rows if row.creative)
    assert [subject.code for subject in creative.subjects] == ["history_kz", "reading_literacy"]
    assert creative.max_total == 40 and creative.total == sum(subject.points for subject in creative.subjects)
    other = next(row for row in rows if row.status is ResultStatus.SCORED and not row.creative)
    assert other.max_total == 140 and len(other.subjects) == 5
    assert len(stored) == 2
    for row in stored.values():
        sheet = paper["creative"] if row.creative else paper["marked"]
        for block, tasks in row.marks.items():
            for number, letters in tasks.items():
                assert letters == sheet.answers.get(f"{block}.q{int(number):02d}", ""), (block, number)
    double = next(row for row in stored.values() if not row.creative)
    assert double.per_task["history_kz"][:5] == [0] * 5 and double.per_task["math_literacy"][:5] == [0] * 5
    again = ok(programmer(scene, "score", "--stream", "1", "--json")).json()
    assert again["replaced"] == 2 and again["scored"] == 2
    entries = audit_entries(scene, "scores.stored")
    assert [entry["details"]["scored"] for entry in entries] == [2, 2]
    log = (scene.folder("programmer") / "audit.log").read_text(encoding="utf-8")
    assert not any(name in log for name in ("Абаев", "Иванов", "Петров", "Қасымов"))


def test_the_results_package_carries_the_rows_without_names(
        identified: tuple[Scene, list[str], dict[str, SimulatedSheet]]) -> None:
    from common.exchange.ledger import MemoryLedger
    from common.exchange.package import open_package
    from nct_hub.keys import load_nct_identity, load_trust

    scene, _passwords, _paper = identified
    sent = ok(programmer(scene, "send", "results", "--stream", "1", "--json")).json()
    assert sent["counts"] == {"scored": 2, "absent": 1, "annulled": 0, "not-admitted": 0}
    opened = open_package(Path(sent["path"]).read_bytes(), load_nct_identity(scene.nct_dir, NCT_PASSWORD),
                          load_trust(scene.nct_dir), MemoryLedger())
    assert opened.manifest.kind == "results" and opened.manifest.stream == 1
    payload = opened.payload
    assert payload["counts"] == sent["counts"] and payload["site_code"] == "017" and payload["stream"] == 1
    assert len(payload["results"]) == 3 and all(item["iin"] for item in payload["results"])
    text = str(payload)
    assert not any(name in text for name in ("Абаев", "Иванов", "Петров", "Қасымов"))
    scored = [item for item in payload["results"] if item["status"] == "scored"]
    assert all(item["total"] == sum(subject["points"] for subject in item["subjects"]) for item in scored)


def test_a_mark_decided_after_the_scoring_holds_the_results_back_until_scored_again(
        identified: tuple[Scene, list[str], dict[str, SimulatedSheet]]) -> None:
    scene, _passwords, paper = identified
    sheet = paper["marked"]
    room = "01" if sheet.answers.get("room.c02") == "1" else "02"
    ok(programmer(scene, "passes", "resolve", "--stream", "1", "--room", room, "--sheet", sheet.number or "",
                  "--field", "history_kz.q01", "--value", "C"))
    held = programmer(scene, "send", "results", "--stream", "1")
    assert held.code == 1 and "1 score(s) of stream 1 no longer match the identified sheets" in held.err
    ok(programmer(scene, "score", "--stream", "1"))
    with session_of(scene) as session:
        marks = [row.marks["history_kz"]["1"] for row in session.scalars(select(SheetScoreRow)) if not row.creative]
    assert marks == ["C"]
    ok(programmer(scene, "send", "results", "--stream", "1"))
