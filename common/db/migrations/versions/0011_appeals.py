"""Appeals (ch. 32–39, п. 181–213): the stream's appeal period (results announced, appeals closed), the
applications, their disputed tasks and the score changes the decisions made.

Revision ID: 0011_appeals
Revises: 0010_answer_codes_scores
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_appeals"
down_revision: str | Sequence[str] | None = "0010_answer_codes_scores"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stream_appeal_windows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stream_id", sa.Integer(), nullable=False),
        sa.Column("announced_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("announced_by", sa.String(length=100), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(["stream_id"], ["streams.id"],
                                name=op.f("fk_stream_appeal_windows_stream_id_streams"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stream_appeal_windows")),
        sa.UniqueConstraint("stream_id", name=op.f("uq_stream_appeal_windows_stream_id")),
    )
    op.create_table(
        "appeals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stream_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("sheet_id", sa.Integer(), nullable=False),
        sa.Column("room_number", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("variant", sa.String(length=10), nullable=False),
        sa.Column("profile_subjects", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_by", sa.String(length=200), nullable=False),
        sa.Column("chair", sa.String(length=200), nullable=False),
        sa.Column("test_day_image", sa.String(length=300), nullable=True),
        sa.Column("appeal_image", sa.String(length=300), nullable=True),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("entered_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["stream_id"], ["streams.id"], name=op.f("fk_appeals_stream_id_streams"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"],
                                name=op.f("fk_appeals_application_id_applications"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["sheet_id"], ["answer_sheets.id"], name=op.f("fk_appeals_sheet_id_answer_sheets"),
                                ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appeals")),
        sa.UniqueConstraint("stream_id", "number", name=op.f("uq_appeals_stream_id_number")),
    )
    op.create_index(op.f("ix_appeals_stream_id"), "appeals", ["stream_id"], unique=False)
    op.create_index(op.f("ix_appeals_application_id"), "appeals", ["application_id"], unique=False)
    op.create_table(
        "appeal_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appeal_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=40), nullable=False),
        sa.Column("task", sa.Integer(), nullable=False),
        sa.Column("ground", sa.String(length=30), nullable=False),
        sa.Column("claimed", sa.String(length=20), nullable=False),
        sa.Column("marks", sa.String(length=20), nullable=False),
        sa.Column("correct", sa.String(length=20), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("max_points", sa.Integer(), nullable=False),
        sa.Column("fills", sa.JSON(), nullable=False),
        sa.Column("appeal_fills", sa.JSON(), nullable=False),
        sa.Column("case", sa.String(length=20), nullable=True),
        sa.Column("defect", sa.Boolean(), nullable=False),
        sa.Column("votes_for", sa.Integer(), nullable=True),
        sa.Column("votes_against", sa.Integer(), nullable=True),
        sa.Column("chair_for", sa.Boolean(), nullable=True),
        sa.Column("proposed_points", sa.Integer(), nullable=True),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("decided_points", sa.Integer(), nullable=True),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_package", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(["appeal_id"], ["appeals.id"], name=op.f("fk_appeal_tasks_appeal_id_appeals"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appeal_tasks")),
        sa.UniqueConstraint("appeal_id", "subject", "task", name=op.f("uq_appeal_tasks_appeal_id_subject_task")),
    )
    op.create_index(op.f("ix_appeal_tasks_appeal_id"), "appeal_tasks", ["appeal_id"], unique=False)
    op.create_table(
        "score_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stream_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("appeal_task_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=40), nullable=False),
        sa.Column("task", sa.Integer(), nullable=False),
        sa.Column("before", sa.Integer(), nullable=False),
        sa.Column("after", sa.Integer(), nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("applied_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["stream_id"], ["streams.id"], name=op.f("fk_score_changes_stream_id_streams"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"],
                                name=op.f("fk_score_changes_application_id_applications"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["appeal_task_id"], ["appeal_tasks.id"],
                                name=op.f("fk_score_changes_appeal_task_id_appeal_tasks"), ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score_changes")),
        sa.UniqueConstraint("appeal_task_id", name=op.f("uq_score_changes_appeal_task_id")),
    )
    op.create_index(op.f("ix_score_changes_stream_id"), "score_changes", ["stream_id"], unique=False)
    op.create_index(op.f("ix_score_changes_application_id"), "score_changes", ["application_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_score_changes_application_id"), table_name="score_changes")
    op.drop_index(op.f("ix_score_changes_stream_id"), table_name="score_changes")
    op.drop_table("score_changes")
    op.drop_index(op.f("ix_appeal_tasks_appeal_id"), table_name="appeal_tasks")
    op.drop_table("appeal_tasks")
    op.drop_index(op.f("ix_appeals_application_id"), table_name="appeals")
    op.drop_index(op.f("ix_appeals_stream_id"), table_name="appeals")
    op.drop_table("appeals")
    op.drop_table("stream_appeal_windows")
