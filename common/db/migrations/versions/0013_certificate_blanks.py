"""The certificate workstation's blanks (ch. 40, п. 215–217, 222): packs of typographic blanks received from НЦТ,
the blanks used (issued to an applicant or spoiled, with the reason) and each printer's calibration. An applicant's
certificate number is now its issued blank (the two columns of 0012 go: one truth).

Revision ID: 0013_certificate_blanks
Revises: 0012_certificate_file
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_certificate_blanks"
down_revision: str | Sequence[str] | None = "0012_certificate_file"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _applicants_0012(*, with_numbers: bool) -> sa.Table:
    """``certificate_applicants`` as it is before (with the numbers) or after this revision: batch mode copies the
    table and needs it whole when it cannot reflect it (the offline ``--sql`` rendering)."""
    from common.db.base import NAMING_CONVENTION

    numbers = [sa.Column("certificate_series", sa.String(length=20), nullable=True),
               sa.Column("certificate_number", sa.String(length=20), nullable=True)] if with_numbers else []
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    sa.Table("certificate_streams", metadata, sa.Column("id", sa.Integer(), primary_key=True))
    return sa.Table(
        "certificate_applicants", metadata,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("stream_id", sa.Integer(), sa.ForeignKey("certificate_streams.id", ondelete="CASCADE"),
                  nullable=False),
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
        *numbers,
        sa.UniqueConstraint("stream_id", "ikt"),
        sa.Index("ix_certificate_applicants_stream_id", "stream_id"),
    )


def upgrade() -> None:
    op.create_table(
        "certificate_blank_packs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("series", sa.String(length=10), nullable=False),
        sa.Column("first_number", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("digits", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by", sa.String(length=100), nullable=False),
        sa.CheckConstraint("count > 0", name=op.f("ck_certificate_blank_packs_count_positive")),
        sa.CheckConstraint("first_number >= 0", name=op.f("ck_certificate_blank_packs_first_number_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate_blank_packs")),
        sa.UniqueConstraint("series", "first_number", name=op.f("uq_certificate_blank_packs_series_first_number")),
    )
    op.create_table(
        "certificate_used_blanks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pack_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=300), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.CheckConstraint("status IN ('issued', 'spoiled')", name=op.f("ck_certificate_used_blanks_status_known")),
        sa.ForeignKeyConstraint(["applicant_id"], ["certificate_applicants.id"],
                                name=op.f("fk_certificate_used_blanks_applicant_id_certificate_applicants"),
                                ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["pack_id"], ["certificate_blank_packs.id"],
                                name=op.f("fk_certificate_used_blanks_pack_id_certificate_blank_packs"),
                                ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate_used_blanks")),
        sa.UniqueConstraint("pack_id", "number", name=op.f("uq_certificate_used_blanks_pack_id_number")),
    )
    op.create_index(op.f("ix_certificate_used_blanks_pack_id"), "certificate_used_blanks", ["pack_id"],
                    unique=False)
    op.create_index(op.f("ix_certificate_used_blanks_applicant_id"), "certificate_used_blanks", ["applicant_id"],
                    unique=False)
    op.create_index("ix_certificate_used_blanks_one_issued", "certificate_used_blanks", ["applicant_id"],
                    unique=True, sqlite_where=sa.text("status = 'issued'"))
    op.create_table(
        "certificate_printer_offsets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("printer", sa.String(length=200), nullable=False),
        sa.Column("dx_mm", sa.Float(), nullable=False),
        sa.Column("dy_mm", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate_printer_offsets")),
        sa.UniqueConstraint("printer", name=op.f("uq_certificate_printer_offsets_printer")),
    )
    with op.batch_alter_table("certificate_applicants", schema=None,
                              copy_from=_applicants_0012(with_numbers=True)) as batch_op:
        batch_op.drop_column("certificate_number")
        batch_op.drop_column("certificate_series")


def downgrade() -> None:
    with op.batch_alter_table("certificate_applicants", schema=None,
                              copy_from=_applicants_0012(with_numbers=False)) as batch_op:
        batch_op.add_column(sa.Column("certificate_series", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("certificate_number", sa.String(length=20), nullable=True))
    op.drop_table("certificate_printer_offsets")
    op.drop_index("ix_certificate_used_blanks_one_issued", table_name="certificate_used_blanks")
    op.drop_index(op.f("ix_certificate_used_blanks_applicant_id"), table_name="certificate_used_blanks")
    op.drop_index(op.f("ix_certificate_used_blanks_pack_id"), table_name="certificate_used_blanks")
    op.drop_table("certificate_used_blanks")
    op.drop_table("certificate_blank_packs")
