"""The scoring engine: many respondents' answers in, maturity per question, dimension and overall out.

It scores any number of assessments (one per client and wave, or per role) in one vectorised pass:
question statistics come from ``numpy.bincount`` over the tidy answers table, then the dimension
tree is aggregated bottom-up as arrays with one entry per assessment. The rules:

- A question's score is the (role-weighted) mean of the values given. N/A and Don't know are
  never 0: N/A marks a question out of scope, and one that every respondent marked N/A leaves
  both the score and the coverage denominator; Don't know is missing evidence and lowers coverage.
- A ``mean`` node scores the weighted mean of its scored children; a ``sum`` node the weighted
  sum of its scored children (weights default to 1, so a plain sum).
  Coverage is the weighted mean of the children's coverage (a question covers 1 when anyone
  gave it a value). A node whose coverage is below ``min_coverage`` is flagged insufficient.
- Overall is the weighted mean of the top-level dimensions, computed like a ``mean`` node.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pmo_assess.core.rounding import round_half_up_array
from pmo_assess.model.answer_status import ANSWERED, DONT_KNOW, NOT_APPLICABLE
from pmo_assess.model.questionnaire import Dimension, Questionnaire
from pmo_assess.scoring.options import ScoringOptions

ROOT = "overall"


@dataclass(frozen=True)
class ScoreTables:
    """Scores of many assessments as three tidy tables, keyed by the grouping columns.

    ``questions``: one row per assessment and question (``mean, sd, min, max, n, n_na,
    n_dont_know, disagreement``). ``nodes``: one row per assessment and dimension at any depth,
    plus a row with ``dimension == "overall"`` (``score, level, coverage, insufficient,
    respondents, target, gap``). ``overall``: one row per assessment with ``percentage_to_target``.
    """

    keys: tuple[str, ...]
    questions: pd.DataFrame
    nodes: pd.DataFrame
    overall: pd.DataFrame


def score_assessments(
    questionnaire: Questionnaire,
    answers: pd.DataFrame,
    options: ScoringOptions | None = None,
    keys: Sequence[str] = ("client", "wave"),
) -> ScoreTables:
    """Score every assessment in a tidy answers table, one per distinct value of ``keys``."""
    options = options or ScoringOptions()
    keys = tuple(keys)
    question_ids = [q.id for q in questionnaire.questions()]
    # categorical codes: far faster than mapping strings through a dict; -1 marks foreign ids
    q_codes = pd.Categorical(answers["question_id"], categories=question_ids).codes.astype(np.int64)
    answers, q_codes = answers[q_codes >= 0], q_codes[q_codes >= 0]
    group_codes, groups = _group_codes(answers, keys)
    stats = _question_stats(
        questionnaire,
        answers,
        group_codes * len(question_ids) + q_codes,
        len(groups),
        len(question_ids),
        options,
    )
    column = {qid: i for i, qid in enumerate(question_ids)}
    respondent_codes = pd.factorize(answers["respondent"])[0]
    answered = (answers["status"] == ANSWERED).to_numpy()
    tree = _Aggregator(questionnaire, stats, column, options)
    tree.count_respondents(
        group_codes[answered], respondent_codes[answered], q_codes[answered], len(groups)
    )
    nodes = tree.node_table(groups)
    return ScoreTables(
        keys,
        stats.table(groups, question_ids, questionnaire),
        nodes,
        _overall_table(questionnaire, nodes, keys),
    )


def _group_codes(answers: pd.DataFrame, keys: tuple[str, ...]) -> tuple[np.ndarray, pd.DataFrame]:
    if answers.empty:
        return np.zeros(0, dtype=np.int64), pd.DataFrame(columns=list(keys))
    codes = answers.groupby(list(keys), sort=True, observed=True).ngroup().to_numpy()
    groups = answers[list(keys)].drop_duplicates().sort_values(list(keys)).reset_index(drop=True)
    return codes, groups


@dataclass
class _QuestionStats:
    """(assessments x questions) matrices of the per-question statistics."""

    mean: np.ndarray
    sd: np.ndarray
    low: np.ndarray
    high: np.ndarray
    n: np.ndarray
    n_na: np.ndarray
    n_dont_know: np.ndarray
    threshold: np.ndarray  # one per question

    def table(
        self, groups: pd.DataFrame, question_ids: list[str], questionnaire: Questionnaire
    ) -> pd.DataFrame:
        g, q = self.mean.shape
        holder = {qq.id: node.id for node in questionnaire.walk() for qq in node.questions}
        frame = groups.loc[np.repeat(np.arange(g), q)].reset_index(drop=True)
        frame["question_id"] = np.tile(question_ids, g)
        frame["dimension"] = frame["question_id"].map(holder)
        for name in ("mean", "sd", "n", "n_na", "n_dont_know"):
            frame[name] = getattr(self, name).ravel()
        frame["min"], frame["max"] = self.low.ravel(), self.high.ravel()
        threshold = np.tile(self.threshold, g)
        frame["disagreement"] = (frame["max"] - frame["min"]).to_numpy() >= threshold - 1e-9
        return frame


def _question_stats(
    questionnaire: Questionnaire,
    answers: pd.DataFrame,
    flat: np.ndarray,
    n_groups: int,
    n_q: int,
    options: ScoringOptions,
) -> _QuestionStats:
    """Statistics per (assessment, question) cell; ``flat`` is each answer's cell number."""
    size = n_groups * n_q
    status = answers["status"].to_numpy()
    answered = status == ANSWERED
    values = answers["value"].to_numpy(dtype=float)[answered]
    cells = flat[answered]
    weights = np.ones(len(values))
    if options.role_weights:
        role_weight = answers["role"].map(options.role_weights).fillna(1.0).to_numpy(dtype=float)
        weights = role_weight[answered]

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(flat[mask], minlength=size)

    n = np.bincount(cells, minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(cells, weights * values, size) / np.bincount(cells, weights, size)
        total, squares = np.bincount(cells, values, size), np.bincount(cells, values**2, size)
        variance = np.where(n > 1, (squares - total**2 / np.maximum(n, 1)) / (n - 1), np.nan)
    low, high = np.full(size, np.inf), np.full(size, -np.inf)
    np.minimum.at(low, cells, values)
    np.maximum.at(high, cells, values)
    low[n == 0], high[n == 0] = np.nan, np.nan
    threshold = np.array(
        [
            options.disagreement_threshold or questionnaire.disagreement_threshold_for(q)
            for q in questionnaire.questions()
        ]
    )
    shape = (n_groups, n_q)
    return _QuestionStats(
        mean=mean.reshape(shape),
        sd=np.sqrt(np.clip(variance, 0, None)).reshape(shape),
        low=low.reshape(shape),
        high=high.reshape(shape),
        n=n.reshape(shape),
        n_na=count(status == NOT_APPLICABLE).reshape(shape),
        n_dont_know=count(status == DONT_KNOW).reshape(shape),
        threshold=threshold,
    )


class _Aggregator:
    """Aggregates the tree bottom-up; each node's arrays hold one entry per assessment."""

    def __init__(
        self,
        questionnaire: Questionnaire,
        stats: _QuestionStats,
        column: dict[str, int],
        options: ScoringOptions,
    ) -> None:
        self.questionnaire, self.stats, self.column, self.options = (
            questionnaire,
            stats,
            column,
            options,
        )
        self.rows: list[tuple[Dimension | None, str | None, int, np.ndarray, np.ndarray]] = []
        self.respondents: dict[str, np.ndarray] = {}
        # a question every respondent marked N/A is out of scope: no coverage to count
        in_scope = (stats.n > 0) | (stats.n_dont_know > 0) | (stats.n_na == 0)
        self.q_coverage = np.where(in_scope, (stats.n > 0).astype(float), np.nan)
        root = Dimension(id=ROOT, title="Overall", dimensions=questionnaire.dimensions)
        self._aggregate(root, None, 0)

    def _aggregate(
        self, node: Dimension, parent: str | None, depth: int
    ) -> tuple[np.ndarray, np.ndarray]:
        if node.questions:
            idx = [self.column[q.id] for q in node.questions]
            scores, coverages = self.stats.mean[:, idx], self.q_coverage[:, idx]
            weights = np.array([q.weight for q in node.questions])
        else:
            parts = [self._aggregate(child, node.id, depth + 1) for child in node.dimensions]
            scores = np.column_stack([p[0] for p in parts])
            coverages = np.column_stack([p[1] for p in parts])
            weights = np.array([child.weight for child in node.dimensions])
        score = _combine(scores, weights, node.aggregation)
        coverage = _combine(coverages, weights, "mean")
        self.rows.append((node if node.id != ROOT else None, parent, depth, score, coverage))
        return score, coverage

    def count_respondents(
        self, groups: np.ndarray, respondents: np.ndarray, questions: np.ndarray, n_groups: int
    ) -> None:
        """Distinct respondents who gave a value to at least one question below each node."""
        n_resp = int(respondents.max()) + 1 if len(respondents) else 1
        for node, _parent, _depth, _score, _cov in self.rows:
            node_questions = node.all_questions() if node else self.questionnaire.questions()
            member = np.zeros(len(self.column), dtype=bool)
            member[[self.column[q.id] for q in node_questions]] = True
            pairs = np.unique(groups[member[questions]] * n_resp + respondents[member[questions]])
            key = node.id if node else ROOT
            self.respondents[key] = np.bincount(pairs // n_resp, minlength=n_groups)

    def node_table(self, groups: pd.DataFrame) -> pd.DataFrame:
        frames = []
        targets = self._targets()
        digits = self.questionnaire.display_precision
        for node, parent, depth, score, coverage in reversed(self.rows):
            key = node.id if node else ROOT
            frame = groups.copy()
            frame["dimension"], frame["parent"], frame["depth"] = key, parent, depth
            frame["title"] = node.title if node else "Overall"
            frame["score"], frame["coverage"] = score, coverage
            frame["insufficient"] = coverage < self.options.min_coverage - 1e-12
            frame["respondents"] = self.respondents[key]
            target = targets.get(key)
            frame["target"] = np.nan if target is None else target
            # the gap between the numbers as shown, so that a gap of 0.0 is "met" in every sentence
            shown = round_half_up_array(score, digits)
            shown_gap = round_half_up_array(frame["target"].to_numpy(), digits) - shown
            frame["gap"] = np.clip(round_half_up_array(shown_gap, digits), 0, None)
            frames.append(frame)
        table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
        # keep questionnaire order: parents before children, as written
        order = {d.id: i for i, d in enumerate(self.questionnaire.walk(), start=1)} | {ROOT: 0}
        table = table.sort_values(
            [*groups.columns, "dimension"],
            key=lambda s: s.map(order) if s.name == "dimension" else s,
            kind="stable",
        ).reset_index(drop=True)
        # object dtype keeps None for "no level" (pandas would turn it into NaN in a string column)
        table["level"] = pd.Series(
            level_names(self.questionnaire, table["score"].to_numpy()), dtype=object
        )
        return table

    def _targets(self) -> dict[str, float | None]:
        overrides = self.options.targets or {}
        found: dict[str, float | None] = {}

        def visit(node: Dimension, inherited: float | None) -> None:
            own = overrides.get(node.id, node.target if node.target is not None else inherited)
            found[node.id] = own
            for child in node.dimensions:
                visit(child, own)

        for top in self.questionnaire.dimensions:
            visit(top, self.questionnaire.default_target)
        return found


def _combine(scores: np.ndarray, weights: np.ndarray, aggregation: str) -> np.ndarray:
    """Weighted mean (or weighted sum) across columns, ignoring NaN; NaN where nothing is scored."""
    present = ~np.isnan(scores)
    filled = np.where(present, scores, 0.0)
    if aggregation == "sum":
        return np.where(present.any(axis=1), (filled * weights).sum(axis=1), np.nan)
    weight_sum = (present * weights).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(weight_sum > 0, (filled * weights).sum(axis=1) / weight_sum, np.nan)


def level_names(questionnaire: Questionnaire, scores: np.ndarray) -> list[str | None]:
    """The level name of each score as shown (None for a missing score or one below the lowest
    level): a score of 1.96 is shown as 2.0 and reaches the level that starts at 2."""
    mins = np.array([lv.min for lv in questionnaire.levels]) - 1e-9
    names = [lv.name for lv in questionnaire.levels]
    shown = round_half_up_array(np.asarray(scores, dtype=float), questionnaire.display_precision)
    index = np.searchsorted(mins, np.nan_to_num(shown, nan=-np.inf), side="right") - 1
    return [
        names[i] if i >= 0 and not np.isnan(s) else None for i, s in zip(index, scores, strict=True)
    ]


def _overall_table(
    questionnaire: Questionnaire, nodes: pd.DataFrame, keys: tuple[str, ...]
) -> pd.DataFrame:
    top_ids = [d.id for d in questionnaire.dimensions]
    top = nodes[nodes["dimension"].isin(top_ids) & nodes["score"].notna() & nodes["target"].notna()]
    sums = top.groupby(list(keys), observed=True)[["gap", "target"]].sum()
    overall = nodes[nodes["dimension"] == ROOT].drop(
        columns=["dimension", "parent", "depth", "title"]
    )
    overall = overall.merge(
        sums.rename(columns={"gap": "_gap", "target": "_target"}),
        left_on=list(keys),
        right_index=True,
        how="left",
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        overall["percentage_to_target"] = 1 - overall["_gap"] / overall["_target"]
    return overall.drop(columns=["_gap", "_target", "target", "gap"]).reset_index(drop=True)


def progress_to_date(
    current: float | None, baseline: float | None, target: float | None
) -> float | None:
    """Share of the way from a baseline wave to the target covered so far.

    None when a value is missing or the baseline already met the target (nothing to close).

    >>> progress_to_date(2.5, 2.0, 3.0)
    0.5
    >>> progress_to_date(1.8, 2.0, 3.0)
    -0.2
    >>> progress_to_date(3.2, 3.0, 3.0) is None
    True
    """
    if current is None or baseline is None or target is None or target <= baseline:
        return None
    return round((current - baseline) / (target - baseline), 10)
