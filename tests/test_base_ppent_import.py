"""Schools from the template the program exports, filled the way people fill spreadsheets."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from base_ppent_support import database, enrolled_folder, school_row, valid_bin, write_csv, write_xlsx
from openpyxl import load_workbook

from arm_base_ppent.school_import import COLUMN_KEYS, REQUIRED, import_schools, write_template
from arm_base_ppent.schools import list_schools
from common import i18n
from common.errors import Refused
from common.workstation import DataFolder

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def folder(tmp_path: Path) -> DataFolder:
    i18n.set_language("en")
    return enrolled_folder(tmp_path / "site")


def test_the_xlsx_template_lists_and_explains_every_column(tmp_path: Path) -> None:
    path = write_template(tmp_path / "template.xlsx", "ru")
    book = load_workbook(path)
    assert [cell.value for cell in book["schools"][1]] == list(COLUMN_KEYS)
    guide = {row[0]: row for row in book["columns"].iter_rows(min_row=2, values_only=True)}
    assert set(guide) == set(COLUMN_KEYS)
    assert guide["bin"][1] == "да" and "12" in guide["bin"][2]
    assert "село" in guide["settlement"][2], "descriptions are in the language asked for"
    assert book["schools"]["A2"].number_format == "@", "codes are text cells, so Excel keeps their zeros"


def test_the_documented_columns_are_the_columns_the_program_reads() -> None:
    documented = (ROOT / "docs" / "school_import.md").read_text(encoding="utf-8")
    for key in COLUMN_KEYS:
        assert f"`{key}`" in documented, key
    for key in REQUIRED:
        assert f"| `{key}` | yes |" in documented, key


def test_an_xlsx_filled_with_numbers_imports_every_school_with_its_zeros(folder: DataFolder, tmp_path: Path) -> None:
    rows = [school_row(n, stream=None) for n in range(1, 51)]
    path = write_xlsx(tmp_path / "schools.xlsx", rows)
    with database(folder) as session:
        result = import_schools(session, path)
    assert (result.added, result.updated, result.rows) == (50, 0, 50)
    with database(folder) as session:
        schools = {s.bin: s for s in list_schools(session)}
    first = schools[valid_bin(1)]
    assert (first.code, first.region_code, first.district_code) == ("0001", "10", "002")
    assert first.students_per_grade == {"9": 50, "11": 31}
    assert first.foreign_languages == ("en", "de")
    assert first.distance_km == 2.5
    assert first.expected == {"kk": 11, "ru": 1, "en-kk": 1}
    assert sum(s.expected_total for s in schools.values()) == sum(
        int(r["expected_kk"]) + int(r["expected_ru"]) + int(r["expected_en_kk"]) for r in rows)


def test_a_russian_csv_with_words_instead_of_codes_is_understood(folder: DataFolder, tmp_path: Path) -> None:
    rows = [school_row(1, settlement="село", language_status="рус", ownership="частная", school_kind="колледж"),
            school_row(2, settlement="қала", language_status="аралас", school_type="гимназия")]
    with database(folder) as session:
        import_schools(session, write_csv(tmp_path / "utf8.csv", rows, delimiter=","))
        imported = {s.bin: s for s in list_schools(session)}
    assert (imported[valid_bin(1)].settlement, imported[valid_bin(1)].language_status) == ("village", "ru")
    assert (imported[valid_bin(1)].ownership, imported[valid_bin(1)].school_kind) == ("private", "college")
    assert (imported[valid_bin(2)].settlement, imported[valid_bin(2)].language_status) == ("city", "mixed")


def test_a_windows_1251_csv_reads(folder: DataFolder, tmp_path: Path) -> None:
    row = school_row(1, settlement="село", name_ru="Школа-гимназия имени Абая", name_kk="Abai mektebi")
    path = tmp_path / "win.csv"
    with path.open("w", newline="", encoding="cp1251") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(COLUMN_KEYS)
        writer.writerow([row.get(key, "") for key in COLUMN_KEYS])
    with database(folder) as session:
        import_schools(session, path)
        (school,) = list_schools(session)
    assert school.name_ru == "Школа-гимназия имени Абая" and school.settlement == "village"


@pytest.mark.parametrize(("change", "message"), [
    ({"bin": "bad"}, "row 4: БИН bad is not valid"),
    ({"settlement": "megapolis"}, "row 4: settlement «megapolis» is not one of: city, village"),
    ({"expected_kk": "many"}, "row 4: expected_kk «many» is not a whole number"),
    ({"name_ru": ""}, "row 4: Enter the school's name in Kazakh and in Russian."),
    ({"stream": 3}, "row 4: there is no stream 3 in the schedule."),
])
def test_the_first_bad_row_is_named_and_nothing_is_imported(
    folder: DataFolder, tmp_path: Path, change: dict[str, object], message: str
) -> None:
    rows = [school_row(1), school_row(2), school_row(3, **change)]
    path = write_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(Refused) as refused, database(folder) as session:
        import_schools(session, path)
    assert refused.value.message.startswith(message)
    with database(folder) as session:
        assert list_schools(session) == []


def test_a_bin_twice_in_the_file_names_both_rows(folder: DataFolder, tmp_path: Path) -> None:
    rows = [school_row(1), school_row(2), school_row(3, bin=valid_bin(1))]
    with pytest.raises(Refused, match=f"row 4: БИН {valid_bin(1)} is already in row 2."), database(folder) as session:
        import_schools(session, write_csv(tmp_path / "twice.csv", rows))


def test_a_second_import_is_refused_unless_it_updates(folder: DataFolder, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", [school_row(1), school_row(2)])
    with database(folder) as session:
        import_schools(session, path)
    with pytest.raises(Refused, match=r"row 2: a school with БИН \d+ is already in the database"), \
            database(folder) as session:
        import_schools(session, path)
    changed = write_csv(tmp_path / "b.csv", [school_row(1, name_ru="Лицей №1"), school_row(5)])
    with database(folder) as session:
        result = import_schools(session, changed, update=True)
        assert (result.added, result.updated) == (1, 1)
        names = {s.bin: s.name_ru for s in list_schools(session)}
    assert names[valid_bin(1)] == "Лицей №1" and len(names) == 3


def test_files_the_program_cannot_take_are_refused_in_one_line(folder: DataFolder, tmp_path: Path) -> None:
    no_bin = tmp_path / "nobin.csv"
    no_bin.write_text("code;name_kk;name_ru;region_code;district_code\n0001;a;b;10;001\n", encoding="utf-8")
    unknown = tmp_path / "unknown.csv"
    unknown.write_text(";".join([*COLUMN_KEYS, "colour"]) + "\n", encoding="utf-8")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    empty = write_csv(tmp_path / "empty.csv", [])
    cases = [(no_bin, "lacks the column(s) bin"), (unknown, "Unknown column(s) colour"),
             (broken, "broken.xlsx is not a readable XLSX file."), (empty, "has no school rows"),
             (tmp_path / "schools.ods", "not schools.ods"), (tmp_path / "missing.csv", "Cannot read missing.csv")]
    for path, message in cases:
        if path.suffix == ".ods":
            path.write_bytes(b"x")
        with pytest.raises(Refused, match=message.replace("(", r"\(").replace(")", r"\)")), \
                database(folder) as session:
            import_schools(session, path)
