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

A file written with a package (``follows``: an enrolment's password sheet) follows its package's fate. Beside the
package under the package's name and another suffix (``NAME.pdf`` beside ``NAME.entpkg``) it is found by its name.
Anywhere else, or under another name, its full path is recorded before it is written, in ``NAME.entpkg.companions``
beside the package (removed once every file is under its name): recovery in the package's folder reads it, and
renames or removes exactly the files listed there, wherever they are. A ``.pending`` file recovery cannot tie to a
package of its folder is not touched (another package's sheet put there, or someone else's file).

A file name is not unique over time: an enrolment's ``--out`` is made again for another workstation, and a number
freed by a rollback is given again, under the same name, to a package written into another folder. So "committed"
is decided for THIS file: the sender's row records the SHA-256 of the file's bytes (sealed packages are encrypted
to their recipient, so nothing inside them can be read back), and :func:`recover_sent_files` renames a ``.pending``
package only if a row of its name has its digest. A record of companions carries its package's digest on each line;
a companion beside its package is decided with the package's ``.pending`` file, which is therefore always the last
of them to go (renamed last at the commit, removed last at a rollback and by recovery).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Final

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from common.crashpoints import crash_point
from common.exchange.manifest import sha256_hex
from common.files import append_synced, sync_folder

PENDING_SUFFIX: Final = ".pending"
RECORD_SUFFIX: Final = ".companions"
_KEY: Final = "ent.outbox.pending"

logger = logging.getLogger(__name__)


def pending_path(path: Path) -> Path:
    return path.with_name(path.name + PENDING_SUFFIX)


def companions_record(package: Path) -> Path:
    """Where the full paths of the files written with ``package`` elsewhere than beside it are listed."""
    return package.with_name(package.name + RECORD_SUFFIX)


def is_beside(path: Path, package: Path) -> bool:
    """``path`` is ``package``'s companion by name: in its folder, the package's name with another suffix."""
    return (bool(package.suffix) and path.absolute().parent == package.absolute().parent
            and path.with_suffix(package.suffix).name == package.name)


@dataclass
class _Pending:
    path: Path
    handle: IO[bytes]
    digest: str
    follows: Path | None = None


@dataclass
class _Writes:
    """What a transaction wrote to finish at its commit: ``.pending`` files, and the records of companions."""

    files: list[_Pending] = field(default_factory=list)
    records: list[Path] = field(default_factory=list)


def write_after_commit(session: Session, path: Path, data: bytes, *, follows: Path | None = None) -> None:
    """Write ``data`` to ``path`` when ``session``'s transaction commits; never if it rolls back.

    ``follows``: the package, written before in this transaction, whose fate ``path`` shares after a crash (its
    recovery renames or removes ``path`` with it). Unless ``path`` is beside it (:func:`is_beside`), its full path
    is first recorded in the package's record of companions (:func:`companions_record`)."""
    writes: _Writes | None = session.info.get(_KEY)
    if writes is None:
        writes = session.info[_KEY] = _Writes()
        event.listen(session, "after_commit", _after_commit)
        event.listen(session, "after_rollback", _after_rollback)
    if follows is not None:
        package = next((item for item in writes.files if item.path == follows), None)
        if package is None:
            raise ValueError("a companion follows a package written before it in the same transaction")
        if not is_beside(path, follows):
            record = companions_record(follows)
            if record not in writes.records:
                writes.records.append(record)  # before it is written: a rollback removes it, whatever it holds
            line = {"file": str(path.absolute()), "follows": package.digest}
            append_synced(record, (json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8"))
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
    writes.files.append(_Pending(path, handle, sha256_hex(data), follows))
    crash_point("exchange.outbox.before_commit")


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return
    writes: _Writes | None = session.info.pop(_KEY, None)
    if writes is None:
        return
    renamed = True
    held: set[Path] = set()  # packages left .pending with a companion beside them: recovery decides both
    for item in reversed(writes.files):  # a package after the files that follow it: its .pending file goes last
        item.handle.close()
        crash_point("exchange.outbox.after_commit")
        if item.path in held:
            renamed = False
            continue
        try:
            os.replace(pending_path(item.path), item.path)
            sync_folder(item.path.parent)
        except OSError:  # committed: the next recover_outbox renames it
            logger.exception("outbox: could not rename %s", item.path.name)
            renamed = False
            if item.follows is not None and is_beside(item.path, item.follows):
                held.add(item.follows)
    if renamed:  # else the record stays: the next recovery finishes its files
        _remove_records(writes.records)


def _after_rollback(session: Session) -> None:
    writes: _Writes | None = session.info.pop(_KEY, None)
    if writes is None:
        return
    for item in reversed(writes.files):  # a package's .pending file last, as at the commit
        item.handle.close()
        pending_path(item.path).unlink(missing_ok=True)
    _remove_records(writes.records)


def _remove_records(records: list[Path]) -> None:
    for record in records:
        try:
            record.unlink(missing_ok=True)
        except OSError:  # the next recovery finds nothing left to do with it, and removes it
            logger.exception("outbox: could not remove %s", record.name)


def recover_outbox(
    folder: Path, committed: Callable[[str], bool], *, removable: Callable[[str], bool] | None = None
) -> list[str]:
    """Finish or remove what a crash left in ``folder``; ``committed(name)`` says if a record exists.

    By name: for files whose name is never made twice (``printed/`` gives each print a name no file has yet).
    Packages, whose names are, are recovered by :func:`recover_sent_files`.

    A package's record of companions (:func:`companions_record`) is read first: its files, wherever they are, are
    renamed or removed with their package. Then each ``.pending`` file of ``folder``: renamed if committed, else
    removed if ``removable(name)`` (default: any). Returns the names of the files renamed into place.
    """
    finished: list[str] = []
    if not folder.is_dir():
        return finished
    for record in sorted(folder.glob("*" + RECORD_SUFFIX)):
        package = record.name[: -len(RECORD_SUFFIX)]

        def by_name(_digest: str | None, package: str = package) -> bool:
            return committed(package)

        finished += _recover_companions(record, by_name)
    for pending in sorted(folder.glob("*" + PENDING_SUFFIX)):
        name = pending.name[: -len(PENDING_SUFFIX)]
        if not _is_free(pending):
            continue  # another process's transaction is writing it
        try:
            if committed(name):
                os.replace(pending, folder / name)
                finished.append(name)
            elif removable is None or removable(name):
                pending.unlink(missing_ok=True)
        except FileNotFoundError:
            continue  # another process finished it first
    if finished:
        sync_folder(folder)
    return finished


def _recover_companions(record: Path, fate: Callable[[str | None], bool | None]) -> list[str]:
    """Rename (the package committed) or remove (it did not) the files ``record`` lists; then the record, unless one
    of them is still held by a transaction in progress or left undecided. ``fate(digest)``: whether the package of
    that digest (``None``: a line written before lines carried it) committed; ``None`` if that cannot be told."""
    package = record.with_name(record.name[: -len(RECORD_SUFFIX)])
    if pending_path(package).exists() and not _is_free(pending_path(package)):
        return []  # its transaction is in progress
    finished: list[str] = []
    settled = True
    for companion, digest in _companions(record):
        pending = pending_path(companion)
        if not pending.exists():
            continue  # never written, or finished already
        keep = fate(digest)
        if keep is None or not _is_free(pending):
            settled = False
            continue
        done = _settle(pending, keep)
        if pending.exists():  # the folder is gone or read-only now (logged): left, with its record, for next time
            settled = False
        elif done:
            sync_folder(companion.parent)
        finished += done
    if settled:
        record.unlink(missing_ok=True)
    return finished


def _companions(record: Path) -> list[tuple[Path, str | None]]:
    """The paths ``record`` lists, each with its package's digest (``None`` on a line written before lines carried
    it: a bare path); a line cut short by a crash (no newline yet) names nothing written."""
    try:
        lines = record.read_text(encoding="utf-8").split("\n")[:-1]
    except FileNotFoundError:
        return []
    paths: list[tuple[Path, str | None]] = []
    for line in lines:
        with contextlib.suppress(ValueError):
            value = json.loads(line)
            if isinstance(value, str):
                paths.append((Path(value), None))
            elif (isinstance(value, dict) and isinstance(value.get("file"), str)
                  and isinstance(value.get("follows"), str)):
                paths.append((Path(value["file"]), value["follows"]))
    return paths


def recover_sent_files(session: Session, folder: Path, sent_model: Any) -> list[str]:
    """Finish or remove the packages a crash left in ``folder``, with the files written with them.

    ``sent_model`` is the sender's table of packages made (a workstation's
    :class:`common.db.exchange_models.SentPackage` or НЦТ's), each row with its ``file_name`` and the ``file_sha256``
    of its bytes. A ``.pending`` package is renamed into place only if a row of its name has its digest (this file's
    sending committed, not an earlier package's of the same name), else it is removed. A row of its name made before
    rows had digests cannot tell: the file is left as it is (logged). A file written with a package follows it:
    beside it under the package's name and another suffix (``NAME.pdf`` beside ``NAME.entpkg``) with the package's
    ``.pending`` file, elsewhere by the package's record of companions. Any other ``.pending`` file is left: recovery
    cannot tell whose it is. Returns the names of the files renamed into place."""
    from common.exchange.package import SUFFIX

    answers: dict[tuple[str, str | None], bool | None] = {}

    def fate(package: str, digest: str | None) -> bool | None:
        """Whether the package ``package`` of ``digest`` committed; ``None`` if that cannot be told."""
        if (package, digest) not in answers:
            digests = set(session.scalars(select(sent_model.file_sha256).where(sent_model.file_name == package)))
            if digest is not None and digest in digests:
                answers[package, digest] = True
            elif None in digests:
                logger.warning("outbox: cannot tell whether %s was committed (a package of that name was sent "
                               "before files had digests); its .pending file is left", package)
                answers[package, digest] = None
            else:
                answers[package, digest] = False
        return answers[package, digest]

    finished: list[str] = []
    if not folder.is_dir():
        return finished
    packages: dict[str, tuple[Path, str]] = {}  # the packages left .pending, free, and their digests
    for pending in sorted(folder.glob("*" + SUFFIX + PENDING_SUFFIX)):
        if not _is_free(pending):
            continue  # another process's transaction is writing it (its companions are left with it)
        try:
            packages[pending.name[: -len(PENDING_SUFFIX)]] = pending, _digest(pending)
        except FileNotFoundError:
            continue  # another process finished it first
        except OSError:
            logger.exception("outbox: could not read %s", pending.name)
    decided = {name: fate(name, digest) for name, (_pending, digest) in packages.items()}

    for record in sorted(folder.glob("*" + RECORD_SUFFIX)):
        package = record.name[: -len(RECORD_SUFFIX)]

        def of_record(digest: str | None, package: str = package) -> bool | None:
            if digest is None and package in packages:  # a line without it: its package is the one left .pending
                digest = packages[package][1]
            return fate(package, digest)

        finished += _recover_companions(record, of_record)

    for pending in sorted(folder.glob("*" + PENDING_SUFFIX)):  # the companions beside their package, by name
        name = pending.name[: -len(PENDING_SUFFIX)]
        package = Path(name).with_suffix(SUFFIX).name
        if name.endswith(SUFFIX) or decided.get(package) is None or not _is_free(pending):
            continue  # a package; no package .pending beside it to tell its fate (left); or still being written
        finished += _settle(pending, bool(decided[package]))

    for name, (pending, _digest_of) in packages.items():  # the packages last: they decide their companions' fate
        if decided[name] is not None:
            finished += _settle(pending, bool(decided[name]))
    if finished:
        sync_folder(folder)
    return finished


def _settle(pending: Path, keep: bool) -> list[str]:
    """Rename ``pending`` into place (``keep``) or remove it; the name renamed, if it was."""
    name = pending.name[: -len(PENDING_SUFFIX)]
    try:
        if keep:
            os.replace(pending, pending.with_name(name))
            return [name]
        pending.unlink()
    except FileNotFoundError:
        pass  # another process finished it first
    except OSError:  # the folder is read-only now: left for the next recovery
        logger.exception("outbox: could not finish %s", name)
    return []


def _digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


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
