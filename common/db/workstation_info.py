"""What this workstation folder is: which program made it, when, and the site it is enrolled at."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from common.db.base import Base, UtcDateTime, utc_now
from common.errors import Refused
from common.i18n import _

_ROW_ID = 1


class WorkstationInfo(Base):
    """One row (``id = 1``) describing the folder's database."""

    __tablename__ = "workstation_info"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    workstation_code: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    site_code: Mapped[str | None] = mapped_column(String(16))
    enrolled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


@dataclass(frozen=True)
class WorkstationIdentity:
    """``workstation_code`` is a :class:`common.workstation.Workstation` code ("applications").

    ``site_code`` and ``enrolled_at`` stay empty until the folder is enrolled at a site.
    """

    workstation_code: str
    created_at: datetime
    site_code: str | None
    enrolled_at: datetime | None


def set_identity(session: Session, workstation_code: str) -> WorkstationIdentity:
    """Mark the database as belonging to ``workstation_code`` (done once, by ``init``).

    Setting the same code again changes nothing; another code is refused: a folder belongs
    to one program.
    """
    row = session.get(WorkstationInfo, _ROW_ID)
    if row is None:
        row = WorkstationInfo(id=_ROW_ID, workstation_code=workstation_code, created_at=utc_now())
        session.add(row)
        session.flush()
    elif row.workstation_code != workstation_code:
        raise Refused(
            _("This folder belongs to the {owner} workstation, not to {requested}.").format(
                owner=row.workstation_code, requested=workstation_code
            )
        )
    return _identity(row)


def get_identity(session: Session) -> WorkstationIdentity | None:
    """The folder's identity, or ``None`` for a database that ``init`` has not marked."""
    row = session.get(WorkstationInfo, _ROW_ID)
    return None if row is None else _identity(row)


def set_enrolment(
    session: Session, site_code: str, enrolled_at: datetime | None = None
) -> WorkstationIdentity:
    """Record that the folder is enrolled at ``site_code`` (by the enrolment package)."""
    row = session.get(WorkstationInfo, _ROW_ID)
    if row is None:
        raise Refused(_("The workstation folder has no identity; it was not created by 'init'."))
    row.site_code = site_code
    row.enrolled_at = enrolled_at or utc_now()
    session.flush()
    return _identity(row)


def _identity(row: WorkstationInfo) -> WorkstationIdentity:
    return WorkstationIdentity(
        workstation_code=row.workstation_code,
        created_at=row.created_at,
        site_code=row.site_code,
        enrolled_at=row.enrolled_at,
    )
