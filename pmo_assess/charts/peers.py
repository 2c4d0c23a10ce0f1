"""The client among its peers: per dimension the peers' middle half, their median and the client.

Nothing is drawn when the benchmark comparison is not available (a peer group smaller than the
minimum must never be shown)."""

from __future__ import annotations

from typing import Any

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from pmo_assess.charts.parts import (
    Results,
    add_note,
    count,
    dimensions,
    missing,
    missing_reason,
    right_label,
    row_figure,
    scale_of,
    score_axis,
    short,
)
from pmo_assess.charts.style import MUTED, NOTE_SIZE, PEER, PEER_LIGHT, current_style, styled
from pmo_assess.core.rounding import number_text, round_half_up
from pmo_assess.model.questionnaire import Questionnaire


def peer_rows(results: Results) -> list[dict[str, Any]]:
    """Overall first, then each dimension the peers scored, the client's best position first;
    empty when the benchmark may not be shown."""
    benchmark = results.get("benchmark") or {}
    if not benchmark.get("available"):
        return []
    dims = {d["id"]: d for d in dimensions(results)}
    found = [
        {"id": key, "title": dims[key]["title"] if key in dims else key, **position}
        | (
            {"score": None, "percentile": None, "reason": missing_reason(dims[key])}
            if key in dims and missing(dims[key])
            else {}
        )
        for key, position in (benchmark.get("dimensions") or {}).items()
        if position is not None
    ]
    found.sort(key=lambda r: -(r["percentile"] if r["percentile"] is not None else -1.0))
    overall = benchmark.get("overall")
    return ([{"id": "overall", "title": "Overall", **overall}] if overall else []) + found


@styled
def peer_distribution_chart(
    results: Results, questionnaire: Questionnaire | None = None
) -> Figure | None:
    """Peers' quartiles (box), median (line) and the client (dot) per dimension; None when the
    benchmark is not available.

    >>> peer_distribution_chart({"benchmark": {"available": False}}) is None
    True
    """
    rows = peer_rows(results)
    if not rows:
        return None
    axis, brand = score_axis(scale_of(results)), current_style().brand
    fig, ax = row_figure([short(r["title"], 30) for r in rows], axis)
    for y, row in enumerate(rows):
        ax.add_patch(Rectangle((row["q1"], y - 0.28), row["q3"] - row["q1"], 0.56,
                               facecolor=PEER_LIGHT, edgecolor="none", zorder=1))  # fmt: skip
        ax.plot([row["median"]] * 2, [y - 0.28, y + 0.28], color=PEER, lw=2, zorder=2)
        if row["score"] is None:
            right_label(ax, y, f"no score · n = {row['n']}")
            ax.text(axis.low + 0.01 * (axis.high - axis.low), y, f"Client: {row.get('reason', 'no score').lower()}",
                    va="center", fontsize=NOTE_SIZE, color=MUTED, style="italic")  # fmt: skip
            continue
        ax.scatter(row["score"], y, s=50, color=brand, zorder=4, edgecolor="white", lw=0.6)
        ax.annotate(axis.text(row["score"]), (row["score"], y), xytext=(0, 6.5), ha="center",
                    textcoords="offset points", va="bottom", fontsize=NOTE_SIZE)  # fmt: skip
        right_label(ax, y, f"{percentile_text(row['percentile'])} · n = {row['n']}")
    ax.get_yticklabels()[0].set_fontweight("bold")
    add_note(fig, _peer_note(results))
    return fig


def percentile_text(percentile: float | None) -> str:
    """``P65``: the client's percentile among peers, halves up; ``P –`` without one.

    >>> percentile_text(64.5), percentile_text(None)
    ('P65', 'P –')
    """
    return f"P{number_text(percentile, 0, ' –')}"


def _peer_note(results: Results) -> str:
    b = results["benchmark"]
    kind = "synthetic benchmark" if b["benchmark"].get("synthetic") else "benchmark"
    return (
        "Grey box: the middle half of peers (25th to 75th percentile); grey line: peer median; "
        "dot: the client. P: the client's percentile among peers; n: peers with a score. "
        f"Peer group: {b['label']}, {b['n']} organisations, {kind} ({b['benchmark']['title']})."
        + _not_compared(results)
    )


def _not_compared(results: Results) -> str:
    b = results["benchmark"]
    absent = [d["title"] for d in dimensions(results) if b["dimensions"].get(d["id"]) is None]
    if not absent:
        return ""
    return f" Not compared (fewer than {b['min_peers']} peers scored it): {', '.join(absent)}."


def ordinal(n: float) -> str:
    """``1st``, ``2nd``, ``65th``, ``11th``.

    >>> ordinal(1), ordinal(22), ordinal(13), ordinal(65.0)
    ('1st', '22nd', '13th', '65th')
    """
    k = int(n)
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"


def peer_distribution_chart_alt(results: Results) -> str:
    """Alt text for :func:`peer_distribution_chart`; empty when there is no chart."""
    rows = peer_rows(results)
    if not rows:
        return ""
    b = results["benchmark"]
    kind = "synthetic " if b["benchmark"].get("synthetic") else ""
    head, scale = rows[0], scale_of(results)
    said = (
        f"the client scores {scale.text(head['score'])}"
        if head["score"] is not None
        else f"the client has no score ({head.get('reason', 'no score').lower()})"
    )
    text = (
        f"Peer comparison of {count(len(rows), 'score')} against {b['n']} {kind}peer organisations "
        f"({b['label']}): {head['title'].lower()} {said} "
        f"against a peer median of {scale.text(head['median'])}"
    )
    if head["percentile"] is not None:
        text += f" ({ordinal(round_half_up(head['percentile'], 0))} percentile)"
    scored = [r for r in rows[1:] if r["percentile"] is not None]
    if scored:
        text += f"; highest position: {scored[0]['title']}; lowest: {scored[-1]['title']}"
    return text + "."
