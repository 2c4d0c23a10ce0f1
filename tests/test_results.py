"""The results object a report renders: complete, consistent with the engine, JSON-clean."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from pmo_assess import load_questionnaire, score_assessment
from pmo_assess.core.errors import PmoAssessError
from pmo_assess.core.rounding import round_half_up
from pmo_assess.engagement.demo import build_demo_workspace
from pmo_assess.insight.results import build_results
from pmo_assess.scoring.engine import ScoringOptions
from pmo_assess.store.repository import Store

MATURITY = load_questionnaire("pmo-maturity")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("results")
    with Store.open(folder) as store:
        build_demo_workspace(store, clients=5)
    return folder


@pytest.fixture(scope="module")
def store(workspace):
    with Store.open(workspace) as opened:
        yield opened


def two_wave_client(store: Store) -> str:
    return next(
        c.slug for c in store.clients() if len(store.waves(store.engagement(c.slug).id)) == 2
    )


def test_results_equal_the_scoring_engine(store):
    slug = two_wave_client(store)
    found = build_results(store, slug)
    engagement = store.engagement(slug)
    answers = store.load_answers(slug, found.wave["label"])
    direct = score_assessment(
        MATURITY, answers, options=ScoringOptions(targets=engagement.targets or None)
    )
    assert found.assessment == direct.to_dict()
    assert found.wave["label"] == store.waves(engagement.id)[-1].label


def test_results_hold_every_part_of_the_report(store):
    found = build_results(store, two_wave_client(store)).to_dict()
    assert set(found) >= {
        "client",
        "engagement",
        "questionnaire",
        "wave",
        "respondents",
        "assessment",
        "gaps",
        "progress",
        "trend",
        "roles",
        "disagreements",
        "benchmark",
        "roadmap",
        "data_quality",
    }
    assert found["respondents"]["total"] == sum(found["respondents"]["by_role"].values())
    assert (
        len(found["trend"]) == 2 and found["progress"]["baseline_wave"] == found["trend"][0]["wave"]
    )
    assert found["disagreements"], "the demo plants a disagreement in every wave"
    assert found["benchmark"]["available"] and found["benchmark"]["benchmark"]["synthetic"] is True
    assert (
        found["roadmap"]["items"]
        and found["roadmap"]["library"]["id"] == "pmo-maturity-recommendations"
    )
    json.dumps(found, allow_nan=False)  # plain JSON: no NaN, no dates, no numpy types


def test_progress_is_measured_from_the_first_wave(store):
    slug = two_wave_client(store)
    found = build_results(store, slug)
    first = build_results(store, slug, wave=found.waves[0]["label"])
    assert first.progress is None and len(first.trend) == 1
    overall = found.progress.overall
    assert overall["baseline"] == first.assessment["overall"]["score"]
    # progress = (current - baseline) / (target - baseline), target the mean of the dimensions'
    # targets, all three as the report shows them (one decimal, halves up), so the share printed
    # beside the numbers is the one a reader works out from them
    current, baseline, target = (
        round_half_up(overall[k], 1) for k in ("current", "baseline", "target")
    )
    assert overall["progress"] == pytest.approx((current - baseline) / (target - baseline))
    assert overall["change"] == pytest.approx(current - baseline)


def test_gaps_are_sorted_by_priority(store):
    gaps = build_results(store, two_wave_client(store)).gaps
    priorities = [g.priority or 0 for g in gaps]
    assert priorities == sorted(priorities, reverse=True)
    assert all(g.gap is None or g.gap >= 0 for g in gaps)


def test_the_benchmark_never_names_a_peer(store):
    text = build_results(store, two_wave_client(store)).to_json()
    assert "ORG-" not in text and "FIRM-" not in text


def test_unknown_wave_lists_the_waves(store):
    slug = two_wave_client(store)
    with pytest.raises(
        PmoAssessError, match=rf"Client '{slug}' has no wave 'nope'\. Waves: 2025-Q4, 2026-Q3\."
    ):
        build_results(store, slug, wave="nope")


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pmo_assess", *args], capture_output=True, text=True, check=False
    )


def test_results_and_roadmap_commands(workspace, store, tmp_path):
    slug = two_wave_client(store)
    done = cli("results", "--client", slug, "--workspace", str(workspace))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["client"]["slug"] == slug
    table = cli("roadmap", "--client", slug, "--workspace", str(workspace))
    assert table.returncode == 0 and "Quick wins" in table.stdout
    as_json = json.loads(
        cli("roadmap", "--client", slug, "--format", "json", "--workspace", str(workspace)).stdout
    )
    first = as_json["items"][0]["title"]
    assert first in table.stdout
    out = tmp_path / "roadmap.xlsx"
    assert (
        cli(
            "roadmap",
            "--client",
            slug,
            "--format",
            "xlsx",
            "--out",
            str(out),
            "--workspace",
            str(workspace),
        ).returncode
        == 0
    )
    sheet = openpyxl.load_workbook(out)["Roadmap"]
    assert sheet["C2"].value == first


def test_benchmark_build_names_no_client(workspace, store, tmp_path):
    out = tmp_path / "firm.csv"
    done = cli("benchmark", "build", "--workspace", str(workspace), "--out", str(out))
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    for client in store.clients():
        assert client.slug not in text and client.name not in text
    assert "# synthetic: false" in text
    assert cli("validate", str(out)).returncode == 0
