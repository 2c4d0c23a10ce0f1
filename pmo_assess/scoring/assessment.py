"""One client's assessment for one wave as typed, JSON-ready results built on the scoring engine."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.model.questionnaire import Questionnaire
from pmo_assess.scoring.answers import select_assessment
from pmo_assess.scoring.engine import ScoringOptions, score_assessments


@dataclass(frozen=True)
class QuestionResult:
    """Statistics of one question's answers."""

    id: str
    dimension: str
    mean: float | None
    sd: float | None
    min: float | None
    max: float | None
    n: int
    n_na: int
    n_dont_know: int
    disagreement: bool


@dataclass(frozen=True)
class DimensionResult:
    """Score of one dimension, with its children when it has child dimensions."""

    id: str
    title: str
    score: float | None
    level: str | None
    coverage: float | None
    insufficient: bool
    respondents: int
    target: float | None
    gap: float | None
    children: tuple[DimensionResult, ...] = ()


@dataclass(frozen=True)
class OverallResult:
    """The headline: overall score and level, coverage and distance to target."""

    score: float | None
    level: str | None
    coverage: float | None
    insufficient: bool
    respondents: int
    percentage_to_target: float | None


@dataclass(frozen=True)
class AssessmentResult:
    """Everything the engine says about one client and wave."""

    questionnaire_id: str
    questionnaire_version: str
    client: str
    wave: str
    overall: OverallResult
    dimensions: tuple[DimensionResult, ...]
    questions: tuple[QuestionResult, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``pmo-assess score --format json``."""
        return {
            "questionnaire": {"id": self.questionnaire_id, "version": self.questionnaire_version},
            "client": self.client,
            "wave": self.wave,
            "overall": {
                k: getattr(self.overall, k)
                for k in ("score", "level", "coverage", "percentage_to_target")
            },
            "dimensions": [asdict(d) for d in self.dimensions],
            "questions": [asdict(q) for q in self.questions],
        }

    def flat_dimensions(self) -> list[tuple[int, DimensionResult]]:
        """Every dimension with its depth (0 for top level), parents before children."""
        found: list[tuple[int, DimensionResult]] = []

        def visit(node: DimensionResult, depth: int) -> None:
            found.append((depth, node))
            for child in node.children:
                visit(child, depth + 1)

        for top in self.dimensions:
            visit(top, 0)
        return found


def score_assessment(
    questionnaire: Questionnaire,
    answers: pd.DataFrame,
    client: str | None = None,
    wave: str | None = None,
    options: ScoringOptions | None = None,
) -> AssessmentResult:
    """Score one client and wave from a tidy answers table.

    Without ``client`` or ``wave``, the table must hold only one of each.
    """
    _check_targets(questionnaire, options)
    answers = select_assessment(answers, client, wave)
    tables = score_assessments(questionnaire, answers, options)
    nodes = tables.nodes.set_index("dimension")
    overall = tables.overall.iloc[0]

    def dimension(node_id: str) -> DimensionResult:
        row = nodes.loc[node_id]
        children = tuple(dimension(c.id) for c in questionnaire.dimension(node_id).dimensions)
        return DimensionResult(
            id=node_id,
            title=str(row["title"]),
            score=_num(row["score"]),
            level=row["level"],
            coverage=_num(row["coverage"]),
            insufficient=bool(row["insufficient"]),
            respondents=int(row["respondents"]),
            target=_num(row["target"]),
            gap=_num(row["gap"]),
            children=children,
        )

    questions = tuple(
        QuestionResult(
            id=r.question_id,
            dimension=r.dimension,
            mean=_num(r.mean),
            sd=_num(r.sd),
            min=_num(r.min),
            max=_num(r.max),
            n=int(r.n),
            n_na=int(r.n_na),
            n_dont_know=int(r.n_dont_know),
            disagreement=bool(r.disagreement),
        )
        for r in tables.questions.itertuples(index=False)
    )
    return AssessmentResult(
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        client=str(overall["client"]),
        wave=str(overall["wave"]),
        overall=OverallResult(
            score=_num(overall["score"]),
            level=overall["level"],
            coverage=_num(overall["coverage"]),
            insufficient=bool(overall["insufficient"]),
            respondents=int(overall["respondents"]),
            percentage_to_target=_num(overall["percentage_to_target"]),
        ),
        dimensions=tuple(dimension(d.id) for d in questionnaire.dimensions),
        questions=questions,
    )


def role_scores(
    questionnaire: Questionnaire, answers: pd.DataFrame, options: ScoringOptions | None = None
) -> pd.DataFrame:
    """Scores per respondent role, for perception gaps: one row per client, wave, role and dimension
    (``dimension == "overall"`` for the headline), with ``score``, ``coverage`` and ``respondents``.
    """
    tables = score_assessments(questionnaire, answers, options, keys=("client", "wave", "role"))
    columns = ["client", "wave", "role", "dimension", "depth", "score", "coverage", "respondents"]
    return tables.nodes[columns]


def _check_targets(questionnaire: Questionnaire, options: ScoringOptions | None) -> None:
    known = [d.id for d in questionnaire.walk()]
    for dimension_id in (options.targets or {}) if options else {}:
        if dimension_id not in known:
            raise PmoAssessError(
                f"Unknown dimension '{dimension_id}' in targets. Dimensions of "
                f"'{questionnaire.id}': {', '.join(known)}."
            )


def _num(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    return float(value)


def dimension_frame(result: AssessmentResult) -> pd.DataFrame:
    """One row per dimension at any depth, in questionnaire order, with every figure of the scorecard."""
    rows = []
    for depth, node in result.flat_dimensions():
        rows.append(
            {
                "dimension": node.id,
                "depth": depth,
                "title": node.title,
                "score": node.score,
                "level": node.level,
                "target": node.target,
                "gap": node.gap,
                "coverage": node.coverage,
                "insufficient": node.insufficient,
                "respondents": node.respondents,
            }
        )
    return pd.DataFrame(rows)
