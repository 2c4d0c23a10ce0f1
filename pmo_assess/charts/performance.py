"""The RAG trend chart: projects in flight by status per as-of date, as a figure in the report's
style and as a PNG for a notebook."""

from __future__ import annotations

import io
import textwrap
from typing import TYPE_CHECKING

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from pmo_assess.charts.style import DEFAULT_BRAND, MUTED, STATUS, new_figure, report_style
from pmo_assess.importers.project_fields import RAG

if TYPE_CHECKING:
    from IPython.display import Image


def rag_trend_figure(trend: pd.DataFrame, brand: str | None = None, subtitle: str = "") -> Figure:
    """Stacked bars of green, amber and red projects per as-of date, in the report's style;
    ``subtitle`` says whose figures they are (e.g. "Sample data, not Acme's")."""
    with report_style(brand or DEFAULT_BRAND):
        figure = new_figure(2.8 + 0.25 * len(textwrap.wrap(subtitle, 60)))
        axes = figure.add_subplot()
        title = "Projects in flight by RAG status, per as-of date"
        # a long subtitle (a client's name, a file's) wraps rather than running off the figure
        axes.set_title("\n".join([title, *textwrap.wrap(subtitle, 60)]))
        if trend.empty:
            axes.text(0.5, 0.5, "No project snapshots yet", ha="center", color=MUTED)
            axes.set_axis_off()
            return figure
        labels = [f"{d.day} {d:%b %Y}" for d in trend.index]
        bottom = [0] * len(labels)
        for colour in RAG:
            counts = trend[colour].tolist()
            axes.bar(labels, counts, bottom=bottom, color=STATUS[colour], label=colour.title())
            bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_ylabel("Projects")
        axes.grid(axis="x", visible=False)
        handles, labels = axes.get_legend_handles_labels()  # listed top down, as stacked
        axes.legend(handles[::-1], labels[::-1], loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return figure


def rag_trend_image(trend: pd.DataFrame, brand: str | None = None, subtitle: str = "") -> Image:
    """The RAG trend chart as a PNG for a notebook, where a figure made outside pyplot (as the
    report's charts are) would show only as its text description."""
    from IPython.display import Image

    buffer = io.BytesIO()
    rag_trend_figure(trend, brand, subtitle).savefig(buffer, format="png", dpi=150)
    return Image(data=buffer.getvalue(), format="png")
