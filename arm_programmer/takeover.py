"""The take-over's closing (п. 52.10): after it only the exam-day operations write.

The applicant database package is taken (``handover import``), the journal of changes entered
(``changes add``, п. 52.9, 109), then ``close`` closes it. Before the closing the exam-day operations
(the draw, late seating) are refused; after it the take-over's operations (another package, a change)
are refused — each in one line.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from common.db.base import utc_now
from common.db.models import ApplicantDatabaseState, Application
from common.db.programmer_models import TakeoverState
from common.errors import Refused
from common.i18n import N_, _

NO_APPLICANT_DATABASE = N_("No applicant database taken yet: take the package from АРМ «Заявления ЕНТ» (handover "
                           "import FILE).")
"""What the programmer's workstation says (refuses, shows) before the applicant database package is taken."""


def takeover_state(session: Session) -> TakeoverState | None:
    return session.get(TakeoverState, 1)


def require_taken(session: Session) -> None:
    """``Refused`` before the applicant database package is taken."""
    if session.get(ApplicantDatabaseState, 1) is None or not session.scalar(
            select(func.count()).select_from(Application)):
        raise Refused(_(NO_APPLICANT_DATABASE))


def require_open(session: Session) -> None:
    """``Refused`` once the take-over is closed: the database takes no more changes."""
    state = takeover_state(session)
    if state is not None:
        raise Refused(_("The applicant database was closed on {moment}: only the exam-day operations write "
                        "now.").format(moment=f"{state.closed_at:%Y-%m-%d %H:%M} UTC"))


def require_closed(session: Session) -> TakeoverState:
    """``Refused`` while the take-over is still open: the exam-day operations wait for the closing."""
    state = takeover_state(session)
    if state is None:
        raise Refused(_("The applicant database is not closed yet: enter the journal of changes and close it "
                        "first (close)."))
    return state


def close_takeover(session: Session, actor: str) -> TakeoverState:
    """Close the taken database (п. 52.10), in ``session``'s transaction."""
    require_taken(session)
    require_open(session)
    state = TakeoverState(id=1, closed_at=utc_now(), closed_by=actor[:100])
    session.add(state)
    session.flush()
    return state
