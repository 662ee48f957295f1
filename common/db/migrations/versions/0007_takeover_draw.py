"""The programmer's workstation: the journal of changes entered at the take-over (прил. 13, п. 52.9, 109),
the take-over's closing (п. 52.10), each stream's seating draw (п. 52.11) and the late seatings (п. 130).

Revision ID: 0007_takeover_draw
Revises: 0006_variants
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_takeover_draw"
down_revision: str | Sequence[str] | None = "0006_variants"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "data_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("journal_row", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=20), nullable=False),
        sa.Column("old_value", sa.String(length=300), nullable=True),
        sa.Column("new_value", sa.String(length=300), nullable=True),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("entered_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"],
                                name=op.f("fk_data_changes_application_id_applications"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_changes")),
    )
    op.create_index(op.f("ix_data_changes_application_id"), "data_changes", ["application_id"], unique=False)
    op.create_table(
        "takeover_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_takeover_state")),
    )
    op.create_table(
        "stream_draws",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stream_id", sa.Integer(), nullable=False),
        sa.Column("drawn_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("drawn_by", sa.String(length=100), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("applicants", sa.Integer(), nullable=False),
        sa.Column("rooms", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["stream_id"], ["streams.id"], name=op.f("fk_stream_draws_stream_id_streams"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stream_draws")),
        sa.UniqueConstraint("stream_id", name=op.f("uq_stream_draws_stream_id")),
    )
    op.create_table(
        "late_seatings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("room_stream_id", sa.Integer(), nullable=False),
        sa.Column("seat", sa.Integer(), nullable=False),
        sa.Column("from_room_stream_id", sa.Integer(), nullable=True),
        sa.Column("from_seat", sa.Integer(), nullable=True),
        sa.Column("member", sa.String(length=300), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"],
                                name=op.f("fk_late_seatings_application_id_applications"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["room_stream_id"], ["room_streams.id"],
                                name=op.f("fk_late_seatings_room_stream_id_room_streams"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["from_room_stream_id"], ["room_streams.id"],
                                name=op.f("fk_late_seatings_from_room_stream_id_room_streams"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_late_seatings")),
        sa.UniqueConstraint("application_id", name=op.f("uq_late_seatings_application_id")),
    )


def downgrade() -> None:
    op.drop_table("late_seatings")
    op.drop_table("stream_draws")
    op.drop_table("takeover_state")
    op.drop_index(op.f("ix_data_changes_application_id"), table_name="data_changes")
    op.drop_table("data_changes")
