"""The implementation plan as a Gantt chart: one bar per action of the plan, from its start week
to its end, filled by its decision status, with the roadmap's phases marked along the top.

It only draws: it reads a plan table (:func:`pmo_assess.engagement.plan.plan_table`), never the store, and
decides nothing. Like the report's charts it takes data and returns a Matplotlib Figure, or None
when there is nothing to draw, in the current chart style; the first 40 actions are shown.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from pmo_assess.charts.parts import add_note, short
from pmo_assess.charts.style import MUTED, NOTE_SIZE, STATUS, current_style, new_figure, styled
from pmo_assess.insight.roadmap import PHASES

MAX_BARS = 40


@styled
def gantt_figure(plan: pd.DataFrame) -> Figure | None:
    """The plan as bars from each action's start week to its end (its due date when set),
    coloured by status, with the roadmap's phases marked; None when the plan is empty.

    >>> from pmo_assess.engagement.plan import COLUMNS
    >>> gantt_figure(pd.DataFrame(columns=COLUMNS)) is None
    True
    """
    if plan.empty:
        return None
    rows = plan.head(MAX_BARS)
    brand = current_style().brand
    faces = {"proposed": "white", "accepted": brand, "in-progress": brand, "done": STATUS["green"]}
    fig = new_figure(1.4 + 0.24 * len(rows))
    ax = fig.add_subplot()
    for y, row in enumerate(rows.itertuples()):
        ax.barh(y, row.end_week - row.start_week, left=row.start_week, height=0.6,
                color=faces.get(row.status, brand), edgecolor=brand, lw=0.9,
                hatch="///" if row.status == "in-progress" else None, zorder=3)  # fmt: skip
    end = max(rows["end_week"].max(), 13) + 2
    _phase_marks(ax, end)
    ax.set_yticks(
        range(len(rows)), [short(f"{r.order}. {r.title}", 44, 1) for r in rows.itertuples()]
    )
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(0, end)
    first_day = rows["starts_on"].iloc[0] - timedelta(weeks=int(rows["start_week"].iloc[0]))
    ax.set_xlabel(f"Weeks from the programme's start on {first_day:%d %b %Y}")
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="y", length=0)
    fig.legend(handles=_legend(faces, brand), loc="outside upper center", ncols=len(faces))
    more = len(plan) - len(rows)
    add_note(fig, "Bars end at the due date where one is set, else at the roadmap's estimate."
             + (f" {more} later actions are not shown." if more else ""))  # fmt: skip
    return fig


def _phase_marks(ax: Any, end: float) -> None:
    for _phase, name, first_week, _stop in PHASES:
        if first_week >= end:
            continue
        ax.axvline(first_week, color=MUTED, lw=0.8, ls=(0, (3, 3)), zorder=1)
        ax.annotate(name, (first_week, 1.0), xycoords=("data", "axes fraction"),
                    xytext=(3, 2), textcoords="offset points", fontsize=NOTE_SIZE,
                    color=MUTED, va="bottom")  # fmt: skip


def _legend(faces: dict[str, str], brand: str) -> list[Patch]:
    hatches = {"in-progress": "///"}
    return [
        Patch(facecolor=f, edgecolor=brand, hatch=hatches.get(s), label=s) for s, f in faces.items()
    ]
