"""Interviews in progress: a respondent interviewed in the notebook is left out of the analysis
until the consultant marks the interview complete.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # null means complete: every respondent stored before this revision, and every one a survey
    # import adds (imports never set it), so existing stores and imports read as they did
    with op.batch_alter_table("respondents") as batch:
        batch.add_column(sa.Column("in_progress_since", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("respondents") as batch:
        batch.drop_column("in_progress_since")
