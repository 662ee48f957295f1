"""НЦТ: the appeals a site sends (п. 203–205) with the Republican commission's decisions, and the
results with appeal (п. 206).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "final_exam_results",
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
        sa.Column(
            "subjects", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("total", sa.Integer(), nullable=True),
        sa.Column("max_total", sa.Integer(), nullable=True),
        sa.Column(
            "changes", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["received_id"],
            ["received_packages.id"],
            name=op.f("fk_final_exam_results_received_id_received_packages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_final_exam_results")),
        sa.UniqueConstraint("site_code", "stream", "ikt", name=op.f("uq_final_exam_results_site_code_stream_ikt")),
    )
    with op.batch_alter_table("final_exam_results", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_final_exam_results_ikt"), ["ikt"], unique=False)
        batch_op.create_index(batch_op.f("ix_final_exam_results_received_id"), ["received_id"], unique=False)
        batch_op.create_index("ix_final_exam_results_site_stream", ["site_code", "stream"], unique=False)

    op.create_table(
        "nct_appeals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("received_id", sa.Integer(), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("stream", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("ikt", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("room_number", sa.String(length=4), nullable=False),
        sa.Column("received_at", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("variant", sa.String(length=10), nullable=False),
        sa.Column(
            "subjects", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column(
            "images", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["received_id"],
            ["received_packages.id"],
            name=op.f("fk_nct_appeals_received_id_received_packages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nct_appeals")),
        sa.UniqueConstraint("site_code", "stream", "number", name=op.f("uq_nct_appeals_site_code_stream_number")),
    )
    with op.batch_alter_table("nct_appeals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_nct_appeals_ikt"), ["ikt"], unique=False)
        batch_op.create_index(batch_op.f("ix_nct_appeals_received_id"), ["received_id"], unique=False)

    op.create_table(
        "nct_appeal_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appeal_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=16), nullable=False),
        sa.Column("task", sa.Integer(), nullable=False),
        sa.Column("ground", sa.String(length=24), nullable=False),
        sa.Column("claimed", sa.String(length=16), nullable=False),
        sa.Column("marks", sa.String(length=16), nullable=False),
        sa.Column("correct", sa.String(length=16), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("max_points", sa.Integer(), nullable=False),
        sa.Column(
            "fills", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column(
            "appeal_fills",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("case", sa.String(length=16), nullable=True),
        sa.Column(
            "votes", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=True
        ),
        sa.Column("proposed_points", sa.Integer(), nullable=True),
        sa.Column("site_decision", sa.String(length=16), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=True),
        sa.Column("decided_points", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["appeal_id"],
            ["nct_appeals.id"],
            name=op.f("fk_nct_appeal_tasks_appeal_id_nct_appeals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nct_appeal_tasks")),
        sa.UniqueConstraint("appeal_id", "subject", "task", name=op.f("uq_nct_appeal_tasks_appeal_id_subject_task")),
    )
    with op.batch_alter_table("nct_appeal_tasks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_nct_appeal_tasks_appeal_id"), ["appeal_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("nct_appeal_tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_nct_appeal_tasks_appeal_id"))

    op.drop_table("nct_appeal_tasks")
    with op.batch_alter_table("nct_appeals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_nct_appeals_received_id"))
        batch_op.drop_index(batch_op.f("ix_nct_appeals_ikt"))

    op.drop_table("nct_appeals")
    with op.batch_alter_table("final_exam_results", schema=None) as batch_op:
        batch_op.drop_index("ix_final_exam_results_site_stream")
        batch_op.drop_index(batch_op.f("ix_final_exam_results_received_id"))
        batch_op.drop_index(batch_op.f("ix_final_exam_results_ikt"))

    op.drop_table("final_exam_results")
