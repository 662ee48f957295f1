"""Writing a package file so that it exists under its name only if its record was committed.

A sealed package carries a sequence number and its sender's audit head, both recorded in the
sending transaction. Were the file written under its final name before that transaction commits, a
crash in between would leave a file nobody recorded: its number would be given again to another
package (НЦТ then refuses the real one as "number 2 is older than number 2") and its audit head
would name an entry that never reached the log (a false alarm in ``audit check-head``).

So :func:`write_after_commit` writes ``NAME.entpkg.pending`` (fsynced, locked by the writing
process) and renames it to ``NAME.entpkg`` only after the commit; a rollback deletes it. A crash
leaves at most a ``.pending`` file, which no reader takes. :func:`recover_outbox`, run before the
next package is written to the same folder, completes a ``.pending`` file whose record was committed
(a crash between the commit and the rename) and deletes one whose record was not (an orphan). A
``.pending`` file still locked belongs to a transaction in progress in another process and is left.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Final

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from common.crashpoints import crash_point
from common.files import sync_folder

PENDING_SUFFIX: Final = ".pending"
_KEY: Final = "ent.outbox.pending"

logger = logging.getLogger(__name__)


def pending_path(path: Path) -> Path:
    return path.with_name(path.name + PENDING_SUFFIX)


@dataclass
class _Pending:
    path: Path
    handle: IO[bytes]


def write_after_commit(session: Session, path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` when ``session``'s transaction commits; never if it rolls back."""
    pending = pending_path(path)
    pending.parent.mkdir(parents=True, exist_ok=True)
    handle = pending.open("wb")
    try:
        _lock(handle.fileno(), blocking=True)
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):  # closing flushes again, and fails again on a full disk
            handle.close()
        pending.unlink(missing_ok=True)
        raise
    files: list[_Pending] | None = session.info.get(_KEY)
    if files is None:
        files = session.info[_KEY] = []
        event.listen(session, "after_commit", _after_commit)
        event.listen(session, "after_rollback", _after_rollback)
    files.append(_Pending(path, handle))
    crash_point("exchange.outbox.before_commit")


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return
    for item in session.info.pop(_KEY, []):
        item.handle.close()
        crash_point("exchange.outbox.after_commit")
        try:
            os.replace(pending_path(item.path), item.path)
            sync_folder(item.path.parent)
        except OSError:  # committed: the next recover_outbox renames it
            logger.exception("outbox: could not rename %s", item.path.name)


def _after_rollback(session: Session) -> None:
    for item in session.info.pop(_KEY, []):
        item.handle.close()
        pending_path(item.path).unlink(missing_ok=True)


def recover_outbox(folder: Path, committed: Callable[[str], bool]) -> list[str]:
    """Finish or remove what a crash left in ``folder``; ``committed(name)`` says if a record exists.

    Returns the names of the files renamed into place.
    """
    finished: list[str] = []
    if not folder.is_dir():
        return finished
    for pending in sorted(folder.glob("*" + PENDING_SUFFIX)):
        name = pending.name[: -len(PENDING_SUFFIX)]
        if not _is_free(pending):
            continue  # another process's transaction is writing it
        try:
            if committed(name):
                os.replace(pending, folder / name)
                finished.append(name)
            else:
                pending.unlink(missing_ok=True)
        except FileNotFoundError:
            continue  # another process finished it first
    if finished:
        sync_folder(folder)
    return finished


def recover_sent_files(session: Session, folder: Path, sent_model: Any) -> list[str]:
    """:func:`recover_outbox` for packages: one whose sending committed (a row of ``sent_model`` names its file) is
    renamed into place, one whose sending did not is deleted. ``sent_model`` is the sender's table of packages made
    (a workstation's :class:`common.db.exchange_models.SentPackage` or НЦТ's), each row with its ``file_name``. A
    file written with a package under the package's name and another suffix (an enrolment's password sheet,
    ``NAME.pdf`` beside ``NAME.entpkg``) follows its package."""
    from common.exchange.package import SUFFIX

    def committed(name: str) -> bool:
        names = {name, Path(name).with_suffix(SUFFIX).name}
        return session.scalar(select(sent_model.id).where(sent_model.file_name.in_(names)).limit(1)) is not None

    return recover_outbox(folder, committed)


def _is_free(path: Path) -> bool:
    """No process holds the file's lock (the one that wrote it has committed, rolled back or died)."""
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return False
    with handle:
        try:
            _lock(handle.fileno(), blocking=False)
        except OSError:
            return False
        _unlock(handle.fileno())
        return True


if sys.platform == "win32":
    import msvcrt

    def _lock(descriptor: int, *, blocking: bool) -> None:
        os.lseek(descriptor, 0, os.SEEK_SET)
        msvcrt.locking(descriptor, msvcrt.LK_LOCK if blocking else msvcrt.LK_NBLCK, 1)

    def _unlock(descriptor: int) -> None:
        os.lseek(descriptor, 0, os.SEEK_SET)
        msvcrt.locking(descriptor, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(descriptor: int, *, blocking: bool) -> None:
        fcntl.flock(descriptor, fcntl.LOCK_EX if blocking else fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(descriptor: int) -> None:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
