"""The answer codes of a stream opened into the database (п. 176–178) and the scores of its sheets, per task
(п. 179–180); a protocol entry's sheet is a foreign key now (a sheet with an entry is never removed).

Revision ID: 0010_answer_codes_scores
Revises: 0009_identification
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_answer_codes_scores"
down_revision: str | Sequence[str] | None = "0009_identification"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _identification_sheets(*, with_sheet_key: bool = False) -> sa.Table:
    """The table as 0009 made it (and this revision, ``with_sheet_key``): SQLite's batch copies it without
    reflecting, so the offline SQL renders too."""
    sheet = (sa.ForeignKey("answer_sheets.id", name="fk_identification_sheets_sheet_id_answer_sheets",
                           ondelete="RESTRICT"),) if with_sheet_key else ()
    return sa.Table(
        "identification_sheets", sa.MetaData(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stream_id", sa.Integer(), sa.ForeignKey(
            "streams.id", name="fk_identification_sheets_stream_id_streams", ondelete="CASCADE"), nullable=False),
        sa.Column("sheet_id", sa.Integer(), *sheet, nullable=False),
        sa.Column("room_number", sa.String(length=20), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("application_id", sa.Integer(), sa.ForeignKey(
            "applications.id", name="fk_identification_sheets_application_id_applications", ondelete="RESTRICT"),
            nullable=True),
        sa.Column("name_on_sheet", sa.String(length=300), nullable=True),
        sa.Column("ikt", sa.String(length=20), nullable=True),
        sa.Column("seat", sa.Integer(), nullable=True),
        sa.Column("variant", sa.String(length=10), nullable=True),
        sa.Column("subjects", sa.String(length=100), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("entered_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_identification_sheets"),
        sa.UniqueConstraint("sheet_id", name="uq_identification_sheets_sheet_id"),
        sa.Index("ix_identification_sheets_stream_id", "stream_id"),
    )


def upgrade() -> None:
    op.create_table(
        "stream_answer_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stream_id", sa.Integer(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("spec_sha256", sa.String(length=64), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["stream_id"], ["streams.id"], name=op.f("fk_stream_answer_keys_stream_id_streams"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stream_answer_keys")),
        sa.UniqueConstraint("stream_id", name=op.f("uq_stream_answer_keys_stream_id")),
    )
    op.create_table(
        "sheet_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stream_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("sheet_id", sa.Integer(), nullable=False),
        sa.Column("room_number", sa.String(length=20), nullable=False),
        sa.Column("variant", sa.String(length=10), nullable=False),
        sa.Column("profile_subjects", sa.JSON(), nullable=False),
        sa.Column("creative", sa.Boolean(), nullable=False),
        sa.Column("marks", sa.JSON(), nullable=False),
        sa.Column("per_task", sa.JSON(), nullable=False),
        sa.Column("per_subject", sa.JSON(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("max_total", sa.Integer(), nullable=False),
        sa.Column("scored_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("scored_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["stream_id"], ["streams.id"], name=op.f("fk_sheet_scores_stream_id_streams"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"],
                                name=op.f("fk_sheet_scores_application_id_applications"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["sheet_id"], ["answer_sheets.id"],
                                name=op.f("fk_sheet_scores_sheet_id_answer_sheets"), ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sheet_scores")),
        sa.UniqueConstraint("application_id", name=op.f("uq_sheet_scores_application_id")),
        sa.UniqueConstraint("sheet_id", name=op.f("uq_sheet_scores_sheet_id")),
    )
    op.create_index(op.f("ix_sheet_scores_stream_id"), "sheet_scores", ["stream_id"], unique=False)
    with op.batch_alter_table("identification_sheets", copy_from=_identification_sheets()) as batch_op:
        batch_op.create_foreign_key(op.f("fk_identification_sheets_sheet_id_answer_sheets"), "answer_sheets",
                                    ["sheet_id"], ["id"], ondelete="RESTRICT")


def downgrade() -> None:
    keyed = _identification_sheets(with_sheet_key=True)
    with op.batch_alter_table("identification_sheets", copy_from=keyed) as batch_op:
        batch_op.drop_constraint(op.f("fk_identification_sheets_sheet_id_answer_sheets"), type_="foreignkey")
    op.drop_index(op.f("ix_sheet_scores_stream_id"), table_name="sheet_scores")
    op.drop_table("sheet_scores")
    op.drop_table("stream_answer_keys")
