"""НЦТ: the certificate numbers the sites' АРМ «Сертификат» send (п. 217): certificates, spoiled blanks, packs.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def _head(table: str) -> list[Any]:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("received_id", sa.Integer(), nullable=False),
        sa.Column("stream", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["received_id"], ["received_packages.id"],
                                name=op.f(f"fk_{table}_received_id_received_packages"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    op.create_table(
        "nct_certificate_numbers", *_head("nct_certificate_numbers"),
        sa.Column("exam_date", sa.Date(), nullable=False),
        sa.Column("ikt", sa.String(length=12), nullable=False),
        sa.Column("series", sa.String(length=10), nullable=False),
        sa.Column("number", sa.String(length=9), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.UniqueConstraint("site_code", "stream", "ikt", name=op.f("uq_nct_certificate_numbers_site_code_stream_ikt")),
        sa.UniqueConstraint("site_code", "series", "number",
                            name=op.f("uq_nct_certificate_numbers_site_code_series_number")),
    )  # fmt: skip
    op.create_table(
        "nct_spoiled_blanks", *_head("nct_spoiled_blanks"),
        sa.Column("series", sa.String(length=10), nullable=False),
        sa.Column("number", sa.String(length=9), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("ikt", sa.String(length=12), nullable=True),
    )  # fmt: skip
    op.create_table(
        "nct_blank_packs", *_head("nct_blank_packs"),
        sa.Column("series", sa.String(length=10), nullable=False),
        sa.Column("first", sa.String(length=9), nullable=False),
        sa.Column("last", sa.String(length=9), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
    )  # fmt: skip
    for table in ("nct_certificate_numbers", "nct_spoiled_blanks", "nct_blank_packs"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f"ix_{table}_received_id"), ["received_id"], unique=False)


def downgrade() -> None:
    for table in ("nct_blank_packs", "nct_spoiled_blanks", "nct_certificate_numbers"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_received_id"))
        op.drop_table(table)
