"""Project lists in the store: each import writes dated snapshots for one engagement of the
client (its latest unless told), and reading them back gives every snapshot as one table.

Importing an as-of date again replaces that snapshot; a new date adds one, and the snapshots
together make the RAG trend. An import with bad rows writes nothing unless they are skipped; a
snapshot can be deleted whole. The sample list shipped with the package is refused: it is for
trying the measures out, never a client's record.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import sqlalchemy as sa

from pmo_assess.core.errors import PmoAssessError, Problem, ValidationError
from pmo_assess.importers.project_fields import AMOUNT_FIELDS, DATE_FIELDS
from pmo_assess.importers.projects import (
    SAMPLE_PROJECTS,
    CellProblem,
    read_projects,
    record_frame,
)
from pmo_assess.store import schema as t
from pmo_assess.store.writes import now

if TYPE_CHECKING:
    from pmo_assess.store.records import Engagement
    from pmo_assess.store.repository import Store


@dataclass(frozen=True)
class ProjectImport:
    """What an import wrote: rows, the snapshots (as-of dates) they make, rows they replaced, and
    the problems of rows left out. ``blocked``: nothing was written because of the problems."""

    source: str
    written: int
    snapshots: tuple[date, ...]
    replaced: int
    problems: tuple[Problem, ...] = ()
    ignored_columns: tuple[str, ...] = ()
    blocked: bool = False

    def describe(self) -> str:
        """A short account of the import for people."""
        name = Path(self.source).name
        if self.blocked:
            rows = all(isinstance(p, CellProblem) for p in self.problems)
            fix = "or skip the bad rows on purpose" if rows else "then import again"
            return f"Nothing imported from {name}: fix the problem(s) below, {fix}."
        dates = ", ".join(f"{d.day} {d:%b %Y}" for d in self.snapshots)
        lines = [f"Imported {self.written} project row(s) from {name} (as of {dates})."]
        if self.replaced:
            lines.append(f"They replace {self.replaced} row(s) stored earlier for those dates.")
        if self.problems:
            lines.append(
                f"{len(self.problems)} bad row problem(s) skipped: those rows were not stored "
                "(see below)."
            )
        if self.ignored_columns:
            lines.append("Columns not used: " + ", ".join(self.ignored_columns) + ".")
        return "\n".join(lines)


def import_projects(
    store: Store,
    slug: str,
    path: str | Path,
    *,
    as_of: str | date | None = None,
    skip_bad: bool = False,
    day_first: bool = False,
    engagement: Engagement | None = None,
) -> ProjectImport:
    """Read a project list (see :func:`read_projects`) into the client's engagement (its latest
    unless given), in one transaction; the snapshots of the file's as-of dates replace any stored
    for the same dates.

    Raises
    ------
    ValidationError
        Any bad row (unless ``skip_bad``), with nothing written.
    PmoAssessError
        The file is the shipped sample, which never becomes a client's record.
    """
    engagement = engagement or store.engagement(slug)
    _refuse_sample(path)
    frame, problems = read_projects(path, as_of, skip_bad=skip_bad, day_first=day_first)
    snapshots = tuple(sorted(set(frame["as_of"].dt.date)))
    table, stamp = t.project_records, now()
    rows = [_stored_row(record, engagement.id, stamp) for record in frame.to_dict("records")]
    mine = (table.c.engagement_id == engagement.id) & table.c.as_of.in_(snapshots)
    with store.transaction() as conn:
        replaced = conn.execute(table.delete().where(mine)).rowcount
        conn.execute(table.insert(), rows)
    ignored = tuple(frame.attrs.get("ignored_columns", ()))
    return ProjectImport(str(path), len(rows), snapshots, replaced, tuple(problems), ignored)


def try_import_projects(
    store: Store,
    slug: str,
    path: str | Path,
    *,
    as_of: str | date | None = None,
    skip_bad: bool = False,
    day_first: bool = False,
    engagement: Engagement | None = None,
) -> ProjectImport:
    """Like :func:`import_projects`, but a user's error comes back as a blocked import with its
    problems (for a notebook, which should show them rather than a traceback)."""
    try:
        return import_projects(
            store,
            slug,
            path,
            as_of=as_of,
            skip_bad=skip_bad,
            day_first=day_first,
            engagement=engagement,
        )
    except ValidationError as exc:
        return ProjectImport(str(path), 0, (), 0, exc.problems, blocked=True)
    except PmoAssessError as exc:
        return ProjectImport(str(path), 0, (), 0, (Problem("", str(exc)),), blocked=True)


def _refuse_sample(path: str | Path) -> None:
    """The shipped sample, by place or by content (a copy), is never a client's record."""
    given, sample = Path(path), SAMPLE_PROJECTS
    if not given.is_file():
        return  # read_projects says the file is missing
    same_place = given.resolve() == sample.resolve()
    if same_place or (
        given.stat().st_size == sample.stat().st_size and given.read_bytes() == sample.read_bytes()
    ):
        raise PmoAssessError(
            f"{given} is the sample project list shipped with pmo-assess, not a client's: it is "
            "never stored as a client's record. Give the client's own export instead; to try "
            "the measures on the sample, set try_sample = True in 07_performance_monitoring "
            "(nothing is stored)."
        )


def _stored_row(record: dict[str, Any], engagement_id: int, stamp: datetime) -> dict[str, Any]:
    """Plain Python values (a PostgreSQL driver does not take numpy's or pandas' types)."""
    row: dict[str, Any] = {"engagement_id": engagement_id, "imported_at": stamp}
    row.update({field: str(record[field]) for field in ("project", "status")})
    row.update({f: None if pd.isna(record[f]) else record[f].date() for f in DATE_FIELDS})
    row.update({f: None if pd.isna(record[f]) else float(record[f]) for f in AMOUNT_FIELDS})
    return row


def project_records(
    store: Store, slug: str, *, engagement: Engagement | None = None
) -> pd.DataFrame:
    """Every stored snapshot of the client's engagement (its latest unless given), by as-of date
    and project, with :data:`~pmo_assess.importers.project_fields.RECORD_COLUMNS` and
    ``imported_at``; empty when none was imported."""
    engagement = engagement or store.find_engagement(slug)
    table = t.project_records
    records: list[dict[str, Any]] = []
    if engagement is not None:
        query = (
            sa.select(table)
            .where(table.c.engagement_id == engagement.id)
            .order_by(table.c.as_of, table.c.project)
        )
        with store.engine.connect() as conn:
            records = [dict(r) for r in conn.execute(query).mappings()]
    frame = record_frame(records)
    frame["imported_at"] = pd.Series([r["imported_at"] for r in records], dtype=object)
    return frame.drop(columns="row")


@dataclass(frozen=True)
class ProjectSnapshots:
    """How many project rows an engagement holds, in how many snapshots, and the latest as-of date."""

    records: int
    snapshots: int
    latest: date | None


def project_snapshots(store: Store, engagement_id: int) -> ProjectSnapshots:
    """A count of the engagement's stored project rows and snapshots, without reading them."""
    table = t.project_records
    with store.engine.connect() as conn:
        row = conn.execute(
            sa.select(
                sa.func.count(),
                sa.func.count(sa.distinct(table.c.as_of)),
                sa.func.max(table.c.as_of),
            ).where(table.c.engagement_id == engagement_id)
        ).one()
    return ProjectSnapshots(row[0], row[1], row[2])


def delete_snapshots(
    store: Store,
    slug: str,
    as_of: Collection[date],
    *,
    engagement: Engagement | None = None,
) -> int:
    """Delete the client's project snapshots of these as-of dates, in one transaction; returns the
    project rows removed.

    Raises
    ------
    PmoAssessError
        A date with no snapshot (naming the snapshots there are), with nothing deleted.
    """
    engagement = engagement or store.engagement(slug)
    table = t.project_records
    mine = table.c.engagement_id == engagement.id
    with store.transaction() as conn:
        stored = set(conn.execute(sa.select(table.c.as_of).where(mine).distinct()).scalars())
        missing = sorted(set(as_of) - stored)
        if missing:
            there = ", ".join(d.isoformat() for d in sorted(stored)) or "none yet"
            raise PmoAssessError(
                f"Client '{slug}' has no project snapshot as of "
                f"{', '.join(d.isoformat() for d in missing)}; nothing was deleted. "
                f"Its snapshots: {there}."
            )
        deleted: int = conn.execute(table.delete().where(mine & table.c.as_of.in_(as_of))).rowcount
    return deleted
