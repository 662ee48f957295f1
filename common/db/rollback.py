"""Files made inside a transaction that must not outlive it when it rolls back."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session


def remove_on_rollback(session: Session, path: Path) -> None:
    """Delete ``path`` (a file or a whole folder) if ``session`` rolls back before it commits.

    A printed form or a check's page images are written before the row that records them; without
    this a failed action would leave files no record points to. Sessions live for one user action,
    so the two listeners go with the session.
    """
    committed = False

    def after_commit(_session: Session) -> None:
        nonlocal committed
        committed = True

    def after_rollback(_session: Session) -> None:
        if committed:
            return
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)

    event.listen(session, "after_commit", after_commit)
    event.listen(session, "after_rollback", after_rollback)
