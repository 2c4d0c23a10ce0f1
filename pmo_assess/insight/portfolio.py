"""Headline scores of every client and wave in a store, for the firm's own overview."""

from __future__ import annotations

import pandas as pd

from pmo_assess.model.loading import load_questionnaire
from pmo_assess.scoring.engine import score_assessments
from pmo_assess.store.repository import Store

PORTFOLIO_COLUMNS = [
    "client",
    "name",
    "industry",
    "size_band",
    "wave",
    "questionnaire_id",
    "respondents",
    "score",
    "level",
    "coverage",
]


def portfolio_scores(store: Store) -> pd.DataFrame:
    """One row per client, wave and questionnaire with the overall score, level and coverage."""
    answers = store.load_answers()
    frames = []
    for questionnaire_id, group in answers.groupby("questionnaire_id", sort=True):
        questionnaire = load_questionnaire(
            str(questionnaire_id), search=[store.workspace / "questionnaires"]
        )
        overall = score_assessments(questionnaire, group).overall
        frames.append(overall.assign(questionnaire_id=questionnaire_id))
    clients = pd.DataFrame(
        [vars(c) for c in store.clients()], columns=["slug", "name", "industry", "size_band"]
    )
    if not frames:
        return pd.DataFrame(columns=PORTFOLIO_COLUMNS)
    table = pd.concat(frames, ignore_index=True).merge(
        clients, left_on="client", right_on="slug", how="left"
    )
    return table[PORTFOLIO_COLUMNS].sort_values(["client", "wave"], ignore_index=True)


def format_portfolio(table: pd.DataFrame) -> str:
    """The portfolio as a plain-text table."""
    if table.empty:
        return "No answers in this workspace yet."
    lines = [f"{'Client':<44} {'Industry':<24} {'Wave':<8} {'n':>2} {'Score':>5}  Level"]
    lines.append("-" * len(lines[0]))
    for row in table.itertuples(index=False):
        score = "-" if pd.isna(row.score) else f"{row.score:.2f}"
        lines.append(
            f"{str(row.name)[:44]:<44} {str(row.industry or '-')[:24]:<24} {row.wave:<8} "
            f"{row.respondents:>2} {score:>5}  {row.level or '-'}"
        )
    return "\n".join(lines)
