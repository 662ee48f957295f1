"""The certificate workstation's applicants (ch. 40, п. 214): each stream's certificate file as taken and its
applicants with their results with appeal and, once assigned, the blank's series and number.

Revision ID: 0012_certificate_file
Revises: 0011_appeals
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_certificate_file"
down_revision: str | Sequence[str] | None = "0011_appeals"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "certificate_streams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stream_number", sa.Integer(), nullable=False),
        sa.Column("site_code", sa.String(length=10), nullable=False),
        sa.Column("site_name_kk", sa.String(length=300), nullable=False),
        sa.Column("site_name_ru", sa.String(length=300), nullable=False),
        sa.Column("exam_date", sa.Date(), nullable=False),
        sa.Column("package_id", sa.String(length=100), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate_streams")),
        sa.UniqueConstraint("stream_number", name=op.f("uq_certificate_streams_stream_number")),
    )
    op.create_table(
        "certificate_applicants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stream_id", sa.Integer(), nullable=False),
        sa.Column("ikt", sa.String(length=20), nullable=False),
        sa.Column("iin", sa.String(length=12), nullable=True),
        sa.Column("surname", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("patronymic", sa.String(length=200), nullable=True),
        sa.Column("school_code", sa.String(length=8), nullable=False),
        sa.Column("school_name_kk", sa.String(length=300), nullable=False),
        sa.Column("school_name_ru", sa.String(length=300), nullable=False),
        sa.Column("test_language", sa.String(length=2), nullable=False),
        sa.Column("subjects", sa.JSON(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("max_total", sa.Integer(), nullable=False),
        sa.Column("certificate_series", sa.String(length=20), nullable=True),
        sa.Column("certificate_number", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(["stream_id"], ["certificate_streams.id"],
                                name=op.f("fk_certificate_applicants_stream_id_certificate_streams"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate_applicants")),
        sa.UniqueConstraint("stream_id", "ikt", name=op.f("uq_certificate_applicants_stream_id_ikt")),
    )
    op.create_index(op.f("ix_certificate_applicants_stream_id"), "certificate_applicants", ["stream_id"],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_certificate_applicants_stream_id"), table_name="certificate_applicants")
    op.drop_table("certificate_applicants")
    op.drop_table("certificate_streams")
