"""The consultants' commentary on a wave's report, every revision kept.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "commentary_revisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("wave_id", sa.Integer, sa.ForeignKey("waves.id"), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("saved_by", sa.String(120), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        # two writers at once cannot both add the same revision: one of them is refused
        sa.UniqueConstraint("wave_id", "revision"),
    )
    op.create_table(
        "commentary_pieces",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "revision_id",
            sa.Integer,
            sa.ForeignKey("commentary_revisions.id"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("anchor", sa.String(40), nullable=False),
        sa.Column("markdown", sa.Text, nullable=False),
        sa.UniqueConstraint("revision_id", "position"),
    )


def downgrade() -> None:
    op.drop_table("commentary_pieces")
    op.drop_table("commentary_revisions")
