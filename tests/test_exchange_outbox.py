"""A package file exists under its name only if its sending committed (``common.exchange.outbox``).

``kill -9`` drills: the real programs die (``ENT_CRASH_AT``) after the package is written but before
the commit, or after the commit but before the rename; the next send cleans up or finishes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from exchange_support import NCT_PASSWORD, Scene, shared_scene

ROOT = Path(__file__).resolve().parents[1]


def _run(
    module: str, folder: Path, password: str, *args: str, crash: str | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "ENT_PASSWORD": password, "QT_QPA_PLATFORM": "offscreen"}
    environment.pop("ENT_CRASH_AT", None)
    if crash:
        environment["ENT_CRASH_AT"] = crash
    return subprocess.run([sys.executable, "-m", module, *args, "--data-dir", str(folder), "--lang", "en"],
                          cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300, check=False)


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
