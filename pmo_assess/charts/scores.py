"""Charts of the client's scores per dimension: the profile against target and peers (radar) and
the gaps to target in priority order (dumbbell).

A radar needs three spokes to enclose anything: with one or two top-level dimensions it is not
drawn (None), and the dumbbell beside it in the report shows the same scores and targets as dots
on a straight axis, which reads better for so few."""

from __future__ import annotations

import math
from typing import Any, cast

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.projections.polar import PolarAxes

from pmo_assess.charts.parts import (
    Axis,
    Results,
    add_note,
    count,
    dimensions,
    insufficient_band,
    missing,
    missing_note,
    missing_reason,
    n_text,
    right_label,
    row_figure,
    scale_of,
    score_axis,
    short,
    tick_text,
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

RADAR_MIN_SPOKES = 3


def peer_medians(results: Results) -> dict[str, float]:
    """Peer medians per dimension id; empty unless the benchmark may be shown."""
    benchmark = results.get("benchmark") or {}
    if not benchmark.get("available"):
        return {}
    found = (benchmark.get("dimensions") or {}).items()
    return {k: v["median"] for k, v in found if v is not None and v.get("median") is not None}


def radar_drawn(results: Results) -> bool:
    """Whether the radar has something to show: three or more dimensions, one of them scored."""
    dims = dimensions(results)
    return len(dims) >= RADAR_MIN_SPOKES and not all(missing(d) for d in dims)


@styled
def radar_chart(results: Results, questionnaire: Questionnaire | None = None) -> Figure | None:
    """The client's score per top-level dimension against its target and the peer median; None
    with fewer than three dimensions or none scored."""
    if not radar_drawn(results):
        return None
    axis, dims, brand = score_axis(scale_of(results)), dimensions(results), current_style().brand
    peers = peer_medians(results)
    theta = np.linspace(0, 2 * math.pi, len(dims), endpoint=False)
    fig = new_figure(5.4)
    ax = cast(PolarAxes, fig.add_subplot(projection="polar"))
    ax.set_theta_offset(math.pi / 2)
    ax.set_theta_direction(-1)
    ax.set_ylim(axis.low, axis.high)
    rings = [(t, n) for t, n in zip(axis.ticks, axis.names, strict=True) if t > axis.low]
    ax.set_yticks([t for t, _ in rings], [])
    ax.set_xticks(theta, [])
    ax.spines["polar"].set_color(PEER)

    def ring(values: list[float | None]) -> np.ndarray:
        closed = [math.nan if v is None else v for v in [*values, values[0]]]
        return np.array(closed, dtype=float)

    angles = np.append(theta, theta[0])
    if peers:
        ax.plot(angles, ring([peers.get(d["id"]) for d in dims]), color=PEER, lw=1.4)
    if _has_targets(dims):
        ax.plot(angles, ring([d["target"] for d in dims]), color=TARGET, lw=1.1, ls=(0, (4, 2)))
    own = ring([None if missing(d) else d["score"] for d in dims])
    ax.plot(angles, own, color=brand, lw=2.2, marker="o", ms=4, zorder=4)
    if not np.isnan(own).any():
        ax.fill(angles, own, color=brand, alpha=0.10, zorder=3)
    width = 2 * math.pi / len(dims) * 0.7
    for angle, d in zip(theta, dims, strict=True):
        if missing(d):
            ax.bar(angle, axis.high - axis.low, width, axis.low, color=MISSING, hatch="////",
                   edgecolor=MISSING_EDGE, linewidth=0)  # fmt: skip
        _spoke_label(ax, angle, d, axis)
    for value, _name in rings:  # numbers only: names would cross the lines; the note has them
        ax.text(math.pi / len(dims), value, tick_text(value), fontsize=NOTE_SIZE, color=MUTED,
                ha="center", va="center", bbox={"facecolor": "white", "edgecolor": "none",
                "pad": 0.6, "alpha": 0.8})  # fmt: skip
    ax.legend(handles=_radar_handles(results, brand, bool(peers)), loc="upper center",
              bbox_to_anchor=(0.5, -0.12), ncol=3, handlelength=2.4)  # fmt: skip
    add_note(fig, _radar_note(results, axis, peers))
    return fig


def _has_targets(dims: list[dict[str, Any]]) -> bool:
    return any(d.get("target") is not None for d in dims)


def _spoke_label(ax: Any, angle: float, d: dict[str, Any], axis: Axis) -> None:
    side = math.sin(angle)
    ha = "center" if abs(side) < 0.2 else ("left" if side > 0 else "right")
    va = "bottom" if math.cos(angle) > 0.5 else ("top" if math.cos(angle) < -0.5 else "center")
    value = missing_reason(d).lower() if missing(d) else axis.text(d["score"])
    radius = axis.high + 0.07 * (axis.high - axis.low)
    ax.text(angle, radius, f"{short(d['title'], 22)}\n{value}", ha=ha, va=va,
            fontsize=SMALL_SIZE, linespacing=1.15)  # fmt: skip


def _radar_handles(results: Results, brand: str, with_peers: bool) -> list[Line2D]:
    handles = [Line2D([], [], color=brand, lw=2.2, marker="o", ms=4, label=client_label(results))]
    if _has_targets(dimensions(results)):
        handles.append(Line2D([], [], color=TARGET, lw=1.1, ls=(0, (4, 2)), label="Target"))
    if with_peers:
        n = results["benchmark"]["n"]
        handles.append(Line2D([], [], color=PEER, lw=1.4, label=f"Peer median (n = {n})"))
    return handles


def client_label(results: Results) -> str:
    """``Acme, 2026-Q1``: the client and the wave, for a legend."""
    return short(f"{results['client']['name']}, {results['wave']['label']}", 44, 1)


def _radar_note(results: Results, axis: Axis, peers: dict[str, float]) -> str:
    counts = n_text(d["respondents"] for d in dimensions(results))
    levels = axis.levels_text()
    text = (
        f"Centre = {tick_text(axis.low)}, the scale minimum"
        + (f"; rings mark the levels ({levels})" if levels else "")
        + f". Client scores: {counts} per dimension."
    )
    if not _has_targets(dimensions(results)):
        text += " No targets were set."
    if any(missing(d) for d in dimensions(results)):
        text += f" {missing_note(dimensions(results))}"
    if peers:
        b = results["benchmark"]
        kind = "synthetic benchmark" if b["benchmark"].get("synthetic") else "benchmark"
        text += f" Peers: {b['label']}, {kind}."
    return text


def radar_chart_alt(results: Results) -> str:
    """Alt text for :func:`radar_chart`: the range of scores, the targets missed, the peers;
    empty when there is no radar."""
    if not radar_drawn(results):
        return ""
    scale = scale_of(results)
    dims = [d for d in dimensions(results) if not missing(d)]
    low = min(dims, key=lambda d: d["score"])
    high = max(dims, key=lambda d: d["score"])
    text = (
        f"Radar chart of {len(dimensions(results))} dimensions: scores range from "
        f"{scale.text(low['score'])} ({low['title']}) to {scale.text(high['score'])} "
        f"({high['title']})"
    )
    with_target = [d for d in dims if d.get("target") is not None]
    if with_target:
        below = sum(1 for d in with_target if scale.below(d["score"], d["target"]))
        text += f"; {below} of {len(with_target)} scored dimensions with a target are below it."
    else:
        text += "; no targets were set."
    peers = peer_medians(results)
    if peers:
        above = sum(
            1
            for d in dims
            if d["id"] in peers and scale.shown(d["score"]) > scale.shown(peers[d["id"]])
        )
        text += f" {above} are above the peer median (n = {results['benchmark']['n']})."
    return text


def gap_rows(results: Results) -> list[dict[str, Any]]:
    """The dimensions as the gap chart lists them: by priority when targets are set, else by
    score, lowest first (unscored last)."""
    gaps = list(results["gaps"])
    if any(g["target"] is not None for g in gaps):
        return gaps
    return sorted(gaps, key=lambda g: (g["score"] is None, g["score"] or 0.0, g["title"]))


@styled
def gap_chart(results: Results, questionnaire: Questionnaire | None = None) -> Figure | None:
    """Score and target per top-level dimension as a dumbbell, highest priority on top; None
    when no dimension is scored."""
    if all(missing(d) for d in dimensions(results)):
        return None
    axis, brand = score_axis(scale_of(results)), current_style().brand
    gaps = gap_rows(results)
    targets = any(g["target"] is not None for g in gaps)
    known = {d["id"]: d for d in dimensions(results)}
    fig, ax = row_figure([short(g["title"], 30) for g in gaps], axis)
    for y, g in enumerate(gaps):
        score = None if missing(known.get(g["dimension"], g)) else g["score"]
        if score is None:
            insufficient_band(ax, y, axis, missing_reason(known.get(g["dimension"], g)))
        if g["target"] is not None:
            ax.scatter(g["target"], y, s=70, facecolor="white", edgecolor=TARGET, lw=1.3, zorder=4)
        if score is not None:
            if g["target"] is not None and g["target"] > score:
                ax.plot([score, g["target"]], [y, y], color=brand, alpha=0.35, lw=3, zorder=2)
            ax.scatter(score, y, s=55, color=brand, zorder=5)
        _value_labels(ax, y, score, g["target"], axis)
        if targets:
            right_label(ax, y, _gap_text(g, score, axis))
    add_note(fig, _gap_note(results, targets))
    return fig


def _value_labels(ax: Any, y: float, score: float | None, target: float | None, axis: Axis) -> None:
    marks = sorted(
        [(v, kind) for v, kind in ((score, "score"), (target, "target")) if v is not None],
        key=lambda m: (m[0], m[1] == "score"),
    )
    for (value, kind), (offset, ha) in zip(marks, [(-7, "right"), (7, "left")], strict=False):
        colour = MUTED if kind == "target" else None
        ax.annotate(axis.text(value), (value, y), xytext=(offset, 0), textcoords="offset points",
                    ha=ha, va="center", fontsize=SMALL_SIZE, color=colour)  # fmt: skip


def _gap_text(gap: dict[str, Any], score: float | None, axis: Axis) -> str:
    if score is None:
        return "no score"
    if gap["target"] is None:
        return "no target"
    return f"gap {axis.text(gap['gap'])}" if gap["gap"] else "target met"


def _gap_note(results: Results, targets: bool) -> str:
    dims = dimensions(results)
    counts = n_text(d["respondents"] for d in dims)
    text = (
        f"Filled dot: score, the mean over {counts}. Open ring: target. "
        "Ordered by priority: gap × importance × weight."
        if targets
        else f"Dot: score, the mean over {counts}. No targets were set; ordered by score, "
        "lowest first."
    )
    return f"{text} {missing_note(dims)}".strip()


def gap_chart_alt(results: Results) -> str:
    """Alt text for :func:`gap_chart`: the top priorities with score, target and gap; empty
    when there is no chart."""
    if all(missing(d) for d in dimensions(results)):
        return ""
    scale, rows = scale_of(results), gap_rows(results)
    unscored = {d["id"] for d in dimensions(results) if missing(d)}
    scored = [g for g in rows if g["dimension"] not in unscored and g["score"] is not None]
    if not any(g["target"] is not None for g in rows):
        return (
            f"Dot plot of {count(len(rows), 'dimension score')}, no targets set: lowest "
            f"{scored[0]['title']} at {scale.text(scored[0]['score'])}, highest "
            f"{scored[-1]['title']} at {scale.text(scored[-1]['score'])}.{_unscored_text(results)}"
        )
    gaps = [g for g in scored if g["gap"]]
    met = sum(1 for g in scored if g["gap"] == 0)
    top = "; ".join(
        f"{g['title']} scores {scale.text(g['score'])} against a target of "
        f"{scale.text(g['target'])} (gap {scale.text(g['gap'])})"
        for g in gaps[:3]
    )
    lead = f"Dot plot of {count(len(rows), 'dimension')} ordered by priority"
    text = f"{lead}: {top or 'no dimension is below its target'}. {met} meet their target."
    return text + _unscored_text(results)


def _unscored_text(results: Results) -> str:
    """`` Insufficient evidence: A, B. Out of scope: C.`` for the dimensions drawn without a score."""
    found: dict[str, list[str]] = {}
    for d in dimensions(results):
        if missing(d):
            found.setdefault(missing_reason(d), []).append(d["title"])
    return "".join(f" {reason}: {', '.join(titles)}." for reason, titles in found.items())
