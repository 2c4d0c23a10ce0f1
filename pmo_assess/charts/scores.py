"""Charts of the client's scores per dimension: the profile against target and peers (radar) and
the gaps to target in priority order (dumbbell)."""

from __future__ import annotations

import math
from typing import Any, cast

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.projections.polar import PolarAxes

from pmo_assess.charts.parts import (
    MISSING_NOTE,
    Results,
    add_note,
    dimensions,
    fmt,
    insufficient_band,
    missing,
    n_text,
    right_label,
    row_figure,
    scale_of,
    short,
)
from pmo_assess.charts.style import (
    MISSING,
    MISSING_EDGE,
    MUTED,
    NOTE_SIZE,
    PEER,
    SMALL_SIZE,
    TARGET,
    current_style,
    new_figure,
    styled,
)
from pmo_assess.model.questionnaire import Questionnaire


def peer_medians(results: Results) -> dict[str, float]:
    """Peer medians per dimension id; empty unless the benchmark may be shown."""
    benchmark = results.get("benchmark") or {}
    if not benchmark.get("available"):
        return {}
    found = (benchmark.get("dimensions") or {}).items()
    return {k: v["median"] for k, v in found if v is not None}


@styled
def radar_chart(results: Results, questionnaire: Questionnaire | None = None) -> Figure:
    """The client's score per top-level dimension against its target and the peer median."""
    scale, dims, brand = scale_of(questionnaire), dimensions(results), current_style().brand
    peers = peer_medians(results)
    theta = np.linspace(0, 2 * math.pi, len(dims), endpoint=False)
    fig = new_figure(5.4)
    ax = cast(PolarAxes, fig.add_subplot(projection="polar"))
    ax.set_theta_offset(math.pi / 2)
    ax.set_theta_direction(-1)
    ax.set_ylim(scale.low, scale.high)
    ax.set_yticks(np.arange(scale.low + 1, scale.high + 1), [])
    ax.set_xticks(theta, [])
    ax.spines["polar"].set_color(PEER)

    def ring(values: list[float | None]) -> np.ndarray:
        closed = [math.nan if v is None else v for v in [*values, values[0]]]
        return np.array(closed, dtype=float)

    angles = np.append(theta, theta[0])
    if peers:
        ax.plot(angles, ring([peers.get(d["id"]) for d in dims]), color=PEER, lw=1.4)
    ax.plot(angles, ring([d["target"] for d in dims]), color=TARGET, lw=1.1, ls=(0, (4, 2)))
    own = ring([None if missing(d) else d["score"] for d in dims])
    ax.plot(angles, own, color=brand, lw=2.2, marker="o", ms=4, zorder=4)
    if not np.isnan(own).any():
        ax.fill(angles, own, color=brand, alpha=0.10, zorder=3)
    width = 2 * math.pi / len(dims) * 0.7
    for angle, d in zip(theta, dims, strict=True):
        if missing(d):
            ax.bar(angle, scale.high - scale.low, width, scale.low, color=MISSING, hatch="////",
                   edgecolor=MISSING_EDGE, linewidth=0)  # fmt: skip
        _spoke_label(ax, angle, d, scale.high)
    for level in np.arange(scale.low + 1, scale.high + 1):
        ax.text(math.pi / len(dims), level, f"{level:g}", fontsize=NOTE_SIZE, color=MUTED,
                ha="center", va="center", bbox={"facecolor": "white", "edgecolor": "none",
                "pad": 0.6, "alpha": 0.8})  # fmt: skip
    ax.legend(handles=_radar_handles(results, brand, bool(peers)), loc="upper center",
              bbox_to_anchor=(0.5, -0.12), ncol=3, handlelength=2.4)  # fmt: skip
    add_note(fig, _radar_note(results, scale.low, peers))
    return fig


def _spoke_label(ax: Any, angle: float, d: dict[str, Any], radius: float) -> None:
    side = math.sin(angle)
    ha = "center" if abs(side) < 0.2 else ("left" if side > 0 else "right")
    va = "bottom" if math.cos(angle) > 0.5 else ("top" if math.cos(angle) < -0.5 else "center")
    value = "insufficient evidence" if missing(d) else fmt(d["score"])
    ax.text(angle, radius * 1.07, f"{short(d['title'], 22)}\n{value}", ha=ha, va=va,
            fontsize=SMALL_SIZE, linespacing=1.15)  # fmt: skip


def _radar_handles(results: Results, brand: str, with_peers: bool) -> list[Line2D]:
    handles = [
        Line2D([], [], color=brand, lw=2.2, marker="o", ms=4, label=_client_label(results)),
        Line2D([], [], color=TARGET, lw=1.1, ls=(0, (4, 2)), label="Target"),
    ]
    if with_peers:
        n = results["benchmark"]["n"]
        handles.append(Line2D([], [], color=PEER, lw=1.4, label=f"Peer median (n = {n})"))
    return handles


def _client_label(results: Results) -> str:
    return f"{results['client']['name']}, {results['wave']['label']}"


def _radar_note(results: Results, low: float, peers: dict[str, float]) -> str:
    counts = n_text(d["respondents"] for d in dimensions(results))
    text = f"Centre = {low:g}, the scale minimum. Client scores: {counts} per dimension."
    if any(missing(d) for d in dimensions(results)):
        text += f" {MISSING_NOTE}"
    if peers:
        b = results["benchmark"]
        kind = "synthetic benchmark" if b["benchmark"].get("synthetic") else "benchmark"
        text += f" Peers: {b['label']}, {kind}."
    return text


def radar_chart_alt(results: Results) -> str:
    """Alt text for :func:`radar_chart`: the range of scores, the targets missed, the peers."""
    dims = [d for d in dimensions(results) if not missing(d)]
    if not dims:
        return "Radar chart: no dimension has enough evidence for a score."
    low = min(dims, key=lambda d: d["score"])
    high = max(dims, key=lambda d: d["score"])
    below = sum(1 for d in dims if d["gap"])
    text = (
        f"Radar chart of {len(dimensions(results))} dimensions: scores range from "
        f"{fmt(low['score'])} ({low['title']}) to {fmt(high['score'])} ({high['title']}); "
        f"{below} of {len(dims)} scored dimensions are below target."
    )
    peers = peer_medians(results)
    if peers:
        above = sum(1 for d in dims if d["id"] in peers and d["score"] > peers[d["id"]])
        text += f" {above} are above the peer median (n = {results['benchmark']['n']})."
    return text


@styled
def gap_chart(results: Results, questionnaire: Questionnaire | None = None) -> Figure:
    """Score and target per top-level dimension as a dumbbell, highest priority on top."""
    scale, brand = scale_of(questionnaire), current_style().brand
    gaps = list(results["gaps"])
    known = {d["id"]: d for d in dimensions(results)}
    fig, ax = row_figure([short(g["title"], 30) for g in gaps], scale)
    for y, g in enumerate(gaps):
        score = None if missing(known.get(g["dimension"], g)) else g["score"]
        if score is None:
            insufficient_band(ax, y, scale)
        if g["target"] is not None:
            ax.scatter(g["target"], y, s=70, facecolor="white", edgecolor=TARGET, lw=1.3, zorder=4)
        if score is not None:
            if g["target"] is not None and g["target"] > score:
                ax.plot([score, g["target"]], [y, y], color=brand, alpha=0.35, lw=3, zorder=2)
            ax.scatter(score, y, s=55, color=brand, zorder=5)
        _value_labels(ax, y, score, g["target"])
        right_label(ax, y, _gap_text(g, score))
    ax.set_xlim(scale.low, scale.high + 0.05)
    add_note(fig, _gap_note(results))
    return fig


def _value_labels(ax: Any, y: float, score: float | None, target: float | None) -> None:
    marks = sorted(
        [(v, kind) for v, kind in ((score, "score"), (target, "target")) if v is not None],
        key=lambda m: (m[0], m[1] == "score"),
    )
    for (value, kind), (offset, ha) in zip(marks, [(-7, "right"), (7, "left")], strict=False):
        colour = MUTED if kind == "target" else None
        ax.annotate(fmt(value), (value, y), xytext=(offset, 0), textcoords="offset points",
                    ha=ha, va="center", fontsize=SMALL_SIZE, color=colour)  # fmt: skip


def _gap_text(gap: dict[str, Any], score: float | None) -> str:
    if score is None:
        return "no score"
    if gap["target"] is None:
        return "no target"
    return f"gap {gap['gap']:.1f}" if gap["gap"] else "target met"


def _gap_note(results: Results) -> str:
    dims = dimensions(results)
    counts = n_text(d["respondents"] for d in dims)
    text = (
        f"Filled dot: score, the mean over {counts}. Open ring: target. "
        "Ordered by priority: gap × importance × weight."
    )
    return text + (f" {MISSING_NOTE}" if any(missing(d) for d in dims) else "")


def gap_chart_alt(results: Results) -> str:
    """Alt text for :func:`gap_chart`: the top priorities with score, target and gap."""
    gaps = [g for g in results["gaps"] if g["gap"]]
    met = sum(1 for g in results["gaps"] if g["gap"] == 0)
    top = "; ".join(
        f"{g['title']} scores {fmt(g['score'])} against a target of {fmt(g['target'])} "
        f"(gap {g['gap']:.1f})"
        for g in gaps[:3]
    )
    lead = f"Dot plot of {len(results['gaps'])} dimensions ordered by priority"
    text = f"{lead}: {top or 'no dimension is below its target'}. {met} meet their target."
    unscored = [d["title"] for d in dimensions(results) if missing(d)]
    return text + (f" Insufficient evidence: {', '.join(unscored)}." if unscored else "")
