"""Registration journals (прил. 5, п. 90–91) and the state of their rows (п. 101.5, 104.5, 107.3).

A school's journal has a row for each expected applicant plus a margin (``codebook.journal_rows``),
each with its ИКТ already printed: the applicant gets the ИКТ of the row their name is written in
(п. 91). The ИКТ come from the site's blocks in the plan from НЦТ, in order, each given once: a
journal that grows takes the next ИКТ after every one ever given, so an ИКТ is never reused —
not after an annulment, not after a row was struck out or went missing. At closing the free rows
are struck out with «Z» (п. 107.3); a row found missing at reconciliation is marked so (п. 101.5).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from arm_applications.closing import refuse_if_closed
from arm_applications.plan import ikt_blocks, school_key
from common import codebook
from common.db.models import IktRow, IktStatus, School
from common.errors import Refused
from common.i18n import N_, _


@dataclass(frozen=True)
class JournalState:
    school: str
    name_kk: str
    name_ru: str
    expected: int
    rows: int
    free: int
    used: int
    struck: int
    missing: int
    first_ikt: str | None
    last_ikt: str | None


def _next_ikts(session: Session, count: int) -> list[str]:
    """``count`` ИКТ never given before, from the plan's blocks in order; ``Refused`` when they run out."""
    blocks = ikt_blocks(session)
    if not blocks:
        raise Refused(_("No site plan yet: take the plan package from НЦТ first (plan import FILE)."))
    highest = session.scalar(select(func.max(IktRow.ikt)))
    after = -1 if highest is None else int(highest)
    found: list[str] = []
    for block in blocks:
        start = max(block.first, after + 1)
        while start <= block.last and len(found) < count:
            found.append(f"{start:0{codebook.IKT_DIGITS}d}")
            start += 1
        if len(found) == count:
            return found
    raise Refused(_("The site's ИКТ block is used up: ask НЦТ for a new site plan (it adds a block)."))


def extend_journal(session: Session, school: School, rows: int) -> list[IktRow]:
    """Add ``rows`` rows with new ИКТ at the end of ``school``'s journal."""
    refuse_if_closed(session)
    if rows < 1:
        raise Refused(_("Add at least one row."))
    last = session.scalar(select(func.max(IktRow.row_number)).where(IktRow.school_id == school.id)) or 0
    added = [IktRow(ikt=ikt, school_id=school.id, row_number=last + offset, status=IktStatus.FREE)
             for offset, ikt in enumerate(_next_ikts(session, rows), start=1)]
    session.add_all(added)
    session.flush()
    return added


def ensure_journal(session: Session, school: School) -> list[IktRow]:
    """The school's journal rows, made for the expected applicants plus a margin when it has none yet."""
    if not school.journal:
        expected = sum(school.expected_applicants.values())
        extend_journal(session, school, codebook.journal_rows(expected))
        session.refresh(school, ["journal"])
    return list(school.journal)


def journal_state(session: Session, school: School) -> JournalState:
    counts = {status: count for status, count in session.execute(
        select(IktRow.status, func.count()).where(IktRow.school_id == school.id).group_by(IktRow.status))}
    bounds = session.execute(select(func.min(IktRow.ikt), func.max(IktRow.ikt))
                             .where(IktRow.school_id == school.id)).one()
    return JournalState(
        school=school_key(school), name_kk=school.name_kk, name_ru=school.name_ru,
        expected=sum(school.expected_applicants.values()), rows=sum(counts.values()),
        free=counts.get(IktStatus.FREE, 0), used=counts.get(IktStatus.USED, 0),
        struck=counts.get(IktStatus.STRUCK, 0), missing=counts.get(IktStatus.MISSING, 0),
        first_ikt=bounds[0], last_ikt=bounds[1],
    )


def strike_free_rows(session: Session, school: School) -> int:
    """Closing (п. 107.3): every row still free is struck out with «Z»; returns how many."""
    refuse_if_closed(session)
    if not school.journal:
        raise Refused(_("School {school} has no journal yet: print it first.").format(school=school_key(school)))
    rows = [row for row in school.journal if row.status == IktStatus.FREE]
    for row in rows:
        row.status = IktStatus.STRUCK
    session.flush()
    return len(rows)


def mark_missing(session: Session, ikts: Sequence[str]) -> list[IktRow]:
    """Rows found missing from a journal (п. 101.5): only a free row can be missing."""
    refuse_if_closed(session)
    marked = []
    for ikt in ikts:
        row = session.scalar(select(IktRow).where(IktRow.ikt == ikt.strip()))
        if row is None:
            raise Refused(_("ИКТ {ikt} is in no journal of this site.").format(ikt=ikt))
        if row.status != IktStatus.FREE:
            raise Refused(_("ИКТ {ikt} is not a free row: it is {state}.").format(
                ikt=ikt, state=_(STATE_NAMES[row.status])))
        row.status = IktStatus.MISSING
        marked.append(row)
    session.flush()
    return marked


STATE_NAMES = {
    IktStatus.FREE: N_("free"),
    IktStatus.USED: N_("used"),
    IktStatus.STRUCK: N_("struck out with Z"),
    IktStatus.MISSING: N_("missing"),
}
