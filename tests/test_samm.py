"""OWASP SAMM v2 in our format: a published model nobody here wrote, scored by SAMM's own rules.

SAMM: stream = sum of its three answers (0 to 3), practice = mean of its two streams,
business function = mean of its practices, overall = mean of the functions.
Every expected number below is worked out by hand from the answers chosen.

Two models are scored. ``tests/data/samm/`` holds a small SAMM-shaped model written for these
tests (two functions of two practices of two streams) with an answers file, so the arithmetic is
tested in every clone. The real model lives outside the repository (``../shared/samm``); the
tests of it skip when it is not there.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pmo_assess import (
    AssessmentResult,
    Questionnaire,
    load_questionnaire,
    read_answers_file,
    score_assessment,
)

SHAPED = Path(__file__).resolve().parent / "data" / "samm"

SAMM_FILE = Path(__file__).resolve().parents[2] / "shared" / "samm" / "owasp_samm.yaml"
FUNCTIONS = ["governance", "design", "implementation", "verification", "operations"]

# Every question is answered 0.5 ("at least half") unless listed here. With 0.5 everywhere a
# stream sums to 1.5, so every practice, function and the overall score would be 1.5.
HAND_PICKED = {
    # governance / Strategy and Metrics: stream a = 1 + 1 + 0.5 = 2.5; stream b = 0.25 + 0 + 0
    # = 0.25; practice g-sm = (2.5 + 0.25) / 2 = 1.375
    "g-sm-a-1": 1.0,
    "g-sm-a-2": 1.0,
    "g-sm-a-3": 0.5,
    "g-sm-b-1": 0.25,
    "g-sm-b-2": 0.0,
    "g-sm-b-3": 0.0,
    # governance / Education and Guidance: both streams 1 + 1 + 1 = 3; practice g-eg = 3.0
    **{f"g-eg-{s}-{i}": 1.0 for s in "ab" for i in (1, 2, 3)},
    # design / Threat Assessment: every answer "No"; both streams 0; practice d-ta = 0.0
    **{f"d-ta-{s}-{i}": 0.0 for s in "ab" for i in (1, 2, 3)},
    # operations / Incident Management: stream a = 3 x 0.25 = 0.75, stream b stays 1.5;
    # practice o-im = (0.75 + 1.5) / 2 = 1.125
    **{f"o-im-a-{i}": 0.25 for i in (1, 2, 3)},
}
# functions:  governance     = (1.375 + 1.5 [g-pc] + 3.0) / 3 = 5.875 / 3 = 1.958333...
#             design         = (0.0 + 1.5 + 1.5) / 3         = 1.0
#             implementation = verification = 1.5
#             operations     = (1.125 + 1.5 + 1.5) / 3        = 4.125 / 3 = 1.375
GOVERNANCE = 5.875 / 3
FULL = {
    "governance": GOVERNANCE,
    "design": 1.0,
    "implementation": 1.5,
    "verification": 1.5,
    "operations": 1.375,
}
# overall = (5.875/3 + 1.0 + 1.5 + 1.5 + 1.375) / 5 = (5.875 + 16.125) / 3 / 5 = 22 / 15
FULL_OVERALL = 22 / 15


@pytest.fixture(scope="module")
def samm() -> Questionnaire:
    if not SAMM_FILE.is_file():
        pytest.skip(f"OWASP SAMM test material not found at {SAMM_FILE}")
    return load_questionnaire(SAMM_FILE)


def answers_table(samm: Questionnaire, skip_function: str | None = None) -> pd.DataFrame:
    """One respondent's answers: 0.5 unless hand-picked; no rows at all under ``skip_function``."""
    skipped = (
        {q.id for q in samm.dimension(skip_function).all_questions()} if skip_function else set()
    )
    rows = [
        {
            "client": "acme",
            "wave": "2025-1",
            "respondent": "r1",
            "role": "security-lead",
            "question_id": q.id,
            "value": HAND_PICKED.get(q.id, 0.5),
            "status": "answered",
            "note": "",
        }
        for q in samm.questions()
        if q.id not in skipped
    ]
    return pd.DataFrame(rows)


def by_id(result: AssessmentResult) -> dict:
    return {node.id: node for _, node in result.flat_dimensions()}


# --- the SAMM-shaped model in tests/data/samm (always there) ----------------------------------
#
# answers.csv: respondent r1 answers all 24 questions; r2 answers stream s-risk-a only, so its
# questions score the mean of two answers. Values of a stream's three questions, and its sum:
#   steering / s-risk    a: (1+0.5)/2, (0.5+0.5)/2, (0.25+0.25)/2 = 0.75 + 0.5 + 0.25 = 1.5
#                        b: 0 + 0 + 0 = 0                 practice (1.5 + 0) / 2 = 0.75
#   steering / s-skills  a: 1 + 1 + 1 = 3
#                        b: 0.5 + 0.5 + 1 = 2             practice (3 + 2) / 2 = 2.5
#   delivery / d-build   a: 0.25 + 0.25 + 0.5 = 1
#                        b: 1 + 0.5 + 0 = 1.5             practice (1 + 1.5) / 2 = 1.25
#   delivery / d-defects a: 0.5 + 0.5 + 0.5 = 1.5
#                        b: 0.25 + 0 + 0 = 0.25           practice (1.5 + 0.25) / 2 = 0.875
# functions: steering (0.75 + 2.5) / 2 = 1.625; delivery (1.25 + 0.875) / 2 = 1.0625
# overall (1.625 + 1.0625) / 2 = 1.34375
SHAPED_SCORES = {
    "s-risk-a": 1.5,
    "s-risk-b": 0.0,
    "s-risk": 0.75,
    "s-skills-a": 3.0,
    "s-skills-b": 2.0,
    "s-skills": 2.5,
    "d-build-a": 1.0,
    "d-build-b": 1.5,
    "d-build": 1.25,
    "d-defects-a": 1.5,
    "d-defects-b": 0.25,
    "d-defects": 0.875,
    "steering": 1.625,
    "delivery": 1.0625,
}


@pytest.fixture(scope="module")
def shaped() -> Questionnaire:
    return load_questionnaire(SHAPED / "samm_shaped.yaml")


@pytest.fixture(scope="module")
def shaped_answers(shaped) -> pd.DataFrame:
    return read_answers_file(SHAPED / "answers.csv", shaped)


def test_shaped_model_has_samms_shape(shaped):
    assert [f.id for f in shaped.dimensions] == ["steering", "delivery"]
    for function in shaped.dimensions:
        assert function.aggregation == "mean" and len(function.dimensions) == 2
        for practice in function.dimensions:
            assert practice.aggregation == "mean" and len(practice.dimensions) == 2
            for stream in practice.dimensions:
                assert stream.aggregation == "sum" and len(stream.questions) == 3
    assert len({q.id for q in shaped.questions()}) == 2 * 2 * 2 * 3
    assert all(s.values == (0.0, 0.25, 0.5, 1.0) for s in shaped.answer_sets.values())
    assert {s.options[0].label for s in shaped.answer_sets.values()} == {"No"}
    assert [(lv.min, lv.name) for lv in shaped.levels] == [
        (0.0, "None"),
        (1.0, "Level 1"),
        (2.0, "Level 2"),
        (3.0, "Level 3"),
    ]


def test_shaped_answers_read_by_value_and_by_label(shaped_answers):
    # 24 answers of r1 and 3 of r2; "No" and "Yes, all the time" are labels, "0.5" a value
    assert len(shaped_answers) == 27
    value = shaped_answers.set_index(["respondent", "question_id"])["value"]
    assert value["r1", "s-risk-a-1"] == 1.0  # "Yes, in most or all teams"
    assert value["r1", "s-risk-b-1"] == 0.0  # "No"
    assert value["r1", "s-skills-a-2"] == 1.0  # "Yes, all the time"
    assert value["r2", "s-risk-a-2"] == 0.5  # "Yes, in about half of the teams"


def test_shaped_scores_by_samms_rules(shaped, shaped_answers):
    result = score_assessment(shaped, shaped_answers)
    nodes = by_id(result)
    assert {k: nodes[k].score for k in SHAPED_SCORES} == pytest.approx(SHAPED_SCORES)
    assert result.overall.score == pytest.approx(1.34375)
    question = {q.id: q for q in result.questions}["s-risk-a-1"]
    assert (question.mean, question.n) == (pytest.approx(0.75), 2)
    assert nodes["s-risk-a"].respondents == 2 and nodes["s-risk-b"].respondents == 1
    assert all(n.coverage == 1.0 and not n.insufficient for n in nodes.values())
    assert result.overall.respondents == 2


def test_shaped_level_names(shaped, shaped_answers):
    nodes = by_id(score_assessment(shaped, shaped_answers))
    assert nodes["s-risk-b"].level == "None"  # 0: SAMM's lowest level, not a missing one
    assert nodes["d-defects"].level == "None"  # 0.875 is below 1
    assert nodes["d-build-a"].level == "Level 1"  # 1.0 exactly on the boundary
    assert nodes["delivery"].level == "Level 1"  # 1.0625
    assert nodes["s-skills-b"].level == "Level 2"  # 2.0 exactly on the boundary
    assert nodes["s-skills-a"].level == "Level 3"  # 3.0, the top
    assert score_assessment(shaped, shaped_answers).overall.level == "Level 1"  # 1.34375


def test_shaped_targets_and_gaps(shaped, shaped_answers):
    result = score_assessment(shaped, shaped_answers)
    # default_target 2.0; gaps are read between the scores as shown (one decimal, halves up):
    # steering 1.625 shows as 1.6, gap 0.4; delivery 1.0625 shows as 1.1, gap 0.9;
    # percentage to target = 1 - (0.4 + 0.9) / (2 + 2) = 1 - 1.3 / 4 = 0.675
    assert {f.id: f.gap for f in result.dimensions} == pytest.approx(
        {"steering": 0.4, "delivery": 0.9}
    )
    assert by_id(result)["s-skills-a"].gap == 0.0  # above target: no gap, never negative
    assert result.overall.percentage_to_target == pytest.approx(0.675)


def test_shaped_function_left_unanswered(shaped, shaped_answers):
    delivery = {q.id for q in shaped.dimension("delivery").all_questions()}
    answers = shaped_answers[~shaped_answers["question_id"].isin(delivery)]
    result = score_assessment(shaped, answers)
    functions = {f.id: f for f in result.dimensions}
    assert functions["delivery"].score is None and functions["delivery"].level is None
    assert functions["delivery"].coverage == 0.0 and functions["delivery"].insufficient
    assert functions["steering"].score == pytest.approx(1.625)
    # overall = steering alone; coverage (1 + 0) / 2 = 0.5, not below the 0.5 minimum;
    # steering shows as 1.6: percentage to target = 1 - 0.4 / 2 = 0.8
    assert result.overall.score == pytest.approx(1.625)
    assert result.overall.coverage == pytest.approx(0.5) and not result.overall.insufficient
    assert result.overall.percentage_to_target == pytest.approx(0.8)


def test_shaped_part_answered_stream_sums_what_was_answered(shaped, shaped_answers):
    answers = shaped_answers[~shaped_answers["question_id"].isin(["d-build-b-2", "d-build-b-3"])]
    result = score_assessment(shaped, answers)
    nodes = by_id(result)
    # d-build-b keeps only d-build-b-1 (1.0): sum 1.0, coverage 1/3, flagged insufficient
    assert nodes["d-build-b"].score == pytest.approx(1.0)
    assert nodes["d-build-b"].coverage == pytest.approx(1 / 3) and nodes["d-build-b"].insufficient
    # d-build = (1.0 + 1.0) / 2 = 1.0, coverage (1 + 1/3) / 2 = 2/3;
    # delivery = (1.0 + 0.875) / 2 = 0.9375; overall = (1.625 + 0.9375) / 2 = 1.28125
    assert nodes["d-build"].score == pytest.approx(1.0)
    assert nodes["d-build"].coverage == pytest.approx(2 / 3) and not nodes["d-build"].insufficient
    assert nodes["delivery"].score == pytest.approx(0.9375)
    assert result.overall.score == pytest.approx(1.28125)


# --- the real OWASP SAMM model (../shared/samm, when it is there) --------------------------------


def test_samm_loads_as_five_functions_of_three_practices_of_two_streams(samm):
    assert [f.id for f in samm.dimensions] == FUNCTIONS
    for function in samm.dimensions:
        assert function.aggregation == "mean"
        assert len(function.dimensions) == 3
        for practice in function.dimensions:
            assert practice.aggregation == "mean"
            assert len(practice.dimensions) == 2
            for stream in practice.dimensions:
                assert stream.aggregation == "sum"
                assert len(stream.questions) == 3
    ids = [q.id for q in samm.questions()]
    assert len(ids) == len(set(ids)) == 5 * 3 * 2 * 3 == 90


def test_samm_answer_sets_are_four_valued_options(samm):
    for answer_set in samm.answer_sets.values():
        assert answer_set.values == (0.0, 0.25, 0.5, 1.0)
        assert not any(o.not_applicable or o.dont_know for o in answer_set.options)
    # 'No' is quoted in the file, so it stays text rather than becoming False
    assert {a.options[0].label for a in samm.answer_sets.values()} == {"No"}


def test_samm_levels(samm):
    assert [(lv.min, lv.name) for lv in samm.levels] == [
        (0.0, "None"),
        (1.0, "Level 1"),
        (2.0, "Level 2"),
        (3.0, "Level 3"),
    ]


def test_every_question_answered(samm):
    result = score_assessment(samm, answers_table(samm))
    nodes = by_id(result)
    assert nodes["g-sm-a"].score == pytest.approx(2.5)
    assert nodes["g-sm-b"].score == pytest.approx(0.25)
    assert nodes["g-sm"].score == pytest.approx(1.375)
    assert nodes["g-pc"].score == pytest.approx(1.5)
    assert nodes["g-eg"].score == pytest.approx(3.0)
    assert nodes["d-ta"].score == pytest.approx(0.0)
    assert nodes["o-im-a"].score == pytest.approx(0.75)
    assert nodes["o-im"].score == pytest.approx(1.125)
    assert {f.id: f.score for f in result.dimensions} == pytest.approx(FULL)
    assert result.overall.score == pytest.approx(FULL_OVERALL)
    assert all(n.coverage == 1.0 and not n.insufficient for n in nodes.values())
    assert result.overall.coverage == 1.0
    assert result.overall.respondents == 1


def test_level_names_of_scores(samm):
    nodes = by_id(score_assessment(samm, answers_table(samm)))
    # 0 is the text 'None' (SAMM's lowest level), not a missing level
    assert nodes["d-ta"].level == "None"
    assert nodes["design"].level == "Level 1"  # 1.0 sits exactly on the Level 1 boundary
    # 1.958 is shown as 2.0 (one decimal, halves up), and the level is read from the shown score
    assert nodes["governance"].level == "Level 2"
    assert nodes["g-sm-a"].level == "Level 2"  # 2.5
    assert nodes["g-eg"].level == "Level 3"  # 3.0


def test_targets_come_from_default_target(samm):
    result = score_assessment(samm, answers_table(samm))
    # default_target 2.0 for every function; gap = 2 - the score as shown (one decimal):
    # governance 1.958 shows as 2.0 (gap 0), operations 1.375 as 1.4 (gap 0.6);
    # 0 + 1.0 + 0.5 + 0.5 + 0.6 = 2.6; percentage to target = 1 - 2.6 / 10 = 0.74
    gaps = {f.id: f.gap for f in result.dimensions}
    assert gaps == pytest.approx(
        {
            "governance": 0.0,
            "design": 1.0,
            "implementation": 0.5,
            "verification": 0.5,
            "operations": 0.6,
        }
    )
    assert all(f.target == 2.0 for f in result.dimensions)
    assert result.overall.percentage_to_target == pytest.approx(0.74)


def test_one_function_left_unanswered(samm):
    result = score_assessment(samm, answers_table(samm, skip_function="operations"))
    functions = {f.id: f for f in result.dimensions}
    operations = functions["operations"]
    assert operations.score is None
    assert operations.level is None
    assert operations.coverage == 0.0
    assert operations.insufficient
    assert operations.respondents == 0
    assert all(p.score is None and p.coverage == 0.0 for p in operations.children)
    for name in ("governance", "design", "implementation", "verification"):
        assert functions[name].score == pytest.approx(FULL[name])
        assert functions[name].coverage == 1.0
    # overall = mean of the four scored functions = (5.875/3 + 1.0 + 1.5 + 1.5) / 4
    #         = (5.875 + 12) / 12 = 17.875 / 12; coverage = (1 + 1 + 1 + 1 + 0) / 5 = 0.8
    assert result.overall.score == pytest.approx(17.875 / 12)
    assert result.overall.coverage == pytest.approx(0.8)
    assert not result.overall.insufficient
    # operations has no score, so it leaves both sums: gaps (as shown) 0 + 1 + 0.5 + 0.5 = 2
    # against targets 4 x 2 = 8, so 1 - 2/8 = 0.75
    assert result.overall.percentage_to_target == pytest.approx(0.75)


def test_part_answered_stream_sums_what_was_answered(samm):
    answers = answers_table(samm)
    answers = answers[~answers["question_id"].isin(["g-sm-a-2", "g-sm-a-3"])]
    nodes = by_id(score_assessment(samm, answers))
    # only g-sm-a-1 (1.0) is left: the stream sums it alone, as SAMM would with the other two
    # read as 'No'; coverage 1 of 3 questions falls below 0.5 and is flagged
    assert nodes["g-sm-a"].score == pytest.approx(1.0)
    assert nodes["g-sm-a"].coverage == pytest.approx(1 / 3)
    assert nodes["g-sm-a"].insufficient
    # practice g-sm = (1.0 + 0.25) / 2 = 0.625; coverage (1/3 + 1) / 2 = 2/3
    assert nodes["g-sm"].score == pytest.approx(0.625)
    assert nodes["g-sm"].coverage == pytest.approx(2 / 3)
    assert not nodes["g-sm"].insufficient
