"""НЦТ: sites, workstation certificates, sent packages, issued passwords, sealed answer codes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sent_packages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("stream_key", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sent_packages")),
        sa.UniqueConstraint(
            "recipient",
            "kind",
            "stream_key",
            "sequence",
            name=op.f("uq_sent_packages_recipient_kind_stream_key_sequence"),
        ),
    )
    op.create_table(
        "sites",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name_kk", sa.String(length=300), nullable=False),
        sa.Column("name_ru", sa.String(length=300), nullable=False),
        sa.Column("region_code", sa.String(length=4), nullable=False),
        sa.Column("building", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_sites")),
    )
    op.create_table(
        "issued_passwords",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("purpose", sa.String(length=40), nullable=False),
        sa.Column("stream_key", sa.Integer(), nullable=False),
        sa.Column("slot", sa.String(length=20), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_code"], ["sites.code"], name=op.f("fk_issued_passwords_site_code_sites"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issued_passwords")),
    )
    with op.batch_alter_table("issued_passwords", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_issued_passwords_site_code"), ["site_code"], unique=False)

    op.create_table(
        "sealed_answer_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("stream", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("sealed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sealed_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_code"], ["sites.code"], name=op.f("fk_sealed_answer_codes_site_code_sites"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sealed_answer_codes")),
    )
    with op.batch_alter_table("sealed_answer_codes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sealed_answer_codes_site_code"), ["site_code"], unique=False)

    op.create_table(
        "workstation_certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("address", sa.String(length=40), nullable=False),
        sa.Column("serial", sa.String(length=64), nullable=False),
        sa.Column("fingerprint", sa.String(length=100), nullable=False),
        sa.Column("certificate_pem", sa.Text(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_code"], ["sites.code"], name=op.f("fk_workstation_certificates_site_code_sites"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workstation_certificates")),
        sa.UniqueConstraint("serial", name=op.f("uq_workstation_certificates_serial")),
    )
    with op.batch_alter_table("workstation_certificates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_workstation_certificates_address"), ["address"], unique=False)
        batch_op.create_index(batch_op.f("ix_workstation_certificates_site_code"), ["site_code"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("workstation_certificates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workstation_certificates_site_code"))
        batch_op.drop_index(batch_op.f("ix_workstation_certificates_address"))

    op.drop_table("workstation_certificates")
    with op.batch_alter_table("sealed_answer_codes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sealed_answer_codes_site_code"))

    op.drop_table("sealed_answer_codes")
    with op.batch_alter_table("issued_passwords", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_issued_passwords_site_code"))

    op.drop_table("issued_passwords")
    op.drop_table("sites")
    op.drop_table("sent_packages")
