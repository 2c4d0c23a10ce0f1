"""The report's charts: each takes the results dict of one client and wave
(:meth:`pmo_assess.insight.results.ClientResults.to_dict`), optionally the questionnaire (for the
words of its questions and its disagreement threshold), and returns a Matplotlib Figure, or None
when there is nothing honest to draw. The results' ``scale`` sets every axis, its ticks (at the
level starts, with the level names) and every number shown, by the report's one rounding rule.
Each has a companion ``*_alt(results)`` giving its alt text with the key numbers, empty when the
chart is None.

None, by chart: the radar with fewer than three top-level dimensions or none scored (the gap
chart shows the same scores and targets as dots); the gap chart with no dimension scored; the
heatmap with no question answered; the agreement chart when no question's answers differ (one
respondent, or everyone agreeing); the role chart with fewer than two roles scored (one role, or
no roles recorded); the peer chart without an available benchmark; the trend with one wave; the
roadmap without actions.

Draw inside :func:`report_style` to use the client's brand colour, then render with
:func:`figure_png_data_uri`:

>>> from pmo_assess.charts.exhibits import CHARTS, report_style
>>> sorted(CHARTS)[:3]
['agreement', 'gap', 'heatmap']
>>> results = {"roadmap": {"items": []}}
>>> with report_style(brand="#1F4E79"):
...     roadmap_gantt(results) is None
True
"""

from __future__ import annotations

from collections.abc import Callable

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
from pmo_assess.charts.style import figure_png_data_uri, report_style
from pmo_assess.charts.trend import trend_chart, trend_chart_alt

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
    "gap_chart",
    "gap_chart_alt",
    "heatmap_chart",
    "heatmap_chart_alt",
    "peer_distribution_chart",
    "peer_distribution_chart_alt",
    "radar_chart",
    "radar_chart_alt",
    "report_style",
    "roadmap_gantt",
    "roadmap_gantt_alt",
    "role_gap_chart",
    "role_gap_chart_alt",
    "trend_chart",
    "trend_chart_alt",
]
