"""Reviewing flagged fields: worst page first, keyboard only, every decision audited by name."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from common import i18n
from common.db.engine import open_engine, transaction
from common.db.migrate import upgrade
from common.errors import Refused
from common.omr.layout import Layout
from common.omr.reader import PageResult, read_page
from common.omr.review import ReviewDecision, check_value, record_decision, review_queue
from common.omr.synth import MarkSpec, fill_page, group_answers
from common.security.audit import AuditLog
from common.ui.omr_review import ReviewWidget
from forms.registry import get_layout
from forms.render import render_page_image

DPI = 150


@pytest.fixture(scope="module")
def layout() -> Layout:
    return get_layout("answer-sheet")


@pytest.fixture(scope="module")
def pages(layout: Layout) -> dict[str, tuple[np.ndarray, PageResult]]:
    """Two read pages: ``good`` with one doubtful mark, ``poor`` with a double and a mark nearer the
    0.5 line (the worse page: its doubt is the deeper one)."""
    blank = render_page_image(layout, DPI, number="0012345")
    good_marks = {"history_kz.q03.C": MarkSpec(0.42, "partial"), "history_kz.q01.A": MarkSpec(0.95)}
    poor_marks = {
        "history_kz.q02.A": MarkSpec(0.95),
        "history_kz.q02.D": MarkSpec(0.9),
        "math_literacy.q04.B": MarkSpec(0.5, "partial"),
    }
    made = {}
    for name, marks, seed in (("good", good_marks, 1), ("poor", poor_marks, 2)):
        image = fill_page(blank, layout, DPI, marks, np.random.default_rng(seed))
        made[name] = (image, read_page(image, layout, image_name=f"{name}.png"))
    return made


def test_the_queue_puts_the_worst_page_first_and_its_fields_in_layout_order(
    layout: Layout, pages: dict[str, tuple[np.ndarray, PageResult]]
) -> None:
    good, poor = pages["good"][1], pages["poor"][1]
    assert poor.quality < good.quality
    queue = review_queue([good, poor], layout)
    assert [(item.result.image, item.field, item.kinds) for item in queue] == [
        ("poor.png", "history_kz.q02", ("multiple",)),
        ("poor.png", "math_literacy.q04", ("ambiguous",)),
        ("good.png", "history_kz.q03", ("ambiguous",)),
    ]
    assert queue[0].read_value == "AD"


def test_a_typed_value_is_checked_against_the_field(layout: Layout) -> None:
    assert check_value(layout, "history_kz.q02", " d ") == "D"
    assert check_value(layout, "history_kz.q02", "") == ""
    assert check_value(layout, "history_kz.q02", "da") == "AD"  # two marks confirmed stay two
    with pytest.raises(Refused):
        check_value(layout, "history_kz.q02", "AA")
    with pytest.raises(Refused):
        check_value(layout, "history_kz.q02", "Z")
    multi = next(item for item in layout.fields if item.kind == "multi")
    assert check_value(layout, multi.name, "ca") == "AC"


def test_keyboard_only_review_records_each_decision_with_the_operator(
    qtbot, layout: Layout, pages: dict[str, tuple[np.ndarray, PageResult]]
) -> None:  # type: ignore[no-untyped-def]
    i18n.set_language("en")  # the conftest puts the language back
    queue = review_queue([pages["good"][1], pages["poor"][1]], layout)
    images = {"good.png": pages["good"][0], "poor.png": pages["poor"][0]}
    recorded: list[ReviewDecision] = []
    widget = ReviewWidget(layout, queue, "operator1", recorded.append, lambda item: images[item.result.image])
    qtbot.addWidget(widget)
    widget.show()
    assert widget.value.text() == "AD" and "1 of 3" in widget.counter.text()
    assert widget.picture.pixmap() is not None and not widget.picture.pixmap().isNull()

    qtbot.keyClicks(widget.value, "Z")
    qtbot.keyClick(widget.value, Qt.Key.Key_Return)
    assert recorded == [] and widget.message.text() and "1 of 3" in widget.counter.text()
    qtbot.keyClick(widget.value, Qt.Key.Key_Escape)
    assert widget.value.text() == "AD"

    widget.value.selectAll()
    qtbot.keyClicks(widget.value, "d")
    qtbot.keyClick(widget.value, Qt.Key.Key_Return)
    qtbot.keyClick(widget.value, Qt.Key.Key_Return)  # the reader's guess stands
    with qtbot.waitSignal(widget.finished):
        widget.value.selectAll()
        qtbot.keyClick(widget.value, Qt.Key.Key_Backspace)
        qtbot.keyClick(widget.value, Qt.Key.Key_Return)
    assert [(d.item.field, d.value, d.operator, d.changed) for d in recorded] == [
        ("history_kz.q02", "D", "operator1", True),
        ("math_literacy.q04", queue[1].read_value, "operator1", False),
        ("history_kz.q03", "", "operator1", queue[2].read_value != ""),
    ]
    assert not widget.value.isEnabled()


def test_a_refused_record_keeps_the_field(
    qtbot, layout: Layout, pages: dict[str, tuple[np.ndarray, PageResult]]
) -> None:  # type: ignore[no-untyped-def]
    def refuse(_decision: ReviewDecision) -> None:
        raise Refused("the database is locked")

    queue = review_queue([pages["poor"][1]], layout)
    widget = ReviewWidget(layout, queue, "operator1", refuse, lambda _item: pages["poor"][0])
    qtbot.addWidget(widget)
    qtbot.keyClick(widget.value, Qt.Key.Key_Return)
    assert widget.position == 0 and "locked" in widget.message.text()


def test_decisions_are_audited_by_name_without_personal_data(
    tmp_path: Path, layout: Layout, pages: dict[str, tuple[np.ndarray, PageResult]]
) -> None:
    engine = open_engine(tmp_path / "workstation.sqlite")
    upgrade(engine)
    log = AuditLog(tmp_path / "audit.log")
    item = review_queue([pages["poor"][1]], layout)[0]
    application = get_layout("application")
    answers = group_answers(application, "surname", "ӘЛІ")
    blank = render_page_image(application, DPI, number=None)
    marks = {f"{name}.{value}": MarkSpec(0.5, "partial") for name, value in answers.items() if value}
    image = fill_page(blank, application, DPI, marks, np.random.default_rng(3))
    personal = review_queue([read_page(image, application, image_name="app.png")], application)[0]
    assert personal.field.startswith("surname.")
    with transaction(engine) as session:
        record_decision(session, log, ReviewDecision(item, "D", "operator1"), layout)
        record_decision(session, log, ReviewDecision(personal, "Ә", "operator2"), application)
    engine.dispose()
    first, second = (json.loads(line) for line in log.path.read_text(encoding="utf-8").splitlines())
    assert first["actor"] == "operator1" and first["action"] == "omr.review"
    assert first["details"]["field"] == "history_kz.q02" and first["details"]["confirmed"] == "D"
    assert first["details"]["read"] == "AD" and first["details"]["changed"] is True
    assert second["actor"] == "operator2" and second["details"]["field"] == personal.field
    assert "Ә" not in json.dumps(second, ensure_ascii=False)
    assert "confirmed" not in second["details"] and "fills" not in second["details"]
