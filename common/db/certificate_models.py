"""The certificate workstation's applicants (ch. 40, п. 214–221), written by
``arm_certificate/certificate_file.py`` from the programmer's ``certificate-file`` package.

:class:`CertificateStream` is one stream's file as taken (site, date, the package); :class:`CertificateApplicant`
one applicant of it with the results with appeal a certificate carries and, once assigned, the typographic blank's
series and number. Names and ИИН are personal data: never logged.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, UniqueConstraint
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
    certificate_series: Mapped[str | None] = mapped_column(String(20))
    certificate_number: Mapped[str | None] = mapped_column(String(20))
    """The typographic blank's number once assigned; a stream with one cannot take a newer file."""

    stream: Mapped[CertificateStream] = relationship(back_populates="applicants")

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.surname, self.name, self.patronymic) if part)
