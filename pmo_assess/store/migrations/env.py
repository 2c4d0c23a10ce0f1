"""Alembic environment: migrations always run on the connection the store hands over."""

from __future__ import annotations

from alembic import context

from pmo_assess.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only `alembic revision` from a developer's shell
    raise SystemExit(
        "Run migrations through pmo_assess.store.repository.Store.open(), which passes a connection."
    )

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table instead
)
with context.begin_transaction():
    context.run_migrations()
