"""The printed forms: layouts keep READER.md's contract, fit the page, and print what they say."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import cv2
import numpy as np
import pytest
import zxingcpp
from pdf_support import pdf_text

from common.codebook import (
    ALPHABET,
    IIN_DIGITS,
    IKT_DIGITS,
    NAME_LETTERS,
    PATRONYMIC_LETTERS,
    SURNAME_LETTERS,
    VARIANT_DIGITS,
)
from common.omr.layout import Layout
from common.testspec import shipped_spec
from forms.cli import main
from forms.control_sheet import MARKED_AT, control_key, control_pattern
from forms.registry import FORM_NAMES, get_layout
from forms.render import render_page_image

KT_SPEC = Path(__file__).parent / "data" / "testspec_v1_kt.json"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    """Axis-aligned boxes (left, top, right, bottom) that share area."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def box_of(x: float, y: float, w: float, h: float) -> tuple[float, float, float, float]:
    return (x - w / 2, y - h / 2, x + w / 2, y + h / 2)


@pytest.mark.parametrize("form", FORM_NAMES)
def test_bubbles_are_on_the_page_apart_from_each_other_and_clear_of_the_marks(form: str) -> None:
    layout = get_layout(form)
    bubbles = [box_of(b.x_mm, b.y_mm, b.w_mm, b.h_mm) for b in layout.bubbles]
    for left, top, right, bottom in bubbles:
        assert left >= 12 and right <= layout.width_mm - 12 and top >= 16 and bottom <= layout.height_mm - 16
    boxes = np.array(bubbles)
    apart = (
        (boxes[:, None, 2] <= boxes[None, :, 0])
        | (boxes[None, :, 2] <= boxes[:, None, 0])
        | (boxes[:, None, 3] <= boxes[None, :, 1])
        | (boxes[None, :, 3] <= boxes[:, None, 1])
    )
    np.fill_diagonal(apart, True)
    assert apart.all(), "two bubbles overlap"
    reserved = [box_of(m.x_mm, m.y_mm, m.w_mm + 4, m.h_mm + 4) for m in (*layout.marks, *layout.code_cells)]
    barcode = layout.barcode_box
    reserved.append((barcode.x_mm, barcode.y_mm, barcode.x_mm + barcode.w_mm, barcode.y_mm + barcode.h_mm))
    for bubble in bubbles:
        assert not any(overlaps(bubble, area) for area in reserved)


@pytest.mark.parametrize("form", FORM_NAMES)
def test_layout_json_has_the_contract_shape(capsys: pytest.CaptureFixture[str], form: str) -> None:
    code, out, _err = run(capsys, "layout", form, "--json")
    assert code == 0
    data = json.loads(out)
    assert list(data) == ["form", "version", "page", "marks", "fields", "bubbles"]
    assert data["form"] == form and data["page"] == {"width_mm": 210.0, "height_mm": 297.0}
    assert {"tl", "tr", "br", "bl"} <= {mark["id"] for mark in data["marks"]}
    fields = {item["name"]: item for item in data["fields"]}
    assert all(item["kind"] in ("choice", "multi", "digits", "letters") for item in fields.values())
    ids = [bubble["id"] for bubble in data["bubbles"]]
    assert len(ids) == len(set(ids))
    for bubble in data["bubbles"]:
        assert bubble["id"] == f"{bubble['field']}.{bubble['value']}"
        assert bubble["value"] in fields[bubble["field"]]["values"]
        assert set(bubble) == {"id", "field", "value", "x_mm", "y_mm", "w_mm", "h_mm"}


def test_answer_sheet_follows_the_2018_specification(capsys: pytest.CaptureFixture[str]) -> None:
    layout = get_layout("answer-sheet")
    spec = shipped_spec("ent2018")
    for subject in spec.subjects:
        tasks = [f for f in layout.fields if f.group == subject.code]
        assert len(tasks) == len(subject.tasks)
        for item, task in zip(tasks, subject.tasks, strict=True):
            assert item.name == f"{subject.code}.q{task.number:02d}"
            assert item.kind == ("multi" if task.multiple else "choice")
            assert item.values == tuple("ABCDEFGH"[: task.options])
    groups = layout.fields_by_group
    assert len(groups["ikt"]) == IKT_DIGITS and len(groups["variant"]) == VARIANT_DIGITS
    assert all(item.values == tuple("0123456789") for item in groups["seat"] + groups["room"] + groups["stream"])
    codes = tuple(choice.code for choice in spec.profile_subject_choices)
    for slot in spec.profile_slot_subjects:
        assert layout.field_by_name[f"{slot.code}_subject"].values == codes
    assert layout.field_by_name["creative"].values == ("Y",)


def test_answer_sheet_from_another_specification(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "layout", "answer-sheet", "--spec", str(KT_SPEC), "--json")
    assert code == 0
    fields = json.loads(out)["fields"]
    answer_fields = [f for f in fields if ".q" in f["name"]]
    assert len(answer_fields) == 5 * 25
    assert {f["kind"] for f in answer_fields} == {"choice"}


def test_application_has_the_sectors_of_paragraph_94() -> None:
    layout = get_layout("application")
    groups = layout.fields_by_group
    for group, length in (("surname", SURNAME_LETTERS), ("name", NAME_LETTERS), ("patronymic", PATRONYMIC_LETTERS)):
        assert len(groups[group]) == length
        assert all(item.kind == "letters" and item.values == ALPHABET for item in groups[group])
    assert len(groups["ikt"]) == IKT_DIGITS and len(groups["iin"]) == IIN_DIGITS
    for group in ("citizenship", "nationality", "region", "district", "school"):
        assert groups[group] and all(item.kind == "digits" for item in groups[group])
    assert layout.field_by_name["sex"].values == ("M", "F")
    assert layout.field_by_name["language"].values == ("kk", "ru", "en")
    assert layout.field_by_name["history_language"].values == ("kk", "ru")
    assert layout.field_by_name["changed"].values == ("Y",)
    assert layout.field_by_name["annulled"].values == ("Y",)


def test_blank_prints_kazakh_and_russian_labels_and_the_number_as_text_and_barcode(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "sheet.pdf"
    assert run(capsys, "blank", "answer-sheet", "--number", "4512", "--out", str(out))[0] == 0
    text = pdf_text(out)
    for label in ("ЖАУАП ПАРАҒЫ", "ЛИСТ ОТВЕТОВ", "Нұсқа", "Вариант", "Творческий экзамен", "№ 0004512"):
        assert label in text
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", str(out), str(tmp_path / "page")], check=True)
    image = cv2.imread(str(tmp_path / "page-1.png"), cv2.IMREAD_GRAYSCALE)
    codes = zxingcpp.read_barcodes(image)
    assert [code.text for code in codes] == ["0004512"]


def test_application_blank_prints_its_sectors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "application.pdf"
    assert run(capsys, "blank", "application", "--out", str(out))[0] == 0
    text = pdf_text(out)
    for label in ("Тегі", "Фамилия", "ИИН", "Гражданство", "Аннулирован", "Подпись поступающего"):
        assert label in text


def test_control_sheet_pattern_covers_every_position_with_faint_to_full_fills() -> None:
    layout = get_layout("control-sheet")
    fills = control_pattern(layout, seed=12)
    assert fills == control_pattern(layout, seed=12) and fills != control_pattern(layout, seed=13)
    marked_values: dict[tuple[str, str], set[str]] = {}
    for item in layout.fields:
        for value in item.values:
            if fills[f"{item.name}.{value}"] >= MARKED_AT:
                marked_values.setdefault((item.kind, str(len(item.values))), set()).add(value)
    for item in layout.fields:
        if len(item.values) > 1:  # every option letter and digit is marked somewhere
            assert marked_values[(item.kind, str(len(item.values)))] == set(item.values)
    levels = {round(fill, 2) for fill in fills.values()}
    assert min(level for level in levels if level > 0) <= 0.2 and max(levels) == 1.0
    key = control_key(layout, 12, "0000012")
    assert key["multiple"], "some choice fields carry two marks"
    assert any(value == "" for value in key["fields"].values()), "some fields are left blank"


def test_blank_control_sheet_writes_its_key(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "control.pdf"
    assert run(capsys, "blank", "control-sheet", "--number", "77", "--out", str(out))[0] == 0
    key = json.loads((tmp_path / "control.key.json").read_text(encoding="utf-8"))
    assert key["sheet_number"] == "0000077" and key["form"] == "control-sheet"
    assert key == control_key(get_layout("control-sheet"), 77, "0000077")


def test_forms_lists_every_form(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "forms")
    assert code == 0 and out.split() == ["answer-sheet", "application", "control-sheet"]


@pytest.mark.parametrize(
    "argv",
    [
        ["blank", "no-such-form", "--out", "x.pdf"],
        ["blank", "answer-sheet", "--number", "12a", "--out", "x.pdf"],
        ["blank", "answer-sheet"],
        ["read", "answer-sheet"],
        [],
    ],
)
def test_bad_usage_exits_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        code = main(argv)
        raise SystemExit(code)
    assert stopped.value.code == 2


def test_a_specification_that_does_not_check_out_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    broken = tmp_path / "spec.json"
    broken.write_text('{"kind": "something else"}', encoding="utf-8")
    code, _out, err = run(capsys, "layout", "answer-sheet", "--spec", str(broken), "--json")
    assert code == 1 and err.strip()


def test_the_rendered_page_is_the_layout(tmp_path: Path) -> None:
    """Corner squares and bubble outlines are where the layout says, at any resolution."""
    layout: Layout = get_layout("answer-sheet")
    for dpi in (100, 150):
        page = render_page_image(layout, dpi, number=None)
        scale = dpi / 25.4
        assert abs(page.shape[0] - 297 * scale) <= 1 and abs(page.shape[1] - 210 * scale) <= 1
        for mark in layout.marks:
            assert page[round(mark.y_mm * scale), round(mark.x_mm * scale)] < 30
        bubble = layout.bubble_by_id["history_kz.q01.A"]
        row = page[round(bubble.y_mm * scale)]
        left_edge = round((bubble.x_mm - bubble.w_mm / 2 + layout.bubble_line_mm / 2) * scale)
        assert row[left_edge - 1 : left_edge + 2].min() < 200 and row[round(bubble.x_mm * scale)] > 250
    assert np.array_equal(render_page_image(layout, 100, number=None), render_page_image(layout, 100, number=None))
