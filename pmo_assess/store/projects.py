"""Project lists in the store: each import writes dated snapshots for the client's latest
engagement, and reading them back gives every snapshot as one table.

Importing an as-of date again replaces that snapshot; a new date adds one, and the snapshots
together make the RAG trend. An import with bad rows writes nothing unless they are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import sqlalchemy as sa

from pmo_assess.core.errors import PmoAssessError, Problem, ValidationError
from pmo_assess.importers.project_fields import AMOUNT_FIELDS, DATE_FIELDS
from pmo_assess.importers.projects import CellProblem, read_projects, record_frame
from pmo_assess.store import schema as t
from pmo_assess.store.writes import now

if TYPE_CHECKING:
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
        dates = ", ".join(d.isoformat() for d in self.snapshots)
        lines = [f"Imported {self.written} project row(s) from {name} (as of {dates})."]
        if self.replaced:
            lines.append(f"They replace {self.replaced} row(s) stored earlier for those dates.")
        if self.problems:
            lines.append(f"{len(self.problems)} bad row problem(s) skipped: see below.")
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
) -> ProjectImport:
    """Read a project list (see :func:`read_projects`) into the client's latest engagement, in one
    transaction; the snapshots of the file's as-of dates replace any stored for the same dates.

    Raises
    ------
    ValidationError
        Any bad row (unless ``skip_bad``), with nothing written.
    """
    engagement = store.engagement(slug)
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
) -> ProjectImport:
    """Like :func:`import_projects`, but a user's error comes back as a blocked import with its
    problems (for a notebook, which should show them rather than a traceback)."""
    try:
        return import_projects(
            store, slug, path, as_of=as_of, skip_bad=skip_bad, day_first=day_first
        )
    except ValidationError as exc:
        return ProjectImport(str(path), 0, (), 0, exc.problems, blocked=True)
    except PmoAssessError as exc:
        return ProjectImport(str(path), 0, (), 0, (Problem("", str(exc)),), blocked=True)


def _stored_row(record: dict[str, Any], engagement_id: int, stamp: datetime) -> dict[str, Any]:
    """Plain Python values (a PostgreSQL driver does not take numpy's or pandas' types)."""
    row: dict[str, Any] = {"engagement_id": engagement_id, "imported_at": stamp}
    row.update({field: str(record[field]) for field in ("project", "status")})
    row.update({f: None if pd.isna(record[f]) else record[f].date() for f in DATE_FIELDS})
    row.update({f: None if pd.isna(record[f]) else float(record[f]) for f in AMOUNT_FIELDS})
    return row


def project_records(store: Store, slug: str) -> pd.DataFrame:
    """Every stored snapshot of the client's latest engagement, by as-of date and project, with
    :data:`~pmo_assess.importers.project_fields.RECORD_COLUMNS` and ``imported_at``; empty when none was
    imported."""
    engagement = store.find_engagement(slug)
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
