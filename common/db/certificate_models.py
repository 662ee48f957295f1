"""The certificate workstation's data (ch. 40, п. 214–222).

* :class:`CertificateStream` — one stream's certificate file as taken (site, date, the package), written by
  ``arm_certificate/certificate_file.py`` from the programmer's ``certificate-file`` package;
  :class:`CertificateApplicant` — one applicant of it with the results with appeal a certificate carries.
* :class:`BlankPack` — a pack of typographic certificate blanks received from НЦТ (прил. 16): a series and a run of
  ``count`` consecutive numbers from ``first_number``; numbers are printed zero-padded to ``digits``.
* :class:`UsedBlank` — a blank of a pack that is used: ``issued`` (a certificate printed on it for ``applicant``) or
  ``spoiled`` (with its ``reason``; ``applicant`` is whom it was printed for, if anyone). A blank of a pack with no
  row is still clean. **This table is the truth** of an applicant's certificate number: the applicant's issued blank
  (at most one, :attr:`CertificateApplicant.issued_blank`).
* :class:`PrinterOffset` — the per-printer calibration (mm the whole layout moves right and down).

Names and ИИН are personal data: never logged.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    and_,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from common.db.base import Base, UtcDateTime, utc_now


class CertificateStream(Base):
    """A stream's certificate file, the newest taken."""

    __tablename__ = "certificate_streams"

    id: Mapped[int] = mapped_column(primary_key=True)
    stream_number: Mapped[int] = mapped_column(Integer, unique=True)
    site_code: Mapped[str] = mapped_column(String(10))
    site_name_kk: Mapped[str] = mapped_column(String(300))
    site_name_ru: Mapped[str] = mapped_column(String(300))
    exam_date: Mapped[date] = mapped_column(Date)
    package_id: Mapped[str] = mapped_column(String(100))
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    imported_by: Mapped[str] = mapped_column(String(100))

    applicants: Mapped[list[CertificateApplicant]] = relationship(
        back_populates="stream", cascade="all, delete-orphan", order_by="CertificateApplicant.ikt")


class CertificateApplicant(Base):
    """One applicant of a stream's certificate file."""

    __tablename__ = "certificate_applicants"
    __table_args__ = (UniqueConstraint("stream_id", "ikt"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stream_id: Mapped[int] = mapped_column(ForeignKey("certificate_streams.id", ondelete="CASCADE"), index=True)
    ikt: Mapped[str] = mapped_column(String(20))
    iin: Mapped[str | None] = mapped_column(String(12))
    """Personal data: never logged."""
    surname: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    patronymic: Mapped[str | None] = mapped_column(String(200))
    school_code: Mapped[str] = mapped_column(String(8))
    school_name_kk: Mapped[str] = mapped_column(String(300))
    school_name_ru: Mapped[str] = mapped_column(String(300))
    test_language: Mapped[str] = mapped_column(String(2))
    subjects: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    """``[{"code": "HKZ", "points": 11, "max": 20}, …]`` in the file's order."""
    total: Mapped[int] = mapped_column(Integer)
    max_total: Mapped[int] = mapped_column(Integer)

    stream: Mapped[CertificateStream] = relationship(back_populates="applicants")
    issued_blank: Mapped[UsedBlank | None] = relationship(
        primaryjoin=lambda: and_(UsedBlank.applicant_id == CertificateApplicant.id,
                                 UsedBlank.status == ISSUED),
        viewonly=True, uselist=False)
    """The blank the applicant's certificate is printed on, once assigned; a stream with one cannot take a newer
    certificate file."""

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.surname, self.name, self.patronymic) if part)

    @property
    def certificate_series(self) -> str | None:
        return None if self.issued_blank is None else self.issued_blank.pack.series

    @property
    def certificate_number(self) -> str | None:
        return None if self.issued_blank is None else self.issued_blank.number_text


ISSUED = "issued"
SPOILED = "spoiled"
BLANK_STATUSES = (ISSUED, SPOILED)


class BlankPack(Base):
    """A pack of certificate blanks received from НЦТ: ``series`` and numbers ``first_number`` …
    ``first_number + count - 1``; packs of one series never overlap (the service refuses it)."""

    __tablename__ = "certificate_blank_packs"
    __table_args__ = (UniqueConstraint("series", "first_number"),
                      CheckConstraint("count > 0", name="count_positive"),
                      CheckConstraint("first_number >= 0", name="first_number_not_negative"))

    id: Mapped[int] = mapped_column(primary_key=True)
    series: Mapped[str] = mapped_column(String(10))
    first_number: Mapped[int] = mapped_column(Integer)
    count: Mapped[int] = mapped_column(Integer)
    digits: Mapped[int] = mapped_column(Integer)
    """How many digits the blank's number has as printed by the typography (leading zeros kept)."""
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    added_by: Mapped[str] = mapped_column(String(100))

    used: Mapped[list[UsedBlank]] = relationship(back_populates="pack", cascade="all, delete-orphan",
                                                 order_by="UsedBlank.number")

    @property
    def last_number(self) -> int:
        return self.first_number + self.count - 1

    def number_text(self, number: int) -> str:
        return f"{number:0{self.digits}d}"


class UsedBlank(Base):
    """A used blank: issued to an applicant or spoiled (see the module's text)."""

    __tablename__ = "certificate_used_blanks"
    __table_args__ = (UniqueConstraint("pack_id", "number"),
                      CheckConstraint("status IN ('issued', 'spoiled')", name="status_known"),
                      Index("ix_certificate_used_blanks_one_issued", "applicant_id", unique=True,
                            sqlite_where=text("status = 'issued'")))

    id: Mapped[int] = mapped_column(primary_key=True)
    pack_id: Mapped[int] = mapped_column(ForeignKey("certificate_blank_packs.id", ondelete="RESTRICT"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10))
    applicant_id: Mapped[int | None] = mapped_column(
        ForeignKey("certificate_applicants.id", ondelete="RESTRICT"), index=True)
    reason: Mapped[str | None] = mapped_column(String(300))
    """Why a spoiled blank is spoiled (the operator's words; no personal data)."""
    issued_on: Mapped[date | None] = mapped_column(Date)
    """The certificate's date (printed on it and in its QR); set for issued blanks."""
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    recorded_by: Mapped[str] = mapped_column(String(100))

    pack: Mapped[BlankPack] = relationship(back_populates="used")
    applicant: Mapped[CertificateApplicant | None] = relationship()

    @property
    def number_text(self) -> str:
        return self.pack.number_text(self.number)


class PrinterOffset(Base):
    """A printer's calibration: the layout moves ``dx_mm`` right and ``dy_mm`` down on that printer."""

    __tablename__ = "certificate_printer_offsets"

    id: Mapped[int] = mapped_column(primary_key=True)
    printer: Mapped[str] = mapped_column(String(200), unique=True)
    dx_mm: Mapped[float] = mapped_column(Float)
    dy_mm: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)
    updated_by: Mapped[str] = mapped_column(String(100))
