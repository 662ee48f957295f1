"""Identification of a stream's answer sheets on the programmer's workstation (п. 157–176, прил. 36–38):
what the programmer entered from the commission's protocol, and the end of a stream's identification.
Written by ``arm_programmer/identification.py``.

``sheet_id`` names a scanned sheet (``arm_programmer.sheets``, which never joins away a sheet with an entry:
``passes resolve`` refuses); the automatic identification itself is
not stored — it is recomputed from the sheets, the seating and НЦТ's sheet numbers, and these entries
are laid over it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from common.db.base import Base, UtcDateTime, utc_now


class SheetEntry(Base):
    """A row of the protocol's lower table as entered (п. 167–170, 172), or changed by re-identification
    (п. 173–175, прил. 38: ``revision`` > 1). ``decision``: ``correct`` («Исправить»), ``late`` («Досадка»),
    ``delete`` («Удалить бланк»: the sheet is left out of the statement, п. 170). ``name_on_sheet`` is
    personal data: kept here, never logged."""

    __tablename__ = "identification_sheets"

    id: Mapped[int] = mapped_column(primary_key=True)
    stream_id: Mapped[int] = mapped_column(ForeignKey("streams.id", ondelete="CASCADE"), index=True)
    sheet_id: Mapped[int] = mapped_column(Integer, unique=True)
    room_number: Mapped[str] = mapped_column(String(20))
    decision: Mapped[str] = mapped_column(String(10))
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id", ondelete="RESTRICT"))
    name_on_sheet: Mapped[str | None] = mapped_column(String(300))
    ikt: Mapped[str | None] = mapped_column(String(20))
    seat: Mapped[int | None] = mapped_column(Integer)
    variant: Mapped[str | None] = mapped_column(String(10))
    subjects: Mapped[str | None] = mapped_column(String(100))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    entered_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    entered_by: Mapped[str] = mapped_column(String(100))


class ApplicantNote(Base):
    """A row of the protocol's upper table as entered (п. 166): ``correct`` with the sheet found by name,
    ``absent`` («Не явился»), ``not-admitted`` («Не допущен»), ``annulled`` («Аннулирован»)."""

    __tablename__ = "identification_applicants"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), unique=True)
    note: Mapped[str] = mapped_column(String(20))
    sheet_number: Mapped[str | None] = mapped_column(String(20))
    entered_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    entered_by: Mapped[str] = mapped_column(String(100))


class IdentificationEnd(Base):
    """The end of a stream's identification, reported to НЦТ (п. 176): when, by whom, the package sent."""

    __tablename__ = "identification_ends"

    id: Mapped[int] = mapped_column(primary_key=True)
    stream_id: Mapped[int] = mapped_column(ForeignKey("streams.id", ondelete="CASCADE"), unique=True)
    ended_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    ended_by: Mapped[str] = mapped_column(String(100))
    package_id: Mapped[str | None] = mapped_column(String(64))
    digest: Mapped[str] = mapped_column(String(64))
