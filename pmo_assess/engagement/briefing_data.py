"""The briefing's data: the five benefits of a PMO, the published figures and the asks, as read
from ``briefing_benefits.yaml``.

This module turns that file into frozen dataclasses and checks it on load, collecting every
problem with its ``file:line`` before reporting them together; it also lists the figures as a
table for the consultant to review. What the briefing then says about one client, and how the
page looks, is :mod:`pmo_assess.engagement.briefing`'s job.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from pmo_assess.core.errors import Problem, ValidationError
from pmo_assess.core.yamlsource import YamlSource, load_yaml
from pmo_assess.engagement.house_table import HouseTable, house_table
from pmo_assess.model.questionnaire import PMO_FUNCTIONS, Questionnaire

DATA_PATH = Path(__file__).resolve().parent / "briefing_benefits.yaml"
PMO_TYPES = ("supportive", "controlling", "directive", "unspecified")


@dataclass(frozen=True)
class Benefit:
    """One benefit of a PMO and the dimensions and PMO functions it depends on."""

    id: str
    name: str
    explanation: str
    dimensions: tuple[str, ...]
    pmo_functions: tuple[str, ...]


@dataclass(frozen=True)
class ReferenceFigure:
    """A published figure; ``bands`` (label, score) let the briefing place a client's score."""

    id: str
    statement: str
    source: str
    year: int
    briefing: bool
    bands: tuple[tuple[str, float], ...] = ()

    @property
    def cited(self) -> str:
        """The source as cited under the figure: 'PMI, Pulse of the Profession (2020)'."""
        return f"{self.source} ({self.year})"


@dataclass(frozen=True)
class BriefingData:
    """The contents of ``briefing_benefits.yaml``."""

    benefits: tuple[Benefit, ...]
    references: tuple[ReferenceFigure, ...]
    sponsor: str
    sponsor_dimension: str
    decision_rights: dict[str, str]


def load_briefing_data(
    path: str | Path = DATA_PATH, questionnaire: Questionnaire | None = None
) -> BriefingData:
    """Load and validate the benefits, reference figures and asks; every problem is reported
    with ``file:line``. With ``questionnaire``, dimension ids are checked against it.

    >>> data = load_briefing_data()
    >>> len(data.benefits), 2 <= sum(r.briefing for r in data.references) <= 4
    (5, True)
    """
    source = load_yaml(path)
    problems = list(source.problems) + _problems(source, questionnaire)
    if problems:
        raise ValidationError(problems, what=str(path))
    data = source.data
    benefits = tuple(
        Benefit(
            b["id"], b["name"], b["explanation"], tuple(b["dimensions"]), tuple(b["pmo_functions"])
        )
        for b in data["benefits"]
    )
    references = tuple(
        ReferenceFigure(
            r["id"],
            r["statement"],
            r["source"],
            int(r["year"]),
            bool(r["briefing"]),
            tuple((str(b["label"]), float(b["score"])) for b in r.get("bands", [])),
        )
        for r in data["references"]
    )
    asks = data["asks"]
    return BriefingData(
        benefits, references, asks["sponsor"], asks["sponsor_dimension"], asks["decision_rights"]
    )


def _problems(source: YamlSource, questionnaire: Questionnaire | None) -> list[Problem]:
    data, problems = source.data, []

    def need(path: tuple[Any, ...], ok: bool, expected: str) -> None:
        if not ok:
            problems.append(Problem(source.where(path), f"'{'.'.join(map(str, path))}' {expected}"))

    def text(value: Any) -> bool:
        return isinstance(value, str) and bool(value.strip())

    if not isinstance(data, dict):
        return [Problem(source.where(()), "expected a mapping with benefits, references, asks")]
    for key in ("benefits", "references"):
        need((key,), isinstance(data.get(key), list), "must be a list")
    need(("asks",), isinstance(data.get("asks"), dict), "must be a mapping")
    if problems:
        return problems
    known = {d.id for d in questionnaire.dimensions} if questionnaire else None
    for i, b in enumerate(data["benefits"]):
        for key in ("id", "name", "explanation"):
            need(("benefits", i, key), text(b.get(key)), "must be non-empty text")
        dims, funcs = b.get("dimensions"), b.get("pmo_functions")
        need(
            ("benefits", i, "dimensions"),
            isinstance(dims, list) and bool(dims) and (known is None or set(dims) <= known),
            f"must list dimension ids of the questionnaire: {', '.join(sorted(known or []))}",
        )
        need(
            ("benefits", i, "pmo_functions"),
            isinstance(funcs, list) and bool(funcs) and set(funcs) <= set(PMO_FUNCTIONS),
            f"must list PMO functions: {', '.join(PMO_FUNCTIONS)}",
        )
    need(("benefits",), len(data["benefits"]) == 5, "must hold the five benefits of a PMO")
    for i, r in enumerate(data["references"]):
        for key in ("id", "statement", "source"):
            need(("references", i, key), text(r.get(key)), "must be non-empty text")
        year = r.get("year")
        need(
            ("references", i, "year"),
            isinstance(year, int) and 1990 <= year <= 2100,
            "must be the year of publication, e.g. 2020",
        )
        need(
            ("references", i, "briefing"),
            isinstance(r.get("briefing"), bool),
            "must be true or false",
        )
        bands = r.get("bands", [])
        need(
            ("references", i, "bands"),
            isinstance(bands, list)
            and all(
                isinstance(b, dict)
                and text(b.get("label"))
                and isinstance(b.get("score"), int | float)
                for b in bands
            ),
            "must list {label, score} pairs",
        )
    shown = sum(r.get("briefing") is True for r in data["references"])
    need(
        ("references",), 2 <= shown <= 4, f"must mark 2 to 4 figures 'briefing: true'; {shown} are"
    )
    asks = data["asks"]
    need(("asks", "sponsor"), text(asks.get("sponsor")), "must be non-empty text")
    need(
        ("asks", "sponsor_dimension"), text(asks.get("sponsor_dimension")), "must be a dimension id"
    )
    rights = asks.get("decision_rights")
    need(
        ("asks", "decision_rights"),
        isinstance(rights, dict) and all(text(rights.get(k)) for k in PMO_TYPES),
        f"must give text for each of: {', '.join(PMO_TYPES)}",
    )
    return problems


def reference_table(data: BriefingData | None = None) -> pd.DataFrame:
    """Every published figure with its source and year, and whether the briefing shows it."""
    data = data or load_briefing_data()
    return pd.DataFrame(
        [
            {
                "figure": r.statement,
                "source": r.source,
                "year": r.year,
                "on the briefing": r.briefing,
            }
            for r in data.references
        ]
    )


def reference_view(data: BriefingData | None = None) -> HouseTable:
    """:func:`reference_table` for the notebook: the year as a year, yes or no for the page."""
    labels = {
        "figure": "Figure",
        "source": "Source",
        "year": "Year",
        "on the briefing": "On the briefing",
    }
    return house_table(reference_table(data), labels=labels, formats={"year": "text"})
