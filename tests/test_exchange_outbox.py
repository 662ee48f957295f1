"""A package file exists under its name only if its sending committed (``common.exchange.outbox``).

``kill -9`` drills: the real programs die (``ENT_CRASH_AT``) after the package is written but before
the commit, or after the commit but before the rename; the next send cleans up or finishes.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from exchange_support import CODE_LINE, NCT_PASSWORD, Scene, shared_scene
from pdf_support import pdf_text
from sqlalchemy import String, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from common.exchange.outbox import _KEY as OUTBOX_WRITES
from common.exchange.outbox import recover_sent_files, write_after_commit

ROOT = Path(__file__).resolve().parents[1]


def _run(
    module: str, folder: Path, password: str, *args: str, crash: str | None = None, timeout: int = 300
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "ENT_PASSWORD": password, "QT_QPA_PLATFORM": "offscreen"}
    environment.pop("ENT_CRASH_AT", None)
    if crash:
        environment["ENT_CRASH_AT"] = crash
    return subprocess.run([sys.executable, "-m", module, *args, "--data-dir", str(folder), "--lang", "en"],
                          cwd=ROOT, env=environment, capture_output=True, text=True, timeout=timeout, check=False)


@pytest.fixture(name="scene")
def scene_fixture(tmp_path: Path) -> Scene:
    return shared_scene(tmp_path / "scene")


def _names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def test_a_workstation_crash_before_the_commit_leaves_no_package_and_no_reused_number(
    scene: Scene, tmp_path: Path
) -> None:
    payload = tmp_path / "payload.json"
    payload.write_text(json.dumps({"rows": []}), encoding="utf-8")
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    send = ("package", "send", "--kind", "reports", "--to", "nct", "--payload", str(payload), "--out", str(outbox))
    folder, password = scene.folder("applications"), scene.passwords["applications"]
    crashed = _run("arm_applications", folder, password, *send, crash="exchange.outbox.before_commit")
    assert crashed.returncode == 137, crashed.stderr
    name = "017-applications_to_nct_reports_0001.entpkg"
    assert _names(outbox) == [name + ".pending"]  # never under a name a reader takes

    sent = _run("arm_applications", folder, password, *send)
    assert sent.returncode == 0, sent.stderr
    assert _names(outbox) == [name]  # the orphan is gone; number 1 was never committed, so it is free
    opened = scene.nct("import", str(outbox / name))
    assert opened.code == 0, opened.err
    assert scene.ws("applications", "audit", "verify", password=False).code == 0


def test_a_workstation_crash_after_the_commit_is_finished_by_the_next_send(scene: Scene, tmp_path: Path) -> None:
    payload = tmp_path / "payload.json"
    payload.write_text(json.dumps({"rows": []}), encoding="utf-8")
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    send = ("package", "send", "--kind", "reports", "--to", "nct", "--payload", str(payload), "--out", str(outbox))
    folder, password = scene.folder("applications"), scene.passwords["applications"]
    crashed = _run("arm_applications", folder, password, *send, crash="exchange.outbox.after_commit")
    assert crashed.returncode == 137, crashed.stderr
    assert _names(outbox) == ["017-applications_to_nct_reports_0001.entpkg.pending"]
    assert _run("arm_applications", folder, password, *send).returncode == 0
    assert _names(outbox) == ["017-applications_to_nct_reports_0001.entpkg",
                              "017-applications_to_nct_reports_0002.entpkg"]
    for number in ("0001", "0002"):
        path = outbox / f"017-applications_to_nct_reports_{number}.entpkg"
        opened = scene.nct("import", str(path))
        assert opened.code == 0, opened.err


def _nct_send_to_site(tmp_path: Path) -> tuple[Path, tuple[str, ...]]:
    """A folder for НЦТ's package to the site's applications workstation, and the ``package send`` that writes it."""
    payload = tmp_path / "payload.json"
    payload.write_text(json.dumps({"rows": []}), encoding="utf-8")
    out = tmp_path / "to-site"
    out.mkdir()
    return out, ("package", "send", "--kind", "test-message", "--to", "017/applications", "--payload", str(payload),
                 "--out", str(out))


def test_an_nct_crash_before_the_commit_leaves_no_package(scene: Scene, tmp_path: Path) -> None:
    out, send = _nct_send_to_site(tmp_path)
    crashed = _run("nct_hub.cli", scene.nct_dir, NCT_PASSWORD, *send, crash="exchange.outbox.before_commit")
    assert crashed.returncode == 137, crashed.stderr
    [orphan] = _names(out)
    assert orphan.endswith(".entpkg.pending")
    assert _run("nct_hub.cli", scene.nct_dir, NCT_PASSWORD, *send).returncode == 0
    assert _names(out) == [orphan.removesuffix(".pending")]
    opened = scene.ws("applications", "package", "open", str(out / orphan.removesuffix(".pending")))
    assert opened.code == 0, opened.err
    verified = scene.nct("audit", "verify")
    assert verified.code == 0, verified.out + verified.err


def test_an_nct_crash_after_the_commit_is_finished_by_the_next_send(scene: Scene, tmp_path: Path) -> None:
    """НЦТ and the workstations recover their outboxes with one function (``common.exchange.outbox``)."""
    out, send = _nct_send_to_site(tmp_path)
    crashed = _run("nct_hub.cli", scene.nct_dir, NCT_PASSWORD, *send, crash="exchange.outbox.after_commit")
    assert crashed.returncode == 137, crashed.stderr
    [committed] = _names(out)
    assert committed.endswith("_0001.entpkg.pending")
    assert _run("nct_hub.cli", scene.nct_dir, NCT_PASSWORD, *send).returncode == 0
    first = committed.removesuffix(".pending")
    assert _names(out) == [first, first.replace("_0001", "_0002")]  # finished under its name, the next after it
    for name in _names(out):
        opened = scene.ws("applications", "package", "open", str(out / name))
        assert opened.code == 0, opened.err


def test_an_enrolment_killed_after_its_commit_gets_its_package_and_its_sheet_at_the_next_one(
        scene: Scene, tmp_path: Path) -> None:
    """The password sheet is written with its package (both under their names only once the commit is): a kill in
    between leaves both ``.pending``, and the next enrolment into that folder finishes both."""
    out = tmp_path / "enrolments"
    out.mkdir()

    def make(role: str, crash: str | None = None) -> subprocess.CompletedProcess[str]:
        return _run("nct_hub.cli", scene.nct_dir, NCT_PASSWORD, "enrolment", "make", "--site", "017", "--role", role,
                    "--out", str(out / f"{role}.entpkg"), crash=crash)

    crashed = make("certificate", crash="exchange.outbox.after_commit")
    assert crashed.returncode == 137, crashed.stderr
    assert _names(out) == ["certificate.entpkg.pending", "certificate.pdf.pending"]
    assert make("scanner-check").returncode == 0
    assert _names(out) == ["certificate.entpkg", "certificate.pdf", "scanner-check.entpkg", "scanner-check.pdf"]


# --- the password sheet written elsewhere than beside its package (``--sheet``) -----------------------------------

def _make(scene: Scene, role: str, out: Path, sheet: Path | None = None, crash: str | None = None
          ) -> subprocess.CompletedProcess[str]:
    more = ("--sheet", str(sheet)) if sheet else ()
    made = _run("nct_hub.cli", scene.nct_dir, NCT_PASSWORD, "enrolment", "make", "--site", "017", "--role", role,
                "--out", str(out), *more, crash=crash)
    assert made.returncode == (137 if crash else 0), made.stderr
    return made


def _taken(folder: Path) -> list[str]:
    """What a person or a reader takes in ``folder``: no ``.pending`` file, nothing recovery keeps for itself."""
    return [name for name in _names(folder) if name.endswith((".entpkg", ".pdf"))]


def _enrols_with_its_sheet(scene: Scene, role: str, package: Path, sheet: Path) -> None:
    """The sheet's password opens the package: the workstation is enrolled with them."""
    [password] = CODE_LINE.findall(pdf_text(sheet))
    scene.passwords[role] = password
    assert scene.ws(role, "init", password=False).code == 0
    enrolled = scene.ws(role, "enrol", "--package", str(package))
    assert enrolled.code == 0, enrolled.err


def test_an_enrolment_killed_after_its_commit_gets_its_sheet_in_another_folder_at_the_next_one(
        scene: Scene, tmp_path: Path) -> None:
    """``--sheet`` outside the package's folder: the kill between the commit and the renames used to leave the sheet
    ``.pending`` for ever (recovery looked only beside the package); the next enrolment now finishes it there."""
    out, sheets = tmp_path / "enrolments", tmp_path / "sheets"
    out.mkdir()
    sheets.mkdir()
    sheet = sheets / "пароль-017-certificate.pdf"
    _make(scene, "certificate", out / "certificate.entpkg", sheet, crash="exchange.outbox.after_commit")
    assert _taken(out) == [] and _names(sheets) == [sheet.name + ".pending"]
    _make(scene, "scanner-check", out / "scanner-check.entpkg")
    assert _names(out) == ["certificate.entpkg", "scanner-check.entpkg", "scanner-check.pdf"]
    assert _names(sheets) == [sheet.name]
    _enrols_with_its_sheet(scene, "certificate", out / "certificate.entpkg", sheet)


def test_an_enrolment_killed_after_its_commit_keeps_its_sheet_named_otherwise_beside_its_package(
        scene: Scene, tmp_path: Path) -> None:
    """The sheet in the package's folder under another name used to be deleted by the next enrolment's recovery as an
    orphan (its name is no package's): the workstation's password was lost. It is finished now."""
    out = tmp_path / "enrolments"
    out.mkdir()
    _make(scene, "certificate", out / "certificate.entpkg", out / "passwords.pdf", crash="exchange.outbox.after_commit")
    assert _taken(out) == []
    _make(scene, "scanner-check", out / "scanner-check.entpkg")
    assert _names(out) == ["certificate.entpkg", "passwords.pdf", "scanner-check.entpkg", "scanner-check.pdf"]
    _enrols_with_its_sheet(scene, "certificate", out / "certificate.entpkg", out / "passwords.pdf")


def test_an_enrolment_killed_before_its_commit_leaves_no_sheet_in_another_folder_once_the_next_one_ran(
        scene: Scene, tmp_path: Path) -> None:
    """Killed with both files written but nothing committed: the next enrolment removes the package and its sheet,
    wherever the sheet is (its password opens nothing)."""
    out, sheets = tmp_path / "enrolments", tmp_path / "sheets"
    out.mkdir()
    sheets.mkdir()
    _make(scene, "certificate", out / "certificate.entpkg", sheets / "certificate.pdf",
          crash="nct.enrolment.before_commit")
    assert _taken(out) == [] and _names(sheets) == ["certificate.pdf.pending"]
    _make(scene, "scanner-check", out / "scanner-check.entpkg")
    assert _names(out) == ["scanner-check.entpkg", "scanner-check.pdf"]
    assert _names(sheets) == []


def test_an_enrolments_recovery_touches_no_file_that_is_not_its_own(scene: Scene, tmp_path: Path) -> None:
    """Recovery in a folder used to delete every ``.pending`` file it could not name as a package: another enrolment's
    sheet put there (its package elsewhere), or a file of someone else. It leaves them now; the other enrolment's
    sheet is finished when recovery runs where its package is."""
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    someone_elses = second / "draft.pdf.pending"
    someone_elses.write_bytes(b"not ours")
    sheet = second / "certificate-sheet.pdf"
    _make(scene, "certificate", first / "certificate.entpkg", sheet, crash="exchange.outbox.after_commit")
    _make(scene, "scanner-check", second / "scanner-check.entpkg")
    assert _names(second) == ["certificate-sheet.pdf.pending", "draft.pdf.pending", "scanner-check.entpkg",
                              "scanner-check.pdf"]
    _make(scene, "base-ppent", first / "base-ppent.entpkg")
    assert _names(first) == ["base-ppent.entpkg", "base-ppent.pdf", "certificate.entpkg"]
    assert _names(second) == ["certificate-sheet.pdf", "draft.pdf.pending", "scanner-check.entpkg",
                              "scanner-check.pdf"]
    assert someone_elses.read_bytes() == b"not ours"
    _enrols_with_its_sheet(scene, "certificate", first / "certificate.entpkg", sheet)


def test_an_enrolment_whose_sheet_would_be_its_package_is_refused(scene: Scene, tmp_path: Path) -> None:
    """``--out x.pdf`` (the default sheet is ``x.pdf`` too) or ``--sheet`` naming the package: the command used to
    wait for ever (the sheet's write waited for the package's lock, held by the same command). Refused now."""
    for out, sheet in ((tmp_path / "enrol.pdf", None), (tmp_path / "enrol.entpkg", tmp_path / "enrol.entpkg")):
        more = ("--sheet", str(sheet)) if sheet else ()
        made = _run("nct_hub.cli", scene.nct_dir, NCT_PASSWORD, "enrolment", "make", "--site", "017", "--role",
                    "certificate", "--out", str(out), *more, timeout=60)
        assert made.returncode == 1
        assert made.stderr.strip().splitlines() == [
            f"ent-nct: The password sheet would overwrite its enrolment package ({out}): give the package a name "
            "ending in .entpkg, or the sheet another name."]
        assert _names(tmp_path) == ["scene"]  # nothing written
    assert _make(scene, "certificate", tmp_path / "enrol.entpkg").returncode == 0  # named right, it is made


# --- the record of a package's companions, in one process -----------------------------------------------------------

class _Base(DeclarativeBase):
    pass


class _Sent(_Base):
    __tablename__ = "sent"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(300))
    file_sha256: Mapped[str | None] = mapped_column(String(64))


def _session() -> Session:
    engine = create_engine("sqlite://")
    _Base.metadata.create_all(engine)
    session = Session(engine)
    session.execute(select(1))  # the transaction begins: its commit and rollback finish the files
    return session


def _write_with_sheet(session: Session, package: Path, sheet: Path, data: bytes = b"package") -> None:
    session.add(_Sent(file_name=package.name, file_sha256=hashlib.sha256(data).hexdigest()))
    session.flush()
    write_after_commit(session, package, data)
    write_after_commit(session, sheet, b"sheet", follows=package)


def test_a_sheet_elsewhere_is_under_its_name_at_the_commit_and_gone_at_a_rollback(tmp_path: Path) -> None:
    out, sheets = tmp_path / "out", tmp_path / "sheets"
    session = _session()
    _write_with_sheet(session, out / "kept.entpkg", sheets / "kept.pdf")
    assert _names(out) == ["kept.entpkg.companions", "kept.entpkg.pending"]  # the sheet's path is recorded first
    session.commit()
    assert _names(out) == ["kept.entpkg"] and _names(sheets) == ["kept.pdf"]  # the record goes with the commit
    assert (sheets / "kept.pdf").read_bytes() == b"sheet"
    session = _session()
    _write_with_sheet(session, out / "dropped.entpkg", sheets / "dropped.pdf")
    session.rollback()
    assert _names(out) == ["kept.entpkg"] and _names(sheets) == ["kept.pdf"]


def test_recovery_leaves_the_sheet_of_an_enrolment_still_being_written(tmp_path: Path) -> None:
    """Another process's recovery finds the package still locked by its transaction: nothing is touched."""
    out, sheets = tmp_path / "out", tmp_path / "sheets"
    writing, recovering = _session(), _session()
    _write_with_sheet(writing, out / "p.entpkg", sheets / "s.pdf")
    assert recover_sent_files(recovering, out, _Sent) == []
    assert _names(out) == ["p.entpkg.companions", "p.entpkg.pending"] and _names(sheets) == ["s.pdf.pending"]
    writing.commit()
    assert _names(out) == ["p.entpkg"] and _names(sheets) == ["s.pdf"]


def test_a_record_cut_short_by_a_crash_names_no_file(tmp_path: Path) -> None:
    """The kill came while the sheet's path ``out/s.pdf`` was being recorded (before the sheet was written): a line
    without its end is no path — here it would name ``out/s``, someone else's file, which is not touched."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "s.pending").write_bytes(b"someone else's")
    (out / "p.entpkg.pending").write_bytes(b"package")
    (out / "p.entpkg.companions").write_text(json.dumps(str(out / "s")), encoding="utf-8")
    assert recover_sent_files(_session(), out, _Sent) == []
    assert _names(out) == ["s.pending"]


# --- a name made twice: recovery tells this file's record from an earlier package's of the same name ---------------

def test_an_enrolment_killed_before_its_commit_under_a_name_already_sent_leaves_the_committed_one(
        scene: Scene, tmp_path: Path) -> None:
    """``enrol.entpkg`` made for one workstation (committed), then another ``enrol.entpkg`` into the same folder,
    killed before its commit. Recovery used to find "enrol.entpkg" among the packages sent (the first one's row) and
    rename the uncommitted package and its sheet over the committed ones: a key no record names was delivered and the
    first workstation's package and password were lost. The leftovers are removed now; the first pair is kept."""
    out = tmp_path / "enrolments"
    out.mkdir()
    package, sheet = out / "enrol.entpkg", out / "enrol.pdf"
    _make(scene, "certificate", package)
    first = package.read_bytes(), sheet.read_bytes()
    _make(scene, "scanner-check", package, crash="nct.enrolment.before_commit")
    assert _names(out) == ["enrol.entpkg", "enrol.entpkg.pending", "enrol.pdf", "enrol.pdf.pending"]
    _make(scene, "base-ppent", out / "base-ppent.entpkg")
    assert _names(out) == ["base-ppent.entpkg", "base-ppent.pdf", "enrol.entpkg", "enrol.pdf"]
    assert (package.read_bytes(), sheet.read_bytes()) == first
    _enrols_with_its_sheet(scene, "certificate", package, sheet)


def test_an_enrolment_killed_after_its_commit_under_a_name_already_sent_replaces_the_earlier_one(
        scene: Scene, tmp_path: Path) -> None:
    """The same name made twice, the second killed after its commit: the second pair is finished over the first, as
    an uninterrupted enrolment would have done (its own row, not the first one's, says it was committed)."""
    out = tmp_path / "enrolments"
    out.mkdir()
    package, sheet = out / "enrol.entpkg", out / "enrol.pdf"
    _make(scene, "certificate", package)
    _make(scene, "scanner-check", package, crash="exchange.outbox.after_commit")
    second = (out / "enrol.entpkg.pending").read_bytes(), (out / "enrol.pdf.pending").read_bytes()
    _make(scene, "base-ppent", out / "base-ppent.entpkg")
    assert _names(out) == ["base-ppent.entpkg", "base-ppent.pdf", "enrol.entpkg", "enrol.pdf"]
    assert (package.read_bytes(), sheet.read_bytes()) == second
    _enrols_with_its_sheet(scene, "scanner-check", package, sheet)


def test_a_workstation_package_killed_before_its_commit_is_not_delivered_once_its_number_went_elsewhere(
        scene: Scene, tmp_path: Path) -> None:
    """A workstation can make one name twice: killed before its commit into one folder, its number 1 is free, and the
    next send (into another folder) commits number 1 under the same name. A later send into the first folder used to
    rename the uncommitted leftover there into place: a second "number 1" that НЦТ refuses after the real one (or
    takes instead of it). It is removed now."""
    payload = tmp_path / "payload.json"
    payload.write_text(json.dumps({"rows": []}), encoding="utf-8")
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()

    def send(outbox: Path, crash: str | None = None) -> None:
        sent = _run("arm_applications", scene.folder("applications"), scene.passwords["applications"], "package",
                    "send", "--kind", "reports", "--to", "nct", "--payload", str(payload), "--out", str(outbox),
                    crash=crash)
        assert sent.returncode == (137 if crash else 0), sent.stderr

    name = "017-applications_to_nct_reports_{:04d}.entpkg"
    send(first, crash="exchange.outbox.before_commit")
    send(second)
    assert _names(first) == [name.format(1) + ".pending"] and _names(second) == [name.format(1)]
    send(first)
    assert _names(first) == [name.format(2)]
    for path in (second / name.format(1), first / name.format(2)):
        opened = scene.nct("import", str(path))
        assert opened.code == 0, opened.err


def test_an_nct_package_killed_before_its_commit_is_not_delivered_once_its_number_went_elsewhere(
        scene: Scene, tmp_path: Path) -> None:
    """НЦТ's packages too: number 1 freed by the kill goes, under the same name, to a package sent into another
    folder; the leftover in the first folder is removed by the next send there, not renamed into place."""
    first, send = _nct_send_to_site(tmp_path)
    second = tmp_path / "elsewhere"
    second.mkdir()
    elsewhere = (*send[:-1], str(second))
    assert _run("nct_hub.cli", scene.nct_dir, NCT_PASSWORD, *send, crash="exchange.outbox.before_commit"
                ).returncode == 137
    assert _run("nct_hub.cli", scene.nct_dir, NCT_PASSWORD, *elsewhere).returncode == 0
    [orphan] = _names(first)
    assert _names(second) == [orphan.removesuffix(".pending")]
    assert _run("nct_hub.cli", scene.nct_dir, NCT_PASSWORD, *send).returncode == 0
    assert _names(first) == [orphan.removesuffix(".pending").replace("_0001", "_0002")]


# --- a name made twice, in one process --------------------------------------------------------------------------

def _database(tmp_path: Path) -> Callable[[], Session]:
    """Sessions on one database file (several processes' transactions, as the programs have)."""
    engine = create_engine(f"sqlite:///{tmp_path / 'sent.sqlite'}")
    _Base.metadata.create_all(engine)

    def begun() -> Session:
        session = Session(engine)
        session.execute(select(1))
        return session

    return begun


def _killed(session: Session, *, committed: bool) -> None:
    """What ``kill -9`` leaves before the commit, or between the commit and the renames: the files written
    ``.pending``, their locks released, the transaction rolled back or committed."""
    writes = session.info.pop(OUTBOX_WRITES)
    for item in writes.files:
        item.handle.close()
    if committed:
        session.commit()
    else:
        session.rollback()


@pytest.mark.parametrize("committed", [False, True])
def test_a_sheet_elsewhere_follows_its_own_package_not_an_earlier_one_of_the_same_name(
        tmp_path: Path, committed: bool) -> None:
    """The second ``enrol.entpkg`` with its sheet in another folder, killed before its commit: its package and its
    sheet are removed, the first ones kept (recovery used to rename both, the first package lost). Killed after its
    commit: both are finished."""
    out, sheets = tmp_path / "out", tmp_path / "sheets"
    database = _database(tmp_path)
    session = database()
    _write_with_sheet(session, out / "enrol.entpkg", sheets / "first.pdf", b"first")
    session.commit()
    session = database()
    _write_with_sheet(session, out / "enrol.entpkg", sheets / "second.pdf", b"second")
    _killed(session, committed=committed)
    assert _names(out) == ["enrol.entpkg", "enrol.entpkg.companions", "enrol.entpkg.pending"]
    assert _names(sheets) == ["first.pdf", "second.pdf.pending"]
    finished = recover_sent_files(database(), out, _Sent)
    assert _names(out) == ["enrol.entpkg"]
    assert (out / "enrol.entpkg").read_bytes() == (b"second" if committed else b"first")
    assert _names(sheets) == (["first.pdf", "second.pdf"] if committed else ["first.pdf"])
    assert sorted(finished) == (["enrol.entpkg", "second.pdf"] if committed else [])


def test_a_sheet_beside_its_package_that_cannot_be_renamed_keeps_its_package_pending_for_recovery(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A companion beside its package is decided with the package's ``.pending`` file: when the sheet cannot be
    renamed at the commit, the package stays ``.pending`` too, and the next recovery finishes both (had the package
    gone into place alone, nothing would tell whose the sheet left ``.pending`` is)."""
    out = tmp_path / "out"
    database = _database(tmp_path)
    session = database()
    _write_with_sheet(session, out / "p.entpkg", out / "p.pdf")
    replace = os.replace

    def read_only_for_the_sheet(source: str | Path, target: str | Path) -> None:
        if Path(source).name == "p.pdf.pending":
            raise PermissionError(13, "Permission denied")
        replace(source, target)

    monkeypatch.setattr(os, "replace", read_only_for_the_sheet)
    session.commit()
    monkeypatch.undo()
    assert _names(out) == ["p.entpkg.pending", "p.pdf.pending"]
    assert sorted(recover_sent_files(database(), out, _Sent)) == ["p.entpkg", "p.pdf"]
    assert _names(out) == ["p.entpkg", "p.pdf"]


def test_a_package_whose_name_was_sent_before_digests_were_recorded_is_left_pending(tmp_path: Path) -> None:
    """A row made before revision 0014 (НЦТ's 0011) keeps no digest: it may record this file or an earlier one of
    its name. Recovery neither delivers nor deletes it; a name no row has is removed as before."""
    out = tmp_path / "out"
    out.mkdir()
    database = _database(tmp_path)
    session = database()
    session.add(_Sent(file_name="old.entpkg", file_sha256=None))
    session.commit()
    (out / "old.entpkg").write_bytes(b"sent before")
    (out / "old.entpkg.pending").write_bytes(b"which one?")
    (out / "old.pdf.pending").write_bytes(b"its sheet")
    (out / "never.entpkg.pending").write_bytes(b"no row")
    assert recover_sent_files(database(), out, _Sent) == []
    assert _names(out) == ["old.entpkg", "old.entpkg.pending", "old.pdf.pending"]
    assert (out / "old.entpkg").read_bytes() == b"sent before"
