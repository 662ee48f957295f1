"""НЦТ's directories (информационный справочник, п. 23.1) as every workstation reads them.

Five directories: regions, districts, schools and colleges, nationalities, citizenships. Their
codes are what applicants mark in sectors 6–10 of the application form (п. 94). A district is
identified within its region and a school within its district, so a school's full key is
(region, district, school). Codes are zero-padded strings of the code book's widths.

НЦТ sends them as a payload dict (in the enrolment package or a "directories" package)::

    {"format": 1, "version": 3, "created_at": "2026-05-02T10:00:00+00:00",
     "regions":       {"columns": ["code", "name_kk", "name_ru"], "rows": [["10", "…", "…"], …]},
     "districts":     {"columns": ["region_code", "code", "name_kk", "name_ru"], "rows": […]},
     "schools":       {"columns": [...SCHOOL_COLUMNS], "rows": […]},
     "nationalities": {"columns": ["code", "name_kk", "name_ru"], "rows": […]},
     "citizenships":  {"columns": ["code", "name_kk", "name_ru"], "rows": […]}}

:func:`load_directories_payload` turns it into :class:`Directories`; ``Directories.to_payload``
is the inverse. The row rules (:func:`parse_row`) are the same ones НЦТ applies when it imports
the directories from CSV or XLSX, so a directory that left НЦТ always loads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Final, Literal

from common import codebook
from common.errors import Refused
from common.i18n import N_, _

PAYLOAD_FORMAT: Final = 1

DirectoryKind = Literal["regions", "districts", "schools", "nationalities", "citizenships"]
KINDS: Final[tuple[DirectoryKind, ...]] = ("regions", "districts", "schools", "nationalities", "citizenships")

SCHOOL_KINDS: Final[tuple[str, ...]] = ("school", "college")
SETTLEMENTS: Final[tuple[str, ...]] = ("city", "village")
TEACHING_LANGUAGES: Final[tuple[str, ...]] = ("kk", "ru", "mixed")

COLUMNS: Final[dict[DirectoryKind, tuple[str, ...]]] = {
    "regions": ("code", "name_kk", "name_ru"),
    "districts": ("region_code", "code", "name_kk", "name_ru"),
    "schools": (
        "region_code", "district_code", "code", "kind", "name_kk", "name_ru", "bin", "settlement",
        "locality_kk", "locality_ru", "language",
    ),
    "nationalities": ("code", "name_kk", "name_ru"),
    "citizenships": ("code", "name_kk", "name_ru"),
}  # fmt: skip
"""The columns of each directory, in file order (CSV header, XLSX first row, payload columns)."""

OPTIONAL_COLUMNS: Final = frozenset({"locality_kk", "locality_ru", "language"})

KIND_TITLES: Final[dict[DirectoryKind, str]] = {
    "regions": N_("Regions"),
    "districts": N_("Districts"),
    "schools": N_("Schools and colleges"),
    "nationalities": N_("Nationalities"),
    "citizenships": N_("Citizenships"),
}

COLUMN_DESCRIPTIONS: Final[dict[str, str]] = {
    "code": N_("code: digits, leading zeros may be dropped (region 2, district 3, school 4, "
               "nationality 3, citizenship 3)"),
    "region_code": N_("region code, 2 digits, from the regions directory"),
    "district_code": N_("district code within the region, 3 digits, from the districts directory"),
    "name_kk": N_("name in Kazakh"),
    "name_ru": N_("name in Russian"),
    "kind": N_("school or college"),
    "bin": N_("business identification number (БИН), 12 digits with the check digit"),
    "settlement": N_("city or village"),
    "locality_kk": N_("city or village name in Kazakh (optional)"),
    "locality_ru": N_("city or village name in Russian (optional)"),
    "language": N_("language of teaching: kk, ru or mixed (optional)"),
}

_CODE_WIDTHS: Final[dict[tuple[DirectoryKind, str], int]] = {
    ("regions", "code"): codebook.REGION_DIGITS,
    ("districts", "region_code"): codebook.REGION_DIGITS,
    ("districts", "code"): codebook.DISTRICT_DIGITS,
    ("schools", "region_code"): codebook.REGION_DIGITS,
    ("schools", "district_code"): codebook.DISTRICT_DIGITS,
    ("schools", "code"): codebook.SCHOOL_DIGITS,
    ("nationalities", "code"): codebook.NATIONALITY_DIGITS,
    ("citizenships", "code"): codebook.CITIZENSHIP_DIGITS,
}


class RowProblem(ValueError):
    """A row breaks a rule; ``message`` is one translated line (the caller says which row)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _Named:
    """An entry named in Kazakh and Russian."""

    name_kk: str
    name_ru: str

    def name(self, language: str) -> str:
        """The Kazakh name for ``kk``, the Russian one otherwise (the suite's third language has none)."""
        return self.name_kk if language == "kk" else self.name_ru


@dataclass(frozen=True)
class Region(_Named):
    code: str
    name_kk: str
    name_ru: str


@dataclass(frozen=True)
class District(_Named):
    region_code: str
    code: str
    name_kk: str
    name_ru: str


@dataclass(frozen=True)
class School(_Named):
    """A school or college; ``settlement`` is ``city`` or ``village``, ``language`` kk/ru/mixed or ''."""

    region_code: str
    district_code: str
    code: str
    kind: str
    name_kk: str
    name_ru: str
    bin: str
    settlement: str
    locality_kk: str = ""
    locality_ru: str = ""
    language: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.region_code, self.district_code, self.code)


@dataclass(frozen=True)
class Nationality(_Named):
    code: str
    name_kk: str
    name_ru: str


@dataclass(frozen=True)
class Citizenship(_Named):
    code: str
    name_kk: str
    name_ru: str


Entry = Region | District | School | Nationality | Citizenship
_ENTRY_TYPES: Final[dict[DirectoryKind, type]] = {
    "regions": Region, "districts": District, "schools": School,
    "nationalities": Nationality, "citizenships": Citizenship,
}  # fmt: skip


@dataclass(frozen=True)
class Directories:
    """One version of НЦТ's directories, with lookups by code."""

    version: int
    created_at: str
    regions: tuple[Region, ...] = ()
    districts: tuple[District, ...] = ()
    schools: tuple[School, ...] = ()
    nationalities: tuple[Nationality, ...] = ()
    citizenships: tuple[Citizenship, ...] = ()

    def entries(self, kind: DirectoryKind) -> tuple[Entry, ...]:
        result: tuple[Entry, ...] = getattr(self, kind)
        return result

    @property
    def counts(self) -> dict[str, int]:
        return {kind: len(self.entries(kind)) for kind in KINDS}

    @cached_property
    def _regions(self) -> dict[str, Region]:
        return {region.code: region for region in self.regions}

    @cached_property
    def _districts(self) -> dict[tuple[str, str], District]:
        return {(district.region_code, district.code): district for district in self.districts}

    @cached_property
    def _schools(self) -> dict[tuple[str, str, str], School]:
        return {school.key: school for school in self.schools}

    @cached_property
    def _schools_by_bin(self) -> dict[str, School]:
        return {school.bin: school for school in self.schools}

    @cached_property
    def _nationalities(self) -> dict[str, Nationality]:
        return {nationality.code: nationality for nationality in self.nationalities}

    @cached_property
    def _citizenships(self) -> dict[str, Citizenship]:
        return {citizenship.code: citizenship for citizenship in self.citizenships}

    def region(self, code: str) -> Region | None:
        return self._regions.get(code)

    def district(self, region_code: str, code: str) -> District | None:
        return self._districts.get((region_code, code))

    def school(self, region_code: str, district_code: str, code: str) -> School | None:
        return self._schools.get((region_code, district_code, code))

    def school_by_bin(self, bin_: str) -> School | None:
        return self._schools_by_bin.get(bin_)

    def nationality(self, code: str) -> Nationality | None:
        return self._nationalities.get(code)

    def citizenship(self, code: str) -> Citizenship | None:
        return self._citizenships.get(code)

    def districts_of(self, region_code: str) -> tuple[District, ...]:
        return tuple(district for district in self.districts if district.region_code == region_code)

    def schools_of(self, region_code: str, district_code: str | None = None) -> tuple[School, ...]:
        return tuple(
            school for school in self.schools
            if school.region_code == region_code and district_code in (None, school.district_code)
        )  # fmt: skip

    def to_payload(self) -> dict[str, Any]:
        """The dict НЦТ puts in a package (see the module's docstring)."""
        payload: dict[str, Any] = {
            "format": PAYLOAD_FORMAT, "version": self.version, "created_at": self.created_at,
        }  # fmt: skip
        for kind in KINDS:
            columns = COLUMNS[kind]
            payload[kind] = {
                "columns": list(columns),
                "rows": [[getattr(entry, column) for column in columns] for entry in self.entries(kind)],
            }
        return payload


def normalise_code(value: object, digits: int) -> str | None:
    """``value`` as a code of ``digits`` digits, restoring leading zeros a spreadsheet dropped.

    Returns None when it is not a whole number of at most ``digits`` digits.
    """
    text = _text(value)
    if not text or not text.isascii() or not text.isdigit() or len(text) > digits:
        return None
    return text.zfill(digits)


def parse_row(kind: DirectoryKind, values: Mapping[str, object]) -> Entry:
    """One directory entry from a row's cells by column name, after the directory's rules.

    Raises :class:`RowProblem` with one translated line naming the column and the value.
    Checks across rows (duplicates, references) are :func:`check_consistency`'s.
    """
    cleaned: dict[str, str] = {}
    for column in COLUMNS[kind]:
        raw = values.get(column)
        width = _CODE_WIDTHS.get((kind, column))
        if width is not None:
            code = normalise_code(raw, width)
            if code is None:
                raise RowProblem(_("column {column}: «{value}» is not a code of {digits} digits.").format(
                    column=column, value=_text(raw), digits=width))
            cleaned[column] = code
        elif column == "bin":
            cleaned[column] = _bin(raw)
        else:
            cleaned[column] = _text(raw)
    for column in COLUMNS[kind]:
        if not cleaned[column] and column not in OPTIONAL_COLUMNS:
            raise RowProblem(_("column {column} is empty.").format(column=column))
    if kind == "schools":
        _check_choice("kind", cleaned["kind"].lower(), SCHOOL_KINDS, cleaned)
        _check_choice("settlement", cleaned["settlement"].lower(), SETTLEMENTS, cleaned)
        if cleaned["language"]:
            _check_choice("language", cleaned["language"].lower(), TEACHING_LANGUAGES, cleaned)
    entry: Entry = _ENTRY_TYPES[kind](**cleaned)
    return entry


def _bin(raw: object) -> str:
    text = _text(raw)
    # A spreadsheet keeps a БИН as a number and drops its leading zero; the check digit still guards it.
    if text.isascii() and text.isdigit() and len(text) < codebook.BIN_DIGITS:
        text = text.zfill(codebook.BIN_DIGITS)
    if not codebook.is_valid_bin(text):
        message = _("column bin: «{value}» is not a valid БИН (12 digits with the check digit).")
        raise RowProblem(message.format(value=_text(raw)))
    return text


def _check_choice(column: str, value: str, allowed: Sequence[str], cleaned: dict[str, str]) -> None:
    if value not in allowed:
        raise RowProblem(_("column {column}: «{value}» is not one of {allowed}.").format(
            column=column, value=value, allowed=", ".join(allowed)))
    cleaned[column] = value


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def entry_key(kind: DirectoryKind, entry: Entry) -> tuple[str, ...]:
    """The code(s) that identify ``entry`` within its directory."""
    if isinstance(entry, School):
        return entry.key
    if isinstance(entry, District):
        return (entry.region_code, entry.code)
    return (entry.code,)


@dataclass(frozen=True)
class Located:
    """An entry with where it came from, for messages that name the row (``schools.csv, row 12``)."""

    entry: Entry
    where: str


def check_consistency(tables: Mapping[DirectoryKind, Iterable[Located]]) -> None:
    """Duplicates within a directory and references between them; the first problem is refused."""
    seen: dict[DirectoryKind, dict[tuple[str, ...], str]] = {}
    for kind in KINDS:
        keys: dict[tuple[str, ...], str] = {}
        for item in tables.get(kind, ()):
            key = entry_key(kind, item.entry)
            if key in keys:
                raise Refused(_("{where}: code {code} is already used at {first}.").format(
                    where=item.where, code="-".join(key), first=keys[key]))
            keys[key] = item.where
        seen[kind] = keys
    bins: dict[str, str] = {}
    for item in tables.get("schools", ()):
        assert isinstance(item.entry, School)
        if item.entry.bin in bins:
            raise Refused(_("{where}: БИН {bin} is already used at {first}.").format(
                where=item.where, bin=item.entry.bin, first=bins[item.entry.bin]))
        bins[item.entry.bin] = item.where
    for item in tables.get("districts", ()):
        assert isinstance(item.entry, District)
        if (item.entry.region_code,) not in seen["regions"]:
            raise Refused(_("{where}: region {region} is not in the regions directory.").format(
                where=item.where, region=item.entry.region_code))
    for item in tables.get("schools", ()):
        assert isinstance(item.entry, School)
        if (item.entry.region_code, item.entry.district_code) not in seen["districts"]:
            message = _("{where}: district {region}-{district} is not in the districts directory.")
            raise Refused(message.format(
                where=item.where, region=item.entry.region_code, district=item.entry.district_code))


def load_directories_payload(payload: Mapping[str, Any]) -> Directories:
    """The :class:`Directories` in a payload НЦТ sent; a malformed or newer payload is refused."""
    if not isinstance(payload, Mapping) or not isinstance(payload.get("version"), int):
        raise Refused(_("The directories in this package are malformed."))
    if payload.get("format") != PAYLOAD_FORMAT:
        raise Refused(_("The directories are in format {format}, which this program does not know; "
                        "install the newer program from НЦТ.").format(format=payload.get("format")))
    tables: dict[DirectoryKind, list[Located]] = {}
    for kind in KINDS:
        table = payload.get(kind) or {"columns": list(COLUMNS[kind]), "rows": []}
        columns = table.get("columns") if isinstance(table, Mapping) else None
        rows = table.get("rows") if isinstance(table, Mapping) else None
        if not isinstance(columns, list) or not isinstance(rows, list) or set(COLUMNS[kind]) - set(columns):
            raise Refused(_("The directories in this package are malformed."))
        located: list[Located] = []
        for number, row in enumerate(rows, start=1):
            where = _("{directory}, entry {number}").format(directory=_(KIND_TITLES[kind]), number=number)
            if not isinstance(row, list) or len(row) != len(columns):
                raise Refused(_("{where}: the entry is malformed.").format(where=where))
            try:
                located.append(Located(parse_row(kind, dict(zip(columns, row, strict=True))), where))
            except RowProblem as problem:
                raise Refused(f"{where}: {problem.message}") from problem
        tables[kind] = located
    check_consistency(tables)
    return build_directories(int(payload["version"]), str(payload.get("created_at") or ""),
                             {kind: [item.entry for item in items] for kind, items in tables.items()})


def build_directories(
    version: int, created_at: str, tables: Mapping[DirectoryKind, Sequence[Entry]]
) -> Directories:
    """:class:`Directories` from already checked entries."""

    def of(kind: DirectoryKind, entry_type: type) -> tuple[Any, ...]:
        return tuple(entry for entry in tables.get(kind, ()) if isinstance(entry, entry_type))

    return Directories(
        version=version,
        created_at=created_at,
        regions=of("regions", Region),
        districts=of("districts", District),
        schools=of("schools", School),
        nationalities=of("nationalities", Nationality),
        citizenships=of("citizenships", Citizenship),
    )
