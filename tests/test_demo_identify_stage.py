"""The demo's identification stage, in isolation: after the draw of stream 1 (one applicant seated late) it scans
every room twice from the simulated scanner, decides the difference between the passes, enters the protocol for
the sheets that did not identify, reports the end of identification to НЦТ, re-identifies one sheet with НЦТ's
code, and ends with the stream "ready for answer codes"; a rerun changes nothing."""

from __future__ import annotations

import pytest
from applications_support import ok
from exchange_support import NCT_PASSWORD
from exchange_support import Scene as ExchangeScene
from programmer_support import audit_entries, drawn_scene, programmer

from common.i18n import set_language
from ent_demo import identify_stage
from ent_demo.identify_stage import identify_steps
from ent_demo.scenario import Scene


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def test_the_stage_ends_with_the_stream_ready_for_answer_codes(tmp_path_factory: pytest.TempPathFactory,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    scene: ExchangeScene = drawn_scene(tmp_path_factory)
    assert scene.nct_dir == scene.root / "nct"
    seats = ok(programmer(scene, "draw", "show", "--stream", "1", "--json")).json()["seats"]
    ivanov = next(seat["ikt"] for seat in seats if seat["full_name"].startswith("Иванов"))
    ok(programmer(scene, "late-seat", "--ikt", ivanov, "--member", "Сейітов Б.", "--language", "kk"))
    monkeypatch.setattr(identify_stage, "NCT_PASSWORD", NCT_PASSWORD)
    demo = Scene(scene.root, passwords={"programmer": scene.passwords["programmer"]})
    scan, protocol, end = identify_steps(demo)
    assert scan.run() is True
    rooms = ok(programmer(scene, "identify", "status", "--stream", "1", "--json")).json()["rooms"]
    assert rooms and all(room["pass1"] and room["pass2"] and not room["differences"] for room in rooms), rooms
    assert audit_entries(scene, "sheet.resolved")
    assert protocol.run() is True
    assert end.run() is True
    status = ok(programmer(scene, "identify", "status", "--stream", "1", "--json")).json()
    assert status["ready_for_answer_codes"] and status["ended"]
    assert audit_entries(scene, "identify.reidentify") and audit_entries(scene, "identify.end")
    printed = sorted(path.name for path in (scene.folder("programmer") / "printed").glob("*.pdf"))
    assert sum(name.startswith("identification-protocol") for name in printed) == 2
    assert scan.run() is True and end.run() is True  # a rerun changes nothing
    assert len(audit_entries(scene, "identify.end")) == 1
