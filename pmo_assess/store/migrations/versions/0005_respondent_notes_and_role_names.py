"""Notes on a respondent or a dimension, and the names of roles an import adds to the vocabulary.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "respondent_notes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("respondent_id", sa.Integer, sa.ForeignKey("respondents.id"), nullable=False),
        # null: a note on the respondent as a whole, not on one dimension
        sa.Column("dimension_id", sa.String(200), nullable=True),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(120), nullable=False),
    )
    op.create_index("ix_respondent_notes_respondent", "respondent_notes", ["respondent_id"])
    op.create_table(
        "role_names",
        sa.Column("engagement_id", sa.Integer, sa.ForeignKey("engagements.id"), primary_key=True),
        sa.Column("role", sa.String(80), primary_key=True),
        sa.Column("one", sa.String(200), nullable=False),
        sa.Column("many", sa.String(200), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("role_names")
    op.drop_index("ix_respondent_notes_respondent", table_name="respondent_notes")
    op.drop_table("respondent_notes")
