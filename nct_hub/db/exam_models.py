"""What НЦТ gave each site's stream for the exam: its test specification, the answer-sheet numbers of each
room and the variant booklets of each room (the ``test-specification`` and ``variants`` packages, п. 53.1).

Sheet numbers are allocated in blocks that never overlap and are never taken back, so no sheet number
repeats in the country for the exam (:mod:`nct_hub.variants`). A stream is allocated once; sending
its packages again sends the same allocation.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from common.db.base import utc_now
from nct_hub.db.base import Base
from nct_hub.db.import_models import JSON_TYPE


class StreamAllocation(Base):
    """A site's stream as НЦТ allocated it: the test specification it is tested with (kept whole)."""

    __tablename__ = "stream_allocations"

    site_code: Mapped[str] = mapped_column(ForeignKey("sites.code", ondelete="RESTRICT"), primary_key=True)
    stream: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    spec_code: Mapped[str] = mapped_column(String(40))
    spec_sha256: Mapped[str] = mapped_column(String(64))
    specification: Mapped[dict[str, Any]] = mapped_column(JSON_TYPE)
    allocated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    allocated_by: Mapped[str] = mapped_column(String(100), default="")


class SheetBlock(Base):
    """Answer-sheet numbers ``first`` … ``last`` given to a room of a site's stream (``spare``: the spare
    sheets, which travel in the box of the stream's first room, п. 142)."""

    __tablename__ = "sheet_blocks"
    __table_args__ = (UniqueConstraint("first"), UniqueConstraint("site_code", "stream", "room_number", "spare"))

    id: Mapped[int] = mapped_column(primary_key=True)
    site_code: Mapped[str] = mapped_column(ForeignKey("sites.code", ondelete="RESTRICT"), index=True)
    stream: Mapped[int] = mapped_column(Integer)
    room_number: Mapped[str] = mapped_column(String(4))
    spare: Mapped[bool] = mapped_column(Boolean, default=False)
    first: Mapped[int] = mapped_column(Integer)
    last: Mapped[int] = mapped_column(Integer)


class RoomBooklets(Base):
    """How many booklets of a variant a room of a site's stream was given (п. 171)."""

    __tablename__ = "room_booklets"
    __table_args__ = (UniqueConstraint("site_code", "stream", "room_number", "variant"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_code: Mapped[str] = mapped_column(ForeignKey("sites.code", ondelete="RESTRICT"), index=True)
    stream: Mapped[int] = mapped_column(Integer)
    room_number: Mapped[str] = mapped_column(String(4))
    variant: Mapped[str] = mapped_column(String(8))
    booklets: Mapped[int] = mapped_column(Integer)
