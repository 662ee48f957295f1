"""Appeals on the programmer's workstation (ch. 32–39, п. 181–213).
Written by ``arm_programmer/appeals.py`` and ``arm_programmer/appeal_exchange.py``.

:class:`StreamAppealWindow` is a stream's appeal period: the moment its results were announced (the first
``statement print`` of the stream, п. 180, 185) and, once every application is settled, its closing (п. 209).
:class:`Appeal` is one application entered in the chair's presence (п. 200), numbered per stream as in the
journal (прил. 17 Правил), with what was scored for the applicant (variant, profile subjects: an appeal cannot
change them, п. 193); :class:`AppealTask` one disputed task with the facts at entry (marks, answer code, points,
the test-day fills), the local commission's vote or technical case and proposal, and the Republican commission's
decision (п. 205); :class:`ScoreChange` a task's points changed by a decision — the score row is updated, the
old points stay here. The chair's and receiver's names are personal data: never logged.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from common.db.base import Base, UtcDateTime, utc_now


class StreamAppealWindow(Base):
    """A stream's results announced (the statement first printed) and its appeals closed."""

    __tablename__ = "stream_appeal_windows"

    id: Mapped[int] = mapped_column(primary_key=True)
    stream_id: Mapped[int] = mapped_column(ForeignKey("streams.id", ondelete="CASCADE"), unique=True)
    announced_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    announced_by: Mapped[str] = mapped_column(String(100))
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_by: Mapped[str | None] = mapped_column(String(100))


class Appeal(Base):
    """One application (прил. 13 or 15 Правил) as registered in the journal."""

    __tablename__ = "appeals"
    __table_args__ = (UniqueConstraint("stream_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stream_id: Mapped[int] = mapped_column(ForeignKey("streams.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    """The journal's registration number, per stream."""
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="RESTRICT"), index=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("answer_sheets.id", ondelete="RESTRICT"))
    room_number: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))
    """``content`` or ``technical`` (:class:`arm_programmer.appeal_records.AppealKind`)."""
    state: Mapped[str] = mapped_column(String(20))
    """:class:`arm_programmer.appeal_records.AppealState`."""
    variant: Mapped[str] = mapped_column(String(10))
    profile_subjects: Mapped[list[str]] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    received_by: Mapped[str] = mapped_column(String(200))
    chair: Mapped[str] = mapped_column(String(200))
    """Personal data: never logged."""
    test_day_image: Mapped[str | None] = mapped_column(String(300))
    """Technical: the test-day image's file name in ``scans/``."""
    appeal_image: Mapped[str | None] = mapped_column(String(300))
    """Technical: the fresh scan's file name in ``scans/`` (kept read-only, never overwritten)."""
    entered_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    entered_by: Mapped[str] = mapped_column(String(100))

    tasks: Mapped[list[AppealTask]] = relationship(back_populates="appeal", order_by="AppealTask.id",
                                                   cascade="all, delete-orphan")


class AppealTask(Base):
    """One disputed task of an application."""

    __tablename__ = "appeal_tasks"
    __table_args__ = (UniqueConstraint("appeal_id", "subject", "task"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeals.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(String(40))
    """The answer key's subject code."""
    task: Mapped[int] = mapped_column(Integer)
    ground: Mapped[str] = mapped_column(String(30))
    claimed: Mapped[str] = mapped_column(String(20), default="")
    marks: Mapped[str] = mapped_column(String(20), default="")
    correct: Mapped[str] = mapped_column(String(20), default="")
    points: Mapped[int] = mapped_column(Integer)
    """The points before the appeal."""
    max_points: Mapped[int] = mapped_column(Integer)
    fills: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """The test-day fill of each option's bubble (``{letter: fill}``)."""
    appeal_fills: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    case: Mapped[str | None] = mapped_column(String(20))
    defect: Mapped[bool] = mapped_column(Boolean, default=False)
    votes_for: Mapped[int | None] = mapped_column(Integer)
    votes_against: Mapped[int | None] = mapped_column(Integer)
    chair_for: Mapped[bool | None] = mapped_column(Boolean)
    proposed_points: Mapped[int | None] = mapped_column(Integer)
    decision: Mapped[str] = mapped_column(String(20))
    """:class:`arm_programmer.appeal_records.TaskDecision`."""
    decided_points: Mapped[int | None] = mapped_column(Integer)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decision_package: Mapped[str | None] = mapped_column(String(100))

    appeal: Mapped[Appeal] = relationship(back_populates="tasks")


class ScoreChange(Base):
    """A task's points changed by a decision: the score row holds the new points, this row the old."""

    __tablename__ = "score_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    stream_id: Mapped[int] = mapped_column(ForeignKey("streams.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="RESTRICT"), index=True)
    appeal_task_id: Mapped[int] = mapped_column(ForeignKey("appeal_tasks.id", ondelete="RESTRICT"), unique=True)
    subject: Mapped[str] = mapped_column(String(40))
    task: Mapped[int] = mapped_column(Integer)
    before: Mapped[int] = mapped_column(Integer)
    after: Mapped[int] = mapped_column(Integer)
    decided_by: Mapped[str] = mapped_column(String(100))
    """The decision's source: ``republican-commission`` and the package id."""
    applied_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    applied_by: Mapped[str] = mapped_column(String(100))
