"""НЦТ: the ИКТ blocks allocated to sites (the ``site-plan`` package).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ikt_blocks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("first", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.Column("allocated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("allocated_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_code"], ["sites.code"], name=op.f("fk_ikt_blocks_site_code_sites"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ikt_blocks")),
        sa.UniqueConstraint("first", name=op.f("uq_ikt_blocks_first")),
    )
    with op.batch_alter_table("ikt_blocks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ikt_blocks_site_code"), ["site_code"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ikt_blocks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ikt_blocks_site_code"))
    op.drop_table("ikt_blocks")
