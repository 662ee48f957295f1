"""The append-only, hash-chained audit log of a workstation (ARCHITECTURE.md, "Passwords and keys").

Format: ``audit.log`` in the workstation folder, UTF-8, one JSON object a line::

    {"seq":1,"ts":"2026-05-20T03:15:00.000000+00:00","actor":"expert","action":"workstation.init",
     "target":"applications","details":{"version":"ent-applications 0.1.0"},"prev":"000…0","hash":"…"}

``seq`` counts from 1 without gaps; ``ts`` is UTC; ``prev`` is the ``hash`` of the entry before
(64 zeros for the first); ``hash`` is the SHA-256 (hex) of the entry's canonical JSON without
``hash``: keys sorted, no spaces, UTF-8 (``json.dumps(..., sort_keys=True, separators=(",", ":"),
ensure_ascii=False)``). Anyone can check a log with that recipe alone.

No personal data in the log: callers pass ids and codes (application id, ИКТ row id, school
code, package sequence), never names or ИИН. The log may be carried to НЦТ and printed.

Consistency with the database: :meth:`AuditLog.record` moves the chain's head (``audit_head``
row: seq, hash) in the caller's transaction, so the change and its entry commit or roll back
together. The line is appended to the file (flush + fsync) only after the commit; a rolled-back
transaction leaves no line. The head row also keeps the text of the lines of the last recording
transaction and where they start in the file, so if the program stops between the commit and
the file write, the next :meth:`~AuditLog.record` or :meth:`~AuditLog.verify` writes them.
A lock file beside the log keeps two processes from writing at once.

Cost: recording reads only the end of the file; verifying reads the whole file once.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction

from common.crashpoints import armed, crash_point
from common.db.models import AuditHead
from common.files import append_synced
from common.i18n import _

GENESIS_HASH = "0" * 64
_HEAD_ID = 1
_PENDING_KEY = "ent.audit.pending"
_LISTENING_KEY = "ent.audit.listening"
_FIELDS = ("seq", "ts", "actor", "action", "target", "details", "prev", "hash")

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AuditEntry:
    """One line of the log."""

    seq: int
    ts: str
    actor: str
    action: str
    target: str | None
    details: dict[str, Any] | None
    prev: str
    hash: str

    def body(self) -> dict[str, Any]:
        """The entry without ``hash``: what the hash is computed over."""
        return {name: getattr(self, name) for name in _FIELDS if name != "hash"}

    def line(self) -> str:
        """The entry as written to the file, with its newline."""
        text = json.dumps({**self.body(), "hash": self.hash}, ensure_ascii=False, separators=(",", ":"))
        return text + "\n"


@dataclass(frozen=True)
class AuditReport:
    """Result of :meth:`AuditLog.verify`: ``problem`` is one translated line naming ``line``."""

    ok: bool
    entries: int
    line: int | None
    problem: str | None


def entry_hash(body: dict[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of an entry without its ``hash``."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class AuditLog:
    """The audit log file at ``path`` together with the chain head in the database.

    Any number of ``AuditLog`` objects may point at the same file: what a transaction has not
    yet written is kept with the session, not with the object.
    """

    def __init__(self, path: Path, head_model: Any = AuditHead) -> None:
        self.path = Path(path)
        self.head_model = head_model
        """The table of the chain's head: a workstation's ``audit_head``, or НЦТ's in its own database
        (any mapped class with the same columns), so the head moves in the data's transaction."""

    def record(
        self,
        session: Session,
        *,
        actor: str,
        action: str,
        target: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> AuditEntry:
        """Add an entry in ``session``'s transaction; it reaches the file when that commits.

        ``actor`` is the operator's login, ``action`` a dotted code (``application.annul``),
        ``target`` an id or code, ``details`` JSON-compatible values: ids and codes only.
        Raises ``TypeError``/``ValueError`` for details JSON cannot hold.
        """
        if details is not None:
            details = json.loads(json.dumps(details, ensure_ascii=False, allow_nan=False))
        _listen(session)
        pending = _pending(session)
        if pending is None:
            head = _lock_head(session, self.head_model)
            with _file_lock(self.path):
                _complete(self.path, head.last_offset, head.last_lines.encode("utf-8"), append_anyway=False)
                offset = _size(self.path)
            pending = _Pending(self.path, offset, base_seq=head.seq, base_hash=head.hash, head_model=self.head_model)
            session.info[_PENDING_KEY] = pending
        elif pending.path != self.path:
            raise ValueError(f"one transaction cannot record into two logs: {pending.path}, {self.path}")
        seq, prev = pending.tip()
        unsealed = AuditEntry(
            seq=seq + 1,
            ts=datetime.now(UTC).isoformat(timespec="microseconds"),
            actor=actor,
            action=action,
            target=target,
            details=details,
            prev=prev,
            hash="",
        )
        entry = replace(unsealed, hash=entry_hash(unsealed.body()))
        line = _PendingLine(_innermost(session), entry.seq, entry.hash, entry.line().encode("utf-8"))
        pending.lines.append(line)
        _store_head(session, pending)
        return entry

    def head(self, session: Session) -> tuple[int, str]:
        """The chain's head ``(seq, hash)`` as of ``session`` (``(0, "0"*64)`` for an empty log)."""
        pending = _pending(session)
        if pending is not None:
            return pending.tip()
        row = session.get(self.head_model, _HEAD_ID)
        return (0, GENESIS_HASH) if row is None else (row.seq, row.hash)

    def verify(self, session: Session) -> AuditReport:
        """Check the whole chain and that its end is the database's head; read the file once.

        Stops at the first problem: an altered, missing, reordered or malformed line, a line
        cut in the middle, or an end that is not the head (lines cut off, rewritten or added).
        """
        pending = _pending(session)
        known: dict[int, str] = {}
        if pending is None:
            row = session.get(self.head_model, _HEAD_ID)
            if row is not None and os.access(self.path.parent, os.W_OK):  # a read-only folder is only read
                with _file_lock(self.path):
                    _complete(self.path, row.last_offset, row.last_lines.encode("utf-8"), append_anyway=False)
                known = _hashes(row.last_lines)
        extra = [line.data for line in pending.lines] if pending is not None else []
        head_seq, head_hash = self.head(session)
        return _Checker(head_seq, head_hash, known).run(_lines(self.path, extra))


# --- the transaction's unwritten lines -------------------------------------------------------


@dataclass
class _PendingLine:
    transaction: SessionTransaction
    seq: int
    hash: str
    data: bytes


@dataclass
class _Pending:
    path: Path
    offset: int
    base_seq: int
    base_hash: str
    head_model: Any = AuditHead
    lines: list[_PendingLine] = field(default_factory=list)

    def tip(self) -> tuple[int, str]:
        if self.lines:
            return self.lines[-1].seq, self.lines[-1].hash
        return self.base_seq, self.base_hash

    def data(self) -> bytes:
        return b"".join(line.data for line in self.lines)


def _pending(session: Session) -> _Pending | None:
    pending: _Pending | None = session.info.get(_PENDING_KEY)
    return pending


def _innermost(session: Session) -> SessionTransaction:
    transaction = session.get_nested_transaction() or session.get_transaction()
    assert transaction is not None, "record() needs a session in a transaction"
    return transaction


def _lock_head(session: Session, model: Any) -> Any:
    statement = select(model).where(model.id == _HEAD_ID).with_for_update()
    head = session.scalars(statement.execution_options(populate_existing=True)).one_or_none()
    if head is None:  # only if someone deleted the row; the chain then restarts (verify says so)
        head = model(id=_HEAD_ID, seq=0, hash=GENESIS_HASH, last_lines="", last_offset=0)
        session.add(head)
    return head


def _store_head(session: Session, pending: _Pending) -> None:
    head = session.get(pending.head_model, _HEAD_ID)
    assert head is not None
    head.seq, head.hash = pending.tip()
    head.updated_at = datetime.now(UTC)


def _listen(session: Session) -> None:
    if not session.info.get(_LISTENING_KEY):
        event.listen(session, "before_commit", _before_commit)
        event.listen(session, "after_commit", _after_commit)
        event.listen(session, "after_soft_rollback", _after_soft_rollback)
        event.listen(session, "after_transaction_end", _after_transaction_end)
        session.info[_LISTENING_KEY] = True


def _before_commit(session: Session) -> None:
    pending = _pending(session)
    if pending is None or session.in_nested_transaction():
        return
    head = session.get(pending.head_model, _HEAD_ID)
    if head is not None:
        # Written once per transaction, not per entry: a transaction with many entries stays linear.
        head.seq, head.hash = pending.tip()
        head.last_lines = pending.data().decode("utf-8")
        head.last_offset = pending.offset
    if armed("audit.before_commit"):  # drills: every row of the change written into the transaction, not committed
        session.flush()
        crash_point("audit.before_commit")


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a SAVEPOINT released: the lines wait for the real commit
    pending = session.info.pop(_PENDING_KEY, None)
    if pending is None or not pending.lines:
        return
    crash_point("audit.after_commit")  # drills: the change is committed, its line not yet written
    try:
        with _file_lock(pending.path):
            _complete(pending.path, pending.offset, pending.data(), append_anyway=True)
    except OSError as error:
        # Committed already; the head row keeps the lines and the next record/verify writes them.
        # One line, no traceback: the operator's command did succeed.
        logger.warning("audit log %s: could not append %d line(s) (%s); they are written next time",
                       pending.path, len(pending.lines), error.strerror)


def _after_soft_rollback(session: Session, rolled_back: SessionTransaction) -> None:
    pending = _pending(session)
    if pending is None:
        return
    pending.lines = [line for line in pending.lines if not _within(line.transaction, rolled_back)]
    if not pending.lines:
        session.info.pop(_PENDING_KEY, None)


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_PENDING_KEY, None)


def _within(transaction: SessionTransaction | None, ancestor: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False


# --- the file --------------------------------------------------------------------------------


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _complete(path: Path, offset: int, data: bytes, *, append_anyway: bool) -> None:
    """Make the log hold ``data`` from byte ``offset`` on, writing only what it lacks.

    Already there: nothing to do. The file ends inside ``data`` (lines lost or cut off by a
    crash): the rest is appended. Anything else means the file was changed; the lines are then
    appended only if ``append_anyway`` (a fresh commit), and verification reports the damage.
    """
    if not data:
        return
    size = _size(path)
    if offset <= size:
        present = _read(path, offset, min(size - offset, len(data)))
        if present == data:
            return
        if size - offset < len(data) and data.startswith(present):
            append_synced(path, data[len(present) :])
            return
    if append_anyway:
        append_synced(path, data)


def _read(path: Path, offset: int, length: int) -> bytes:
    if length <= 0:
        return b""
    with path.open("rb") as stream:
        stream.seek(offset)
        return stream.read(length)


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """Exclusive between processes: a lock file beside the log (reading the log stays free)."""
    lock = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(lock, "r+b") as handle:
        _lock(handle.fileno(), exclusive=True)
        try:
            yield
        finally:
            _lock(handle.fileno(), exclusive=False)


if sys.platform == "win32":
    import msvcrt

    def _lock(descriptor: int, *, exclusive: bool) -> None:
        os.lseek(descriptor, 0, os.SEEK_SET)
        msvcrt.locking(descriptor, msvcrt.LK_LOCK if exclusive else msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(descriptor: int, *, exclusive: bool) -> None:
        fcntl.flock(descriptor, fcntl.LOCK_EX if exclusive else fcntl.LOCK_UN)


def _lines(path: Path, extra: list[bytes]) -> Iterator[bytes]:
    if path.exists():
        with path.open("rb") as stream:
            yield from stream
    yield from extra


# --- verification ----------------------------------------------------------------------------


class _Malformed(Exception):
    pass


class _Checker:
    """One pass over the lines; after a gap in ``seq`` it reads on only to tell missing from moved."""

    def __init__(self, head_seq: int, head_hash: str, known: dict[int, str]) -> None:
        self.head_seq = head_seq
        self.head_hash = head_hash
        self.known = known  # seq -> hash of the last transaction's entries, kept in the database
        self.count = 0
        self.seq = 0
        self.hash = GENESIS_HASH
        self.head_line: int | None = None  # the line of the chain's entry with the head's seq
        self.first_unknown_line: int | None = None  # first line that differs from `known`

    def run(self, lines: Iterable[bytes]) -> AuditReport:
        failure: tuple[int, str] | None = None
        gap: tuple[int, int] | None = None  # (line, the seq that should have been there)
        for raw in lines:
            self.count += 1
            if gap is not None:
                if _seq_of(raw) == gap[1]:
                    failure, gap = (gap[0], _("Audit log line {line}: entries out of order.")), None
            elif failure is None:
                failure, gap = self._check(raw)
        if gap is not None:
            failure = (gap[0], _("Audit log line {line}: entry missing before it."))
        if failure is not None:
            line, message = failure
            return AuditReport(False, self.count, line, message.format(line=line))
        if (self.seq, self.hash) == (self.head_seq, self.head_hash):
            return AuditReport(True, self.count, None, None)
        intact = self._intact_lines()
        message = _(
            "The audit log's end does not match the database's head (rewritten or cut after line {line})."
        ).format(line=intact)
        return AuditReport(False, self.count, intact, message)

    def _check(self, raw: bytes) -> tuple[tuple[int, str] | None, tuple[int, int] | None]:
        """``(failure, gap)`` for one line; neither if it continues the chain."""
        line = self.count
        try:
            entry = _parse(raw)
        except _Malformed:
            if raw.endswith(b"\n"):
                return (line, _("Audit log line {line}: not a valid entry (malformed).")), None
            message = _("Audit log line {line}: the entry is incomplete, the log was cut inside it.")
            return (line, message), None
        if entry_hash(entry.body()) != entry.hash:
            return (line, _("Audit log line {line}: entry altered.")), None
        if entry.seq > self.seq + 1:
            return None, (line, self.seq + 1)
        if entry.seq <= self.seq:
            return (line, _("Audit log line {line}: entry repeated or out of order.")), None
        if entry.prev != self.hash:
            message = _("Audit log line {line}: does not follow the entry before it, which was replaced.")
            return (line, message), None
        self.seq, self.hash = entry.seq, entry.hash
        if entry.seq == self.head_seq:
            self.head_line = line
        if self.first_unknown_line is None and self.known.get(entry.seq, entry.hash) != entry.hash:
            self.first_unknown_line = line
        return None, None

    def _intact_lines(self) -> int:
        """How many lines at the start can agree with the database, for a log whose end does not."""
        if self.first_unknown_line is not None:
            return self.first_unknown_line - 1  # rewritten from there (or earlier)
        if self.seq < self.head_seq:
            return self.count  # lines cut off the end
        return self.head_line or 0  # lines added after the head's entry


def _hashes(text: str) -> dict[int, str]:
    """seq -> hash of the lines in ``text`` (written by this program, so well-formed)."""
    hashes: dict[int, str] = {}
    for raw in text.encode("utf-8").splitlines(keepends=True):
        with contextlib.suppress(_Malformed):
            entry = _parse(raw)
            hashes[entry.seq] = entry.hash
    return hashes


def _parse(raw: bytes) -> AuditEntry:
    if not raw.endswith(b"\n"):
        raise _Malformed
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise _Malformed from error
    if not isinstance(value, dict) or sorted(value) != sorted(_FIELDS):
        raise _Malformed
    types_ok = (
        type(value["seq"]) is int
        and isinstance(value["ts"], str)
        and isinstance(value["actor"], str)
        and isinstance(value["action"], str)
        and isinstance(value["target"], str | None)
        and isinstance(value["details"], dict | None)
        and _is_hash(value["prev"])
        and _is_hash(value["hash"])
    )
    if not types_ok:
        raise _Malformed
    return AuditEntry(**value)


def _is_hash(value: object) -> bool:
    return isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)


def _seq_of(raw: bytes) -> int | None:
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    seq = value.get("seq") if isinstance(value, dict) else None
    return seq if type(seq) is int else None
