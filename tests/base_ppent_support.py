"""Helpers for the АРМ «База ППЕНТ» tests: an enrolled folder without НЦТ's keys, school rows with
valid БИН, and the command line run in-process."""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pdf_support import pdf_text
from sqlalchemy.orm import Session

from arm_base_ppent.cli import build
from arm_base_ppent.school_import import COLUMN_KEYS
from arm_base_ppent.site import ensure_site
from common import codebook
from common.db.engine import open_engine, transaction
from common.db.workstation_info import set_enrolment
from common.workstation import DataFolder

SITE_CODE = "017"


def valid_bin(number: int) -> str:
    """A БИН with a correct check digit (registered in 2010, serial ``number``)."""
    for variant in range(10):
        first11 = f"10044{variant}{number:05d}"
        check = codebook.iin_check_digit(first11)
        if check is not None:
            return first11 + str(check)
    raise AssertionError("no valid БИН")


def bad_bin(number: int) -> str:
    good = valid_bin(number)
    return good[:-1] + str((int(good[-1]) + 1) % 10)


def enrolled_folder(root: Path) -> DataFolder:
    """``init`` and a site record as enrolment leaves them (keys are not needed to plan a site)."""
    assert build().run(["init", "--data-dir", str(root)]) == 0
    folder = DataFolder(root)
    with database(folder) as session:
        set_enrolment(session, SITE_CODE)
        site = ensure_site(session, SITE_CODE, "Семей ҰБТ өткізу пункті", "ППЕНТ Семей", "10")
        site.address = "Корпус 1, ул. Абая 10"
    return folder


@contextmanager
def database(folder: DataFolder) -> Iterator[Session]:
    engine = open_engine(folder.database)
    try:
        with transaction(engine) as session:
            yield session
    finally:
        engine.dispose()


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str


def run(folder: DataFolder | Path, capsys: object, *args: str, password: str | None = None) -> Ran:
    """``ent-base-ppent ARGS --data-dir FOLDER`` in this process; output captured.

    ``password`` is passed as an operator's script does: in ``ENT_PASSWORD``, never on the command line.
    """
    from exchange_support import secrets

    root = folder.root if isinstance(folder, DataFolder) else folder
    argv = [*args, "--data-dir", str(root)]
    with secrets(**({"ENT_PASSWORD": password} if password else {})):
        code = build().run(argv)
    captured = capsys.readouterr()  # type: ignore[attr-defined]
    return Ran(code, captured.out, captured.err)


def school_row(number: int, stream: int | None = None, **changes: object) -> dict[str, object]:
    """One filled row of the import template."""
    rng = random.Random(number)
    row: dict[str, object] = {
        "code": f"{number:04d}", "bin": valid_bin(number), "name_kk": f"№{number} жалпы орта білім беретін мектеп",
        "name_ru": f"Средняя школа №{number}", "region_code": "10", "district_code": f"{1 + number % 3:03d}",
        "address": f"Семей, ул. Абая {number}", "language_status": rng.choice(["kk", "ru", "mixed"]),
        "settlement": rng.choice(["city", "village"]), "ownership": "state", "school_type": "general",
        "school_kind": "college" if number % 10 == 0 else "school", "foreign_languages": "en, de",
        "students_9": 50, "students_11": 30 + number % 20, "expected_kk": 10 + number % 7, "expected_ru": number % 5,
        "expected_en_kk": number % 2, "expected_en_ru": 0, "transport": "school-bus",
        "delivery": "с сопровождающим", "distance_km": "2,5", "stream": stream if stream is not None else "",
    }
    row.update(changes)
    return row


def write_csv(path: Path, rows: list[dict[str, object]], delimiter: str = ";") -> Path:
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(COLUMN_KEYS)
        for row in rows:
            writer.writerow([row.get(key, "") for key in COLUMN_KEYS])
    return path


def write_xlsx(path: Path, rows: list[dict[str, object]], numbers_as_numbers: bool = True) -> Path:
    """The template filled as Excel users do: codes and БИН typed as numbers lose their zeros."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(COLUMN_KEYS))
    for row in rows:
        values: list[object] = []
        for key in COLUMN_KEYS:
            value = row.get(key, "")
            if numbers_as_numbers and key in ("code", "bin", "region_code", "district_code") and str(value).isdigit():
                value = int(str(value))
            values.append(value)
        sheet.append(values)
    book.save(path)
    return path


def flat(text: str) -> str:
    """Text with line breaks and runs of spaces made single spaces (table cells wrap)."""
    return " ".join(text.split())


NCT_PASSWORD = "nct-password-for-tests"


@dataclass(frozen=True)
class NctSide:
    """НЦТ's folder with its keys, the sample directories, site 017 and its «База ППЕНТ» package."""

    folder: Path
    package: Path
    sheet: Path
    password: str


def nct_with_enrolment(root: Path) -> NctSide:
    """What НЦТ prepares before a site starts: made with ``ent-nct`` as НЦТ's operator does."""
    import re

    from exchange_support import secrets

    from nct_hub.cli import build as nct

    folder = root / "nct"

    def ok(*args: str) -> None:
        with secrets(ENT_PASSWORD=NCT_PASSWORD):
            assert nct().run([*args, "--data-dir", str(folder)]) == 0, args

    ok("init")
    ok("keys", "init")
    ok("directories", "import", "--sample")
    ok("site", "create", "--code", SITE_CODE, "--name-kk", "Семей ҰБТ өткізу пункті", "--name-ru", "ППЕНТ Семей",
       "--region", "10", "--building", "Корпус 1, ул. Абая 10")
    package = root / "base-ppent.entpkg"
    ok("enrolment", "make", "--site", SITE_CODE, "--role", "base-ppent", "--out", str(package))
    sheet = package.with_suffix(".pdf")
    match = re.search(r"Пароль\s+([0-9A-Z]{4}(?:-[0-9A-Z]+)+)", pdf_text(sheet, layout=False))
    assert match, "the password sheet shows the password"
    return NctSide(folder, package, sheet, match.group(1))
