"""Where an engagement's data lives: the workspace folder, the store's URL, and safe paths inside it.

Client names never become paths: a client is filed under its slug, and every slug is checked to
be a plain lower-case name before it is joined to a folder.
"""

from __future__ import annotations

import os
import re
import shlex
import unicodedata
from pathlib import Path

from pmo_assess.core.errors import PmoAssessError

DEFAULT_WORKSPACE = Path("workspace")
DATABASE_FILE = "pmo-assess.sqlite"
_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")


def workspace_dir(workspace: str | Path | None = None) -> Path:
    """The workspace folder: the argument, else ``PMO_ASSESS_WORKSPACE``, else ``./workspace``."""
    chosen = workspace or os.environ.get("PMO_ASSESS_WORKSPACE") or DEFAULT_WORKSPACE
    return Path(chosen).expanduser()


class NoStore(PmoAssessError):
    """A command that only reads found no store where it looked (and created none)."""


def missing_store(
    folder: Path, store_file: Path, workspace: str | Path | None, url: str | None
) -> NoStore:
    """The error for a store file that does not exist: where it looked, why there, what to do.

    >>> error = missing_store(Path("/w"), Path("/w/pmo-assess.sqlite"), "/w", None)
    >>> str(error).split(". ")[0]
    'No workspace in /w (from --workspace): it holds no store (pmo-assess.sqlite)'
    """
    again = f" --workspace {shlex.quote(str(workspace))}" if workspace else ""
    if url or os.environ.get("PMO_ASSESS_DB"):
        origin, again = ("--db", f" --db {shlex.quote(url)}") if url else ("$PMO_ASSESS_DB", "")
        return NoStore(
            f"No store at {store_file.absolute()} (the SQLite file {origin} names). "
            f"{_create(again)}, "
            f"or give {origin} the URL of an existing store."
        )
    if workspace:
        origin = "from --workspace"
    elif os.environ.get("PMO_ASSESS_WORKSPACE"):
        origin = "from $PMO_ASSESS_WORKSPACE"
    else:
        origin = "the default, ./workspace"
    return NoStore(
        f"No workspace in {folder.resolve()} ({origin}): it holds no store ({DATABASE_FILE}). "
        f"{_create(again)}, or give --workspace DIR (or $PMO_ASSESS_WORKSPACE) of an existing "
        "workspace."
    )


def _create(options: str) -> str:
    return f"Create one with `pmo-assess init{options}` or `pmo-assess client add NAME{options}`"


def database_url(workspace: Path, url: str | None = None) -> str:
    """The store's SQLAlchemy URL: the argument, else ``PMO_ASSESS_DB``, else the workspace's SQLite file."""
    chosen = url or os.environ.get("PMO_ASSESS_DB")
    if chosen:
        return chosen
    return f"sqlite:///{(workspace / DATABASE_FILE).resolve()}"


_WAVE_FOLDER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def slugify(name: str) -> str:
    """A safe, readable slug from a client's name.

    >>> slugify("Café Müller & Söhne (fictional)")
    'cafe-muller-sohne-fictional'
    >>> slugify("../../etc/passwd")
    'etc-passwd'
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:64].strip("-")
    if not slug:
        raise PmoAssessError(f"Cannot make a slug from the name {name!r}; give one with --slug.")
    return slug


def check_slug(slug: str) -> str:
    """Return the slug if it is safe to use as a folder name, else raise a clear error."""
    if not _SLUG.match(slug):
        raise PmoAssessError(
            f"Invalid slug {slug!r}: use 1 to 64 lower-case letters, digits and '-', "
            "starting and ending with a letter or digit (e.g. 'acme-logistics')."
        )
    return slug


def wave_folder_name(label: str) -> str:
    """The folder of a wave's reports: the label when it is safe as a folder name, else its slug.

    Two waves of one engagement may not share it (ignoring case, as some disks do).

    >>> wave_folder_name("2026-Q3"), wave_folder_name("2026/Q3")
    ('2026-Q3', '2026-q3')
    """
    if _WAVE_FOLDER.fullmatch(label) and ".." not in label:
        return label
    try:
        return slugify(label)
    except PmoAssessError:
        raise PmoAssessError(
            f"Wave label {label!r} cannot name a report folder; use letters or digits, "
            "e.g. 2026-Q3."
        ) from None


def inside(folder: Path, *parts: str) -> Path:
    """``folder/part/...``, refusing any part that would lead outside ``folder``."""
    path = folder.joinpath(*parts).resolve()
    if not path.is_relative_to(folder.resolve()):
        raise PmoAssessError(f"Refusing a path outside {folder}: {'/'.join(parts)}")
    return path


DEMO_MARKER = ".pmo-assess-demo"


def prepare_demo_workspace(folder: Path) -> None:
    """Make ``folder`` ready for a fresh demo build.

    A folder that an earlier demo built (it carries a marker file) is emptied of its store, so
    the demo can be rebuilt; a folder holding any other store is refused, never touched.
    """
    if (folder / DEMO_MARKER).exists():
        for suffix in ("", "-wal", "-shm"):
            (folder / f"{DATABASE_FILE}{suffix}").unlink(missing_ok=True)
    elif (folder / DATABASE_FILE).exists():
        raise PmoAssessError(
            f"{folder} holds a store that the demo did not build; give the demo another --workspace."
        )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / DEMO_MARKER).write_text(
        "Built by `pmo-assess demo`: fictional data, rebuilt on every run.\n"
    )
