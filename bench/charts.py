"""Benchmark: the report's eight charts for one demo client, each drawn and saved as a 200-dpi PNG.

Prints every chart's time (median and best of ``--reps`` runs, after one warm-up run; CPU time of
this process, which other work on a shared machine disturbs less than wall time) as the report
draws it: inside ``report_style`` with a brand colour, then ``figure_png_data_uri``. The two
charts seaborn draws (the question heatmap and the role comparison) are also timed against the
same picture drawn with Matplotlib alone (a patch and a label per cell; one ``scatter`` per role),
interleaved run by run in the same process so a busy machine slows both alike. It also prints
what importing seaborn adds to a process that has already built the results (and so imported
pandas), as a report kernel has. Target: neither seaborn chart more than 10% slower than its
Matplotlib-only equivalent. Run: ``.venv/bin/python bench/charts.py [--reps N]``.
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from pmo_assess import load_questionnaire
from pmo_assess.charts.exhibits import CHARTS, heatmap_chart, role_gap_chart
from pmo_assess.charts.heatmap import _heatmap_note, question_rows, text_colour
from pmo_assess.charts.parts import (
    add_note,
    answer_axis,
    dimensions,
    right_label,
    role_name,
    row_figure,
    scale_of,
    score_axis,
    short,
)
from pmo_assess.charts.spread import _role_n, _role_note, role_rows, scored_roles
from pmo_assess.charts.style import (
    CATEGORY_COLOURS,
    CATEGORY_MARKERS,
    MISSING,
    MISSING_EDGE,
    MUTED,
    NOTE_SIZE,
    PEER_LIGHT,
    SEQUENTIAL_CMAP,
    SMALL_SIZE,
    figure_png_data_uri,
    new_figure,
    report_style,
)
from pmo_assess.engagement.demo import build_demo_workspace
from pmo_assess.insight.results import build_results
from pmo_assess.store.repository import Store

CLIENT = "quellbach-prazision"  # two waves, an available benchmark, a roadmap: all eight charts
BRAND = "#1F4E79"
DPI = 200  # the report's
WITH_QUESTIONNAIRE = {"heatmap", "agreement"}  # as the report draws them
TARGET = 1.10


def matplotlib_heatmap(results: Any, questionnaire: Any = None) -> Figure:
    """The question heatmap with Matplotlib alone: a patch and a label per cell, on the answers'
    axis of ``results["scale"]``. Draws the product's picture for rows of up to 12 questions (the
    demo's); the product's variants for narrower cells (smaller values, thinner gaps, every other
    question number, no values past 24 questions) are left out."""
    axis, dims = answer_axis(scale_of(results)), dimensions(results)
    rows = question_rows(results)
    width = max((len(r) for r in rows), default=1)
    fig = new_figure(1.3 + 0.34 * max(len(dims), 2))
    ax = fig.add_subplot()
    norm, cmap = Normalize(axis.low, axis.high), colormaps[SEQUENTIAL_CMAP]
    for y, row in enumerate(rows):
        for x, q in enumerate(row):
            if q["mean"] is None:
                ax.add_patch(Rectangle((x - 0.5, y - 0.5), 1, 1, facecolor=MISSING, hatch="////",
                                       edgecolor=MISSING_EDGE, linewidth=0))  # fmt: skip
                ax.add_patch(Rectangle((x - 0.5, y - 0.5), 1, 1, fill=False, edgecolor="white",
                                       lw=1.5))  # fmt: skip
                ax.text(x, y, "no data", ha="center", va="center", fontsize=NOTE_SIZE,
                        color=MUTED, bbox={"facecolor": MISSING, "edgecolor": "none", "pad": 1})  # fmt: skip
                continue
            colour = cmap(norm(q["mean"]))
            ax.add_patch(Rectangle((x - 0.5, y - 0.5), 1, 1, facecolor=colour, edgecolor="white",
                                   lw=1.5))  # fmt: skip
            ax.text(x, y, axis.text(q["mean"]), ha="center", va="center", fontsize=SMALL_SIZE,
                    color=text_colour(colour))  # fmt: skip
    ax.set_xlim(-0.5, width - 0.5)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xticks(range(width), [f"Q{i + 1}" for i in range(width)])
    ax.set_yticks(range(len(dims)), [short(d["title"], 30) for d in dims])
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    bar = fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=ax, aspect=18, pad=0.02,
                       shrink=0.6 if len(dims) > 2 else 0.95)  # fmt: skip
    bar.set_ticks(axis.ticks, labels=axis.tick_labels(" "))
    bar.ax.tick_params(length=0, labelsize=SMALL_SIZE)
    bar.outline.set_visible(False)
    add_note(fig, _heatmap_note(results, width))
    return fig


def matplotlib_roles(results: Any, questionnaire: Any = None) -> Figure:
    """The role comparison with Matplotlib alone: one ``scatter`` and legend entry per role."""
    axis, rows, roles = score_axis(scale_of(results)), role_rows(results), scored_roles(results)
    fig, ax = row_figure([short(r["title"], 30) for r in rows], axis, extra_height=1.4)
    for y, row in enumerate(rows):
        known = [s for s in row["scores"].values() if s is not None]
        if len(known) > 1:
            ax.plot([min(known), max(known)], [y, y], color=PEER_LIGHT, lw=4, zorder=1,
                    solid_capstyle="round")  # fmt: skip
        spread = row["spread"]
        right_label(ax, y, f"spread {axis.text(spread)}" if spread is not None
                    else "one role" if known else "no score")  # fmt: skip
    for i, role in enumerate(roles):
        ys = [y for y, row in enumerate(rows) if row["scores"].get(role) is not None]
        xs = [rows[y]["scores"][role] for y in ys]
        ax.scatter(xs, ys, s=34, color=CATEGORY_COLOURS[i % 5], marker=CATEGORY_MARKERS[i % 5],
                   zorder=3 + i, label=f"{role_name(results, role)} (n = {_role_n(results, role)})",
                   edgecolor="white", linewidth=0.5)  # fmt: skip
    if rows[0]["dimension"] == "overall":
        ax.get_yticklabels()[0].set_fontweight("bold")
    columns = min(len(roles), 3)
    handles, labels = ax.get_legend_handles_labels()
    across = sorted(range(len(handles)), key=lambda i: (i % columns, i // columns))
    fig.legend([handles[i] for i in across], [labels[i] for i in across], ncol=columns,
               loc="outside upper center", handletextpad=0.2, columnspacing=1.2)  # fmt: skip
    add_note(fig, _role_note(results))
    return fig


def png_ms(chart: Callable[..., Figure | None], *args: Any) -> float | None:
    """Milliseconds to draw the chart and save it as a PNG, as the report does; None: no chart."""
    start = time.process_time()  # drawing is single-threaded: CPU time is its wall time, idle
    with report_style(brand=BRAND):
        fig = chart(*args)
        if fig is None:
            return None
        figure_png_data_uri(fig, dpi=DPI)
    return (time.process_time() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=10, help="timed runs per chart (default 10)")
    reps = parser.parse_args().reps
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "workspace")
        build_demo_workspace(store, clients=4)
        results = build_results(store, CLIENT).to_dict()
    questionnaire = load_questionnaire("pmo-maturity")

    fresh = "seaborn" not in sys.modules
    start = time.perf_counter()
    importlib.import_module("seaborn")
    seaborn_ms = (time.perf_counter() - start) * 1000

    print(f"{CLIENT}: the report's charts as {DPI}-dpi PNGs, {reps} runs each after a warm-up")
    print(f"{'chart':<26} {'median ms':>10} {'best ms':>9}")
    total = 0.0
    for name, (chart, _) in CHARTS.items():
        args = (results, questionnaire) if name in WITH_QUESTIONNAIRE else (results,)
        if png_ms(chart, *args) is None:
            print(f"{name:<26} {'not drawn':>10}")
            continue
        times = [png_ms(chart, *args) or 0.0 for _ in range(reps)]
        total += statistics.median(times)
        print(f"{name:<26} {statistics.median(times):10.1f} {min(times):9.1f}")
    print(f"{'all eight (sum of medians)':<26} {total:10.1f}")

    print()
    print("seaborn against the same chart drawn with Matplotlib alone (interleaved runs):")
    print(f"{'chart':<26} {'seaborn ms':>10} {'mpl-only ms':>12} {'ratio':>6}   target <= {TARGET}")
    pairs = [
        ("heatmap", heatmap_chart, matplotlib_heatmap, (results, questionnaire)),
        ("roles", role_gap_chart, matplotlib_roles, (results,)),
    ]
    for name, seaborn_chart, baseline, args in pairs:
        if png_ms(seaborn_chart, *args) is None:  # also the warm-up
            print(f"{name:<26} {'not drawn':>10}")
            continue
        png_ms(baseline, *args)  # warm-up
        ours, theirs = [], []
        for _ in range(reps):
            ours.append(png_ms(seaborn_chart, *args) or 0.0)
            theirs.append(png_ms(baseline, *args) or 0.0)
        mine, base = statistics.median(ours), statistics.median(theirs)
        verdict = "met" if mine <= TARGET * base else "MISSED"
        print(f"{name:<26} {mine:10.1f} {base:12.1f} {mine / base:6.2f}   {verdict}")

    state = "" if fresh else " (already imported before the measurement)"
    print(
        f"\nimport seaborn after the results were built (pandas loaded): {seaborn_ms:.0f} ms{state}"
    )


if __name__ == "__main__":
    main()
