"""Failures of the machine rather than of the operator — a full disk, a read-only folder, a file
where a folder should be — told as one translated line instead of a traceback.

Each happens inside a transaction or before it commits, so nothing is half-written: the database
rolls back, files are written atomically (:mod:`common.files`), and the audit log's line follows
its commit (:mod:`common.security.audit`). The messages name paths and the system's reason,
never the data being written (SQLAlchemy's own text would show the SQL and its values).
"""

from __future__ import annotations

import contextlib
import errno
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from common.i18n import _

_NO_SPACE = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}
_NOT_WRITABLE = {errno.EROFS, errno.EACCES, errno.EPERM}
_WRONG_KIND = {errno.EISDIR, errno.ENOTDIR}
_NEARLY_FULL_BYTES = 1 << 20

# SQLite's primary result codes (https://sqlite.org/rescode.html)
SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY = 3, 5, 6, 8
SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 10, 11, 13, 14, 26


def describe(error: BaseException, folder: Path) -> str | None:
    """One line for an I/O failure (``OSError`` or a database error), or ``None`` if it is not one."""
    if isinstance(error, OSError):
        return _os_error(error, folder)
    original = getattr(error, "orig", None)
    if isinstance(original, sqlite3.Error):
        return _sqlite_error(original, folder)
    return None


def _os_error(error: OSError, folder: Path) -> str:
    where = error.filename if error.filename is not None else folder
    if error.errno in _NO_SPACE:
        return _("The disk is full: {path} could not be written. Nothing was changed; free some space and "
                 "try again.").format(path=where)
    if error.errno in _NOT_WRITABLE:
        return _("{path} cannot be written (a read-only folder or no permission). Nothing was changed.").format(
            path=where)
    if error.errno in _WRONG_KIND:
        return _("{path}: a folder stands where a file should be, or the other way round. Nothing was "
                 "changed.").format(path=where)
    return _("Cannot read or write {path}: {reason}. Nothing was changed.").format(
        path=where, reason=error.strerror or type(error).__name__)


def scan_stopped(error: BaseException, folder: Path, pages: int) -> str | None:
    """One line for an I/O failure that stopped a scan loop after ``pages`` pages of this run; ``None`` if it is
    not one. Each page went through in its own transaction, so those pages are kept and :func:`describe`'s
    "Nothing was changed" would be false; the page that failed is neither stored nor half kept, and the scan goes
    on with it when run again (:mod:`common.scanning.loop`)."""
    line = describe(error, folder)
    if line is None:
        return None
    if _is_full(error, folder):
        return _("The disk is full: the scan stopped after {pages} page(s), which are kept. Free some space and scan "
                 "again: the scan goes on where it stopped.").format(pages=pages)
    if isinstance(error, OSError):
        where = error.filename if error.filename is not None else folder
        reason = error.strerror or type(error).__name__
    else:
        where, reason = folder, getattr(getattr(error, "orig", None), "sqlite_errorname", type(error).__name__)
    return _("The scan stopped after {pages} page(s), which are kept: {path} could not be written ({reason}). "
             "Scan again once it can be: the scan goes on where it stopped.").format(pages=pages, path=where,
                                                                                   reason=reason)


@contextlib.contextmanager
def scanning(folder: Path, pages: Callable[[], int]) -> Iterator[None]:
    """Around a scan loop (a command's or a window's): an I/O failure that stops it becomes ``Refused`` with
    :func:`scan_stopped`'s line; ``pages()`` counts the pages of this run so far."""
    from common.errors import Refused

    try:
        yield
    except (OSError, DBAPIError) as error:
        message = scan_stopped(error, folder, pages())
        if message is None:
            raise
        raise Refused(message) from error


def _is_full(error: BaseException, folder: Path) -> bool:
    if isinstance(error, OSError):
        return error.errno in _NO_SPACE
    original = getattr(error, "orig", None)
    return isinstance(original, sqlite3.Error) and _database_full(original, folder)


def _database_full(error: sqlite3.Error, folder: Path) -> bool:
    code = getattr(error, "sqlite_errorcode", 0) & 0xFF
    return code == SQLITE_FULL or (code == SQLITE_IOERR and _nearly_full(folder))  # WAL's -shm on a full disk


def damaged_database(folder: Path) -> str:
    """The line for a database whose pages are damaged."""
    return _("The database in {path} is damaged; restore the folder from its copy.").format(path=folder)


def _nearly_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < _NEARLY_FULL_BYTES
    except OSError:
        return False


def _sqlite_error(error: sqlite3.Error, folder: Path) -> str:
    code = getattr(error, "sqlite_errorcode", 0) & 0xFF
    if _database_full(error, folder):
        return _("The disk is full: the database in {path} could not be written. Nothing was changed; free some "
                 "space and try again.").format(path=folder)
    if code in (SQLITE_READONLY, SQLITE_PERM, SQLITE_CANTOPEN):
        return _("The database in {path} cannot be written (a read-only folder or no permission). Nothing was "
                 "changed.").format(path=folder)
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return _("The database in {path} is busy with another program; try again when it has finished.").format(
            path=folder)
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return damaged_database(folder)
    if code == SQLITE_IOERR:
        return _("The disk of {path} failed to read or write the database. Nothing was changed.").format(
            path=folder)
    return _("The database in {path} could not be used: {reason}. Nothing was changed.").format(
        path=folder, reason=getattr(error, "sqlite_errorname", type(error).__name__))
