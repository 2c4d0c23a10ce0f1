"""First store schema: clients, engagements, waves, respondents, answers and their history.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _answer_columns() -> list[sa.Column]:
    return [
        sa.Column("question_id", sa.String(200), nullable=False),
        sa.Column("value", sa.Float),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("option_label", sa.String(200)),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("confidence", sa.String(20), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(120), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "clients",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("slug", sa.String(80), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("industry", sa.String(80)),
        sa.Column("size_band", sa.String(40)),
        sa.Column("region", sa.String(80)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "engagements",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("client_id", sa.Integer, sa.ForeignKey("clients.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("questionnaire_id", sa.String(120), nullable=False),
        sa.Column("questionnaire_version", sa.String(40), nullable=False),
        sa.Column("functions_in_scope", sa.Text, nullable=False),
        sa.Column("pmo_type", sa.String(20)),
        sa.Column("objectives", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "engagement_dimensions",
        sa.Column("engagement_id", sa.Integer, sa.ForeignKey("engagements.id"), primary_key=True),
        sa.Column("dimension_id", sa.String(200), primary_key=True),
        sa.Column("target", sa.Float),
        sa.Column("importance", sa.Integer),
    )
    op.create_table(
        "waves",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("engagement_id", sa.Integer, sa.ForeignKey("engagements.id"), nullable=False),
        sa.Column("label", sa.String(80), nullable=False),
        sa.Column("held_on", sa.Date),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("engagement_id", "label"),
    )
    op.create_table(
        "respondents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("wave_id", sa.Integer, sa.ForeignKey("waves.id"), nullable=False),
        sa.Column("code", sa.String(80), nullable=False),
        sa.Column("role", sa.String(80), nullable=False),
        sa.Column("name", sa.String(200)),
        sa.Column("email", sa.String(200)),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("wave_id", "code"),
    )
    op.create_table(
        "answers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("respondent_id", sa.Integer, sa.ForeignKey("respondents.id"), nullable=False),
        *_answer_columns(),
        sa.UniqueConstraint("respondent_id", "question_id"),
    )
    op.create_table(
        "answer_history",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("respondent_id", sa.Integer, sa.ForeignKey("respondents.id"), nullable=False),
        *_answer_columns(),
        sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replaced_by", sa.String(120), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "answer_history",
        "answers",
        "respondents",
        "waves",
        "engagement_dimensions",
        "engagements",
        "clients",
    ):
        op.drop_table(table)
