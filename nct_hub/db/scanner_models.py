"""Scanner checks the sites sent (п. 42.5, 52.5): one row per check, filed per site and scanner.

The ``scanner-check`` package carries every check the site's workstation made; a later package
replaces the site's rows (``received_id`` is the package they came from). A scanner is its model
and serial number; its last check is the one with the latest ``checked_at``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from common.db.base import UtcDateTime
from nct_hub.db.base import Base
from nct_hub.db.import_models import JSON_TYPE


class ScannerCheckRecord(Base):
    """One check of one scanner at one site, as the site's workstation reported it."""

    __tablename__ = "scanner_check_records"
    __table_args__ = (Index("ix_scanner_check_records_scanner", "site_code", "scanner_model", "scanner_serial"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_code: Mapped[str] = mapped_column(String(16), index=True)
    received_id: Mapped[int] = mapped_column(ForeignKey("received_packages.id", ondelete="CASCADE"), index=True)
    check_number: Mapped[int] = mapped_column(Integer)
    checked_at: Mapped[datetime] = mapped_column(UtcDateTime)
    scanner_model: Mapped[str] = mapped_column(String(100))
    scanner_serial: Mapped[str] = mapped_column(String(100), default="")
    driver: Mapped[str] = mapped_column(String(40), default="")
    fit: Mapped[bool] = mapped_column(Boolean)
    details: Mapped[dict[str, Any]] = mapped_column(JSON_TYPE, default=dict)
    """Settings, control set, findings (with their Russian and Kazakh lines), figures, pages."""
