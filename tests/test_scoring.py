"""The scoring rules, each checked against numbers worked out by hand (see the comments)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from pmo_assess import (
    PmoAssessError,
    ScoringOptions,
    load_questionnaire,
    progress_to_date,
    role_scores,
    score_assessment,
    score_assessments,
)

DATA = Path(__file__).parent / "data"
CALC = load_questionnaire(DATA / "scoring_calc.yaml")
SUM = load_questionnaire(DATA / "scoring_sum.yaml")


def answers(rows: list[tuple], client: str = "acme", wave: str = "w1") -> pd.DataFrame:
    """Tidy answers from (respondent, role, question_id, answer) with answer a number, 'na' or 'dk'."""
    records = []
    for respondent, role, question_id, answer in rows:
        status = {"na": "na", "dk": "dont_know"}.get(str(answer), "answered")
        value = float(answer) if status == "answered" else float("nan")
        records.append((client, wave, respondent, role, question_id, value, status, ""))
    columns = ["client", "wave", "respondent", "role", "question_id", "value", "status", "note"]
    return pd.DataFrame(records, columns=columns)


def dims(result) -> dict:
    return {node.id: node for _, node in result.flat_dimensions()}


def question(result, question_id: str):
    return next(q for q in result.questions if q.id == question_id)


def test_question_statistics_over_respondents():
    # a1 answered 2, 4, 3: mean 3; sample sd sqrt(((-1)^2 + 1^2 + 0^2) / 2) = 1; range 2 → disagreement
    result = score_assessment(
        CALC, answers([("r1", "pmo", "a1", 2), ("r2", "pmo", "a1", 4), ("r3", "pmo", "a1", 3)])
    )
    q = question(result, "a1")
    assert (q.mean, q.sd, q.min, q.max, q.n, q.n_na, q.n_dont_know) == (3.0, 1.0, 2.0, 4.0, 3, 0, 0)
    assert q.disagreement is True


def test_single_answer_has_no_spread_and_no_disagreement():
    q = question(score_assessment(CALC, answers([("r1", "pmo", "a1", 5)])), "a1")
    assert (q.mean, q.sd, q.n, q.disagreement) == (5.0, None, 1, False)


@pytest.mark.parametrize(
    ("threshold", "flagged"),
    [(None, True), (2.0, True), (3.0, False)],  # answers 1 and 3: range 2
)
def test_disagreement_threshold_is_configurable(threshold, flagged):
    rows = [("r1", "pmo", "a1", 1), ("r2", "pmo", "a1", 3)]
    result = score_assessment(
        CALC, answers(rows), options=ScoringOptions(disagreement_threshold=threshold)
    )
    assert question(result, "a1").disagreement is flagged


def test_role_weights_weight_the_question_mean():
    # executive 4 (weight 1), project manager 1 (weight 2): (4*1 + 1*2) / 3 = 2.0; unweighted 2.5
    rows = [("r1", "executive", "a1", 4), ("r2", "project-manager", "a1", 1)]
    weighted = ScoringOptions(role_weights={"executive": 1, "project-manager": 2})
    assert question(score_assessment(CALC, answers(rows)), "a1").mean == 2.5
    assert question(score_assessment(CALC, answers(rows), options=weighted), "a1").mean == 2.0


def test_not_applicable_and_dont_know_are_never_zero():
    # a2: 4, N/A, Don't know → mean of the one value, 4
    rows = [("r1", "pmo", "a2", 4), ("r2", "pmo", "a2", "na"), ("r3", "pmo", "a2", "dk")]
    q = question(score_assessment(CALC, answers(rows)), "a2")
    assert (q.mean, q.n, q.n_na, q.n_dont_know) == (4.0, 1, 1, 1)


def test_question_all_not_applicable_leaves_score_and_coverage_denominator():
    # a1 = 3, a2 all N/A → A scores 3 from a1 alone; coverage 1/1 (a2 out of scope), not 1/4
    rows = [("r1", "pmo", "a1", 3), ("r1", "pmo", "a2", "na"), ("r2", "pmo", "a2", "na")]
    a = dims(score_assessment(CALC, answers(rows)))["a"]
    assert (a.score, a.coverage, a.insufficient) == (3.0, 1.0, False)


def test_dont_know_lowers_coverage_and_flags_insufficient():
    # a1 = 3 (weight 1, covered), a2 only Don't know (weight 3, not covered):
    # coverage (1*1 + 0*3) / 4 = 0.25 < 0.5 → insufficient; score still from a1: 3
    rows = [("r1", "pmo", "a1", 3), ("r1", "pmo", "a2", "dk")]
    a = dims(score_assessment(CALC, answers(rows)))["a"]
    assert (a.score, a.coverage, a.insufficient) == (3.0, 0.25, True)


def test_coverage_threshold_is_configurable():
    rows = [("r1", "pmo", "a1", 3), ("r1", "pmo", "a2", "dk")]  # coverage 0.25 as above
    result = score_assessment(CALC, answers(rows), options=ScoringOptions(min_coverage=0.2))
    assert dims(result)["a"].insufficient is False


FULL = [
    ("r1", "pmo", "a1", 2),
    ("r1", "pmo", "a2", 4),
    ("r1", "pmo", "b1q", 2),
    ("r1", "pmo", "b2q1", 3),
    ("r1", "pmo", "b2q2", 5),
]


def test_weighted_mean_through_the_tree():
    # A = (2*1 + 4*3) / 4 = 3.5; B1 = 2; B2 = (3 + 5) / 2 = 4; B = (2 + 4) / 2 = 3
    # overall = (A*2 + B*1) / 3 = (7 + 3) / 3 = 3.333...
    result = score_assessment(CALC, answers(FULL))
    scores = {k: v.score for k, v in dims(result).items()}
    assert scores == {"a": 3.5, "b": 3.0, "b1": 2.0, "b2": 4.0}
    assert result.overall.score == pytest.approx(10 / 3)
    assert result.overall.level == "Defined"
    assert dims(result)["b1"].level == "Repeatable"


def test_unanswered_node_has_no_score_and_is_left_out_of_its_parent():
    # only b2 answered: b1 has no score (None), B = B2 = 4, overall = B = 4 (A has none either)
    rows = [("r1", "pmo", "b2q1", 3), ("r1", "pmo", "b2q2", 5)]
    result = score_assessment(CALC, answers(rows))
    d = dims(result)
    assert d["b1"].score is None and d["b1"].level is None and d["b1"].gap is None
    assert d["a"].score is None
    assert d["b"].score == 4.0
    # coverage: B = (b1 0 + b2 1) / 2 = 0.5; A = 0; overall = (0*2 + 0.5*1) / 3 = 1/6
    assert d["b"].coverage == 0.5
    assert result.overall.score == 4.0
    assert result.overall.coverage == pytest.approx(1 / 6)


def test_targets_gaps_and_percentage_to_target():
    # A target 4 (own), B target 3 (default), b1 and b2 inherit B's 3
    # gaps: A 4-3.5 = 0.5, B 0, b1 3-2 = 1, b2 0 (never negative)
    # percentage to target over top-level: 1 - (0.5 + 0) / (4 + 3) = 1 - 1/14
    result = score_assessment(CALC, answers(FULL))
    d = dims(result)
    assert {k: (v.target, v.gap) for k, v in d.items()} == {
        "a": (4.0, 0.5),
        "b": (3.0, 0.0),
        "b1": (3.0, 1.0),
        "b2": (3.0, 0.0),
    }
    assert result.overall.percentage_to_target == pytest.approx(1 - 1 / 14)


def test_target_override_reaches_children():
    # B's target raised to 4: B gap 1, b1 gap 4-2 = 2; percentage 1 - (0.5 + 1) / (4 + 4) = 0.8125
    result = score_assessment(CALC, answers(FULL), options=ScoringOptions(targets={"b": 4.0}))
    d = dims(result)
    assert (d["b"].gap, d["b1"].target, d["b1"].gap) == (1.0, 4.0, 2.0)
    assert result.overall.percentage_to_target == pytest.approx(0.8125)


def test_sum_aggregation_adds_children_and_mean_parent_averages_them():
    # stream A: 1 + 0.5 + 0 = 1.5; stream B: 1 + 1 + 0.5 = 2.5; practice = mean = 2.0 → "Level 2"
    rows = [
        ("r1", "pmo", "sa1", 1),
        ("r1", "pmo", "sa2", 0.5),
        ("r1", "pmo", "sa3", 0),
        ("r1", "pmo", "sb1", 1),
        ("r1", "pmo", "sb2", 1),
        ("r1", "pmo", "sb3", 0.5),
    ]
    d = dims(score_assessment(SUM, answers(rows)))
    assert (d["stream-a"].score, d["stream-b"].score, d["practice"].score) == (1.5, 2.5, 2.0)
    assert d["practice"].level == "Level 2"
    assert d["stream-a"].level == "Level 1"


def test_respondents_counted_per_dimension():
    # r1 answers a1 and b1q, r2 answers b1q only, r3 only "Don't know" on a2 (gave no value)
    rows = [
        ("r1", "pmo", "a1", 3),
        ("r1", "pmo", "b1q", 3),
        ("r2", "pmo", "b1q", 2),
        ("r3", "pmo", "a2", "dk"),
    ]
    result = score_assessment(CALC, answers(rows))
    d = dims(result)
    assert (d["a"].respondents, d["b"].respondents, d["b2"].respondents) == (1, 2, 0)
    assert result.overall.respondents == 2


def test_scores_by_role_show_perception_gaps():
    # executive: a1 = 5; project managers: a1 = 2 and 3 → 2.5
    rows = [("e1", "executive", "a1", 5), ("p1", "pm", "a1", 2), ("p2", "pm", "a1", 3)]
    table = role_scores(CALC, answers(rows))
    a = table[table["dimension"] == "a"].set_index("role")
    assert a.loc["executive", "score"] == 5.0
    assert a.loc["pm", "score"] == 2.5
    assert a.loc["pm", "respondents"] == 2


def test_many_assessments_at_once_match_one_at_a_time():
    first = answers(FULL, client="acme")
    second = answers([("x", "pmo", "a1", 1), ("y", "pmo", "a2", 5)], client="globex", wave="w2")
    tables = score_assessments(CALC, pd.concat([first, second], ignore_index=True))
    overall = tables.overall.set_index("client")["score"]
    assert overall["acme"] == pytest.approx(score_assessment(CALC, first).overall.score)
    # globex: A = (1*1 + 5*3) / 4 = 4; B unscored → overall 4
    assert overall["globex"] == 4.0


@pytest.mark.parametrize(
    ("current", "baseline", "target", "expected"),
    [
        (2.5, 2.0, 3.0, 0.5),  # half way: 0.5 / 1
        (3.0, 2.0, 3.0, 1.0),  # target reached
        (3.5, 2.0, 3.0, 1.5),  # beyond target
        (1.5, 2.0, 3.0, -0.5),  # went backwards
        (3.0, 3.0, 3.0, None),  # nothing to close
        (None, 2.0, 3.0, None),
    ],
)
def test_progress_to_date(current, baseline, target, expected):
    assert progress_to_date(current, baseline, target) == expected


def test_level_is_the_highest_band_the_shown_score_reaches():
    # scores are shown with one decimal, halves up: 2.94 shows as 2.9 (Repeatable), 2.95 as 3.0
    assert [CALC.level_for(s) for s in (0.9, 1.0, 2.94, 2.95, 2.99, 3.0, 5.0)] == [
        None,
        "Initial",
        "Repeatable",
        "Defined",
        "Defined",
        "Defined",
        "Optimizing",
    ]


def test_default_disagreement_threshold_is_half_the_scale():
    # the 0-to-1 scale of scoring_sum.yaml: half the range is 0.5, so answers 0 and 1 disagree,
    # answers 0.5 and 1 (range 0.5) too, while on the 1-to-5 scale a range of 1 does not
    rows = [("r1", "pmo", "sa1", 0), ("r2", "pmo", "sa1", 1), ("r1", "pmo", "sa2", 0.5)]
    rows += [("r2", "pmo", "sa2", 1), ("r1", "pmo", "sa3", 0.5), ("r2", "pmo", "sa3", 0.5)]
    result = score_assessment(SUM, answers(rows))
    assert [question(result, q).disagreement for q in ("sa1", "sa2", "sa3")] == [True, True, False]
    assert SUM.disagreement_threshold_for(SUM.question("sa1")) == 0.5
    assert CALC.disagreement_threshold_for(CALC.question("a1")) == 2.0


def test_sum_node_weights_its_children():
    # stream A as a weighted sum, sa1 weight 3: 3*1 + 1*0.5 + 1*0 = 3.5
    weighted = load_questionnaire(DATA / "scoring_sum.yaml")
    stream = weighted.dimension("stream-a")
    heavier = replace(stream.questions[0], weight=3.0)
    stream = replace(stream, questions=(heavier, *stream.questions[1:]))
    practice = replace(
        weighted.dimensions[0], dimensions=(stream, weighted.dimensions[0].dimensions[1])
    )
    weighted = replace(weighted, dimensions=(practice,))
    rows = [("r1", "pmo", "sa1", 1), ("r1", "pmo", "sa2", 0.5), ("r1", "pmo", "sa3", 0)]
    assert dims(score_assessment(weighted, answers(rows)))["stream-a"].score == 3.5


def test_target_for_an_unknown_dimension_is_refused():
    with pytest.raises(
        PmoAssessError, match=r"Unknown dimension 'overall' in targets.*a, b, b1, b2"
    ):
        score_assessment(CALC, answers(FULL), options=ScoringOptions(targets={"overall": 3.0}))


def test_no_answers_at_all_gives_no_overall_level():
    result = score_assessment(CALC, answers([("r1", "pmo", "a1", "na")]))
    assert (result.overall.score, result.overall.level, result.overall.percentage_to_target) == (
        None,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"role_weights": {"pmo": 0}}, r"Role weights must be numbers above 0"),
        ({"targets": {"a": float("nan")}}, r"Targets must be finite numbers"),
        ({"min_coverage": 1.5}, r"min_coverage must be between 0 and 1; got 1.5"),
    ],
)
def test_scoring_options_are_checked(options, message):
    with pytest.raises(PmoAssessError, match=message):
        ScoringOptions(**options)
