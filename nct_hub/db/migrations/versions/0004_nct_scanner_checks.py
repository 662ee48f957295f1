"""НЦТ: the scanner checks sites send (п. 42.5, 52.5), filed per site and scanner.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scanner_check_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("received_id", sa.Integer(), nullable=False),
        sa.Column("check_number", sa.Integer(), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("scanner_model", sa.String(length=100), nullable=False),
        sa.Column("scanner_serial", sa.String(length=100), nullable=False),
        sa.Column("driver", sa.String(length=40), nullable=False),
        sa.Column("fit", sa.Boolean(), nullable=False),
        sa.Column("details", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                  nullable=False),
        sa.ForeignKeyConstraint(["received_id"], ["received_packages.id"],
                                name=op.f("fk_scanner_check_records_received_id_received_packages"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scanner_check_records")),
    )  # fmt: skip
    with op.batch_alter_table("scanner_check_records", schema=None) as batch_op:
        batch_op.create_index("ix_scanner_check_records_scanner", ["site_code", "scanner_model", "scanner_serial"],
                              unique=False)  # fmt: skip
        batch_op.create_index(batch_op.f("ix_scanner_check_records_site_code"), ["site_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_scanner_check_records_received_id"), ["received_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("scanner_check_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scanner_check_records_received_id"))
        batch_op.drop_index(batch_op.f("ix_scanner_check_records_site_code"))
        batch_op.drop_index("ix_scanner_check_records_scanner")
    op.drop_table("scanner_check_records")
