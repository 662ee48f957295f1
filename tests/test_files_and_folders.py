"""What the programs do with the files and folders a person hands them: wrong, damaged, special,
read-only, full, or belonging to another workstation. Each answer is one line and exit 1, with
nothing written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from base_ppent_support import database, enrolled_folder, run, school_row, write_csv
from sqlalchemy import func, select

from arm_base_ppent.schools import list_schools
from common import i18n
from common.workstation import DataFolder

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _english() -> None:
    i18n.set_language("en")


@pytest.fixture
def site(tmp_path: Path) -> DataFolder:
    return enrolled_folder(tmp_path / "site")


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    return lines[0]


def school_count(folder: DataFolder) -> int:
    with database(folder) as session:
        return len(list_schools(session))


# --- item 7: CSV files people really have --------------------------------------------------------


def test_a_windows_1251_csv_with_a_stray_byte_is_refused_naming_file_and_row(
    site: DataFolder, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(tmp_path / "schools.csv", [school_row(1), school_row(2)])
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    lines = text.splitlines()
    lines[2] = lines[2].replace("мектеп", "мектеп\x00", 1)  # placeholder, turned into the stray byte below
    data = "\n".join(lines).encode("cp1251", errors="replace").replace(b"\x00", b"\x98") + b"\n"
    path.write_bytes(data)
    result = run(site, capsys, "import", str(path))
    assert result.code == 1
    assert "schools.csv, row 3" in one_line(result.err) and "Traceback" not in result.err
    assert school_count(site) == 0


def test_a_csv_cell_over_the_reader_limit_is_refused_naming_file_and_row(
    site: DataFolder, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(tmp_path / "schools.csv", [school_row(1), school_row(2, address="ж" * 140_000)])
    result = run(site, capsys, "import", str(path))
    assert result.code == 1
    assert "schools.csv, row 3" in one_line(result.err)
    assert school_count(site) == 0


def test_nct_directories_refuse_a_huge_cell_and_a_stray_byte_by_file_and_row(tmp_path: Path) -> None:
    from common.errors import Refused
    from nct_hub.db.directory_models import DirectoryVersion
    from nct_hub.db.engine import open_engine, transaction
    from nct_hub.db.migrate import upgrade
    from nct_hub.directories import import_directories, sample_files

    engine = open_engine(f"sqlite:///{tmp_path / 'nct.sqlite'}")
    upgrade(engine)
    folder = tmp_path / "dirs"
    folder.mkdir()
    files = []
    for sample in sample_files():
        (folder / sample.name).write_bytes(sample.read_bytes())
        files.append(folder / sample.name)
    schools = folder / "schools.csv"
    original = schools.read_bytes()
    rows = original.split(b"\n")
    rows[3] = rows[3] + b',"' + b"x" * 140_000 + b'"'
    schools.write_bytes(b"\n".join(rows))
    with pytest.raises(Refused, match=r"schools\.csv, row 4"), transaction(engine) as session:
        import_directories(session, files, "nct-operator")
    rows = original.split(b"\n")
    rows[5] = rows[5] + b"\xff"
    schools.write_bytes(b"\n".join(rows))
    with pytest.raises(Refused, match=r"schools\.csv, row 6"), transaction(engine) as session:
        import_directories(session, files, "nct-operator")
    with transaction(engine) as session:
        assert session.scalar(select(func.count()).select_from(DirectoryVersion)) == 0
    engine.dispose()


# --- item 15: special files ----------------------------------------------------------------------


def _program(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args, "--lang", "en"], capture_output=True, text=True, timeout=timeout, cwd=ROOT,
        env={**os.environ, "ENT_PASSWORD": "not-used-here-1"},
    )


def test_a_device_or_a_pipe_is_refused_at_once_instead_of_read_forever(site: DataFolder, tmp_path: Path) -> None:
    fifo = tmp_path / "schools.csv"
    os.mkfifo(fifo)  # nobody writes into it: reading would wait for ever
    for command in (
        ["-m", "arm_base_ppent", "import", "/dev/zero", "--data-dir", str(site.root)],
        ["-m", "arm_base_ppent", "import", str(fifo), "--data-dir", str(site.root)],
    ):
        result = _program(*command)
        assert result.returncode == 1, result.stderr
        assert "is not a regular file" in one_line(result.stderr)
    assert school_count(site) == 0
