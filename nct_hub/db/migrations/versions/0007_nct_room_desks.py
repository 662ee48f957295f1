"""НЦТ: each room's desks as the site database gives them (п. 80.6), carried by the room opening so the
programmer's desk plan is the seat scheme's (прил. 12).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("site_rooms") as batch:
        batch.add_column(sa.Column("desks", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("site_rooms") as batch:
        batch.drop_column("desks")
