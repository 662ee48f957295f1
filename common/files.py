"""Files the suite writes: always atomically (temporary file, fsync, replace), readable by the
operator's account only (files 0600, folders 0700: they hold applicants' personal data; on
Windows the data folder's ACL admits only its user and the Administrators group)."""

from __future__ import annotations

import contextlib
import csv
import getpass
import io
import os
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from common.errors import Refused
from common.i18n import _

PRIVATE_FILE_MODE = 0o600
PRIVATE_FOLDER_MODE = 0o700
PRIVATE_UMASK = 0o077
ADMINISTRATORS_SID = "*S-1-5-32-544"


@contextlib.contextmanager
def private_umask() -> Iterator[None]:
    """Everything created inside the block — by the suite, SQLite or a library — is 0600 / 0700."""
    previous = os.umask(PRIVATE_UMASK)
    try:
        yield
    finally:
        os.umask(previous)


def make_private_folder(path: Path) -> None:
    """Create ``path`` (and its parents) if needed, and leave only its owner access to it."""
    path.mkdir(mode=PRIVATE_FOLDER_MODE, parents=True, exist_ok=True)
    restrict_folder(path)


def restrict_folder(path: Path) -> None:
    """0700 on POSIX; on Windows an ACL for the user and the Administrators group only (icacls)."""
    if os.name == "nt":
        done = subprocess.run(windows_acl_command(path, _windows_user()), check=False, capture_output=True)
        if done.returncode != 0:
            raise Refused(_("Could not limit access to {path} to this user (icacls failed); the folder is "
                            "not set up.").format(path=path))
    else:
        os.chmod(path, PRIVATE_FOLDER_MODE)


def windows_acl_command(path: Path, user: str) -> list[str]:
    """``icacls`` that removes inherited entries and grants full control to ``user`` and Administrators
    (inherited by every file and folder made inside)."""
    return [
        "icacls", str(path), "/inheritance:r",
        "/grant:r", f"{user}:(OI)(CI)F",
        "/grant:r", f"{ADMINISTRATORS_SID}:(OI)(CI)F",
    ]


def _windows_user() -> str:
    domain, user = os.environ.get("USERDOMAIN"), os.environ.get("USERNAME") or getpass.getuser()
    return f"{domain}\\{user}" if domain else user


def create_private_file(path: Path) -> None:
    """Create an empty ``path`` readable by its owner only, unless it exists (SQLite then keeps the mode,
    and gives its -wal and -shm files the same)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))
    except FileExistsError:
        return


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` so that ``path`` holds either the old or the new content, never a part."""
    path.parent.mkdir(mode=PRIVATE_FOLDER_MODE, parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def sync_file(path: Path) -> None:
    """Make ``path``'s content durable (a file another program wrote, or one just linked)."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def sync_folder(folder: Path) -> None:
    """Make ``folder``'s entries (a name just created, replaced or linked) durable; not on Windows,
    which cannot open a folder for it (NTFS journals the entries)."""
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def append_synced(path: Path, data: bytes, *, create: bool = True) -> None:
    """Append ``data`` to ``path`` and sync it before returning; a file it creates (0600) has its folder
    entry synced too. With ``create=False`` a missing ``path`` raises ``FileNotFoundError``."""
    created = create and not path.exists()
    flags = os.O_WRONLY | os.O_APPEND | (os.O_CREAT if create else 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags, PRIVATE_FILE_MODE)
    try:
        written = 0
        while written < len(data):
            written += os.write(descriptor, data[written:])
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    if created:
        sync_folder(path.parent)


def read_input_file(path: Path, label: str | None = None) -> bytes:
    """The bytes of an input file the operator named; refused (one line) unless it is a regular file.

    A device, FIFO or folder is refused before anything is read: ``/dev/zero`` would never end and
    a FIFO would wait forever. The file is opened without blocking and checked by its descriptor,
    so what is read is what was checked. Messages name the file by ``label`` (default: the path).
    """
    label = label or str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except IsADirectoryError as error:
        raise not_regular_file(label) from error
    except OSError as error:
        raise Refused(_("Cannot read {path}: {reason}").format(path=label, reason=error.strerror)) from error
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise not_regular_file(label)
        if hasattr(os, "set_blocking"):
            os.set_blocking(descriptor, True)
        with os.fdopen(descriptor, "rb", closefd=False) as stream:
            return stream.read()
    except OSError as error:
        raise Refused(_("Cannot read {path}: {reason}").format(path=label, reason=error.strerror)) from error
    finally:
        os.close(descriptor)


def not_regular_file(path: str) -> Refused:
    """The one line for a device, pipe or folder named where a file is wanted."""
    return Refused(_("{path} is not a regular file (a folder, device or pipe); name a file.").format(path=path))


def csv_table(text: str, delimiter: str, name: str) -> list[list[str]]:
    """The rows of CSV ``text``; a malformed file (a field over the CSV reader's limit of 131 072
    characters, a NUL byte) is refused naming ``name`` and the row."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        return [list(row) for row in reader]
    except csv.Error as error:
        raise Refused(
            _("{file}, row {row}: not a readable CSV row (a cell over {limit} characters or a stray byte).").format(
                file=name, row=reader.line_num, limit=csv.field_size_limit()
            )
        ) from error
