"""Exchange: the workstation's key, known peers, packages sent and taken, payloads kept whole,
password verifiers and attempts.

Revision ID: 0002_exchange
Revises: 0001_foundation
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_exchange"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "exchange_identity",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("address", sa.String(length=40), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("certificate_pem", sa.Text(), nullable=False),
        sa.Column("protected_key", sa.LargeBinary(), nullable=False),
        sa.Column("root_certificate_pem", sa.Text(), nullable=False),
        sa.Column("enrolment_package_id", sa.String(length=64), nullable=False),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_exchange_identity_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_identity")),
    )
    op.create_table(
        "exchange_peers",
        sa.Column("address", sa.String(length=40), nullable=False),
        sa.Column("certificate_pem", sa.Text(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("address", name=op.f("pk_exchange_peers")),
    )
    op.create_table(
        "exchange_received",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("package_id", sa.String(length=64), nullable=False),
        sa.Column("sender", sa.String(length=40), nullable=False),
        sa.Column("recipient", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("stream_key", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("audit_entries", sa.Integer(), nullable=True),
        sa.Column("audit_digest", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_received")),
        sa.UniqueConstraint("package_id", name=op.f("uq_exchange_received_package_id")),
    )
    with op.batch_alter_table("exchange_received", schema=None) as batch_op:
        batch_op.create_index(
            "ix_exchange_received_channel",
            ["sender", "recipient", "kind", "stream_key", "sequence"],
            unique=False,
        )

    op.create_table(
        "exchange_sent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("stream_key", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("audit_entries", sa.Integer(), nullable=True),
        sa.Column("audit_digest", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_sent")),
        sa.UniqueConstraint(
            "recipient",
            "kind",
            "stream_key",
            "sequence",
            name=op.f("uq_exchange_sent_recipient_kind_stream_key_sequence"),
        ),
    )
    op.create_table(
        "password_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=40), nullable=False),
        sa.Column("stream_key", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("total_failures", sa.Integer(), nullable=False),
        sa.Column("unlocks_used", sa.Integer(), nullable=False),
        sa.Column("locked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("failures >= 0", name=op.f("ck_password_attempts_failures_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_attempts")),
        sa.UniqueConstraint("purpose", "stream_key", name=op.f("uq_password_attempts_purpose_stream_key")),
    )
    op.create_table(
        "password_verifiers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=40), nullable=False),
        sa.Column("stream_key", sa.Integer(), nullable=False),
        sa.Column("slot", sa.String(length=20), nullable=False),
        sa.Column("verifier", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("package_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_verifiers")),
        sa.UniqueConstraint(
            "purpose", "stream_key", "slot", name=op.f("uq_password_verifiers_purpose_stream_key_slot")
        ),
    )
    op.create_table(
        "exchange_payloads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("package_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("stream_key", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("sender", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["package_id"],
            ["exchange_received.package_id"],
            name=op.f("fk_exchange_payloads_package_id_exchange_received"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_payloads")),
    )
    with op.batch_alter_table("exchange_payloads", schema=None) as batch_op:
        batch_op.create_index("ix_exchange_payloads_kind", ["kind", "stream_key", "sequence"], unique=False)

    op.create_table(
        "exchange_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("payload_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["payload_id"],
            ["exchange_payloads.id"],
            name=op.f("fk_exchange_attachments_payload_id_exchange_payloads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_attachments")),
        sa.UniqueConstraint("payload_id", "name", name=op.f("uq_exchange_attachments_payload_id_name")),
    )


def downgrade() -> None:
    op.drop_table("exchange_attachments")
    with op.batch_alter_table("exchange_payloads", schema=None) as batch_op:
        batch_op.drop_index("ix_exchange_payloads_kind")

    op.drop_table("exchange_payloads")
    op.drop_table("password_verifiers")
    op.drop_table("password_attempts")
    op.drop_table("exchange_sent")
    with op.batch_alter_table("exchange_received", schema=None) as batch_op:
        batch_op.drop_index("ix_exchange_received_channel")

    op.drop_table("exchange_received")
    op.drop_table("exchange_peers")
    op.drop_table("exchange_identity")
