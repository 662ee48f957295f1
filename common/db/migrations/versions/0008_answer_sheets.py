"""The programmer's workstation: answer sheets scanned by room, twice (п. 156) — the pages of both passes
with their images, readings and fills, the sheets they name, the programmer's decisions where the passes
differ, and the sheets not scanned (прил. 35).

Revision ID: 0008_answer_sheets
Revises: 0007_takeover_draw
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_answer_sheets"
down_revision: str | Sequence[str] | None = "0007_takeover_draw"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "answer_sheets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("room_stream_id", sa.Integer(), nullable=False),
        sa.Column("sheet_number", sa.String(length=20), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["room_stream_id"], ["room_streams.id"],
                                name=op.f("fk_answer_sheets_room_stream_id_room_streams"), ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answer_sheets")),
        sa.UniqueConstraint("room_stream_id", "sheet_number",
                            name=op.f("uq_answer_sheets_room_stream_id_sheet_number")),
    )
    op.create_index(op.f("ix_answer_sheets_room_stream_id"), "answer_sheets", ["room_stream_id"], unique=False)
    op.create_table(
        "sheet_exclusions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("room_stream_id", sa.Integer(), nullable=False),
        sa.Column("sheet_number", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Enum("removed", "late", "impostor", "spoiled", name="reason", native_enum=False,
                                    create_constraint=True, length=8), nullable=False),
        sa.Column("act", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["room_stream_id"], ["room_streams.id"],
                                name=op.f("fk_sheet_exclusions_room_stream_id_room_streams"), ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sheet_exclusions")),
        sa.UniqueConstraint("room_stream_id", "sheet_number",
                            name=op.f("uq_sheet_exclusions_room_stream_id_sheet_number")),
    )
    op.create_index(op.f("ix_sheet_exclusions_room_stream_id"), "sheet_exclusions", ["room_stream_id"], unique=False)
    op.create_table(
        "sheet_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sheet_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("value", sa.String(length=300), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["sheet_id"], ["answer_sheets.id"],
                                name=op.f("fk_sheet_decisions_sheet_id_answer_sheets"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sheet_decisions")),
        sa.UniqueConstraint("sheet_id", "field", name=op.f("uq_sheet_decisions_sheet_id_field")),
    )
    op.create_table(
        "sheet_scans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("page_id", sa.String(length=200), nullable=False),
        sa.Column("room_stream_id", sa.Integer(), nullable=False),
        sa.Column("pass_number", sa.Integer(), nullable=False),
        sa.Column("sheet_id", sa.Integer(), nullable=True),
        sa.Column("image", sa.String(length=300), nullable=False),
        sa.Column("rescan", sa.Boolean(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("reading", sa.JSON(), nullable=False),
        sa.Column("fills", sa.JSON(), nullable=False),
        sa.Column("band_low", sa.Float(), nullable=False),
        sa.Column("band_high", sa.Float(), nullable=False),
        sa.Column("scanned_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("pass_number IN (1, 2)", name=op.f("ck_sheet_scans_pass_number_valid")),
        sa.ForeignKeyConstraint(["room_stream_id"], ["room_streams.id"],
                                name=op.f("fk_sheet_scans_room_stream_id_room_streams"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["sheet_id"], ["answer_sheets.id"],
                                name=op.f("fk_sheet_scans_sheet_id_answer_sheets"), ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sheet_scans")),
        sa.UniqueConstraint("page_id", name=op.f("uq_sheet_scans_page_id")),
    )
    op.create_index(op.f("ix_sheet_scans_room_stream_id"), "sheet_scans", ["room_stream_id"], unique=False)
    op.create_index(op.f("ix_sheet_scans_sheet_id"), "sheet_scans", ["sheet_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_sheet_scans_sheet_id"), table_name="sheet_scans")
    op.drop_index(op.f("ix_sheet_scans_room_stream_id"), table_name="sheet_scans")
    op.drop_table("sheet_scans")
    op.drop_table("sheet_decisions")
    op.drop_index(op.f("ix_sheet_exclusions_room_stream_id"), table_name="sheet_exclusions")
    op.drop_table("sheet_exclusions")
    op.drop_index(op.f("ix_answer_sheets_room_stream_id"), table_name="answer_sheets")
    op.drop_table("answer_sheets")
