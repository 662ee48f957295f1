"""Schools from a spreadsheet: the template the program exports, and the import of a filled one.

The columns are listed in :data:`COLUMNS` (and in ``docs/school_import.md``). XLSX (first sheet,
first row the column names) and CSV (comma, semicolon or tab; UTF-8 or Windows-1251) are read.
Excel drops leading zeros of codes typed as numbers, so codes and БИН are padded back. Values of
the closed lists may be written as codes (``village``) or as their Kazakh, Russian or English
names («село», «ауыл»). Every row is checked before anything is saved; the first bad row is named.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from sqlalchemy.orm import Session

from arm_base_ppent.schools import SchoolRecord, save_schools
from arm_base_ppent.vocabulary import (
    FOREIGN_LANGUAGES,
    OWNERSHIP,
    SCHOOL_KIND,
    SCHOOL_LANGUAGE,
    SCHOOL_TYPES,
    SETTLEMENT,
    TRANSPORT,
)
from common import codebook
from common.errors import Refused
from common.files import atomic_write_bytes, csv_table, read_input_file
from common.i18n import LANGUAGES, N_, _, tr

EXPECTED_COLUMNS: Final = {
    "kk": "expected_kk",
    "ru": "expected_ru",
    "en-kk": "expected_en_kk",
    "en-ru": "expected_en_ru",
}
STUDENT_PREFIX: Final = "students_"
TEMPLATE_GRADES: Final = ("9", "10", "11", "12")


@dataclass(frozen=True)
class ImportColumn:
    key: str
    required: bool
    description: str


COLUMNS: Final[tuple[ImportColumn, ...]] = (
    ImportColumn(
        "code", True, N_("school code in the NTC directory, 4 digits (sector 10 of the application)")
    ),
    ImportColumn("bin", True, N_("business identification number (БИН), 12 digits with the check digit")),
    ImportColumn("name_kk", True, N_("name in Kazakh")),
    ImportColumn("name_ru", True, N_("name in Russian")),
    ImportColumn("region_code", True, N_("region code in NTC's directory, 2 digits")),
    ImportColumn("district_code", True, N_("district code in NTC's directory, 3 digits")),
    ImportColumn("address", False, N_("address")),
    ImportColumn("language_status", False, N_("language status: kk, ru, mixed or other")),
    ImportColumn("settlement", False, N_("city or village")),
    ImportColumn("ownership", False, N_("ownership: state or private")),
    ImportColumn(
        "school_type",
        False,
        N_(
            "type of school: general, gymnasium, lyceum, specialised, nis, "
            "evening, college, or your own words"
        ),
    ),
    ImportColumn("school_kind", False, N_("kind: school or college")),
    ImportColumn(
        "foreign_languages", False, N_("foreign languages taught, codes separated by commas: en, de, fr")
    ),
    *(
        ImportColumn(
            f"{STUDENT_PREFIX}{grade}",
            False,
            N_("students in this grade or course (add students_<grade> columns as needed)"),
        )
        for grade in TEMPLATE_GRADES
    ),
    ImportColumn("expected_kk", False, N_("expected applicants tested in Kazakh")),
    ImportColumn("expected_ru", False, N_("expected applicants tested in Russian")),
    ImportColumn(
        "expected_en_kk", False, N_("expected applicants tested in English, history of Kazakhstan in Kazakh")
    ),
    ImportColumn(
        "expected_en_ru", False, N_("expected applicants tested in English, history of Kazakhstan in Russian")
    ),
    ImportColumn(
        "transport",
        False,
        N_("transport bringing the applicants: none, school-bus, hired-bus, public, own, or your own words"),
    ),
    ImportColumn("delivery", False, N_("how the applicants are delivered to the site")),
    ImportColumn("distance_km", False, N_("distance from the school to the site, km")),
    ImportColumn("stream", False, N_("stream number the school is assigned to (empty: not yet)")),
)
COLUMN_KEYS: Final = tuple(column.key for column in COLUMNS)
REQUIRED: Final = tuple(column.key for column in COLUMNS if column.required)
_NUMBER = re.compile(r"^-?\d+(\.0+)?$")
# Words people type in Kazakh and Russian spreadsheets, accepted whatever the catalogue says.
SYNONYMS: Final[dict[str, str]] = {
    "город": "city", "қала": "city", "село": "village", "ауыл": "village",
    "каз": "kk", "казахский": "kk", "қаз": "kk", "қазақ": "kk", "қазақша": "kk",
    "рус": "ru", "русский": "ru", "орыс": "ru", "орысша": "ru",
    "смешанный": "mixed", "смеш": "mixed", "аралас": "mixed",
    "государственная": "state", "гос": "state", "мемлекеттік": "state", "частная": "private", "жеке": "private",
    "школа": "school", "мектеп": "school", "колледж": "college",
}


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    rows: int


def import_schools(session: Session, path: Path, *, update: bool = False) -> ImportResult:
    """Read ``path`` (XLSX or CSV) and save every row, or refuse naming the first bad row.

    A БИН already in the database is refused unless ``update``, which overwrites that school.
    """
    records, names = read_school_file(path)
    if not records:
        raise Refused(_("The file {name} has no school rows under its header.").format(name=path.name))
    from arm_base_ppent.schools import list_schools

    known = {school.bin for school in list_schools(session)}
    save_schools(session, records, allow_update=update, row_names=names)
    updated = sum(1 for record in records if record.bin in known)
    return ImportResult(added=len(records) - updated, updated=updated, rows=len(records))


def read_school_file(path: Path) -> tuple[list[SchoolRecord], list[str]]:
    """The rows of ``path`` as records, with the name of each row ("row 7") for messages."""
    data = read_input_file(path, path.name)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        table = _xlsx_rows(data, path.name)
    elif suffix in (".csv", ".txt"):
        table = _csv_rows(data, path.name)
    else:
        raise Refused(
            _("Schools are imported from an .xlsx or .csv file, not {name}.").format(name=path.name)
        )
    return parse_table(table)


def parse_table(table: Sequence[Sequence[object]]) -> tuple[list[SchoolRecord], list[str]]:
    """Header row first; returns records and their row names ("row 2" is the first data row)."""
    if not table:
        return [], []
    header = [_header_key(cell) for cell in table[0]]
    missing = [key for key in REQUIRED if key not in header]
    if missing:
        raise Refused(
            _("The file lacks the column(s) {columns}; export the template to see them all.").format(
                columns=", ".join(missing)
            )
        )
    unknown = [key for key in header if key and key not in COLUMN_KEYS and not key.startswith(STUDENT_PREFIX)]
    if unknown:
        raise Refused(
            _("Unknown column(s) {columns}; export the template to see the columns.").format(
                columns=", ".join(unknown)
            )
        )
    records: list[SchoolRecord] = []
    names: list[str] = []
    for number, raw in enumerate(table[1:], start=2):
        cells = {key: _cell_text(value) for key, value in zip(header, raw, strict=False) if key}
        if not any(cells.values()):
            continue
        name = _("row {number}").format(number=number)
        try:
            records.append(_record(cells))
        except ValueError as error:
            raise Refused(_("{row}: {problem}").format(row=name, problem=error)) from error
        names.append(name)
    return records, names


def template_bytes(kind: str, language: str | None = None) -> bytes:
    """The empty template, ``xlsx`` (with a sheet describing each column) or ``csv`` (header only)."""
    if kind == "csv":
        text = io.StringIO()
        csv.writer(text, delimiter=";", lineterminator="\r\n").writerow(COLUMN_KEYS)
        return ("\ufeff" + text.getvalue()).encode("utf-8")
    if kind != "xlsx":
        raise Refused(_("A template is either xlsx or csv."))
    from openpyxl import Workbook
    from openpyxl.styles import Font

    def say(message: str) -> str:
        return tr(language, message) if language else _(message)

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "schools"
    sheet.append(list(COLUMN_KEYS))
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = max(12, len(column.key) + 2)
        if column.key in ("code", "bin", "region_code", "district_code"):
            for row in range(2, 2002):
                sheet.cell(row=row, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    guide = book.create_sheet("columns")
    guide.append([say(N_("column")), say(N_("required")), say(N_("what to write"))])
    for column in COLUMNS:
        guide.append([column.key, say(N_("yes")) if column.required else "", say(column.description)])
    guide.column_dimensions["A"].width = 18
    guide.column_dimensions["C"].width = 100
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_template(path: Path, language: str | None = None) -> Path:
    kind = "csv" if path.suffix.lower() == ".csv" else "xlsx"
    if kind == "xlsx" and path.suffix.lower() != ".xlsx":
        path = path.with_suffix(".xlsx")
    atomic_write_bytes(path, template_bytes(kind, language))
    return path


# --- reading --------------------------------------------------------------------------------------
def _xlsx_rows(data: bytes, name: str) -> list[list[object]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise Refused(_("{name} is not a readable XLSX file.").format(name=name)) from error
    try:
        sheet = book.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _csv_rows(data: bytes, name: str) -> list[list[object]]:
    """The rows of a CSV file in UTF-8 (Excel's «CSV UTF-8») or Windows-1251 (Excel's plain CSV)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1251")
        except UnicodeDecodeError as error:
            raise Refused(
                _("{file}, row {row}: a byte that is neither UTF-8 nor Windows-1251 text; "
                  "save the file as «CSV UTF-8».").format(file=name, row=data.count(b"\n", 0, error.start) + 1)
            ) from error
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count)
    return [list[object](row) for row in csv_table(text, delimiter, name)]


def _header_key(cell: object) -> str:
    return "_".join(str(cell or "").strip().lower().replace("-", "_").split())


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _record(cells: dict[str, str]) -> SchoolRecord:
    students = {
        key[len(STUDENT_PREFIX) :]: _count(cells[key], key)
        for key in cells
        if key.startswith(STUDENT_PREFIX) and cells[key]
    }
    expected = {status: _count(cells.get(column, ""), column) for status, column in EXPECTED_COLUMNS.items()}
    distance = cells.get("distance_km", "").replace(",", ".")
    stream = cells.get("stream", "")
    try:
        distance_km = float(distance) if distance else None
    except ValueError:
        raise ValueError(_("distance_km «{value}» is not a number").format(value=distance)) from None
    return SchoolRecord(
        code=_padded(cells.get("code", ""), codebook.SCHOOL_DIGITS),
        bin=_padded(cells.get("bin", ""), codebook.BIN_DIGITS),
        name_kk=cells.get("name_kk", ""),
        name_ru=cells.get("name_ru", ""),
        region_code=_padded(cells.get("region_code", ""), codebook.REGION_DIGITS),
        district_code=_padded(cells.get("district_code", ""), codebook.DISTRICT_DIGITS),
        address=cells.get("address", ""),
        language_status=_choice(cells.get("language_status", ""), SCHOOL_LANGUAGE, "language_status"),
        settlement=_choice(cells.get("settlement", ""), SETTLEMENT, "settlement"),
        ownership=_choice(cells.get("ownership", ""), OWNERSHIP, "ownership"),
        school_type=_choice(cells.get("school_type", ""), SCHOOL_TYPES, None),
        school_kind=_choice(cells.get("school_kind", ""), SCHOOL_KIND, "school_kind"),
        foreign_languages=_languages(cells.get("foreign_languages", "")),
        students_per_grade=students,
        expected={status: count for status, count in expected.items() if count},
        transport=_choice(cells.get("transport", ""), TRANSPORT, None),
        delivery=cells.get("delivery", ""),
        distance_km=distance_km,
        stream=_count(stream, "stream") if stream else None,
    )


def _padded(value: str, digits: int) -> str:
    """Codes lose leading zeros when a spreadsheet stores them as numbers: put them back."""
    return value.zfill(digits) if value.isdigit() and len(value) < digits else value


def _count(value: str, column: str) -> int:
    if not value:
        return 0
    if not _NUMBER.match(value):
        raise ValueError(_("{column} «{value}» is not a whole number").format(column=column, value=value))
    return int(float(value))


def _choice(value: str, names: dict[str, str], column: str | None) -> str:
    """The code of ``value`` (a code or a name in any language); free text is kept when ``column`` is None."""
    if not value:
        return ""
    wanted = value.casefold().strip(" .")
    synonym = SYNONYMS.get(wanted)
    if synonym in names:
        return synonym
    for code, message in names.items():
        if wanted == code or any(wanted == tr(language, message).casefold() for language in LANGUAGES):
            return code
    if column is None:
        return value
    raise ValueError(
        _("{column} «{value}» is not one of: {choices}").format(
            column=column, value=value, choices=", ".join(names)
        )
    )


def _languages(value: str) -> tuple[str, ...]:
    codes: list[str] = []
    for part in re.split(r"[,;/\s]+", value):
        if part:
            codes.append(_choice(part, FOREIGN_LANGUAGES, None).lower())
    return tuple(dict.fromkeys(codes))


def column_rows(language: str | None = None) -> Iterable[tuple[str, bool, str]]:
    """The documented columns: key, required, description (translated)."""
    for column in COLUMNS:
        yield (
            column.key,
            column.required,
            tr(language, column.description) if language else _(column.description),
        )
