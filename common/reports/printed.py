"""Keeping what was printed: every PDF goes into the workstation's ``printed/`` folder, atomically,
with an audit entry in the caller's transaction (ARCHITECTURE.md: every printed form is audited).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from common.db.rollback import remove_on_rollback
from common.files import atomic_write_bytes
from common.reports.document import BuiltForm
from common.workstation import DataFolder

AUDIT_ACTION = "form.printed"
_UNSAFE = re.compile(r"[^0-9A-Za-z._-]+")


@dataclass(frozen=True)
class PrintedForm:
    """A form saved in ``printed/``: where it is and what it holds."""

    path: Path
    form: str
    language: str
    pages: int
    sha256: str


def printed_file_name(form: str, language: str, when: datetime, suffix: str = "") -> str:
    """``<form>[_<suffix>]_<language>_<YYYYmmdd-HHMMSS>.pdf``, safe on every file system."""
    parts = [form, suffix, language, when.strftime("%Y%m%d-%H%M%S")]
    return "_".join(_UNSAFE.sub("-", part) for part in parts if part) + ".pdf"


def save_printed(
    folder: DataFolder,
    form: str,
    built: BuiltForm,
    *,
    session: Session,
    actor: str,
    suffix: str = "",
    when: datetime | None = None,
) -> PrintedForm:
    """Write ``built`` into ``folder.printed`` and record it in the audit log.

    ``form`` is a short stable key (``app28``, ``schools-directory``); ``suffix`` tells copies of one
    form apart (a room number). An earlier print is never overwritten: a second print in the same
    second gets ``-2``, ``-3`` … The audit entry is written through ``session``, so it is committed
    together with the caller's other changes, or not at all; if the transaction rolls back, the file
    is removed again, so ``printed/`` holds exactly the audited prints.
    """
    from common.security.audit import AuditLog

    moment = when or datetime.now().astimezone()
    name = printed_file_name(form, built.language, moment, suffix)
    path = folder.printed / name
    counter = 2
    while path.exists():
        path = folder.printed / f"{Path(name).stem}-{counter}.pdf"
        counter += 1
    digest = hashlib.sha256(built.pdf).hexdigest()
    # The entry first: if writing the file fails, the caller's transaction rolls the entry back.
    AuditLog(folder.audit_log).record(
        session,
        actor=actor,
        action=AUDIT_ACTION,
        target=path.name,
        details={"form": form, "language": built.language, "pages": built.pages, "sha256": digest},
    )
    atomic_write_bytes(path, built.pdf)
    remove_on_rollback(session, path)  # the files go if the record is rolled back
    return PrintedForm(path=path, form=form, language=built.language, pages=built.pages, sha256=digest)

