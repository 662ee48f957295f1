"""Failure drills (issue 19): every program fed what it must not take — a database with bytes overwritten in the
middle, a truncated package, another site's package, a package taken twice, a photo that is not a sheet. Each is
refused (or, for the package taken twice, said to be taken already) in one line of its own, and nothing changes.
README.md, "Failures tried", "Drills (issue 19)" lists the cases.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from drills_support import opened_stage, overwrite_the_middle, photo, snapshot
from exchange_support import CODE_LINE, Run, Scene, run_cli, shared_scene, workstation_cli
from pdf_support import pdf_text
from programmer_support import programmer, session_of

from common.i18n import set_language

WORKSTATIONS = ("base-ppent", "applications", "scanner-check", "programmer", "certificate")


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def one_line(run: Run) -> str:
    lines = run.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in run.err, run.err
    return lines[0]


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Scene, Path]:
    """НЦТ and every workstation of site 017 enrolled; the applications workstation of site 018 (its folder)."""
    scene = shared_scene(tmp_path_factory.mktemp("bad-inputs") / "scene")
    for role in ("base-ppent", "scanner-check", "certificate"):
        scene.enrol(role)
    other = scene.root / "applications-018"
    package = scene.out / "enrol-018-applications.entpkg"
    assert scene.nct("enrolment", "make", "--site", "018", "--role", "applications", "--out", str(package)).code == 0
    [password] = CODE_LINE.findall(pdf_text(package.with_suffix(".pdf")))
    cli = workstation_cli("applications")
    assert run_cli(cli, ["init", "--data-dir", str(other)]).code == 0
    assert run_cli(workstation_cli("applications"), ["enrol", "--package", str(package), "--data-dir", str(other)],
                   ENT_PASSWORD=password).code == 0
    return scene, other


def nct_sends(scene: Scene, to: str, note: str) -> Path:
    payload = scene.out / f"payload-{note}.json"
    payload.write_text(json.dumps({"note": note, "pad": "x" * 20000}), encoding="utf-8")
    sent = scene.nct("package", "send", "--kind", "test-message", "--to", to, "--payload", str(payload), "--out",
                     str(scene.out), "--json")
    assert sent.code == 0, sent.err
    return Path(sent.json()["path"])


def cut(package: Path) -> Path:
    truncated = package.with_name("cut-" + package.name)
    truncated.write_bytes(package.read_bytes()[:-700])
    return truncated


# --- a database with bytes overwritten in the middle -----------------------------------------------------------


@pytest.mark.parametrize("program", [*WORKSTATIONS, "nct"])
def test_a_database_overwritten_in_the_middle_is_refused_by_every_program(
        sites: tuple[Scene, Path], tmp_path: Path, program: str) -> None:
    """``info`` and ``audit verify`` used to say "OK" of such a file (the damage lay where they do not read)."""
    scene, _other = sites
    folder = tmp_path / program
    shutil.copytree(scene.nct_dir if program == "nct" else scene.folder(program), folder)
    database = folder / ("nct.sqlite" if program == "nct" else "workstation.sqlite")
    damaged = overwrite_the_middle(database)
    log = (folder / "audit.log").read_bytes()
    for command in (("info",), ("audit", "verify")):
        if program == "nct":
            from nct_hub.cli import build

            result = run_cli(build(), [*command, "--data-dir", str(folder)])
        else:
            result = run_cli(workstation_cli(program), [*command, "--data-dir", str(folder)])
        assert result.code == 1, (command, result.out)
        assert "is damaged; restore the folder from its copy" in one_line(result), result.err
    if program != "nct":  # the window's status bar checks the folder as ``info`` does
        from common.status import folder_status

        status = folder_status(folder)
        assert status.error and "is damaged; restore the folder from its copy" in status.error, status
    assert database.read_bytes() == damaged and (folder / "audit.log").read_bytes() == log  # nothing written


def test_a_command_that_reaches_a_damaged_page_says_so_in_one_line(sites: tuple[Scene, Path], tmp_path: Path) -> None:
    scene, _other = sites
    folder = tmp_path / "applications"
    shutil.copytree(scene.folder("applications"), folder)
    database = folder / "workstation.sqlite"
    overwrite_the_middle(database)
    with sqlite3.connect(database) as connection:
        [root] = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'applications'").fetchone()
    connection.close()
    data = bytearray(database.read_bytes())
    data[(root - 1) * 4096:root * 4096] = bytes(4096 * [0xA5])  # the applications table's own page
    database.write_bytes(bytes(data))
    from arm_applications.cli import build

    listed = run_cli(build(), ["applications", "list", "--data-dir", str(folder)])
    assert listed.code == 1 and "is damaged; restore the folder from its copy" in one_line(listed)
    assert database.read_bytes() == bytes(data)


# --- packages: truncated, another site's, taken twice --------------------------------------------------------


@pytest.mark.parametrize("role", WORKSTATIONS)
def test_every_workstation_refuses_a_truncated_or_another_sites_package_and_takes_one_only_once(
        sites: tuple[Scene, Path], role: str) -> None:
    scene, _other = sites
    good = nct_sends(scene, f"017/{role}", f"good-{role}")
    others = nct_sends(scene, "018/applications", f"other-{role}")
    database, log = scene.folder(role) / "workstation.sqlite", scene.folder(role) / "audit.log"
    before = snapshot(database, log)
    messages = {}
    for case, package in (("truncated", cut(good)), ("another site's", others)):
        refused = scene.ws(role, "package", "open", str(package))
        assert refused.code == 1, (case, refused.out)
        messages[case] = one_line(refused)
        assert snapshot(database, log) == before, case
    assert "truncated or altered" in messages["truncated"]
    assert "another site or workstation" in messages["another site's"]
    assert scene.ws(role, "package", "open", str(good)).code == 0
    taken = snapshot(database, log)
    again = scene.ws(role, "package", "open", str(good))
    assert again.code == 0 and "already taken" in again.out and again.err == ""
    assert snapshot(database, log) == taken  # the replay changes nothing


def test_nct_refuses_a_truncated_or_misaddressed_package_and_imports_one_only_once(sites: tuple[Scene, Path]) -> None:
    scene, _other = sites
    payload = scene.out / "daily.json"
    payload.write_text(json.dumps({"date": "2027-03-01", "applications": 412}), encoding="utf-8")

    def send(to: str) -> Path:
        sent = scene.ws("applications", "package", "send", "--kind", "daily-statistics", "--to", to, "--payload",
                        str(payload), "--json")
        assert sent.code == 0, sent.err
        return Path(sent.json()["path"])

    good = send("nct")
    misaddressed = nct_sends(scene, "018/applications", "nct-other")  # another site's package, not for НЦТ
    database, log = scene.nct_dir / "nct.sqlite", scene.nct_dir / "audit.log"
    before = snapshot(database, log)
    messages = {}
    for case, package in (("truncated", cut(good)), ("misaddressed", misaddressed)):
        refused = scene.nct("import", str(package))
        assert refused.code == 1, (case, refused.out)
        messages[case] = one_line(refused)
        assert snapshot(database, log) == before, case
    assert len(set(messages.values())) == 2
    assert "truncated or altered" in messages["truncated"]
    assert scene.nct("import", str(good)).code == 0
    taken = snapshot(database, log)
    again = scene.nct("import", str(good))
    assert again.code == 0 and "already" in again.out, again.out + again.err
    assert snapshot(database, log) == taken


# --- a photo that is not a sheet --------------------------------------------------------------------------------


def test_the_scanner_check_judges_a_photo_no_control_set(tmp_path: Path) -> None:
    from arm_scanner_check.cli import build

    folder, scans = tmp_path / "scanner-check", tmp_path / "capture"
    assert run_cli(build(), ["init", "--data-dir", str(folder)]).code == 0
    assert run_cli(build(), ["print-set", "--data-dir", str(folder)]).code == 0
    photo(scans / "IMG_0001.jpg")
    checked = run_cli(build(), ["check", "--from", str(scans), "--model", "Canon DR-G2140", "--json", "--data-dir",
                                str(folder)])
    assert checked.code == 0, checked.err
    data = checked.json()
    assert data["fit"] is False and any("could not be read" in line for line in data["findings"]), data
    fitness = run_cli(build(), ["fitness", "--model", "Canon DR-G2140", "--data-dir", str(folder)])
    assert fitness.code == 1 and "not fit" in one_line(fitness)  # the exam-day scanning will not use it


def test_a_photo_among_the_answer_sheets_is_a_rescan_request_and_no_sheet(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    from arm_programmer.sheets import read_sheets

    scene = opened_stage(tmp_path_factory, tmp_path_factory.mktemp("photo") / "scene")
    with session_of(scene) as session:
        before = [(sheet.sheet_number, sheet.flags) for sheet in read_sheets(session, 1, "01")]
    folder = scene.out / "photo"
    photo(folder / "IMG_0002.jpg")
    scanned = programmer(scene, "scan", "--room", "01", "--pass", "1", "--from", str(folder), "--settle", "0",
                         "--idle", "0.3", "--json")
    assert scanned.code == 0, scanned.err
    [event] = scanned.json()["events"]
    assert event["outcome"] == "rescan" and event["reasons"] == ["located"], event
    with session_of(scene) as session:
        after = [(sheet.sheet_number, sheet.flags) for sheet in read_sheets(session, 1, "01")]
    assert [item for item in after if item[0]] == [item for item in before if item[0]]  # no sheet read or changed


def test_a_photo_among_the_application_forms_is_a_rescan_request(tmp_path: Path) -> None:
    """The loop ``ent-applications scan`` runs, with the application form's layout: the photo is kept as a rescan
    request, no form is read from it."""
    from common.scanning.loop import run_scan_loop
    from common.scanning.watched_folder import WatchedFolder
    from forms.registry import get_layout

    kept: list[tuple[str, bool, object]] = []

    class Sink:
        def done(self, page_id: str) -> bool:
            return any(page_id == seen for seen, _rescan, _groups in kept)

        def keep(self, page, image, result, rescan):  # type: ignore[no-untyped-def]
            kept.append((page.page_id, rescan, result.groups.get("ikt")))
            return None

    photo(tmp_path / "in" / "IMG_0003.jpg")
    driver = WatchedFolder(tmp_path / "in", settle_seconds=0, poll_seconds=0.05, idle_timeout=0.3)
    summary = run_scan_loop(driver, get_layout("application"), Sink(), tmp_path / "scans")
    assert [(event.outcome, event.reasons) for event in summary.events] == [("rescan", ("located",))]
    assert [(rescan, ikt) for _page, rescan, ikt in kept] == [(True, None)]
