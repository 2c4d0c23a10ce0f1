"""Stores this user may read but not write: a workspace folder or store file without write
permission is opened read-only, so reading it changes nothing and leaves no files behind."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

import sqlalchemy as sa

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.store.engine import LATEST_REVISION, current_revision, make_engine, migrate


def open_engine(url: str, store_file: Path | None) -> tuple[sa.Engine, str | None]:
    """An engine for the store at ``url``, migrated; with the reason, a read-only one when this
    user cannot write the SQLite ``store_file`` or its folder (not migrated: that would write)."""
    reason = read_only_reason(store_file) if store_file is not None else None
    if store_file is None or reason is None:
        engine = make_engine(url)
        migrate(engine)
        return engine, None
    if not store_file.is_file():
        raise PmoAssessError(
            f"Cannot create a store at {store_file}: {reason}. Give --workspace (or --db) a "
            "folder you can write to."
        )
    engine = make_engine(read_only_url(store_file))
    revision = current_revision(engine)
    if revision is None or (revision.isdigit() and revision < LATEST_REVISION):
        engine.dispose()
        raise needs_upgrade(store_file, revision, reason)
    migrate(engine)  # writes nothing: a no-op at the latest revision, an error past it
    return engine, reason


def writable(path: Path) -> bool:
    """Whether this process may write ``path`` (permission bits mean nothing to root)."""
    return os.access(path, os.W_OK)


def read_only_reason(store_file: Path) -> str | None:
    """Why an SQLite store cannot be written, for messages; None when it can.

    >>> read_only_reason(Path("/no/such/folder/pmo-assess.sqlite")) is None  # created later
    True
    """
    folder = store_file.parent
    if folder.is_dir() and not writable(folder):
        return f"the workspace folder {folder} is read-only"
    if store_file.is_file() and not writable(store_file):
        return f"the store file {store_file} is read-only"
    return None


def read_only_url(store_file: Path) -> str:
    """An SQLite URL that reads ``store_file`` and can write neither it nor beside it.

    A WAL database shares a ``-shm`` index beside it, which a read-only folder cannot hold; with
    no ``-wal`` file there nothing is waiting to be checkpointed, so the file alone is the whole
    database and SQLite may read it as immutable. With one, ``mode=ro`` reads it through the WAL.
    """
    query = {"mode": "ro", "uri": "true"}
    wal = store_file.with_name(store_file.name + "-wal")
    if not writable(store_file.parent) and not wal.exists():
        query["immutable"] = "1"
    database = "file:" + quote(str(store_file))  # a URI filename: '#', '?' and '%' escaped
    return sa.URL.create("sqlite", database=database, query=query).render_as_string(False)


def refuse_write(reason: str) -> PmoAssessError:
    """The error for a write into a store opened read-only."""
    return PmoAssessError(
        f"Cannot save this change: {reason}. Ask for write access to it, or copy the workspace "
        "to a folder you can write to and give that with --workspace."
    )


def needs_upgrade(store_file: Path, revision: str | None, reason: str) -> PmoAssessError:
    """The error for a read-only store at an older schema, which opening would have migrated."""
    return PmoAssessError(
        f"{store_file}: this store needs upgrading (schema {revision or 'none'} to {LATEST_REVISION}), "
        f"which needs write access, but {reason}. Open it once with write access (any "
        "pmo-assess command upgrades it), then read it here."
    )
