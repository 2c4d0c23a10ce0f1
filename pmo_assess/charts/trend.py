"""Scores across waves as small multiples: overall first, then each top-level dimension."""

from __future__ import annotations

import math
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from pmo_assess.charts.parts import Results, add_note, dimensions, fmt, missing, scale_of, short
from pmo_assess.charts.style import (
    MUTED,
    NOTE_SIZE,
    SMALL_SIZE,
    TARGET,
    current_style,
    new_figure,
    styled,
)
from pmo_assess.model.questionnaire import Questionnaire

COLUMNS = 4


def trend_panels(results: Results) -> list[dict[str, Any]]:
    """One panel per series: title, scores per wave (None where unscored) and target."""
    trend = results["trend"]
    overall_target = (results.get("progress") or {}).get("overall", {}).get("target")
    panels = [
        {
            "id": "overall",
            "title": "Overall",
            "scores": [t["overall"] for t in trend],
            "target": overall_target,
        }
    ]
    for d in dimensions(results):
        scores = [t["dimensions"].get(d["id"]) for t in trend]
        if missing(d):  # this wave's score rests on too little evidence: leave it out
            scores[-1] = None
        panels.append({"id": d["id"], "title": d["title"], "scores": scores, "target": d["target"]})
    return panels


def change(scores: list[float | None]) -> float | None:
    """Last known score minus first known score; None with fewer than two."""
    known = [s for s in scores if s is not None]
    return known[-1] - known[0] if len(known) > 1 else None


def signed(delta: float | None) -> str:
    """A change with one decimal and a true minus sign; ``±0.0`` when it rounds to nothing.

    >>> signed(0.31), signed(-0.24), signed(-0.03), signed(None)
    ('+0.3', '−0.2', '±0.0', '–')
    """
    if delta is None:
        return "–"
    return "±0.0" if round(delta, 1) == 0 else f"{delta:+.1f}".replace("-", "−")


@styled
def trend_chart(results: Results, questionnaire: Questionnaire | None = None) -> Figure | None:
    """Scores per wave, one small panel per dimension; None with fewer than two waves.

    >>> trend_chart({"trend": [{"wave": "2026-Q1", "overall": 2.5, "dimensions": {}}]}) is None
    True
    """
    if len(results["trend"]) < 2:
        return None
    scale, panels = scale_of(questionnaire), trend_panels(results)
    waves = [t["wave"] for t in results["trend"]]
    rows = math.ceil(len(panels) / COLUMNS)
    fig = new_figure(0.7 + 1.35 * rows)
    axes = fig.subplots(rows, COLUMNS, sharex=True, sharey=True, squeeze=False).ravel()
    for ax, panel in zip(axes, panels, strict=False):
        _panel(ax, panel, waves, scale.low, scale.high)
    for ax in axes[len(panels) :]:
        ax.set_visible(False)
    for ax in axes:
        ax.tick_params(labelbottom=True)
    add_note(fig, _trend_note(results, scale.low))
    return fig


def _panel(ax: Axes, panel: dict[str, Any], waves: list[str], low: float, high: float) -> None:
    brand = current_style().brand
    xs = list(range(len(waves)))
    ys = [math.nan if s is None else s for s in panel["scores"]]
    if panel["target"] is not None:
        ax.axhline(panel["target"], color=TARGET, lw=0.9, ls=(0, (3, 2)), zorder=1)
    ax.plot(xs, ys, color=brand, lw=2, marker="o", ms=4, zorder=3)
    target = panel["target"]
    for x, y in zip(xs, ys, strict=True):
        if not math.isnan(y) and x in (0, len(xs) - 1):
            below = target is not None and 0 <= target - y < 0.6  # keep clear of the target line
            ax.annotate(fmt(y), (x, y), xytext=(0, -5 if below else 5), textcoords="offset points",
                        ha="center", va="top" if below else "bottom", fontsize=NOTE_SIZE)  # fmt: skip
    delta = change(panel["scores"])
    weight = "bold" if panel["id"] == "overall" else "normal"
    ax.set_title(short(panel["title"], 19), fontsize=SMALL_SIZE, fontweight=weight, loc="left")
    moved = delta is not None and round(delta, 1) != 0
    ax.set_title(signed(delta), fontsize=SMALL_SIZE, fontweight="bold", loc="right",
                 color=brand if moved else MUTED)  # fmt: skip
    ax.set_ylim(low, high)
    ax.set_yticks(range(int(low), int(high) + 1))
    ax.set_xlim(-0.35, len(waves) - 0.65)
    ax.set_xticks(xs, waves, fontsize=NOTE_SIZE)
    ax.grid(axis="x", visible=False)


def _trend_note(results: Results, low: float) -> str:
    waves = ", ".join(
        f"{w['label']} ({w['held_on']})" if w.get("held_on") else w["label"]
        for w in results["waves"]
    )
    return (
        f"Score per wave; axes start at {low:g}, the scale minimum. Dashed line: target. Top right: "
        f"change from the first to the last wave. Waves: {waves}."
    )


def trend_chart_alt(results: Results) -> str:
    """Alt text for :func:`trend_chart`; empty with fewer than two waves."""
    trend = results["trend"]
    if len(trend) < 2:
        return ""
    panels = trend_panels(results)
    overall = panels[0]
    moves = sorted((change(p["scores"]) or 0.0, p["title"]) for p in panels[1:])
    text = (
        f"Small multiples of {len(panels)} scores across {len(trend)} waves "
        f"({trend[0]['wave']} to {trend[-1]['wave']}): overall from "
        f"{fmt(overall['scores'][0])} to {fmt(overall['scores'][-1])}"
    )
    if moves:
        text += f"; largest rise {moves[-1][1]} ({signed(moves[-1][0])})"
        if round(moves[0][0], 1) < 0:
            text += f", largest fall {moves[0][1]} ({signed(moves[0][0])})"
    return text + "."
