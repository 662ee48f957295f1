"""The answer codes and the statement printed from the command line (п. 179–180), a printed statement page checked
against the database by its signed QR (a changed score or a changed mark is caught), and the day's statistics sent
to НЦТ (п. 53.6) — on the scene of test_score_cli: stream 1 identified, one applicant absent."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from applications_support import ok
from exchange_support import Scene
from pdf_support import pdf_text
from programmer_support import programmer, session_of, three_passwords
from sqlalchemy import select
from test_score_cli import identified  # noqa: F401 (the module's scene)

from common.db.score_models import SheetScoreRow
from common.scanning.simulated import SimulatedSheet

Identified = tuple[Scene, list[str], dict[str, SimulatedSheet]]


@pytest.fixture(scope="module")
def scored(identified: Identified) -> Identified:  # noqa: F811
    scene, passwords, _paper = identified
    ok(programmer(scene, "codes", "open", "--stream", "1", **three_passwords(passwords)))
    ok(programmer(scene, "score", "--stream", "1"))
    return identified


def _first_page_png(pdf: Path, out: Path) -> Path:
    subprocess.run(["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", str(pdf), str(out / "page")], check=True)
    [png] = out.glob("page*.png")
    return png


def test_the_codes_print_in_two_marked_copies(scored: Identified) -> None:
    scene, _passwords, _paper = scored
    printed = ok(programmer(scene, "codes", "print", "--stream", "1", "--language", "ru", "--json")).json()
    path = Path(printed["path"])
    assert path.parent == scene.folder("programmer") / "printed" and printed["pages"] >= 2
    text = pdf_text(path)
    assert "для общего обозрения" in text and "для апелляционной комиссии" in text
    kazakh = ok(programmer(scene, "codes", "print", "--stream", "1", "--language", "kk", "--json")).json()
    assert "9-қосымша" in pdf_text(Path(kazakh["path"]))


def test_a_printed_statement_page_checks_and_a_changed_score_is_caught(scored: Identified, tmp_path: Path) -> None:
    scene, _passwords, _paper = scored
    printed = ok(programmer(scene, "statement", "print", "--stream", "1", "--language", "ru", "--json")).json()
    assert printed["pages"] >= 4  # four copies
    page = _first_page_png(Path(printed["path"]), tmp_path)
    trusted = ok(programmer(scene, "statement", "check", str(page), "--json")).json()
    assert trusted["signature_valid"] and trusted["matches"] and trusted["copy"] == 1

    with session_of(scene) as session:
        row = next(row for row in session.scalars(select(SheetScoreRow)) if not row.creative)
        application_id, total = row.application_id, row.total
        row.total = total + 1  # a score changed in the database behind the statement's back
        session.commit()
    try:
        caught = programmer(scene, "statement", "check", str(page), "--json")
        assert caught.code == 1
        answer = caught.json()
        assert answer["signature_valid"] and not answer["matches"] and len(answer["differing"]) == 1
    finally:
        with session_of(scene) as session:
            chosen = select(SheetScoreRow).where(SheetScoreRow.application_id == application_id)
            restored = session.scalars(chosen).one()
            restored.total = total
            session.commit()
    assert ok(programmer(scene, "statement", "check", str(page), "--json")).json()["matches"]


def test_a_mark_changed_after_the_print_is_caught_and_a_page_without_seal_refused(
        scored: Identified, tmp_path: Path) -> None:
    scene, _passwords, paper = scored
    printed = ok(programmer(scene, "statement", "print", "--stream", "1", "--json")).json()
    page = _first_page_png(Path(printed["path"]), tmp_path)
    sheet = paper["marked"]
    room = "01" if sheet.answers.get("room.c02") == "1" else "02"
    ok(programmer(scene, "passes", "resolve", "--stream", "1", "--room", room, "--sheet", sheet.number or "",
                  "--field", "reading_literacy.q02", "--value", "E"))
    caught = programmer(scene, "statement", "check", str(page))
    assert caught.code == 1 and "no longer gives the printed rows" in caught.out + caught.err
    blank = tmp_path / "blank.png"
    import cv2
    import numpy as np

    cv2.imwrite(str(blank), np.full((400, 300), 255, np.uint8))
    refused = programmer(scene, "statement", "check", str(blank))
    assert refused.code == 1 and len(refused.err.strip().splitlines()) == 1 and "QR" in refused.err
    ok(programmer(scene, "score", "--stream", "1"))


def test_the_days_statistics_reach_nct(scored: Identified) -> None:
    from datetime import date

    scene, _passwords, _paper = scored
    with session_of(scene) as session:
        from arm_programmer.draw import stream_of

        exam_date: date = stream_of(session, 1).exam_date
    sent = ok(programmer(scene, "send", "statistics", "--date", exam_date.isoformat(), "--json")).json()
    [stream] = [entry for entry in sent["payload"]["streams"] if entry["stream"] == 1]
    assert (stream["seated"], stream["scored"], stream["absent"]) == (3, 2, 1)
    ok(scene.nct("import", sent["path"]))
    shown = ok(scene.nct("results", "daily", "--site", "017")).out
    assert "stream 1: seated 3, present 2, identified 2, scored 2, absent 1" in shown
    none = programmer(scene, "send", "statistics", "--date", "2001-01-01")
    assert none.code == 1 and "No stream" in none.err
