"""Issue 5's "Done when", as a new user follows the README: a site with rooms for three streams and
50 schools, прил. 28 and the directory printed, the package sent, and ``ent-nct stats`` showing the
site's rooms and seats per stream and language and its number of schools; a later send supersedes."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from base_ppent_support import NCT_PASSWORD, flat, nct_with_enrolment, run, school_row, write_xlsx
from exchange_support import secrets
from pdf_support import pdf_text

from common import i18n
from nct_hub.cli import build as nct_build


def nct(capsys: pytest.CaptureFixture[str], folder: Path, *args: str) -> str:
    with secrets(ENT_PASSWORD=NCT_PASSWORD):
        code = nct_build().run([*args, "--data-dir", str(folder)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


def test_done_when(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    i18n.set_language("en")
    side = nct_with_enrolment(tmp_path)
    site = tmp_path / "site"

    def ok(*args: str, password: str | None = None) -> str:
        result = run(site, capsys, *args, password=password)
        assert result.code == 0, result.err
        return result.out

    ok("init")
    assert "Enrolled: 017/base-ppent" in ok("enrol", "--package", str(side.package), password=side.password)
    ok("site", "set", "--lodging", "40", "--meals", "60", "--restroom", "1 этаж", "--detector-type", "арочный",
       "--detectors", "2", "--jammers", "12", "--cameras", "24")
    for day in ("2027-06-20", "2027-06-21", "2027-06-22"):
        ok("streams", "add", "--date", day)
    for number, desks in (("01", 60), ("02", 50), ("03", 30), ("04", 15), ("05", 15)):
        ok("rooms", "add", number, "--desks", str(desks), "--ventilation", "mechanical", "--jammers", "1",
           "--cameras", "2")
    plan = {1: [("01", "kk"), ("02", "ru"), ("03", "en-kk")], 2: [("01", "kk"), ("02", "kk"), ("04", "en-ru")],
            3: [("01", "ru"), ("02", "kk")]}
    for stream, rooms in plan.items():
        for number, language in rooms:
            ok("rooms", "use", number, "--stream", str(stream), "--language", language)
        ok("rooms", "use", "05", "--stream", str(stream), "--language", "kk", "--reserve")

    ok("template", str(tmp_path / "schools.xlsx"))
    filled = write_xlsx(tmp_path / "schools.xlsx", [school_row(n, stream=1 + n % 3) for n in range(1, 51)])
    assert "50 added" in ok("import", str(filled))

    printed = ok("print", "app28", "--language", "both") + ok("print", "schools-directory", "--language", "both")
    pdfs = sorted((site / "printed").glob("*.pdf"))
    assert len(pdfs) == 4 and all(str(pdf) in printed for pdf in pdfs)
    report_ru = flat(pdf_text(next(p for p in pdfs if p.name.startswith("app28_ru")), layout=False))
    assert "Отчет формирования базы данных «База ППЕНТ»" in report_ru and "Поток 3, 22.06.2027" in report_ru
    directory_kk = flat(pdf_text(next(p for p in pdfs if p.name.startswith("schools-directory_kk")), layout=False))
    assert "Мектептер мен колледждер анықтамалығы" in directory_kk and "Барлығы: 50 мектеп" in directory_kk

    first = ok("send", password=side.password)
    (package,) = sorted((site / "outbox").glob("*.entpkg"))
    assert package.name in first
    assert "imported" in nct(capsys, side.folder, "import", str(package))
    rows = list(csv.DictReader(io.StringIO(nct(capsys, side.folder, "stats", "--csv"))))
    ours = [row for row in rows if row["site_code"] == "017"]
    languages = {(row["stream"], row["language"]): (int(row["rooms"]), int(row["seats"]), int(row["reserve_rooms"]),
                                                     int(row["reserve_seats"]))
                 for row in ours if row["level"] == "language"}
    assert languages == {
        ("1", "kk"): (1, 120, 1, 30), ("1", "ru"): (1, 100, 0, 0), ("1", "en-kk"): (1, 60, 0, 0),
        ("2", "kk"): (2, 220, 1, 30), ("2", "en-ru"): (1, 30, 0, 0),
        ("3", "ru"): (1, 120, 0, 0), ("3", "kk"): (1, 100, 1, 30),
    }
    (site_row,) = [row for row in ours if row["level"] == "site"]
    assert (site_row["schools"], site_row["rooms"]) == ("50", "5")
    streams = {row["stream"]: int(row["schools"]) for row in ours if row["level"] == "stream"}
    assert streams == {str(stream): sum(1 for n in range(1, 51) if 1 + n % 3 == stream) for stream in (1, 2, 3)}

    # A later send supersedes the earlier ones, even when an older file arrives after it.
    ok("rooms", "use", "03", "--stream", "3", "--language", "ru")
    ok("send", password=side.password)
    ok("rooms", "use", "04", "--stream", "3", "--language", "ru")
    ok("send", password=side.password)
    _first, second, third = sorted((site / "outbox").glob("*.entpkg"))
    nct(capsys, side.folder, "import", str(third))

    def stream_3_russian() -> tuple[str, str]:
        rows = list(csv.DictReader(io.StringIO(nct(capsys, side.folder, "stats", "--csv"))))
        row = next(row for row in rows if row["site_code"] == "017" and row["level"] == "language"
                   and row["stream"] == "3" and row["language"] == "ru")
        return row["rooms"], row["seats"]

    assert stream_3_russian() == ("3", str(120 + 60 + 30))
    with secrets(ENT_PASSWORD=NCT_PASSWORD):
        late = nct_build().run(["import", str(second), "--data-dir", str(side.folder)])
    captured = capsys.readouterr()
    refusal = captured.out + captured.err
    assert late == 1 and "Superseded: package number 2 is older than number 3" in refusal, refusal
    assert stream_3_russian() == ("3", "210"), "the older package changed nothing"
