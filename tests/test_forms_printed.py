"""What the printed forms show a reader of the paper: the exam's year, the control sheet's name,
option letters over the bubbles they head, titles at one size, letters clear of their bubbles."""

from __future__ import annotations

import json
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pdf_support import pdf_text

from common.errors import Refused
from common.i18n import set_language
from common.omr.layout import Layout, Text
from common.testspec import OPTION_LETTERS, load_spec, shipped_spec
from forms.builder import GLYPH_GRAY, LABEL_PT
from forms.cli import main
from forms.registry import get_layout
from forms.render import pdf_bytes

DATA = Path(__file__).parent / "data"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> int:
    code = main(list(argv))
    capsys.readouterr()
    return code


def spec_file(tmp_path: Path, **changes: object) -> Path:
    data = shipped_spec("ent2018").to_dict() | changes
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


# --- the year ----------------------------------------------------------------------------------


def test_the_answer_sheet_prints_the_year_its_specification_gives(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "sheet.pdf"
    assert (
        run(capsys, "blank", "answer-sheet", "--spec", str(spec_file(tmp_path, exam_year=2027)), "--out", str(out)) == 0
    )
    text = pdf_text(out)
    assert "2027 жыл" in text and "2027 год" in text
    assert "2018" not in text


def test_a_blank_without_a_specification_prints_no_year_unless_one_is_given(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    plain, dated = tmp_path / "plain.pdf", tmp_path / "dated.pdf"
    assert run(capsys, "blank", "answer-sheet", "--out", str(plain)) == 0
    assert run(capsys, "blank", "control-sheet", "--year", "2029", "--out", str(dated)) == 0
    assert "2018" not in pdf_text(plain) and " жыл" not in pdf_text(plain)
    assert "2029 жыл" in pdf_text(dated) and "2029 год" in pdf_text(dated)


@pytest.mark.parametrize("argv", [["application", "--year", "2027"], ["answer-sheet", "--year", "27"]])
def test_a_year_the_form_cannot_print_is_bad_usage(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["blank", *argv, "--out", str(tmp_path / "x.pdf")])
    assert caught.value.code == 2 and not (tmp_path / "x.pdf").exists()


def test_the_exam_year_is_optional_in_the_specification_file(tmp_path: Path) -> None:
    set_language("en")
    old = load_spec(DATA / "testspec_v1_ent2018.json")  # written before the field existed
    assert old.exam_year is None and "exam_year" not in old.to_dict()
    dated = load_spec(spec_file(tmp_path, exam_year=2027))
    assert dated.exam_year == 2027 and load_spec(dated.to_dict()) == dated
    with pytest.raises(Refused, match="exam year 1927 is not between 2000 and 2099"):
        load_spec(spec_file(tmp_path, exam_year=1927))


# --- the control sheet -------------------------------------------------------------------------


def test_the_control_sheet_is_titled_as_the_control_sheet(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    control, answer = tmp_path / "control.pdf", tmp_path / "answer.pdf"
    assert run(capsys, "blank", "control-sheet", "--out", str(control)) == 0
    assert run(capsys, "blank", "answer-sheet", "--out", str(answer)) == 0
    assert "БАҚЫЛАУ ЖАУАП ПАРАҒЫ / КОНТРОЛЬНЫЙ ЛИСТ ОТВЕТОВ" in pdf_text(control)
    assert "БАҚЫЛАУ" not in pdf_text(answer) and "КОНТРОЛЬНЫЙ" not in pdf_text(answer)


# --- option letters and titles -----------------------------------------------------------------


def letter_rows(layout: Layout) -> dict[float, list[Text]]:
    """The rows of option letters printed over answer bubbles, by baseline."""
    rows: dict[float, list[Text]] = {}
    for text in layout.texts:
        if text.bold and text.size_pt == LABEL_PT and len(text.text) == 1 and text.text in OPTION_LETTERS:
            rows.setdefault(round(text.y_mm, 3), []).append(text)
    return rows


@pytest.mark.parametrize("spec", ["ent2018", "kt"])
def test_every_row_of_answer_bubbles_is_headed_by_its_own_option_letters(spec: str) -> None:
    """The letters nearest above a row, within its subject's block, are its options, over its bubbles."""
    layout = get_layout("answer-sheet", shipped_spec(spec))
    rows = letter_rows(layout)
    checked = 0
    for group, members in layout.fields_by_group.items():
        if not members[0].name.startswith(f"{group}.q"):
            continue
        block = [bubble for item in members for bubble in layout.bubbles_by_field[item.name]]
        left, right = min(b.x_mm for b in block) - 0.5, max(b.x_mm for b in block) + 0.5
        for item in members:
            bubbles = layout.bubbles_by_field[item.name]
            headings = [
                sorted((t for t in letters if left <= t.x_mm <= right), key=lambda t: t.x_mm)
                for y, letters in sorted(rows.items())
                if y < bubbles[0].y_mm
            ]
            heading = [row for row in headings if row][-1]
            assert "".join(t.text for t in heading) == "".join(item.values), item.name
            assert [round(t.x_mm, 3) for t in heading] == [round(b.x_mm, 3) for b in bubbles], item.name
            checked += 1
    assert checked == sum(len(subject.tasks) for subject in shipped_spec(spec).subjects)


def title_sizes(layout: Layout, titles: list[str]) -> set[float]:
    """The sizes the given sector titles are printed at (every line of a title that wraps counts)."""
    parts = {part for title in titles for part in (title, *title.split(" / ", 1))}
    words = {word for title in titles for word in title.split()}
    return {
        text.size_pt for text in layout.texts
        if text.bold and (text.text in parts or (len(text.text) > 1 and set(text.text.split()) <= words))
    }  # fmt: skip


@pytest.mark.parametrize("spec", ["ent2018", "kt"])
def test_the_subject_titles_of_the_answer_sheet_are_set_at_one_size(spec: str) -> None:
    specification = shipped_spec(spec)
    layout = get_layout("answer-sheet", specification)
    titles = [f"{s.names['kk']} / {s.names['ru']}" for s in specification.subjects]
    assert len(title_sizes(layout, titles)) == 1
    assert min(title_sizes(layout, titles)) >= 6.0, "legible: no smaller than the other sector titles"
    service = ["2. ТЖК / ИКТ", "3. Орын / Место", "4. Нұсқа / Вариант", "5. Ағын / Поток", "Аудитория",
               "6. Шығармашылық емтихан", "7. Қолы / Подпись"]  # fmt: skip
    assert len(title_sizes(layout, service)) == 1


def test_the_titles_of_each_row_of_the_application_are_set_at_one_size() -> None:
    layout = get_layout("application")
    rows = [
        ["1. Тегі / Фамилия", "2. Аты / Имя", "3. Әкесінің аты / Отчество"],
        ["4. ТЖК / ИКТ", "5. ЖСН / ИИН", "6. Азаматтығы / Гражданство", "11. Жынысы / Пол",
         "12. Тест тілі / Язык теста", "13. Қазақстан тарихы тілі / Язык истории Казахстана"],
        ["7. Ұлты / Национальность", "8. Облыс / Область", "9. Аудан / Район", "10. Мектеп / Школа",
         "14. Өзгертілді / Изменен", "15. Күші жойылды / Аннулирован", "16. Өзгерту күні / Дата изменения",
         "17. Техникалық хатшының қолы / Подпись технического секретаря",
         "18. Түсушінің қолы / Подпись поступающего"],
    ]  # fmt: skip
    for row in rows:
        assert len(title_sizes(layout, row)) == 1, row[0]


# --- letters inside the application's bubbles --------------------------------------------------


def test_every_letter_of_the_application_stays_clear_of_its_bubble_outline() -> None:
    """Й's breve and the tails of Қ, Ң, Щ must not touch the outline (else they read as И, К, Н, Ш)."""
    layout = get_layout("application")
    column = {bubble.value: bubble for bubble in layout.bubbles if bubble.field == "surname.c01"}
    document = pdfium.PdfDocument(pdf_bytes(layout, number=None))
    page = document[0]
    textpage = page.get_textpage()
    points_per_mm = 72 / 25.4
    seen = set()
    for index in range(textpage.count_chars()):
        char = textpage.get_text_range(index, 1)
        bubble = column.get(char)
        left, bottom, right, top = (value / points_per_mm for value in textpage.get_charbox(index, loose=False))
        top, bottom = layout.height_mm - top, layout.height_mm - bottom
        if bubble is None or abs((left + right) / 2 - bubble.x_mm) > 1 or abs((top + bottom) / 2 - bubble.y_mm) > 1.2:
            continue
        rx, ry = bubble.w_mm / 2 - layout.bubble_line_mm, bubble.h_mm / 2 - layout.bubble_line_mm
        corners = [
            ((x - bubble.x_mm) / rx) ** 2 + ((y - bubble.y_mm) / ry) ** 2 for x in (left, right) for y in (top, bottom)
        ]
        assert max(corners) ** 0.5 <= 0.93, f"the letter {char} runs into its bubble's outline"
        seen.add(char)
    textpage.close()
    page.close()
    document.close()
    assert seen == set(column)


@pytest.mark.parametrize("form", ["answer-sheet", "application", "control-sheet"])
def test_no_printed_word_is_shrunk_below_5_pt(form: str) -> None:
    """Long bilingual labels ("Бір немесе бірнеше / Один или несколько", sector 14's option) go
    on two lines rather than shrink to an unreadable size."""
    layout = get_layout(form)
    sizes = {text.text: text.size_pt for text in layout.texts if text.gray != GLYPH_GRAY}
    assert min(sizes.values()) >= 5.0, min(sizes.items(), key=lambda item: item[1])
