"""The data of the deck's native charts, read from the results contract.

Each function takes the results dict of one client and wave and returns a :class:`ChartData`
(categories and named series) or None when the report draws no such chart (the same rules as
:mod:`pmo_assess.charts.exhibits`, whose row selection and order they reuse). Values are the
contract's own, unrounded, so PowerPoint's "Edit Data" shows what ``results.json`` holds; the
chart's number format shows them at the questionnaire's precision (Office rounds halves away
from zero, which for scores, never negative, is the report's halves-up rule).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pptx.enum.chart import XL_CHART_TYPE

from pmo_assess.charts.parts import dimensions, missing, role_name, scale_of
from pmo_assess.charts.peers import peer_rows
from pmo_assess.charts.roadmap import MAX_BARS, gantt_items
from pmo_assess.charts.scores import client_label, gap_rows, peer_medians, radar_drawn
from pmo_assess.charts.spread import role_rows, scored_roles
from pmo_assess.charts.trend import trend_panels
from pmo_assess.report.text.facts import below_target, biggest_moves

#: Beyond this many dimensions the trend shows the overall score and the dimensions the title
#: names (the largest rise and fall); the table in the notes has every one.
TREND_ALL_UP_TO = 4


@dataclass(frozen=True)
class Series:
    """One series: its name (the legend), values (None where there is no value) and what it
    stands for, which sets its colour: ``client`` (the brand colour), ``target`` (dashed),
    ``peer`` (grey), ``other`` (the theme's colours) or ``hidden`` (no fill: a Gantt's offset)."""

    name: str
    values: tuple[float | None, ...]
    role: str = "other"


@dataclass(frozen=True)
class ChartData:
    """A native chart: its type, categories, series and value axis."""

    kind: str
    chart_type: XL_CHART_TYPE
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    number_format: str
    axis: tuple[float | None, float | None] = (None, None)
    major_unit: float | None = None
    reverse: bool = False  # bars: the first category on top, as the report lists them
    legend: bool = True


def number_format(results: dict[str, Any]) -> str:
    """The Office number format of a score at the questionnaire's precision.

    >>> number_format({"scale": {"low": 1, "high": 5, "precision": 1, "levels": [],
    ...     "answer_low": 1, "answer_high": 5}})
    '0.0'
    """
    precision = scale_of(results).precision
    return "0." + "0" * precision if precision else "0"


def _score_axis(results: dict[str, Any]) -> dict[str, Any]:
    scale = scale_of(results)
    return {"axis": (scale.low, scale.high), "major_unit": scale.level_step()}


def radar_chart(results: dict[str, Any]) -> ChartData | None:
    """The client's score per top-level dimension, the target and the peer median."""
    if not radar_drawn(results):
        return None
    dims = dimensions(results)
    series = [
        Series(
            client_label(results).replace("\n", " "),
            tuple(None if missing(d) else d["score"] for d in dims),
            "client",
        )
    ]
    if any(d["target"] is not None for d in dims):
        series.append(Series("Target", tuple(d["target"] for d in dims), "target"))
    peers = peer_medians(results)
    if peers:
        name = f"Peer median (n = {results['benchmark']['n']})"
        series.append(Series(name, tuple(peers.get(d["id"]) for d in dims), "peer"))
    return ChartData(
        "radar",
        XL_CHART_TYPE.RADAR_MARKERS,
        tuple(d["title"] for d in dims),
        tuple(series),
        number_format(results),
        **_score_axis(results),
    )


def gap_chart(results: dict[str, Any]) -> ChartData | None:
    """Each dimension's gap to target, highest priority first; None when none falls short."""
    if not below_target(results):
        return None
    rows = [g for g in gap_rows(results) if g["target"] is not None]
    return ChartData(
        "gap",
        XL_CHART_TYPE.BAR_CLUSTERED,
        tuple(g["title"] for g in rows),
        (Series("Gap to target", tuple(g["gap"] for g in rows), "client"),),
        number_format(results),
        axis=(0.0, None),
        reverse=True,
        legend=False,
    )


def roles_chart(results: dict[str, Any]) -> ChartData | None:
    """Each role's score per dimension (overall first, widest spread next); None with fewer
    than two roles scored."""
    roles = scored_roles(results)
    if len(roles) < 2:
        return None
    rows = role_rows(results)
    return ChartData(
        "roles",
        XL_CHART_TYPE.BAR_CLUSTERED,
        tuple(r["title"] for r in rows),
        tuple(
            Series(role_name(results, role), tuple(r["scores"].get(role) for r in rows))
            for role in roles
        ),
        number_format(results),
        reverse=True,
        **_score_axis(results),
    )


def peers_chart(results: dict[str, Any]) -> ChartData | None:
    """The client's score and the peer median, overall and per dimension; None when no peer
    comparison may be shown."""
    rows = peer_rows(results)
    if not rows:
        return None
    n = results["benchmark"]["n"]
    return ChartData(
        "peers",
        XL_CHART_TYPE.BAR_CLUSTERED,
        tuple(r["title"] for r in rows),
        (
            Series(
                client_label(results).replace("\n", " "), tuple(r["score"] for r in rows), "client"
            ),
            Series(f"Peer median (n = {n})", tuple(r["median"] for r in rows), "peer"),
        ),
        number_format(results),
        reverse=True,
        **_score_axis(results),
    )


def trend_chart(results: dict[str, Any]) -> ChartData | None:
    """Scores per wave: overall and the dimensions (only those that moved most when there are
    many); None with fewer than two waves."""
    if len(results["trend"]) < 2:
        return None
    panels = trend_panels(results)
    if len(panels) - 1 > TREND_ALL_UP_TO:
        named = {m["dimension"] for m in biggest_moves(results) if m}
        panels = [p for p in panels if p["id"] == "overall" or p["id"] in named]
    return ChartData(
        "trend",
        XL_CHART_TYPE.LINE_MARKERS,
        tuple(t["wave"] for t in results["trend"]),
        tuple(
            Series(p["title"], tuple(p["scores"]), "client" if p["id"] == "overall" else "other")
            for p in panels
        ),
        number_format(results),
        **_score_axis(results),
    )


def roadmap_chart(results: dict[str, Any], limit: int = MAX_BARS) -> ChartData | None:
    """The roadmap's actions as a Gantt: a stacked bar of each action's start week (hidden)
    and its duration, numbered in roadmap order; None without actions."""
    items, _ = gantt_items(results, limit)
    if not items:
        return None
    return ChartData(
        "roadmap",
        XL_CHART_TYPE.BAR_STACKED,
        tuple(f"{i['order']}. {i['title']}" for i in items),
        (
            Series("Start (week)", tuple(float(i["start_week"]) for i in items), "hidden"),
            Series(
                "Duration (weeks)",
                tuple(float(i["end_week"] - i["start_week"]) for i in items),
                "client",
            ),
        ),
        "0",
        axis=(0.0, None),
        reverse=True,
        legend=False,
    )


#: Every native chart by the exhibit kind it stands for.
NATIVE: dict[str, Callable[[dict[str, Any]], ChartData | None]] = {
    "radar": radar_chart,
    "gap": gap_chart,
    "roles": roles_chart,
    "peers": peers_chart,
    "trend": trend_chart,
    "roadmap": roadmap_chart,
}
