"""What the programs do with the files and folders a person hands them: wrong, damaged, special,
read-only, full, or belonging to another workstation. Each answer is one line and exit 1, with
nothing written."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from base_ppent_support import database, enrolled_folder, run, school_row, write_csv
from drills_support import fill, mounted, remount
from exchange_support import Run
from sqlalchemy import func, select

from arm_base_ppent.schools import list_schools
from common import i18n
from common.errors import Refused
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


# --- item 9: an empty or damaged database is refused, never re-made ------------------------------


def _cli(role: str, *args: str, folder: Path) -> Run:
    from exchange_support import run_cli, workstation_cli

    if role == "base-ppent":
        from arm_base_ppent.cli import build

        return run_cli(build(), [*args, "--data-dir", str(folder)])
    if role == "nct":
        from nct_hub.cli import build as nct_build

        return run_cli(nct_build(), [*args, "--data-dir", str(folder)])
    return run_cli(workstation_cli(role), [*args, "--data-dir", str(folder)])


def _damage(database: Path, how: str) -> None:
    if how == "empty":
        database.write_bytes(b"")
    elif how == "not sqlite":
        database.write_bytes(b"%PDF-1.4 a printed page saved under the wrong name\n" * 100)
    elif how == "truncated":
        database.write_bytes(database.read_bytes()[: 4096 * 3])
    else:  # a SQLite database of something else
        database.unlink()
        connection = sqlite3.connect(database)
        connection.execute("CREATE TABLE notes (text TEXT)")
        connection.commit()
        connection.close()


@pytest.mark.parametrize("how", ["empty", "not sqlite", "truncated", "foreign"])
def test_an_empty_or_damaged_workstation_database_is_refused_like_a_missing_one(tmp_path: Path, how: str) -> None:
    folder = tmp_path / "w"
    assert _cli("applications", "init", folder=folder).code == 0
    database = folder / "workstation.sqlite"
    for name in ("workstation.sqlite-wal", "workstation.sqlite-shm"):
        (folder / name).unlink(missing_ok=True)
    _damage(database, how)
    before = database.read_bytes()
    for command in (("info",), ("audit", "verify"), ("package", "list")):
        result = _cli("applications", *command, folder=folder)
        assert result.code == 1, (command, result.out)
        assert "workstation database" in one_line(result.err) and "Traceback" not in result.err
    assert database.read_bytes() == before, "nothing was migrated into the file"


def test_an_empty_nct_database_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    folder = tmp_path / "nct"
    assert _cli("nct", "init", folder=folder).code == 0
    assert _cli("nct", "site", "list", folder=folder).code == 0  # nct.sqlite is made on first use
    database = folder / "nct.sqlite"
    for name in ("nct.sqlite-wal", "nct.sqlite-shm"):
        (folder / name).unlink(missing_ok=True)
    database.write_bytes(b"")
    result = _cli("nct", "site", "list", folder=folder)
    assert result.code == 1 and "empty or damaged" in one_line(result.err)
    assert database.stat().st_size == 0


# --- item 10: a folder belongs to one program ----------------------------------------------------


def test_a_folder_of_another_program_is_refused_by_that_programs_name(tmp_path: Path) -> None:
    folder = tmp_path / "programmer"
    assert _cli("programmer", "init", folder=folder).code == 0
    log = (folder / "audit.log").read_bytes()
    database = (folder / "workstation.sqlite").read_bytes()
    attempts = [
        ("base-ppent", ("streams", "add", "--date", "2027-06-20")),
        ("applications", ("package", "open", str(tmp_path / "some.entpkg"))),
        ("applications", ("init",)),
        ("applications", ("init", "--force")),
        ("nct", ("site", "list")),
    ]
    for role, command in attempts:
        result = _cli(role, *command, folder=folder)
        assert result.code == 1, (role, command, result.out)
        assert "belongs to Ministry programmer workstation" in one_line(result.err), result.err
    assert (folder / "audit.log").read_bytes() == log
    assert (folder / "workstation.sqlite").read_bytes() == database
    assert not (folder / "nct.sqlite").exists()
    assert _cli("programmer", "info", folder=folder).code == 0


# --- item 6: a full disk, a read-only folder, a folder where the audit log should be --------------


def stream_numbers(folder: DataFolder) -> list[int]:
    from common.db.models import Stream

    with database(folder) as session:
        return sorted(session.scalars(select(Stream.number)))


def test_a_read_only_folder_can_be_read_and_a_change_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with mounted(tmp_path / "disk") as disk:
        site = enrolled_folder(disk / "site")
        assert run(site, capsys, "streams", "add", "--date", "2027-06-20").code == 0
        remount(disk, "ro")
        info = run(site, capsys, "info")
        assert info.code == 0 and "Audit log: OK, 2 entries" in info.out, info.err
        verify = run(site, capsys, "audit", "verify")
        assert verify.code == 0 and "chain intact" in verify.out
        assert run(site, capsys, "streams", "list").code == 0
        change = run(site, capsys, "streams", "add", "--date", "2027-06-21")
        assert change.code == 1 and "cannot be written" in one_line(change.err)
        remount(disk, "rw")
        assert stream_numbers(site) == [1]
        assert run(site, capsys, "audit", "verify").code == 0


def test_a_full_disk_is_one_line_and_nothing_is_half_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with mounted(tmp_path / "disk", size="4m") as disk:
        site = enrolled_folder(disk / "site")
        assert run(site, capsys, "streams", "add", "--date", "2027-06-20").code == 0
        log = site.audit_log.read_bytes()
        filler = fill(disk)
        for command in (("streams", "add", "--date", "2027-06-21"), ("template", str(disk / "template.xlsx"))):
            result = run(site, capsys, *command)
            assert result.code == 1, command
            assert "The disk is full" in one_line(result.err) and "Traceback" not in result.err
        assert not list(disk.glob("*template*")), "no partial file is left"
        filler.unlink()
        assert stream_numbers(site) == [1] and site.audit_log.read_bytes() == log
        assert run(site, capsys, "audit", "verify").code == 0
        assert run(site, capsys, "streams", "add", "--date", "2027-06-21").code == 0


def test_an_audit_log_that_is_a_folder_is_one_line_and_the_change_is_not_made(
    site: DataFolder, capsys: pytest.CaptureFixture[str]
) -> None:
    site.audit_log.unlink()
    site.audit_log.mkdir()
    result = run(site, capsys, "streams", "add", "--date", "2027-06-20")
    assert result.code == 1 and "audit.log" in one_line(result.err) and "Traceback" not in result.err
    assert stream_numbers(site) == []
    info = run(site, capsys, "audit", "verify")
    assert info.code == 1 and "audit.log" in one_line(info.err)


# --- item 12: personal data readable by the operator's account only -----------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_every_file_of_a_folder_is_the_owners_alone(tmp_path: Path) -> None:
    previous = os.umask(0o022)  # the usual umask: what the tester saw give 0644 files
    try:
        folder = enrolled_folder(tmp_path / "site").root
        assert _cli("base-ppent", "streams", "add", "--date", "2027-06-20", folder=folder).code == 0
        assert _cli("base-ppent", "template", str(folder / "printed" / "schools.xlsx"), folder=folder).code == 0
        nct = tmp_path / "nct"
        assert _cli("nct", "init", folder=nct).code == 0
        assert _cli("nct", "site", "list", folder=nct).code == 0
        with sqlite3.connect(folder / "workstation.sqlite") as connection:  # keeps -wal and -shm while open
            connection.execute("SELECT 1").fetchall()
            files = [path for path in [*folder.rglob("*"), *nct.rglob("*")] if path.is_file()]
            folders = [folder, nct, *(path for path in [*folder.rglob("*"), *nct.rglob("*")] if path.is_dir())]
            names = {path.name for path in files}
            assert {"workstation.sqlite", "audit.log", "nct.sqlite"} <= names
            assert {oct(_mode(path)) for path in files} == {"0o600"}, {p.name: oct(_mode(p)) for p in files}
            assert {oct(_mode(path)) for path in folders} == {"0o700"}
    finally:
        os.umask(previous)


def test_on_windows_the_folder_acl_admits_only_the_user_and_administrators(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """There is no Windows here: the icacls command the suite would run is what is checked."""
    from common import files

    ran: list[list[str]] = []
    monkeypatch.setattr(files.subprocess, "run",
                        lambda command, **_: ran.append(command) or subprocess.CompletedProcess(command, 0))
    monkeypatch.setenv("USERDOMAIN", "PPENT-017")
    monkeypatch.setenv("USERNAME", "expert")
    monkeypatch.setattr(files.os, "name", "nt")
    files.restrict_folder(tmp_path)
    monkeypatch.setattr(files.subprocess, "run", lambda command, **_: subprocess.CompletedProcess(command, 5))
    with pytest.raises(Refused, match="icacls failed"):
        files.restrict_folder(tmp_path)
    monkeypatch.undo()
    assert ran == [[
        "icacls", str(tmp_path), "/inheritance:r",
        "/grant:r", "PPENT-017\\expert:(OI)(CI)F",
        "/grant:r", "*S-1-5-32-544:(OI)(CI)F",
    ]]


# --- kill -9 drills: nothing is half-written -----------------------------------------------------


def _killed_at(point: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "arm_base_ppent", *args, "--lang", "en"], capture_output=True, text=True,
        timeout=120, cwd=ROOT, env={**os.environ, "ENT_CRASH_AT": point},
    )


def test_an_init_killed_half_way_is_refused_until_init_is_run_again(tmp_path: Path) -> None:
    folder = tmp_path / "site"
    assert _killed_at("init.after_folders", "init", "--data-dir", str(folder)).returncode == 137
    assert (folder / "workstation.sqlite").stat().st_size == 0
    info = _cli("base-ppent", "info", folder=folder)
    assert info.code == 1 and "empty or damaged" in one_line(info.err)
    assert _cli("base-ppent", "init", folder=folder).code == 0
    assert _cli("base-ppent", "audit", "verify", folder=folder).code == 0


def test_a_change_killed_before_its_audit_line_is_kept_and_the_line_written_next_time(
    site: DataFolder, capsys: pytest.CaptureFixture[str]
) -> None:
    killed = _killed_at("audit.after_commit", "streams", "add", "--date", "2027-06-20", "--data-dir", str(site.root))
    assert killed.returncode == 137
    assert stream_numbers(site) == [1]  # committed whole: the stream and the audit head together
    assert b"streams.add" not in site.audit_log.read_bytes()
    verify = run(site, capsys, "audit", "verify")
    assert verify.code == 0 and "chain intact" in verify.out
    assert b"streams.add" in site.audit_log.read_bytes()


def test_the_window_shows_an_io_failure_in_its_message_line(qtbot, site: DataFolder) -> None:  # type: ignore[no-untyped-def]
    from arm_base_ppent.ui.main_window import PAGES
    from arm_base_ppent.ui.schedule_page import SchedulePage
    from common.ui.login import Operator
    from common.ui.shell import WorkstationWindow
    from common.workstation import BASE_PPENT

    site.audit_log.unlink()
    site.audit_log.mkdir()
    window = WorkstationWindow(BASE_PPENT, site.root, Operator("Ахметова А.", "site_expert"), PAGES)
    qtbot.addWidget(window)
    window.show()
    schedule = window.page("schedule")
    assert isinstance(schedule, SchedulePage)
    schedule.add_stream_button.click()
    assert "audit.log" in schedule.message.text() and "Nothing was changed" in schedule.message.text()
    assert stream_numbers(site) == []


def test_an_appended_file_is_created_private_and_grows_only_at_its_end(tmp_path: Path) -> None:
    from common.files import append_synced

    log = tmp_path / "ledger"
    with pytest.raises(FileNotFoundError):
        append_synced(log, b"first\n", create=False)  # a record kept elsewhere is not started here
    assert not log.exists()
    append_synced(log, b"first\n")
    append_synced(log, b"second\n", create=False)
    assert log.read_bytes() == b"first\nsecond\n"
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
