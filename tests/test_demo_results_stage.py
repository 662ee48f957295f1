"""The demo's results stage, in isolation: after the identification stage of stream 1 НЦТ seals the answer key,
the three holders open the codes — refused with one password mistyped, opened on the second try —, прил. 9 and
прил. 4 are printed, page 1 of the statement checked from its picture, the results imported at НЦТ and one
applicant's look-up giving the programmer's total; the day's statistics reach НЦТ; a rerun goes on."""

from __future__ import annotations

import pytest
from applications_support import ok
from exchange_support import NCT_PASSWORD
from exchange_support import Scene as ExchangeScene
from programmer_support import audit_entries, drawn_scene, programmer, session_of

from common.i18n import set_language
from ent_demo import identify_stage, results_stage
from ent_demo.identify_stage import identify_steps
from ent_demo.results_stage import results_steps
from ent_demo.scenario import Scene


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def test_the_results_stage_opens_scores_prints_and_reaches_nct(tmp_path_factory: pytest.TempPathFactory,
                                                                monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    from arm_programmer.results import ResultStatus
    from arm_programmer.scores import result_rows

    scene: ExchangeScene = drawn_scene(tmp_path_factory)
    seats = ok(programmer(scene, "draw", "show", "--stream", "1", "--json")).json()["seats"]
    ivanov = next(seat["ikt"] for seat in seats if seat["full_name"].startswith("Иванов"))
    ok(programmer(scene, "late-seat", "--ikt", ivanov, "--member", "Сейітов Б.", "--language", "kk"))
    monkeypatch.setattr(identify_stage, "NCT_PASSWORD", NCT_PASSWORD)
    monkeypatch.setattr(results_stage, "NCT_PASSWORD", NCT_PASSWORD)
    demo = Scene(scene.root, passwords={"programmer": scene.passwords["programmer"]})
    assert all(step.run() for step in identify_steps(demo))
    seal, open_codes, score, at_nct, statistics = results_steps(demo)
    capsys.readouterr()

    assert seal.run() is True
    assert not list(demo.exchange.glob("answer-key-*.json"))  # the key in clear is not left lying about
    assert open_codes.run() is True
    shown, errors = capsys.readouterr()
    assert "--chair-fd 3 3<chair-file --dknb-fd 4 4<dknb-file --ministry-fd 5 5<ministry-file" in shown
    assert all(password not in shown for password in results_stage.slip_passwords(demo).values())
    refusal = "The code has a typing error: compare it with the slip character by character."
    assert refusal in errors and shown.count("codes open --stream 1") == 3  # opened on the third try
    assert "These three passwords do not open the file" in errors, errors
    assert "The answer codes of stream 1 are open" in shown
    assert len(audit_entries(scene, "answer-codes.opened")) == 1
    # the typing error is caught before any attempt counts; the other envelope's password is tried and counted
    assert len(audit_entries(scene, "answer-codes.wrong")) == 1

    assert score.run() is True
    shown = capsys.readouterr().out
    assert "page 1 of 2: signed by this workstation; its 3 rows are those of the database." in shown, shown
    printed = sorted(path.name for path in (scene.folder("programmer") / "printed").glob("*.pdf"))
    assert any(name.startswith("answer-codes") for name in printed), printed  # прил. 9
    assert any(name.startswith("statement") for name in printed), printed  # прил. 4

    assert at_nct.run() is True
    shown = capsys.readouterr().out
    with session_of(scene) as session:
        rows = result_rows(session, 1)
    row = next(row for row in rows if row.status is ResultStatus.SCORED and row.iin)
    assert f"Total: {row.total} of {row.max_total}." in shown
    assert row.iin not in shown and row.surname not in shown
    assert f"the same total as the programmer's score: {row.total} of {row.max_total}" in shown
    assert "with a modest key-derivation cost so that the demo stays quick: 2 passes over 19 MiB" in shown
    imported = ok(scene.nct("results", "show", "--site", "017", "--stream", "1", "--json")).json()
    assert imported, imported

    assert statistics.run() is True
    shown = capsys.readouterr().out
    scored = sum(row.status is ResultStatus.SCORED for row in rows)
    assert "Daily statistics of site 017" in shown and f"  stream 1: seated {len(rows)}," in shown
    assert f", scored {scored}, " in shown, shown

    # a rerun sees what is done and goes on: the codes are not sealed or opened again
    assert all(step.run() for step in (seal, open_codes, score))
    assert len(audit_entries(scene, "answer-codes.opened")) == 1
