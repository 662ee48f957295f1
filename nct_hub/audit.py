"""НЦТ's audit log: the file in its folder, the chain head in НЦТ's database (SQLite or PostgreSQL).

Every ``ent-nct`` action that writes records its entry in the same transaction as its data, so a
crash leaves both or neither (the workstations do the same with their own database).

Where the head lives: ``ent-nct init`` records the folder's creation with the head in the folder's
own database, and ``keys init`` (files only, no НЦТ data) records there too while nothing else has
happened. The first command that writes НЦТ's data takes the head over into НЦТ's database
(``nct_hub.db.audit_models.NctAuditHead``) and notes which database in ``audit-head.json`` in the
folder (``nct.sqlite`` of the folder, or the URL given with ``--db``, password hidden). From then on
a command given another database is refused: two databases would keep two heads of one log.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from sqlalchemy.orm import Session

from common.cli import CommandContext
from common.crashpoints import crash_point
from common.errors import Refused
from common.files import atomic_write_text
from common.i18n import _
from common.security.audit import AuditLog, AuditReport
from nct_hub.db.audit_models import NctAuditHead
from nct_hub.db.engine import DATABASE_FILE

HEAD_ID: Final = 1
MARKER_FILE: Final = "audit-head.json"
FOLDER_DATABASE: Final = DATABASE_FILE
"""How ``audit-head.json`` names the default database (``nct.sqlite`` in the folder, wherever it moves)."""


def nct_audit_log(context: CommandContext) -> AuditLog:
    return AuditLog(context.require_folder().audit_log, NctAuditHead)


def head_database(context: CommandContext) -> str | None:
    """The database that holds the chain head, or ``None`` while it is still in the folder's."""
    try:
        value = json.loads((context.data_dir / MARKER_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        raise Refused(_("Cannot read {path}: {reason}").format(path=context.data_dir / MARKER_FILE,
                                                               reason=error)) from error
    database = value.get("database") if isinstance(value, dict) else None
    return database if isinstance(database, str) else None


def database_name(context: CommandContext, session: Session) -> str:
    """``nct.sqlite`` for the folder's database, else its URL without the password."""
    url = session.get_bind().engine.url
    folder_database = (context.data_dir / DATABASE_FILE).resolve()
    if url.get_backend_name() == "sqlite" and url.database and Path(url.database).resolve() == folder_database:
        return FOLDER_DATABASE
    return url.render_as_string(hide_password=True)


def claim_head(context: CommandContext, session: Session) -> None:
    """Make sure ``session``'s database holds the chain head, taking it over from the folder's once.

    ``Refused`` if another database took it over before.
    """
    name = database_name(context, session)
    holder = head_database(context)
    if holder is not None and holder != name:
        raise Refused(_("НЦТ's audit log is kept with the database {holder}, not {database}: give the same "
                        "--db as before.").format(holder=holder, database=name))
    if session.get(NctAuditHead, HEAD_ID) is None:
        from common.db.models import AuditHead

        with context.transaction() as folder_session:
            row = folder_session.get(AuditHead, HEAD_ID)
            copied = (row.seq, row.hash, row.last_lines, row.last_offset) if row is not None else None
        if copied is not None:
            seq, digest, lines, offset = copied
            session.add(NctAuditHead(id=HEAD_ID, seq=seq, hash=digest, last_lines=lines, last_offset=offset))
            session.flush()
    if holder is None:  # before the commit: a crash leaves the note, and the next command takes over again
        atomic_write_text(context.data_dir / MARKER_FILE, json.dumps({"database": name}) + "\n")


def record(context: CommandContext, session: Session, action: str, target: str | None, **details: Any) -> None:
    """Add an audit entry in ``session``'s transaction on НЦТ's database (ids and codes only)."""
    claim_head(context, session)
    nct_audit_log(context).record(session, actor=context.operator, action=action, target=target,
                                  details=details or None)
    crash_point("nct.audit.before_commit")


@dataclass
class AuditSession:
    """Where an action that writes no НЦТ data (``keys init``) records its entry."""

    context: CommandContext
    session: Session
    in_folder: bool

    def record(self, action: str, target: str | None, **details: Any) -> None:
        if self.in_folder:
            self.context.audit(self.session, action, target, **details)
            crash_point("nct.audit.before_commit")
        else:
            record(self.context, self.session, action, target, **details)


@contextlib.contextmanager
def audit_transaction(context: CommandContext, db: str | None) -> Iterator[AuditSession]:
    """A transaction on whichever database holds the chain head now (see the module's notes)."""
    if head_database(context) is None:
        with context.transaction() as session:
            yield AuditSession(context, session, in_folder=True)
        return
    from nct_hub.db.session import nct_transaction

    with nct_transaction(context, db) as session:
        yield AuditSession(context, session, in_folder=False)


def verify(context: CommandContext, db: str | None) -> AuditReport:
    """Check НЦТ's audit log against its head, wherever that lives now."""
    if head_database(context) is None:
        with context.transaction() as session:
            return AuditLog(context.require_folder().audit_log).verify(session)
    from nct_hub.db.session import nct_transaction

    with nct_transaction(context, db) as session:
        claim_head(context, session)
        return nct_audit_log(context).verify(session)
