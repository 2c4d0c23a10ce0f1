"""How the store talks to its database: engine settings per dialect, and schema migrations."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import sqlalchemy as sa

from pmo_assess.core.errors import PmoAssessError, SaveFailed

#: The newest migration in ``pmo_assess/store/migrations/versions`` (a test keeps the two in step).
#: Knowing it here spares every command the cost of importing Alembic just to find out.
LATEST_REVISION = "0007"


#: Seconds a write waits for another writer's lock before it fails as :class:`SaveFailed`.
#: Writes are short (an import prepares its rows before it takes the lock), so this is ample.
BUSY_TIMEOUT = 15.0

#: The execution option that marks a connection as a writer (see :func:`write_transaction`).
WRITER = "pmo_assess_writer"


def make_engine(url: str, busy_timeout: float = BUSY_TIMEOUT) -> sa.Engine:
    """An engine for the URL; SQLite gets WAL, foreign keys, deferred reads and locking writes."""
    if not url.startswith("sqlite"):
        return sa.create_engine(url, pool_pre_ping=True)
    engine = sa.create_engine(url, connect_args={"timeout": busy_timeout})

    @sa.event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let the "begin" hook below open transactions
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer, nor it them
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        # A writer takes the lock up front: two writers queue (busy timeout) instead of one failing
        # with "database is locked" when it upgrades a read lock halfway through. A reader stays
        # deferred: in WAL it reads a snapshot and never waits for a writer.
        writer = conn.get_execution_options().get(WRITER, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")

    return engine


@contextmanager
def write_transaction(
    engine: sa.Engine, conn: sa.Connection | None = None
) -> Iterator[sa.Connection]:
    """One write transaction (on ``conn`` when given), all committed or none; a busy or failing
    database is :class:`SaveFailed`."""
    try:
        with _writer(engine, conn) as writing:
            yield writing
    except sa.exc.OperationalError as exc:
        raise SaveFailed(save_failed_message(engine, exc.orig)) from exc


@contextmanager
def _writer(engine: sa.Engine, conn: sa.Connection | None = None) -> Iterator[sa.Connection]:
    with nullcontext(conn) if conn is not None else engine.connect() as writing:
        writing.execution_options(**{WRITER: True})
        with writing.begin():
            yield writing


def save_failed_message(engine: sa.Engine, reason: object) -> str:
    """Why a write failed, for the user: a busy store says so, with what to do.

    >>> save_failed_message(sa.create_engine("sqlite://"), "database is locked")[:33]
    'Could not save: the store is busy'
    """
    text = str(reason)
    if "locked" in text or "busy" in text:
        return (
            f"Could not save: the store is busy (another process kept writing for over "
            f"{BUSY_TIMEOUT:g} s); nothing was written. Try again."
        )
    return f"Could not save to {safe_url(str(engine.url))}: {text}; nothing was written."


def migrate(engine: sa.Engine) -> None:
    """Bring the database to the latest schema revision (a no-op when it is there already).

    A store at a revision this version does not know was made by a newer pmo-assess: an error.
    """
    revision = current_revision(engine)
    if revision == LATEST_REVISION:
        return
    if revision is not None and not (revision.isdigit() and revision < LATEST_REVISION):
        raise PmoAssessError(
            f"{sqlite_file(str(engine.url)) or safe_url(str(engine.url))}: this store was made by "
            f"a newer pmo-assess (revision {revision}; this one knows up to {LATEST_REVISION}); "
            "upgrade pmo-assess (pip install --upgrade pmo-assess) to open it."
        )
    from alembic import command  # imported here: only a store that needs migrating pays for it
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "pmo_assess.store:migrations")
    with _writer(engine) as conn:
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
    if parsed.query.get("uri") == "true" and parsed.database.startswith("file:"):
        return Path(unquote(parsed.database[5:]))  # a read-only store's URI (store.readonly)
    return Path(parsed.database)


def safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url
