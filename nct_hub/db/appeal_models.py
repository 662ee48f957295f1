"""Appeals at НЦТ (ch. 32–39): the applications a site's ``appeals`` package carried, their disputed
tasks with the Republican commission's decisions (п. 203–205), and the results with appeal the
``final-results`` package brings (п. 206).

A newer ``appeals`` package for the same site and stream replaces the pending tasks; a task the
Republican commission decided is final (п. 205) and stays as it was decided.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nct_hub.db.base import Base
from nct_hub.db.import_models import JSON_TYPE
from nct_hub.db.results_models import ResultColumns


class NctAppeal(Base):
    """One application (прил. 13 or 15 Правил) of a site's stream, no names (the ИКТ identifies it)."""

    __tablename__ = "nct_appeals"
    __table_args__ = (UniqueConstraint("site_code", "stream", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    received_id: Mapped[int] = mapped_column(ForeignKey("received_packages.id", ondelete="CASCADE"), index=True)
    site_code: Mapped[str] = mapped_column(String(16))
    stream: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    ikt: Mapped[str] = mapped_column(String(12), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    room_number: Mapped[str] = mapped_column(String(4))
    received_at: Mapped[str] = mapped_column(String(40))
    """As the site wrote it (ISO 8601)."""
    state: Mapped[str] = mapped_column(String(16))
    variant: Mapped[str] = mapped_column(String(10))
    subjects: Mapped[list[str]] = mapped_column(JSON_TYPE, default=list)
    images: Mapped[dict[str, str]] = mapped_column(JSON_TYPE, default=dict)
    """Technical: the attachment names of ``test_day`` and ``appeal`` in package ``received_id``."""
    tasks: Mapped[list[NctAppealTask]] = relationship(
        back_populates="appeal", cascade="all, delete-orphan", order_by="NctAppealTask.id")


class NctAppealTask(Base):
    """One disputed task: what the site sent and, once decided, the Republican commission's decision."""

    __tablename__ = "nct_appeal_tasks"
    __table_args__ = (UniqueConstraint("appeal_id", "subject", "task"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("nct_appeals.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(String(16))
    task: Mapped[int] = mapped_column(Integer)
    ground: Mapped[str] = mapped_column(String(24))
    claimed: Mapped[str] = mapped_column(String(16), default="")
    marks: Mapped[str] = mapped_column(String(16), default="")
    correct: Mapped[str] = mapped_column(String(16), default="")
    points: Mapped[int] = mapped_column(Integer)
    max_points: Mapped[int] = mapped_column(Integer)
    fills: Mapped[dict[str, float]] = mapped_column(JSON_TYPE, default=dict)
    appeal_fills: Mapped[dict[str, float]] = mapped_column(JSON_TYPE, default=dict)
    case: Mapped[str | None] = mapped_column(String(16))
    votes: Mapped[dict[str, Any] | None] = mapped_column(JSON_TYPE)
    proposed_points: Mapped[int | None] = mapped_column(Integer)
    site_decision: Mapped[str] = mapped_column(String(16))
    """``pending``, or ``not-satisfied`` for a content task answered right (п. 197)."""
    decision: Mapped[str | None] = mapped_column(String(16))
    """The Republican commission's: ``satisfied`` / ``not-satisfied``; ``None`` while pending."""
    decided_points: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    appeal: Mapped[NctAppeal] = relationship(back_populates="tasks")


class FinalExamResult(ResultColumns, Base):
    """One seated applicant's result with appeal (п. 206), as the ``final-results`` package gave it."""

    __tablename__ = "final_exam_results"
    __table_args__ = (
        UniqueConstraint("site_code", "stream", "ikt"),
        Index("ix_final_exam_results_site_stream", "site_code", "stream"),
    )

    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON_TYPE, default=list)
    """The appeal changes of this applicant's tasks: ``[{subject, task, before, after, appeal, decided_by,
    applied_at}]`` (the old score stays visible)."""
