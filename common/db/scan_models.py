"""Scanned application forms (п. 89.7, 94–96): one row per page taken by the scan loop.

The row is written in the transaction that stores the page's result (``common.scanning.loop``),
so ``page_id`` (unique) is what keeps a page from being taken twice. ``problems`` lists the rule
breaks and doubtful marks found (codes of the error protocol, ``common.codebook.FORM_ERRORS``,
with the field), ``overrides`` the values an operator set in review; ``values`` are the decoded
sectors as last decided. A page that failed the page check is a ``rescan`` request: the sheet goes
through the scanner again as a new page.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from common.db.base import Base, UtcDateTime, enum_column_type, utc_now
from common.db.models import Application, School


class ScanState(StrEnum):
    """``APPLIED``: the form entered, changed or annulled an application. ``FLAGGED``: waiting for
    review. ``RESCAN``: the page check failed. ``DUPLICATE``: the same form again, nothing changed.
    ``SET_ASIDE``: review decided the form is not used (the sheet is rescanned or corrected)."""

    APPLIED = "applied"
    FLAGGED = "flagged"
    RESCAN = "rescan"
    DUPLICATE = "duplicate"
    SET_ASIDE = "set-aside"


class ScannedForm(Base):
    __tablename__ = "scanned_forms"

    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[str] = mapped_column(String(200), unique=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="RESTRICT"), index=True)
    image: Mapped[str] = mapped_column(String(300))
    """The image's file name in ``scans/``."""
    state: Mapped[ScanState] = mapped_column(enum_column_type(ScanState, "state"))
    reading: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """The reader's fields, groups, flags and page check (READER.md), without the bubble fills."""
    values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    problems: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    overrides: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id", ondelete="RESTRICT"))
    scanned_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    school: Mapped[School] = relationship()
    application: Mapped[Application | None] = relationship()
