"""The answer codes of a stream opened on the programmer's workstation and the scores of its sheets (п. 176–180).
Written by ``arm_programmer/codes.py`` and ``arm_programmer/scores.py``.

:class:`StreamAnswerKey` is the stream's answer key as it came out of the sealed file, opened by the three
passwords together (п. 178): the document whole as JSON text, its SHA-256 and the SHA-256 of the test
specification it was checked against. It is never written to a loose file.

:class:`SheetScoreRow` is one scored sheet: what was scored (variant, profile subjects, sector 6, the marks of
every scored task as decided after the passes and identification) and what it scored, task by task. A score is
recomputable from the row's marks, the stream's key and its test specification alone. No name is stored here:
the applicant is their application's id.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from common.db.base import Base, UtcDateTime, utc_now


class StreamAnswerKey(Base):
    """A stream's opened answer key (one per stream)."""

    __tablename__ = "stream_answer_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    stream_id: Mapped[int] = mapped_column(ForeignKey("streams.id", ondelete="CASCADE"), unique=True)
    document: Mapped[str] = mapped_column(Text)
    """The answer key's JSON text as the sealed file held it."""
    sha256: Mapped[str] = mapped_column(String(64))
    spec_sha256: Mapped[str] = mapped_column(String(64))
    """The test specification the key was checked against (the stream's, from НЦТ)."""
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    opened_by: Mapped[str] = mapped_column(String(100))


class SheetScoreRow(Base):
    """The score of one sheet identified to an applicant, per task (п. 179–180)."""

    __tablename__ = "sheet_scores"

    id: Mapped[int] = mapped_column(primary_key=True)
    stream_id: Mapped[int] = mapped_column(ForeignKey("streams.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="RESTRICT"), unique=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("answer_sheets.id", ondelete="RESTRICT"), unique=True)
    room_number: Mapped[str] = mapped_column(String(20))
    variant: Mapped[str] = mapped_column(String(10))
    profile_subjects: Mapped[list[str]] = mapped_column(JSON)
    """The profile subjects' codes, one per profile slot in slot order (empty for a creative-exam sheet)."""
    creative: Mapped[bool] = mapped_column(Boolean, default=False)
    marks: Mapped[dict[str, Any]] = mapped_column(JSON)
    """``{block code: {task number: letters}}``: the marks scored, by the sheet's block (subject or profile slot)."""
    per_task: Mapped[dict[str, Any]] = mapped_column(JSON)
    """``{key subject code: [points of task 1, …]}``."""
    per_subject: Mapped[list[Any]] = mapped_column(JSON)
    """``[[key subject code, points, max points], …]`` in the sheet's order."""
    total: Mapped[int] = mapped_column(Integer)
    max_total: Mapped[int] = mapped_column(Integer)
    scored_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    scored_by: Mapped[str] = mapped_column(String(100))
