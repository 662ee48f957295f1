"""НЦТ's directories (п. 23.1): import from CSV or XLSX, versions, export, the payload for sites.

Files: one CSV per directory named after it (``regions.csv``, ``districts.csv``, ``schools.csv``,
``nationalities.csv``, ``citizenships.csv``; UTF-8, comma or semicolon), or one XLSX workbook with a
sheet per directory named the same way. The first row holds the column names of
:data:`common.directories.COLUMNS`; ``docs/directories.md`` describes them and
``ent-nct directories template`` writes an empty workbook to fill in.

Every import makes a new version. Directories not in the files are carried over from the previous
version, so НЦТ can send a corrected schools file alone. The whole import is checked before
anything is written; the first problem is refused with the file and row named.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from common.directories import (
    COLUMN_DESCRIPTIONS,
    COLUMNS,
    KIND_TITLES,
    KINDS,
    OPTIONAL_COLUMNS,
    Directories,
    DirectoryKind,
    Entry,
    Located,
    RowProblem,
    build_directories,
    check_consistency,
    parse_row,
)
from common.errors import Refused
from common.exchange.addresses import Address
from common.files import atomic_write_bytes, csv_table, read_input_file
from common.i18n import _
from nct_hub.db.directory_models import (
    CitizenshipRow,
    DirectoryVersion,
    DistrictRow,
    NationalityRow,
    RegionRow,
    SchoolRow,
)

if TYPE_CHECKING:
    from common.security.keys import Identity
    from nct_hub.sending import SentFile

SAMPLE_FOLDER = Path(__file__).with_name("data")

_MODELS: dict[DirectoryKind, Any] = {
    "regions": RegionRow,
    "districts": DistrictRow,
    "schools": SchoolRow,
    "nationalities": NationalityRow,
    "citizenships": CitizenshipRow,
}


@dataclass(frozen=True)
class DirectoryImport:
    """What an import did: the new version, entries per directory, which came from the files."""

    version: int
    counts: dict[str, int]
    imported: tuple[str, ...]
    carried_over: tuple[str, ...]


@dataclass(frozen=True)
class DirectoryVersionInfo:
    version: int
    created_at: datetime
    created_by: str
    sources: str
    note: str
    counts: dict[str, int]


def sample_files() -> list[Path]:
    """The generated sample directory shipped with the program (``nct_hub/data/*.csv``)."""
    return [SAMPLE_FOLDER / f"{kind}.csv" for kind in KINDS]


# --- Reading files -----------------------------------------------------------------------------
def read_directory_files(paths: Sequence[Path]) -> dict[DirectoryKind, list[Located]]:
    """Every directory in ``paths``, each row parsed and checked (not yet against each other)."""
    tables: dict[DirectoryKind, list[Located]] = {}
    origin: dict[DirectoryKind, str] = {}
    for path in paths:
        for kind, label, rows in _tables_in(Path(path)):
            if kind in tables:
                message = _("The {directory} directory is given twice: in {first} and in {second}.")
                title = _(KIND_TITLES[kind])
                raise Refused(message.format(directory=title, first=origin[kind], second=label))
            tables[kind] = _parse_table(kind, label, rows)
            if not tables[kind]:
                raise Refused(_("{file}: the directory has no entries.").format(file=label))
            origin[kind] = label
    if not tables:
        raise Refused(_("No directory found in the given files; name them regions, districts, schools, "
                        "nationalities and citizenships (.csv or sheets of an .xlsx)."))
    return tables


def _tables_in(path: Path) -> Iterator[tuple[DirectoryKind, str, list[list[Any]]]]:
    if not path.is_file():
        raise Refused(_("No such file: {path}").format(path=path))
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows = _csv_rows(path)
        yield _kind_of(path.stem, rows, path.name), path.name, rows
    elif suffix in (".xlsx", ".xlsm"):
        yield from _xlsx_tables(path)
    else:
        raise Refused(_("{file}: directories are read from .csv or .xlsx files.").format(file=path.name))


def _csv_rows(path: Path) -> list[list[Any]]:
    data = read_input_file(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        message = _("{file}, row {row}: not UTF-8 text; save the file as «CSV UTF-8».")
        raise Refused(message.format(file=path.name, row=data.count(b"\n", 0, error.start) + 1)) from error
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return list(csv_table(text, delimiter, path.name))


def _xlsx_tables(path: Path) -> Iterator[tuple[DirectoryKind, str, list[list[Any]]]]:
    from openpyxl import load_workbook

    data = read_input_file(path)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise Refused(_("{file} is not a readable XLSX workbook.").format(file=path.name)) from error
    try:
        sheets = workbook.worksheets
        found = False
        for sheet in sheets:
            title = sheet.title.strip().lower()
            if title in KINDS or len(sheets) == 1:
                rows = [list(row) for row in sheet.iter_rows(values_only=True)]
                label = f"{path.name} [{sheet.title}]"
                name = title if title in KINDS else path.stem
                yield _kind_of(name, rows, label), label, rows
                found = True
        if not found:
            raise Refused(_("{file}: no sheet is named after a directory (regions, districts, schools, "
                            "nationalities, citizenships).").format(file=path.name))
    finally:
        workbook.close()


def _kind_of(name: str, rows: list[list[Any]], label: str) -> DirectoryKind:
    lowered = name.strip().lower()
    for kind in KINDS:
        if lowered == kind:
            return kind
    header = set(_header(rows))
    for kind in KINDS:
        if header == set(COLUMNS[kind]):
            return kind
    raise Refused(_("{file}: cannot tell which directory this is; name the file or sheet regions, districts, "
                    "schools, nationalities or citizenships.").format(file=label))


def _header(rows: list[list[Any]]) -> list[str]:
    if not rows:
        return []
    return [str(cell).strip().lower() if cell is not None else "" for cell in rows[0]]


def _parse_table(kind: DirectoryKind, label: str, rows: list[list[Any]]) -> list[Located]:
    header = _header(rows)
    while header and not header[-1]:
        header.pop()
    known = COLUMNS[kind]
    for column in header:
        if column not in known:
            raise Refused(_("{file}: unknown column «{column}»; the columns are: {columns}.").format(
                file=label, column=column, columns=", ".join(known)))
    for column in known:
        if column not in header and column not in OPTIONAL_COLUMNS:
            raise Refused(_("{file}: column {column} is missing.").format(file=label, column=column))
    located: list[Located] = []
    for number, row in enumerate(rows[1:], start=2):
        cells = list(row) + [None] * (len(header) - len(row))
        if all(cell is None or str(cell).strip() == "" for cell in cells):
            continue
        where = _("{file}, row {row}").format(file=label, row=number)
        try:
            entry = parse_row(kind, dict(zip(header, cells[: len(header)], strict=True)))
        except RowProblem as problem:
            raise Refused(f"{where}: {problem.message}") from problem
        located.append(Located(entry, where))
    return located


# --- Versions in the database ------------------------------------------------------------------
def latest_version(session: Session) -> int | None:
    result: int | None = session.scalar(select(func.max(DirectoryVersion.version)))
    return result


def import_directories(
    session: Session, paths: Sequence[Path], operator: str, note: str = ""
) -> DirectoryImport:
    """Check ``paths`` and store them as a new directory version (nothing is written on a refusal)."""
    given = read_directory_files(paths)
    previous = latest_version(session)
    tables: dict[DirectoryKind, list[Located]] = dict(given)
    carried: list[str] = []
    if previous is None:
        missing = [kind for kind in KINDS if kind not in given]
        if missing:
            message = _("The first directory import needs all five directories; missing: {missing}.")
            raise Refused(message.format(missing=", ".join(missing)))
    else:
        old = load_directories(session, previous)
        where = _("directory version {version}").format(version=previous)
        for kind in KINDS:
            if kind not in given:
                tables[kind] = [Located(entry, where) for entry in old.entries(kind)]
                carried.append(kind)
    check_consistency(tables)
    version = (previous or 0) + 1
    session.add(DirectoryVersion(
        version=version, created_at=datetime.now(UTC), created_by=operator,
        sources=", ".join(Path(path).name for path in paths), note=note,
    ))
    session.flush()
    for kind in KINDS:
        rows = [_row_values(kind, item.entry, version) for item in tables[kind]]
        if rows:
            session.execute(insert(_MODELS[kind]), rows)
    return DirectoryImport(
        version=version,
        counts={kind: len(tables[kind]) for kind in KINDS},
        imported=tuple(kind for kind in KINDS if kind in given),
        carried_over=tuple(carried),
    )


def _row_values(kind: DirectoryKind, entry: Entry, version: int) -> dict[str, Any]:
    values = {column: getattr(entry, column) for column in COLUMNS[kind]}
    values["version"] = version
    return values


def load_directories(session: Session, version: int | None = None) -> Directories:
    """One version of the directories (the latest by default) as the workstations see them."""
    number = version if version is not None else latest_version(session)
    row = session.get(DirectoryVersion, number) if number is not None else None
    if row is None:
        if version is None:
            raise Refused(_("НЦТ has no directories yet: import them with 'ent-nct directories import'."))
        raise Refused(_("There is no directory version {version}.").format(version=version))
    tables: dict[DirectoryKind, list[Entry]] = {}
    for kind in KINDS:
        model = _MODELS[kind]
        columns = [getattr(model, column) for column in COLUMNS[kind]]
        order = [getattr(model, column) for column in COLUMNS[kind] if column.endswith("code")]
        result = session.execute(select(*columns).where(model.version == row.version).order_by(*order))
        tables[kind] = [
            parse_row(kind, dict(zip(COLUMNS[kind], values, strict=True))) for values in result
        ]
    return build_directories(row.version, row.created_at.isoformat(), tables)


def directories_payload(session: Session, version: int | None = None) -> dict[str, Any]:
    """The payload dict of one directory version for a package to sites (see ``common.directories``)."""
    return load_directories(session, version).to_payload()


def list_versions(session: Session) -> list[DirectoryVersionInfo]:
    counts: dict[int, dict[str, int]] = {}
    for kind in KINDS:
        model = _MODELS[kind]
        for version, count in session.execute(select(model.version, func.count()).group_by(model.version)):
            counts.setdefault(version, {})[kind] = count
    return [
        DirectoryVersionInfo(
            row.version, row.created_at, row.created_by, row.sources, row.note,
            {kind: counts.get(row.version, {}).get(kind, 0) for kind in KINDS},
        )
        for row in session.scalars(select(DirectoryVersion).order_by(DirectoryVersion.version))
    ]


def send_directories(
    session: Session, nct: Identity, site_codes: Sequence[str], out_dir: Path, actor: str,
    version: int | None = None,
) -> list[SentFile]:
    """Seal a "directories" package for every enrolled workstation of ``site_codes`` into ``out_dir``.

    An empty ``site_codes`` means every site with an enrolled workstation.
    """
    from nct_hub.db.site_models import WorkstationCertificate
    from nct_hub.sending import send_from_nct

    payload = directories_payload(session, version)
    enrolled = session.execute(
        select(WorkstationCertificate.site_code, WorkstationCertificate.address).distinct()
        .order_by(WorkstationCertificate.site_code, WorkstationCertificate.address)
    ).all()
    wanted = set(site_codes)
    unknown = sorted(wanted - {site for site, _address in enrolled})
    if unknown:
        raise Refused(_("Site {site} has no enrolled workstation to send the directories to.").format(
            site=unknown[0]))
    return [
        send_from_nct(session, nct=nct, recipient=Address.parse(address), kind="directories", payload=payload,
                      out_dir=out_dir, actor=actor)
        for site, address in enrolled if not wanted or site in wanted
    ]


# --- Writing files -----------------------------------------------------------------------------
def write_directory_files(target: Path, directories: Directories | None = None) -> list[Path]:
    """Write the directories (or, without them, an empty template) to ``target``.

    ``target`` ending in ``.xlsx`` gets one workbook with a sheet per directory and a sheet that
    describes the columns; any other path is a folder that gets one CSV per directory.
    """
    if target.suffix.lower() == ".xlsx":
        atomic_write_bytes(target, _xlsx_bytes(directories))
        return [target]
    written = []
    for kind in KINDS:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(COLUMNS[kind])
        for values in _rows_of(kind, directories):
            writer.writerow(values)
        path = target / f"{kind}.csv"
        atomic_write_bytes(path, buffer.getvalue().encode("utf-8-sig"))  # the BOM makes Excel read UTF-8
        written.append(path)
    return written


def _rows_of(kind: DirectoryKind, directories: Directories | None) -> Iterator[list[str]]:
    if directories is None:
        return
    for entry in directories.entries(kind):
        yield [getattr(entry, column) for column in COLUMNS[kind]]


def _xlsx_bytes(directories: Directories | None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    for kind in KINDS:
        sheet = workbook.create_sheet(kind)
        header = []
        for column in COLUMNS[kind]:
            cell = WriteOnlyCell(sheet, value=column)
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        for values in _rows_of(kind, directories):
            sheet.append(values)  # codes stay text, so their leading zeros survive
    about = workbook.create_sheet(_("Columns"))
    about.append([_("Sheet"), _("Column"), _("What it holds")])
    for kind in KINDS:
        for column in COLUMNS[kind]:
            about.append([kind, column, _(COLUMN_DESCRIPTIONS[column])])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
