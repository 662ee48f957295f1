"""Reconciling a school's registration journal with the database (ch. 18, п. 101–102).

The secretary reads the paper journal; the program says for each ИКТ what the database holds
(внесен / изменен / аннулирован), which ИКТ were skipped — free rows before the last one used
(п. 101.5) — and, given the ИКТ the journal shows as registered and as annulled, the four
mismatches of п. 102:

1. registered in the journal, not in the database (no certificate written either);
2. annulled in the journal, not annulled in the database;
3. annulled in the database, not marked annulled in the journal;
4. in the database, missing from the journal.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from arm_applications.plan import school_key
from common.db.models import ApplicationStatus, IktStatus, School
from common.errors import Refused
from common.i18n import _


@dataclass(frozen=True)
class Reconciliation:
    school: str
    statuses: dict[str, str]
    """ИКТ → entered / changed / annulled, for every ИКТ with an application."""
    skipped: tuple[str, ...]
    not_in_database: tuple[str, ...]
    not_annulled_in_database: tuple[str, ...]
    not_annulled_in_journal: tuple[str, ...]
    not_in_journal: tuple[str, ...]

    @property
    def mismatches(self) -> int:
        return sum(len(items) for items in (self.not_in_database, self.not_annulled_in_database,
                                            self.not_annulled_in_journal, self.not_in_journal))


def parse_ikts(text: str | None) -> set[str] | None:
    """``"100000001-100000012,100000015"`` → the ИКТ it names; None for no list."""
    if text is None:
        return None
    found: set[str] = set()
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        first, _dash, last = part.partition("-")
        if not first.isdigit() or (last and not last.isdigit()):
            raise Refused(_("Write ИКТ as a list like 100000001-100000012,100000015."))
        width = len(first)
        found.update(f"{value:0{width}d}" for value in range(int(first), int(last or first) + 1))
    return found


def reconcile(school: School, registered: Collection[str] | None, annulled: Collection[str] | None) -> Reconciliation:
    rows = list(school.journal)
    if not rows:
        raise Refused(_("School {school} has no journal yet: print it first.").format(school=school_key(school)))
    statuses = {row.ikt: row.application.status.value for row in rows if row.application is not None}
    last_used = max((row.row_number for row in rows if row.application is not None), default=0)
    skipped = tuple(row.ikt for row in rows if row.row_number < last_used and row.application is None
                    and row.status == IktStatus.FREE)
    in_database = set(statuses)
    annulled_in_database = {ikt for ikt, status in statuses.items() if status == ApplicationStatus.ANNULLED.value}
    journal = set(registered) if registered is not None else None
    marked = set(annulled) if annulled is not None else set()
    return Reconciliation(
        school=school_key(school), statuses=statuses, skipped=skipped,
        not_in_database=tuple(sorted(journal - in_database)) if journal is not None else (),
        not_annulled_in_database=tuple(sorted(marked - annulled_in_database)),
        not_annulled_in_journal=tuple(sorted(annulled_in_database - marked)) if annulled is not None else (),
        not_in_journal=tuple(sorted(in_database - journal)) if journal is not None else (),
    )


def describe(result: Reconciliation) -> list[str]:
    """The reconciliation as the secretary reads it: the counts, then each list of mismatches (п. 101–102)."""
    counts = {status: list(result.statuses.values()).count(status) for status in ("entered", "changed", "annulled")}
    lines = [_("{school}: {entered} entered, {changed} changed, {annulled} annulled.").format(
        school=result.school, **counts)]
    for title, items in (
        (_("ИКТ skipped in the journal (п. 101.5)"), result.skipped),
        (_("Registered in the journal, not in the database (п. 102.1)"), result.not_in_database),
        (_("Annulled in the journal, not in the database (п. 102.2)"), result.not_annulled_in_database),
        (_("Annulled in the database, not marked in the journal (п. 102.3)"), result.not_annulled_in_journal),
        (_("In the database, missing from the journal (п. 102.4)"), result.not_in_journal),
    ):
        if items:
            lines.append(f"{title}: {', '.join(items)}")
    if not result.skipped and not result.mismatches:
        lines.append(_("The journal and the database agree."))
    return lines
