"""The certificate numbers the sites' АРМ «Сертификат» send (п. 217): per site and stream, each applicant's
certificate (ИКТ → series, number, date), the spoiled blanks and the packs of blanks the site received.

The ``certificate-numbers`` package (``arm_certificate.blanks.certificate_numbers_payload``) carries them; a later
package for the same site and stream replaces the stream's rows (``received_id`` is the package they came from).
A blank (series and number) is one applicant's certificate across all streams of a site.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from nct_hub.db.base import Base


class CertificateNumber(Base):
    """One applicant's certificate: the blank it is printed on."""

    __tablename__ = "nct_certificate_numbers"
    __table_args__ = (UniqueConstraint("site_code", "stream", "ikt"),
                      UniqueConstraint("site_code", "series", "number"))

    id: Mapped[int] = mapped_column(primary_key=True)
    site_code: Mapped[str] = mapped_column(String(16))
    received_id: Mapped[int] = mapped_column(ForeignKey("received_packages.id", ondelete="CASCADE"), index=True)
    stream: Mapped[int] = mapped_column(Integer)
    exam_date: Mapped[date] = mapped_column(Date)
    ikt: Mapped[str] = mapped_column(String(12))
    series: Mapped[str] = mapped_column(String(10))
    number: Mapped[str] = mapped_column(String(9))
    issued_on: Mapped[date] = mapped_column(Date)


class SpoiledBlank(Base):
    """A spoiled blank as a stream's package reports it (``ikt``: whom it was printed for, if anyone)."""

    __tablename__ = "nct_spoiled_blanks"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_code: Mapped[str] = mapped_column(String(16))
    received_id: Mapped[int] = mapped_column(ForeignKey("received_packages.id", ondelete="CASCADE"), index=True)
    stream: Mapped[int] = mapped_column(Integer)
    series: Mapped[str] = mapped_column(String(10))
    number: Mapped[str] = mapped_column(String(9))
    reason: Mapped[str] = mapped_column(String(300))
    ikt: Mapped[str | None] = mapped_column(String(12))


class ReceivedBlankPack(Base):
    """A pack of blanks the site holds, as a stream's package reports it."""

    __tablename__ = "nct_blank_packs"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_code: Mapped[str] = mapped_column(String(16))
    received_id: Mapped[int] = mapped_column(ForeignKey("received_packages.id", ondelete="CASCADE"), index=True)
    stream: Mapped[int] = mapped_column(Integer)
    series: Mapped[str] = mapped_column(String(10))
    first: Mapped[str] = mapped_column(String(9))
    last: Mapped[str] = mapped_column(String(9))
    count: Mapped[int] = mapped_column(Integer)
