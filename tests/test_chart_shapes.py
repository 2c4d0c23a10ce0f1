"""Every chart for every shape of engagement (issue 15), not only the demo's 1-to-5 questionnaire.

Each shape is a real workspace: a questionnaire written as YAML, a client, waves, respondents and
answers recorded through the store, then ``build_results``. Every chart must draw a Figure or
return None (never an empty chart), put no "None", "nan" or "{" in any text, run its axes over
the scale (scores from low to high, answers from answer_low to answer_high), tick the axes at the
levels by name, and keep its labels apart.
"""

from __future__ import annotations

import copy
import re
import shutil
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest
import yaml
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from pmo_assess.charts.exhibits import CHARTS, report_style
from pmo_assess.insight.results import build_results
from pmo_assess.model.loading import load_questionnaire
from pmo_assess.store.repository import Store

SAMM = Path(__file__).parent / "data" / "samm" / "samm_shaped.yaml"
LONG = (
    "Enterprise Portfolio Governance, Strategic Investment Prioritisation and Benefits "
    "Realisation Across Business Units"
)
ROW_CHARTS = ("gap", "roles", "peers")  # a score axis along x, one row per dimension


@dataclass(frozen=True)
class Shape:
    """One kind of engagement: its scale, tree, targets, respondents and waves."""

    values: tuple[float, ...]
    levels: tuple[tuple[float, str], ...]
    titles: tuple[str, ...]
    depth: int = 1  # levels of dimensions above the questions
    roles: tuple[str, ...] = ("executive", "pmo", "project-manager", "project-manager")
    waves: tuple[str, ...] = ("2026-Q1",)
    target: float | None = None
    not_applicable: int | None = None  # this top-level dimension is answered N/A by everyone
    thin: int | None = None  # this one gets answers to one question in four only
    expected_none: frozenset[str] = field(default_factory=frozenset)


FIVE = (
    (1.0, "Initial"),
    (2.0, "Repeatable"),
    (3.0, "Defined"),
    (4.0, "Managed"),
    (5.0, "Optimizing"),
)
SHAPES = {
    # OWASP SAMM's answers: 0 to 1, each a question's share of the teams.
    "zero-to-one": Shape(
        (0, 0.25, 0.5, 1),
        ((0.0, "Absent"), (0.25, "Emerging"), (0.5, "Established"), (0.75, "Embedded")),
        ("Threat assessment", "Secure build", "Defect management", "Incident response"),
        roles=("", "", ""),  # no roles recorded
        expected_none=frozenset({"roles", "peers", "trend", "roadmap"}),
    ),
    # A firm's four-level model, very long names, a dimension out of scope, four waves.
    "one-to-four": Shape(
        (1, 2, 3, 4),
        (
            (1.0, "Ad hoc"),
            (2.0, "Managed"),
            (3.0, "Standardised across the firm"),
            (4.0, "Optimised with continuous improvement"),
        ),
        (LONG, "Delivery", f"{LONG} (second)", "Resourcing", "Supplier management"),
        waves=("Baseline March 2025", "Interim September 2025", "2026-Q1", "Final review 2026"),
        target=3.0,
        not_applicable=3,
        expected_none=frozenset({"peers", "roadmap"}),
    ),
    # One respondent, dimensions three levels deep, on the demo's 1-to-5 scale.
    "one-respondent": Shape(
        (1, 2, 3, 4, 5),
        FIVE,
        ("Governance", "Reporting", "Resources"),
        depth=3,
        roles=("executive",),
        target=3.5,
        expected_none=frozenset({"agreement", "roles", "peers", "trend", "roadmap"}),
    ),
    # A percentage scale with levels every 20 points and a dimension with too little evidence.
    "zero-to-hundred": Shape(
        (0, 25, 50, 75, 100),
        (
            (0.0, "Initial"),
            (20.0, "Developing"),
            (40.0, "Defined"),
            (60.0, "Managed"),
            (80.0, "Leading"),
        ),
        ("Strategy", "Governance", "Processes", "Tools", "People", "Reporting"),
        waves=("2025-Q3", "2026-Q1"),
        target=60.0,
        thin=2,
        expected_none=frozenset({"peers", "roadmap"}),
    ),
    # A single dimension: no radar.
    "one-dimension": Shape(
        (1, 2, 3, 4, 5),
        FIVE,
        ("Governance",),
        waves=("2025-Q3", "2026-Q1"),
        target=3.0,
        expected_none=frozenset({"radar", "peers", "roadmap"}),
    ),
}
# SAMM's shape from tests/data: sums of 0-to-1 answers, scores 0 to 3, two business functions.
SAMM_NONE = frozenset({"radar", "peers", "roadmap"})


def questionnaire_data(name: str, shape: Shape) -> dict[str, Any]:
    """The questionnaire of a shape, as the YAML file holds it."""
    options = [{"value": v, "label": f"Answer {v:g}"} for v in shape.values]
    options += [
        {"label": "Not applicable", "not_applicable": True},
        {"label": "Don't know", "dont_know": True},
    ]
    data: dict[str, Any] = {
        "schema_version": 1,
        "id": f"shape-{name}",
        "version": "1.0",
        "title": f"Shape {name}",
        "answer_sets": {"scale": options},
        "levels": [{"min": m, "name": n} for m, n in shape.levels],
        "dimensions": [
            node(f"d{i}", title, shape.depth) for i, title in enumerate(shape.titles, start=1)
        ],
    }
    if shape.target is not None:
        data["default_target"] = shape.target
    return data


def node(slug: str, title: str, depth: int) -> dict[str, Any]:
    """A dimension with two children per level down to ``depth``, then four questions."""
    if depth > 1:
        children = [node(f"{slug}-{k}", f"{title} part {k}", depth - 1) for k in (1, 2)]
        return {"id": slug, "title": title, "dimensions": children}
    questions = [
        {"id": f"{slug}.q{k}", "text": f"Question {k} of {slug}?", "answer_set": "scale"}
        for k in range(1, 5)
    ]
    return {"id": slug, "title": title, "questions": questions}


def record_waves(store: Store, slug: str, shape: Shape, questionnaire: Any) -> None:
    """Answers for every wave: a level per dimension, respondents a step apart, rising by wave."""
    engagement = store.engagement(slug)
    tops = {q.id: top for top in questionnaire.dimensions for q in top.all_questions()}
    order = [d.id for d in questionnaire.dimensions]
    for w, label in enumerate(shape.waves):
        wave = store.ensure_wave(engagement.id, label, date(2025, 1, 1).replace(month=w * 3 + 1))
        for r, role in enumerate(shape.roles):
            person = store.add_respondent(wave.id, role)
            for i, q in enumerate(questionnaire.questions()):
                d = order.index(tops[q.id].id)
                status = answer_status(shape, d, i)
                if status != "answered":
                    store.record_answer(person.id, q.id, status=status)
                    continue
                step = (d + w + (-1, 0, 1, 0)[(r + i) % 4]) % len(shape.values)
                store.record_answer(person.id, q.id, value=float(shape.values[step]))


def answer_status(shape: Shape, dimension: int, question: int) -> str:
    if dimension + 1 == shape.not_applicable:
        return "na"
    if dimension + 1 == shape.thin and question % 4:
        return "dont_know"
    return "answered"


def samm_waves(store: Store, slug: str, questionnaire: Any) -> None:
    engagement = store.engagement(slug)
    for w, label in enumerate(("2025-Q4", "2026-Q2")):
        wave = store.ensure_wave(engagement.id, label, date(2025 + w, 6, 1))
        for r, role in enumerate(("executive", "pmo", "team-member")):
            person = store.add_respondent(wave.id, role)
            for i, q in enumerate(questionnaire.questions()):
                value = (0.0, 0.25, 0.5, 1.0)[(i + r + w) % 4 if i % 3 else min(w + r, 3)]
                store.record_answer(person.id, q.id, value=value)


@pytest.fixture(scope="module")
def shaped(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """The results of every shape (and SAMM's), by shape name."""
    workspace = tmp_path_factory.mktemp("shapes")
    folder = workspace / "questionnaires"
    folder.mkdir()
    found = {}
    with Store.open(workspace=workspace) as store:
        for name, shape in SHAPES.items():
            data = questionnaire_data(name, shape)
            path = folder / f"{data['id'].replace('-', '_')}.yaml"
            path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
            questionnaire = load_questionnaire(data["id"], search=[folder])
            store.add_client(f"Client {name}", name)
            store.start_engagement(name, questionnaire)
            record_waves(store, name, shape, questionnaire)
            found[name] = build_results(store, name).to_dict()
        shutil.copy(SAMM, folder / "samm_shaped.yaml")
        samm = load_questionnaire("samm-shaped", search=[folder])
        store.add_client("Client SAMM", "samm")
        store.start_engagement("samm", samm)
        samm_waves(store, "samm", samm)
        found["samm"] = build_results(store, "samm").to_dict()
    return found


def expected_none(name: str) -> frozenset[str]:
    return SAMM_NONE if name == "samm" else SHAPES[name].expected_none


def draw(name: str, results: dict[str, Any]) -> Figure | None:
    with report_style(brand="#7a1f5c"):
        return CHARTS[name][0](results, None)


def texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def without_level_names(text: str, results: dict[str, Any]) -> str:
    """SAMM's lowest level is named "None": that word is a level's name, not a missing value."""
    for level in results["scale"]["levels"]:
        text = text.replace(level["name"], "")
    return text


def assert_clean(text: str, results: dict[str, Any]) -> None:
    bare = without_level_names(text, results)
    assert not re.search(r"\bNone\b|\bnan\b|\{|\}", bare, re.IGNORECASE), text


NAMES = [*SHAPES, "samm"]


def variants(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The results as built, and with a benchmark that is not available."""
    hidden = copy.deepcopy(results)
    hidden["benchmark"] = {"available": False, "min_peers": 5}
    return [results, hidden]


@pytest.mark.parametrize("shape", NAMES)
@pytest.mark.parametrize("chart", list(CHARTS))
def test_every_chart_draws_or_returns_none_with_clean_text(shaped, shape, chart):
    for results in variants(shaped[shape]):
        fig = draw(chart, results)
        alt = CHARTS[chart][1](results)
        assert (fig is None) == (chart in expected_none(shape))
        assert (alt == "") == (fig is None)
        assert_clean(alt, results)
        if fig is not None:
            assert isinstance(fig, Figure)
            assert fig.get_size_inches()[0] == pytest.approx(6.3)
            for text in texts(fig):
                assert_clean(text, results)


@pytest.mark.parametrize("shape", NAMES)
def test_score_axes_run_over_the_scale_and_name_the_levels(shaped, shape):
    results = shaped[shape]
    scale = results["scale"]
    margin = 0.02 * (scale["high"] - scale["low"])
    for chart in [c for c in ROW_CHARTS if c not in expected_none(shape)]:
        ax = draw(chart, results).axes[0]
        low, high = ax.get_xlim()
        assert low == pytest.approx(scale["low"])
        assert scale["high"] <= high <= scale["high"] + margin
        labels = " ".join(t.get_text() for t in ax.get_xticklabels())
        for level in scale["levels"]:
            assert level["name"].split()[0] in labels, (chart, level["name"], labels)
    if "radar" not in expected_none(shape):
        assert draw("radar", results).axes[0].get_ylim() == pytest.approx(
            (scale["low"], scale["high"])
        )
    if "trend" not in expected_none(shape):
        for ax in (a for a in draw("trend", results).axes if a.get_visible()):
            assert ax.get_ylim() == pytest.approx((scale["low"], scale["high"]))


@pytest.mark.parametrize("shape", NAMES)
def test_question_charts_run_over_the_answers(shaped, shape):
    results = shaped[shape]
    scale = results["scale"]
    answers = (scale["answer_low"], scale["answer_high"])
    heatmap = draw("heatmap", results)
    assert heatmap.axes[0].collections[0].get_clim() == pytest.approx(answers)
    if "agreement" not in expected_none(shape):
        low, high = draw("agreement", results).axes[0].get_xlim()
        assert low == pytest.approx(answers[0])
        assert answers[1] <= high <= answers[1] + 0.02 * (answers[1] - answers[0])


def test_samm_answers_are_read_on_their_own_range(shaped):
    results = shaped["samm"]
    assert (results["scale"]["answer_low"], results["scale"]["answer_high"]) == (0.0, 1.0)
    assert (results["scale"]["low"], results["scale"]["high"]) == (0.0, 3.0)
    bar = draw("heatmap", results).axes[-1]  # the colour bar
    assert [t.get_text() for t in bar.get_yticklabels()] == ["0", "0.25", "0.5", "0.75", "1"]
    cells = [t.get_text() for t in draw("heatmap", results).axes[0].texts]
    assert "0.25" in cells or "0.50" in cells  # two decimals on a 0-to-1 answer scale
    # SAMM's ids are not "dimension.slug": the question's own words name it, then its stream
    with report_style():
        fig = CHARTS["agreement"][0](results, load_questionnaire(SAMM))
    labels = " ".join(t.get_text().replace("\n", " ") for t in fig.axes[0].get_yticklabels())
    assert "(Pipeline)" in labels
    assert "s-risk" not in labels


def test_a_percentage_scale_is_ticked_at_its_levels_and_shown_without_decimals(shaped):
    results = shaped["zero-to-hundred"]
    ax = draw("gap", results).axes[0]
    assert [t.get_text().split("\n")[0] for t in ax.get_xticklabels()] == [
        "0",
        "20",
        "40",
        "60",
        "80",
        "100",
    ]
    values = [t.get_text() for t in ax.texts if t.get_text()[:1].isdigit()]
    assert values and all("." not in v for v in values)


def test_no_targets_draw_no_target_marks(shaped):
    results = shaped["zero-to-one"]
    assert all(d["target"] is None for d in results["assessment"]["dimensions"])
    radar = draw("radar", results)
    legend = [t.get_text() for t in radar.axes[0].get_legend().get_texts()]
    assert "Target" not in legend
    gap = draw("gap", results)
    assert not [t for t in texts(gap) if "gap " in t or "target met" in t]


def test_an_unscored_dimension_is_drawn_as_missing_not_as_zero(shaped):
    results = shaped["one-to-four"]  # every answer N/A in one dimension: out of scope
    out = [d for d in results["assessment"]["dimensions"] if d["score"] is None]
    assert len(out) == 1
    gap = draw("gap", results)
    assert "Out of scope" in texts(gap)
    assert "out of scope (every answer not applicable)" in " ".join(gap.get_supxlabel().split())
    assert f"Out of scope: {out[0]['title']}." in CHARTS["gap"][1](results)
    thin = shaped["zero-to-hundred"]  # answers to one question in four: too little evidence
    assert any(d["insufficient"] for d in thin["assessment"]["dimensions"])
    assert "Insufficient evidence" in texts(draw("gap", thin))
    assert "insufficient evidence" in " ".join(texts(draw("radar", thin)))


def test_four_waves_are_numbered_and_named_in_the_note(shaped):
    results = shaped["one-to-four"]
    fig = draw("trend", results)
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["W1", "W2", "W3", "W4"]
    assert "W1 Baseline March 2025" in fig.get_supxlabel()


@pytest.mark.parametrize("chart", ["gap", "heatmap", "agreement", "roles", "trend", "radar"])
def test_long_names_are_shortened_and_never_overlap(shaped, chart):
    fig = draw(chart, shaped["one-to-four"])
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    for ax in (a for a in fig.axes if a.get_visible()):
        groups = [ax.get_yticklabels(), ax.get_xticklabels()]
        # a trend panel's name (left) and change (right); a radar's labels at its spokes
        titles = {ax.get_title(loc="left"), ax.get_title(loc="right")} - {""}
        groups.append([t for t in ax.findobj(Text) if t.get_text() in titles and t is not ax.title])
        groups.append([t for t in ax.texts if chart == "radar" and "\n" in t.get_text()])
        for group in groups:
            boxes = [t.get_window_extent(renderer) for t in group if t.get_text()]
            assert not [(a, b) for a, b in combinations(boxes, 2) if a.overlaps(b)], chart
    note = fig.get_supxlabel()
    for text in (t for t in texts(fig) if "Enterprise" in t and t != note):
        assert all(len(line) <= 36 for line in text.split("\n")), text
        assert text.count("\n") <= 2, text


def test_nothing_scored_draws_no_score_chart(shaped):
    results = copy.deepcopy(shaped["zero-to-hundred"])
    for d in results["assessment"]["dimensions"]:
        d.update(score=None, coverage=0.0, insufficient=True)
    for chart in ("radar", "gap"):
        assert draw(chart, results) is None
        assert CHARTS[chart][1](results) == ""
    trend = draw("trend", results)  # earlier waves still have scores to show
    assert trend is not None
    assert "no score" not in texts(trend)


def test_peers_are_drawn_on_the_scale_when_a_benchmark_is_available(shaped):
    results = copy.deepcopy(shaped["zero-to-hundred"])
    scores = {d["id"]: d["score"] for d in results["assessment"]["dimensions"]}
    peer = {"percentile": 50.0, "q1": 30.0, "median": 45.0, "q3": 60.0, "n": 12}
    results["benchmark"] = {
        "available": True,
        "label": "All organisations",
        "n": 12,
        "min_peers": 5,
        "benchmark": {"title": "Made-up peers", "synthetic": True},
        "overall": peer | {"score": results["assessment"]["overall"]["score"]},
        "dimensions": {k: peer | {"score": v} for k, v in scores.items()},
    }
    ax = draw("peers", results).axes[0]
    assert ax.get_xlim()[0] == 0
    assert "P50 · n = 12" in [t.get_text() for t in ax.texts]
    assert "Peer median (n = 12)" in texts(draw("radar", results))
