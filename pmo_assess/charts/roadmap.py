"""The roadmap as a Gantt chart: actions as bars over the weeks, grouped by phase."""

from __future__ import annotations

from typing import Any

from matplotlib.figure import Figure

from pmo_assess.charts.parts import Results, add_note, short
from pmo_assess.charts.style import (
    GRID,
    MUTED,
    NOTE_SIZE,
    SMALL_SIZE,
    current_style,
    new_figure,
    styled,
)
from pmo_assess.insight.roadmap import PHASES
from pmo_assess.model.questionnaire import Questionnaire

MAX_BARS = 30
CHARS_ACROSS = 105  # characters of an 8 pt label across the whole time axis
PHASE_SPANS = {"quick-wins": "0–3 months", "foundation": "3–6 months", "scale": "6–12 months",
               "sustain": "12+ months"}  # fmt: skip


def gantt_items(results: Results, limit: int = MAX_BARS) -> tuple[list[dict[str, Any]], int]:
    """The first ``limit`` actions of the roadmap's listing (by phase, numbered down the list),
    and how many were left out.

    >>> items = [{"order": 2, "phase": "scale"}, {"order": 1, "phase": "quick-wins"}]
    >>> gantt_items({"roadmap": {"items": items}}, limit=1)
    ([{'order': 1, 'phase': 'quick-wins'}], 1)
    """
    rank = {phase[0]: i for i, phase in enumerate(PHASES)}
    # the roadmap lists by phase already; sorting by phase too keeps a results.json written
    # before it did (numbered by priority) from drawing a phase twice
    items = sorted(
        results["roadmap"]["items"], key=lambda i: (rank.get(i["phase"], len(rank)), i["order"])
    )
    return items[:limit], len(items) - len(items[:limit])


@styled
def roadmap_gantt(results: Results, questionnaire: Questionnaire | None = None) -> Figure | None:
    """Actions from start to end week by phase, in roadmap order; None without actions.

    >>> roadmap_gantt({"roadmap": {"items": []}}) is None
    True
    """
    items, left_out = gantt_items(results)
    if not items:
        return None
    brand = current_style().brand
    end = max(i["end_week"] for i in items) + 2
    fig = new_figure(1.3 + 0.23 * len(items))
    ax = fig.add_subplot()
    _phase_bands(ax, end, len(items))
    for y, item in enumerate(items):
        ax.barh(y, item["end_week"] - item["start_week"], left=item["start_week"], height=0.62,
                color=brand, zorder=3)  # fmt: skip
        _bar_label(ax, y, item, end)
    for edge in _group_breaks(items):
        ax.axhline(edge, color=GRID, lw=0.8, zorder=2)
    ax.set_yticks(range(len(items)), [str(i["order"]) for i in items], fontsize=SMALL_SIZE)
    ax.set_ylim(len(items) - 0.5, -0.5)
    ax.set_xlim(0, end)
    ax.set_xticks([p[2] for p in PHASES if p[2] < end])
    ax.set_xlabel("Weeks from the start of the programme")
    ax.grid(False)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    add_note(fig, _gantt_note(results, left_out))
    return fig


def _bar_label(ax: Any, y: int, item: dict[str, Any], end: float) -> None:
    """The short title beside its bar: right of it in the first half of the time axis, else left."""
    right = item["start_week"] < end / 2
    room = (end - item["end_week"]) if right else item["start_week"]
    text = short(item["title"], max(int(room / end * CHARS_ACROSS), 12), 1)
    x, ha, pad = (item["end_week"], "left", 4) if right else (item["start_week"], "right", -4)
    ax.annotate(text, (x, y), xytext=(pad, 0), textcoords="offset points", ha=ha, va="center",
                fontsize=SMALL_SIZE, zorder=4)  # fmt: skip


def _phase_bands(ax: Any, end: float, rows: int) -> None:
    for i, (phase, name, start, stop) in enumerate(PHASES):
        if start >= end:
            continue
        right = min(stop if stop is not None else end, end)
        if i % 2 == 0:
            ax.axvspan(start, right, color="#F4F4F4", zorder=0, lw=0)
        ax.text((start + right) / 2, -0.7, f"{name}\n{PHASE_SPANS.get(phase, '')}",
                ha="center", va="bottom", fontsize=NOTE_SIZE, color=MUTED,
                fontweight="bold", linespacing=1.2)  # fmt: skip


def _group_breaks(items: list[dict[str, Any]]) -> list[float]:
    return [y - 0.5 for y in range(1, len(items)) if items[y]["phase"] != items[y - 1]["phase"]]


def _gantt_note(results: Results, left_out: int) -> str:
    total = len(results["roadmap"]["items"])
    more = (
        f"+{left_out} more of {total} actions not shown (the last in the roadmap)."
        if left_out
        else ""
    )
    return f"Bars: each action from its start to its end week, numbered in roadmap order. {more}"


def roadmap_gantt_alt(results: Results) -> str:
    """Alt text for :func:`roadmap_gantt`; empty without actions."""
    items, left_out = gantt_items(results)
    if not items:
        return ""
    counts = {name: sum(1 for i in items if i["phase"] == phase) for phase, name, *_ in PHASES}
    phases = ", ".join(f"{n} {name.lower()}" for name, n in counts.items() if n)
    weeks = max(i["end_week"] for i in items)
    first = min(items, key=lambda i: i["order"])
    text = (
        f"Gantt chart of {len(items)} actions over {weeks} weeks ({phases}); "
        f"first action: {first['title']}."
    )
    return text + (f" {left_out} more actions are not shown." if left_out else "")
