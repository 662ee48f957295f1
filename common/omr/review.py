"""Confirming what the reader could not decide: the queue of flagged fields and each decision.

Every scanning workstation (applications, scanner check, exam day) puts its ``ambiguous`` and
``multiple`` fields before an operator in the same way: :func:`review_queue` orders them worst
page first (lowest ``quality``), fields in layout order; the operator types the value the marks
show; :func:`check_value` says whether the field can hold it; :func:`record_decision` writes the
decision to the audit log under the operator's name in the caller's transaction. Values of the
personal-data groups (names, ИИН) never reach the log: only whether the operator changed them.
The window is :class:`common.ui.omr_review.ReviewWidget`; nothing here imports Qt.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from common.errors import Refused
from common.i18n import _
from common.omr.layout import Layout
from common.omr.reader import PageResult
from common.omr.synth import split_value

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from common.security.audit import AuditLog

REVIEWED_FLAGS = ("ambiguous", "multiple")
PERSONAL_GROUPS = frozenset({"surname", "name", "patronymic", "iin"})
"""Groups whose values are personal data: kept out of the audit log (and every log)."""
AUDIT_ACTION = "omr.review"


@dataclass(frozen=True)
class ReviewItem:
    """One field for an operator: the page it is on and why it was flagged."""

    result: PageResult
    field: str
    kinds: tuple[str, ...]

    @property
    def read_value(self) -> str:
        return self.result.fields.get(self.field, "")


@dataclass(frozen=True)
class ReviewDecision:
    """What the operator confirmed for a field (``value`` as READER.md writes values)."""

    item: ReviewItem
    value: str
    operator: str

    @property
    def changed(self) -> bool:
        return self.value != self.item.read_value


def review_queue(results: Iterable[PageResult], layout: Layout) -> list[ReviewItem]:
    """The flagged fields of ``results``: the worst page first, each page's fields in layout order."""
    order = {item.name: index for index, item in enumerate(layout.fields)}
    pages = sorted((r for r in results if r.form == layout.form), key=lambda r: (r.quality, r.image, r.page))
    queue: list[ReviewItem] = []
    for result in pages:
        kinds: dict[str, list[str]] = {}
        for flag in result.flags:
            if flag.kind in REVIEWED_FLAGS and flag.field is not None:
                kinds.setdefault(flag.field, []).append(flag.kind)
        for name in sorted(kinds, key=lambda name: order.get(name, len(order))):
            queue.append(ReviewItem(result, name, tuple(kinds[name])))
    return queue


def check_value(layout: Layout, field: str, value: str) -> str:
    """``value`` as the field writes it (upper case, in layout order), or :class:`Refused`.

    Several values are accepted in any field: an operator confirming two marks on a single-choice
    task keeps them both, as the reader writes them (scoring then treats the task as READER.md and
    the instruction say)."""
    item = layout.field_by_name[field]
    try:
        parts = split_value(item.values, value.strip().upper())
    except ValueError:
        raise Refused(
            _("«{value}» is not a value of {field}: {values}").format(
                value=value, field=field, values=" ".join(item.values)
            )
        ) from None
    if len(set(parts)) != len(parts):
        raise Refused(_("A value is given twice: {value}").format(value=value))
    chosen = set(parts)
    return "".join(v for v in item.values if v in chosen)


def record_decision(session: Session, log: AuditLog, decision: ReviewDecision, layout: Layout) -> None:
    """Write ``decision`` to the audit log in ``session``'s transaction (under the operator's name)."""
    item = decision.item
    group = layout.field_by_name[item.field].group
    details: dict[str, object] = {
        "image": item.result.image,
        "page": item.result.page,
        "field": item.field,
        "flags": list(item.kinds),
        "changed": decision.changed,
    }
    if group not in PERSONAL_GROUPS:  # a letter's fills would spell the name as well as its value
        bubbles = layout.bubbles_by_field[item.field]
        details["fills"] = {bubble.value: item.result.bubbles.get(bubble.id) for bubble in bubbles}
        details["read"] = item.read_value
        details["confirmed"] = decision.value
    log.record(
        session,
        actor=decision.operator,
        action=AUDIT_ACTION,
        target=item.result.sheet_number or item.result.image,
        details=details,
    )
