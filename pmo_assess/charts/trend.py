"""Scores across waves as small multiples: overall first, then each top-level dimension."""

from __future__ import annotations

import math
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from pmo_assess.charts.parts import (
    Axis,
    Results,
    add_note,
    dimensions,
    missing,
    scale_of,
    score_axis,
    short,
    tick_text,
)
from pmo_assess.charts.style import (
    MUTED,
    NOTE_SIZE,
    SMALL_SIZE,
    TARGET,
    current_style,
    new_figure,
    styled,
)
from pmo_assess.core.rounding import number_text
from pmo_assess.model.questionnaire import Questionnaire
from pmo_assess.model.scale import ScoreScale

COLUMNS = 4
WAVE_CHARS = 9  # wave labels longer than this (or more than two waves) become W1, W2, ...


def trend_panels(results: Results) -> list[dict[str, Any]]:
    """One panel per series: title, scores per wave (None where unscored) and target."""
    trend = results["trend"]
    overall_target = ((results.get("progress") or {}).get("overall") or {}).get("target")
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


def change(scores: list[float | None], scale: ScoreScale | None = None) -> float | None:
    """Last known score minus first known score, as shown on ``scale``; None with fewer than two."""
    known = [s for s in scores if s is not None]
    if len(known) < 2:
        return None
    return scale.change(known[0], known[-1]) if scale else known[-1] - known[0]


def signed(delta: float | None, precision: int = 1) -> str:
    """A change with a true minus sign; ``±0.0`` when it rounds to nothing (halves up).

    >>> signed(0.31), signed(-0.24), signed(-0.03), signed(None), signed(12.5, 0)
    ('+0.3', '−0.2', '±0.0', '–', '+13')
    """
    if delta is None:
        return "–"
    text = number_text(abs(delta), precision)
    if float(text) == 0:
        return f"±{text}"
    return ("+" if delta > 0 else "−") + text


def wave_ticks(results: Results) -> list[str]:
    """The waves as the panels label them: their labels when two short ones, else W1, W2, ..."""
    waves = [t["wave"] for t in results["trend"]]
    if len(waves) <= 2 and max(len(w) for w in waves) <= WAVE_CHARS:
        return waves
    return [f"W{i + 1}" for i in range(len(waves))]


@styled
def trend_chart(results: Results, questionnaire: Questionnaire | None = None) -> Figure | None:
    """Scores per wave, one small panel per dimension; None with fewer than two waves.

    >>> trend_chart({"trend": [{"wave": "2026-Q1", "overall": 2.5, "dimensions": {}}]}) is None
    True
    """
    if len(results["trend"]) < 2:
        return None
    axis, panels = score_axis(scale_of(results)), trend_panels(results)
    if len(panels) == 2:  # one dimension: the overall score is the same series
        panels = panels[1:]
    columns = min(COLUMNS, len(panels))
    rows = math.ceil(len(panels) / columns)
    fig = new_figure(0.7 + 1.35 * rows)
    axes = fig.subplots(rows, columns, sharex=True, sharey=True, squeeze=False).ravel()
    for ax, panel in zip(axes, panels, strict=False):
        _panel(ax, panel, wave_ticks(results), axis)
    for ax in axes[len(panels) :]:
        ax.set_visible(False)
    for ax in axes:
        ax.tick_params(labelbottom=True)
    add_note(fig, _trend_note(results, axis))
    return fig


def _panel(ax: Axes, panel: dict[str, Any], waves: list[str], axis: Axis) -> None:
    brand = current_style().brand
    xs = list(range(len(waves)))
    ys = [math.nan if s is None else s for s in panel["scores"]]
    target = panel["target"]
    if target is not None:
        ax.axhline(target, color=TARGET, lw=0.9, ls=(0, (3, 2)), zorder=1)
    ax.plot(xs, ys, color=brand, lw=2, marker="o", ms=4, zorder=3)
    known = [x for x, y in zip(xs, ys, strict=True) if not math.isnan(y)]
    near = 0.15 * (axis.high - axis.low)  # a label this close above the target line goes below
    for x in {known[0], known[-1]} if known else set():
        below = target is not None and 0 <= target - ys[x] < near
        ax.annotate(axis.text(ys[x]), (x, ys[x]), xytext=(0, -5 if below else 5), ha="center",
                    textcoords="offset points", va="top" if below else "bottom",
                    fontsize=NOTE_SIZE)  # fmt: skip
    if not known:
        ax.text(0.5, 0.5, "no score", transform=ax.transAxes, ha="center", va="center",
                fontsize=NOTE_SIZE, color=MUTED, style="italic")  # fmt: skip
    delta = change(panel["scores"], axis.scale)
    weight = "bold" if panel["id"] == "overall" else "normal"
    ax.set_title(short(panel["title"], 19), fontsize=SMALL_SIZE, fontweight=weight, loc="left")
    moved = delta is not None and delta != 0
    ax.set_title(signed(delta, axis.scale.precision), fontsize=SMALL_SIZE, fontweight="bold",
                 loc="right", color=brand if moved else MUTED)  # fmt: skip
    ax.set_ylim(axis.low, axis.high)
    ax.set_yticks(axis.ticks, [tick_text(t) for t in axis.ticks])
    ax.set_xlim(-0.35, len(waves) - 0.65)
    ax.set_xticks(xs, waves, fontsize=NOTE_SIZE)
    ax.grid(axis="x", visible=False)


def _trend_note(results: Results, axis: Axis) -> str:
    shown = wave_ticks(results)
    waves = ", ".join(
        (f"{tick} {w['label']}" if tick != w["label"] else w["label"])
        + (f" ({w['held_on']})" if w.get("held_on") else "")
        for tick, w in zip(shown, _trend_waves(results), strict=True)
    )
    levels = axis.levels_text()
    return (
        f"Score per wave; axes start at {tick_text(axis.low)}, the scale minimum"
        + (f" (levels: {levels})" if levels else "")
        + ". Dashed line: target. Top right: change from the first to the last wave. "
        f"Waves: {waves}."
    )


def _trend_waves(results: Results) -> list[dict[str, Any]]:
    """The waves of the trend, with their dates where the results know them."""
    dates = {w["label"]: w.get("held_on") for w in results.get("waves") or []}
    return [{"label": t["wave"], "held_on": dates.get(t["wave"])} for t in results["trend"]]


def trend_chart_alt(results: Results) -> str:
    """Alt text for :func:`trend_chart`; empty with fewer than two waves."""
    trend = results["trend"]
    if len(trend) < 2:
        return ""
    scale, panels = scale_of(results), trend_panels(results)
    overall = panels[0]
    moves = sorted((change(p["scores"], scale) or 0.0, p["title"]) for p in panels[1:])
    text = (
        f"Small multiples of {len(panels)} scores across {len(trend)} waves "
        f"({trend[0]['wave']} to {trend[-1]['wave']}): overall from "
        f"{scale.text(overall['scores'][0])} to {scale.text(overall['scores'][-1])}"
    )
    said = []
    if moves and moves[-1][0] > 0:
        said.append(f"largest rise {moves[-1][1]} ({signed(moves[-1][0], scale.precision)})")
    if moves and moves[0][0] < 0:
        said.append(f"largest fall {moves[0][1]} ({signed(moves[0][0], scale.precision)})")
    return text + "".join(f"; {s}" for s in said) + "."
