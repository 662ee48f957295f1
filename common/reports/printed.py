"""Keeping what was printed: every PDF goes into the workstation's ``printed/`` folder, atomically,
with an audit entry in the caller's transaction (ARCHITECTURE.md: every printed form is audited).

The PDF exists under its name only once that transaction has committed (``NAME.pdf.pending`` until then,
:func:`common.exchange.outbox.write_after_commit`): a print killed before its commit leaves no form that its audit
entry does not name. The next print finishes or deletes what such a crash left (issue 19's drills).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from common.exchange.outbox import pending_path, recover_outbox, write_after_commit
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
    while path.exists() or pending_path(path).exists():
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
    # the log now holds every committed line (record completes it): a crash's leftovers are finished or removed
    audited: set[str] | None = None

    def committed(name: str) -> bool:  # the log is read only when a crash left something
        nonlocal audited
        if audited is None:
            audited = _audited_prints(folder.audit_log)
        return name in audited or name.split(".", 1)[0] + ".pdf" in audited  # a print's companion (a set's key)

    recover_outbox(folder.printed, committed)
    write_after_commit(session, path, built.pdf)  # under its name at the commit; never if it rolls back
    return PrintedForm(path=path, form=form, language=built.language, pages=built.pages, sha256=digest)


def _audited_prints(log: Path) -> set[str]:
    """The file names the audit log records as printed."""
    names: set[str] = set()
    try:
        text = log.read_text(encoding="utf-8")
    except FileNotFoundError:
        return names
    for line in text.splitlines():
        if AUDIT_ACTION not in line:
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and entry.get("action") == AUDIT_ACTION and isinstance(entry.get("target"), str):
            names.add(entry["target"])
    return names
