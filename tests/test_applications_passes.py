"""Admission passes and the registers after the distribution (ch. 21, п. 32.1, 107–108; прил. 6, 13,
17): the prints read back as text in Kazakh and Russian, and the commands."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from passes_support import applications_folder, distribute
from pdf_support import pdf_text

from arm_applications.forms import registers
from arm_applications.forms.passes import RULES_OF_CONDUCT, build_passes
from arm_applications.passes import ChangeRow, JournalRow, PassRow, StreamInfo, pass_language
from common.db.models import Site
from common.i18n import tr

SITE = Site(code="017", name_kk="Көкшетау ҰБТ өткізу пункті", name_ru="ППЕНТ Кокшетау", region_code="11")
STREAM = StreamInfo(1, date(2027, 6, 20))


def placed(number: int, language: str, history: str | None = None, *, surname: str = "Серікбаев",
           room: str = "01", reserve: bool = False, school: str = "11/001/0001") -> PassRow:
    return PassRow(ikt=f"{100000000 + number:09d}", surname=surname, name="Ерлан", patronymic="Болатұлы",
                   school_key=school, school_name_kk="№1 жалпы орта білім беретін мектеп-гимназиясы",
                   school_name_ru="Средняя общеобразовательная школа-гимназия №1 имени Абая", stream=1,
                   exam_date=date(2027, 6, 20), room=room, place=number, test_language=language,
                   history_language=history, reserve_room=reserve)


def write(tmp_path: Path, name: str, pdf: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(pdf)
    return path


def words(text: str) -> str:
    return " ".join(text.split())


def test_a_pass_and_its_stub_are_in_the_applicants_language_with_all_that_ch_21_asks(tmp_path: Path) -> None:
    rows = [placed(1, "kk"), placed(2, "ru", surname="Константинопольская-Иванова"), placed(3, "en", "kk"),
            placed(4, "en", "ru", room="02", reserve=True)]
    built = build_passes(SITE, rows, "11/001/0001")
    assert built.pages == 2  # three passes to a page
    text = pdf_text(write(tmp_path, "passes.pdf", built.pdf), layout=False)
    first, second = (words(page) for page in text.split("\f")[:2])
    # a Kazakh pass and a Russian one, each with its stub
    assert first.count("ҰБТ-ға РҰҚСАТНАМА") == 2 and first.count("РҰҚСАТНАМА ТҮБІРТЕГІ") == 2
    assert first.count("ПРОПУСК НА ЕНТ") == 1 and first.count("КОРЕШОК ПРОПУСКА") == 1
    for label in ("Тегі, аты, әкесінің аты", "Аудитория", "Орын", "Ағын", "Күні", "Келу уақыты", "Фото 3×4",
                  "Мектеп директоры", "М.О."):
        assert label in first, label
    for label in ("Фамилия, имя, отчество", "Аудитория", "Место", "Поток", "Дата", "Время прибытия", "Фото 3×4",
                  "Директор школы", "М.П."):
        assert label in first, label
    assert "Константинопольская-Иванова" in first and "20.06.2027" in first and "100000002" in first
    assert "Начало тестирования: 9.00 по местному времени" in first  # п. 43.10
    assert first.count("Тестілеудің басталуы: жергілікті уақытпен 9.00") == 4
    # the English taker of history in Russian gets a Russian pass; the reserve room is said so
    assert "ПРОПУСК НА ЕНТ" in second and "02 (резерв)" in second and "Английский" in second
    # the rules of conduct on pass and stub, marked as a placeholder, in both languages
    assert words(tr("kk", RULES_OF_CONDUCT))[:40] in first
    assert first.count("[") >= 4 and words(tr("ru", RULES_OF_CONDUCT)).startswith("[")
    assert "PLACEHOLDER" not in tr("ru", RULES_OF_CONDUCT) and "PLACEHOLDER" not in tr("kk", RULES_OF_CONDUCT)


def test_the_pass_language_follows_the_test_language_or_the_history_language_of_english_takers() -> None:
    assert [pass_language("kk", None), pass_language("ru", None), pass_language("en", "kk"),
            pass_language("en", "ru")] == ["kk", "ru", "kk", "ru"]


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_register_of_issued_passes_lists_each_pass_to_sign_for(tmp_path: Path, language: str) -> None:
    rows = [placed(1, "kk"), placed(2, "ru")]
    text = words(pdf_text(write(tmp_path, "register.pdf",
                                registers.build_passes_register(SITE, rows, language).pdf), layout=False))
    expected = {"kk": ("6-қосымша", "берілген рұқсатнамалар тізілімі", "Түсушінің қолы"),
                "ru": ("Приложение 6", "Реестр выдачи пропусков", "Подпись поступающего")}[language]
    for part in expected:
        assert part in text, part
    assert "100000001" in text and "100000002" in text and text.count("Серікбаев Ерлан Болатұлы") == 2


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_room_folders_give_each_room_its_list_by_place_on_its_own_page(tmp_path: Path, language: str) -> None:
    rows = [placed(2, "kk", room="01"), placed(1, "kk", room="01", surname="Әбенова"),
            placed(1, "ru", room="02", reserve=True, surname="Иванова")]
    built = registers.build_room_folders(SITE, STREAM, rows, language)
    assert built.pages == 2
    path = write(tmp_path, "folders.pdf", built.pdf)
    pages = [words(page) for page in pdf_text(path, layout=False).split("\f") if page.strip()]
    room, reserve = {"kk": ("01 аудитория", "02 аудитория (резерв)"),
                     "ru": ("Аудитория 01", "Аудитория 02 (резерв)")}[language]
    assert room in pages[0] and reserve in pages[1]
    assert pages[0].index("Әбенова") < pages[0].index("Серікбаев")  # by place
    assert "Иванова" in pages[1] and "Иванова" not in pages[0]


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_site_journal_of_a_stream_is_printed_twice(tmp_path: Path, language: str) -> None:
    rows = [JournalRow("100000001", "Серікбаев Ерлан", "11/001/0001", "kk", None, "01", 1),
            JournalRow("100000004", "Жанұзақова Дана", "11/001/0001", "en", "kk", None, None)]
    text = words(pdf_text(write(tmp_path, "journal.pdf",
                                registers.build_site_journal(SITE, STREAM, rows, language).pdf), layout=False))
    copy = {"kk": "{copy}-дана, барлығы 2", "ru": "Экземпляр {copy} из 2"}[language]
    assert copy.format(copy=1) in text and copy.format(copy=2) in text
    assert {"kk": "17-қосымша", "ru": "Приложение 17"}[language] in text
    assert text.count("Серікбаев Ерлан") == 2 and text.count("100000004") == 2


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_journal_of_changes_names_the_field_and_why(tmp_path: Path, language: str) -> None:
    rows = [ChangeRow("100000003", "11/001/0001", "surname", "Смирнов-Задунайский", ("hyphen",)),
            ChangeRow("100000003", "11/001/0001", "name", "Пётр", ("yo_hard_sign",))]
    built = registers.build_journal_of_changes(SITE, rows, language)
    assert built.pages == 1  # a few names: the empty rows and the signatures on the same page
    text = words(pdf_text(write(tmp_path, "changes.pdf", built.pdf), layout=False))
    expected = {"kk": ("13-қосымша", "Тегі", "Аты", "дефис", "«ё» немесе «ъ»"),
                "ru": ("Приложение 13", "Фамилия", "Имя", "дефис", "«ё» или «ъ»")}[language]
    for part in expected:
        assert part in text, part
    assert "Смирнов-Задунайский" in text and "Пётр" in text


# --- the commands on a site's database ------------------------------------------------------------


def cli(folder: Path, *args: str, language: str = "ru") -> tuple[int, dict[str, object] | None, str]:
    import contextlib
    import io

    from arm_applications.cli import build

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = build().run([*args, "--data-dir", str(folder), "--lang", language, "--json"])
    return code, json.loads(out.getvalue()) if code == 0 else None, err.getvalue().strip()


def files(result: dict[str, object] | None) -> list[Path]:
    assert isinstance(result, dict)
    found = result["files"]
    assert isinstance(found, list)
    return [Path(item["path"]) for item in found]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site's applications, not distributed yet."""
    return applications_folder(tmp_path_factory.mktemp("passes") / "applications").root


def test_the_journal_of_changes_is_pre_filled_from_the_applications_alone(site: Path, tmp_path: Path) -> None:
    code, result, _err = cli(site, "print", "journal-of-changes", "--language", "ru", "--out", str(tmp_path))
    assert code == 0
    [printed] = files(result)
    assert (tmp_path / printed.name).read_bytes() == printed.read_bytes()  # the copy for the programmer
    text = words(pdf_text(printed, layout=False))
    # п. 108: a hyphen, «ё», a name too long for the grid; not the annulled application nor a fitting name
    assert "Смирнов-Задунайский" in text and "Пётр" in text and "Константинопольская" not in text
    assert "Annulled" not in text and "Серікбаев" not in text and "Иванова" not in text
    assert "дефис" in text and "«ё» или «ъ»" in text
    code, result, _err = cli(site, "print", "journal-of-changes", "--school", "0002")  # a school by its code
    [school] = files(result)
    assert code == 0 and school.name.startswith("journal-of-changes_11-001-0002_ru_")
    assert "Смирнов-Задунайский" not in pdf_text(school, layout=False)  # another school's


def test_passes_and_their_registers_are_refused_before_the_distribution(site: Path) -> None:
    for command in (("passes", "print"), ("print", "passes-register"), ("print", "room-folders")):
        code, _result, err = cli(site, *command)
        assert code == 1 and "не распределены по аудиториям" in err and err.count("\n") == 0, command
    assert not list((site / "printed").glob("passes*"))


def test_the_site_journal_is_printed_at_closing_before_the_distribution(site: Path) -> None:
    code, result, _err = cli(site, "print", "site-journal", "--stream", "1", "--language", "kk", language="kk")
    assert code == 0
    text = words(pdf_text(files(result)[0], layout=False))
    assert "17-қосымша" in text and text.count("Смирнов-Задунайский Пётр Ильич") == 2
    assert "Мұратов" not in text  # stream 2


@pytest.fixture(scope="module")
def distributed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = applications_folder(tmp_path_factory.mktemp("distributed") / "applications")
    distribute(folder)
    return folder.root


def test_passes_print_gives_a_file_per_school_each_pass_in_its_applicants_language(distributed: Path,
                                                                                    tmp_path: Path) -> None:
    code, result, _err = cli(distributed, "passes", "print", "--out", str(tmp_path))
    assert code == 0
    printed = files(result)
    assert [path.name.split("_")[1] for path in printed] == ["11-001-0001", "11-001-0002", "11-002-0001"]
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(path.name for path in printed)
    first = pdf_text(printed[0], layout=False).split("\f")[0]
    assert first.count("ҰБТ-ға РҰҚСАТНАМА") == 2 and first.count("ПРОПУСК НА ЕНТ") == 1  # kk, kk, ru; en-kk next page
    second = words(pdf_text(printed[1], layout=False))
    assert "Константинопольская" in second and "03 (резерв)" in second and "Annulled" not in second
    code, result, _err = cli(distributed, "passes", "print", "--school", "11/002/0001")
    assert code == 0 and len(files(result)) == 1


def test_the_registers_after_the_distribution(distributed: Path) -> None:
    code, result, _err = cli(distributed, "print", "passes-register", "--school", "11/001/0002")
    assert code == 0
    [register] = files(result)
    text = words(pdf_text(register, layout=False))
    assert "Реестр выдачи пропусков" in text and "Пропусков: 3" in text
    code, result, _err = cli(distributed, "print", "room-folders")
    assert code == 0
    first, second = files(result)  # one per stream
    pages = [words(page) for page in pdf_text(first, layout=False).split("\f") if page.strip()]
    assert len(pages) == 5 and "Аудитория 03 (резерв)" in pages[2]  # rooms 01–05 of stream 1
    assert "Мұратов" in pdf_text(second, layout=False)
    code, result, _err = cli(distributed, "print", "site-journal")
    assert code == 0 and len(files(result)) == 2
    layout = pdf_text(files(result)[1])
    [line] = [line for line in layout.splitlines() if "Мұратов" in line][:1]
    assert line.split()[-2:] == ["01", "1"]  # with the room and place now


def test_a_school_or_stream_without_placed_applicants_is_refused_in_one_line(distributed: Path) -> None:
    code, _result, err = cli(distributed, "passes", "print", "--school", "99/999/9999")
    assert code == 1 and "99/999/9999" in err
    code, _result, err = cli(distributed, "print", "room-folders", "--stream", "7")
    assert code == 1 and "7" in err and "\n" not in err
