"""The audit log with the database: entries commit with the change, crashes are repaired."""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

import common.security.audit as audit_module
from common.db.engine import open_engine, transaction
from common.db.migrate import upgrade
from common.db.models import AuditHead, Site
from common.security.audit import AuditLog


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "workstation.sqlite"
    engine = open_engine(path)
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture
def engine(template: Path, tmp_path: Path) -> Iterator[Engine]:
    path = tmp_path / "workstation.sqlite"
    path.write_bytes(template.read_bytes())
    engine = open_engine(path)
    yield engine
    engine.dispose()


@pytest.fixture
def log(tmp_path: Path) -> AuditLog:
    return AuditLog(tmp_path / "audit.log")


def _record(engine: Engine, log: AuditLog, *actions: str) -> None:
    with transaction(engine) as session:
        for action in actions:
            log.record(session, actor="expert", action=action, target="42")


def _lines(log: AuditLog) -> list[dict[str, object]]:
    return [json.loads(line) for line in log.path.read_text(encoding="utf-8").splitlines()]


def _verify(engine: Engine, log: AuditLog) -> audit_module.AuditReport:
    with transaction(engine) as session:
        return log.verify(session)


def test_each_line_is_chained_by_the_documented_recipe(engine: Engine, log: AuditLog) -> None:
    with transaction(engine) as session:
        log.record(session, actor="expert", action="school.add", target="0042", details={"bin_set": True})
    _record(engine, log, "room.add")
    lines = _lines(log)
    previous = "0" * 64
    for seq, line in enumerate(lines, start=1):
        body = {key: value for key, value in line.items() if key != "hash"}
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert line["hash"] == hashlib.sha256(canonical.encode("utf-8")).hexdigest()
        assert (line["seq"], line["prev"]) == (seq, previous)
        assert str(line["ts"]).endswith("+00:00")
        previous = str(line["hash"])
    assert lines[0]["details"] == {"bin_set": True}
    with transaction(engine) as session:
        assert log.head(session) == (2, previous)


def test_a_rolled_back_change_leaves_no_line_and_keeps_the_head(engine: Engine, log: AuditLog) -> None:
    _record(engine, log, "first")
    with pytest.raises(RuntimeError), transaction(engine) as session:
        session.add(Site(code="101", name_kk="ППЕНТ", name_ru="ППЕНТ", region_code="02"))
        log.record(session, actor="expert", action="site.add", target="101")
        raise RuntimeError("the operator cancelled")
    assert [line["action"] for line in _lines(log)] == ["first"]
    _record(engine, log, "second")
    assert [line["seq"] for line in _lines(log)] == [1, 2]
    assert _verify(engine, log).ok


def test_entries_of_one_transaction_are_written_together_at_commit(engine: Engine, log: AuditLog) -> None:
    with transaction(engine) as session:
        log.record(session, actor="expert", action="one")
        log.record(session, actor="expert", action="two")
        assert not log.path.exists() or log.path.read_text() == ""
        assert log.head(session)[0] == 2
        assert _verify_in(session, log).ok  # the unwritten lines count as the log's end
    assert [line["action"] for line in _lines(log)] == ["one", "two"]
    with transaction(engine) as session:
        head = session.get(AuditHead, 1)
        assert head is not None
        assert head.last_lines == log.path.read_text(encoding="utf-8")


def _verify_in(session: Session, log: AuditLog) -> audit_module.AuditReport:
    return log.verify(session)


def test_a_rolled_back_savepoint_takes_its_entries_with_it(engine: Engine, log: AuditLog) -> None:
    with transaction(engine) as session:
        log.record(session, actor="expert", action="kept")
        with pytest.raises(RuntimeError), session.begin_nested():
            log.record(session, actor="expert", action="dropped")
            raise RuntimeError("try another way")
        with session.begin_nested():
            log.record(session, actor="expert", action="kept too")
    assert [(line["seq"], line["action"]) for line in _lines(log)] == [(1, "kept"), (2, "kept too")]
    assert _verify(engine, log).ok


def test_lines_lost_between_commit_and_file_write_are_written_by_verify(
    engine: Engine, log: AuditLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    _record(engine, log, "before")

    def power_cut(path: Path, data: bytes) -> None:
        raise OSError("power cut")

    with monkeypatch.context() as patch:
        patch.setattr(audit_module, "append_synced", power_cut)
        _record(engine, log, "lost one", "lost two")  # committed, but the file write fails
    assert [line["action"] for line in _lines(log)] == ["before"]
    report = _verify(engine, log)
    assert report.ok and report.entries == 3
    assert [line["action"] for line in _lines(log)] == ["before", "lost one", "lost two"]


def test_lines_lost_in_a_crash_are_written_before_the_next_entry(engine: Engine, log: AuditLog) -> None:
    _record(engine, log, "first")
    size = log.path.stat().st_size
    _record(engine, log, "second", "third")
    with log.path.open("r+b") as stream:
        stream.truncate(size + 40)  # the crash left "second" half written
    _record(engine, log, "fourth")
    assert [line["action"] for line in _lines(log)] == ["first", "second", "third", "fourth"]
    assert _verify(engine, log).ok


def test_repair_restores_only_the_last_transactions_lines(engine: Engine, log: AuditLog) -> None:
    _record(engine, log, "first")
    _record(engine, log, "second")
    _record(engine, log, "third")
    first_line = log.path.read_bytes().splitlines(keepends=True)[0]
    log.path.write_bytes(first_line)  # "second" was cut too: that is not a crash, it is damage
    report = _verify(engine, log)
    assert not report.ok
    assert report.line == 1
    assert [line["action"] for line in _lines(log)] == ["first"]


def test_details_must_be_json_and_are_stored_as_json_reads_them(engine: Engine, log: AuditLog) -> None:
    with transaction(engine) as session:
        entry = log.record(session, actor="expert", action="rooms.import", details={"rooms": ("01", "02")})
        assert entry.details == {"rooms": ["01", "02"]}
        with pytest.raises(TypeError):
            log.record(session, actor="expert", action="bad", details={"when": object()})
        with pytest.raises(ValueError):
            log.record(session, actor="expert", action="bad", details={"ratio": float("nan")})
    assert _verify(engine, log).ok


def test_two_processes_recording_at_once_keep_one_chain(template: Path, tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite"
    path.write_bytes(template.read_bytes())
    log = AuditLog(tmp_path / "audit.log")
    failures: list[BaseException] = []

    def worker(name: str) -> None:
        engine = open_engine(path)  # each thread its own engine, like a second program
        try:
            for n in range(40):
                with transaction(engine) as session:
                    log.record(session, actor=name, action="step", target=str(n))
        except BaseException as error:  # reported below
            failures.append(error)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=worker, args=(name,)) for name in ("window", "command")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    engine = open_engine(path)
    try:
        report = _verify(engine, log)
    finally:
        engine.dispose()
    assert report.ok, report.problem
    assert report.entries == 80
    assert [line["seq"] for line in _lines(log)] == list(range(1, 81))


@pytest.mark.slow
def test_ten_thousand_transactions_take_linear_time(
    engine: Engine, log: AuditLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What is measured is the work per entry, not the disk: no waiting for the disk in this test.
    monkeypatch.setattr(os, "fsync", lambda descriptor: None)
    event.listen(engine, "connect", lambda connection, record: connection.execute("PRAGMA synchronous=OFF"))
    engine.dispose()
    started = time.perf_counter()
    for n in range(10_000):
        with transaction(engine) as session:
            log.record(session, actor="expert", action="application.enter", target=str(n), details={"n": n})
    recording = time.perf_counter() - started
    started = time.perf_counter()
    report = _verify(engine, log)
    verifying = time.perf_counter() - started
    assert report.ok and report.entries == 10_000
    # About 1 ms a transaction here; re-reading the log for each entry would take minutes.
    assert recording < 60, recording
    assert verifying < 5, verifying


def test_the_head_row_follows_the_file(engine: Engine, log: AuditLog) -> None:
    _record(engine, log, "one")
    _record(engine, log, "two")
    with transaction(engine) as session:
        head = session.scalars(select(AuditHead)).one()
        last = _lines(log)[-1]
        assert (head.seq, head.hash) == (last["seq"], last["hash"])
        assert head.last_offset == len(log.path.read_bytes()) - len(head.last_lines.encode("utf-8"))
