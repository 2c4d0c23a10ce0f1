"""The analysis step's tables for the discussion with the client: where respondents disagree,
and where the client stands among its peers.

Both read a client's results dict (``ClientResults.to_dict()``) and return DataFrames ready to
show in notebook 03: the disagreements beside each role's mean answer, so the room can see who
sees it differently, and the peer percentiles with the group's quartiles, or a sentence saying
why no comparison may be shown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from pmo_assess.core.rounding import number_text
from pmo_assess.engagement.house_table import HouseTable, house_table, is_missing
from pmo_assess.model.answer_status import ANSWERED
from pmo_assess.report.text.phrases import percentile_text
from pmo_assess.report.text.summary import executive_summary


def disagreements_by_role(results: Mapping[str, Any], answers: pd.DataFrame) -> pd.DataFrame:
    """The questions respondents disagree on (``results["disagreements"]``), widest range first:
    dimension, question text, lowest and highest answer, range, then the mean answer of each
    role (one column per role; empty when a role gave no value) and the notes taken.

    ``answers`` is the store's answers table of the client (``Store.load_answers``); only the
    results' wave is read.
    """
    flagged = list(results["disagreements"])
    columns = ["dimension", "question", "lowest", "highest", "range"]
    if not flagged:
        return pd.DataFrame(columns=[*columns, "notes"])
    wave = answers[(answers["wave"] == results["wave"]["label"]) & (answers["status"] == ANSWERED)]
    by_role = (
        wave[wave["question_id"].isin([d["question_id"] for d in flagged])]
        .groupby(["question_id", "role"])["value"]
        .mean()
        .unstack("role")
        .round(2)
    )
    table = pd.DataFrame(
        {
            "question_id": d["question_id"],
            "dimension": d["dimension_title"],
            "question": d["text"],
            "lowest": d["min"],
            "highest": d["max"],
            "range": (d["max"] or 0) - (d["min"] or 0),
            "notes": " | ".join(f"{n['role']}: {n['note']}" for n in d["notes"]),
        }
        for d in flagged
    )
    table = table.join(by_role, on="question_id")
    roles = [str(r) for r in by_role.columns]
    return table[[*columns, *roles, "notes"]].reset_index(drop=True)


def peer_position(results: Mapping[str, Any]) -> tuple[str, pd.DataFrame]:
    """A sentence naming the peer group (or why there is none) and, overall and per dimension,
    the client's score and percentile with the peers' quartiles, median and n; the table is
    empty when no comparison may be shown (a group below the minimum size never is).
    """
    columns = ["dimension", "score", "percentile", "q1", "median", "q3", "n"]
    empty = pd.DataFrame(columns=columns)
    benchmark = results.get("benchmark")
    if not benchmark:
        return "No benchmark exists for this questionnaire, so there is no peer comparison.", empty
    source = benchmark["benchmark"]
    named = f"{'synthetic ' if source.get('synthetic') else ''}benchmark '{source['title']}'"
    if not benchmark["available"]:
        return f"Too few comparable organisations in the {named}: no comparison shown.", empty
    titles = {d["id"]: d["title"] for d in results["assessment"]["dimensions"]}
    positions = {"Overall": benchmark["overall"]} | {
        titles.get(k, k): p for k, p in benchmark["dimensions"].items()
    }
    rows = [{"dimension": k, **p} for k, p in positions.items() if p]
    text = f"Peers: {benchmark['label'] or 'every organisation'}, n = {benchmark['n']}, {named}."
    return text, pd.DataFrame(rows, columns=columns).round(2)


# --- the tables notebook 03 shows ---------------------------------------------------------------


def overall_text(results: Mapping[str, Any]) -> str:
    """The overall result in one sentence, worded as the report's executive summary words it."""
    return executive_summary(dict(results)).headline + "."


def scores_table(results: Mapping[str, Any]) -> HouseTable:
    """One row per dimension, highest priority first: score and level, target, gap, importance
    and priority, at the report's precision."""
    precision = int(results["scale"]["precision"])
    dimensions = {d["id"]: d for d in results["assessment"]["dimensions"]}
    rows = [
        {
            "Dimension": gap["title"],
            "Score": gap["score"],
            "Level": dimensions.get(gap["dimension"], {}).get("level"),
            "Target": gap["target"],
            "Gap": gap["gap"],
            "Importance": gap["importance"],
            "Priority": gap["priority"],
        }
        for gap in results["gaps"]
    ]
    frame = pd.DataFrame(
        rows, columns=["Dimension", "Score", "Level", "Target", "Gap", "Importance", "Priority"]
    )
    return house_table(
        frame,
        formats={
            "Score": _shown(precision),
            "Target": _shown(precision),
            "Gap": _shown(precision),
            "Importance": "integer",
            "Priority": _shown(2),
        },
        missing_note="no score: too few questions of the dimension were answered, or no target "
        "is set for it.",
        notes=("Priority = gap × importance × the dimension's weight; the highest comes first.",),
    )


def disagreement_table(results: Mapping[str, Any], answers: pd.DataFrame) -> HouseTable:
    """:func:`disagreements_by_role` as a table for the room: each role's mean answer beside the
    lowest and highest, the notes in full."""
    table = disagreements_by_role(results, answers)
    precision = int(results["scale"]["precision"])
    fixed = {"dimension", "question", "notes"}
    formats = {str(c): _shown(precision) for c in table.columns if c not in fixed}
    if table.empty:
        return house_table(table, notes=("No question shows a wide disagreement.",))
    return house_table(
        table,
        formats=formats,
        missing_note="this role gave no scored answer to the question.",
        main=[c for c in table.columns if c != "notes"][:8],
        key="question",
    )


def peer_table(results: Mapping[str, Any]) -> tuple[str, HouseTable]:
    """:func:`peer_position`'s sentence and its table, percentiles as percentages."""
    caption, table = peer_position(results)
    precision = int(results["scale"]["precision"])
    table = table.rename(columns={"q1": "Lower quartile", "q3": "Upper quartile"})
    return caption, house_table(
        table,
        formats={
            "score": _shown(precision),
            "Lower quartile": _shown(precision),
            "median": _shown(precision),
            "Upper quartile": _shown(precision),
            "percentile": lambda v: "—" if is_missing(v) else percentile_text(float(v)),
            "n": "integer",
        },
        labels={"percentile": "Percentile"},
        missing_note="no score to compare.",
    )


def _shown(precision: int) -> Callable[[Any], str]:
    """A column format: the value at ``precision`` decimals, halves up; "—" when missing."""

    def text(value: Any) -> str:
        return "—" if is_missing(value) else number_text(float(value), precision)

    return text
