"""What НЦТ sent the programmer's workstation for each stream (п. 53.1): the test specification, and the
variants file — the answer-sheet numbers given to each room (п. 157.1) and the variant booklets each room
got (п. 171). Written by ``arm_programmer/variants.py``; one of each per stream, never replaced by a
different one (the material in the rooms' boxes was made from it).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from common.db.base import Base, UtcDateTime, utc_now


class StreamSpecification(Base):
    """The test specification of a stream, as НЦТ sent it (the JSON document, validated on arrival)."""

    __tablename__ = "stream_specifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    stream_id: Mapped[int] = mapped_column(ForeignKey("streams.id", ondelete="CASCADE"), unique=True)
    spec_code: Mapped[str] = mapped_column(String(40))
    spec_sha256: Mapped[str] = mapped_column(String(64))
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    package_id: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class StreamVariants(Base):
    """The variants file of a stream: which specification it is for and a digest of it whole."""

    __tablename__ = "stream_variants"

    id: Mapped[int] = mapped_column(primary_key=True)
    stream_id: Mapped[int] = mapped_column(ForeignKey("streams.id", ondelete="CASCADE"), unique=True)
    spec_code: Mapped[str] = mapped_column(String(40))
    spec_sha256: Mapped[str] = mapped_column(String(64))
    payload_sha256: Mapped[str] = mapped_column(String(64))
    package_id: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class RoomSheets(Base):
    """Answer-sheet numbers ``first`` … ``last`` given to a room in a stream (``spare``: the stream's spare
    sheets, in the box of its first room, п. 142)."""

    __tablename__ = "room_sheets"
    __table_args__ = (UniqueConstraint("room_stream_id", "spare"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    room_stream_id: Mapped[int] = mapped_column(ForeignKey("room_streams.id", ondelete="CASCADE"))
    spare: Mapped[bool] = mapped_column(Boolean, default=False)
    first: Mapped[int] = mapped_column(Integer)
    last: Mapped[int] = mapped_column(Integer)


class RoomBooklets(Base):
    """How many booklets of ``variant`` a room got in a stream (п. 171)."""

    __tablename__ = "room_booklets"
    __table_args__ = (UniqueConstraint("room_stream_id", "variant"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    room_stream_id: Mapped[int] = mapped_column(ForeignKey("room_streams.id", ondelete="CASCADE"))
    variant: Mapped[str] = mapped_column(String(8))
    booklets: Mapped[int] = mapped_column(Integer)
