"""НЦТ: the results without appeal the sites send (п. 180), one row per seated applicant and stream.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exam_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("received_id", sa.Integer(), nullable=False),
        sa.Column("stream", sa.Integer(), nullable=False),
        sa.Column("exam_date", sa.Date(), nullable=False),
        sa.Column("ikt", sa.String(length=12), nullable=False),
        sa.Column("iin", sa.String(length=12), nullable=True),
        sa.Column("school_code", sa.String(length=6), nullable=False),
        sa.Column("test_language", sa.String(length=2), nullable=False),
        sa.Column("room_number", sa.String(length=4), nullable=False),
        sa.Column("seat", sa.Integer(), nullable=True),
        sa.Column("sheet_number", sa.String(length=20), nullable=True),
        sa.Column("variant", sa.String(length=10), nullable=True),
        sa.Column("creative", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("subjects", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                  nullable=False),
        sa.Column("total", sa.Integer(), nullable=True),
        sa.Column("max_total", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["received_id"], ["received_packages.id"],
                                name=op.f("fk_exam_results_received_id_received_packages"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exam_results")),
        sa.UniqueConstraint("site_code", "stream", "ikt", name=op.f("uq_exam_results_site_code_stream_ikt")),
    )  # fmt: skip
    with op.batch_alter_table("exam_results", schema=None) as batch_op:
        batch_op.create_index("ix_exam_results_site_stream", ["site_code", "stream"], unique=False)
        batch_op.create_index(batch_op.f("ix_exam_results_ikt"), ["ikt"], unique=False)
        batch_op.create_index(batch_op.f("ix_exam_results_received_id"), ["received_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("exam_results", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exam_results_received_id"))
        batch_op.drop_index(batch_op.f("ix_exam_results_ikt"))
        batch_op.drop_index("ix_exam_results_site_stream")
    op.drop_table("exam_results")
