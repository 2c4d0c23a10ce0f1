"""Benchmark: score 1,000 assessments x 60 questions x 6 respondents (360,000 answers).

Prints the vectorised engine's time against a straightforward per-row Python loop that applies the
same rules, run on the same data in the same process, and checks both give the same overall scores.
Run: ``.venv/bin/python bench/scoring.py`` (or ``make bench``). Target: engine under 2 s.
"""

from __future__ import annotations

import statistics
import time
from collections import defaultdict

import numpy as np
import pandas as pd

from pmo_assess import ScoringOptions, load_questionnaire, score_assessments
from pmo_assess.model.questionnaire import Dimension, Questionnaire

ASSESSMENTS, RESPONDENTS = 1_000, 6
ROLES = ["executive", "pmo", "project-manager", "project-manager", "pmo", "team-member"]


def make_answers(questionnaire: Questionnaire, seed: int = 1) -> pd.DataFrame:
    """Synthetic answers: integer levels 1..5, 3% N/A and 4% Don't know."""
    rng = np.random.default_rng(seed)
    question_ids = [q.id for q in questionnaire.questions()]
    n_q = len(question_ids)
    size = ASSESSMENTS * n_q * RESPONDENTS
    assessment = np.repeat(np.arange(ASSESSMENTS), n_q * RESPONDENTS)
    respondent = np.tile(np.repeat(np.arange(RESPONDENTS), n_q), ASSESSMENTS)
    draw = rng.random(size)
    status = np.where(draw < 0.03, "na", np.where(draw < 0.07, "dont_know", "answered"))
    values = np.where(status == "answered", rng.integers(1, 6, size).astype(float), np.nan)
    return pd.DataFrame(
        {
            "client": np.char.add("client-", assessment.astype(str)),
            "wave": "2026-Q3",
            "respondent": np.char.add("R", respondent.astype(str)),
            "role": np.array(ROLES)[respondent],
            "question_id": np.tile(question_ids, ASSESSMENTS * RESPONDENTS),
            "value": values,
            "status": status,
            "note": "",
        }
    )


def naive_overall(questionnaire: Questionnaire, answers: pd.DataFrame) -> dict[str, float]:
    """The per-row loop a consultant would write: dicts of sums, then the tree per assessment."""
    totals: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for row in answers.itertuples(index=False):
        if row.status == "answered":
            cell = totals[(row.client, row.question_id)]
            cell[0] += row.value
            cell[1] += 1

    def node_score(node: Dimension, client: str) -> float | None:
        parts = (
            [(q.weight, _mean(totals.get((client, q.id)))) for q in node.questions]
            if node.questions
            else [(d.weight, node_score(d, client)) for d in node.dimensions]
        )
        scored = [(w, s) for w, s in parts if s is not None]
        if not scored:
            return None
        if node.aggregation == "sum":
            return sum(s for _, s in scored)
        return sum(w * s for w, s in scored) / sum(w for w, _ in scored)

    result = {}
    for client in answers["client"].unique():
        root = Dimension(id="overall", title="Overall", dimensions=questionnaire.dimensions)
        result[client] = node_score(root, client)
    return result


def _mean(cell: list[float] | None) -> float | None:
    return cell[0] / cell[1] if cell and cell[1] else None


def best_of(runs: int, work) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    questionnaire = load_questionnaire("pmo-maturity")
    answers = make_answers(questionnaire)
    n_questions = sum(1 for _ in questionnaire.questions())
    print(
        f"{ASSESSMENTS} assessments x {n_questions} questions x {RESPONDENTS} respondents "
        f"= {len(answers):,} answers"
    )
    options = ScoringOptions()
    engine_s, tables = best_of(3, lambda: score_assessments(questionnaire, answers, options))
    naive_s, naive = best_of(1, lambda: naive_overall(questionnaire, answers))
    engine_overall = tables.overall.set_index("client")["score"]
    worst = max(abs(engine_overall[c] - naive[c]) for c in naive)
    print(
        f"engine (vectorised), best of 3: {engine_s:8.3f} s   target < 2 s: "
        f"{'met' if engine_s < 2 else 'MISSED'}"
    )
    print(f"naive per-row loop:             {naive_s:8.3f} s")
    print(f"speed-up:                       {naive_s / engine_s:8.1f} x")
    print(f"largest difference in overall score, engine vs loop: {worst:.2e}")
    print(f"median overall score: {statistics.median(engine_overall):.3f}")


if __name__ == "__main__":
    main()
