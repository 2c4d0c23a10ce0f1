"""Reading a client's project list (CSV or XLSX) into one row per project and as-of date.

Headers are matched to fields, every cell is parsed and cross-checked, and each bad cell becomes
a :class:`CellProblem` naming the row a spreadsheet shows (the header is row 1), the column, the
value and what was expected. All problems are collected in one pass; a list with bad rows is
refused whole unless the caller asks to keep the good rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from pmo_assess.core.errors import PmoAssessError, Problem, ValidationError
from pmo_assess.core.paths import SAMPLE_DIR
from pmo_assess.importers.base import cell_at, column_letter
from pmo_assess.importers.grid import read_grid
from pmo_assess.importers.project_fields import (
    AMOUNT_FIELDS,
    DATE_FIELDS,
    HEADERS,
    RAG,
    RECORD_COLUMNS,
    REQUIRED_COLUMNS,
    SLASHED_DATE,
    CellError,
    header_key,
    normalise_status,
    parse_amount,
    parse_date,
)

SAMPLE_PROJECTS = SAMPLE_DIR / "projects_sample.csv"

_REQUIRED_CELLS = {
    "project": "the project's name",
    "status": "the project's status",
    "planned_end": "the planned end date",
    "budget": "the project's budget",
}
_NAME_LIMIT = 200  # project_records.project is VARCHAR(200)


@dataclass(frozen=True)
class CellProblem(Problem):
    """A bad cell: its spreadsheet row (the header is row 1), column, value and what was expected."""

    row: int
    column: str
    value: str
    expected: str


def read_projects(
    path: str | Path,
    as_of: str | date | None = None,
    skip_bad: bool = False,
    day_first: bool = False,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Read a project list (CSV or XLSX) into one row per project and snapshot.

    Parameters
    ----------
    path
        The client's project list; the first row holds the headers (see :data:`HEADERS`).
    as_of
        The snapshot date of rows whose file has no as-of column, or leaves the cell empty.
    skip_bad
        Keep the good rows and return the bad rows' problems, instead of raising.
    day_first
        Read every slash date day first, even when no day above 12 shows it.

    Returns
    -------
    (DataFrame, list of Problem)
        The projects (:data:`RECORD_COLUMNS` and ``row``, dates as datetimes) and the problems
        of the rows left out (only with ``skip_bad``).

    Raises
    ------
    ValidationError
        Missing columns, or any bad row (each one a :class:`CellProblem`) without ``skip_bad``.

    Examples
    --------
    >>> frame, problems = read_projects(SAMPLE_PROJECTS)
    >>> len(frame), frame["as_of"].dt.date.nunique(), problems
    (24, 3, [])
    """
    name = str(path)
    if not Path(path).is_file():
        raise PmoAssessError(f"File not found: {path}")
    grid, _ = read_grid(Path(path))
    if not grid:
        raise PmoAssessError(f"{name} is empty; expected a header row and one row per project.")
    columns = _match_headers(grid[0], name)
    default = _as_of_parameter(as_of)
    if "as_of" not in columns and default is None:
        raise PmoAssessError(
            f"{name} has no as-of column ({_accepted('as_of')}); add one, or give the date "
            "of the snapshot (as_of='2025-06-30')."
        )
    rows = [(number, cells) for number, cells in enumerate(grid[1:], start=2) if any(cells)]
    if not rows:
        raise PmoAssessError(f"{name} has headers but no projects.")
    day_first = day_first or _writes_days_first(rows, columns)
    records, problems = _read_rows(rows, columns, name, default, day_first)
    if problems and (not skip_bad or not records):
        raise ValidationError(problems, what=name)
    frame = record_frame(records)
    frame.attrs["ignored_columns"] = [
        h for i, h in enumerate(grid[0]) if h and i not in {index for index, _ in columns.values()}
    ]
    return frame, problems


def _match_headers(header: list[str], name: str) -> dict[str, tuple[int, str]]:
    """Each field's 0-based column and its label for messages (``D 'Planned end'``)."""
    lookup = {alias: field for field, aliases in HEADERS.items() for alias in aliases}
    columns: dict[str, tuple[int, str]] = {}
    problems = []
    for index, text in enumerate(header):
        field = lookup.get(header_key(text))
        label = f"{column_letter(index + 1)} '{text}'"
        if field in columns:
            problems.append(
                Problem(
                    name,
                    f"columns {columns[field][1]} and {label} both give "
                    f"the {field.replace('_', ' ')}; keep one",
                )
            )
        elif field:
            columns[field] = (index, label)
    for field in REQUIRED_COLUMNS:
        if field not in columns:
            found = ", ".join(f"'{h}'" for h in header if h) or "none"
            problems.append(
                Problem(
                    name,
                    f"no column for the {field.replace('_', ' ')} "
                    f"({_accepted(field)}). Columns in the file: {found}",
                )
            )
    if problems:
        raise ValidationError(problems, what=name)
    return columns


def _accepted(field: str) -> str:
    return "headers accepted: " + ", ".join(f"'{h.capitalize()}'" for h in HEADERS[field])


def _as_of_parameter(value: str | date | None) -> date | None:
    if value is None or isinstance(value, date):
        return value.date() if isinstance(value, datetime) else value
    try:
        return parse_date(value)
    except CellError as exc:
        raise PmoAssessError(f"The as-of date must be {exc}; got {value!r}.") from None


def _writes_days_first(
    rows: list[tuple[int, list[str]]], columns: dict[str, tuple[int, str]]
) -> bool:
    """Whether the file's slash dates show days first (some day above 12) and none month first."""
    firsts, seconds = [], []
    for _, cells in rows:
        for field in DATE_FIELDS:
            if field in columns and (
                match := SLASHED_DATE.fullmatch(cell_at(cells, columns[field][0]))
            ):
                firsts.append(int(match.group(1)))
                seconds.append(int(match.group(2)))
    return any(13 <= d <= 31 for d in firsts) and not any(s > 12 for s in seconds)


def _read_rows(
    rows: list[tuple[int, list[str]]],
    columns: dict[str, tuple[int, str]],
    name: str,
    default: date | None,
    day_first: bool,
) -> tuple[list[dict[str, Any]], list[Problem]]:
    records: list[dict[str, Any]] = []
    problems: list[Problem] = []
    first_seen: dict[tuple[date, str], int] = {}
    for number, cells in rows:
        texts = {field: cell_at(cells, index) for field, (index, _) in columns.items()}
        record, bad = _read_row(texts, default, day_first)
        if record is not None:
            key = (record["as_of"], record["project"].casefold())
            if key in first_seen:
                bad = {
                    "project": f"each project once per as-of date; it is also at row "
                    f"{first_seen[key]} for {key[0].isoformat()}"
                }
            else:
                first_seen[key] = number
        problems += [
            _problem(name, number, columns[f][1], texts.get(f, ""), e) for f, e in bad.items()
        ]
        if not bad and record is not None:
            records.append({"row": number, **record})
    return records, problems


def _problem(name: str, row: int, column: str, value: str, expected: str) -> CellProblem:
    shown = f"'{value}'" if value else "empty"
    message = f"column {column} is {shown}; expected {expected}"
    return CellProblem(f"{name} row {row}", message, row, column, value, expected)


def _read_row(
    texts: dict[str, str], default: date | None, day_first: bool
) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """One row's values, or the expectation each bad field failed."""
    values: dict[str, Any] = {}
    bad: dict[str, str] = {}
    for field in HEADERS:
        text = texts.get(field, "")
        try:
            values[field] = _cell_value(field, text, day_first)
        except CellError as exc:
            bad[field] = str(exc)
    if values.get("as_of") is None and "as_of" not in bad:
        values["as_of"] = default
        if default is None:
            bad["as_of"] = "the date of the snapshot (or give as_of when importing)"
    if bad:
        return None, bad
    bad = _cross_checks(values)
    return (None if bad else values), bad


def _cell_value(field: str, text: str, day_first: bool) -> Any:
    if not text:
        if field in _REQUIRED_CELLS:
            raise CellError(_REQUIRED_CELLS[field] + ", which every project needs")
        return None
    if field == "project":
        if len(text) > _NAME_LIMIT:
            raise CellError(f"a name of at most {_NAME_LIMIT} characters")
        return text
    if field == "status":
        return normalise_status(text)
    if field in DATE_FIELDS:
        return parse_date(text, day_first)
    amount = parse_amount(text)
    if amount < 0 or (field == "budget" and amount == 0):
        raise CellError("an amount above 0" if field == "budget" else "an amount of 0 or more")
    return amount


def _cross_checks(v: dict[str, Any]) -> dict[str, str]:
    """Dates that contradict each other or the status; each reported on the later column."""
    bad: dict[str, str] = {}
    for start, end in (("planned_start", "planned_end"), ("actual_start", "actual_end")):
        if v[start] and v[end] and v[end] < v[start]:
            bad[end] = f"a date on or after the {start.replace('_', ' ')} ({v[start].isoformat()})"
    for field in ("actual_start", "actual_end"):
        if v[field] and v[field] > v["as_of"] and field not in bad:
            bad[field] = f"a date on or before the as-of date {v['as_of'].isoformat()}"
    if v["status"] == "completed" and v["actual_end"] is None:
        bad["actual_end"] = "the date the project finished, since its status is completed"
    return bad


def record_frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    """Records as a table of ``row`` and :data:`RECORD_COLUMNS`, with the RAG colour and state."""
    frame = pd.DataFrame(records, columns=["row", *HEADERS])
    frame["rag"] = frame["status"].where(frame["status"].isin(RAG))
    frame["state"] = frame["status"].where(~frame["status"].isin(RAG), "active")
    for field in DATE_FIELDS:
        frame[field] = pd.to_datetime(frame[field])
    for field in AMOUNT_FIELDS:
        frame[field] = frame[field].astype(float)
    return frame[["row", *RECORD_COLUMNS]]


def problems_frame(problems: tuple[Problem, ...] | list[Problem]) -> pd.DataFrame:
    """Problems as a table of row, column, value and what was expected; a problem of the whole
    file has no row, column or value (None)."""
    rows = [
        (p.row, p.column, p.value, p.expected)
        if isinstance(p, CellProblem)
        else (None, None, None, p.message)
        for p in problems
    ]
    return pd.DataFrame(rows, columns=["row", "column", "value", "expected"])


def sample_snapshot_dates(records: pd.DataFrame) -> tuple[date, ...]:
    """The as-of dates of ``records`` whose snapshot is the shipped sample's (same date, same
    projects): what an earlier notebook 07, which imported the sample when given no file, left.

    >>> frame, _ = read_projects(SAMPLE_PROJECTS)
    >>> [d.isoformat() for d in sample_snapshot_dates(frame)]
    ['2025-03-31', '2025-06-30', '2025-09-30']
    """
    if records.empty:
        return ()
    sample, _ = read_projects(SAMPLE_PROJECTS)
    shipped = sample.groupby(sample["as_of"].dt.date)["project"].agg(frozenset)
    found = records.groupby(records["as_of"].dt.date)["project"].agg(frozenset)
    return tuple(day for day, names in found.items() if shipped.get(day) == names)
