"""Alembic migrations of the engagement store; ``pmo_assess.store`` runs them when it opens a store."""
