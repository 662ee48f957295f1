"""Variants from НЦТ (п. 53.1): each stream's test specification, and the variants file — answer-sheet
numbers per room (п. 157.1) and variant booklets per room (п. 171).

Revision ID: 0006_variants
Revises: 0005_closing_distribution
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_variants"
down_revision: str | Sequence[str] | None = "0005_closing_distribution"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("stream_specifications", "stream_variants"):
        extra = [sa.Column("document", sa.JSON(), nullable=False)] if table == "stream_specifications" else [
            sa.Column("payload_sha256", sa.String(length=64), nullable=False)]
        op.create_table(
            table,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("stream_id", sa.Integer(), nullable=False),
            sa.Column("spec_code", sa.String(length=40), nullable=False),
            sa.Column("spec_sha256", sa.String(length=64), nullable=False),
            *extra,
            sa.Column("package_id", sa.String(length=64), nullable=False),
            sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(["stream_id"], ["streams.id"], name=op.f(f"fk_{table}_stream_id_streams"),
                                    ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
            sa.UniqueConstraint("stream_id", name=op.f(f"uq_{table}_stream_id")),
        )
    op.create_table(
        "room_sheets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("room_stream_id", sa.Integer(), nullable=False),
        sa.Column("spare", sa.Boolean(), nullable=False),
        sa.Column("first", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["room_stream_id"], ["room_streams.id"],
                                name=op.f("fk_room_sheets_room_stream_id_room_streams"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_room_sheets")),
        sa.UniqueConstraint("room_stream_id", "spare", name=op.f("uq_room_sheets_room_stream_id_spare")),
    )
    op.create_table(
        "room_booklets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("room_stream_id", sa.Integer(), nullable=False),
        sa.Column("variant", sa.String(length=8), nullable=False),
        sa.Column("booklets", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["room_stream_id"], ["room_streams.id"],
                                name=op.f("fk_room_booklets_room_stream_id_room_streams"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_room_booklets")),
        sa.UniqueConstraint("room_stream_id", "variant", name=op.f("uq_room_booklets_room_stream_id_variant")),
    )


def downgrade() -> None:
    op.drop_table("room_booklets")
    op.drop_table("room_sheets")
    op.drop_table("stream_variants")
    op.drop_table("stream_specifications")
