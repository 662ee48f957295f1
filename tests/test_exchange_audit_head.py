"""A rewritten audit tail on a workstation is caught against the head НЦТ received in its packages."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from exchange_support import Scene, shared_scene

from common.exchange.audit_head import check_audit_head
from common.exchange.manifest import AuditHead
from common.i18n import set_language
from common.security.audit import entry_hash


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


@pytest.fixture(scope="module")
def reported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Scene, AuditHead]:
    """The applications workstation sent НЦТ a package; НЦТ took it and keeps its audit head."""
    scene = shared_scene(tmp_path_factory.mktemp("audit-head") / "scene")
    payload = scene.out / "stats.json"
    payload.write_text('{"applications": 5}', encoding="utf-8")
    sent = scene.ws(
        "applications",
        "package",
        "send",
        "--kind",
        "daily-statistics",
        "--to",
        "nct",
        "--payload",
        str(payload),
        "--json",
    )
    assert sent.code == 0, sent.err
    assert scene.nct("import", sent.json()["path"]).code == 0
    [head] = scene.nct("audit", "heads", "--json").json()["heads"]
    # Work goes on after the package: more entries follow the head НЦТ holds.
    assert (
        scene.ws(
            "applications",
            "password",
            "check",
            "--purpose",
            "close-applications",
            password=False,
            ENT_CODE="0000-0000-0000-0",
        ).code
        == 1
    )
    return scene, AuditHead(head["entries"], head["digest"])


def rewrite(folder: Path, keep: int, change_from: int | None) -> None:
    """What someone with the files could do: change entries from ``change_from`` on (or cut the log
    after ``keep`` entries), recompute every later hash and move the database's head to match."""
    log = folder / "audit.log"
    entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()][:keep]
    previous = entries[0]["prev"]
    for entry in entries:
        if change_from is not None and entry["seq"] >= change_from:
            entry["actor"] = "someone-else"
        entry["prev"] = previous
        body = {key: value for key, value in entry.items() if key != "hash"}
        entry["hash"] = previous = entry_hash(body)
    log.write_text(
        "".join(json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n" for entry in entries),
        encoding="utf-8",
    )
    with sqlite3.connect(folder / "workstation.sqlite") as connection:
        connection.execute(
            "UPDATE audit_head SET seq = ?, hash = ?, last_lines = '', last_offset = 0",
            (entries[-1]["seq"], entries[-1]["hash"]),
        )


def check_head(scene: Scene, head: AuditHead) -> tuple[int, str]:
    result = scene.ws(
        "applications", "audit", "check-head", "--entries", str(head.entries), "--digest", head.digest, password=False
    )
    return result.code, result.out + result.err


def test_an_untouched_log_holds_the_head_nct_received(reported: tuple[Scene, AuditHead], tmp_path: Path) -> None:
    scene, head = reported
    copy = scene.copy(tmp_path / "scene")
    code, text = check_head(copy, head)
    assert code == 0 and f"{head.entries} entries" in text
    log = (copy.folder("applications") / "audit.log").read_text(encoding="utf-8").splitlines()
    assert len(log) > head.entries  # the head is not simply the end of the log


def test_a_rewritten_tail_passes_the_local_check_but_not_the_head_nct_received(
    reported: tuple[Scene, AuditHead], tmp_path: Path
) -> None:
    scene, head = reported
    copy = scene.copy(tmp_path / "scene")
    folder = copy.folder("applications")
    total = len((folder / "audit.log").read_text(encoding="utf-8").splitlines())
    rewrite(folder, keep=total, change_from=head.entries - 1)
    local = copy.ws("applications", "audit", "verify", password=False)
    assert local.code == 0, local.out  # consistent with itself: the local check cannot see it
    code, text = check_head(copy, head)
    assert code == 1 and f"entry {head.entries} is not the one НЦТ received" in text


def test_a_cut_log_is_caught_too(reported: tuple[Scene, AuditHead], tmp_path: Path) -> None:
    scene, head = reported
    copy = scene.copy(tmp_path / "scene")
    rewrite(copy.folder("applications"), keep=head.entries - 2, change_from=None)
    assert copy.ws("applications", "audit", "verify", password=False).code == 0
    code, text = check_head(copy, head)
    assert code == 1 and "it was cut" in text


def test_the_check_reads_only_the_log(tmp_path: Path) -> None:
    assert check_audit_head(AuditHead(0, "0" * 64), tmp_path / "missing.log").ok
    result = check_audit_head(AuditHead(3, "ab" * 32), tmp_path / "missing.log")
    assert not result.ok and result.entries == 0


@pytest.mark.parametrize(("cut", "verdict"), [(2, "backwards"), (1, "forked")])
def test_a_log_cut_back_and_a_new_send_is_flagged_at_nct_which_keeps_the_older_head(
    reported: tuple[Scene, AuditHead], tmp_path: Path, cut: int, verdict: str
) -> None:
    scene, head = reported
    copy = scene.copy(tmp_path / "scene")
    folder = copy.folder("applications")
    rewrite(folder, keep=head.entries - cut, change_from=None)
    assert copy.ws("applications", "audit", "verify", password=False).code == 0
    payload = copy.out / "stats-2.json"
    payload.write_text('{"applications": 6}', encoding="utf-8")
    sent = copy.ws("applications", "package", "send", "--kind", "daily-statistics", "--to", "nct",
                   "--payload", str(payload), "--json")
    assert sent.code == 0, sent.err
    taken = copy.nct("import", sent.json()["path"])
    assert taken.code == 1 and "number 2, imported" in taken.out
    new_entries = head.entries - cut + 1  # the cut log, and the entry of this sending
    if verdict == "backwards":
        expected = f"went backwards: a later package carries {new_entries} entries, an earlier one {head.entries}"
    else:
        expected = f"forked: its entry {head.entries} is not the one a package taken before carried"
    assert expected in taken.err
    heads = copy.nct("audit", "heads", "--json").json()["heads"]
    assert [(row["entries"], row["verdict"]) for row in heads] == [(head.entries, "first"), (new_entries, verdict)]
    code, _text = check_head(copy, head)  # the older head НЦТ kept still shows the rewrite
    assert code == 1
