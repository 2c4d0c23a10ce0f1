"""Benchmark datasets: read, check and write the CSV file of peer organisations' maturity scores.

A benchmark dataset holds one row per assessed organisation. It is a CSV file that starts with
``# key: value`` header lines (each value read as a YAML scalar, so quote text YAML could misread,
such as ``version: "2026.1"``), followed by an ordinary CSV table::

    # schema_version: 1
    # id: pmo-maturity-synthetic
    # version: "2026.1"
    # title: Synthetic PMO maturity benchmark
    # synthetic: true
    # questionnaire: pmo-maturity
    # sources: PM Solutions, ... (293 organisations; ...); Gartner Peer Community poll ...
    # generator: scripts/make_synthetic_benchmark.py --seed 20261128
    org_id,industry,size_band,region,year,questionnaire_id,questionnaire_version,overall,strategy,...

Header keys: ``schema_version`` (1), ``id``, ``version`` (text), ``title``, ``synthetic`` (true
for made-up data: every report that uses it must say so), ``questionnaire`` (the id of the
questionnaire the scores come from) and ``sources`` (several separated by ``;`` outside
parentheses); any further key (``generator``) is kept as written.

Columns: ``org_id`` (unique, never a client's name), ``industry``, ``size_band``, ``region``
(may be blank), ``year`` (an integer), ``questionnaire_id`` and ``questionnaire_version`` (what
the organisation was assessed with), ``overall``, and one column per top-level dimension of the
questionnaire. Scores lie on the questionnaire's scale (1 to 5 unless a questionnaire says
otherwise) and are written with two decimals; a blank dimension cell means "not assessed".
Rows are numbered as a spreadsheet shows them, counting the header lines.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from pmo_assess.core.atomic import atomic_path
from pmo_assess.core.errors import PmoAssessError, Problem, ValidationError
from pmo_assess.core.formulas import spreadsheet_safe
from pmo_assess.core.text import read_text
from pmo_assess.model.questionnaire import Dimension, Questionnaire

SCHEMA_VERSION = 1
HEADER_KEYS = ("schema_version", "id", "version", "title", "synthetic", "questionnaire", "sources")
_ORGANISATION = ("org_id", "industry", "size_band", "region")
_QUESTIONNAIRE = ("questionnaire_id", "questionnaire_version")
TEXT_COLUMNS = (*_ORGANISATION, *_QUESTIONNAIRE)
BASE_COLUMNS = (*_ORGANISATION, "year", *_QUESTIONNAIRE, "overall")
_REQUIRED_CELLS = ("org_id", "year", "questionnaire_id", "questionnaire_version", "overall")


@dataclass(frozen=True, eq=False)
class Benchmark:
    """A loaded benchmark dataset: the header as ``meta`` and one row per organisation."""

    meta: dict[str, Any]
    rows: pd.DataFrame

    @property
    def synthetic(self) -> bool:
        """True when the organisations are made up; reports must say so."""
        return bool(self.meta["synthetic"])

    @property
    def sources(self) -> tuple[str, ...]:
        """Where the figures come from, one entry per source."""
        return tuple(self.meta["sources"])

    @property
    def dimension_ids(self) -> tuple[str, ...]:
        """The dimension columns, in file order."""
        return tuple(c for c in self.rows.columns if c not in BASE_COLUMNS)


def load_benchmark(path: str | Path, questionnaire: Questionnaire | None = None) -> Benchmark:
    """Read and check a benchmark file; every problem is reported at once.

    With a ``questionnaire``, its top-level dimensions must be the dimension columns and its
    answer scale bounds the scores; without one, every extra column is a dimension on 1 to 5.

    >>> from pmo_assess.core.paths import questionnaires_dir
    >>> benchmark = load_benchmark(questionnaires_dir() / "pmo_maturity.benchmark.csv")
    >>> benchmark.synthetic, len(benchmark.rows) >= 300, benchmark.dimension_ids[:2]
    (True, True, ('strategy', 'governance'))
    """
    return parse_benchmark(read_text(path), str(path), questionnaire)


def parse_benchmark(text: str, name: str, questionnaire: Questionnaire | None = None) -> Benchmark:
    """Check benchmark text (``name`` is used in messages) and return the :class:`Benchmark`."""
    lines = text.splitlines()
    split = next((i for i, line in enumerate(lines) if not _is_meta(line)), len(lines))
    delimiter = _delimiter(lines[split:])
    meta, problems = _read_meta(lines[:split], name, delimiter)
    records = _records("\n".join(lines[split:]), split, delimiter)
    if not records:
        raise ValidationError([*problems, Problem(name, "no table follows the header")], what=name)
    header_row, header = records[0]
    header = [h.strip() for h in header]
    while header and not header[-1]:
        header.pop()  # Excel can leave blank header cells at the end
    column_problems = _column_problems(header, header_row, name, questionnaire)
    if column_problems:
        raise ValidationError([*problems, *column_problems], what=name)
    frame, row_numbers, found = _table(records[1:], header)
    problems += _cell_problems(frame, row_numbers, name, score_scale(questionnaire), found)
    if problems:
        raise ValidationError(problems, what=name)
    return Benchmark(meta, _typed(frame))


def score_scale(questionnaire: Questionnaire | None) -> tuple[float, float]:
    """The lowest and highest score a top-level dimension can reach (1 and 5 without a questionnaire):
    the answer scale, widened by any ``sum`` dimension (OWASP SAMM's streams sum three 0-to-1
    answers into 0 to 3).
    """
    if questionnaire is None:
        return 1.0, 5.0
    ranges = [_range(questionnaire, d) for d in questionnaire.dimensions]
    return min(low for low, _ in ranges), max(high for _, high in ranges)


def _range(questionnaire: Questionnaire, node: Dimension) -> tuple[float, float]:
    parts = [
        (q.weight, *(f(questionnaire.answer_sets[q.answer_set].values) for f in (min, max)))
        for q in node.questions
    ] + [(d.weight, *_range(questionnaire, d)) for d in node.dimensions]
    if node.aggregation == "mean":
        return min(p[1] for p in parts), max(p[2] for p in parts)
    lows, highs = [w * low for w, low, _ in parts], [w * high for w, _, high in parts]
    negative, positive = sum(v for v in lows if v < 0), sum(v for v in highs if v > 0)
    return negative or min(lows), positive or max(highs)


def write_benchmark(frame: pd.DataFrame, meta: Mapping[str, Any], path: str | Path) -> Path:
    """Write a benchmark file atomically, after checking it reads back without a problem.

    ``meta`` needs every header key; ``sources`` may be a string or a list. Columns are written
    in the standard order, then the dimensions in ``frame``'s order.
    """
    text = benchmark_text(frame, meta)
    parse_benchmark(text, str(path))
    with atomic_path(path) as temporary:
        temporary.write_text(text, encoding="utf-8", newline="")
    return Path(path)


def benchmark_text(frame: pd.DataFrame, meta: Mapping[str, Any]) -> str:
    """The file's text: header lines, then the table with scores to two decimals; text a
    spreadsheet would run as a formula gets a leading apostrophe (:mod:`pmo_assess.core.formulas`)."""
    missing = [k for k in HEADER_KEYS if k not in meta]
    if missing:
        raise PmoAssessError(f"Benchmark header lacks {', '.join(missing)}.")
    keys = [*HEADER_KEYS, *(k for k in meta if k not in HEADER_KEYS)]
    lines = [f"# {key}: {_header_value(meta[key])}\n" for key in keys]
    columns = [*BASE_COLUMNS, *(c for c in frame.columns if c not in BASE_COLUMNS)]
    table = frame.reindex(columns=columns)
    table[list(TEXT_COLUMNS)] = table[list(TEXT_COLUMNS)].map(spreadsheet_safe)
    csv_text = table.to_csv(index=False, float_format="%.2f", lineterminator="\n")
    return "".join(lines) + csv_text


def _header_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Sequence) and not isinstance(value, str):
        value = "; ".join(value)
    text = str(value)
    if "\n" in text:
        raise PmoAssessError(f"Benchmark header values must fit on one line; got {text!r}.")
    plain = not isinstance(value, str) or _yaml_scalar(text) == text
    return text if plain else json.dumps(text, ensure_ascii=False)


def _yaml_scalar(text: str) -> Any:
    """The value YAML reads from ``text``; text YAML cannot read stays as written."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text


def _is_meta(line: str) -> bool:
    return not line.strip() or line.lstrip('"').startswith("#")


def _delimiter(lines: list[str]) -> str:
    """Comma, or the semicolon or tab Excel writes in some locales: whichever finds most columns."""
    first = next((line for line in lines if line.strip()), "")
    return max(",;\t", key=lambda sep: sum(c.strip('" ') in BASE_COLUMNS for c in first.split(sep)))


def _records(text: str, offset: int, delimiter: str) -> list[tuple[int, list[str]]]:
    """Non-blank CSV records with the spreadsheet row each ends on (``offset`` header lines above)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)  # CR-only files too
    return [(offset + reader.line_num, cells) for cells in reader if any(c.strip() for c in cells)]


def _read_meta(lines: list[str], name: str, delimiter: str) -> tuple[dict[str, Any], list[Problem]]:
    meta: dict[str, Any] = {}
    problems: list[Problem] = []
    for row, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if line.startswith('"'):  # a spreadsheet quotes a line holding the delimiter
            line = next(csv.reader([line], delimiter=delimiter))[0]
        where = f"{name} row {row}"
        key, colon, raw = line.rstrip().rstrip(delimiter).lstrip("#").partition(":")
        key, raw = key.strip(), raw.strip()
        if not colon or not key:
            problems.append(Problem(where, "a header line must read '# key: value'"))
        elif key in meta:
            problems.append(Problem(where, f"header key '{key}' is given twice"))
        else:
            meta[key] = _yaml_scalar(raw)
            problems += _meta_value_problem(key, meta[key], raw, where)
    missing = [k for k in HEADER_KEYS if k not in meta]
    if missing:
        expected = ", ".join(f"# {k}: ..." for k in HEADER_KEYS)
        problems.append(
            Problem(
                f"{name} row 1",
                f"header lacks {', '.join(missing)}; a benchmark starts with {expected}",
            )
        )
    if isinstance(meta.get("sources"), str):
        meta["sources"] = tuple(_split_sources(meta["sources"]))
    return meta, problems


def _meta_value_problem(key: str, value: Any, raw: str, where: str) -> list[Problem]:
    if key not in HEADER_KEYS:
        return []
    if not raw:
        message = f"{key} is blank"
    elif key == "schema_version" and value != SCHEMA_VERSION:
        message = f"schema_version must be {SCHEMA_VERSION}; got {raw!r}"
    elif key == "synthetic" and not isinstance(value, bool):
        message = f"synthetic must be true or false; got {raw!r}"
    elif key not in ("schema_version", "synthetic") and not isinstance(value, str):
        message = f"{key} must be text; YAML read {raw!r} as {type(value).__name__}: quote it"
    else:
        return []
    return [Problem(where, message)]


def _split_sources(text: str) -> list[str]:
    """Split at semicolons outside parentheses."""
    return [part.strip() for part in re.split(r";(?![^()]*\))", text) if part.strip()]


def _column_problems(
    header: list[str], row: int, name: str, questionnaire: Questionnaire | None
) -> list[Problem]:
    where, problems = f"{name} row {row}", []
    for i, column in enumerate(header, start=1):
        if not column:
            problems.append(Problem(where, f"column {i} has no name"))
        elif header.index(column) != i - 1:
            problems.append(Problem(where, f"column '{column}' appears more than once"))
    wanted = list(BASE_COLUMNS)
    if questionnaire is not None:
        dimensions = [d.id for d in questionnaire.dimensions]
        wanted += dimensions
        problems += [
            Problem(
                where,
                f"column '{c}' is not a dimension of questionnaire '{questionnaire.id}'; "
                f"its dimensions: {', '.join(dimensions)}",
            )
            for c in dict.fromkeys(header)
            if c and c not in wanted
        ]
    missing = [c for c in wanted if c not in header]
    if missing:
        found = ", ".join(header) or "none"
        problems.append(Problem(where, f"missing column(s) {', '.join(missing)}; found: {found}"))
    return problems


def _table(
    records: list[tuple[int, list[str]]], header: list[str]
) -> tuple[pd.DataFrame, np.ndarray, list[tuple[int, int, str]]]:
    width, cells, found = len(header), [], []
    for row, values in records:
        values = [v.strip() for v in values]
        if len(values) != width and (len(values) < width or any(values[width:])):
            found.append((row, -1, f"{len(values)} cells; the header has {width}"))
        cells.append((values + [""] * width)[:width])
    frame = pd.DataFrame(cells, columns=header, dtype=object)
    scores = ["overall", *(c for c in header if c not in BASE_COLUMNS)]
    # European spreadsheets write decimal commas: 2,5 is 2.5
    frame[scores] = frame[scores].replace(r"^(\d+),(\d+)$", r"\1.\2", regex=True)
    return frame, np.array([row for row, _ in records], dtype=int), found


def _cell_problems(
    frame: pd.DataFrame,
    rows: np.ndarray,
    name: str,
    scale: tuple[float, float],
    found: list[tuple[int, int, str]],  # (row, column position, message), added to
) -> list[Problem]:
    blank = frame == ""

    def add(mask: pd.Series, column: str, describe: Callable[[str], str]) -> None:
        for index in np.flatnonzero(mask.to_numpy(dtype=bool)):
            text = f"{column}: {describe(frame[column].iat[index])}"
            found.append((int(rows[index]), frame.columns.get_loc(column), text))

    for column in _REQUIRED_CELLS:
        add(blank[column], column, lambda _: "blank; every organisation needs one")
    whole = frame["year"].str.fullmatch(r"[+-]?\d+").astype(bool)
    add(~blank["year"] & ~whole, "year", lambda v: f"{v!r} is not a whole number, such as 2025")
    first = dict(zip(frame["org_id"][::-1], rows[::-1], strict=True))
    add(
        frame["org_id"].duplicated() & ~blank["org_id"],
        "org_id",
        lambda v: f"{v!r} is used twice (first at row {first[v]})",
    )
    low, high = scale
    for column in ("overall", *(c for c in frame.columns if c not in BASE_COLUMNS)):
        numbers = pd.to_numeric(frame[column].where(~blank[column]), errors="coerce")
        inside = numbers.between(low - 1e-9, high + 1e-9)
        add(~blank[column] & ~inside, column, lambda v: _not_a_score(v, low, high))
    return [Problem(f"{name} row {row}", text) for row, _, text in sorted(found)]


def _not_a_score(value: str, low: float, high: float) -> str:
    expected = f"expected a score from {low:g} to {high:g}, or blank for not assessed"
    try:
        float(value)
    except ValueError:
        return f"{value!r} is not a number; {expected}"
    return f"{value} is outside the scale; {expected}"


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    typed = frame.astype({c: str for c in TEXT_COLUMNS})
    typed["year"] = frame["year"].astype("int64")
    for column in ("overall", *(c for c in frame.columns if c not in BASE_COLUMNS)):
        typed[column] = pd.to_numeric(frame[column].where(frame[column] != ""), errors="coerce")
    return typed.reset_index(drop=True)
