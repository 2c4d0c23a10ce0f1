"""The engagement store's tables as they are now (the latest migration), for SQLAlchemy Core queries.

Migrations in ``pmo_assess/store/migrations/versions`` create and change these tables; each migration
spells out its own columns, so that this file can move on without rewriting history.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

clients = Table(
    "clients",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(80), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("industry", String(80)),
    Column("size_band", String(40)),
    Column("region", String(80)),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

engagements = Table(
    "engagements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("client_id", Integer, ForeignKey("clients.id"), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("questionnaire_id", String(120), nullable=False),
    Column("questionnaire_version", String(40), nullable=False),
    Column("functions_in_scope", Text, nullable=False, default="[]"),  # JSON list of slugs
    Column("pmo_type", String(20)),
    Column("objectives", Text, nullable=False, default="[]"),  # JSON list of strings
    Column("created_at", DateTime(timezone=True), nullable=False),
    # Added by migration 0003: JSON object, function slug -> "high", "medium" or "low".
    Column("function_priorities", Text),
    # Added by migration 0006: sha256 of the questionnaire's content (null: started before).
    Column("questionnaire_digest", String(64)),
)

engagement_dimensions = Table(
    "engagement_dimensions",
    metadata,
    Column("engagement_id", Integer, ForeignKey("engagements.id"), primary_key=True),
    Column("dimension_id", String(200), primary_key=True),
    Column("target", Float),
    Column("importance", Integer),
)

waves = Table(
    "waves",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("engagement_id", Integer, ForeignKey("engagements.id"), nullable=False),
    Column("label", String(80), nullable=False),
    Column("held_on", Date),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("engagement_id", "label"),
)

respondents = Table(
    "respondents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("wave_id", Integer, ForeignKey("waves.id"), nullable=False),
    Column("code", String(80), nullable=False),
    Column("role", String(80), nullable=False),
    Column("name", String(200)),
    Column("email", String(200)),
    Column("source", String(20), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # Added by migration 0007: when the interview was started (or reopened) in the notebook; null
    # once the consultant marks it complete, and for every survey or imported respondent.
    Column("in_progress_since", DateTime(timezone=True)),
    UniqueConstraint("wave_id", "code"),
)

_ANSWER_COLUMNS = (
    ("question_id", String(200), False),
    ("value", Float, True),
    ("status", String(12), False),
    ("option_label", String(200), True),
    ("note", Text, False),
    ("evidence", Text, False),  # JSON list of the evidence prompts seen
    ("confidence", String(20), False),
    ("recorded_at", DateTime(timezone=True), False),
    ("recorded_by", String(120), False),
)

answers = Table(
    "answers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("respondent_id", Integer, ForeignKey("respondents.id"), nullable=False),
    *(Column(name, kind, nullable=nullable) for name, kind, nullable in _ANSWER_COLUMNS),
    UniqueConstraint("respondent_id", "question_id"),
)
Index("ix_answers_question", answers.c.question_id)  # added by migration 0002

# An answer that was changed: the earlier value, who gave it and when, and who replaced it.
answer_history = Table(
    "answer_history",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("respondent_id", Integer, ForeignKey("respondents.id"), nullable=False),
    *(Column(name, kind, nullable=nullable) for name, kind, nullable in _ANSWER_COLUMNS),
    Column("replaced_at", DateTime(timezone=True), nullable=False),
    Column("replaced_by", String(120), nullable=False),
)

# Added by migration 0002 (the roadmap and performance-monitoring steps use them).
roadmap_actions = Table(
    "roadmap_actions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("engagement_id", Integer, ForeignKey("engagements.id"), nullable=False),
    Column("action_id", String(200), nullable=False),
    Column("status", String(20), nullable=False),
    Column("owner", String(200)),
    Column("due_date", Date),
    Column("note", Text, nullable=False, default=""),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("engagement_id", "action_id"),
)

project_records = Table(
    "project_records",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("engagement_id", Integer, ForeignKey("engagements.id"), nullable=False),
    Column("project", String(200), nullable=False),
    Column("status", String(40)),
    Column("planned_start", Date),
    Column("planned_end", Date),
    Column("actual_start", Date),
    Column("actual_end", Date),
    Column("budget", Float),
    Column("actual_cost", Float),
    Column("planned_value", Float),
    Column("earned_value", Float),
    Column("as_of", Date),
    Column("imported_at", DateTime(timezone=True), nullable=False),
)

# Added by migration 0004: the consultants' commentary on a wave's report. Every save adds a
# revision (who, when, from where) and never changes an earlier one, so no commentary is lost.
commentary_revisions = Table(
    "commentary_revisions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("wave_id", Integer, ForeignKey("waves.id"), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("saved_at", DateTime(timezone=True), nullable=False),
    Column("saved_by", String(120), nullable=False),
    Column("source", String(200), nullable=False),
    UniqueConstraint("wave_id", "revision"),
)

# One row per piece of a revision, in report order: the section it follows and its Markdown.
commentary_pieces = Table(
    "commentary_pieces",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("revision_id", Integer, ForeignKey("commentary_revisions.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("anchor", String(40), nullable=False),
    Column("markdown", Text, nullable=False),
    UniqueConstraint("revision_id", "position"),
)

# Added by migration 0005: notes on a respondent (no dimension) or on one of its dimensions, as
# a survey import maps free-text columns; notes on one answer stay with the answer.
respondent_notes = Table(
    "respondent_notes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("respondent_id", Integer, ForeignKey("respondents.id"), nullable=False),
    Column("dimension_id", String(200)),
    Column("note", Text, nullable=False),
    Column("source", String(200), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", String(120), nullable=False),
)
Index("ix_respondent_notes_respondent", respondent_notes.c.respondent_id)

# The names of the roles an engagement's imports added beyond the vocabulary (``role_names``).
role_names = Table(
    "role_names",
    metadata,
    Column("engagement_id", Integer, ForeignKey("engagements.id"), primary_key=True),
    Column("role", String(80), primary_key=True),
    Column("one", String(200), nullable=False),
    Column("many", String(200), nullable=False),
    Column("label", String(200), nullable=False),
)
