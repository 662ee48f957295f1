"""Files a command reads and writes, checked before it starts: a refusal rather than a traceback.

Options and arguments declare ``action=InputFile``, ``action=OutputFile`` or ``action=OutputFolder``;
the command line calls :func:`check_paths` before the command runs, so a missing input is named
before any password is asked, and an output that cannot be written is refused before anything is
done. Nothing is created: a missing folder is refused, naming it.
"""

from __future__ import annotations

import argparse
import errno
import os
import tempfile
from pathlib import Path
from typing import Any

from common.errors import Refused
from common.files import not_regular_file
from common.i18n import _

_CHECKS = "_path_checks"
INPUT, OUTPUT_FILE, OUTPUT_FOLDER = "input", "output-file", "output-folder"


class _PathAction(argparse.Action):
    kind = ""

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any, option: str | None = None
    ) -> None:
        if values is None:
            setattr(namespace, self.dest, values)
            return
        paths = [Path(value) for value in values] if isinstance(values, list) else Path(values)
        setattr(namespace, self.dest, paths)
        checks = list(getattr(namespace, _CHECKS, []))
        checks += [(self.kind, path) for path in (paths if isinstance(paths, list) else [paths])]
        setattr(namespace, _CHECKS, checks)


class InputFile(_PathAction):
    """A file the command reads: it must exist and be a regular file."""

    kind = INPUT


class OutputFile(_PathAction):
    """A file the command writes: its folder must exist and be writable; it must not be a folder."""

    kind = OUTPUT_FILE


class OutputFolder(_PathAction):
    """A folder the command writes into: it must exist and be writable."""

    kind = OUTPUT_FOLDER


def check_paths(args: argparse.Namespace) -> None:
    """Refuse (one line) the first declared path that cannot be used; see the module's doc."""
    for kind, path in getattr(args, _CHECKS, []):
        if kind == INPUT:
            check_input_file(path)
        elif kind == OUTPUT_FILE:
            check_output_file(path)
        else:
            check_output_folder(path)


def check_input_file(path: Path) -> Path:
    if not path.exists():
        raise Refused(_("There is no file {path}.").format(path=path))
    if not path.is_file():
        raise not_regular_file(str(path))
    if not os.access(path, os.R_OK):
        raise Refused(_("Cannot read {path}: {reason}.").format(path=path, reason=_("permission denied")))
    return path


def check_output_file(path: Path) -> Path:
    if path.is_dir():
        raise Refused(_("{path} is a folder; give the name of a file to write.").format(path=path))
    check_output_folder(path.parent if str(path.parent) else Path("."))
    return path


def check_output_folder(folder: Path) -> Path:
    if not folder.exists():
        raise Refused(_("The folder {folder} does not exist; create it first or choose another.").format(folder=folder))
    if not folder.is_dir():
        raise Refused(_("{folder} is not a folder.").format(folder=folder))
    try:  # the only sure test (root passes any permission check, yet /proc or a full disk refuse)
        handle, probe = tempfile.mkstemp(prefix=".ent-write-test-", dir=folder)
        os.close(handle)
        os.unlink(probe)
    except OSError as error:
        # no such file although the folder is there: a system folder such as /proc
        reason = _("files cannot be created there") if error.errno == errno.ENOENT else os_reason(error)
        message = _("Cannot write into the folder {folder}: {reason}.").format(folder=folder, reason=reason)
        raise Refused(message) from error
    return folder


def os_reason(error: OSError) -> str:
    """A translated reason for a failed file operation."""
    reasons: dict[int, str] = {
        errno.EACCES: _("permission denied"),
        errno.EPERM: _("permission denied"),
        errno.EROFS: _("the disk is read-only"),
        errno.ENOSPC: _("the disk is full"),
        errno.ENOENT: _("the folder does not exist"),
        errno.ENOTDIR: _("a part of the path is not a folder"),
        errno.EISDIR: _("it is a folder"),
    }
    return reasons.get(error.errno or 0, error.strerror or str(error))
