"""The results without appeal the sites sent (п. 180): one row per seated applicant of a stream.

The ``results`` package (``arm_programmer.results.results_payload``) carries a stream's results;
a later package for the same site and stream replaces the stream's rows (``received_id`` is the
package they came from; the older package stays in ``received_packages`` with ``current`` false).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from nct_hub.db.base import Base
from nct_hub.db.import_models import JSON_TYPE


class ResultColumns:
    """One seated applicant's result as the ``results`` and ``final-results`` payloads carry it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    site_code: Mapped[str] = mapped_column(String(16))
    received_id: Mapped[int] = mapped_column(ForeignKey("received_packages.id", ondelete="CASCADE"), index=True)
    stream: Mapped[int] = mapped_column(Integer)
    exam_date: Mapped[date] = mapped_column(Date)
    ikt: Mapped[str] = mapped_column(String(12), index=True)
    iin: Mapped[str | None] = mapped_column(String(12))
    school_code: Mapped[str] = mapped_column(String(6))
    test_language: Mapped[str] = mapped_column(String(2))
    room_number: Mapped[str] = mapped_column(String(4))
    seat: Mapped[int | None] = mapped_column(Integer)
    sheet_number: Mapped[str | None] = mapped_column(String(20))
    variant: Mapped[str | None] = mapped_column(String(10))
    creative: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16))
    subjects: Mapped[list[dict[str, Any]]] = mapped_column(JSON_TYPE, default=list)
    """``[{"code": "MATH", "points": 31, "max": 40}, …]`` in the order they were scored."""
    total: Mapped[int | None] = mapped_column(Integer)
    max_total: Mapped[int | None] = mapped_column(Integer)


class ExamResult(ResultColumns, Base):
    """One seated applicant's result without appeal, as the site's programmer sent it."""

    __tablename__ = "exam_results"
    __table_args__ = (
        UniqueConstraint("site_code", "stream", "ikt"),
        Index("ix_exam_results_site_stream", "site_code", "stream"),
    )
