"""The "daily-statistics" package (АРМ «Заявления ЕНТ», п. 12) as ``ent-nct stats`` reads it.

НЦТ keeps the package whole (``received_packages``; the newest of a site is ``current``). Its
payload (``docs/packages.md``) counts the site's applications per stream and room language status,
entered / changed / annulled. ``ent-nct stats`` counts a site's applicants from its applicant file
once it sent one, and until then from its newest daily statistics; entries that do not follow the
payload's format are left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from nct_hub.db.import_models import ReceivedPackage

KIND = "daily-statistics"
PAYLOAD_FORMAT = 1
LANGUAGES = ("kk", "ru", "en-kk", "en-ru")


def daily_applicants(session: Session) -> Iterator[tuple[str, int | None, str, int]]:
    """(site, stream, language status, live applications) from each site's newest daily statistics."""
    query = select(ReceivedPackage.site_code, ReceivedPackage.payload).where(
        ReceivedPackage.kind == KIND, ReceivedPackage.current.is_(True))
    for site, payload in session.execute(query):
        if not site or not isinstance(payload, dict) or payload.get("format") != PAYLOAD_FORMAT:
            continue
        counts = payload.get("counts")
        for item in counts if isinstance(counts, list) else ():
            entry = _entry(item)
            if entry is not None:
                yield (site, *entry)


def _entry(item: Any) -> tuple[int | None, str, int] | None:
    if not isinstance(item, dict):
        return None
    stream, language = item.get("stream"), item.get("language")
    values = [item.get(key, 0) for key in ("entered", "changed")]
    if (stream is not None and (isinstance(stream, bool) or not isinstance(stream, int))) or language not in LANGUAGES:
        return None
    if any(isinstance(value, bool) or not isinstance(value, int) or value < 0 for value in values):
        return None
    return stream, language, sum(values)
