"""The answer codes of a stream opened into the database (п. 176–178) and the scores of its sheets, per task
(п. 179–180).

Revision ID: 0010_answer_codes_scores
Revises: 0009_identification
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_answer_codes_scores"
down_revision: str | Sequence[str] | None = "0009_identification"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stream_answer_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stream_id", sa.Integer(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("spec_sha256", sa.String(length=64), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["stream_id"], ["streams.id"], name=op.f("fk_stream_answer_keys_stream_id_streams"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stream_answer_keys")),
        sa.UniqueConstraint("stream_id", name=op.f("uq_stream_answer_keys_stream_id")),
    )
    op.create_table(
        "sheet_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stream_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("sheet_id", sa.Integer(), nullable=False),
        sa.Column("room_number", sa.String(length=20), nullable=False),
        sa.Column("variant", sa.String(length=10), nullable=False),
        sa.Column("profile_subjects", sa.JSON(), nullable=False),
        sa.Column("creative", sa.Boolean(), nullable=False),
        sa.Column("marks", sa.JSON(), nullable=False),
        sa.Column("per_task", sa.JSON(), nullable=False),
        sa.Column("per_subject", sa.JSON(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("max_total", sa.Integer(), nullable=False),
        sa.Column("scored_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("scored_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["stream_id"], ["streams.id"], name=op.f("fk_sheet_scores_stream_id_streams"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"],
                                name=op.f("fk_sheet_scores_application_id_applications"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["sheet_id"], ["answer_sheets.id"],
                                name=op.f("fk_sheet_scores_sheet_id_answer_sheets"), ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sheet_scores")),
        sa.UniqueConstraint("application_id", name=op.f("uq_sheet_scores_application_id")),
        sa.UniqueConstraint("sheet_id", name=op.f("uq_sheet_scores_sheet_id")),
    )
    op.create_index(op.f("ix_sheet_scores_stream_id"), "sheet_scores", ["stream_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_sheet_scores_stream_id"), table_name="sheet_scores")
    op.drop_table("sheet_scores")
    op.drop_table("stream_answer_keys")
