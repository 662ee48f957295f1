"""Issue 11: a school's application forms from the scanner into applications (п. 89.7, 94), their
review, changes and annulments (ch. 19, п. 103–105) — the forms filled, printed and scanned by the
simulated scanner, taken by ``ent-applications scan --from DIR`` as from a capture folder.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from applications_support import applications, form, iin, ok, planned_scene, scan, schools_by_expected
from exchange_support import Scene

from common.omr.synth import MarkSpec
from common.scanning.simulated import SimulatedScanner
from forms.registry import get_layout


def listed(scene: Scene) -> dict[str, dict[str, Any]]:
    return {row["ikt"]: row for row in ok(applications(scene, "applications", "list", "--json")).json()}


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Scene:
    scene = planned_scene(tmp_path_factory)
    for school in schools_by_expected(scene).values():
        ok(applications(scene, "journals", "print", "--school", school))
    return scene


def test_a_school_is_scanned_reviewed_changed_and_annulled(scene: Scene) -> None:
    school = schools_by_expected(scene)[25]
    journal = ok(applications(scene, "journals", "list", "--json")).json()
    first = int(next(state for state in journal if state["school"] == school)["first_ikt"])
    ikts = [f"{first + offset:09d}" for offset in range(6)]
    bad_iin = iin("080315", "F")[:11] + str((int(iin("080315", "F")[11]) + 1) % 10)
    sheets = [
        form(school, ikts[0], "Әбілқайыр", "Ұлжан", sex="F", iin_or_date=iin("080315", "F"),
             patronymic="Серікқызы"),
        form(school, ikts[1], "Лёвин", "Артём", iin_or_date=iin("071102", "M"), language="ru"),
        form(school, ikts[2], "Жақсылық", "Дана", sex="F", iin_or_date=bad_iin),
        form(school, ikts[3], "Смит", "Джон", iin_or_date="080101", language="en", history="ru"),
        form(school, ikts[4], "Өмірзақ", "Әли", iin_or_date=iin("080707", "M", 7),
             marks={"surname.c01.Ө": MarkSpec(fill=0.45)}),  # a letter marked faintly
        form(school, ikts[0], "Әбілқайыр", "Ұлжан", sex="F", iin_or_date=iin("080315", "F"),
             patronymic="Серікқызы"),  # the same form again
    ]
    scanned = ok(scan(scene, school, sheets, "batch-1")).json()
    assert scanned["pages"] == 6
    assert scanned["counts"] == {"applied": 3, "flagged": 2, "duplicate": 1}

    entered = listed(scene)
    assert (entered[ikts[0]]["surname"], entered[ikts[0]]["name"], entered[ikts[0]]["patronymic"]) == (
        "Әбілқайыр", "Ұлжан", "Серікқызы")
    assert (entered[ikts[1]]["surname"], entered[ikts[1]]["name"]) == ("Левин", "Артем")  # ё marked as е
    assert entered[ikts[3]]["iin"] is None and entered[ikts[3]]["birth_date"] == "2008-01-01"
    assert (entered[ikts[3]]["test_language"], entered[ikts[3]]["history_language"]) == ("en", "ru")

    review = ok(applications(scene, "review", "list", "--json")).json()
    problems = {item["ikt"]: item["problems"] for item in review}
    assert problems[ikts[2]] == [["09", "iin"]]
    assert ["04", "surname.c01"] in problems[ikts[4]]

    crop = scene.out / "crop.png"
    faint = next(item for item in review if item["ikt"] == ikts[4])
    ok(applications(scene, "review", "crop", str(faint["id"]), "--field", "surname.c01", "--out", str(crop)))
    assert crop.stat().st_size > 0
    fixed = ok(applications(scene, "review", "fix", str(faint["id"]), "--set", "surname.c01=Ө", "--json")).json()
    assert fixed["state"] == "applied"
    assert listed(scene)[ikts[4]]["surname"] == "Өмірзақ"
    wrong = next(item for item in review if item["ikt"] == ikts[2])
    ok(applications(scene, "review", "fix", str(wrong["id"]), "--set", f"iin={iin('080315', 'F', 50)}"))
    assert listed(scene)[ikts[2]]["status"] == "entered"
    assert ok(applications(scene, "review", "list", "--json")).json() == []

    changes = [
        form(school, ikts[1], "Лёвина", "Анна", sex="F", iin_or_date=iin("071102", "F", 3), language="ru",
             changed=True),  # name, sex and ИИН corrected in place (п. 105)
        form(school, ikts[0], "Әбілқайыр", "Ұлжан", sex="F", iin_or_date=iin("080315", "F"), language="ru",
             patronymic="Серікқызы", changed=True),  # a language change needs annulment (п. 103)
        form(school, ikts[3], "Смит", "Джон", iin_or_date="080101", language="en", history="ru", annulled=True),
    ]
    ok(scan(scene, school, changes, "batch-2"))
    after = listed(scene)
    assert (after[ikts[1]]["status"], after[ikts[1]]["surname"], after[ikts[1]]["sex"]) == ("changed", "Левина", "f")
    assert after[ikts[1]]["history"] == ["entered", "changed"]
    assert after[ikts[3]]["status"] == "annulled"
    assert after[ikts[0]]["test_language"] == "kk"
    [refused] = ok(applications(scene, "review", "list", "--json")).json()
    assert refused["problems"] == [["21", "language"]]
    shown = ok(applications(scene, "review", "show", str(refused["id"]))).out
    assert "/21" in shown and "п. 103" in shown

    journals = {state["school"]: state for state in ok(applications(scene, "journals", "list", "--json")).json()}
    assert journals[school]["used"] == 5  # the annulled application keeps its ИКТ: never reused

    # п. 103–104: the language changes by annulment and re-entry on a new journal row with a new ИКТ
    person = {"sex": "F", "iin_or_date": iin("080315", "F"), "patronymic": "Серікқызы"}
    moved = [form(school, ikts[5], "Әбілқайыр", "Ұлжан", language="ru", changed=True, **person),
             form(school, ikts[0], "Әбілқайыр", "Ұлжан", annulled=True, **person),
             form(school, ikts[5], "Әбілқайыр", "Ұлжан", language="ru", **person)]
    ok(applications(scene, "review", "set-aside", str(refused["id"])))
    data = ok(scan(scene, school, moved, "batch-3")).json()
    final = listed(scene)
    assert final[ikts[0]]["status"] == "annulled"
    assert (final[ikts[5]]["status"], final[ikts[5]]["test_language"]) == ("entered", "ru")
    assert final[ikts[5]]["replaces"] == final[ikts[0]]["id"]
    [first_try] = ok(applications(scene, "review", "list", "--json")).json()
    assert first_try["problems"] == [["21", "ikt"]]  # «изменен» cannot move a person to a new ИКТ
    assert data["pages"] == 3


def test_a_page_that_fails_the_page_check_is_asked_again(scene: Scene) -> None:
    school = schools_by_expected(scene)[12]
    scanned = ok(scan(scene, school, [form(school, "100000099", "Ким", "Ли")], "low-dpi", dpi=100))
    data = scanned.json()
    assert data["counts"] == {"rescan": 1}
    assert "resolution" in data["events"][0]["reasons"]


def test_a_form_of_another_school_or_ikt_is_flagged(scene: Scene) -> None:
    schools = schools_by_expected(scene)
    journal = {state["school"]: state for state in ok(applications(scene, "journals", "list", "--json")).json()}
    other_ikt = journal[schools[32]]["first_ikt"]
    data = ok(scan(scene, schools[12], [form(schools[32], other_ikt, "Ким", "Ли", iin_or_date=iin("080202", "M"))],
                   "wrong-school")).json()
    assert data["counts"].get("flagged") == 1
    flagged = [item for item in ok(applications(scene, "review", "list", "--school", schools[12], "--json")).json()]
    assert ["15", "school"] in flagged[0]["problems"]


def test_scanning_needs_the_school_journal(scene: Scene, tmp_path: Path) -> None:
    refused = applications(scene, "scan", "--school", "99/999/9999", "--from", str(tmp_path))
    assert refused.code == 1 and "not in the site plan" in refused.err


def test_the_prints_after_a_school(scene: Scene) -> None:
    from pdf_support import pdf_text

    school = schools_by_expected(scene)[25]
    printed = {form: Path(ok(applications(scene, "print", form, "--school", school, "--language", "ru",
                                          "--json")).json()["path"])
               for form in ("scan-report", "certificates", "register", "database")}
    report = pdf_text(printed["scan-report"])
    assert "Протокол ошибок" in report and "language /21" in report and "ikt /21" in report
    assert "ИКТ нет в журнале этой школы" in report  # the code table, printed as the legend
    certificates = pdf_text(printed["certificates"])
    assert "Левина Анна" in certificates and "Әбілқайыр Ұлжан Серікқызы" in certificates
    assert "Смит" not in certificates  # annulled: no certificate
    assert "Смит" not in pdf_text(printed["register"])
    database = pdf_text(printed["database"])
    assert "аннулирован" in database and "изменен" in database and "внесен" in database
    refused = applications(scene, "print", "certificates")
    assert refused.code == 1 and "--school" in refused.err


def test_one_applicants_new_certificate_after_a_change(scene: Scene) -> None:
    """п. 104.7, 105: after a change the applicant gets a new certificate, printed alone."""
    from pdf_support import pdf_text

    school = schools_by_expected(scene)[25]
    journal = ok(applications(scene, "journals", "list", "--json")).json()
    first = int(next(state for state in journal if state["school"] == school)["first_ikt"])
    changed, annulled = f"{first + 1:09d}", f"{first + 3:09d}"
    printed = ok(applications(scene, "print", "certificates", "--school", school, "--ikt", changed,
                              "--language", "ru", "--json")).json()
    text = pdf_text(Path(printed["path"]))
    assert "Левина Анна" in text and "Әбілқайыр" not in text and printed["pages"] == 1
    refused = applications(scene, "print", "certificates", "--school", school, "--ikt", annulled)
    assert refused.code == 1 and annulled in refused.err
    refused = applications(scene, "print", "register", "--school", school, "--ikt", changed)
    assert refused.code == 1 and "--ikt" in refused.err


def test_reconciliation_lists_the_four_mismatches(scene: Scene) -> None:
    school = schools_by_expected(scene)[25]
    journal = ok(applications(scene, "journals", "list", "--json")).json()
    first = int(next(state for state in journal if state["school"] == school)["first_ikt"])
    ikts = [f"{first + offset:09d}" for offset in range(8)]
    clean = ok(applications(scene, "reconcile", "--school", school, "--json")).json()
    assert [clean["statuses"][ikt] for ikt in ikts[:6]] == ["annulled", "changed", "entered", "annulled", "entered",
                                                             "entered"]
    assert clean["skipped"] == []
    # the secretary's journal: rows 1–5 and 7 written in, only row 1 marked annulled, a name on row 8 too
    result = ok(applications(scene, "reconcile", "--school", school, "--registered",
                             f"{ikts[0]}-{ikts[4]},{ikts[7]}", "--annulled", f"{ikts[0]},{ikts[6]}", "--json")).json()
    assert result["not_in_database"] == [ikts[7]]
    assert result["not_annulled_in_database"] == [ikts[6]]
    assert result["not_annulled_in_journal"] == [ikts[3]]
    assert result["not_in_journal"] == [ikts[5]]
    text = ok(applications(scene, "reconcile", "--school", school, "--registered", f"{ikts[0]}-{ikts[5]}",
                           "--annulled", f"{ikts[0]},{ikts[3]}")).out
    assert "The journal and the database agree." in text


def test_daily_statistics_reach_nct_stats(scene: Scene) -> None:
    import csv
    import io

    sent = ok(applications(scene, "send", "daily", "--json")).json()
    assert (sent["applications"], sent["annulled"]) == (4, 2)
    imported = ok(scene.nct("import", sent["path"]))
    assert "017" in imported.out
    rows = list(csv.DictReader(io.StringIO(ok(scene.nct("stats", "--csv")).out)))
    languages = {(row["stream"], row["language"]): int(row["applicants"]) for row in rows
                 if row["level"] == "language" and row["site_code"] == "017"}
    assert (languages[("1", "kk")], languages[("1", "ru")]) == (2, 2)
    site = next(row for row in rows if row["level"] == "site" and row["site_code"] == "017")
    assert int(site["applicants"]) == 4


def test_scanning_resumes_after_kill_9_without_a_form_twice(scene: Scene) -> None:
    import os
    import subprocess
    import sys

    school = schools_by_expected(scene)[32]
    journal = {state["school"]: state for state in ok(applications(scene, "journals", "list", "--json")).json()}
    first = int(journal[school]["first_ikt"])
    ikts = [f"{first + offset:09d}" for offset in range(3)]
    folder = scene.out / "crash"
    folder.mkdir()
    SimulatedScanner(get_layout("application"), [
        form(school, ikt, "Қасымов", "Ерлан", iin_or_date=iin("080909", "M", 60 + index))
        for index, ikt in enumerate(ikts)], seed=9).export(folder)
    command = [sys.executable, "-m", "arm_applications", "scan", "--school", school, "--from", str(folder),
               "--settle", "0", "--idle", "0.3", "--data-dir", str(scene.folder("applications")), "--lang", "en"]
    root = Path(__file__).resolve().parents[1]
    for point in ("scan.result_kept", "scan.image_kept"):  # after page 1 is stored; after page 2's image
        crashed = subprocess.run(command, env={**os.environ, "ENT_CRASH_AT": point, "PYTHONPATH": str(root)},
                                 capture_output=True, text=True, cwd=root, timeout=300)
        assert crashed.returncode == 137, crashed.stderr
    env = {key: value for key, value in os.environ.items() if key != "ENT_CRASH_AT"}
    finished = subprocess.run([*command, "--json"], env={**env, "PYTHONPATH": str(root)}, capture_output=True,
                              text=True, cwd=root, timeout=300)
    assert finished.returncode == 0, finished.stderr
    assert [event["outcome"] for event in json.loads(finished.stdout)["events"]] == ["stored", "stored"]
    entered = [row for row in ok(applications(scene, "applications", "list", "--school", school, "--json")).json()]
    assert sorted(row["ikt"] for row in entered) == ikts  # each form once
    assert "chain intact" in ok(applications(scene, "audit", "verify")).out  # issue 19's drills


def test_a_page_stored_by_another_scan_after_this_one_began_is_not_stored_twice(scene: Scene) -> None:
    """The sink reads the pages already stored once, at its first page; a page another process
    stores after that is still found in the storing transaction and not stored again."""
    import shutil

    from sqlalchemy import func, select

    from arm_applications.plan import find_school
    from arm_applications.scanning import ApplicationSink, application_layout, held_directories
    from common.db.engine import open_engine, transaction
    from common.db.models import Application
    from common.db.scan_models import ScannedForm
    from common.scanning.loop import run_scan_loop
    from common.scanning.watched_folder import WatchedFolder

    school = schools_by_expected(scene)[32]
    journal = {state["school"]: state for state in ok(applications(scene, "journals", "list", "--json")).json()}
    ikt = f"{int(journal[school]['first_ikt']) + 20:09d}"
    engine = open_engine(scene.folder("applications") / "workstation.sqlite")
    with transaction(engine) as session:
        found = find_school(session, school)
        sink = ApplicationSink(lambda: transaction(engine), found.id, held_directories(session))
    assert not sink.done("a page never seen")  # this scan has begun: the stored pages are read

    first = ok(scan(scene, school, [form(school, ikt, "Сейтқали", "Арман", iin_or_date=iin("080303", "M", 77))],
                    "meanwhile")).json()  # another scan stores the same page meanwhile
    assert first["counts"]["applied"] >= 1
    again = scene.out / "meanwhile-again"
    shutil.copytree(scene.out / "meanwhile", again, ignore=shutil.ignore_patterns(".*"))  # same bytes, no ledger

    with transaction(engine) as session:
        before = session.scalar(select(func.count()).select_from(Application))
    summary = run_scan_loop(WatchedFolder(again, settle_seconds=0, poll_seconds=0.02, idle_timeout=0.3),
                            application_layout(), sink, scene.folder("applications") / "scans")
    assert len(summary.events) == 1
    with transaction(engine) as session:
        page_id = summary.events[0].page_id
        assert session.scalar(select(func.count()).where(ScannedForm.page_id == page_id)) == 1
        assert session.scalar(select(func.count()).select_from(Application)) == before
    assert summary.events[0].detail.ikt == ikt


def test_the_pages_to_scan_again_are_named_by_their_place_in_the_batch(scene: Scene) -> None:
    """Pages 2 and 5 of five fail the page check: the operator is told to put sheets 2 and 5 through again (the
    command used to number them by the rescans before them: 1 and 2, the wrong sheets)."""
    import os

    from common.files import atomic_write_bytes
    from common.scanning.simulated import encode_page

    school = schools_by_expected(scene)[12]
    journal = {state["school"]: state for state in ok(applications(scene, "journals", "list", "--json")).json()}
    first = int(journal[school]["first_ikt"])
    folder = scene.out / "two-to-rescan"
    folder.mkdir()
    for number in range(1, 6):
        dpi = 100 if number in (2, 5) else 200  # too coarse: the page check asks for the sheet again
        sheet = form(school, f"{first + 10 + number:09d}", "Нұров", "Асхат", iin_or_date=iin("080404", "M", number))
        path = folder / f"scan{number:04d}.png"
        atomic_write_bytes(path, encode_page(SimulatedScanner(get_layout("application"), [sheet], dpi=dpi,
                                                              seed=number).scan(sheet, number).image, dpi))
        os.utime(path, ns=(1_700_000_000_000_000_000 + number,) * 2)  # taken in this order
    scanned = ok(applications(scene, "scan", "--school", school, "--from", str(folder), "--settle", "0",
                              "--idle", "0.3"))
    asked = [line for line in scanned.out.splitlines() if "scan it again" in line]
    assert asked == ["Page 2: scan it again — resolution.", "Page 5: scan it again — resolution."]
