"""АРМ «Проверка сканера» (п. 52.4–52.5, 42.5): the control sets printed and every check made.

A check keeps what it measured and decided as JSON (findings as message keys and values, so the
verdict is shown in the reader's language; figures; one entry per scanned page), the scanner's model,
serial number, driver and settings, and the folder under ``scans/`` holding its page images.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from common.db.base import Base, UtcDateTime, utc_now


class ControlSetRow(Base):
    """A printed control set: its number, the specification it was printed from, its key."""

    __tablename__ = "scanner_control_sets"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    printed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    printed_by: Mapped[str] = mapped_column(String(100), default="")
    spec_code: Mapped[str] = mapped_column(String(40))
    exam_year: Mapped[int | None] = mapped_column(Integer)
    spec_json: Mapped[str] = mapped_column(Text)
    key: Mapped[dict[str, Any]] = mapped_column(JSON)


class ScannerCheckRow(Base):
    """One check of a scanner with a control set, and its verdict."""

    __tablename__ = "scanner_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    control_set_id: Mapped[int] = mapped_column(ForeignKey("scanner_control_sets.id"), index=True)
    checked_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    checked_by: Mapped[str] = mapped_column(String(100), default="")
    scanner_model: Mapped[str] = mapped_column(String(100))
    scanner_serial: Mapped[str] = mapped_column(String(100), default="")
    driver: Mapped[str] = mapped_column(String(40))
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    fit: Mapped[bool] = mapped_column(Boolean)
    findings: Mapped[list[Any]] = mapped_column(JSON)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    pages: Mapped[list[Any]] = mapped_column(JSON)
    scans_folder: Mapped[str] = mapped_column(String(200), default="")
