"""The packages a workstation sent: each row keeps the SHA-256 of its file, so that crash recovery tells the file
this row records from another one of the same name (``common.exchange.outbox.recover_sent_files``). Rows made
before keep none.

Revision ID: 0014_sent_file_digest
Revises: 0013_certificate_blanks
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_sent_file_digest"
down_revision: str | Sequence[str] | None = "0013_certificate_blanks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # plain ADD COLUMN: SQLite does it in place (and --sql renders it offline)
    op.add_column("exchange_sent", sa.Column("file_sha256", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("exchange_sent", schema=None) as batch_op:
        batch_op.drop_column("file_sha256")
