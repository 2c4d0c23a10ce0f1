"""OWASP SAMM v2 in our format: a published model nobody here wrote, scored by SAMM's own rules.

SAMM: stream = sum of its three answers (0 to 3), practice = mean of its two streams,
business function = mean of its three practices, overall = mean of the five functions.
Every expected number below is worked out by hand from the answers chosen in this file.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pmo_assess import AssessmentResult, Questionnaire, load_questionnaire, score_assessment

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
    assert nodes["governance"].level == "Level 1"  # 1.958 is still below 2
    assert nodes["g-sm-a"].level == "Level 2"  # 2.5
    assert nodes["g-eg"].level == "Level 3"  # 3.0


def test_targets_come_from_default_target(samm):
    result = score_assessment(samm, answers_table(samm))
    # default_target 2.0 for every function; gap = 2 - score (no function is above 2):
    # 1/24 + 1.0 + 0.5 + 0.5 + 0.625 = 8/3; percentage to target = 1 - (8/3) / 10 = 11/15
    gaps = {f.id: f.gap for f in result.dimensions}
    assert gaps == pytest.approx(
        {
            "governance": 1 / 24,
            "design": 1.0,
            "implementation": 0.5,
            "verification": 0.5,
            "operations": 0.625,
        }
    )
    assert all(f.target == 2.0 for f in result.dimensions)
    assert result.overall.percentage_to_target == pytest.approx(11 / 15)


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
    # operations has no score, so it leaves both sums: gaps 1/24 + 1 + 0.5 + 0.5 = 49/24
    # against targets 4 x 2 = 8, so 1 - 49/192 = 143/192
    assert result.overall.percentage_to_target == pytest.approx(143 / 192)


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
