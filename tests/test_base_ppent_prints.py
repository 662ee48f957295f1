"""The printed forms of the site database, read back as text (pdftotext) and as page images."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from base_ppent_support import database, enrolled_folder, flat, school_row, write_csv
from pdf_support import pdf_text

from arm_base_ppent.printing import print_form
from arm_base_ppent.rooms import RoomDraft, add_room, set_room_use
from arm_base_ppent.school_import import import_schools
from arm_base_ppent.site import SiteFacts, update_site_facts
from arm_base_ppent.streams import add_stream
from common.desk_plan import rows_of_desks, seat_layout
from common.errors import Refused
from common.reports import PrintedForm
from common.workstation import DataFolder

LANGUAGES = {"kk", "ru"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> DataFolder:
    """Three streams, five rooms, 50 schools: the site of the issue's "Done when"."""
    root = tmp_path_factory.mktemp("prints")
    folder = enrolled_folder(root / "site")
    rows = [school_row(n, stream=1 + n % 3) for n in range(1, 51)]
    with database(folder) as session:
        update_site_facts(session, SiteFacts("Корпус 1, ул. Абая 10", 40, 60, "1 этаж", "арочный", 2, 14, 28))
        for day in (20, 21, 22):
            add_stream(session, date(2027, 6, day))
        for number, desks in (("01", 60), ("02", 60), ("03", 45), ("04", 20), ("05", 15)):
            add_room(session, RoomDraft(number, desks, "mechanical", 1, 2, "Корпус 1, ул. Абая 10"))
        for stream in (1, 2, 3):
            set_room_use(session, "01", stream, "kk")
            set_room_use(session, "02", stream, "kk")
            set_room_use(session, "03", stream, "ru")
            set_room_use(session, "04", stream, "en-kk")
            set_room_use(session, "05", stream, "ru", reserve=True)
        import_schools(session, write_csv(root / "schools.csv", rows))
    return folder


def printed(folder: DataFolder, form: str, language: str, rooms: list[str] | None = None) -> PrintedForm:
    with database(folder) as session:
        return print_form(session, folder, form, language, actor="Ахметова А.", rooms=rooms)


def test_app28_in_russian_holds_facts_room_fund_schools_schedule_and_signatures(site: DataFolder) -> None:
    form = printed(site, "app28", "ru")
    text = pdf_text(form.path, layout=False)
    words = flat(text)
    assert "Приложение 28" in text and "к Инструкции по организации и проведению ЕНТ" in text
    assert "Отчет формирования базы данных «База ППЕНТ»" in words
    assert "ППЕНТ: 017 — ППЕНТ Семей" in words
    for fact in ("Места проживания 40", "Места питания 60", "Расположение санузла 1 этаж",
                 "Металлоискатели: тип и количество арочный, 2", "Видеокамеры 28"):
        assert fact in words, fact
    assert words.count("Поток 1, 20.06.2027: аудиторий 4, мест 370; резерв: аудиторий 1, мест 30") == 1
    assert "Английский, история Казахстана на казахском" in words
    assert "резерв" in words and "механическая" in words
    assert "Школы и колледжи по языку и статусу «город/село»" in words
    assert "Ожидаемые поступающие" in words
    assert "Руководитель ППЕНТ несет персональную ответственность" in words
    assert "Руководитель ППЕНТ" in text.split("персональную ответственность")[1]
    assert "(подпись)" in text and "(Ф.И.О.)" in text and "М.П." in text
    assert f"стр. {form.pages} из {form.pages}" in text


def test_app28_in_kazakh(site: DataFolder) -> None:
    form = printed(site, "app28", "kk")
    text = pdf_text(form.path, layout=False)
    words = flat(text)
    assert "Нұсқаулыққа 28-қосымша" in words
    assert "«ҰБТ өткізу пунктінің базасы» дерекқорын қалыптастыру есебі" in words
    assert "ҰБТ өткізу пункті: 017 — Семей ҰБТ өткізу пункті" in words
    assert "1-ағын, 20.06.2027: 4 аудитория, 370 орын; резерв: 1 аудитория, 30 орын" in words
    assert "Ағылшынша, Қазақстан тарихы қазақша" in words
    assert "ҰБТ өткізу пунктінің басшысы" in words and "(қолы)" in text and "М.О." in text
    assert f"{form.pages}-бет, барлығы {form.pages}" in text
    assert not any(english in words for english in ("Room fund", "Expected", "Total", "page ")), "all translated"


def test_app28_totals_add_up_per_stream(site: DataFolder) -> None:
    text = pdf_text(printed(site, "app28", "ru").path)
    rows = [school_row(n, stream=1 + n % 3) for n in range(1, 51)]
    in_stream_1 = [r for r in rows if r["stream"] == 1]
    by_language = [sum(int(r[key]) for r in in_stream_1) for key in ("expected_kk", "expected_ru", "expected_en_kk")]
    schedule_line = [line for line in text.splitlines() if "20.06.2027" in line][-1]
    numbers = [int(word) for word in schedule_line.split() if word.isdigit()]
    # stream, schools, kk, ru, en-kk, en-ru, total, seats in rooms, in reserve (nobody short of a seat)
    assert numbers == [1, len(in_stream_1), *by_language, 0, sum(by_language), 370, 30]
    total_line = next(line for line in text.splitlines() if line.split()[:2] == ["Итого", "50"])
    assert int(total_line.split()[-2]) == 3 * 370


def test_schools_directory_lists_every_school_with_its_p84_fields(site: DataFolder) -> None:
    for language, title, header in (("ru", "Справочник школ и колледжей", "БИН"),
                                    ("kk", "Мектептер мен колледждер анықтамалығы", "БСН")):
        form = printed(site, "schools-directory", language)
        text = pdf_text(form.path, layout=False)
        words = flat(text)
        assert title in words and header in words
        for number in (1, 25, 50):
            row = school_row(number)
            assert str(row["bin"]) in text
            assert (row["name_ru"] if language == "ru" else row["name_kk"]) in words
        assert words.count("Семей, ул. Абая") == 50
        assert "EN, DE" in words and "9: 50; 11:" in words
        assert ("Всего школ: 50" if language == "ru" else "Барлығы: 50 мектеп") in words
        assert ("Представитель местного органа управления образованием" in words) is (language == "ru")


def test_room_signs_print_one_page_per_room(site: DataFolder) -> None:
    form = printed(site, "room-signs", "ru", rooms=["1", "04"])
    pages = pdf_text(form.path, layout=False).split("\f")[:-1]
    assert form.pages == 2 == len(pages)
    assert "АУДИТОРИЯ" in pages[0] and "01" in pages[0] and "04" in pages[1]
    assert "Приложение 11" in pages[0]
    with pytest.raises(Refused, match="There is no room 09"), database(site) as session:
        print_form(session, site, "room-signs", "ru", actor="x", rooms=["9"])


def test_seat_scheme_numbers_every_seat_of_each_room(site: DataFolder) -> None:
    form = printed(site, "seat-scheme", "kk")
    pages = [flat(page) for page in pdf_text(form.path, layout=False).split("\f")[:-1]]
    assert len(pages) == 5
    first = pages[0]
    assert "12-қосымша" in first and "01 аудиториясы: 120 орын, 60 парта" in first
    numbers = {int(word) for word in first.split() if word.isdigit()}
    assert set(range(1, 121)) <= numbers
    assert "ТАҚТА" in first and "1-қатар" in first and "6-қатар" in first


def test_seat_layout_numbers_desk_after_desk_front_to_back() -> None:
    layout = seat_layout(15)
    assert rows_of_desks(15) == 3 and rows_of_desks(60) == 6
    assert [place.seats for place in layout[:2]] == [(1, 2), (3, 4)]
    assert (layout[5].row, layout[5].place, layout[5].seats) == (1, 0, (11, 12))
    assert [seat for place in seat_layout(60) for seat in place.seats] == list(range(1, 121))


def test_pages_render_as_images_with_ink_on_them(site: DataFolder, tmp_path: Path) -> None:
    from PIL import Image

    form = printed(site, "app28", "kk")
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(form.path), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == form.pages
    for image_path in images:
        with Image.open(image_path) as image:
            grey = image.convert("L")
            assert grey.width < grey.height, "A4 portrait"
            dark = grey.histogram()[:128]
            dark_pixels = sum(dark)
            assert dark_pixels > 0.005 * grey.width * grey.height, "the page carries text and tables"


def test_forms_come_only_in_kazakh_or_russian(site: DataFolder) -> None:
    with pytest.raises(Refused, match="Kazakh \\(kk\\) or Russian \\(ru\\)"), database(site) as session:
        print_form(session, site, "app28", "en", actor="x")
    assert {path.name.split("_")[-2] for path in site.printed.glob("app28_*.pdf")} <= LANGUAGES


def test_schools_directory_never_breaks_a_school_code_and_writes_decimal_commas(site: DataFolder) -> None:
    """A code split over two lines ("10/001/00" | "03") reads as two codes on the checked copy."""
    for language in ("ru", "kk"):
        text = pdf_text(printed(site, "schools-directory", language).path, layout=False)
        codes = re.findall(r"(?<![\d/])10/00[1-3]/\d{4}(?![\d/])", text)
        assert sorted(codes) == sorted(f"10/{1 + n % 3:03d}/{n:04d}" for n in range(1, 51)), language
        assert "2,5" in text and "2.5" not in text
