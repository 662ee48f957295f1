"""НЦТ: the packages it sent keep the SHA-256 of their file, so that crash recovery tells the file a row records
from another one of the same name (an enrolment's name made again for another workstation). Rows made before keep
none.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sent_packages") as batch:
        batch.add_column(sa.Column("file_sha256", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sent_packages") as batch:
        batch.drop_column("file_sha256")
