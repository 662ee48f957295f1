"""Issue 14, п. 53.1: НЦТ allocates a stream's answer-sheet numbers and variant booklets per room and sends them
with the test specification (``ent-nct variants send``); the programmer's workstation takes them
(``ent-programmer variants import``) and shows them — on a site built through the command lines.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from applications_support import ok
from exchange_support import NCT_PASSWORD, Run, Scene
from programmer_support import handed_over_scene, programmer

from common.i18n import set_language


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def send(scene: Scene, *args: str) -> Run:
    return scene.nct("variants", "send", "--site", "017", "--out", str(scene.out), "--json", *args)


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Scene:
    """Stream 1: rooms 01 (kk) and 02 (ru) opened; stream 2: room 02 (kk). Closed, distributed, handed over."""
    return handed_over_scene(tmp_path_factory, reserve_room=False)


def rooms_of(payload: dict[str, Any]) -> list[tuple[str, str, int, str, str]]:
    return [(room["room"], room["language"], room["seats"], room["sheets"]["first"], room["sheets"]["last"])
            for room in payload["rooms"]]


def test_nct_allocates_sheet_numbers_once_and_never_twice_in_the_country(scene: Scene, tmp_path: Path) -> None:
    no_spec = send(scene, "--stream", "1")
    assert no_spec.code == 1 and "--spec" in no_spec.err and len(no_spec.err.strip().splitlines()) == 1
    wrong = send(scene, "--stream", "7", "--spec", "ent2018")
    assert wrong.code == 1 and "no stream 7" in wrong.err

    first = ok(send(scene, "--stream", "1", "--spec", "ent2018")).json()
    assert first["allocated"] is True
    payload = first["payload"]
    # rooms 01 (15 desks) and 02 (30 desks): one sheet per seat, numbered from 0000001 in room order
    assert rooms_of(payload) == [("01", "kk", 30, "0000001", "0000030"), ("02", "ru", 60, "0000031", "0000090")]
    assert payload["rooms"][0]["spare_sheets"] == {"first": "0000091", "last": "0000100"}  # п. 142: room 01's box
    assert payload["rooms"][1]["spare_sheets"] is None
    assert payload["date"] == "2027-06-20" and payload["specification"]["code"] == "ent2018"
    booklets = [room["variants"] for room in payload["rooms"]]
    assert [sum(counts.values()) for counts in booklets] == [30, 60]
    assert all(max(counts.values()) - min(counts.values()) <= 1 for counts in booklets)  # dealt in turn
    assert len(booklets[0]) == 12  # every variant of the specification

    second = ok(send(scene, "--stream", "2", "--spec", "ent2018")).json()
    assert rooms_of(second["payload"]) == [("02", "kk", 60, "0000101", "0000160")]  # after stream 1's: no repeat

    again = ok(send(scene, "--stream", "1")).json()  # the same allocation, sealed again
    assert again["allocated"] is False and again["payload"] == payload and again["sequence"] == first["sequence"] + 1
    kt = send(scene, "--stream", "1", "--spec", "kt")
    assert kt.code == 1 and "a different specification is refused" in kt.err

    with sqlite3.connect(scene.nct_dir / "nct.sqlite") as connection:  # НЦТ keeps the allocation
        blocks = sorted(connection.execute("SELECT first, last, site_code, stream, room_number, spare "
                                           "FROM sheet_blocks"))
    assert [block[2:] for block in blocks] == [("017", 1, "01", 0), ("017", 1, "02", 0), ("017", 1, "01", 1),
                                               ("017", 2, "02", 0), ("017", 2, "02", 1)]
    assert all(earlier[1] < later[0] for earlier, later in itertools.pairwise(blocks))  # no overlap


def test_the_programmer_takes_the_specification_and_variants_and_shows_them(scene: Scene) -> None:
    sent = ok(send(scene, "--stream", "1")).json()
    before = ok(programmer(scene, "variants", "show", "--stream", "1")).out
    assert "test specification not received; variants file not received" in before

    taken = ok(programmer(scene, "variants", "import", sent["path"], "--json")).json()
    assert taken["kind"] == "variants" and "2 room(s), 90 answer sheet(s), 90 booklet(s)" in taken["message"]
    spec = ok(programmer(scene, "variants", "import", sent["specification_path"])).out
    assert "Test specification 'ent2018' of stream 1 taken" in spec

    shown = ok(programmer(scene, "variants", "show", "--stream", "1", "--json")).json()
    assert (shown["specification"], shown["variants_file"], shown["date"]) == ("ent2018", True, "2027-06-20")
    assert [(room["room"], room["sheets"], room["spare_sheets"]) for room in shown["rooms"]] == [
        ("01", ["0000001", "0000030"], ["0000091", "0000100"]), ("02", ["0000031", "0000090"], None)]
    assert shown["rooms"] and sum(shown["rooms"][0]["booklets"].values()) == 30
    text = ok(programmer(scene, "variants", "show", "--stream", "1")).out
    assert "Room 01 (kk, 30 seats): sheets 0000001–0000030; spare sheets 0000091–0000100; booklets 0001×3" in text

    # НЦТ sends the same allocation again: taken, nothing changes
    resent = ok(send(scene, "--stream", "1")).json()
    assert "nothing changed" in ok(programmer(scene, "variants", "import", resent["path"])).out
    assert "already" in ok(programmer(scene, "variants", "import", resent["path"])).out  # the same package twice

    from arm_programmer.variants import room_booklets, stream_specification
    from common.db.engine import open_engine, transaction

    engine = open_engine(scene.folder("programmer") / "workstation.sqlite", read_only=True)
    try:
        with transaction(engine, read_only=True) as session:
            held = stream_specification(session, 1)
            counts = room_booklets(session, 1, "02")
            assert stream_specification(session, 2) is None
    finally:
        engine.dispose()
    assert held is not None and held.creative_exam is not None and sum(counts.values()) == 60


def _forged(scene: Scene, stream: int, change: dict[str, Any], kind: str = "variants") -> str:
    """A package НЦТ seals with ``change`` made to the stream's real payload (a mistake at НЦТ)."""
    from common.cli import CommandContext
    from common.exchange.addresses import workstation
    from common.workstation import NCT
    from nct_hub.db.session import nct_transaction
    from nct_hub.keys import load_nct_identity
    from nct_hub.sending import send_from_nct
    from nct_hub.variants import allocate, specification_payload, variants_payload

    context = CommandContext(NCT, scene.nct_dir, "test", False)
    with nct_transaction(context, None) as session:
        allocation = allocate(session, "017", stream, None, "test")
        payload = variants_payload(allocation) if kind == "variants" else specification_payload(allocation)
        payload = json.loads(json.dumps(payload)) | change
        sent = send_from_nct(session, nct=load_nct_identity(scene.nct_dir, NCT_PASSWORD),
                             recipient=workstation("017", "programmer"), kind=kind, payload=payload,
                             out_dir=scene.out, actor="test", stream=stream)
    return str(sent.path)


def test_a_second_different_file_a_wrong_site_stream_or_day_are_refused_in_one_line(scene: Scene) -> None:
    ok(programmer(scene, "variants", "import", ok(send(scene, "--stream", "1")).json()["path"]))
    payload = ok(send(scene, "--stream", "2")).json()["payload"]
    cases = {
        "different": (1, {"rooms": list(reversed(ok(send(scene, "--stream", "1")).json()["payload"]["rooms"]))},
                      "already has a different variants file"),
        "site": (2, {"site": "018"}, "is for site 018, but this workstation is at site 017"),
        "stream": (2, {"stream": 1}, "section stream is malformed"),
        "day": (2, {"date": "2027-06-22"}, "is for stream 2 on 2027-06-22, but stream 2 here is on 2027-06-21"),
        "rooms": (2, {"rooms": [payload["rooms"][0] | {"room": "05"}]}, "lists rooms 05 for stream 2, but the rooms "
                                                                        "opened here are 02"),
        "sheets": (2, {"rooms": [payload["rooms"][0] | {"sheets": {"first": "12", "last": "30"}}]},
                   "are not two numbers of 7 digits"),
    }
    for name, (stream, change, message) in cases.items():
        refused = programmer(scene, "variants", "import", _forged(scene, stream, change))
        assert refused.code == 1, name
        assert message in refused.err and len(refused.err.strip().splitlines()) == 1, (name, refused.err)
    shown = ok(programmer(scene, "variants", "show", "--stream", "2", "--json")).json()
    assert shown["variants_file"] is False and shown["rooms"] == []  # nothing of the refused files written

    kt = _kt_document()
    second_spec = programmer(scene, "variants", "import", _forged(scene, 1, {"specification": kt},
                                                                 kind="test-specification"))
    assert second_spec.code == 1 and "Stream 1 already has test specification 'ent2018'" in second_spec.err
    # stream 2: a kt specification first (nothing else held), then ent2018's variants file does not match it
    ok(programmer(scene, "variants", "import", _forged(scene, 2, {"specification": kt}, kind="test-specification")))
    mismatch = programmer(scene, "variants", "import", ok(send(scene, "--stream", "2")).json()["path"])
    assert mismatch.code == 1 and "is for test specification 'ent2018', not the one stream 2 has ('kt')" in mismatch.err
    unknown = programmer(scene, "variants", "show", "--stream", "9")
    assert unknown.code == 1 and "Stream 9 is not a stream" in unknown.err


def _kt_document() -> dict[str, Any]:
    from common.testspec import shipped_spec

    return shipped_spec("kt").to_dict()
