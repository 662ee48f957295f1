"""НЦТ's directories: the shipped sample, CSV/XLSX import with row-named refusals, versions, payload."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from nct_support import english_fixture  # noqa: F401 - fixture
from openpyxl import Workbook, load_workbook
from sqlalchemy import Engine, func, select

from common import codebook, i18n
from common.directories import COLUMNS, KINDS, Directories, load_directories_payload
from common.errors import Refused
from nct_hub import sample_data
from nct_hub.db.directory_models import DirectoryVersion, SchoolRow
from nct_hub.db.engine import open_engine, transaction
from nct_hub.db.migrate import upgrade
from nct_hub.directories import (
    directories_payload,
    import_directories,
    list_versions,
    load_directories,
    sample_files,
    write_directory_files,
)

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = open_engine(f"sqlite:///{tmp_path / 'nct.sqlite'}")
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def sample() -> Directories:
    return sample_data.generate_directories()


def _copy_sample(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    copies = []
    for path in sample_files():
        target = folder / path.name
        target.write_bytes(path.read_bytes())
        copies.append(target)
    return copies


def _rewrite_csv(path: Path, change: dict[int, dict[str, str]], delimiter: str = ",") -> None:
    """Change cells of data rows (row numbers as a spreadsheet shows them: header is row 1)."""
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    for number, cells in change.items():
        rows[number - 2].update(cells)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


# --- The shipped sample ------------------------------------------------------------------------
def test_shipped_csv_files_are_what_the_generator_makes(tmp_path: Path) -> None:
    written = sample_data.write_sample_directory(tmp_path)
    for path in written:
        shipped = Path(sample_data.__file__).with_name("data") / path.name
        assert shipped.read_bytes() == path.read_bytes(), f"{path.name}: run python -m nct_hub.sample_data"


def test_sample_is_realistic_and_small(sample: Directories) -> None:
    regions = {region.code: region for region in sample.regions}
    assert len(regions) == 20
    oblasts = [region for region in sample.regions if region.name_kk.endswith("облысы")]
    assert len(oblasts) == 17
    assert {regions[code].name_ru for code in ("71", "75", "79")} == {"город Астана", "город Алматы", "город Шымкент"}
    assert regions["11"].name_kk == "Ақмола облысы" and regions["11"].name_ru == "Акмолинская область"
    assert len(sample.districts) > 200
    assert all(sample.districts_of(code) for code in regions)
    assert len(sample.schools) > 3000
    assert sum(1 for school in sample.schools if school.kind == "college") > 200
    assert all(codebook.is_valid_bin(school.bin) for school in sample.schools)
    assert len({school.bin for school in sample.schools}) == len(sample.schools)
    assert {school.settlement for school in sample.schools} == {"city", "village"}
    assert any(school.name_kk == "№12 жалпы орта білім беретін мектеп" for school in sample.schools)
    assert any(school.name_ru == "Средняя общеобразовательная школа №12" for school in sample.schools)
    assert sample.nationality("001") is not None and sample.citizenship("398") is not None
    assert sum(path.stat().st_size for path in sample_files()) < 2_000_000


def test_sample_codes_have_the_code_book_widths(sample: Directories) -> None:
    assert all(codebook.is_code(region.code, codebook.REGION_DIGITS) for region in sample.regions)
    assert all(codebook.is_code(district.code, codebook.DISTRICT_DIGITS) for district in sample.districts)
    assert all(codebook.is_code(school.code, codebook.SCHOOL_DIGITS) for school in sample.schools)
    assert all(codebook.is_code(entry.code, codebook.NATIONALITY_DIGITS) for entry in sample.nationalities)
    assert all(codebook.is_code(entry.code, codebook.CITIZENSHIP_DIGITS) for entry in sample.citizenships)


def test_sample_applicants_and_sites_are_valid(sample: Directories) -> None:
    payload = sample_data.sample_applicants(sample, 300, region_code="59")
    rows = payload["applicants"]["rows"]
    iins = [row[1] for row in rows]
    assert all(codebook.is_valid_iin(iin) for iin in iins)
    assert all(sample.school(row[9], row[10], row[11]) is not None for row in rows)
    site = sample_data.sample_site_database(sample, "017", "59", schools=20)
    assert {school["region_code"] for school in site["schools"]} == {"59"}


# --- Import from files -------------------------------------------------------------------------
def test_sample_import_makes_version_one_and_loads_on_a_workstation(engine: Engine, sample: Directories) -> None:
    with transaction(engine) as session:
        result = import_directories(session, sample_files(), "nct-operator")
    assert result.version == 1
    assert result.counts == sample.counts
    with transaction(engine) as session:
        payload = directories_payload(session)
    loaded = load_directories_payload(payload)
    assert loaded.version == 1
    assert loaded.counts == sample.counts
    first = sample.schools[0]
    found = loaded.school(first.region_code, first.district_code, first.code)
    assert found == first
    assert loaded.school_by_bin(first.bin) == first
    assert loaded.region("75") is not None and loaded.region("75").name("kk") == "Алматы қаласы"


def test_a_later_import_of_one_directory_carries_the_others_over(engine: Engine, tmp_path: Path) -> None:
    with transaction(engine) as session:
        import_directories(session, sample_files(), "nct-operator")
    nationalities = tmp_path / "nationalities.csv"
    nationalities.write_text("code,name_kk,name_ru\n1,қазақ,казах\n2,орыс,русский\n", encoding="utf-8")
    with transaction(engine) as session:
        result = import_directories(session, [nationalities], "nct-operator", note="short list")
    assert result.version == 2
    assert result.imported == ("nationalities",) and "schools" in result.carried_over
    with transaction(engine) as session:
        second, first = load_directories(session), load_directories(session, 1)
        versions = list_versions(session)
    assert [entry.code for entry in second.nationalities] == ["001", "002"]  # leading zeros restored
    assert second.schools == first.schools
    assert len(first.nationalities) == 37
    assert [info.version for info in versions] == [1, 2] and versions[1].note == "short list"


def test_a_new_districts_file_cannot_orphan_the_schools_carried_over(engine: Engine, tmp_path: Path) -> None:
    with transaction(engine) as session:
        import_directories(session, sample_files(), "nct-operator")
    districts = tmp_path / "districts.csv"
    lines = [line for line in sample_files()[1].read_text(encoding="utf-8-sig").splitlines()
             if not line.startswith("10,003,")]
    districts.write_text("\n".join(lines), encoding="utf-8")
    expected = r"^directory version 1: district 10-003 is not in the districts directory"
    with pytest.raises(Refused, match=expected), transaction(engine) as session:
        import_directories(session, [districts], "nct-operator")


def test_first_import_needs_all_five_directories(engine: Engine, tmp_path: Path) -> None:
    regions = tmp_path / "regions.csv"
    regions.write_text("code,name_kk,name_ru\n11,Ақмола облысы,Акмолинская область\n", encoding="utf-8")
    with pytest.raises(Refused, match="districts"), transaction(engine) as session:
        import_directories(session, [regions], "nct-operator")


@pytest.mark.parametrize(
    ("file", "change", "message"),
    [
        ("schools.csv", {17: {"bin": "123456789012"}}, r"schools\.csv, row 17: column bin: «123456789012»"),
        ("schools.csv", {40: {"code": "12345"}}, r"schools\.csv, row 40: column code: «12345» is not a code of 4"),
        ("schools.csv", {5: {"kind": "university"}}, r"row 5: column kind: «university» is not one of school"),
        ("schools.csv", {9: {"district_code": "999"}}, r"schools\.csv, row 9: district \d\d-999 is not in"),
        ("districts.csv", {3: {"code": "001"}}, r"districts\.csv, row 3: code 10-001 is already used at "
                                                r"districts\.csv, row 2"),
        ("districts.csv", {12: {"name_ru": " "}}, r"districts\.csv, row 12: column name_ru is empty"),
        ("regions.csv", {2: {"code": "A1"}}, r"regions\.csv, row 2: column code: «A1»"),
    ],
)
def test_a_bad_row_is_refused_by_file_and_row_and_nothing_is_written(
    engine: Engine, tmp_path: Path, file: str, change: dict[int, dict[str, str]], message: str
) -> None:
    files = _copy_sample(tmp_path / "dirs")
    _rewrite_csv(tmp_path / "dirs" / file, change)
    with pytest.raises(Refused, match=message), transaction(engine) as session:
        import_directories(session, files, "nct-operator")
    with transaction(engine) as session:
        assert session.scalar(select(func.count()).select_from(DirectoryVersion)) == 0
        assert session.scalar(select(func.count()).select_from(SchoolRow)) == 0


def test_a_duplicate_bin_names_both_rows(engine: Engine, tmp_path: Path) -> None:
    files = _copy_sample(tmp_path / "dirs")
    first_bin = next(csv.DictReader((tmp_path / "dirs" / "schools.csv").open(encoding="utf-8-sig")))["bin"]
    _rewrite_csv(tmp_path / "dirs" / "schools.csv", {30: {"bin": first_bin}})
    expected = rf"row 30: БИН {first_bin} is already used at schools\.csv, row 2"
    with pytest.raises(Refused, match=expected), transaction(engine) as session:
        import_directories(session, files, "nct-operator")


def test_refusals_are_translated(engine: Engine, tmp_path: Path) -> None:
    files = _copy_sample(tmp_path / "dirs")
    _rewrite_csv(tmp_path / "dirs" / "schools.csv", {17: {"bin": "123456789012"}})
    i18n.set_language("ru")
    with pytest.raises(Refused) as refused, transaction(engine) as session:
        import_directories(session, files, "nct-operator")
    assert "строка 17" in refused.value.message and "БИН" in refused.value.message


def test_semicolon_csv_and_unknown_column(engine: Engine, tmp_path: Path) -> None:
    files = _copy_sample(tmp_path / "dirs")
    _rewrite_csv(tmp_path / "dirs" / "regions.csv", {}, delimiter=";")
    with transaction(engine) as session:
        assert import_directories(session, files, "nct-operator").counts["regions"] == 20
    (tmp_path / "dirs" / "nationalities.csv").write_text("code,name_kk,name_ru,nmae_en\n1,a,b,c\n", encoding="utf-8")
    with pytest.raises(Refused, match="unknown column «nmae_en»"), transaction(engine) as session:
        import_directories(session, [tmp_path / "dirs" / "nationalities.csv"], "nct-operator")


# --- XLSX --------------------------------------------------------------------------------------
def test_xlsx_export_imports_back_the_same_directories(engine: Engine, tmp_path: Path, sample: Directories) -> None:
    with transaction(engine) as session:
        import_directories(session, sample_files(), "nct-operator")
        exported = load_directories(session)
    workbook_path = tmp_path / "directories.xlsx"
    write_directory_files(workbook_path, exported)
    with transaction(engine) as session:
        result = import_directories(session, [workbook_path], "nct-operator")
        again = load_directories(session, result.version)
    assert result.imported == KINDS
    assert again.schools == sample.schools and again.regions == sample.regions


def test_xlsx_numbers_lose_no_leading_zeros(engine: Engine, tmp_path: Path, sample: Directories) -> None:
    """A clerk types codes and БИН as numbers: Excel drops the leading zeros, the import restores them."""
    with transaction(engine) as session:
        import_directories(session, sample_files(), "nct-operator")
    school = next(entry for entry in sample.schools if entry.bin.startswith("0"))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "schools"
    sheet.append(list(COLUMNS["schools"]))
    sheet.append([int(school.region_code), int(school.district_code), 9999, "school", "Жаңа мектеп",
                  "Новая школа", int(school.bin), "village", "", "", "kk"])
    path = tmp_path / "new-school.xlsx"
    workbook.save(path)
    with transaction(engine) as session:
        result = import_directories(session, [path], "nct-operator")
        loaded = load_directories(session, result.version)
    assert loaded.counts["schools"] == 1
    assert loaded.schools[0].bin == school.bin and loaded.schools[0].district_code == school.district_code


def test_template_has_every_sheet_and_a_column_guide(tmp_path: Path) -> None:
    i18n.set_language("kk")
    path = tmp_path / "template.xlsx"
    write_directory_files(path)
    workbook = load_workbook(path)
    assert workbook.sheetnames[:5] == list(KINDS)
    for kind in KINDS:
        header = [cell.value for cell in workbook[kind][1]]
        assert header == list(COLUMNS[kind])
        assert workbook[kind].max_row == 1
    guide = workbook.worksheets[5]
    descriptions = [row[2] for row in guide.iter_rows(min_row=2, values_only=True)]
    assert any("БСН" in text or "бизнес" in text.lower() for text in descriptions)


def test_template_rows_are_refused_when_empty(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    write_directory_files(path)
    with pytest.raises(Refused), transaction(engine) as session:
        import_directories(session, [path], "nct-operator")
