"""The reader, end to end: ``ent-omr blank`` → pdftoppm → filled in → ``ent-omr read`` gives back
exactly what was filled, on straight, turned and rotated pages, and flags what it must."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from common.omr.damage import Profile, damage
from common.omr.layout import Layout
from common.omr.reader import read_files
from common.omr.synth import MarkSpec, answers_to_marks, fill_page, group_answers
from forms.cli import main
from forms.control_sheet import control_key
from forms.registry import get_layout

NUMBER = "0031337"


def rasterise(pdf: Path, dpi: int, *, gray: bool = True) -> np.ndarray:
    stem = pdf.with_name(f"{pdf.stem}-{dpi}")
    options = ["-gray"] if gray else []
    subprocess.run(["pdftoppm", "-r", str(dpi), *options, "-png", str(pdf), str(stem)], check=True)
    image = cv2.imread(str(stem) + "-1.png", cv2.IMREAD_GRAYSCALE if gray else cv2.IMREAD_COLOR)
    assert image is not None
    return image


@pytest.fixture(scope="module")
def blanks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("blanks")
    made = {}
    for form in ("answer-sheet", "application"):
        pdf = folder / f"{form}.pdf"
        assert main(["blank", form, "--number", NUMBER, "--out", str(pdf)]) == 0
        made[form] = pdf
    return made


@pytest.fixture(scope="module")
def pages(blanks: dict[str, Path]) -> dict[tuple[str, int], np.ndarray]:
    """The printed blanks scanned perfectly: (form, dpi) → grey page."""
    return {
        ("answer-sheet", 200): rasterise(blanks["answer-sheet"], 200),
        ("answer-sheet", 300): rasterise(blanks["answer-sheet"], 300, gray=False),
        ("application", 200): rasterise(blanks["application"], 200),
    }


def answer_sheet_answers(layout: Layout, seed: int) -> dict[str, str]:
    """Every field answered: codes in full, one profile subject a slot, every task."""
    rng = np.random.default_rng(seed)
    answers: dict[str, str] = {}
    for group, members in layout.fields_by_group.items():
        if members[0].kind == "digits":
            answers.update(group_answers(layout, group, "".join(rng.choice(list("0123456789"), len(members)))))
    for item in layout.fields:
        if item.name in answers:
            continue
        if item.kind == "multi":
            chosen = set(rng.choice(item.values, size=int(rng.integers(1, 4)), replace=False))
            answers[item.name] = "".join(value for value in item.values if value in chosen)
        else:
            answers[item.name] = str(rng.choice(item.values))
    return answers


def filled(page: np.ndarray, layout: Layout, dpi: int, answers: dict[str, str], seed: int = 1) -> np.ndarray:
    marks = answers_to_marks(layout, answers, spec=MarkSpec(0.95, "pencil"))
    gray = page if page.ndim == 2 else cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    return fill_page(gray, layout, dpi, marks, np.random.default_rng(seed))


def read_cli(capsys: pytest.CaptureFixture[str], form: str, *paths: Path) -> tuple[int, list[dict]]:
    code = main(["read", form, *map(str, paths), "--json"])
    lines = capsys.readouterr().out.splitlines()
    return code, [json.loads(line) for line in lines]


def save(folder: Path, name: str, image: np.ndarray) -> Path:
    path = folder / name
    assert cv2.imwrite(str(path), image)
    return path


@pytest.mark.parametrize("dpi", [200, 300])
def test_a_filled_answer_sheet_reads_back_exactly(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pages: dict[tuple[str, int], np.ndarray], dpi: int
) -> None:
    layout = get_layout("answer-sheet")
    answers = answer_sheet_answers(layout, seed=dpi)
    path = save(tmp_path, "sheet.png", filled(pages[("answer-sheet", dpi)], layout, dpi, answers))
    code, [result] = read_cli(capsys, "answer-sheet", path)
    assert code == 0
    assert result["fields"] == answers
    assert result["form"] == "answer-sheet" and result["sheet_number"] == NUMBER and result["page"] == 1
    assert result["orientation"] == 0 and result["flags"] == []
    assert result["groups"]["ikt"] == "".join(answers[f"ikt.c{i:02d}"] for i in range(1, 10))
    assert set(result["bubbles"]) == {bubble.id for bubble in layout.bubbles}
    assert 0.8 <= result["quality"] <= 1.0
    transform = np.array(result["transform"])
    corner = transform @ np.array([11.0, 11.0, 1.0])
    assert np.allclose(corner[:2] / corner[2], [11 * dpi / 25.4, 11 * dpi / 25.4], atol=1.5)


def test_a_page_upside_down_or_rotated_8_degrees_reads_the_same(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pages: dict[tuple[str, int], np.ndarray]
) -> None:
    layout = get_layout("answer-sheet")
    answers = answer_sheet_answers(layout, seed=7)
    sheet = filled(pages[("answer-sheet", 200)], layout, 200, answers)
    upside_down = save(tmp_path, "turned.png", np.ascontiguousarray(sheet[::-1, ::-1]))
    height, width = sheet.shape
    canvas = (round(width * 1.25), round(height * 1.15))
    rotation = cv2.getRotationMatrix2D((width / 2, height / 2), 8.0, 1.0)
    rotation[:, 2] += [(canvas[0] - width) / 2, (canvas[1] - height) / 2]
    rotated = cv2.warpAffine(sheet, rotation, canvas, flags=cv2.INTER_LINEAR, borderValue=40)  # dark backing
    code, results = read_cli(capsys, "answer-sheet", upside_down, save(tmp_path, "rotated.jpg", rotated))
    assert code == 0
    assert [r["orientation"] for r in results] == [180, 0]
    for result in results:
        assert result["fields"] == answers and result["flags"] == [] and result["sheet_number"] == NUMBER


def test_an_application_read_as_an_answer_sheet_is_the_wrong_form(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pages: dict[tuple[str, int], np.ndarray]
) -> None:
    path = save(tmp_path, "application.png", pages[("application", 200)])
    code, [result] = read_cli(capsys, "answer-sheet", path)
    assert code == 0
    assert result["form"] == "application"
    assert [flag["kind"] for flag in result["flags"]] == ["wrong_form"]
    assert result["fields"] == {} and result["bubbles"] == {}


def test_a_filled_application_reads_names_codes_and_choices(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pages: dict[tuple[str, int], np.ndarray]
) -> None:
    layout = get_layout("application")
    answers = {
        **group_answers(layout, "surname", "ӘЛІБЕКҰЛЫ"),
        **group_answers(layout, "name", "ҒАЛЫМЖАН"),
        **group_answers(layout, "iin", "050314500123"),
        **group_answers(layout, "ikt", "004517283"),
        "sex": "M",
        "language": "en",
        "history_language": "kk",
    }
    path = save(tmp_path, "application.png", filled(pages[("application", 200)], layout, 200, answers))
    code, [result] = read_cli(capsys, "application", path)
    assert code == 0 and result["flags"] == []
    groups = result["groups"]
    assert groups["surname"] == "ӘЛІБЕКҰЛЫ" and groups["name"] == "ҒАЛЫМЖАН" and groups["patronymic"] == ""
    assert groups["iin"] == "050314500123" and groups["ikt"] == "004517283"
    assert (groups["sex"], groups["language"], groups["history_language"]) == ("M", "en", "kk")
    assert groups["annulled"] == "" and groups["changed"] == ""


def test_blank_double_and_borderline_marks_are_flagged(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pages: dict[tuple[str, int], np.ndarray]
) -> None:
    layout = get_layout("answer-sheet")
    page = pages[("answer-sheet", 200)]
    rng = np.random.default_rng(3)
    double = fill_page(page, layout, 200, {"history_kz.q03.A": MarkSpec(0.95), "history_kz.q03.D": MarkSpec(0.9)}, rng)
    borderline = fill_page(
        page, layout, 200, {"math_literacy.q05.B": MarkSpec(0.5, "partial"), "ikt.c01.4": MarkSpec(0.95)}, rng
    )
    paths = [save(tmp_path, f"{name}.png", image) for name, image in
             (("empty", page), ("double", double), ("borderline", borderline))]  # fmt: skip
    code, (empty, two, unsure) = read_cli(capsys, "answer-sheet", *paths)
    assert code == 0
    assert empty["flags"] == [{"field": None, "kind": "blank", "bubbles": []}]
    assert all(value == "" for value in empty["fields"].values())
    assert two["fields"]["history_kz.q03"] == "AD"
    assert two["flags"] == [
        {"field": "history_kz.q03", "kind": "multiple", "bubbles": ["history_kz.q03.A", "history_kz.q03.D"]}
    ]
    assert {"field": "math_literacy.q05", "kind": "ambiguous", "bubbles": ["math_literacy.q05.B"]} in unsure["flags"]
    assert unsure["fields"]["ikt.c01"] == "4"
    assert unsure["quality"] < two["quality"]


def test_a_file_that_cannot_be_opened_gives_exit_1_and_the_rest_are_read(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pages: dict[tuple[str, int], np.ndarray]
) -> None:
    good = save(tmp_path, "good.png", pages[("answer-sheet", 200)])
    broken = tmp_path / "broken.png"
    broken.write_bytes(good.read_bytes()[:5000])
    code, results = read_cli(capsys, "answer-sheet", good, broken, tmp_path / "missing.tif", good)
    assert code == 1
    assert [r["image"] for r in results] == [str(good), str(broken), str(tmp_path / "missing.tif"), str(good)]
    for result in results[1:3]:
        assert result["form"] is None and result["fields"] == {} and result["bubbles"] == {}
        assert [flag["kind"] for flag in result["flags"]] == ["unreadable"]
    assert results[0]["flags"] == results[3]["flags"] == [{"field": None, "kind": "blank", "bubbles": []}]


def test_a_page_without_a_form_on_it_is_unreadable_but_exit_0(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    noise = np.random.default_rng(0).integers(0, 256, size=(1400, 1000), dtype=np.uint8)
    code, [result] = read_cli(capsys, "answer-sheet", save(tmp_path, "noise.png", noise))
    assert code == 0 and [flag["kind"] for flag in result["flags"]] == ["unreadable"]


def test_every_page_of_a_multi_page_tiff_and_pdf(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    pages: dict[tuple[str, int], np.ndarray],
    blanks: dict[str, Path],
) -> None:
    layout = get_layout("answer-sheet")
    answers = answer_sheet_answers(layout, seed=11)
    first = Image.fromarray(filled(pages[("answer-sheet", 200)], layout, 200, answers))
    second = Image.fromarray(pages[("answer-sheet", 200)])
    tiff = tmp_path / "batch.tif"
    first.save(tiff, save_all=True, append_images=[second], compression="tiff_deflate", dpi=(200, 200))
    code, results = read_cli(capsys, "answer-sheet", tiff, blanks["answer-sheet"])
    assert code == 0
    assert [(Path(r["image"]).name, r["page"]) for r in results] == [
        ("batch.tif", 1),
        ("batch.tif", 2),
        ("answer-sheet.pdf", 1),
    ]
    assert results[0]["fields"] == answers
    assert results[1]["flags"][0]["kind"] == results[2]["flags"][0]["kind"] == "blank"


def test_a_printed_control_sheet_reads_as_its_key(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pdf = tmp_path / "control.pdf"
    assert main(["blank", "control-sheet", "--number", "52", "--out", str(pdf)]) == 0
    key = json.loads(pdf.with_suffix(".key.json").read_text(encoding="utf-8"))
    code, [result] = read_cli(capsys, "control-sheet", save(tmp_path, "control.png", rasterise(pdf, 200)))
    assert code == 0 and result["sheet_number"] == "0000052"
    assert result["fields"] == key["fields"]
    assert sorted(f["field"] for f in result["flags"] if f["kind"] == "multiple") == sorted(key["multiple"])
    errors = [abs(result["bubbles"][bubble] - fill) for bubble, fill in key["bubbles"].items()]
    assert max(errors) <= 0.15
    assert key == control_key(get_layout("control-sheet"), 52, "0000052")


def test_damaged_scans_read_right_or_flag_it(pages: dict[tuple[str, int], np.ndarray], tmp_path: Path) -> None:
    """A few harsh scans: every field read as filled unless the page says to look."""
    layout = get_layout("answer-sheet")
    paths, expected = [], []
    for seed in range(3):
        answers = answer_sheet_answers(layout, seed=100 + seed)
        rng = np.random.default_rng(seed)
        scan, _transform = damage(filled(pages[("answer-sheet", 200)], layout, 200, answers), rng, Profile.harsh())
        paths.append(save(tmp_path, f"damaged{seed}.png", scan))
        expected.append(answers)
    for result, answers in zip(read_files("answer-sheet", paths, workers=1), expected, strict=True):
        flagged = {flag.field for flag in result.flags if flag.kind in ("ambiguous", "multiple")}
        assert not result.unreadable and result.sheet_number == NUMBER
        wrong = {name for name, value in answers.items() if result.fields[name] != value}
        assert wrong <= flagged


def test_batches_are_read_in_input_order_on_two_processes(
    pages: dict[tuple[str, int], np.ndarray], tmp_path: Path
) -> None:
    layout = get_layout("answer-sheet")
    answers = answer_sheet_answers(layout, seed=5)
    full = save(tmp_path, "full.png", filled(pages[("answer-sheet", 200)], layout, 200, answers))
    empty = save(tmp_path, "empty.png", pages[("answer-sheet", 200)])
    paths = [full, empty, empty, full, tmp_path / "missing.png", full, empty]
    results = list(read_files("answer-sheet", paths, workers=2))
    assert [r.image for r in results] == [str(path) for path in paths]
    assert [r.has_flag("blank") for r in results] == [False, True, True, False, False, False, True]
    assert results[4].unreadable
    assert results[0].fields == results[3].fields == answers
