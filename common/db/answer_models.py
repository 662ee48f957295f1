"""Answer sheets scanned on the programmer's workstation (п. 156): each room's envelope twice.

One :class:`SheetScan` row per page the scan loop took (``page_id`` unique: never twice), with the
pass it belongs to, its kept image, the reading without the fills and the per-bubble fills apart
(the appeals need them), and the fill band the reader used on that page (the reader's error there).
A page that failed the page check is a rescan request (``rescan``): the sheet goes through again.
Pages of one sheet — by its pre-printed number within the room — meet in one :class:`AnswerSheet`;
a page whose number could not be read makes a sheet of its own. :class:`SheetDecision` keeps what the
programmer decided where the passes differ (audited); :class:`SheetExclusion` the sheets not scanned
(прил. 35) with their reason and act. Written by ``arm_programmer/sheets.py``.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from common.db.base import Base, UtcDateTime, enum_column_type, utc_now


class ExclusionReason(StrEnum):
    """Why a sheet is not scanned (п. 156.1, прил. 35)."""

    REMOVED = "removed"
    """The applicant was removed from the room for breaking the rules of conduct."""
    LATE = "late"
    """The exam materials were not handed in on time."""
    IMPOSTOR = "impostor"
    """An impostor was found sitting the test."""
    SPOILED = "spoiled"
    """The sheet was spoiled and a new one given, with an act (прил. 35)."""


class AnswerSheet(Base):
    """One answer sheet of a room's envelope, as its pages of both passes name it."""

    __tablename__ = "answer_sheets"
    __table_args__ = (UniqueConstraint("room_stream_id", "sheet_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    room_stream_id: Mapped[int] = mapped_column(ForeignKey("room_streams.id", ondelete="RESTRICT"), index=True)
    sheet_number: Mapped[str | None] = mapped_column(String(20))
    """The pre-printed number as read (None: not readable; such a page is a sheet of its own)."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    scans: Mapped[list[SheetScan]] = relationship(back_populates="sheet", order_by="SheetScan.id")
    decisions: Mapped[list[SheetDecision]] = relationship(back_populates="sheet", order_by="SheetDecision.id")


class SheetScan(Base):
    """One page of a room's pass, as the scan loop stored it (its image is never written again)."""

    __tablename__ = "sheet_scans"
    __table_args__ = (CheckConstraint("pass_number IN (1, 2)", name="pass_number_valid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[str] = mapped_column(String(200), unique=True)
    room_stream_id: Mapped[int] = mapped_column(ForeignKey("room_streams.id", ondelete="RESTRICT"), index=True)
    pass_number: Mapped[int] = mapped_column(Integer)
    sheet_id: Mapped[int | None] = mapped_column(ForeignKey("answer_sheets.id", ondelete="RESTRICT"), index=True)
    """None for a rescan request whose sheet number could not be read."""
    image: Mapped[str] = mapped_column(String(300))
    """The image's file name in ``scans/``."""
    rescan: Mapped[bool] = mapped_column(Boolean, default=False)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    """The failed page checks of a rescan request."""
    reading: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """The reader's fields, groups, flags and page check (READER.md), without the bubble fills."""
    fills: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    """Every bubble's measured fill."""
    band_low: Mapped[float] = mapped_column(Float)
    band_high: Mapped[float] = mapped_column(Float)
    """The fill band the reader flagged as doubtful on this page (``common.omr.reader.ambiguous_band``)."""
    scanned_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    sheet: Mapped[AnswerSheet | None] = relationship(back_populates="scans")


class SheetDecision(Base):
    """A field of a sheet as the programmer decided it where the passes differ (or the reader doubted)."""

    __tablename__ = "sheet_decisions"
    __table_args__ = (UniqueConstraint("sheet_id", "field"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("answer_sheets.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(60))
    value: Mapped[str] = mapped_column(String(300))
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    decided_by: Mapped[str] = mapped_column(String(100))

    sheet: Mapped[AnswerSheet] = relationship(back_populates="decisions")


class SheetExclusion(Base):
    """A sheet not scanned (п. 156.1, прил. 35): its number, the reason and the act drawn up."""

    __tablename__ = "sheet_exclusions"
    __table_args__ = (UniqueConstraint("room_stream_id", "sheet_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    room_stream_id: Mapped[int] = mapped_column(ForeignKey("room_streams.id", ondelete="RESTRICT"), index=True)
    sheet_number: Mapped[str] = mapped_column(String(20))
    reason: Mapped[ExclusionReason] = mapped_column(enum_column_type(ExclusionReason, "reason"))
    act: Mapped[str] = mapped_column(String(100))
    """The act's number or title as written on it."""
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    recorded_by: Mapped[str] = mapped_column(String(100))
