"""Daily statistics of applications to НЦТ (п. 12): one sealed "daily-statistics" package.

Per stream (the stream of the applicant's school; ``null`` for a school not yet in one) and room
language status (п. 80.2; English takers by their history language): the applications entered,
changed and annulled so far. НЦТ imports it into ``ent-nct stats``; a later package supersedes the
earlier one. The payload: ``docs/packages.md``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from common import codebook
from common.db.models import Application
from common.exchange import kinds
from common.workstation import DataFolder

KIND: Final = kinds.DAILY_STATISTICS.name
PAYLOAD_FORMAT: Final = 1


@dataclass(frozen=True)
class SentDaily:
    path: str
    sequence: int
    applications: int
    annulled: int


def daily_payload(session: Session, day: date) -> dict[str, Any]:
    counts: dict[tuple[int | None, str], dict[str, int]] = defaultdict(
        lambda: {"entered": 0, "changed": 0, "annulled": 0})
    for application in session.scalars(select(Application)):
        stream = application.school.stream.number if application.school.stream is not None else None
        history = application.history_language.value if application.history_language is not None else None
        language = codebook.room_language_status(application.test_language.value, history)
        counts[(stream, language)][application.status.value] += 1
    return {
        "format": PAYLOAD_FORMAT,
        "date": day.isoformat(),
        "counts": [{"stream": stream, "language": language, **values}
                   for (stream, language), values in sorted(counts.items(), key=lambda item: (item[0][0] or 0,
                                                                                                item[0][1]))],
    }


def send_daily(
    session: Session, folder: DataFolder, *, password: str, actor: str, day: date | None = None
) -> SentDaily:
    """Seal the day's statistics to НЦТ into ``outbox/`` (the key unlocked with ``password``)."""
    from common.exchange.addresses import NCT_ADDRESS
    from common.exchange.store import load_identity, load_trust, send_package
    from common.security.audit import AuditLog

    payload = daily_payload(session, day or date.today())
    sent = send_package(session, identity=load_identity(session, password), trust=load_trust(session),
                        recipient=NCT_ADDRESS, kind=KIND, payload=payload, outbox=folder.outbox,
                        audit=AuditLog(folder.audit_log), actor=actor)
    rows = payload["counts"]
    return SentDaily(path=str(sent.path), sequence=sent.sequence,
                     applications=sum(row["entered"] + row["changed"] for row in rows),
                     annulled=sum(row["annulled"] for row in rows))
