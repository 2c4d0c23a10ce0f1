"""The question-level heatmap: the mean answer to every question, one row per top-level
dimension, on the sequential cividis scale over the answers' range (0 to 1 on SAMM's answers,
whose stream scores run 0 to 3). seaborn draws the cells, their values and the colour bar;
questions without scored answers are hatched over the gaps it leaves."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from pmo_assess.charts.parts import (
    Results,
    add_note,
    answer_axis,
    count,
    dimensions,
    n_text,
    scale_of,
    short,
    tick_text,
)
from pmo_assess.charts.style import (
    MISSING,
    MISSING_EDGE,
    MUTED,
    NOTE_SIZE,
    SEQUENTIAL_CMAP,
    SMALL_SIZE,
    new_figure,
    styled,
)
from pmo_assess.model.questionnaire import Questionnaire

CELLS_ANNOTATED = 24  # more questions in a row than this: colour only, the values too small to read


@styled
def heatmap_chart(results: Results, questionnaire: Questionnaire | None = None) -> Figure | None:
    """Mean answer to every question: one row per top-level dimension, one cell per question, on
    the answers' range; None when no question has a scored answer."""
    import seaborn as sns  # imports pyplot: only when drawing (see charts.style)

    if not any(q["mean"] is not None for q in results["assessment"]["questions"]):
        return None
    axis, dims = answer_axis(scale_of(results)), dimensions(results)
    rows = question_rows(results)
    width = max((len(r) for r in rows), default=1)
    means = np.full((len(rows), width), np.nan)  # NaN: no scored answers, or no such question
    for y, row in enumerate(rows):
        means[y, : len(row)] = [np.nan if q["mean"] is None else q["mean"] for q in row]
    values = np.vectorize(lambda v: "" if np.isnan(v) else axis.text(v), otypes=[object])(means)
    fig = new_figure(1.3 + 0.34 * max(len(dims), 2))
    ax = fig.add_subplot()
    sns.heatmap(
        means,
        ax=ax,
        vmin=axis.low,
        vmax=axis.high,
        cmap=SEQUENTIAL_CMAP,
        annot=values if width <= CELLS_ANNOTATED else False,
        fmt="",
        annot_kws={"fontsize": _value_size(width)},
        linewidths=1.5 if width <= 12 else 0.8,
        linecolor="white",
        # Labels set below: seaborn's own would be measured for overlap, one renderer per label
        # (about a tenth of the chart's time), only to be turned upright again.
        xticklabels=False,
        yticklabels=False,
        cbar_kws={"shrink": 0.6 if len(dims) > 2 else 0.95, "aspect": 18, "pad": 0.02},
    )
    step = 1 if width <= 15 else 2  # every other question number when they would crowd
    ax.set_xticks(np.arange(0, width, step) + 0.5, [f"Q{i + 1}" for i in range(0, width, step)])
    ax.set_yticks(np.arange(len(dims)) + 0.5, [short(d["title"], 30) for d in dims])
    _contrast_values(ax, means, Normalize(axis.low, axis.high))
    for y, row in enumerate(rows):
        for x, q in enumerate(row):
            if q["mean"] is None:
                _no_data(ax, x, y, width)
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    ax.grid(False)  # the house grid would show through the white gaps between cells
    bar = ax.collections[0].colorbar
    assert bar is not None  # seaborn adds one unless told cbar=False
    bar.set_ticks(axis.ticks, labels=axis.tick_labels(" "))
    bar.ax.tick_params(length=0, labelsize=SMALL_SIZE)
    bar.outline.set_visible(False)
    add_note(fig, _heatmap_note(results, width))
    return fig


def _value_size(width: int) -> float:
    """The size of the values in the cells: smaller as the cells narrow."""
    return SMALL_SIZE if width <= 12 else NOTE_SIZE - (0.5 if width <= 16 else 1.5)


def question_rows(results: Results) -> list[list[dict[str, Any]]]:
    """The questions under each top-level dimension, in questionnaire order."""
    top_of = {}
    for top in dimensions(results):
        stack = [top]
        while stack:
            node = stack.pop()
            top_of[node["id"]] = top["id"]
            stack.extend(node.get("children") or [])
    rows: dict[str, list[dict[str, Any]]] = {d["id"]: [] for d in dimensions(results)}
    for q in results["assessment"]["questions"]:
        rows[top_of[q["dimension"]]].append(q)
    return list(rows.values())


def _contrast_values(ax: Axes, means: np.ndarray, norm: Normalize) -> None:
    """Each cell's value in black or white by WCAG contrast; seaborn's own rule puts white on
    cividis' middle greys, where black reads better."""
    cmap = colormaps[SEQUENTIAL_CMAP]
    for label in ax.texts:  # seaborn's values, one at the centre of each drawn cell
        x, y = label.get_position()
        label.set_color(text_colour(cmap(norm(means[int(y), int(x)]))))


def _no_data(ax: Axes, x: int, y: int, width: int) -> None:
    """A hatched grey cell: the question has no scored answers (seaborn leaves a gap there)."""
    ax.add_patch(Rectangle((x, y), 1, 1, facecolor=MISSING, hatch="////", edgecolor=MISSING_EDGE,
                           linewidth=0))  # fmt: skip
    ax.add_patch(Rectangle((x, y), 1, 1, fill=False, edgecolor="white", lw=1.5))
    if width > 12:  # too narrow for words: the hatching and the note say it
        return
    ax.text(x + 0.5, y + 0.5, "no data", ha="center", va="center", fontsize=NOTE_SIZE,
            color=MUTED, bbox={"facecolor": MISSING, "edgecolor": "none", "pad": 1})  # fmt: skip


def text_colour(background: tuple[float, ...]) -> str:
    """Black or white, whichever contrasts more with the background (WCAG relative luminance).

    >>> text_colour((0.0, 0.13, 0.3)), text_colour((1.0, 0.9, 0.3))
    ('white', 'black')
    """
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in background[:3]]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "white" if 1.05 / (luminance + 0.05) > (luminance + 0.05) / 0.05 else "black"


def _heatmap_note(results: Results, width: int) -> str:
    counts = n_text(q["n"] for q in results["assessment"]["questions"] if q["n"])
    scale = scale_of(results)
    answers = f"{tick_text(scale.answer_low)} to {tick_text(scale.answer_high)}"
    values = "" if width <= CELLS_ANNOTATED else " Too many questions to print each mean."
    return (
        f"Each cell: the mean answer to one question ({counts} per question; answers run "
        f"from {answers}), in questionnaire order. Hatched grey: no scored answers (not "
        f"applicable or out of scope).{values}"
    )


def heatmap_chart_alt(results: Results) -> str:
    """Alt text for :func:`heatmap_chart`: lowest and highest question, and the empty cells;
    empty when there is no chart."""
    questions = results["assessment"]["questions"]
    scored = [q for q in questions if q["mean"] is not None]
    if not scored:
        return ""
    scale = scale_of(results)
    low = min(scored, key=lambda q: q["mean"])
    high = max(scored, key=lambda q: q["mean"])
    text = (
        f"Heatmap of {count(len(questions), 'question')} in "
        f"{count(len(dimensions(results)), 'dimension')}: "
        f"question means range from {scale.answer_text(low['mean'])} ({low['id']}) "
        f"to {scale.answer_text(high['mean'])} ({high['id']})"
    )
    empty = len(questions) - len(scored)
    return text + f"; {empty} question{'s' if empty != 1 else ''} without scored answers."
