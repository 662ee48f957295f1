"""НЦТ's audit log: the file in its folder, the chain head in НЦТ's database (SQLite or PostgreSQL).

Every ``ent-nct`` action that writes records its entry in the same transaction as its data, so a
crash leaves both or neither (the workstations do the same with their own database). The head
row lives in НЦТ's database (``nct_hub.db.audit_models.NctAuditHead``); the first time a database
is used the head is taken over from the folder's database, where ``ent-nct init`` recorded the
folder's creation. Keep one НЦТ database per folder: two databases would keep two heads of one file.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from common.cli import CommandContext
from common.crashpoints import crash_point
from common.security.audit import AuditLog
from nct_hub.db.audit_models import NctAuditHead

HEAD_ID = 1


def nct_audit_log(context: CommandContext) -> AuditLog:
    return AuditLog(context.require_folder().audit_log, NctAuditHead)


def adopt_folder_head(context: CommandContext, session: Session) -> None:
    """Give НЦТ's database the chain head once, from the folder's database (``ent-nct init``'s entry)."""
    if session.get(NctAuditHead, HEAD_ID) is not None:
        return
    from common.db.models import AuditHead

    with context.transaction() as folder_session:
        row = folder_session.get(AuditHead, HEAD_ID)
        copied = (row.seq, row.hash, row.last_lines, row.last_offset) if row is not None else None
    if copied is None:
        return  # an empty chain: AuditLog starts it
    seq, digest, lines, offset = copied
    session.add(NctAuditHead(id=HEAD_ID, seq=seq, hash=digest, last_lines=lines, last_offset=offset))
    session.flush()


def record(context: CommandContext, session: Session, action: str, target: str | None, **details: Any) -> None:
    """Add an audit entry in ``session``'s transaction on НЦТ's database (ids and codes only)."""
    adopt_folder_head(context, session)
    nct_audit_log(context).record(session, actor=context.operator, action=action, target=target,
                                  details=details or None)
    crash_point("nct.audit.before_commit")
