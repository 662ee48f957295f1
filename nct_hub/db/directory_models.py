"""НЦТ's directories (информационный справочник, п. 23.1): versioned, one full copy per version.

Codes are kept as zero-padded strings of the code book's widths. A district is identified within its
region, a school within its district (the application form carries region, district and school in
separate sectors 8–10), so keys are composite.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from common.db.base import UtcDateTime
from nct_hub.db.base import Base


class DirectoryVersion(Base):
    """One import of the directories; sites receive the number with the data."""

    __tablename__ = "directory_versions"

    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(100))
    sources: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")


def _version_column() -> Any:
    return mapped_column(ForeignKey("directory_versions.version", ondelete="CASCADE"), index=True)


class RegionRow(Base):
    __tablename__ = "dir_regions"
    __table_args__ = (UniqueConstraint("version", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = _version_column()
    code: Mapped[str] = mapped_column(String(4))
    name_kk: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200))


class DistrictRow(Base):
    __tablename__ = "dir_districts"
    __table_args__ = (UniqueConstraint("version", "region_code", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = _version_column()
    region_code: Mapped[str] = mapped_column(String(4))
    code: Mapped[str] = mapped_column(String(4))
    name_kk: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200))


class SchoolRow(Base):
    __tablename__ = "dir_schools"
    __table_args__ = (
        UniqueConstraint("version", "region_code", "district_code", "code"),
        UniqueConstraint("version", "bin"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = _version_column()
    region_code: Mapped[str] = mapped_column(String(4))
    district_code: Mapped[str] = mapped_column(String(4))
    code: Mapped[str] = mapped_column(String(6))
    kind: Mapped[str] = mapped_column(String(16))
    name_kk: Mapped[str] = mapped_column(String(300))
    name_ru: Mapped[str] = mapped_column(String(300))
    bin: Mapped[str] = mapped_column(String(12))
    settlement: Mapped[str] = mapped_column(String(16))
    locality_kk: Mapped[str] = mapped_column(String(200), default="")
    locality_ru: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(8), default="")


class NationalityRow(Base):
    __tablename__ = "dir_nationalities"
    __table_args__ = (UniqueConstraint("version", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = _version_column()
    code: Mapped[str] = mapped_column(String(4))
    name_kk: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200))


class CitizenshipRow(Base):
    __tablename__ = "dir_citizenships"
    __table_args__ = (UniqueConstraint("version", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = _version_column()
    code: Mapped[str] = mapped_column(String(4))
    name_kk: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200))
