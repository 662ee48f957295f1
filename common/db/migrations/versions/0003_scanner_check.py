"""Scanner check (п. 52.4–52.5): the control sets printed and every check made with its verdict.

Revision ID: 0003_scanner_check
Revises: 0002_exchange
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_scanner_check"
down_revision: str | Sequence[str] | None = "0002_exchange"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scanner_control_sets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("printed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("printed_by", sa.String(length=100), nullable=False),
        sa.Column("spec_code", sa.String(length=40), nullable=False),
        sa.Column("exam_year", sa.Integer(), nullable=True),
        sa.Column("spec_json", sa.Text(), nullable=False),
        sa.Column("key", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scanner_control_sets")),
        sa.UniqueConstraint("number", name=op.f("uq_scanner_control_sets_number")),
    )
    op.create_table(
        "scanner_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("control_set_id", sa.Integer(), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("checked_by", sa.String(length=100), nullable=False),
        sa.Column("scanner_model", sa.String(length=100), nullable=False),
        sa.Column("scanner_serial", sa.String(length=100), nullable=False),
        sa.Column("driver", sa.String(length=40), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("fit", sa.Boolean(), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("pages", sa.JSON(), nullable=False),
        sa.Column("scans_folder", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["control_set_id"],
            ["scanner_control_sets.id"],
            name=op.f("fk_scanner_checks_control_set_id_scanner_control_sets"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scanner_checks")),
    )
    with op.batch_alter_table("scanner_checks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scanner_checks_control_set_id"), ["control_set_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("scanner_checks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scanner_checks_control_set_id"))

    op.drop_table("scanner_checks")
    op.drop_table("scanner_control_sets")
