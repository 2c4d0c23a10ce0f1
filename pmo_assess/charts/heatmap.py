"""The question-level heatmap: the mean answer to every question, one row per top-level
dimension, on the sequential cividis scale."""

from __future__ import annotations

from typing import Any

from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from pmo_assess.charts.parts import Results, add_note, dimensions, fmt, n_text, scale_of, short
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


@styled
def heatmap_chart(results: Results, questionnaire: Questionnaire | None = None) -> Figure:
    """Mean score of every question: one row per top-level dimension, one cell per question."""
    scale, dims = scale_of(questionnaire), dimensions(results)
    rows = question_rows(results)
    width = max((len(r) for r in rows), default=1)
    fig = new_figure(1.3 + 0.34 * len(dims))
    ax = fig.add_subplot()
    norm, cmap = Normalize(scale.low, scale.high), colormaps[SEQUENTIAL_CMAP]
    for y, row in enumerate(rows):
        for x, q in enumerate(row):
            _cell(ax, x, y, q["mean"], cmap, norm)
    ax.set_xlim(-0.5, width - 0.5)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xticks(range(width), [f"Q{i + 1}" for i in range(width)])
    ax.set_yticks(range(len(dims)), [short(d["title"], 30) for d in dims])
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    bar = fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.6, aspect=18, pad=0.02)
    bar.set_ticks(range(int(scale.low), int(scale.high) + 1), labels=scale.tick_labels(" "))
    bar.ax.tick_params(length=0, labelsize=SMALL_SIZE)
    bar.outline.set_visible(False)
    add_note(fig, _heatmap_note(results))
    return fig


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


def _cell(ax: Any, x: int, y: int, mean: float | None, cmap: Any, norm: Normalize) -> None:
    if mean is None:
        ax.add_patch(Rectangle((x - 0.5, y - 0.5), 1, 1, facecolor=MISSING, hatch="////",
                               edgecolor=MISSING_EDGE, linewidth=0))  # fmt: skip
        ax.add_patch(Rectangle((x - 0.5, y - 0.5), 1, 1, fill=False, edgecolor="white", lw=1.5))
        ax.text(x, y, "no data", ha="center", va="center", fontsize=NOTE_SIZE, color=MUTED,
                bbox={"facecolor": MISSING, "edgecolor": "none", "pad": 1})  # fmt: skip
        return
    colour = cmap(norm(mean))
    ax.add_patch(Rectangle((x - 0.5, y - 0.5), 1, 1, facecolor=colour, edgecolor="white", lw=1.5))
    ax.text(x, y, fmt(mean), ha="center", va="center", fontsize=SMALL_SIZE,
            color=text_colour(colour))  # fmt: skip


def text_colour(background: tuple[float, ...]) -> str:
    """Black or white, whichever contrasts more with the background (WCAG relative luminance).

    >>> text_colour((0.0, 0.13, 0.3)), text_colour((1.0, 0.9, 0.3))
    ('white', 'black')
    """
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in background[:3]]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "white" if 1.05 / (luminance + 0.05) > (luminance + 0.05) / 0.05 else "black"


def _heatmap_note(results: Results) -> str:
    counts = n_text(q["n"] for q in results["assessment"]["questions"] if q["n"])
    return (
        f"Each cell: the mean answer to one question ({counts} per question), in questionnaire "
        "order. Hatched grey: no scored answers (not applicable or out of scope)."
    )


def heatmap_chart_alt(results: Results) -> str:
    """Alt text for :func:`heatmap_chart`: lowest and highest question, and the empty cells."""
    questions = results["assessment"]["questions"]
    scored = [q for q in questions if q["mean"] is not None]
    text = f"Heatmap of {len(questions)} questions in {len(dimensions(results))} dimensions"
    if scored:
        low = min(scored, key=lambda q: q["mean"])
        high = max(scored, key=lambda q: q["mean"])
        text += (
            f": question means range from {fmt(low['mean'])} ({low['id']}) "
            f"to {fmt(high['mean'])} ({high['id']})"
        )
    empty = len(questions) - len(scored)
    return text + f"; {empty} question{'s' if empty != 1 else ''} without scored answers."
