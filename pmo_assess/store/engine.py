"""How the store talks to its database: engine settings per dialect, and schema migrations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa

#: The newest migration in ``pmo_assess/store/migrations/versions`` (a test keeps the two in step).
#: Knowing it here spares every command the cost of importing Alembic just to find out.
LATEST_REVISION = "0005"


def make_engine(url: str) -> sa.Engine:
    """An engine for the URL; SQLite gets WAL, foreign keys and write-locking transactions."""
    if not url.startswith("sqlite"):
        return sa.create_engine(url, pool_pre_ping=True)
    engine = sa.create_engine(url, connect_args={"timeout": 60})

    @sa.event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let the "begin" hook below open transactions
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer, nor it them
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        # IMMEDIATE takes the write lock up front: two writers queue (busy timeout) instead of one
        # failing with "database is locked" when it upgrades a read lock halfway through.
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def migrate(engine: sa.Engine) -> None:
    """Bring the database to the latest schema revision (a no-op when it is there already)."""
    if current_revision(engine) == LATEST_REVISION:
        return
    from alembic import command  # imported here: only a store that needs migrating pays for it
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "pmo_assess.store:migrations")
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # one migrator at a time on a shared server
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(72610015)")
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def current_revision(engine: sa.Engine) -> str | None:
    """The schema revision a database is at (None for an empty one)."""
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table("alembic_version"):
            return None
        return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def sqlite_file(url: str) -> Path | None:
    """The file an SQLite URL names; None for another database or an in-memory one.

    >>> sqlite_file("sqlite:////tmp/ws/pmo-assess.sqlite"), sqlite_file("sqlite://")
    (PosixPath('/tmp/ws/pmo-assess.sqlite'), None)
    """
    parsed = sa.make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url
