"""Folders as an older version of the suite left them, for the upgrade checks: ``make(kind, root)``, ``problems(old)``.

Installing a new version over an older one keeps each user's folders (installers/README.md); the first
command of the new program migrates the database on opening it. To check that, a folder is made the
way version N-1 made it: this suite's own Alembic chain stopped at an older revision
(:data:`REVISIONS`), the folder's identity and its ``workstation.init`` audit entry written as
``init`` writes them, and representative rows written with plain SQL at that revision's schema
(Kazakh text, JSON, dates, a table 0013 rebuilds by copy). After the current program has opened it
(``info --json``), :func:`problems` reads every row again and names what was lost or changed.

Used by ``tests/test_upgrade_keeps_data.py`` (the Python programs) and ``installers/smoke.py`` (the
bundled programs). It needs the suite installed: run it from the suite's virtual environment.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

REVISIONS: Final[dict[str, str]] = {
    "programmer": "0009_identification",
    "certificate": "0012_certificate_file",
    "nct": "0009_identification",
}
"""The workstation database's revision each older folder is left at."""
NCT_REVISION: Final = "0008"
"""НЦТ's own database (``nct.sqlite``) in the older НЦТ folder: before appeals (0009) and certificate numbers (0010)."""
PROGRAMS: Final[dict[str, str]] = {"programmer": "ent-programmer", "certificate": "ent-certificate", "nct": "ent-nct"}
OLD_OPERATOR: Final = "older-version"

_SITE = (
    "INSERT INTO sites (id, code, name_kk, name_ru, region_code, address, lodging_places, meal_places,"
    " metal_detector_count, jammers_count, cameras_count) VALUES"
    " (1, '101', '№101 ҰБТ өткізу пункті', 'ППЕНТ №101', '02', 'Ақтөбе қ., Әбілқайыр хан даңғылы, 12',"
    " 40, 120, 2, 4, 8)"
)
ROWS: Final[dict[str, tuple[str, ...]]] = {
    "programmer": (
        _SITE,
        "INSERT INTO rooms (id, site_id, number, building, desks, seats, ventilation, jammers_count, cameras_count)"
        " VALUES (1, 1, '0101', 'Бас ғимарат', 15, 30, 'natural', 1, 2),"
        " (2, 1, '0102', 'Бас ғимарат', 12, 24, 'air-conditioning', 1, 1)",
        "INSERT INTO schools (id, site_id, code, name_kk, name_ru, address, region_code, district_code,"
        " students_per_grade, expected_applicants, foreign_languages, language_status, settlement, ownership,"
        " distance_km) VALUES (1, 1, '020001', 'Ә. Молдағұлова атындағы № 3 мектеп-гимназия', 'Школа-гимназия № 3',"
        " 'Ақтөбе қ.', '02', '001', '{\"11\": 54}', '{\"kk\": 40, \"ru\": 12}', '[\"en\"]', 'kk', 'city', 'state',"
        " 2.5)",
        "INSERT INTO applicants (id, iin, birth_date, surname, name, patronymic, sex, citizenship_code,"
        " nationality_code, created_at) VALUES"
        " (1, '080505600123', '2008-05-05', 'Нұрланова', 'Айгерім', 'Серікқызы', 'f', '398', '005',"
        " '2026-05-20 09:15:00.000000'),"
        " (2, NULL, '2008-06-06', 'Өтегенов', 'Бауыржан', NULL, 'm', '398', '005', '2026-05-20 09:16:00.000000')",
    ),
    "certificate": (
        "INSERT INTO certificate_streams (id, stream_number, site_code, site_name_kk, site_name_ru, exam_date,"
        " package_id, imported_at, imported_by) VALUES (1, 3, '101', '№101 ҰБТ өткізу пункті', 'ППЕНТ №101',"
        " '2026-06-20', 'programmer-101-3-000001', '2026-06-25 10:00:00.000000', 'Ахметова А.Б.')",
        # 0012 kept the certificate's series and number in two columns no version ever filled; 0013 drops them
        # by copying the whole table: every applicant must come through the copy.
        "INSERT INTO certificate_applicants (id, stream_id, ikt, iin, surname, name, patronymic, school_code,"
        " school_name_kk, school_name_ru, test_language, subjects, total, max_total, certificate_series,"
        " certificate_number) VALUES"
        " (1, 1, '100000001', '080505600123', 'Нұрланова', 'Айгерім', 'Серікқызы', '020001',"
        " '№ 3 мектеп-гимназия', 'Школа-гимназия № 3', 'kk',"
        " '[{\"code\": \"math-literacy\", \"score\": 9}, {\"code\": \"history\", \"score\": 17}]',"
        " 96, 140, NULL, NULL),"
        " (2, 1, '100000002', NULL, 'Өтегенов', 'Бауыржан', NULL, '020001', '№ 3 мектеп-гимназия',"
        " 'Школа-гимназия № 3', 'kk', '[]', 51, 140, NULL, NULL)",
    ),
    "nct": (
        "INSERT INTO directory_versions (version, created_at, created_by, sources, note) VALUES"
        " (1, '2026-03-01 08:00:00.000000', 'Ахметова А.Б.', 'sample', 'Үлгі анықтамалықтар')",
        "INSERT INTO dir_regions (id, version, code, name_kk, name_ru) VALUES"
        " (1, 1, '02', 'Ақтөбе облысы', 'Актюбинская область'), (2, 1, '75', 'Алматы қаласы', 'город Алматы')",
        "INSERT INTO sites (code, name_kk, name_ru, region_code, building, created_at, created_by) VALUES"
        " ('101', '№101 ҰБТ өткізу пункті', 'ППЕНТ №101', '02', 'Ақтөбе қ., Әбілқайыр хан даңғылы, 12',"
        " '2026-03-02 08:00:00.000000', 'Ахметова А.Б.')",
    ),
}
"""Rows as the older version wrote them (SQL at that revision's schema)."""

QUERIES: Final[dict[str, tuple[str, ...]]] = {
    "programmer": (
        "SELECT id, code, name_kk, name_ru, region_code, address, lodging_places, meal_places FROM sites ORDER BY id",
        "SELECT id, site_id, number, building, desks, seats, ventilation FROM rooms ORDER BY id",
        "SELECT id, code, name_kk, students_per_grade, expected_applicants, foreign_languages, distance_km"
        " FROM schools ORDER BY id",
        "SELECT id, iin, birth_date, surname, name, patronymic, sex, created_at FROM applicants ORDER BY id",
    ),
    "certificate": (
        "SELECT id, stream_number, site_code, site_name_kk, exam_date, package_id, imported_by"
        " FROM certificate_streams ORDER BY id",
        "SELECT id, stream_id, ikt, iin, surname, name, patronymic, school_name_kk, subjects, total, max_total"
        " FROM certificate_applicants ORDER BY id",
    ),
    "nct": (
        "SELECT version, created_by, sources, note FROM directory_versions ORDER BY version",
        "SELECT id, version, code, name_kk, name_ru FROM dir_regions ORDER BY id",
        "SELECT code, name_kk, name_ru, region_code, building FROM sites ORDER BY code",
    ),
}
"""What must read the same after the upgrade (columns the newer schema still has)."""


@dataclass
class OldFolder:
    """A folder left by an older version, with the rows it held (read before the upgrade)."""

    kind: str
    root: Path
    database: Path
    """The SQLite file holding the rows: ``workstation.sqlite``, or ``nct.sqlite`` for НЦТ."""
    revision: str
    rows: dict[str, list[tuple[object, ...]]] = field(default_factory=dict)

    @property
    def program(self) -> str:
        return PROGRAMS[self.kind]


def make(kind: str, root: Path) -> OldFolder:
    """Make ``kind``'s folder at ``root`` as the older version left it; returns what it holds."""
    from common.db.engine import open_engine, transaction
    from common.db.migrate import upgrade
    from common.db.workstation_info import set_identity
    from common.security.audit import AuditLog
    from common.workstation import DataFolder

    folder = DataFolder(root)
    folder.create_subfolders()
    engine = open_engine(folder.database)
    try:
        upgrade(engine, REVISIONS[kind])
        with transaction(engine) as session:
            set_identity(session, kind)
            AuditLog(folder.audit_log).record(
                session, actor=OLD_OPERATOR, action="workstation.init", target=kind, details={"version": "older"}
            )
    finally:
        engine.dispose()
    if kind == "nct":
        _make_nct_database(root / "nct.sqlite")
        return _fill(kind, root / "nct.sqlite", NCT_REVISION)
    return _fill(kind, folder.database, REVISIONS[kind])


def _make_nct_database(path: Path) -> None:
    from nct_hub.db.engine import database_url, open_engine
    from nct_hub.db.migrate import upgrade

    engine = open_engine(database_url(path.parent, None))
    try:
        upgrade(engine, NCT_REVISION)
    finally:
        engine.dispose()


def _fill(kind: str, database: Path, revision: str) -> OldFolder:
    connection = sqlite3.connect(database)
    try:
        with connection:
            for statement in ROWS[kind]:
                connection.execute(statement)
    finally:
        connection.close()
    old = OldFolder(kind, database.parent, database, revision)
    old.rows = read_rows(old)
    return old


def read_rows(old: OldFolder) -> dict[str, list[tuple[object, ...]]]:
    connection = sqlite3.connect(f"file:{old.database}?mode=ro", uri=True)
    try:
        return {query: connection.execute(query).fetchall() for query in QUERIES[old.kind]}
    finally:
        connection.close()


def revision_of(database: Path) -> str | None:
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        connection.close()
    return None if row is None else str(row[0])


def problems(old: OldFolder, head: str | None) -> list[str]:
    """What the upgrade lost or changed: an empty list when every row is as the older version wrote it.

    ``head`` is the revision the program says is current (``schema_head`` of ``info --json``, or НЦТ's).
    """
    found: list[str] = []
    revision = revision_of(old.database)
    if head is None or revision != head:
        found.append(f"{old.database.name} is at {revision}, not at head {head}")
    try:
        now = read_rows(old)
    except sqlite3.Error as error:
        return [*found, f"{old.database.name} cannot be read after the upgrade: {error}"]
    for query, before in old.rows.items():
        table = query.split(" FROM ")[1].split()[0]
        if now[query] != before:
            found.append(f"{table}: {len(before)} rows before the upgrade, {len(now[query])} after, or changed")
    return found
