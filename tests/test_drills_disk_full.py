"""Failure drills (issue 19): the disk fills while a program writes — a package at a workstation and at НЦТ, a
scanned page's image, a print. Each time a small file system the test makes (a tmpfs, the tests run as root) is
filled where the program writes: one translated line "The disk is full…", exit 1, nothing half written, the
database and the audit log as they were; the same command works once space is freed. README.md, "Failures tried",
"Drills (issue 19)" lists the cases.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from applications_support import base_ppent, ok
from drills_support import fill, mounted, snapshot, taken
from exchange_support import Run, Scene
from programmer_support import audit_entries, drawn_scene, programmer, session_of

from common.i18n import set_language


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> Scene:
    """НЦТ and site 017: the site database sent, closed, handed over, stream 1's variants taken and its seats
    drawn (nothing scanned yet)."""
    return drawn_scene(tmp_path_factory)


@pytest.fixture
def scene(drawn: Scene, tmp_path: Path) -> Scene:
    return drawn.copy(tmp_path / "scene")


def disk_full(run: Run) -> str:
    """The one line of a refusal for a full disk (no traceback, exit 1)."""
    lines = run.err.strip().splitlines()
    assert run.code == 1 and len(lines) == 1 and "Traceback" not in run.err, run.out + run.err
    assert "The disk is full" in lines[0], lines[0]
    return lines[0]


def names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def workstation(scene: Scene, role: str) -> tuple[Path, Path]:
    folder = scene.folder(role)
    return folder / "workstation.sqlite", folder / "audit.log"


# --- (a) a workstation's package: ent-base-ppent send ------------------------------------------------------------


def test_a_site_database_sent_to_a_full_disk_is_not_written_nor_numbered_and_goes_once_space_is_freed(
        scene: Scene) -> None:
    database, log = workstation(scene, "base-ppent")
    outbox = scene.folder("base-ppent") / "outbox"
    earlier = names(outbox)  # the site database as sent while the site was built
    number = len(earlier) + 1
    assert earlier and all(name.endswith(".entpkg") for name in earlier), earlier
    before = snapshot(database, log)
    with mounted(outbox, size="1m") as disk:
        filler = fill(disk)
        line = disk_full(base_ppent(scene, "send", password=True))
        assert str(disk) in line or str(scene.folder("base-ppent")) in line
        assert names(disk) == ["filler"]  # no package, no NAME.entpkg.pending
        assert snapshot(database, log) == before  # no number taken, no audit line
        filler.unlink()
        sent = ok(base_ppent(scene, "send", "--json", password=True)).json()
        assert names(disk) == [f"017-base-ppent_to_nct_site-database_{number:04d}.entpkg"]
        assert sent["sequence"] == number
        ok(scene.nct("import", sent["path"]))  # the package is whole: НЦТ takes it
    assert "chain intact" in ok(base_ppent(scene, "audit", "verify")).out


# --- (b) НЦТ's package: ent-nct enrolment make -------------------------------------------------------------------


def nct_sent(scene: Scene) -> list[tuple[str, str, int, str]]:
    with sqlite3.connect(scene.nct_dir / "nct.sqlite") as connection:
        rows = connection.execute("SELECT recipient, kind, sequence, file_name FROM sent_packages "
                                  "ORDER BY id").fetchall()
    connection.close()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def test_an_enrolment_made_onto_a_full_disk_leaves_neither_package_nor_sheet_and_is_made_once_space_is_freed(
        scene: Scene, tmp_path: Path) -> None:
    def make(out: Path) -> Run:
        return scene.nct("enrolment", "make", "--site", "017", "--role", "certificate", "--out", str(out), "--json")

    first = ok(make(scene.out / "enrol-certificate.entpkg")).json()  # package 1 to 017/certificate, made before
    package_size = Path(first["package"]).stat().st_size
    assert Path(first["sheet"]).stat().st_size > 3 * 4096  # the sheet needs more than the room left below
    before = snapshot(scene.nct_dir / "nct.sqlite", scene.nct_dir / "audit.log")
    sent = nct_sent(scene)
    with mounted(tmp_path / "stick", size="1m") as stick:
        filler = fill(stick)
        disk_full(make(stick / "enrol.entpkg"))  # the package itself does not fit
        assert names(stick) == ["filler"]
        filler.unlink()
        filler = fill(stick, leave=package_size + 4096)  # the package fits, its password sheet does not
        disk_full(make(stick / "enrol.entpkg"))
        assert names(stick) == ["filler"], "no package without its sheet, no .pending"
        assert snapshot(scene.nct_dir / "nct.sqlite", scene.nct_dir / "audit.log") == before and nct_sent(scene) == sent
        filler.unlink()
        made = ok(make(stick / "enrol.entpkg")).json()
        assert names(stick) == ["enrol.entpkg", "enrol.pdf"] and Path(made["package"]).stat().st_size > 0
    assert nct_sent(scene)[-1][2:] == (2, "enrol.entpkg")  # number 2: the failed attempts took none
    assert ok(scene.nct("audit", "verify")).code == 0


def test_an_enrolment_whose_commit_finds_the_disk_full_leaves_no_password_sheet(scene: Scene, tmp_path: Path) -> None:
    """НЦТ's folder and the enrolment's folder on one disk, with room for the package and its sheet but not for the
    commit: the sheet used to be left behind (written before the commit), a password that opens nothing, while the
    line said "Nothing was changed". The sheet now follows the package: under its name only once the commit is."""
    import shutil

    first = ok(scene.nct("enrolment", "make", "--site", "017", "--role", "certificate", "--out",
                         str(scene.out / "enrol-certificate.entpkg"), "--json")).json()
    files = sum(taken(Path(first[key])) for key in ("package", "sheet"))
    size = sum(path.stat().st_size for path in scene.nct_dir.rglob("*") if path.is_file())
    outcomes: list[str] = []
    with mounted(tmp_path / "disk", size=f"{size // 1024 + 2048}k") as disk:
        shutil.copytree(scene.nct_dir, disk / "nct")
        (disk / "out").mkdir()
        nct = Scene(disk, dict(scene.passwords))
        before = snapshot(disk / "nct" / "nct.sqlite", disk / "nct" / "audit.log")
        for extra in range(0, 160 * 1024, 8192):  # from too little for the files to enough for everything
            filler = fill(disk, leave=32 * 1024 + files + extra)  # 32 KiB: the database's shared memory file
            made = nct.nct("enrolment", "make", "--site", "017", "--role", "certificate", "--out",
                           str(disk / "out" / "enrol.entpkg"))
            filler.unlink()
            if made.code == 0:
                break
            outcomes.append("database" if "the database in" in disk_full(made) else "file")
            assert names(disk / "out") == [], outcomes  # no package, no sheet, nothing .pending
            assert snapshot(disk / "nct" / "nct.sqlite", disk / "nct" / "audit.log") == before
        assert made.code == 0 and names(disk / "out") == ["enrol.entpkg", "enrol.pdf"]
    assert "database" in outcomes, outcomes  # the commit itself found the disk full at least once


# --- (c) a scan: ent-programmer scan --room 01 --pass 1 --from DIR -----------------------------------------------


def scans_stored(scene: Scene) -> list[tuple[str, str]]:
    from common.db.answer_models import SheetScan

    with session_of(scene) as session:
        return [(row.page_id, row.image) for row in session.query(SheetScan).order_by(SheetScan.id)]


def room_01_pass_1(scene: Scene) -> tuple[Path, list[Path], list[int]]:
    """Room 01's envelope (its sheets and three blanks) scanned for pass 1 into a capture folder: the folder, its
    pages and the space each takes on a disk."""
    from arm_programmer.room_simulation import room_envelope, scanner

    with session_of(scene) as session:
        layout, sheets = room_envelope(session, 1, "01", blanks=3)
    capture = scene.out / "pass1"
    capture.mkdir()
    pages = scanner(layout, sheets, pass_number=1).export(capture)
    return capture, pages, [taken(path) for path in pages]


def test_a_scan_that_fills_the_disk_keeps_the_pages_before_and_resumes_without_a_page_twice(
        scene: Scene) -> None:
    capture, pages, sizes = room_01_pass_1(scene)
    assert len(pages) >= 3
    scans = scene.folder("programmer") / "scans"

    def scan() -> Run:
        return programmer(scene, "scan", "--room", "01", "--pass", "1", "--from", str(capture), "--settle", "0",
                          "--idle", "0.3", "--json")

    with mounted(scans, size=f"{sum(sizes) // 1024 + 1024}k") as disk:  # every page's image once, and some
        filler = fill(disk, leave=sizes[0] + sizes[1] + sizes[2] // 2)  # two pages' images fit, the third does not
        line = disk_full(scan())
        assert "2 page(s)" in line and "Nothing was changed" not in line, line
        stored = scans_stored(scene)
        assert len(stored) == 2  # the pages stored before the disk filled stay stored
        kept = sorted(path.name for path in disk.iterdir() if path.name != "filler")
        assert sorted(Path(image).name for _page, image in stored) == kept  # each reading has its whole image,
        assert all((disk / name).stat().st_size in {path.stat().st_size for path in pages} for name in kept)
        # and the third page is neither read nor half kept (no temporary file left)
        filler.unlink()
        again = ok(scan()).json()
        assert [event["outcome"] for event in again["events"]] == ["stored"] * (len(pages) - 2)
        after = scans_stored(scene)
        assert len(after) == len(pages) and len({page for page, _image in after}) == len(pages)  # no page twice
        assert after[:2] == stored
        assert sorted(path.name for path in disk.iterdir()) == sorted(Path(image).name for _page, image in after)
    assert [entry["details"]["stored"] for entry in audit_entries(scene, "scan.room")] == [len(pages) - 2]
    assert "chain intact" in ok(programmer(scene, "audit", "verify")).out


def test_the_room_scanning_window_says_the_pages_before_a_full_disk_are_kept(qtbot, scene: Scene) -> None:  # type: ignore[no-untyped-def]
    from window_support import open_programmer_window, settled_page

    from arm_programmer.ui.room_scan_page import RoomScanPage

    capture, pages, sizes = room_01_pass_1(scene)
    with mounted(scene.folder("programmer") / "scans", size=f"{sum(sizes) // 1024 + 1024}k") as disk:
        filler = fill(disk, leave=sizes[0] + sizes[1] // 2)  # the first page's image fits, the second does not
        page = settled_page(qtbot, open_programmer_window(qtbot, scene.folder("programmer")), "scanning",
                            RoomScanPage)
        page.room.setCurrentIndex(page.room.findData("01"))
        page.pass_number.setCurrentIndex(page.pass_number.findData(1))
        page.settle_seconds, page.idle_seconds = 0.0, 0.3
        page.folder.setText(str(capture))
        page.scan_folder.click()
        qtbot.waitUntil(lambda: "The disk is full" in page.message.text(), timeout=60000)
        assert "after 1 page(s), which are kept" in page.message.text()
        assert len(scans_stored(scene)) == 1
        filler.unlink()
        page.scan_folder.click()
        qtbot.waitUntil(lambda: f"pass 1: {len(pages) - 1} stored" in page.message.text(), timeout=60000)
    assert len({page_id for page_id, _image in scans_stored(scene)}) == len(pages)


def test_an_application_scan_that_fills_the_disk_keeps_the_forms_before_and_resumes_without_a_form_twice(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    from applications_support import applications, form, iin, planned_scene, schools_by_expected

    from common.scanning.simulated import SimulatedScanner
    from forms.registry import get_layout

    scene = planned_scene(tmp_path_factory)
    school = schools_by_expected(scene)[32]
    ok(applications(scene, "journals", "print", "--school", school))
    [journal] = [state for state in ok(applications(scene, "journals", "list", "--json")).json()
                 if state["school"] == school]
    ikts = [f"{int(journal['first_ikt']) + offset:09d}" for offset in range(3)]
    capture = scene.out / "forms"
    capture.mkdir()
    pages = SimulatedScanner(get_layout("application"), [
        form(school, ikt, "Қасымов", "Ерлан", iin_or_date=iin("080909", "M", 60 + index))
        for index, ikt in enumerate(ikts)], seed=9).export(capture)
    sizes = [taken(path) for path in pages]

    def scan() -> Run:
        return applications(scene, "scan", "--school", school, "--from", str(capture), "--settle", "0", "--idle",
                            "0.3", "--json")

    def entered() -> list[str]:
        rows = ok(applications(scene, "applications", "list", "--school", school, "--json")).json()
        return sorted(row["ikt"] for row in rows)

    with mounted(scene.folder("applications") / "scans", size=f"{sum(sizes) // 1024 + 1024}k") as disk:
        filler = fill(disk, leave=sizes[0] + sizes[1] // 2)  # the first form's image fits, the second does not
        line = disk_full(scan())
        assert "1 page(s)" in line and "Nothing was changed" not in line, line
        assert entered() == ikts[:1]
        filler.unlink()
        again = ok(scan()).json()
        assert [event["outcome"] for event in again["events"]] == ["stored", "stored"]
    assert entered() == ikts  # each form once
    assert "chain intact" in ok(applications(scene, "audit", "verify")).out


# --- (d) a print: ent-programmer print acts (one PDF per blank, in one transaction) ------------------------------


def test_a_print_onto_a_full_disk_leaves_no_partial_pdf_nor_pending_file_and_prints_once_space_is_freed(
        scene: Scene) -> None:
    database, log = workstation(scene, "programmer")
    printed = scene.folder("programmer") / "printed"

    def print_acts() -> Run:
        return programmer(scene, "print", "acts", "--stream", "1", "--json")

    first = [Path(item["path"]) for item in ok(print_acts()).json()]
    assert len(first) >= 2
    sizes = [taken(path) for path in first]
    before = snapshot(database, log)
    with mounted(printed, size=f"{sum(sizes) // 1024 + 1024}k") as disk:
        for leave in (sizes[0] + sizes[1] // 2, 0):  # room for the first blank only; then for none
            filler = fill(disk, leave=leave)
            disk_full(print_acts())
            assert names(disk) == ["filler"], leave  # no PDF, not even the first blank's; no NAME.pdf.pending
            assert snapshot(database, log) == before  # no audit entry names a print that is not there
            filler.unlink()
        done = [Path(item["path"]).name for item in ok(print_acts()).json()]
        assert names(disk) == sorted(done) and len(done) == len(first)
    audited = [entry["target"] for entry in audit_entries(scene, "form.printed")]
    assert sorted(audited) == sorted([path.name for path in first] + done)
    assert "chain intact" in ok(programmer(scene, "audit", "verify")).out
