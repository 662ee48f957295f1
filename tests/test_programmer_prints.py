"""The exam-day prints of АРМ «Программиста Министерства», built from plain rows and read back as text
(pdftotext, kk and ru) and as page images (pdftoppm) the way a person reads them."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from base_ppent_support import flat
from pdf_support import pdf_text

from arm_programmer.exam_prints import (
    ACT_KEYS,
    ExamDay,
    RoomPrint,
    SeatedApplicant,
    build_act,
    build_handout,
    build_room_lists,
    build_seating_lists,
)
from common.desk_plan import desk_plan
from common.errors import Refused
from common.reports import BuiltForm

LONG_NAME = "Мұхаммедқалиұлы-Сейітжаппарова Әйгерім-Гүлжаһан Нұрсұлтанқызы"
DAY = ExamDay("017", "Астана қаласының №17 тестілеу пункті", "Пункт тестирования №17 города Астаны", 1,
              date(2027, 6, 20), "Астана, Мәңгілік Ел даңғылы, 8")


def people(count: int, first_seat: int = 1, step: int = 1) -> tuple[SeatedApplicant, ...]:
    return tuple(SeatedApplicant(f"{100000000 + number:09d}",
                                 LONG_NAME if number == 3 else f"Applicant{number:03d} Name Patronymic",
                                 first_seat + step * number)
                 for number in range(count))


ROOMS = (
    RoomPrint("01", "kk", 30, 15, people(20, 1, 1), jammers=1, booklets={"0101": 10, "0102": 10, "0103": 10}),
    RoomPrint("02", "ru", 24, 12, people(12, 2, 2), booklets={"0201": 12, "0202": 12}),
    RoomPrint("03", "en-ru", 30, 15, (*people(2, 1, 1), SeatedApplicant("100000777", "Late Comer", 30, late=True)),
              is_reserve=True, booklets={"0301": 5, "0302": 5}),
)


def text_of(built: BuiltForm, tmp_path: Path, name: str = "form", layout: bool = False) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(built.pdf)
    return pdf_text(path, layout=layout)


def pages_as_images(built: BuiltForm, tmp_path: Path, name: str = "form") -> list[Path]:
    """Every page as a PNG; checked to be A4 portrait with ink, and with nothing printed past the margins."""
    from PIL import Image

    path = tmp_path / f"{name}.pdf"
    path.write_bytes(built.pdf)
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(path), str(tmp_path / name)], check=True)
    images = sorted(tmp_path.glob(f"{name}-*.png"))
    assert len(images) == built.pages
    for image_path in images:
        with Image.open(image_path) as image:
            grey = image.convert("L")
            assert abs(grey.height / grey.width - 297 / 210) < 0.01, "A4 portrait"
            assert sum(grey.histogram()[:128]) > 0.004 * grey.width * grey.height, "the page carries text"
            margin = round(grey.width * 10 / 210)  # 10 mm of the 15 mm margin stay blank
            for box in ((0, 0, margin, grey.height), (grey.width - margin, 0, grey.width, grey.height)):
                assert grey.crop(box).getextrema()[0] > 200, f"{image_path.name}: ink in the side margin"
    return images


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_seating_list_gives_each_room_a_page_sorted_by_seat_with_its_variant(language: str, tmp_path: Path) -> None:
    built = build_seating_lists(DAY, ROOMS, language)
    text = text_of(built, tmp_path)
    words = flat(text)
    title = {"kk": "Отырғызу парағы", "ru": "Посадочный лист"}[language]
    rules = {"kk": "5-қосымша", "ru": "Приложение 5"}[language]
    assert title in words and rules in words
    assert {"kk": "қағидаларына", "ru": "к Правилам"}[language] in words
    assert DAY.site(language) in words and "20.06.2027" in words
    assert built.pages == len(ROOMS), "a page a room"
    pages = text_of(built, tmp_path, "layout", layout=True).split("\f")
    for room, page in zip(ROOMS, pages, strict=False):
        lines = re.findall(r"^\s*(\d+) (\d{9})\s.*?\s(\d{4})\s", page, re.M)
        assert [int(seat) for seat, _ikt, _variant in lines] == [item.seat for item in room.seated()]
        assert [ikt for _seat, ikt, _variant in lines] == [item.ikt for item in room.seated()]
        assert {int(seat): variant for seat, _ikt, variant in lines} == room.handout(), "the hand-out beside it"
    assert LONG_NAME.split()[0] in words.replace("- ", "-"), "a long name is printed whole"
    handout = ROOMS[0].handout()
    assert set(handout.values()) <= {"0101", "0102", "0103"} and len(handout) == 20
    late = {"kk": "кешіккен", "ru": "досадка"}[language]
    assert late in words.casefold()
    pages_as_images(built, tmp_path)


def test_seating_lists_variant_column_follows_the_handout_order_with_no_two_neighbours_alike() -> None:
    for room in ROOMS:
        handout = room.handout()
        plan = desk_plan(room.desks, room.seats)
        for low, high in plan.neighbour_pairs():
            if low in handout and high in handout:
                assert handout[low] != handout[high]


def test_seating_list_without_booklets_leaves_the_variant_to_the_representative(tmp_path: Path) -> None:
    room = RoomPrint("05", "ru", 30, 15, people(4))
    words = flat(text_of(build_seating_lists(DAY, [room], "ru"), tmp_path))
    assert "не известны" in words


def test_one_variant_for_neighbouring_seats_refuses_the_handout_but_not_the_seating_list(tmp_path: Path) -> None:
    room = RoomPrint("06", "ru", 30, 15, people(4), booklets={"0101": 30})
    with pytest.raises(Refused, match="06"):
        build_handout(DAY, [room], "ru")
    words = flat(text_of(build_seating_lists(DAY, [room, ROOMS[1]], "ru"), tmp_path))
    assert "не позволяют раздать" in words and "Applicant002" in words and "0201" in words


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_room_lists_run_by_name_with_the_seat(language: str, tmp_path: Path) -> None:
    built = build_room_lists(DAY, ROOMS, language)
    text = text_of(built, tmp_path)
    words = flat(text)
    assert {"kk": "аудиториялық тізімі", "ru": "Аудиторный список"}[language] in words
    first_page = text.split("\f")[0]
    names = re.findall(r"Applicant(\d{3})", first_page)
    assert names == sorted(names) and len(names) == 19
    pages_as_images(built, tmp_path)


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_handout_draws_each_room_with_every_seat_and_its_variant(language: str, tmp_path: Path) -> None:
    built = build_handout(DAY, ROOMS, language)
    text = text_of(built, tmp_path)
    first_room = text.split("\f")[0]
    for seat, variant in ROOMS[0].handout().items():
        assert re.search(rf"\b{seat}\s+{variant}\b", first_room), (seat, variant)
    assert "0101 × 7 / 10" in flat(first_room) or "0101 × 6 / 10" in flat(first_room)
    pages_as_images(built, tmp_path)


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_act_is_prefilled_with_site_stream_date_and_rooms(language: str, tmp_path: Path) -> None:
    titles = {
        "ru": {"app7": "готовности здания", "app8": "проверки аудитории", "app19": "опломбированных мешков",
               "app20": "вне аудиторий", "app21": "по аудиториям", "app22": "экзаменационных материалов",
               "app34": "подавления сигналов", "app35": "испорченных", "rules4": "при входе",
               "rules9": "удалении", "rules10": "во время тестирования", "rules11": "отказе"},
    }
    for key in ACT_KEYS:
        built = build_act(DAY, ROOMS, key, language)
        words = flat(text_of(built, tmp_path, key))
        assert DAY.site(language) in words and "20.06.2027" in words, key
        if language == "ru":
            assert titles["ru"][key] in words, key
            assert "не дана Инструкцией" in words, key
        if key in ("app8", "app22", "app35", "rules9", "rules10", "rules11"):
            assert built.pages == len(ROOMS), key
        if key in ("app19", "app21", "app34"):
            assert all(room.room in words for room in ROOMS)
        pages_as_images(built, tmp_path, key)
    rules = flat(text_of(build_act(DAY, ROOMS, "rules9", language), tmp_path, "again"))
    assert {"kk": "9-қосымша", "ru": "Приложение 9"}[language] in rules


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_a_room_running_over_pages_names_the_room_on_each(language: str, tmp_path: Path) -> None:
    big = RoomPrint("07", "kk", 90, 45, people(90), booklets={"0701": 23, "0702": 23, "0703": 23, "0704": 23})
    for builder in (build_seating_lists, build_room_lists):
        built = builder(DAY, [big, ROOMS[1]], language)
        pages = text_of(built, tmp_path, builder.__name__).split("\f")[:built.pages]
        room = {"kk": "07 аудитория", "ru": "Аудитория 07"}[language]
        assert built.pages >= 3 and all(room in flat(page) for page in pages[:-1]), builder.__name__
        assert {"kk": "02 аудитория", "ru": "Аудитория 02"}[language] in flat(pages[-1])
        pages_as_images(built, tmp_path, builder.__name__)
