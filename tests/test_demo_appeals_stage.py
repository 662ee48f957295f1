"""The demo's appeals stage, in isolation: after the results stage of stream 1 three applications are registered —
one on technical grounds, one on the content of a task answered right («не удовлетворено» at once), one whose
applicant does not come — and a fourth after 13:00 of the next day is refused with the deadline named; the fresh
scan shows the unread mark, НЦТ grants the task and the total rises by its points; прил. 3 is printed and its page 1
checked; НЦТ's results with appeal show the change; a rerun goes on."""

from __future__ import annotations

import pytest
from applications_support import ok
from exchange_support import NCT_PASSWORD
from exchange_support import Scene as ExchangeScene
from programmer_support import audit_entries, drawn_scene, programmer

from common.i18n import set_language
from ent_demo import appeals_stage, identify_stage, results_stage
from ent_demo.appeals_stage import appeals_steps
from ent_demo.identify_stage import identify_steps
from ent_demo.results_stage import results_steps
from ent_demo.scenario import Scene


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def test_the_appeals_stage_takes_three_appeals_to_the_results_with_appeal(
        tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    scene: ExchangeScene = drawn_scene(tmp_path_factory)
    seats = ok(programmer(scene, "draw", "show", "--stream", "1", "--json")).json()["seats"]
    ivanov = next(seat["ikt"] for seat in seats if seat["full_name"].startswith("Иванов"))
    ok(programmer(scene, "late-seat", "--ikt", ivanov, "--member", "Сейітов Б.", "--language", "kk"))
    for module in (identify_stage, results_stage, appeals_stage):
        monkeypatch.setattr(module, "NCT_PASSWORD", NCT_PASSWORD)
    demo = Scene(scene.root, passwords={"programmer": scene.passwords["programmer"]})
    assert all(step.run() for step in [*identify_steps(demo), *results_steps(demo)])
    register, consider, republican, close, final = appeals_steps(demo)
    capsys.readouterr()

    assert register.run() is True
    shown, errors = capsys.readouterr()
    listed = ok(programmer(scene, "appeal", "list", "--stream", "1", "--json")).json()["appeals"]
    assert [(item["kind"], item["state"]) for item in listed] == [
        ("technical", "registered"), ("content", "decided"), ("content", "registered")]
    assert listed[1]["tasks"][0]["decision"] == "not-satisfied"  # answered right: at once (п. 197)
    assert listed[1]["tasks"][0]["subject"] == "history_kz"  # a common subject: НЦТ takes it too
    assert "«не удовлетворено» at once (п. 197)" in shown
    assert shown.count("appeal add --stream 1") == 4 and "--received-at" in shown
    late = appeals_stage._late_moment(demo)
    assert late is not None
    deadline = f"{late[8:10]}.{late[5:7]}.{late[:4]} 13:00"
    assert "after the deadline" in errors and deadline in errors, errors

    assert consider.run() is True
    shown = capsys.readouterr().out
    assert "the fresh scan" in shown and "(п. 196, 1)" in shown, shown
    listed = ok(programmer(scene, "appeal", "list", "--stream", "1", "--json")).json()["appeals"]
    assert listed[2]["state"] == "no-show"
    technical = listed[0]["tasks"][0]
    assert technical["proposed_points"] > technical["points"]
    printed = sorted(path.name for path in (scene.folder("programmer") / "printed").glob("*.pdf"))
    assert any(name.startswith("appeal-journal") for name in printed), printed  # прил. 17 Правил
    assert any(name.startswith("appeal-register") for name in printed), printed  # прил. 20 Правил
    assert any(name.startswith("analysis-card_stream-1-appeal-1") for name in printed), printed  # прил. 39

    assert republican.run() is True
    shown = capsys.readouterr().out
    raised = technical["proposed_points"] - technical["points"]
    before_after = next(line for line in shown.splitlines() if "application 1: the total" in line)
    before, after = (int(part) for part in before_after.rsplit(" ", 3)[-3::2])
    assert after == before + raised, before_after
    forms = sorted(path.name for path in (demo.exchange / "appeals-stream-1").glob("*.pdf"))
    assert any("technical" in name for name in forms) and any("register" in name for name in forms), forms
    listed = ok(programmer(scene, "appeal", "list", "--stream", "1", "--json")).json()["appeals"]
    assert [item["state"] for item in listed] == ["decided", "decided", "no-show"]
    assert listed[0]["tasks"][0]["decision"] == "satisfied"
    assert len(audit_entries(scene, "appeal.decided")) == 1

    assert close.run() is True
    shown = capsys.readouterr().out
    assert "The appeals of stream 1 are closed (п. 209)." in shown
    assert "page 1 of" in shown and "signed by this workstation" in shown, shown
    printed = sorted(path.name for path in (scene.folder("programmer") / "printed").glob("*.pdf"))
    assert any("statement" in name and "appeal" in name for name in printed), printed  # прил. 3

    assert final.run() is True
    shown = capsys.readouterr().out
    final_results = ok(scene.nct("results", "show", "--site", "017", "--stream", "1", "--final", "--json")).json()
    assert final_results["final"] is True and final_results["changes"] == 1, final_results
    assert "$ ent-nct results show --site 017 --stream 1 --final" in shown

    # a rerun sees the applications, the decisions and the closing and goes on
    assert all(step.run() for step in (register, consider, republican, close, final))
    shown, errors = capsys.readouterr()
    assert len(ok(programmer(scene, "appeal", "list", "--stream", "1", "--json")).json()["appeals"]) == 3
    assert len(audit_entries(scene, "appeal.decided")) == 1 and len(audit_entries(scene, "final-results.sent")) == 1
