"""Files the suite writes: always atomically (temporary file, fsync, replace)."""

from __future__ import annotations

import csv
import io
import os
import stat
import tempfile
from pathlib import Path

from common.errors import Refused
from common.i18n import _


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` so that ``path`` holds either the old or the new content, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
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
        raise _not_regular(label) from error
    except OSError as error:
        raise Refused(_("Cannot read {path}: {reason}").format(path=label, reason=error.strerror)) from error
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise _not_regular(label)
        if hasattr(os, "set_blocking"):
            os.set_blocking(descriptor, True)
        with os.fdopen(descriptor, "rb", closefd=False) as stream:
            return stream.read()
    except OSError as error:
        raise Refused(_("Cannot read {path}: {reason}").format(path=label, reason=error.strerror)) from error
    finally:
        os.close(descriptor)


def _not_regular(path: str) -> Refused:
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
