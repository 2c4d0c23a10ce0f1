"""Alembic migrations of the engagement store; ``pmo_assess.store.repository`` runs them when it opens a store."""
