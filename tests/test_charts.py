"""Charts: what each draws (or refuses to draw), the house style, and stable PNG output."""

from __future__ import annotations

import base64
import copy
import subprocess
import sys
from typing import Any

import matplotlib as mpl
import pytest
from matplotlib.collections import PathCollection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from pmo_assess import load_questionnaire
from pmo_assess.charts.exhibits import (
    CHARTS,
    gap_chart,
    gap_chart_alt,
    heatmap_chart_alt,
    peer_distribution_chart,
    peer_distribution_chart_alt,
    radar_chart,
    radar_chart_alt,
    roadmap_gantt,
    roadmap_gantt_alt,
    role_gap_chart_alt,
    trend_chart,
    trend_chart_alt,
)
from pmo_assess.charts.style import PEER, figure_png_data_uri, report_style
from pmo_assess.core.rounding import number_text
from pmo_assess.engagement.demo import build_demo_workspace
from pmo_assess.insight.results import build_results
from pmo_assess.store.repository import Store

BRAND = "#7a1f5c"  # not the default, so a chart that ignores the brand fails


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = Store.open(tmp_path_factory.mktemp("charts") / "workspace")
    build_demo_workspace(store, clients=4)
    return store


@pytest.fixture(scope="module")
def results(store: Store) -> dict[str, Any]:
    """Two waves, an available benchmark, 30 roadmap actions."""
    return build_results(store, "quellbach-prazision").to_dict()


@pytest.fixture(scope="module")
def questionnaire() -> Any:
    return load_questionnaire("pmo-maturity")


def draw(name: str, results: dict[str, Any], questionnaire: Any = None) -> Figure | None:
    with report_style(brand=BRAND):
        return CHARTS[name][0](results, questionnaire)


def without_benchmark(results: dict[str, Any]) -> dict[str, Any]:
    changed = copy.deepcopy(results)
    changed["benchmark"]["available"] = False
    return changed


def with_insufficient(results: dict[str, Any], dimension: str) -> dict[str, Any]:
    """The results as if ``dimension`` had too little evidence (its score kept, as the engine does)."""
    changed = copy.deepcopy(results)
    for d in changed["assessment"]["dimensions"]:
        if d["id"] == dimension:
            d["insufficient"] = True
    return changed


def colours(fig: Figure) -> set[str]:
    """Every line, marker and patch colour drawn in the figure, as lower-case hex."""
    found: set[str] = set()
    for ax in fig.axes:
        found |= {to_hex(line.get_color()) for line in ax.get_lines()}
        for collection in ax.collections:
            found |= {to_hex(c) for c in collection.get_facecolors()}
        found |= {to_hex(p.get_facecolor()) for p in ax.patches}
    return found


@pytest.mark.parametrize("name", list(CHARTS))
def test_every_chart_draws_a_column_wide_figure(name, results, questionnaire):
    fig = draw(name, results, questionnaire)
    assert isinstance(fig, Figure)
    assert fig.get_size_inches()[0] == pytest.approx(6.3)


# The role chart shows only the client, role by role, in category colours.
@pytest.mark.parametrize("name", [n for n in CHARTS if n != "roles"])
def test_the_client_is_drawn_in_the_brand_colour(name, results, questionnaire):
    assert BRAND in colours(draw(name, results, questionnaire))


@pytest.mark.parametrize("name", list(CHARTS))
def test_every_chart_renders_the_same_png_every_time(name, results, questionnaire):
    first = figure_png_data_uri(draw(name, results, questionnaire))
    assert first.startswith("data:image/png;base64,")
    assert figure_png_data_uri(draw(name, results, questionnaire)) == first


@pytest.mark.parametrize("name", ["gap", "agreement", "roles", "peers"])
def test_score_axes_start_at_the_scale_minimum_and_say_so(name, results, questionnaire):
    ax = draw(name, results, questionnaire).axes[0]
    assert ax.get_xlim()[0] == 1
    assert "axis starts at 1" in ax.get_xlabel()


def test_radar_and_trend_start_at_the_scale_minimum(results):
    assert draw("radar", results).axes[0].get_ylim()[0] == 1
    assert all(ax.get_ylim()[0] == 1 for ax in draw("trend", results).axes if ax.get_visible())


def test_charts_use_the_report_font(results):
    fig = draw("gap", results)
    assert fig.axes[0].get_yticklabels()[0].get_fontfamily()[0] == "Lato"


def test_trend_is_none_with_a_single_wave(store):
    first_wave = build_results(store, "quellbach-prazision", wave="2025-Q4").to_dict()
    assert len(first_wave["trend"]) == 1
    assert trend_chart(first_wave) is None
    assert trend_chart_alt(first_wave) == ""


@pytest.mark.parametrize("benchmark", ["unavailable", "absent"])
def test_peers_are_never_drawn_without_an_available_benchmark(benchmark, results):
    changed = (
        without_benchmark(results) if benchmark == "unavailable" else results | {"benchmark": None}
    )
    assert peer_distribution_chart(changed) is None
    assert peer_distribution_chart_alt(changed) == ""
    radar = radar_chart(changed)
    assert to_hex(PEER) not in {to_hex(line.get_color()) for line in radar.axes[0].get_lines()}
    assert "Peer" not in " ".join(t.get_text() for t in radar.axes[0].get_legend().get_texts())


def test_radar_draws_the_peer_median_when_available(results):
    radar = radar_chart(results)
    assert to_hex(PEER) in {to_hex(line.get_color()) for line in radar.axes[0].get_lines()}
    assert f"Peer median (n = {results['benchmark']['n']})" in [
        t.get_text() for t in radar.axes[0].get_legend().get_texts()
    ]


def test_roadmap_is_none_without_actions(store):
    larkspur = build_results(store, "larkspur-mutual-assurance").to_dict()
    assert larkspur["roadmap"]["items"] == []
    assert roadmap_gantt(larkspur) is None
    assert roadmap_gantt_alt(larkspur) == ""


def test_roadmap_caps_the_bars_and_says_how_many_more(store):
    hollowmere = build_results(store, "hollowmere-county-council").to_dict()
    total = len(hollowmere["roadmap"]["items"])
    assert total > 30
    fig = roadmap_gantt(hollowmere)
    assert len(fig.axes[0].patches) - _phase_patches(fig) == 30
    assert f"+{total - 30} more of {total} actions" in fig.get_supxlabel()
    assert f"{total - 30} more actions are not shown" in roadmap_gantt_alt(hollowmere)


def _phase_patches(fig: Figure) -> int:
    return sum(1 for p in fig.axes[0].patches if to_hex(p.get_facecolor()) == "#f4f4f4")


def test_insufficient_evidence_is_hatched_not_a_low_score(results):
    changed = with_insufficient(results, "reporting")
    ax = draw("gap", changed).axes[0]
    row = [g["dimension"] for g in changed["gaps"]].index("reporting")
    hatched = [c for c in ax.collections if c.get_hatch()]
    assert len(hatched) == 1
    dots = [c for c in ax.collections if isinstance(c, PathCollection) and not c.get_hatch()]
    brand_rows = {
        round(float(y))
        for c in dots
        for (_, y), face in zip(c.get_offsets(), c.get_facecolors(), strict=False)
        if to_hex(face) == BRAND
    }
    assert row not in brand_rows
    assert "Insufficient evidence" in [t.get_text() for t in ax.texts]
    assert "Insufficient evidence: Status and Risk Reporting" in gap_chart_alt(changed)
    assert "insufficient evidence" in " ".join(
        t.get_text() for t in radar_chart(changed).axes[0].texts
    )


def test_heatmap_marks_questions_without_answers(results):
    fig = draw("heatmap", results)
    empty = sum(1 for q in results["assessment"]["questions"] if q["mean"] is None)
    assert empty >= 1
    assert sum(1 for p in fig.axes[0].patches if p.get_hatch()) == empty
    assert [t.get_text() for t in fig.axes[0].texts].count("no data") == empty


def test_gap_alt_text_states_the_top_priority_numbers(results):
    top = results["gaps"][0]
    expected = (
        f"{top['title']} scores {top['score']:.1f} against a target of {top['target']:.1f} "
        f"(gap {top['gap']:.1f})"
    )
    assert expected in gap_chart_alt(results)


def test_radar_alt_text_states_the_range_of_scores(results):
    scores = [d["score"] for d in results["assessment"]["dimensions"]]
    alt = radar_chart_alt(results)
    # Shown by the one rounding rule, halves up (2.05 is 2.1, where f"{2.05:.1f}" gives 2.0).
    assert f"scores range from {number_text(min(scores))}" in alt
    assert f"to {number_text(max(scores))}" in alt


def test_peer_and_trend_alt_texts_state_their_numbers(results):
    overall = results["benchmark"]["overall"]
    peers = peer_distribution_chart_alt(results)
    assert (
        f"scores {overall['score']:.1f} against a peer median of {overall['median']:.1f}" in peers
    )
    assert f"against {results['benchmark']['n']} synthetic peer organisations" in peers
    first, last = results["trend"][0]["overall"], results["trend"][-1]["overall"]
    assert f"overall from {first:.1f} to {last:.1f}" in trend_chart_alt(results)


def test_other_alt_texts_name_what_is_drawn(results):
    lowest = min(
        (q for q in results["assessment"]["questions"] if q["mean"] is not None),
        key=lambda q: q["mean"],
    )
    assert f"{lowest['mean']:.1f} ({lowest['id']})" in heatmap_chart_alt(results)
    assert "executives score" in role_gap_chart_alt(results)
    assert all(alt(results) for _, alt in CHARTS.values())


def test_report_style_leaves_rc_params_as_they_were(results):
    before = dict(mpl.rcParams)
    with report_style(brand=BRAND):
        assert mpl.rcParams["axes.spines.right"] is False
    gap_chart(results)  # applies the style by itself when none is active
    assert dict(mpl.rcParams) == before


def test_importing_the_charts_changes_nothing():
    # rcParams.copy() does not resolve the "backend" entry, which would import pyplot itself.
    code = (
        "import sys; import matplotlib as mpl; before = mpl.rcParams.copy(); "
        "import pmo_assess.charts.exhibits; from matplotlib import font_manager; "
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported'; "
        "assert mpl.rcParams.copy() == before, 'rcParams changed'; "
        "assert 'Lato' not in {f.name for f in font_manager.fontManager.ttflist}, 'font added'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_png_data_uri_is_200_dpi_and_stable(results):
    uri = figure_png_data_uri(draw("gap", results))
    assert uri.startswith("data:image/png;base64,")
    png = base64.b64decode(uri.split(",", 1)[1])
    assert int.from_bytes(png[16:20], "big") == 1260  # 6.3 in x 200 dpi
    assert figure_png_data_uri(draw("gap", results)) == uri
