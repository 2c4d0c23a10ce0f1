"""The report's charts: each takes the results dict of one client and wave
(:meth:`pmo_assess.insight.results.ClientResults.to_dict`), optionally the questionnaire (for the scale's
level names), and returns a Matplotlib Figure, or None when there is nothing honest to draw.
Each has a companion ``*_alt(results)`` giving its alt text with the key numbers.

Draw inside :func:`report_style` to use the client's brand colour, then render with
:func:`figure_svg` (inline SVG) or :func:`figure_png_data_uri`:

>>> from pmo_assess.charts.exhibits import CHARTS, figure_svg, report_style
>>> sorted(CHARTS)[:3]
['agreement', 'gap', 'heatmap']
>>> results = {"roadmap": {"items": []}}
>>> with report_style(brand="#1F4E79"):
...     roadmap_gantt(results) is None
True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from matplotlib.figure import Figure

from pmo_assess.charts.heatmap import heatmap_chart, heatmap_chart_alt
from pmo_assess.charts.parts import Results
from pmo_assess.charts.peers import peer_distribution_chart, peer_distribution_chart_alt
from pmo_assess.charts.roadmap import roadmap_gantt, roadmap_gantt_alt
from pmo_assess.charts.scores import gap_chart, gap_chart_alt, radar_chart, radar_chart_alt
from pmo_assess.charts.spread import (
    agreement_chart,
    agreement_chart_alt,
    role_gap_chart,
    role_gap_chart_alt,
)
from pmo_assess.charts.style import figure_png_data_uri, figure_svg, report_style
from pmo_assess.charts.trend import trend_chart, trend_chart_alt
from pmo_assess.core.errors import PmoAssessError

ChartFunction = Callable[..., Figure | None]
AltFunction = Callable[[Results], str]

#: Every chart by name, in report order, with its alt-text function.
CHARTS: dict[str, tuple[ChartFunction, AltFunction]] = {
    "radar": (radar_chart, radar_chart_alt),
    "gap": (gap_chart, gap_chart_alt),
    "heatmap": (heatmap_chart, heatmap_chart_alt),
    "agreement": (agreement_chart, agreement_chart_alt),
    "roles": (role_gap_chart, role_gap_chart_alt),
    "peers": (peer_distribution_chart, peer_distribution_chart_alt),
    "trend": (trend_chart, trend_chart_alt),
    "roadmap": (roadmap_gantt, roadmap_gantt_alt),
}

__all__ = [
    "CHARTS",
    "agreement_chart",
    "agreement_chart_alt",
    "figure_png_data_uri",
    "figure_svg",
    "gap_chart",
    "gap_chart_alt",
    "heatmap_chart",
    "heatmap_chart_alt",
    "peer_distribution_chart",
    "peer_distribution_chart_alt",
    "radar_chart",
    "radar_chart_alt",
    "render_svg",
    "report_style",
    "roadmap_gantt",
    "roadmap_gantt_alt",
    "role_gap_chart",
    "role_gap_chart_alt",
    "trend_chart",
    "trend_chart_alt",
]


def render_svg(name: str, results: Results, **options: Any) -> tuple[str, str] | None:
    """One chart of :data:`CHARTS` as inline SVG (with its alt text as ``<title>``) and the alt
    text; None when the chart has nothing to draw.

    >>> render_svg("trend", {"trend": []}) is None
    True
    >>> render_svg("pie", {})
    Traceback (most recent call last):
    ...
    pmo_assess.core.errors.PmoAssessError: Unknown chart 'pie'. Charts: radar, gap, heatmap, agreement, roles, peers, trend, roadmap.
    """
    if name not in CHARTS:
        raise PmoAssessError(f"Unknown chart '{name}'. Charts: {', '.join(CHARTS)}.")
    chart, alt = CHARTS[name]
    fig = chart(results, **options)
    if fig is None:
        return None
    text = alt(results)
    return figure_svg(fig, title=text), text
