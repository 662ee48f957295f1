"""Upgrading keeps and migrates the data (issue 19): a folder left by an older version, opened by this one.

The older folders (installers/old_folders.py) are made with the suite's own Alembic chains stopped
at an older revision — a workstation at 0009_identification, the certificate workstation at
0012_certificate_file (0013 rebuilds its applicants' table by copy), НЦТ's database at 0008 — with
rows written through SQL as that version wrote them. The current program's ``info --json`` opens
the folder (every program migrates on opening); then the schema is at head, the audit log is intact
and every row reads as before. installers/smoke.py does the same with the bundled programs.
"""

from __future__ import annotations

import importlib
import json
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from common.db.migrate import head_revision
from common.workstation import by_code

INSTALLERS = Path(__file__).resolve().parent.parent / "installers"


@pytest.fixture(scope="module")
def old_folders() -> Iterator[ModuleType]:
    sys.path.insert(0, str(INSTALLERS))
    try:
        yield importlib.import_module("old_folders")
    finally:
        sys.path.remove(str(INSTALLERS))


def _info(kind: str, root: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    capsys.readouterr()
    main = importlib.import_module(f"{by_code(kind).package}.cli").main
    assert main(["--lang", "en", "info", "--json", "--data-dir", str(root)]) == 0
    data: dict[str, object] = json.loads(capsys.readouterr().out)
    return data


@pytest.mark.parametrize("kind", ["programmer", "certificate", "nct"])
def test_a_folder_of_an_older_version_is_migrated_on_opening_and_keeps_every_row(
    kind: str, tmp_path: Path, old_folders: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    old = old_folders.make(kind, tmp_path / kind)
    assert old_folders.revision_of(old.database) == old.revision
    assert all(old.rows.values())  # the older version's rows are there to be kept

    info = _info(kind, old.root, capsys)

    assert info["schema_revision"] == info["schema_head"]
    assert info["audit_ok"] is True and info["audit_entries"] == 1  # the older version's init entry
    assert old_folders.problems(old, info["schema_head"]) == []
    assert old_folders.revision_of(old.root / "workstation.sqlite") == head_revision()


def test_a_lost_row_or_an_unmigrated_schema_is_named(tmp_path: Path, old_folders: ModuleType) -> None:
    old = old_folders.make("certificate", tmp_path / "certificate")
    assert old_folders.problems(old, head_revision()) == [
        f"workstation.sqlite is at {old.revision}, not at head {head_revision()}"
    ]
    connection = sqlite3.connect(old.database)
    with connection:
        connection.execute("DELETE FROM certificate_applicants WHERE id = 2")
    connection.close()
    assert "certificate_applicants: 2 rows before the upgrade, 1 after, or changed" in old_folders.problems(
        old, old.revision
    )
