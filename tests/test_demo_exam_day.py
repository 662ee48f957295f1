"""The demo's exam-day prints stage, in isolation: after the draw of stream 1 it prints the stream's seating
lists, room lists, hand-out order and blanks in kk and ru into the programmer's ``printed/``; not before."""

from __future__ import annotations

import pytest
from applications_support import ok
from base_ppent_support import flat
from pdf_support import pdf_text
from programmer_support import programmer, variants_taken_scene

from arm_programmer.exam_prints import ACT_KEYS
from common.i18n import set_language
from ent_demo.exam_day_stage import drawn_streams, exam_day_steps, print_exam_day_stage
from ent_demo.scenario import Scene


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def test_the_stage_prints_the_drawn_stream_in_both_languages_once(tmp_path_factory: pytest.TempPathFactory) -> None:
    scene, code = variants_taken_scene(tmp_path_factory)  # closed, variants taken: all but the draw
    demo = Scene(scene.root)
    printed = scene.folder("programmer") / "printed"
    assert print_exam_day_stage(demo) is False and not list(printed.glob("*.pdf"))  # nothing drawn yet

    ok(programmer(scene, "draw", "--stream", "1", ENT_CODE=code))
    assert drawn_streams(demo) == [1]
    [step] = exam_day_steps(demo)
    assert step.run() is True

    files = sorted(path.name for path in printed.glob("*.pdf"))
    for language in ("kk", "ru"):
        for form in ("seating-list", "room-lists", "handout", *ACT_KEYS):
            assert sum(name.startswith(f"{form}_stream-1_{language}_") for name in files) == 1, (form, language)
    [seating] = printed.glob("seating-list_stream-1_kk_*.pdf")
    assert "Отырғызу парағы" in flat(pdf_text(seating, layout=False))

    assert print_exam_day_stage(demo) is True  # a rerun prints nothing twice
    assert len(list(printed.glob("*.pdf"))) == len(files)
