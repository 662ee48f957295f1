"""The stored scores equal an independent recomputation (issue 16's quality bar).

The recomputation below is written from the instruction and the test specification's JSON, not with the
suite's scorer (``score_sheet``, ``ScoringRule``): a task scores by its rule in the specification's
``scoring_rules`` table, ``points_by_errors[n]`` for ``n`` errors — an error being an option marked but not
right or right but not marked — and nothing when nothing is marked or the errors go past the table. So a
single-answer task (rule ``[1]``) scores 1 when exactly its right option is marked and nothing for a double
mark; a multiple-answer task (``[2, 1, 0]``) 2 with no error, 1 with one. A sheet with sector 6
«Творческий экзамен» marked is scored in the creative exam's subjects only (п. 150 note). The protocol's
entry overrides the variant and the profile subjects read on the sheet; «Удалить бланк» sheets are not scored
(п. 170); absent applicants have no score.

The stream is generated (``benchmarks/scoring.py``: several rooms, every sheet's marks drawn with blanks,
double marks and multiple-answer sets, creative-exam sheets, sheets corrected or deleted by the protocol,
absent applicants) and scored through ``ent-programmer score``.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from exchange_support import run_cli
from sqlalchemy import select

from common.db.answer_models import SheetScan
from common.db.engine import open_engine, transaction
from common.db.identification_models import ApplicantNote, SheetEntry
from common.db.score_models import SheetScoreRow, StreamAnswerKey
from common.db.variant_models import StreamSpecification
from common.i18n import set_language

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("bench_scoring", ROOT / "benchmarks" / "scoring.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def tasks_of(subject: dict[str, Any]) -> list[tuple[str, str]]:
    """Each task of a subject in order: (option letters, rule name), from the grouped JSON."""
    letters = "ABCDEFGH"
    return [(letters[:group["options"]], group["rule"]) for group in subject["tasks"] for _ in range(group["count"])]


def task_points(table: list[int], marked: str, right: str) -> int:
    if not marked:
        return 0
    errors = len(set(marked) ^ set(right))
    return table[errors] if errors < len(table) else 0


def recompute(spec: dict[str, Any], key: dict[str, Any], reading: dict[str, Any], entry: SheetEntry | None
              ) -> dict[str, Any]:
    """One sheet's score from its reading (as scanned), the protocol's entry, the key and the specification."""
    fields = reading["fields"]
    creative = fields.get("creative") == "Y"
    slots = [subject["code"] for subject in spec["subjects"] if subject["kind"] == "profile_slot"]
    if entry is not None and entry.subjects:
        chosen = entry.subjects.split("-")
    else:
        chosen = [fields[f"{slot}_subject"] for slot in slots]
    variant = entry.variant if entry is not None and entry.variant else reading["groups"]["variant"]
    tested = [subject for subject in spec["subjects"]
              if not creative or subject["code"] in spec["creative_exam"]["subjects"]]
    per_task: dict[str, list[int]] = {}
    maxima: dict[str, int] = {}
    for subject in tested:
        code = chosen[slots.index(subject["code"])] if subject["code"] in slots else subject["code"]
        right = key["variants"][variant][code]
        points = []
        most = 0
        for number, (_letters, rule) in enumerate(tasks_of(subject), 1):
            table = spec["scoring_rules"][rule]["points_by_errors"]
            points.append(task_points(table, fields.get(f"{subject['code']}.q{number:02d}", ""), right[number - 1]))
            most += table[0]
        per_task[code] = points
        maxima[code] = most
    return {"per_task": per_task, "per_subject": [[code, sum(points), maxima[code]] for code, points in
                                                  per_task.items()],
            "total": sum(sum(points) for points in per_task.values()), "max_total": sum(maxima.values()),
            "variant": variant, "profile_subjects": [] if creative else chosen, "creative": creative}


def test_every_stored_score_equals_the_independent_recomputation(tmp_path: Path) -> None:
    from arm_programmer.cli import build

    folder = tmp_path / "programmer"
    built = _generator().build_stream(folder, applicants=400, seats=90, seed=16)
    assert built.rooms >= 4 and built.creative and built.corrected and built.deleted and built.absent
    scored = run_cli(build(), ["score", "--stream", "1", "--json", "--data-dir", str(folder)])
    assert scored.code == 0, scored.err
    counts = scored.json()
    assert counts["scored"] == built.sheets and counts["deleted"] == built.deleted

    engine = open_engine(folder / "workstation.sqlite")
    try:
        with transaction(engine) as session:
            spec = session.scalars(select(StreamSpecification)).one().document
            key_row = session.scalars(select(StreamAnswerKey)).one()
            key = json.loads(key_row.document)
            readings = {scan.sheet_id: scan.reading for scan in session.scalars(
                select(SheetScan).where(SheetScan.pass_number == 1))}
            entries = {entry.sheet_id: entry for entry in session.scalars(select(SheetEntry))}
            absent = set(session.scalars(select(ApplicantNote.application_id)))
            rows = list(session.scalars(select(SheetScoreRow)))
            session.expunge_all()
    finally:
        engine.dispose()
    deleted = {sheet_id for sheet_id, entry in entries.items() if entry.decision == "delete"}
    assert len(rows) == built.sheets and not deleted & {row.sheet_id for row in rows}
    assert not absent & {row.application_id for row in rows}
    seen = {"double": 0, "blank": 0, "partial": 0, "creative": 0, "corrected": 0}
    for row in rows:
        expected = recompute(spec, key, readings[row.sheet_id], entries.get(row.sheet_id))
        stored = {"per_task": row.per_task, "per_subject": row.per_subject, "total": row.total,
                  "max_total": row.max_total, "variant": row.variant, "profile_subjects": row.profile_subjects,
                  "creative": row.creative}
        assert stored == expected, row.sheet_id
        fields = readings[row.sheet_id]["fields"]
        seen["creative"] += row.creative
        seen["corrected"] += row.sheet_id in entries
        seen["blank"] += sum(1 for name, value in fields.items() if ".q" in name and not value)
        seen["double"] += sum(1 for name, value in fields.items()
                              if ".q" in name and len(value) == 2 and not name.endswith(tuple(
                                  f"q{number}" for number in range(21, 31))))
        seen["partial"] += sum(1 for points in row.per_task.values() for value in points if value == 1) > 0
    assert all(seen.values()), seen
    assert any(row.creative and row.max_total < max(other.max_total for other in rows) for row in rows)
