"""НЦТ: its audit chain head in its own database; every audit head received from a workstation.

The head row starts empty: the first command that records copies the head from the folder's database
(``nct_hub.audit``). The heads of packages taken before this revision are copied from
``received_packages`` with the verdict ``earlier`` (their signers' certificates were not kept).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("last_lines", sa.Text(), nullable=False),
        sa.Column("last_offset", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("id = 1", name=op.f("ck_audit_head_single_row")),
        sa.CheckConstraint("seq >= 0", name=op.f("ck_audit_head_seq_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.create_table(
        "received_audit_heads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender", sa.String(length=40), nullable=False),
        sa.Column("certificate", sa.String(length=64), nullable=False),
        sa.Column("entries", sa.BigInteger(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("package_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("stream_key", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_received_audit_heads")),
    )
    with op.batch_alter_table("received_audit_heads", schema=None) as batch_op:
        batch_op.create_index("ix_received_audit_heads_sender", ["sender", "certificate"], unique=False)
    op.execute(
        "INSERT INTO received_audit_heads "
        "(sender, certificate, entries, digest, package_id, kind, stream_key, sequence, created_at, verdict, "
        "received_at) "
        "SELECT sender, '', audit_entries, audit_digest, package_id, kind, stream_key, sequence, created_at, "
        "'earlier', "
        "accepted_at "
        "FROM received_packages WHERE audit_entries IS NOT NULL AND audit_digest IS NOT NULL "
        "ORDER BY accepted_at, id"
    )


def downgrade() -> None:
    with op.batch_alter_table("received_audit_heads", schema=None) as batch_op:
        batch_op.drop_index("ix_received_audit_heads_sender")
    op.drop_table("received_audit_heads")
    op.drop_table("audit_head")
