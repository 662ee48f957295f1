"""The ``final-results`` packages at НЦТ (п. 206): a stream's results with appeal, per site and stream.

The payload is ``arm_programmer.appeal_records.final_results_payload``: the ``results`` shape
(checked as :mod:`nct_hub.results` checks it) and ``changes``, every task's points an appeal decision
changed. :func:`import_final_results` files one :class:`FinalExamResult` per seated applicant with the
changes of its tasks, written in bulk (:func:`nct_hub.bulk.insert_rows`); they stand for the
stream beside the results without appeal (``ent-nct results show --final``) and the results look-up file
takes them where they exist. A later package for the same site and stream replaces the stream's rows
(``nct_hub.imports``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

from sqlalchemy.orm import Session

from arm_programmer.appeal_records import FINAL_RESULTS_FORMAT
from common.errors import Refused
from common.i18n import _
from nct_hub.bulk import insert_rows
from nct_hub.db.appeal_models import FinalExamResult
from nct_hub.db.import_models import ReceivedPackage
from nct_hub.payload_checks import Bad, count_of, entry_of, list_of, text_of
from nct_hub.results import STATUSES, checked_results

KIND: Final = "final-results"


def import_final_results(session: Session, received_id: int, site_code: str, payload: Mapping[str, Any]
                         ) -> dict[str, int]:
    """File a stream's results with appeal; returns the counts for the import summary. Refused when malformed."""
    received = session.get(ReceivedPackage, received_id)
    stream = received.stream_key if received is not None else 0
    try:
        rows = checked_results(payload, site_code, stream, FINAL_RESULTS_FORMAT)
        changes = _changes(payload.get("changes"), {row["ikt"]: row for row in rows})
    except Bad as bad:
        raise Refused(_("The results with appeal are not valid: {where}: {problem}.").format(
            where=bad.where, problem=bad.problem)) from None  # fmt: skip
    for row in rows:
        row["changes"] = changes.get(row["ikt"], [])
        row["received_id"] = received_id
    insert_rows(session, FinalExamResult, rows)
    counts = {status: sum(1 for row in rows if row["status"] == status) for status in STATUSES}
    return {"results": len(rows), **counts, "changes": sum(len(items) for items in changes.values())}


def _changes(value: Any, rows: Mapping[str, Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    changes: dict[str, list[dict[str, Any]]] = {}
    seen: set[tuple[str, str, int]] = set()
    for index, element in enumerate(list_of(value, "changes")):
        where = f"changes[{index}]"
        item = entry_of(element, where)
        ikt = text_of(item, "ikt", where)
        row = rows.get(ikt)
        if row is None:
            raise Bad(f"{where}.ikt", _("not an applicant of these results"))
        subject = text_of(item, "subject", where)
        if subject not in {str(entry["code"]) for entry in row["subjects"]}:
            raise Bad(f"{where}.subject", _("not one of the applicant's scored subjects"))
        task, before, after, appeal = (count_of(item, key, where) for key in ("task", "before", "after", "appeal"))
        if task is None or task < 1 or before is None or after is None or appeal is None or appeal < 1:
            raise Bad(where, _("the task, the points before and after and the appeal number are whole numbers"))
        if (ikt, subject, task) in seen:
            raise Bad(where, _("the task is changed twice"))
        seen.add((ikt, subject, task))
        decided_by = text_of(item, "decided_by", where, limit=200)
        applied_at = text_of(item, "applied_at", where, limit=40)
        try:
            datetime.fromisoformat(applied_at)
        except ValueError:
            raise Bad(f"{where}.applied_at", _("not a date and time (ISO 8601)")) from None
        changes.setdefault(ikt, []).append({"subject": subject, "task": task, "before": before, "after": after,
                                            "appeal": appeal, "decided_by": decided_by, "applied_at": applied_at})
    return changes
