"""What-if for the analysis step: give a dimension another score and see the overall score and
level move, recomputed exactly as the scoring engine aggregates (:mod:`pmo_assess.scoring.engine`).

- A dimension given a what-if score takes that score; its questions are not touched.
- A dimension with child dimensions scores the weighted mean (or, for ``sum``, the weighted sum)
  of its scored children; the overall score is the weighted mean of the scored top-level
  dimensions. A dimension without a score counts for nothing, as in the engine.
- The level comes from the questionnaire's level boundaries (``scoring.level_names``).

The analysis step's other tables (disagreements by role, peer position) are in
:mod:`pmo_assess.engagement.analysis`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.model.questionnaire import Aggregation, Dimension, Questionnaire
from pmo_assess.scoring.assessment import AssessmentResult
from pmo_assess.scoring.engine import ROOT, level_names

Scores = Mapping[str, float | None]


@dataclass(frozen=True)
class WhatIfResult:
    """The overall score and level after a what-if, beside those before it."""

    score: float | None
    level: str | None
    baseline_score: float | None
    baseline_level: str | None
    dimensions: dict[str, float | None]

    @property
    def change(self) -> float | None:
        """How far the overall score moved (None when either score is missing)."""
        if self.score is None or self.baseline_score is None:
            return None
        return self.score - self.baseline_score

    def summary(self) -> str:
        """One line for the notebook, e.g. ``overall 3.02 (Defined) — was 2.89 (Repeatable)``."""
        before = _shown(self.baseline_score, self.baseline_level)
        return f"overall {_shown(self.score, self.level)} — was {before}"


def dimension_scores(assessment: AssessmentResult | Mapping[str, Any]) -> dict[str, float | None]:
    """Every dimension's score by id, at any depth, from an :class:`AssessmentResult` or its
    JSON form (``results["assessment"]``).

    >>> dimension_scores({"dimensions": [{"id": "a", "score": 2.5, "children": [
    ...     {"id": "a.x", "score": 2.0, "children": []}]}]})
    {'a': 2.5, 'a.x': 2.0}
    """
    if isinstance(assessment, AssessmentResult):
        return {d.id: d.score for _, d in assessment.flat_dimensions()}
    found: dict[str, float | None] = {}
    stack = list(reversed(assessment["dimensions"]))
    while stack:
        node = stack.pop()
        found[node["id"]] = node["score"]
        stack.extend(reversed(node.get("children") or []))
    return found


def score_range(questionnaire: Questionnaire, dimension_id: str = ROOT) -> tuple[float, float]:
    """The lowest and highest score a dimension (or overall) can take: its questions' scales,
    summed where the questionnaire sums (a stream of three 0-to-1 questions goes up to 3).

    >>> from pmo_assess import load_questionnaire
    >>> score_range(load_questionnaire("pmo-maturity"), "governance")
    (1.0, 5.0)
    """
    node = _root(questionnaire) if dimension_id == ROOT else questionnaire.dimension(dimension_id)
    return _span(questionnaire, node)


def what_if(questionnaire: Questionnaire, current: Scores, changed: Scores) -> WhatIfResult:
    """The overall score and level when some dimensions score ``changed`` instead of ``current``.

    ``current`` holds the assessment's dimension scores by id (:func:`dimension_scores`);
    ``changed`` the what-if scores of any dimensions, at any depth. An empty ``changed`` gives
    the engine's overall score exactly.

    >>> from pmo_assess import load_questionnaire
    >>> maturity = load_questionnaire("pmo-maturity")
    >>> current = {d.id: 3.0 for d in maturity.dimensions}  # twelve dimensions of equal weight
    >>> what_if(maturity, current, {"governance": 4.2}).summary()  # (11 * 3 + 4.2) / 12
    'overall 3.10 (Defined) — was 3.00 (Defined)'
    """
    _check_changes(questionnaire, changed)
    before, _ = _rescore(_root(questionnaire), current, {})
    after, scores = _rescore(_root(questionnaire), current, changed)
    return WhatIfResult(
        score=after,
        level=_level(questionnaire, after),
        baseline_score=before,
        baseline_level=_level(questionnaire, before),
        dimensions={k: v for k, v in scores.items() if k != ROOT},
    )


def weight_shares(questionnaire: Questionnaire, current: Scores) -> dict[str, float]:
    """Each scored top-level dimension's share of the overall score: a point more on that
    dimension moves overall by its share (weights of unscored dimensions do not count).

    >>> from pmo_assess import load_questionnaire
    >>> maturity = load_questionnaire("pmo-maturity")
    >>> shares = weight_shares(maturity, {"strategy": 2.0, "governance": 3.0})
    >>> shares["strategy"], shares["governance"], len(shares)
    (0.5, 0.5, 2)
    """
    scored = [d for d in questionnaire.dimensions if _present(current.get(d.id))]
    total = sum(d.weight for d in scored)
    return {d.id: d.weight / total for d in scored} if total > 0 else {}


def _root(questionnaire: Questionnaire) -> Dimension:
    # the engine aggregates overall as a "mean" node over the top-level dimensions
    return Dimension(id=ROOT, title="Overall", dimensions=questionnaire.dimensions)


def _rescore(
    node: Dimension, current: Scores, changed: Scores
) -> tuple[float | None, dict[str, float | None]]:
    """The node's score, and every score below it, bottom-up as the engine computes them."""
    scores: dict[str, float | None] = {}
    children = [_rescore(child, current, changed) for child in node.dimensions]
    for _, below in children:
        scores |= below
    if node.id in changed:
        score = changed[node.id]
    elif node.dimensions:
        weights = [child.weight for child in node.dimensions]
        score = _combine([s for s, _ in children], weights, node.aggregation)
    else:
        score = current.get(node.id)
    scores[node.id] = score if _present(score) else None
    return scores[node.id], scores


def _span(questionnaire: Questionnaire, node: Dimension) -> tuple[float, float]:
    if node.questions:
        scales = [questionnaire.answer_sets[q.answer_set].values for q in node.questions]
        parts = [(min(v), max(v)) for v in scales if v]
        weights = [q.weight for q, v in zip(node.questions, scales, strict=True) if v]
    else:
        parts = [_span(questionnaire, child) for child in node.dimensions]
        weights = [child.weight for child in node.dimensions]
    lows = [w * lo for w, (lo, _) in zip(weights, parts, strict=True)]
    highs = [w * hi for w, (_, hi) in zip(weights, parts, strict=True)]
    if node.aggregation == "sum":  # any subset may be scored: one part alone up to all of them
        return min(sum(lows), *lows), max(sum(highs), *highs)
    return min(lo for lo, _ in parts), max(hi for _, hi in parts)


def _combine(
    scores: list[float | None], weights: list[float], aggregation: Aggregation
) -> float | None:
    """The engine's weighted mean or sum, over a one-row array so the arithmetic is the same."""
    values = np.array([[s if _present(s) else np.nan for s in scores]], dtype=float)
    weight = np.array(weights, dtype=float)
    present = ~np.isnan(values)
    filled = np.where(present, values, 0.0)
    if aggregation == "sum":
        return float((filled * weight).sum(axis=1)[0]) if present.any() else None
    weight_sum = float((present * weight).sum(axis=1)[0])
    return float((filled * weight).sum(axis=1)[0] / weight_sum) if weight_sum > 0 else None


def _check_changes(questionnaire: Questionnaire, changed: Scores) -> None:
    known = [d.id for d in questionnaire.walk()]
    for dimension_id, value in changed.items():
        if dimension_id not in known:
            raise PmoAssessError(
                f"Unknown dimension '{dimension_id}' in the what-if. Dimensions of "
                f"'{questionnaire.id}': {', '.join(known)}."
            )
        low, high = score_range(questionnaire, dimension_id)
        if value is None or not math.isfinite(value) or not low <= value <= high:
            raise PmoAssessError(
                f"The what-if score of '{dimension_id}' must be a number from {low:g} to "
                f"{high:g} (the dimension's scale); got {value!r}."
            )


def _level(questionnaire: Questionnaire, score: float | None) -> str | None:
    if score is None:
        return None
    return level_names(questionnaire, np.array([score]))[0]


def _present(score: float | None) -> bool:
    return score is not None and not math.isnan(score)


def _shown(score: float | None, level: str | None) -> str:
    if score is None:
        return "not scored"
    return f"{score:.2f} ({level or 'below the lowest level'})"
