"""Issue 12 from НЦТ's side: the scanner-check workstation sends every check it made; ``ent-nct
import`` files them per site and scanner, and НЦТ knows whether each scanner's last check is fit."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from exchange_support import Run, Scene, make_scene, run_cli

from arm_scanner_check.cli import build
from nct_hub.db.engine import open_engine, transaction
from nct_hub.scanner_checks import last_checks, scanner_fit

MODEL = ["--model", "Fujitsu fi-7160", "--serial", "A17-0042"]


def ws(scene: Scene, *args: str, password: bool = False) -> Run:
    secrets = {"ENT_PASSWORD": scene.passwords["scanner-check"]} if password else {}
    run = run_cli(build(), [*args, "--data-dir", str(scene.folder("scanner-check"))], **secrets)
    assert run.code == 0, run.out + run.err
    return run


def send_and_import(scene: Scene) -> Run:
    ws(scene, "send", password=True)
    package = sorted((scene.folder("scanner-check") / "outbox").glob("*.entpkg"))[-1]
    imported = scene.nct("import", str(package))
    assert imported.code == 0, imported.err
    return imported


def test_nct_files_the_checks_per_site_and_scanner_and_knows_the_last_verdict(tmp_path: Path) -> None:
    scene = make_scene(tmp_path / "scene", roles=("scanner-check",))
    # НЦТ sends this exam's test specification: the control set is printed from it
    spec = Path(__file__).resolve().parent.parent / "common" / "testspec" / "examples" / "kt.json"
    sent = scene.nct("package", "send", "--kind", "test-specification", "--to", "017/scanner-check",
                     "--payload", str(spec), "--out", str(scene.out), "--json")  # fmt: skip
    assert sent.code == 0, sent.err
    ws(scene, "package", "open", sent.json()["path"], password=True)
    printed = ws(scene, "print-set", "--json").json()
    assert (printed["spec_code"], printed["spec_source"]) == ("kt", "from NTC")
    ws(scene, "check", "--scanner", "simulated", *MODEL)
    ws(scene, "report", "--language", "kk")
    imported = send_and_import(scene)
    assert "Scanner check report of site 017, number 1, imported (checks 1, fit 1, not_fit 0)" in imported.out
    listed = scene.nct("scanners", "--site", "017")
    assert "017  Fujitsu fi-7160 A17-0042: fit" in listed.out

    # the scanner is checked again and found not fit; another scanner never was: НЦТ knows both
    ws(scene, "check", "--scanner", "simulated", *MODEL, "--fault", "skew=5")
    ws(scene, "check", "--scanner", "simulated", "--model", "Canon DR-G2140", "--dpi", "150")
    imported = send_and_import(scene)
    assert "(checks 3, fit 1, not_fit 2)" in imported.out
    listed = scene.nct("scanners", "--json")
    statuses = {(row["model"], row["serial"]): row for row in listed.json()}
    assert statuses[("Fujitsu fi-7160", "A17-0042")]["fit"] is False
    assert statuses[("Fujitsu fi-7160", "A17-0042")]["checks"] == 2
    assert any("5.0°" in line for line in statuses[("Fujitsu fi-7160", "A17-0042")]["findings"])
    assert statuses[("Canon DR-G2140", "")]["fit"] is False
    assert all(datetime.fromisoformat(row["checked_at"]).tzinfo is not None for row in statuses.values())
    engine = open_engine(f"sqlite:///{scene.nct_dir / 'nct.sqlite'}")
    try:
        with transaction(engine) as session:
            assert not scanner_fit(session, "017", "Fujitsu fi-7160", "A17-0042")
            assert len(last_checks(session, "017")) == 2
            assert last_checks(session, "018") == []
    finally:
        engine.dispose()
