"""The published on-time and on-budget figures a client's rates are set beside, loaded from
``performance_reference.yaml`` and checked, and the table that compares them (an indication,
since the published definitions differ from the client's).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from pmo_assess.core.errors import Problem, ValidationError
from pmo_assess.core.yamlsource import load_yaml
from pmo_assess.insight.performance import PerformanceSummary

REFERENCE_PATH = Path(__file__).resolve().parent / "performance_reference.yaml"


@dataclass(frozen=True)
class ReferenceFigure:
    """A published figure and the summary measure it is set beside."""

    measure: str  # a rate of PerformanceSummary: on_time_rate or on_budget_rate
    label: str
    value: float  # a share from 0 to 1
    source: str
    year: int
    differs: str  # how its definition differs from the client's measure


@dataclass(frozen=True)
class PerformanceReference:
    """The published figures a client's rates are compared with, and why only indicatively."""

    title: str
    caveat: str
    figures: tuple[ReferenceFigure, ...]


_COMPARED = {"on_time_rate": "Finished on time", "on_budget_rate": "Finished within budget"}


def load_reference(path: str | Path = REFERENCE_PATH) -> PerformanceReference:
    """Load and check the reference figures (``performance_reference.yaml`` by default).

    >>> [f.value for f in load_reference().figures]
    [0.69, 0.57]
    """
    source = load_yaml(path)
    data = source.data if isinstance(source.data, dict) else {}
    problems = list(source.problems)
    for key in ("schema_version", "id", "version", "title", "caveat", "figures"):
        if key not in data:
            problems.append(Problem(source.where(()), f"missing '{key}'"))
    for index, item in enumerate(data.get("figures") or []):
        problems += _figure_problems(item, source.where(("figures", index)))
    if problems:
        raise ValidationError(problems, what=str(path))
    figures = tuple(
        ReferenceFigure(**{k: item[k] for k in ReferenceFigure.__dataclass_fields__})
        for item in data["figures"]
    )
    return PerformanceReference(str(data["title"]), str(data["caveat"]), figures)


def _figure_problems(item: Any, where: str) -> list[Problem]:
    fields = ReferenceFigure.__dataclass_fields__
    if not isinstance(item, dict) or set(fields) - set(item):
        return [Problem(where, f"a figure needs {', '.join(fields)}")]
    problems = []
    if item["measure"] not in _COMPARED:
        problems.append(Problem(where, f"measure must be one of {', '.join(_COMPARED)}"))
    if not isinstance(item["value"], int | float) or not 0 <= item["value"] <= 1:
        problems.append(Problem(where, f"value must be a share from 0 to 1; got {item['value']!r}"))
    if not isinstance(item["year"], int):
        problems.append(Problem(where, f"year must be a whole number; got {item['year']!r}"))
    return problems


def reference_comparison(
    summary: PerformanceSummary, reference: PerformanceReference | None = None
) -> pd.DataFrame:
    """The client's rates beside the published figures (in %), with source, year and how the
    definitions differ: an indication, not a like-for-like benchmark."""
    reference = reference or load_reference()
    rows = []
    for figure in reference.figures:
        client = getattr(summary, figure.measure)
        rows.append(
            {
                "measure": _COMPARED[figure.measure],
                "client_pct": None if client is None else round(client * 100, 1),
                "reference": figure.label,
                "reference_pct": round(figure.value * 100, 1),
                "source": f"{figure.source} ({figure.year})",
                "how_it_differs": figure.differs,
            }
        )
    return pd.DataFrame(rows)
