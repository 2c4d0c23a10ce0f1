"""The digest of the questionnaire an engagement is assessed with.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-15
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # null for engagements started before: their questionnaire is found by id, as it was then
    with op.batch_alter_table("engagements") as batch:
        batch.add_column(sa.Column("questionnaire_digest", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("engagements") as batch:
        batch.drop_column("questionnaire_digest")
