"""Plain-text and CSV views of an assessment, for the terminal and for spreadsheets."""

from __future__ import annotations

from pmo_assess.core.rounding import number_text, percent_text
from pmo_assess.scoring.assessment import AssessmentResult


def format_table(result: AssessmentResult, precision: int = 1) -> str:
    """A readable scorecard: dimensions (indented by depth), overall, and the disagreements.
    Scores, targets and gaps are shown at the questionnaire's ``precision``, the one its levels
    and gaps are read at, so a score shown 2.0 never sits beside the level below 2."""
    lines = [
        f"{result.client} · wave {result.wave} · {result.questionnaire_id} "
        f"v{result.questionnaire_version}",
        "",
    ]
    header = f"{'Dimension':<52} {'Score':>5}  {'Level':<12} {'Target':>6} {'Gap':>4} {'Cover':>5} {'n':>3}"
    lines += [header, "-" * len(header)]
    for depth, node in result.flat_dimensions():
        title = ("  " * depth + node.title)[:52]
        flag = "  insufficient evidence" if node.insufficient else ""
        lines.append(
            f"{title:<52} {_fmt(node.score, precision):>5}  {node.level or '-':<12} "
            f"{_fmt(node.target, precision):>6} {_fmt(node.gap, precision):>4} {_pct(node.coverage):>5} "
            f"{node.respondents:>3}{flag}"
        )
    overall = result.overall
    lines += [
        "-" * len(header),
        f"{'Overall':<52} {_fmt(overall.score, precision):>5}  {overall.level or '-':<12} "
        f"{'':>6} {'':>4} {_pct(overall.coverage):>5} {overall.respondents:>3}",
        "",
        f"Percentage to target: {_pct(overall.percentage_to_target)}",
    ]
    disagreements = [q for q in result.questions if q.disagreement]
    if disagreements:
        lines += ["", "Respondents disagree on:"]
        lines += [
            f"  {q.id}: answers from {_fmt(q.min, 2)} to {_fmt(q.max, 2)} (n={q.n})"
            for q in disagreements
        ]
    return "\n".join(lines)


def _fmt(value: float | None, digits: int) -> str:
    return number_text(value, digits, missing="-")


def _pct(value: float | None) -> str:
    return percent_text(value, missing="-")
