"""НЦТ: each site's stream as allocated for the exam — its test specification, the answer-sheet numbers and
variant booklets of each room (the ``test-specification`` and ``variants`` packages, п. 53.1).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    json_type = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
    op.create_table(
        "stream_allocations",
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("stream", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("spec_code", sa.String(length=40), nullable=False),
        sa.Column("spec_sha256", sa.String(length=64), nullable=False),
        sa.Column("specification", json_type, nullable=False),
        sa.Column("allocated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("allocated_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_code"], ["sites.code"], name=op.f("fk_stream_allocations_site_code_sites"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("site_code", "stream", name=op.f("pk_stream_allocations")),
    )
    op.create_table(
        "sheet_blocks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("stream", sa.Integer(), nullable=False),
        sa.Column("room_number", sa.String(length=4), nullable=False),
        sa.Column("spare", sa.Boolean(), nullable=False),
        sa.Column("first", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_code"], ["sites.code"], name=op.f("fk_sheet_blocks_site_code_sites"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sheet_blocks")),
        sa.UniqueConstraint("first", name=op.f("uq_sheet_blocks_first")),
        sa.UniqueConstraint(
            "site_code", "stream", "room_number", "spare",
            name=op.f("uq_sheet_blocks_site_code_stream_room_number_spare"),
        ),
    )
    with op.batch_alter_table("sheet_blocks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sheet_blocks_site_code"), ["site_code"], unique=False)
    op.create_table(
        "room_booklets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("stream", sa.Integer(), nullable=False),
        sa.Column("room_number", sa.String(length=4), nullable=False),
        sa.Column("variant", sa.String(length=8), nullable=False),
        sa.Column("booklets", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_code"], ["sites.code"], name=op.f("fk_room_booklets_site_code_sites"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_room_booklets")),
        sa.UniqueConstraint(
            "site_code", "stream", "room_number", "variant",
            name=op.f("uq_room_booklets_site_code_stream_room_number_variant"),
        ),
    )
    with op.batch_alter_table("room_booklets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_room_booklets_site_code"), ["site_code"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("room_booklets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_room_booklets_site_code"))
    op.drop_table("room_booklets")
    with op.batch_alter_table("sheet_blocks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sheet_blocks_site_code"))
    op.drop_table("sheet_blocks")
    op.drop_table("stream_allocations")
