"""The what-if of the analysis step: the same aggregation as the scoring engine, hand-worked
cases, the slider form, and the analysis tables (disagreements by role, peer position)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pandas as pd
import pytest

from pmo_assess import load_questionnaire, score_assessment
from pmo_assess.core.errors import PmoAssessError
from pmo_assess.engagement.analysis import disagreements_by_role, peer_position
from pmo_assess.engagement.demo import build_demo_workspace
from pmo_assess.insight.results import build_results
from pmo_assess.scoring.whatif import dimension_scores, score_range, weight_shares, what_if
from pmo_assess.store.repository import Store
from pmo_assess.widgets.whatif import WhatIfForm

ROOT = Path(__file__).resolve().parents[1]
CALC = load_questionnaire(ROOT / "tests" / "data" / "scoring_calc.yaml")
MATURITY = load_questionnaire("pmo-maturity")


def answers(rows: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    """Tidy answers of one client and wave from (respondent, role, question_id, value)."""
    records = [("acme", "w1", r, role, q, float(v), "answered", "") for r, role, q, v in rows]
    columns = ["client", "wave", "respondent", "role", "question_id", "value", "status", "note"]
    return pd.DataFrame(records, columns=columns)


# scoring_calc.yaml: A (weight 2) = (1*a1 + 3*a2) / 4; B (weight 1) = mean of b1 and b2;
# b1 = b1q; b2 = mean(b2q1, b2q2). With a1=2, a2=4, b1q=2, b2q1=3, b2q2=5:
# A = (2 + 12) / 4 = 3.5; b1 = 2; b2 = 4; B = 3; overall = (2*3.5 + 1*3) / 3 = 10/3.
HAND = [("r1", "pmo", "a1", 2), ("r1", "pmo", "a2", 4), ("r1", "pmo", "b1q", 2)]
HAND += [("r1", "pmo", "b2q1", 3), ("r1", "pmo", "b2q2", 5)]


@pytest.fixture(scope="module")
def hand() -> dict[str, float | None]:
    return dimension_scores(score_assessment(CALC, answers(HAND)))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("whatif")
    with Store.open(folder) as store:
        build_demo_workspace(store, clients=3)
        yield store


def test_hand_worked_scores_are_the_engines(hand):
    assert hand == {"a": 3.5, "b": 3.0, "b1": 2.0, "b2": 4.0}
    result = what_if(CALC, hand, {})
    assert result.score == pytest.approx(10 / 3)
    assert (result.level, result.baseline_level, result.change) == ("Defined", "Defined", 0.0)


@pytest.mark.parametrize(
    ("changed", "expected", "level"),
    [
        ({"b": 4.5}, (7 + 4.5) / 3, "Defined"),  # B weighs 1 of 3
        ({"a": 5.0}, (10 + 3) / 3, "Managed"),  # A weighs 2 of 3: 13/3 = 4.33
        ({"b1": 5.0}, (7 + 4.5) / 3, "Defined"),  # nested: B = (5 + 4) / 2 = 4.5
        ({"a": 4.0, "b": 4.0}, 4.0, "Managed"),  # exactly on the boundary of Managed
        ({"a": 1.0, "b": 1.0}, 1.0, "Initial"),  # lower is allowed: a what-if of a fall
    ],
)
def test_changed_dimensions_move_overall_as_hand_worked(hand, changed, expected, level):
    result = what_if(CALC, hand, changed)
    assert result.score == pytest.approx(expected)
    assert result.level == level
    assert result.baseline_score == pytest.approx(10 / 3)


def test_a_nested_change_equals_rescoring_the_answers(hand):
    # b1q answered 5 instead of 2 lifts b1 to 5: the engine's overall must be the what-if's
    rescored = [(r, role, q, 5 if q == "b1q" else v) for r, role, q, v in HAND]
    engine = score_assessment(CALC, answers(rescored)).overall
    result = what_if(CALC, hand, {"b1": 5.0})
    assert result.score == engine.score
    assert result.level == engine.level
    assert result.dimensions["b"] == 4.5


def test_one_dimension_moves_overall_by_its_weight_share(hand):
    shares = weight_shares(CALC, hand)
    assert shares == {"a": pytest.approx(2 / 3), "b": pytest.approx(1 / 3)}
    for dimension_id, share in shares.items():
        change = what_if(CALC, hand, {dimension_id: hand[dimension_id] + 0.9}).change
        assert change == pytest.approx(0.9 * share)


def test_an_unscored_dimension_counts_once_it_is_given_a_score():
    only_a = dimension_scores(score_assessment(CALC, answers(HAND[:2])))
    assert only_a["b"] is None
    assert weight_shares(CALC, only_a) == {"a": 1.0}
    assert what_if(CALC, only_a, {}).score == 3.5
    assert what_if(CALC, only_a, {"b": 2.0}).score == pytest.approx((7 + 2) / 3)


def test_nothing_changed_gives_the_engines_overall_exactly(demo):
    for client in demo.clients():
        results = build_results(demo, client.slug).to_dict()
        current = dimension_scores(results["assessment"])
        result = what_if(MATURITY, current, {})
        assert result.score == results["assessment"]["overall"]["score"]
        assert result.level == results["assessment"]["overall"]["level"]


def test_a_dimension_changed_to_its_own_score_changes_nothing(demo):
    results = build_results(demo, "quellbach-prazision").to_dict()
    current = dimension_scores(results["assessment"])
    same = {d.id: current[d.id] for d in MATURITY.dimensions}
    result = what_if(MATURITY, current, same)
    assert result.score == result.baseline_score == results["assessment"]["overall"]["score"]
    assert result.change == 0.0


def test_one_demo_dimension_raised_moves_overall_by_a_twelfth(demo):
    results = build_results(demo, "quellbach-prazision").to_dict()
    current = dimension_scores(results["assessment"])
    raised = what_if(MATURITY, current, {"sponsorship": current["sponsorship"] + 1.2})
    assert raised.change == pytest.approx(1.2 / 12)  # twelve dimensions of weight 1


@pytest.mark.parametrize(
    ("changed", "message"),
    [
        ({"governance.gates": 3.0}, r"Unknown dimension 'governance.gates' in the what-if\. Dimensions of 'calc': a, b, b1, b2\."),
        ({"a": 6.0}, r"what-if score of 'a' must be a number from 1 to 5 .*; got 6\.0\."),
        ({"a": float("nan")}, r"what-if score of 'a' must be a number from 1 to 5"),
    ],
)  # fmt: skip
def test_bad_changes_are_refused_with_what_is_allowed(hand, changed, message):
    with pytest.raises(PmoAssessError, match=message):
        what_if(CALC, hand, changed)


def test_summary_line_names_both_scores_and_levels(hand):
    assert what_if(CALC, hand, {"a": 5.0}).summary() == (
        "overall 4.33 (Managed) — was 3.33 (Defined)"
    )


def test_form_has_a_slider_per_top_level_dimension_from_current_to_the_top(hand):
    form = WhatIfForm(CALC, score_assessment(CALC, answers(HAND)))
    assert list(form.sliders) == ["a", "b"]
    a = form.sliders["a"]
    assert (a.min, a.value, a.max, a.step) == (3.5, 3.5, 5.0, 0.1)
    assert form.label.value == "overall 3.33 (Defined) — was 3.33 (Defined)"
    a.value = 5.0
    assert form.label.value == "overall 4.33 (Managed) — was 3.33 (Defined)"
    assert form.changed() == {"a": 5.0}
    form.reset.click()
    assert (a.value, form.changed()) == (3.5, {})
    assert form.label.value.startswith("overall 3.33 (Defined)")


def test_form_disables_the_slider_of_an_unscored_dimension():
    form = WhatIfForm(CALC, score_assessment(CALC, answers(HAND[:2])))
    assert form.sliders["b"].disabled and not form.sliders["a"].disabled
    assert form.changed() == {}


def test_disagreements_show_each_roles_mean_answer():
    results = {
        "wave": {"label": "w1"},
        "disagreements": [
            {"question_id": "a1", "text": "A one?", "dimension_title": "A", "min": 1.0,
             "max": 5.0, "notes": [{"role": "pmo", "note": "Depends who you ask"}]},
        ],
    }  # fmt: skip
    rows = [("r1", "executive", "a1", 5), ("r2", "executive", "a1", 4), ("r3", "pmo", "a1", 1)]
    rows += [("r3", "pmo", "a2", 3)]  # another question: not in the table
    table = disagreements_by_role(results, answers(rows))
    assert list(table.columns) == [
        "dimension", "question", "lowest", "highest", "range", "executive", "pmo", "notes",
    ]  # fmt: skip
    assert table.iloc[0].to_dict() == {
        "dimension": "A", "question": "A one?", "lowest": 1.0, "highest": 5.0, "range": 4.0,
        "executive": 4.5, "pmo": 1.0, "notes": "pmo: Depends who you ask",
    }  # fmt: skip


def test_disagreements_of_the_demo_are_all_listed(demo):
    results = build_results(demo, "quellbach-prazision").to_dict()
    table = disagreements_by_role(results, demo.load_answers("quellbach-prazision"))
    assert len(table) == len(results["disagreements"]) > 0
    assert {"executive", "pmo", "project-manager"} <= set(table.columns)
    assert (table["range"] >= 2).all()


def test_peer_position_lists_overall_first_or_says_why_not(demo):
    results = build_results(demo, "quellbach-prazision").to_dict()
    caption, table = peer_position(results)
    assert caption.startswith("Peers: Manufacturing") and "synthetic" in caption
    assert table.iloc[0]["dimension"] == "Overall" and len(table) == 13
    hidden = results | {"benchmark": results["benchmark"] | {"available": False}}
    caption, table = peer_position(hidden)
    assert "Too few comparable organisations" in caption and table.empty
    assert "No benchmark" in peer_position(results | {"benchmark": None})[0]


def test_analysis_notebook_is_kept_without_outputs():
    notebook = nbformat.read(ROOT / "notebooks" / "03_analysis.ipynb", as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert code and all(c.outputs == [] and c.execution_count is None for c in code)
    assert "WhatIfForm" in "".join(c.source for c in code)


def test_a_summed_stream_may_score_up_to_its_sum():
    # scoring_sum.yaml: each stream sums three 0-to-1 questions (0 to 3); the practice is their
    # mean (0 to 3 as well)
    summed = load_questionnaire(ROOT / "tests" / "data" / "scoring_sum.yaml")
    assert score_range(summed, "stream-a") == (0.0, 3.0)
    assert score_range(summed, "practice") == score_range(summed) == (0.0, 3.0)
    current = {"practice": 1.0, "stream-a": 1.5, "stream-b": 0.5}
    assert what_if(summed, current, {"stream-a": 3.0}).score == 1.75  # (3 + 0.5) / 2
    with pytest.raises(PmoAssessError, match=r"'stream-a' must be a number from 0 to 3 "):
        what_if(summed, current, {"stream-a": 3.5})
