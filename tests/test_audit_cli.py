"""``audit verify`` on a real workstation folder: every kind of tampering is caught and named."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from common.cli import CommandLine
from common.db.engine import open_engine, transaction
from common.db.migrate import head_revision
from common.security.audit import AuditEntry, AuditLog, entry_hash
from common.workstation import APPLICATIONS, DataFolder


def _run(*args: str) -> int:
    return CommandLine(APPLICATIONS).run([*args, "--lang", "en"])


@pytest.fixture
def folder(workstation_dir: Path) -> DataFolder:
    """A folder made by ``init`` (entry 1) plus five entries of five later user actions."""
    assert _run("init", "--data-dir", str(workstation_dir)) == 0
    folder = DataFolder(workstation_dir)
    engine = open_engine(folder.database)
    try:
        for n in range(2, 7):
            with transaction(engine) as session:
                AuditLog(folder.audit_log).record(
                    session, actor="expert", action="application.enter", target=str(n), details={"row": n}
                )
    finally:
        engine.dispose()
    return folder


def _verify(folder: DataFolder, capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, str]:
    capsys.readouterr()
    code = CommandLine(APPLICATIONS).run(["audit", "verify", "--data-dir", str(folder.root), *options])
    return code, capsys.readouterr().out.strip()


def _edit(folder: DataFolder, change: Callable[[list[str]], list[str]]) -> None:
    lines = folder.audit_log.read_text(encoding="utf-8").splitlines(keepends=True)
    folder.audit_log.write_text("".join(change(lines)), encoding="utf-8")


def _forged(previous_line: str, action: str) -> str:
    """A line made by someone who knows the format: a valid hash that continues the chain."""
    previous = json.loads(previous_line)
    body = {
        "seq": previous["seq"] + 1,
        "ts": previous["ts"],
        "actor": "intruder",
        "action": action,
        "target": None,
        "details": None,
        "prev": previous["hash"],
    }
    return AuditEntry(**body, hash=entry_hash(body)).line()


def test_intact_log_verifies(folder: DataFolder, capsys: pytest.CaptureFixture[str]) -> None:
    assert _verify(folder, capsys, "--lang", "en") == (0, "OK: 6 entries, chain intact.")
    first = json.loads(folder.audit_log.read_text(encoding="utf-8").splitlines()[0])
    assert (first["action"], first["target"]) == ("workstation.init", "applications")
    assert first["actor"] == "test-operator"


def test_edited_line_is_named(folder: DataFolder, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(folder, lambda lines: [*lines[:2], lines[2].replace('"row":3', '"row":30'), *lines[3:]])
    assert _verify(folder, capsys, "--lang", "en") == (1, "Audit log line 3: entry altered.")


def test_deleted_line_is_named(folder: DataFolder, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(folder, lambda lines: [*lines[:2], *lines[3:]])
    assert _verify(folder, capsys, "--lang", "en") == (1, "Audit log line 3: entry missing before it.")


def test_reordered_lines_are_named(folder: DataFolder, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(folder, lambda lines: [*lines[:2], lines[3], lines[2], *lines[4:]])
    assert _verify(folder, capsys, "--lang", "en") == (1, "Audit log line 3: entries out of order.")


def test_repeated_line_is_named(folder: DataFolder, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(folder, lambda lines: [*lines[:3], lines[2], *lines[3:]])
    code, message = _verify(folder, capsys, "--lang", "en")
    assert (code, message) == (1, "Audit log line 4: entry repeated or out of order.")


def test_line_replaced_with_a_valid_hash_breaks_the_next_link(
    folder: DataFolder, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(folder, lambda lines: [*lines[:2], _forged(lines[1], "nothing happened"), *lines[3:]])
    code, message = _verify(folder, capsys, "--lang", "en")
    assert code == 1
    assert message == "Audit log line 4: does not follow the entry before it, which was replaced."


def test_rewritten_tail_does_not_match_the_database_head(
    folder: DataFolder, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(folder, lambda lines: [*lines[:5], _forged(lines[4], "nothing happened")])
    code, message = _verify(folder, capsys, "--lang", "en")
    assert code == 1
    assert message == (
        "The audit log's end does not match the database's head (rewritten or cut after line 5)."
    )


def test_forged_lines_added_after_the_head_are_caught(
    folder: DataFolder, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(folder, lambda lines: [*lines, _forged(lines[-1], "extra")])
    code, message = _verify(folder, capsys, "--lang", "en")
    assert (code, message) == (
        1,
        "The audit log's end does not match the database's head (rewritten or cut after line 6).",
    )


def test_truncated_tail_is_caught(folder: DataFolder, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(folder, lambda lines: lines[:4])
    code, message = _verify(folder, capsys, "--lang", "en")
    assert (code, message) == (
        1,
        "The audit log's end does not match the database's head (rewritten or cut after line 4).",
    )


def test_line_cut_in_the_middle_is_named(folder: DataFolder, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(folder, lambda lines: [*lines[:3], lines[3][:50]])
    code, message = _verify(folder, capsys, "--lang", "en")
    assert (code, message) == (1, "Audit log line 4: the entry is incomplete, the log was cut inside it.")


def test_malformed_line_is_named(folder: DataFolder, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(folder, lambda lines: [*lines[:2], "{not json at all\n", *lines[3:]])
    assert _verify(folder, capsys, "--lang", "en") == (1, "Audit log line 3: not a valid entry (malformed).")


def test_last_transactions_lines_lost_in_a_crash_are_restored(
    folder: DataFolder, capsys: pytest.CaptureFixture[str]
) -> None:
    whole = folder.audit_log.read_text(encoding="utf-8")
    _edit(folder, lambda lines: lines[:5])  # exactly what the last transaction wrote is missing
    assert _verify(folder, capsys, "--lang", "en") == (0, "OK: 6 entries, chain intact.")
    assert folder.audit_log.read_text(encoding="utf-8") == whole


def test_problem_is_reported_in_the_operators_language(
    folder: DataFolder, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(folder, lambda lines: [*lines[:2], *lines[3:]])
    code, message = _verify(folder, capsys, "--lang", "ru")
    assert code == 1
    assert "3" in message and "missing" not in message
    code, message = _verify(folder, capsys, "--lang", "kk")
    assert code == 1
    assert "3" in message and "missing" not in message


def test_info_shows_the_audit_state(folder: DataFolder, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert _run("info", "--data-dir", str(folder.root), "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["audit_ok"], data["audit_entries"], data["schema_revision"]) == (True, 6, head_revision())
    _edit(folder, lambda lines: [*lines[:2], *lines[3:]])
    assert _run("info", "--data-dir", str(folder.root), "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["audit_ok"], data["audit_problem"]) == (False, "Audit log line 3: entry missing before it.")


def test_verify_json_output(folder: DataFolder, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(folder, lambda lines: [*lines[:2], lines[2].replace("expert", "someone"), *lines[3:]])
    code, output = _verify(folder, capsys, "--lang", "en", "--json")
    assert code == 1
    assert json.loads(output) == {
        "ok": False,
        "entries": 6,
        "line": 3,
        "problem": "Audit log line 3: entry altered.",
    }
