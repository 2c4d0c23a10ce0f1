"""Plain-text and CSV views of an assessment, for the terminal and for spreadsheets."""

from __future__ import annotations

from pmo_assess.scoring.assessment import AssessmentResult


def format_table(result: AssessmentResult) -> str:
    """A readable scorecard: dimensions (indented by depth), overall, and the disagreements."""
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
            f"{title:<52} {_fmt(node.score, 2):>5}  {node.level or '-':<12} "
            f"{_fmt(node.target, 1):>6} {_fmt(node.gap, 1):>4} {_pct(node.coverage):>5} "
            f"{node.respondents:>3}{flag}"
        )
    overall = result.overall
    lines += [
        "-" * len(header),
        f"{'Overall':<52} {_fmt(overall.score, 2):>5}  {overall.level or '-':<12} "
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
    return "-" if value is None else f"{value:.{digits}f}"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"
