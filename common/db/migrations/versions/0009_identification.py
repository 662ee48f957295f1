"""Identification of answer sheets on the programmer's workstation (п. 157–176, прил. 36–38): the protocol's
entries (lower table per sheet, upper table per applicant) and the end of a stream's identification.

Revision ID: 0009_identification
Revises: 0008_answer_sheets
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_identification"
down_revision: str | Sequence[str] | None = "0008_answer_sheets"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "identification_sheets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stream_id", sa.Integer(), nullable=False),
        sa.Column("sheet_id", sa.Integer(), nullable=False),
        sa.Column("room_number", sa.String(length=20), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("name_on_sheet", sa.String(length=300), nullable=True),
        sa.Column("ikt", sa.String(length=20), nullable=True),
        sa.Column("seat", sa.Integer(), nullable=True),
        sa.Column("variant", sa.String(length=10), nullable=True),
        sa.Column("subjects", sa.String(length=100), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("entered_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["stream_id"], ["streams.id"],
                                name=op.f("fk_identification_sheets_stream_id_streams"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"],
                                name=op.f("fk_identification_sheets_application_id_applications"),
                                ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identification_sheets")),
        sa.UniqueConstraint("sheet_id", name=op.f("uq_identification_sheets_sheet_id")),
    )
    op.create_index(op.f("ix_identification_sheets_stream_id"), "identification_sheets", ["stream_id"],
                    unique=False)
    op.create_table(
        "identification_applicants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=20), nullable=False),
        sa.Column("sheet_number", sa.String(length=20), nullable=True),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("entered_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"],
                                name=op.f("fk_identification_applicants_application_id_applications"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identification_applicants")),
        sa.UniqueConstraint("application_id", name=op.f("uq_identification_applicants_application_id")),
    )
    op.create_table(
        "identification_ends",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stream_id", sa.Integer(), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_by", sa.String(length=100), nullable=False),
        sa.Column("package_id", sa.String(length=64), nullable=True),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["stream_id"], ["streams.id"],
                                name=op.f("fk_identification_ends_stream_id_streams"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identification_ends")),
        sa.UniqueConstraint("stream_id", name=op.f("uq_identification_ends_stream_id")),
    )


def downgrade() -> None:
    op.drop_table("identification_ends")
    op.drop_table("identification_applicants")
    op.drop_index(op.f("ix_identification_sheets_stream_id"), table_name="identification_sheets")
    op.drop_table("identification_sheets")
