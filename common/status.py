"""What a window's status bar and About box show about a workstation folder (Qt-free)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from common.errors import Refused
from common.workstation import DataFolder


@dataclass(frozen=True)
class FolderStatus:
    data_dir: Path
    exists: bool
    schema_revision: str | None = None
    schema_head: str | None = None
    audit_ok: bool | None = None
    audit_entries: int = 0
    audit_problem: str | None = None
    site_code: str | None = None
    error: str | None = None

    @property
    def schema_current(self) -> bool:
        return self.exists and self.schema_revision is not None and self.schema_revision == self.schema_head


def folder_status(data_dir: Path, previous: FolderStatus | None = None) -> FolderStatus:
    """Read the folder's schema revision, audit-log state and site; never raises for a bad folder.

    The whole audit chain is verified unless ``previous`` (a status whose chain was verified) is
    given: then only the entry count is read from the chain head and the verdict carried over, so a
    window can refresh after every change without re-reading a log of tens of thousands of lines. The full check
    is the window's ``info``: a database damaged anywhere is an error here too
    (:func:`common.db.opening.check_intact`).
    """
    folder = DataFolder(data_dir)
    if not folder.exists():
        return FolderStatus(data_dir=data_dir, exists=False)
    from common.db.engine import open_engine, transaction
    from common.db.migrate import current_revision, head_revision
    from common.db.opening import check_intact
    from common.db.workstation_info import get_identity
    from common.security.audit import AuditLog

    engine = open_engine(folder.database)
    try:
        if previous is None or not previous.exists or previous.audit_ok is None:  # the full check
            check_intact(engine, data_dir)
        revision = current_revision(engine)
        log = AuditLog(folder.audit_log)
        with transaction(engine) as session:
            identity = get_identity(session)
            if previous is not None and previous.exists and previous.audit_ok is not None:
                entries, _digest = log.head(session)
                audit_ok, audit_problem = previous.audit_ok, previous.audit_problem
            else:
                report = log.verify(session)
                entries, audit_ok, audit_problem = report.entries, report.ok, report.problem
        return FolderStatus(
            data_dir=data_dir,
            exists=True,
            schema_revision=revision,
            schema_head=head_revision(),
            audit_ok=audit_ok,
            audit_entries=entries,
            audit_problem=audit_problem,
            site_code=identity.site_code if identity else None,
        )
    except Refused as refusal:
        return FolderStatus(data_dir=data_dir, exists=True, error=refusal.message)
    except (OSError, DBAPIError) as error:  # a folder where audit.log should be, a read-only folder …
        from common.failures import describe

        return FolderStatus(data_dir=data_dir, exists=True, error=describe(error, data_dir) or type(error).__name__)
    finally:
        engine.dispose()
