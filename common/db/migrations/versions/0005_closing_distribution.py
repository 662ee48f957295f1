"""Closing and distribution: the applicant database's state (closed, rooms opened, distributed, handed
over), the rooms НЦТ opened per stream with their seats, and each application's place in its room.

Revision ID: 0005_closing_distribution
Revises: 0004_scanned_forms
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_closing_distribution"
down_revision: str | Sequence[str] | None = "0004_scanned_forms"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "applicant_database_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_by", sa.String(length=100), nullable=False),
        sa.Column("rooms_opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("distributed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("handed_over_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("id = 1", name=op.f("ck_applicant_database_state_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applicant_database_state")),
    )
    # plain ADD COLUMN and CREATE INDEX: SQLite does them in place (and --sql renders them offline)
    op.add_column("room_streams", sa.Column("seats", sa.Integer(), nullable=True))
    op.add_column("room_streams", sa.Column("opened", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("applications", sa.Column("place", sa.Integer(), nullable=True))
    op.create_index("uq_applications_room_stream_id_place", "applications", ["room_stream_id", "place"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_applications_room_stream_id_place", table_name="applications")
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_column("place")
    with op.batch_alter_table("room_streams", schema=None) as batch_op:
        batch_op.drop_column("opened")
        batch_op.drop_column("seats")
    op.drop_table("applicant_database_state")
