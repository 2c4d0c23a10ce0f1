"""Roadmap actions (status, owner, due date) and project records for performance monitoring.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
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
        "roadmap_actions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("engagement_id", sa.Integer, sa.ForeignKey("engagements.id"), nullable=False),
        sa.Column("action_id", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("owner", sa.String(200)),
        sa.Column("due_date", sa.Date),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("engagement_id", "action_id"),
    )
    op.create_table(
        "project_records",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("engagement_id", sa.Integer, sa.ForeignKey("engagements.id"), nullable=False),
        sa.Column("project", sa.String(200), nullable=False),
        sa.Column("status", sa.String(40)),
        sa.Column("planned_start", sa.Date),
        sa.Column("planned_end", sa.Date),
        sa.Column("actual_start", sa.Date),
        sa.Column("actual_end", sa.Date),
        sa.Column("budget", sa.Float),
        sa.Column("actual_cost", sa.Float),
        sa.Column("planned_value", sa.Float),
        sa.Column("earned_value", sa.Float),
        sa.Column("as_of", sa.Date),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    )
    # Answers are looked up by question across a wave when scoring; index them.
    op.create_index("ix_answers_question", "answers", ["question_id"])


def downgrade() -> None:
    op.drop_index("ix_answers_question", "answers")
    op.drop_table("project_records")
    op.drop_table("roadmap_actions")
