"""Scanned application forms: one row per page the scan loop took (common/db/scan_models.py).

Revision ID: 0004_scanned_forms
Revises: 0003_scanner_check
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_scanned_forms"
down_revision: str | Sequence[str] | None = "0003_scanner_check"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scanned_forms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("page_id", sa.String(length=200), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("image", sa.String(length=300), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "applied",
                "flagged",
                "rescan",
                "duplicate",
                "set-aside",
                name="state",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("reading", sa.JSON(), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("problems", sa.JSON(), nullable=False),
        sa.Column("overrides", sa.JSON(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("scanned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_scanned_forms_application_id_applications"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_scanned_forms_school_id_schools"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scanned_forms")),
        sa.UniqueConstraint("page_id", name=op.f("uq_scanned_forms_page_id")),
    )
    with op.batch_alter_table("scanned_forms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scanned_forms_school_id"), ["school_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("scanned_forms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scanned_forms_school_id"))

    op.drop_table("scanned_forms")
