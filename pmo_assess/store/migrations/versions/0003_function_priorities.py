"""Priority of each PMO function in scope (high, medium or low), kept on the engagement.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: engagements scoped before priorities existed simply have none yet.
    with op.batch_alter_table("engagements") as batch:
        batch.add_column(sa.Column("function_priorities", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("engagements") as batch:
        batch.drop_column("function_priorities")
