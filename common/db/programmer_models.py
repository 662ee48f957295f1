"""The programmer's workstation's own records (АРМ «Программиста Министерства», п. 52.8–52.11, 109, 130):
the journal of changes entered at the take-over (прил. 13), the take-over's closing, each stream's
seating draw (once), and the late seatings the state commission decided. Written by
``arm_programmer/changes.py``, ``arm_programmer/draw.py`` and ``arm_programmer/late.py``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from common.db.base import Base, UtcDateTime, utc_now


class DataChange(Base):
    """One line of the journal of changes (прил. 13) entered here (п. 52.9, 109): a field of an applicant's
    data corrected after the closing (п. 108). ``old_value`` keeps what the package said."""

    __tablename__ = "data_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    journal_row: Mapped[int] = mapped_column(Integer)
    """The row number of the paper journal (прил. 13) the change was entered from."""
    field: Mapped[str] = mapped_column(String(20))
    old_value: Mapped[str | None] = mapped_column(String(300))
    new_value: Mapped[str | None] = mapped_column(String(300))
    entered_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    entered_by: Mapped[str] = mapped_column(String(100))


class TakeoverState(Base):
    """The take-over closed (п. 52.10): a single row; after it only the exam-day operations write."""

    __tablename__ = "takeover_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    closed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_by: Mapped[str] = mapped_column(String(100))


class StreamDraw(Base):
    """The seating draw of a stream (п. 52.11), done once: when, by whom, and the digest of its inputs and
    result (``arm_programmer.seating.draw_digest``). The seats themselves are ``Application.seat``."""

    __tablename__ = "stream_draws"

    id: Mapped[int] = mapped_column(primary_key=True)
    stream_id: Mapped[int] = mapped_column(ForeignKey("streams.id", ondelete="CASCADE"), unique=True)
    drawn_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    drawn_by: Mapped[str] = mapped_column(String(100))
    digest: Mapped[str] = mapped_column(String(64))
    applicants: Mapped[int] = mapped_column(Integer)
    rooms: Mapped[int] = mapped_column(Integer)


class LateSeating(Base):
    """A late seating (досадка, п. 130, 169): the state commission's decision, with the member who gave it.
    The application now sits in ``room_stream_id`` at ``seat``; ``from_room_stream_id``/``from_seat`` is
    where it was."""

    __tablename__ = "late_seatings"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), unique=True)
    room_stream_id: Mapped[int] = mapped_column(ForeignKey("room_streams.id", ondelete="RESTRICT"))
    seat: Mapped[int] = mapped_column(Integer)
    from_room_stream_id: Mapped[int | None] = mapped_column(ForeignKey("room_streams.id", ondelete="SET NULL"))
    from_seat: Mapped[int | None] = mapped_column(Integer)
    member: Mapped[str] = mapped_column(String(300))
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    recorded_by: Mapped[str] = mapped_column(String(100))
