"""``ent-programmer print …``: the exam-day prints of a stream from the workstation's database, refused in one
line before the closing or the draw where they need it, kept in ``printed/`` and audited."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from applications_support import ok
from base_ppent_support import flat
from exchange_support import Scene
from pdf_support import pdf_text
from programmer_support import audit_entries, draw_code, handed_over_scene, programmer

from arm_programmer.exam_prints import ACT_KEYS
from common.i18n import set_language


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Scene:
    return handed_over_scene(tmp_path_factory)


@pytest.fixture
def scene(base: Scene, tmp_path: Path) -> Scene:
    return base.copy(tmp_path / "scene")


def printed_files(scene: Scene) -> list[Path]:
    return sorted((scene.folder("programmer") / "printed").glob("*.pdf"))


def test_prints_wait_for_the_closing_and_the_draw_then_follow_the_drawn_seats(scene: Scene) -> None:
    early = programmer(scene, "print", "room-lists", "--stream", "1")
    assert early.code == 1 and "not closed yet" in early.err and early.err.count("\n") == 1
    code = draw_code(scene, 1)
    ok(programmer(scene, "close"))
    before = programmer(scene, "print", "seating", "--stream", "1")
    assert before.code == 1 and "not drawn yet" in before.err and before.err.count("\n") == 1
    assert printed_files(scene) == []

    lists = ok(programmer(scene, "print", "room-lists", "--stream", "1", "--language", "kk", "--json")).json()
    assert len(lists) == 1 and lists[0]["pages"] == 2
    words = flat(pdf_text(Path(lists[0]["path"]), layout=False))
    assert "Түсушілердің аудиториялық тізімі" in words and "Абаев Арман" in words and "Иванов Олег" in words

    ok(programmer(scene, "draw", "--stream", "1", ENT_CODE=code))
    seats = ok(programmer(scene, "draw", "show", "--stream", "1", "--json")).json()["seats"]
    seating = ok(programmer(scene, "print", "seating", "--stream", "1", "--language", "ru", "--json")).json()
    text = pdf_text(Path(seating[0]["path"]))
    assert "Посадочный лист" in text and "Приложение 5" in text
    for seat in seats:
        page = text.split("\f")[0 if seat["room_number"] == "01" else 1]
        assert re.search(rf"^\s*{seat['seat']} {seat['ikt']}\s+{seat['full_name']}", page, re.M), seat
    printed = [entry for entry in audit_entries(scene, "form.printed") if entry["details"]["form"] == "seating-list"]
    assert len(printed) == 1 and printed[0]["target"] == Path(seating[0]["path"]).name
    assert "Абаев" not in str(audit_entries(scene, "form.printed")), "no names in the audit log"

    one_room = ok(programmer(scene, "print", "seating", "--stream", "1", "--room", "02", "--json")).json()
    assert one_room[0]["pages"] == 1 and "room-02" in one_room[0]["path"]
    unknown = programmer(scene, "print", "seating", "--stream", "1", "--room", "77")
    assert unknown.code == 1 and "Room 77" in unknown.err

    handout = programmer(scene, "print", "handout", "--stream", "1")
    assert handout.code == 1 and "variants import" in handout.err and handout.err.count("\n") == 1

    sent = ok(scene.nct("variants", "send", "--site", "017", "--out", str(scene.out), "--json", "--stream", "1",
                        "--spec", "ent2018")).json()
    ok(programmer(scene, "variants", "import", sent["path"]))
    plan = ok(programmer(scene, "print", "handout", "--stream", "1", "--language", "kk", "--json")).json()
    pages = pdf_text(Path(plan[0]["path"]), layout=False).split("\f")
    assert "Кітапшаларды тарату тәртібі" in pages[0]
    for seat in seats:
        page = pages[0 if seat["room_number"] == "01" else 1]
        assert re.search(rf"^{seat['seat']}\n\d{{4}}$", page, re.M), seat
    again = ok(programmer(scene, "print", "seating", "--stream", "1", "--json")).json()
    with_variants = pdf_text(Path(again[0]["path"]))
    assert len(re.findall(r"^\s*\d+ \d{9}\s.*\s\d{4}\s", with_variants, re.M)) == len(seats)


def test_acts_print_every_blank_or_the_ones_asked_for_before_the_draw(scene: Scene, tmp_path: Path) -> None:
    ok(programmer(scene, "close"))
    two = ok(programmer(scene, "print", "acts", "--stream", "1", "--act", "app8", "--act", "rules9",
                        "--json")).json()
    assert [item["form"] for item in two] == ["app8", "rules9"] and [item["pages"] for item in two] == [2, 2]
    every = ok(programmer(scene, "print", "acts", "--stream", "2", "--language", "kk", "--json")).json()
    assert [item["form"] for item in every] == list(ACT_KEYS)
    words = flat(pdf_text(Path(every[0]["path"]), layout=False))
    assert "7-қосымша" in words and "2-ағын" in words and "017 —" in words
    subprocess.run(["pdftoppm", "-r", "30", "-png", "-f", "1", "-l", "1", every[0]["path"], str(tmp_path / "act")],
                   check=True)
    assert list(tmp_path.glob("act-*.png"))
