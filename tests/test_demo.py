"""The demo programme: a realistic, clearly fictional, reproducible sample in the engagement store."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from pmo_assess import PmoAssessError, load_questionnaire, score_assessment
from pmo_assess.engagement.demo import DemoSummary, build_demo_workspace
from pmo_assess.model.questionnaire import PMO_FUNCTIONS
from pmo_assess.scoring.answers import TIDY_COLUMNS as LOAD_COLUMNS
from pmo_assess.scoring.assessment import AssessmentResult
from pmo_assess.store.repository import Store

QUESTIONNAIRE = load_questionnaire("pmo-maturity")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, DemoSummary]]:
    """The full programme, built once for the whole module."""
    with Store.open(workspace=tmp_path_factory.mktemp("demo")) as store:
        yield store, build_demo_workspace(store)


@pytest.fixture(scope="module")
def store(built: tuple[Store, DemoSummary]) -> Store:
    return built[0]


@pytest.fixture(scope="module")
def summary(built: tuple[Store, DemoSummary]) -> DemoSummary:
    return built[1]


@pytest.fixture(scope="module")
def answers(store: Store) -> pd.DataFrame:
    return store.load_answers()


@pytest.fixture(scope="module")
def results(summary: DemoSummary, answers: pd.DataFrame) -> dict[tuple[str, str], AssessmentResult]:
    return {
        (client, wave): score_assessment(QUESTIONNAIRE, answers, client, wave)
        for client, waves in summary.waves.items()
        for wave in waves
    }


def test_twelve_clients_all_fictional_with_distinct_names(
    store: Store, summary: DemoSummary
) -> None:
    clients = store.clients()
    names = [c.name for c in clients]
    assert len(clients) == 12
    assert sorted(summary.clients) == [c.slug for c in clients]
    assert all(name.endswith(" (fictional)") for name in names)
    # later tests search one client's report for every other client's name
    distinctive = [n.removesuffix(" (fictional)") for n in names]
    assert not [(a, b) for a in distinctive for b in distinctive if a != b and a in b]


def test_clients_span_industries_sizes_and_regions(store: Store) -> None:
    clients = store.clients()
    assert len({c.industry for c in clients}) >= 5
    assert {c.size_band for c in clients} == {
        "Small (<500 staff)",
        "Medium (500-5,000)",
        "Large (>5,000)",
    }
    assert len({c.region for c in clients}) >= 4


def test_engagements_have_scope_objectives_targets_and_importance(
    store: Store, summary: DemoSummary
) -> None:
    engagements = [store.engagement(slug) for slug in summary.clients]
    kinds = [e.kind for e in engagements]
    assert 1 <= kinds.count("establish") <= 2 and kinds.count("optimize") >= 10
    dimensions = {d.id for d in QUESTIONNAIRE.dimensions}
    for e in engagements:
        assert e.questionnaire_id == "pmo-maturity"
        assert e.functions_in_scope and set(e.functions_in_scope) <= set(PMO_FUNCTIONS)
        assert e.pmo_type in ("supportive", "controlling", "directive")
        assert 2 <= len(e.objectives) <= 3
        assert e.targets and all(3.0 <= t <= 4.0 for t in e.targets.values())
        assert set(e.importance) == dimensions
        assert set(e.importance.values()) <= {1, 2, 3}


def test_three_to_eight_respondents_per_wave(summary: DemoSummary, answers: pd.DataFrame) -> None:
    per_wave = answers.groupby(["client", "wave"])["respondent"].nunique()
    assert per_wave.between(3, 8).all()
    assert summary.respondents == per_wave.sum()
    assert summary.answers == len(answers)


def test_executives_rate_above_pmo_above_project_managers(answers: pd.DataFrame) -> None:
    means = answers[answers["status"] == "answered"].groupby("role")["value"].mean()
    assert means["executive"] > means["pmo"] > means["project-manager"]


def test_at_least_four_clients_have_two_waves_and_their_score_moved(
    store: Store, summary: DemoSummary, results: dict[tuple[str, str], AssessmentResult]
) -> None:
    twice = [slug for slug, waves in summary.waves.items() if waves == ("2025-Q4", "2026-Q3")]
    assert len(twice) >= 4
    assert all(waves == ("2026-Q3",) for slug, waves in summary.waves.items() if slug not in twice)
    for slug in twice:
        before, after = results[slug, "2025-Q4"].overall, results[slug, "2026-Q3"].overall
        assert before.score != after.score
        waves = store.waves(store.engagement(slug).id)  # ordered by date held
        assert all(w.held_on for w in waves) and [w.label for w in waves] == list(
            summary.waves[slug]
        )


def test_some_answers_are_na_or_dont_know(answers: pd.DataFrame) -> None:
    shares = answers["status"].value_counts(normalize=True)
    assert 0.01 < shares["na"] < 0.06
    assert 0.03 < shares["dont_know"] < 0.08
    # a question out of scope for a client: every respondent of a wave said N/A
    all_na = answers.groupby(["client", "wave", "question_id"])["status"].agg(
        lambda s: (s == "na").all()
    )
    assert all_na.any()


def test_every_client_and_wave_has_a_disagreement(
    results: dict[tuple[str, str], AssessmentResult],
) -> None:
    assert all(any(q.disagreement for q in r.questions) for r in results.values())


def test_answers_carry_labels_confidence_and_source(store: Store, answers: pd.DataFrame) -> None:
    labels = answers.groupby("status")["option_label"].unique().map(set).to_dict()
    assert labels["na"] == {"Not applicable"} and labels["dont_know"] == {"Don't know"}
    assert labels["answered"] <= {"Initial", "Repeatable", "Defined", "Managed", "Optimizing"}
    assert set(answers["confidence"]) == {"interview", "self-reported"}
    assert set(answers["recorded_by"]) == {"pmo-assess demo"}
    engagement = store.engagement(store.clients()[0].slug)
    sources = {r.source for w in store.waves(engagement.id) for r in store.respondents(w.id)}
    assert sources <= {"interview", "survey"}


def test_notes_include_text_that_reports_must_escape(answers: pd.DataFrame) -> None:
    notes = answers.loc[answers["note"] != "", "note"]
    assert 30 <= len(notes) <= 200
    assert notes.str.contains("<script>").any() and notes.str.contains('"').any()
    assert notes.str.contains("Überprüfung – 进度").any()


def test_same_seed_gives_the_same_answers(tmp_path: Path, answers: pd.DataFrame) -> None:
    with Store.open(workspace=tmp_path) as again:
        build_demo_workspace(again)
        pd.testing.assert_frame_equal(again.load_answers()[LOAD_COLUMNS], answers[LOAD_COLUMNS])


def test_fewer_clients_are_the_first_of_the_full_programme(
    tmp_path: Path, summary: DemoSummary, answers: pd.DataFrame
) -> None:
    with Store.open(workspace=tmp_path) as small:
        built = build_demo_workspace(small, clients=2)
        found = small.load_answers()[LOAD_COLUMNS].reset_index(drop=True)
    assert built.clients == summary.clients[:2]
    expected = answers[answers["client"].isin(built.clients)][LOAD_COLUMNS]
    pd.testing.assert_frame_equal(found, expected.reset_index(drop=True))


def test_another_seed_gives_other_answers(tmp_path: Path, answers: pd.DataFrame) -> None:
    with Store.open(workspace=tmp_path) as other:
        build_demo_workspace(other, clients=2, seed=7)
        found = other.load_answers()[LOAD_COLUMNS].reset_index(drop=True)
    expected = answers[answers["client"].isin(found["client"])][LOAD_COLUMNS]
    assert not found.equals(expected.reset_index(drop=True))


def test_twenty_clients_build_with_distinct_fictional_names_and_slugs(
    tmp_path: Path, summary: DemoSummary, answers: pd.DataFrame
) -> None:
    with Store.open(workspace=tmp_path) as large:
        built = build_demo_workspace(large, clients=20)
        clients = large.clients()
        found = large.load_answers()
    names = [c.name for c in clients]
    assert len(built.clients) == len(set(built.clients)) == 20
    assert len(set(names)) == 20 and all(name.endswith(" (fictional)") for name in names)
    assert sorted(built.clients) == [c.slug for c in clients]
    # reports name one client and must not contain another's name
    distinctive = [n.removesuffix(" (fictional)") for n in names]
    assert not [(a, b) for a in distinctive for b in distinctive if a != b and a in b]
    # the default twelve are the first twelve, answer for answer
    assert built.clients[:12] == summary.clients
    first = found[found["client"].isin(summary.clients)][LOAD_COLUMNS].reset_index(drop=True)
    pd.testing.assert_frame_equal(first, answers[LOAD_COLUMNS].reset_index(drop=True))


@pytest.mark.parametrize("clients", [0, 21, 2.5])
def test_client_count_out_of_range(tmp_path: Path, clients: int) -> None:
    message = "The 'clients' parameter of build_demo_workspace must be an int in the range [1, 20]"
    with (
        Store.open(workspace=tmp_path) as store,
        pytest.raises(PmoAssessError, match=re.escape(message)),
    ):
        build_demo_workspace(store, clients=clients)


def test_refuses_a_store_that_already_holds_the_demo(store: Store) -> None:
    with pytest.raises(
        PmoAssessError,
        match=r"already holds demo clients \(quellbach-prazision\); build the demo into an empty",
    ):
        build_demo_workspace(store, clients=1)
