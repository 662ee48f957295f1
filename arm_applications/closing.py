"""Closing the applicant database (ch. 20, п. 13, 107): the closed state and the refusal of writes.

The technical secretary closes the database with the code НЦТ dictates (``close-applications``).
From then on the applications, journals, secretaries and the plan are never written again: every
service that writes them calls :func:`refuse_if_closed` first, so the window and the command line
refuse alike with one line. What follows closing — НЦТ's room opening, the distribution, the
prints and packages — reads the closed database and keeps its own state in
:class:`~common.db.models.ApplicantDatabaseState`.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from common.db.models import ApplicantDatabaseState
from common.errors import Refused
from common.i18n import _


def database_state(session: Session) -> ApplicantDatabaseState | None:
    """The closing's row, ``None`` while the database is open."""
    return session.get(ApplicantDatabaseState, 1)


def is_closed(session: Session) -> bool:
    return database_state(session) is not None


def closed_refusal(state: ApplicantDatabaseState) -> Refused:
    return Refused(_("The applicant database was closed on {date}: nothing in it can be changed any more.").format(
        date=state.closed_at.astimezone().strftime("%Y-%m-%d %H:%M")))


def refuse_if_closed(session: Session) -> None:
    """``Refused`` with one line when the database is closed (every write of applications calls it)."""
    state = database_state(session)
    if state is not None:
        raise closed_refusal(state)
