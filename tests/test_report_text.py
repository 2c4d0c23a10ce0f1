"""The report's words (report_text, report_summary): rules on hand-built results, real demo results.

Hand-built results hold three dimensions with round numbers, so every expected sentence is worked
out by hand in a comment. The demo programme is built once for the module; its numbers are parsed
back out of the words and compared with the results they came from.

The golden file ``tests/data/golden/executive_summary.txt`` holds the executive summary of the
seeded demo client Quellbach Präzision. When a change to the wording is intended, rewrite it with

    PMO_ASSESS_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_report_text.py

(the run then fails, so it never passes by rewriting), review the diff, and rerun without the
variable, which only compares.
"""

from __future__ import annotations

import copy
import math
import os
import re
from pathlib import Path
from typing import Any

import pytest

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.core.rounding import number_text, round_half_up
from pmo_assess.engagement.demo import build_demo_workspace
from pmo_assess.insight.results import build_results
from pmo_assess.model.loading import load_questionnaire
from pmo_assess.report import text as report_text
from pmo_assess.report.text import facts as report_facts
from pmo_assess.report.text import phrases as report_phrases
from pmo_assess.report.text import summary as report_summary
from pmo_assess.report.text.summary import Priority
from pmo_assess.store.repository import Store

GOLDEN = Path(__file__).parent / "data" / "golden" / "executive_summary.txt"
TITLES = (
    report_text.scorecard_title,
    report_text.radar_title,
    report_text.gap_title,
    report_text.heatmap_title,
    report_text.role_gap_title,
    report_text.agreement_title,
    report_text.peer_title,
    report_text.trend_title,
    report_text.roadmap_title,
)
QUESTION_MEANS = [
    *[("governance", m) for m in (3.0, 3.2, 3.4)],
    *[("reporting", m) for m in (1.5, 1.8, 1.9, 2.0)],
    *[("risk", m) for m in (2.0, 2.2, 2.4)],
]
#: The scale of the PMO Maturity Assessment, as the results contract carries it.
SCALE_1_TO_5 = {
    "low": 1.0,
    "high": 5.0,
    "precision": 1,
    "levels": [
        {"number": n, "name": name, "min": float(n), "max": float(min(n + 1, 5))}
        for n, name in enumerate(
            ["Initial", "Repeatable", "Defined", "Managed", "Optimizing"], start=1
        )
    ],
    "answer_low": 1.0,
    "answer_high": 5.0,
}
BENEFITS = {
    "success-rate": "Higher project success rates",
    "cost": "Lower project costs",
    "efficiency": "Greater efficiency and productivity",
    "decision-making": "Better decision-making and communication",
    "strategic-alignment": "Stronger strategic alignment",
}


# --- hand-built results ----------------------------------------------------------------------


def dim(id_: str, title: str, score: float | None, level: str | None, target: float | None):
    gap = None if score is None or target is None else max(0.0, target - score)
    return {
        "id": id_,
        "title": title,
        "score": score,
        "level": level,
        "coverage": 1.0,
        "insufficient": False,
        "respondents": 3,
        "target": target,
        "gap": gap,
        "children": [],
    }


def item(order: int, title: str, dimension: str, phase: str, end: int, benefit: str):
    names = {"quick-wins": "Quick wins", "foundation": "Foundation", "scale": "Scale"}
    titles = {"reporting": "Status and Risk Reporting", "risk": "Risk and Issue Management"}
    return {
        "order": order,
        "action_id": f"{dimension}.{order}",
        "title": title,
        "dimension": dimension,
        "dimension_title": titles[dimension],
        "phase": phase,
        "phase_name": names[phase],
        "start_week": 0,
        "end_week": end,
        "benefit": benefit,
        "priority": {"reporting": 2.4, "risk": 1.6}[dimension],
    }


def make_results() -> dict[str, Any]:
    """Acme Ltd, one wave, 3 respondents (1 executive, 2 project managers), three dimensions all
    with target 3.0: Governance 3.2, Status and Risk Reporting 1.8, Risk and Issue Management 2.2.
    Overall 2.4 = (3.2 + 1.8 + 2.2) / 3; to target 1 - (0 + 1.2 + 0.8) / 9 = 0.78."""
    dims = [
        dim("governance", "Governance", 3.2, "Defined", 3.0),
        dim("reporting", "Status and Risk Reporting", 1.8, "Initial", 3.0),
        dim("risk", "Risk and Issue Management", 2.2, "Repeatable", 3.0),
    ]
    gaps = [
        {k: d[k] for k in ("title", "score", "target", "gap")}
        | {"dimension": d["id"], "importance": 2, "priority": 2 * d["gap"]}
        for d in (dims[1], dims[2], dims[0])
    ]
    peer = {"score": None, "q1": 1.8, "median": 2.2, "q3": 2.6}
    return {
        "client": {"slug": "acme", "name": "Acme Ltd", "industry": "Retail", "size_band": "Small"},
        "engagement": {
            "kind": "optimize",
            "pmo_type": "controlling",
            "functions_in_scope": [
                {"id": "governance", "name": "Governance"},
                {"id": "status-and-risk-reporting", "name": "Status and risk reporting"},
            ],
            "objectives": ["Cut late projects by half"],
        },
        "questionnaire": {
            "id": "pmo-maturity",
            "version": "1.0.0",
            "title": "PMO Maturity Assessment",
            "subject": "PMO",
            "benefits": [b.lower() for b in BENEFITS.values()],
        },
        "scale": SCALE_1_TO_5,
        "wave": {"label": "2026-Q1", "held_on": "2026-03-02", "latest": True},
        "waves": [{"label": "2026-Q1", "held_on": "2026-03-02"}],
        "respondents": {"total": 3, "by_role": {"executive": 1, "project-manager": 2}},
        "assessment": {
            "overall": {
                "score": 2.4,
                "level": "Repeatable",
                "coverage": 1.0,
                "percentage_to_target": 7 / 9,
            },
            "dimensions": dims,
            "questions": [
                {"id": f"{d}.q{i}", "dimension": d, "mean": m, "n": 3}
                for i, (d, m) in enumerate(QUESTION_MEANS)
            ],
        },
        "gaps": gaps,
        "progress": None,
        "trend": [{"wave": "2026-Q1", "overall": 2.4, "dimensions": {}}],
        "roles": [
            role_row("governance", "Governance", 3.6, 3.0),
            role_row("reporting", "Status and Risk Reporting", 2.4, 1.5),
            role_row("risk", "Risk and Issue Management", 2.7, 1.7),
            role_row("overall", "Overall", 2.9, 2.1),
        ],
        "disagreements": [
            {
                "question_id": "risk.register",
                "text": "Is there a risk register?",
                "dimension": "risk",
                "dimension_title": "Risk and Issue Management",
                "min": 1.0,
                "max": 3.0,
                "sd": 1.0,
                "n": 3,
            }
        ],
        "benchmark": {
            "available": True,
            "group": "industry-and-size",
            "label": "Retail, Small",
            "n": 20,
            "min_peers": 5,
            "benchmark": {
                "id": "b",
                "title": "Synthetic benchmark",
                "version": "2026.1",
                "synthetic": True,
                "sources": ["Survey A (100 organisations)"],
            },
            "overall": peer | {"score": 2.4, "percentile": 60.0, "n": 20},
            "dimensions": {
                "governance": peer | {"score": 3.2, "percentile": 80.0, "n": 20},
                "reporting": peer | {"score": 1.8, "percentile": 10.0, "n": 19},
                "risk": peer | {"score": 2.2, "percentile": 45.0, "n": 20},
            },
        },
        "roadmap": {
            "items": [
                item(1, "Fix one reporting day", "reporting", "quick-wins", 3, "decision-making"),
                item(2, "Define status colours", "reporting", "quick-wins", 4, "decision-making"),
                item(3, "Keep a risk register", "risk", "foundation", 20, "success-rate"),
                item(4, "Review risks monthly", "risk", "scale", 40, "success-rate"),
            ],
            "priorities": {},
            "unscored": [],
            "library": {"id": "lib", "version": "1.0.0", "benefits": BENEFITS},
        },
        "data_quality": {
            "answers": 30,
            "not_applicable": 2,
            "dont_know": 3,
            "out_of_scope_questions": [
                {"id": "risk.committee", "text": "Is there a risk committee?"}
            ],
            "unanswered_questions": [],
            "insufficient_dimensions": [],
            "confidence": {"interview": 30},
        },
        "confidence": {
            "rule": {"min_respondents": 3, "min_coverage": 0.8, "min_direct_share": 0.5},
            "dimensions": {
                key: {"level": "High", "respondents": 3, "direct_share": 1.0}
                for key in ("governance", "reporting", "risk", "overall")
            },
        },
    }


def role_row(dimension: str, title: str, executive: float, managers: float) -> dict[str, Any]:
    return {
        "dimension": dimension,
        "title": title,
        "scores": {"executive": executive, "project-manager": managers},
        "respondents": {"executive": 1, "project-manager": 2},
        "spread": executive - managers,
    }


def variant(**changes: Any) -> dict[str, Any]:
    results = copy.deepcopy(make_results())
    results.update(changes)
    return results


def two_waves() -> dict[str, Any]:
    """Baseline 2025-Q3 overall 2.0 (target 3.0): now 2.4, so 40% of the way. Governance rose
    from 2.2 to 3.2 (+1.0), Risk fell from 2.5 to 2.2 (-0.3)."""
    results = make_results()
    results["waves"].insert(0, {"label": "2025-Q3", "held_on": "2025-09-01"})
    results["trend"].insert(0, {"wave": "2025-Q3", "overall": 2.0, "dimensions": {}})
    rows = [("governance", "Governance", 2.2, 3.2), ("risk", "Risk and Issue Management", 2.5, 2.2)]
    results["progress"] = {
        "baseline_wave": "2025-Q3",
        "overall": {
            "baseline": 2.0,
            "current": 2.4,
            "target": 3.0,
            "change": 0.4,
            "progress": 0.4,
        },
        "dimensions": [
            {
                "dimension": d,
                "title": t,
                "baseline": b,
                "current": c,
                "target": 3.0,
                "change": round(c - b, 1),
                "progress": None,
            }
            for d, t, b, c in rows
        ],
        "like_for_like": None,
    }
    return results


def targets_met() -> dict[str, Any]:
    results = make_results()
    for d in results["assessment"]["dimensions"]:
        d["target"], d["gap"] = 1.5, 0.0
    for g in results["gaps"]:
        g["target"], g["gap"], g["priority"] = 1.5, 0.0, 0.0
    results["roadmap"]["items"] = []
    return results


def establish(**engagement: Any) -> dict[str, Any]:
    results = make_results()
    results["engagement"].update(kind="establish", **engagement)
    return results


# --- formatting helpers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (63, "63rd"),
        (100, "100th"),
        (112, "112th"),
    ],
)
def test_ordinal(n: int, expected: str) -> None:
    assert report_phrases.ordinal(n) == expected


@pytest.mark.parametrize(
    ("percentile", "expected"),
    [
        (63.4, "ahead of 63% of peers"),
        (63.5, "ahead of 64% of peers"),
        (100.0, "ahead of every one of its peers"),
        (0.2, "behind all of its peers"),
    ],
)
def test_ahead_of(percentile: float, expected: str) -> None:
    assert report_phrases.ahead_of_text(percentile) == expected


@pytest.mark.parametrize(
    ("share", "expected"),
    # a part never shows as all or nothing: 0.996 is not yet 100%, 0.004 is not nothing
    [(0.5, "50%"), (0.776, "78%"), (0.996, "99%"), (0.004, "1%"), (1.0, "100%"), (0.0, "0%")],
)
def test_percent(share: float, expected: str) -> None:
    assert report_phrases.percent(share) == expected


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([], ""),
        (["Governance"], "Governance"),
        (["Governance", "Risk"], "Governance and Risk"),
        (["A", "B", "C"], "A, B and C"),
        (["Templates and Tools", "Risk"], "Templates and Tools, and Risk"),
        (["Lessons, Knowledge", "Risk", "Tools"], "Lessons, Knowledge; Risk; and Tools"),
    ],
)
def test_join_list(items: list[str], expected: str) -> None:
    assert report_phrases.join_list(items) == expected


def test_counts_read_as_words_at_a_sentence_start_and_never_as_1_respondents() -> None:
    assert report_phrases.plural(1, "respondent") == "1 respondent"
    assert report_phrases.plural(0, "respondent") == "0 respondents"
    assert report_phrases.counted(1, "question") == "One question"
    assert report_phrases.number_word(42, capital=True) == "Forty-two"


def test_client_name_drops_a_bracketed_note_and_takes_the_right_possessive() -> None:
    results = make_results()
    results["client"]["name"] = "Marrowfield Grocers (fictional)"
    assert report_facts.subject(results) == "Marrowfield Grocers' PMO"
    results["engagement"]["kind"] = "establish"
    assert report_facts.subject(results) == "Marrowfield Grocers' project management practice"
    results["questionnaire"] |= {"id": "pmo-readiness", "subject": "readiness for a PMO"}
    assert report_facts.subject(results) == "Marrowfield Grocers' readiness for a PMO"
    results["questionnaire"]["subject"] = None  # no subject: the organisation itself
    assert report_facts.subject(results) == "Marrowfield Grocers"
    results["client"]["name"] = "Acme (UK)"
    assert report_facts.short_name(results) == "Acme (UK)"


def test_an_assessment_without_any_score_still_reads() -> None:
    results = make_results()
    results["assessment"]["overall"] |= {"score": None, "level": None, "coverage": 0.2}
    for d in results["assessment"]["dimensions"]:
        d |= {"score": None, "level": None, "insufficient": True, "coverage": 0.2}
    for g in results["gaps"]:
        g |= {"score": None, "gap": None}
    results["benchmark"]["overall"] |= {"score": None, "percentile": None}
    summary = report_text.executive_summary(results)
    assert summary.headline == (
        "Acme Ltd's PMO could not be scored: too few questions were answered"
    )
    assert (
        "gave a scored answer to 20% of the questions in scope, too few for firm conclusions"
        in summary.situation
    )
    assert summary.situation.endswith(
        "Without reliable scores, the distance to target cannot be measured."
    )
    assert summary.findings[:2] == (
        "No dimension has enough evidence for a reliable score.",
        "Gaps to target cannot be measured until the dimensions have reliable scores.",
    )
    assert summary.implications == (
        "More evidence is needed before the results can show where improvement pays off."
    )
    assert (
        report_text.scorecard_title(results).text == "No dimension has enough evidence to be scored"
    )


# --- executive summary on hand-built results -------------------------------------------------


def test_summary_of_the_base_case() -> None:
    summary = report_text.executive_summary(make_results())
    # mean target 3.0 - 2.4 = 0.6; percentile 60
    assert summary.headline == (
        "Acme Ltd's PMO is at level 2 (Repeatable, 2.4 of 5), 0.6 below its target of 3.0, "
        "and ahead of 60% of synthetic peers"
    )
    assert summary.situation == (
        "Across the 3 dimensions of the PMO Maturity Assessment, Acme Ltd's PMO scores 2.4 of 5, "
        "which is level 2, Repeatable. The result rests on 3 respondents in 2 roles (1 executive "
        "and 2 project managers) in wave 2026-Q1, held on 2 March 2026; between them they gave a "
        "scored answer to every question in scope. Counting each dimension only up to its "
        "target, the scores reach 78% of the targets; 2 of the 3 dimensions are still below target."
    )
    assert summary.findings == (
        # 3.2 - 1.8 = 1.4
        "Governance is the strongest dimension at 3.2 (Defined) and Status and Risk Reporting the "
        "weakest at 1.8 (Initial), 1.4 points apart.",
        # gaps 1.2 and 0.8, largest first; titles hold "and", so a serial comma
        "The largest gaps to target are in Status and Risk Reporting (1.8 against a target of "
        "3.0), and Risk and Issue Management (2.2 against a target of 3.0).",
        # lowest dimension percentile: reporting, 10th of 19
        "Against a synthetic peer group of 20 organisations in Retail, Small, the overall score "
        "of 2.4 is at the 60th percentile (peer median 2.2); it trails most on Status and Risk "
        "Reporting (10th percentile, n = 19).",
        # overall 2.9 vs 2.1 is 0.8 apart; widest dimension: risk, 2.7 - 1.7 = 1.0
        "Scores differ by role: 2.9 overall from the executive against 2.1 from the 2 project "
        "managers; the widest gap is on Risk and Issue Management, 1.0 points between the "
        "executive (2.7) and the 2 project managers (1.7).",
    )
    # the two highest-priority gaps' actions serve decision-making (2) and success rate (2)
    assert summary.implications == (
        "Closing the highest-priority gaps, in Status and Risk Reporting, and Risk and Issue "
        "Management, would do most for two of the five benefits the improvement actions serve: "
        "better decision-making and communication, and higher project success rates."
    )
    assert summary.priorities == (
        Priority("Fix one reporting day", "Status and Risk Reporting"),
        Priority("Define status colours", "Status and Risk Reporting"),
        Priority("Keep a risk register", "Risk and Issue Management"),
    )
    assert summary.source == (
        "Source: PMO Maturity Assessment 1.0.0; 3 respondents (2 roles), wave 2026-Q1 "
        "(2 March 2026); peer set of 20 organisations in Retail, Small, synthetic benchmark"
    )


def test_no_benchmark_says_so_and_drops_peers_from_the_headline() -> None:
    summary = report_text.executive_summary(variant(benchmark=None))
    assert summary.headline == (
        "Acme Ltd's PMO is at level 2 (Repeatable, 2.4 of 5) and 0.6 below its target of 3.0"
    )
    assert summary.findings[2] == (
        "No peer comparison is shown, because there is no benchmark for the PMO Maturity Assessment."
    )
    assert "peer" not in summary.source


def test_a_peer_group_below_the_minimum_is_never_shown() -> None:
    results = make_results()
    results["benchmark"] |= {
        "available": False,
        "group": None,
        "label": None,
        "n": 3,
        "overall": None,
        "dimensions": {},
    }
    summary = report_text.executive_summary(results)
    assert "%" not in summary.headline
    assert summary.findings[2] == (
        "No peer comparison is shown, because the whole benchmark has 3 comparable "
        "organisations, fewer than the minimum of 5."
    )
    assert report_text.peer_title(results).text == (
        "No peer comparison is shown because the whole benchmark has 3 comparable "
        "organisations, fewer than the minimum of 5"
    )


def test_a_firm_benchmark_is_not_called_synthetic() -> None:
    results = make_results()
    results["benchmark"]["benchmark"]["synthetic"] = False
    summary = report_text.executive_summary(results)
    assert summary.headline.endswith("and ahead of 60% of peers")
    assert "synthetic" not in " ".join([summary.headline, *summary.findings, summary.source])
    assert "peer group from the firm's own assessments" in summary.findings[2]


def test_one_wave_has_no_progress_finding_and_no_trend_title() -> None:
    results = make_results()
    assert not any("baseline" in f for f in report_text.executive_summary(results).findings)
    assert report_text.trend_title(results) is None


def test_two_waves_report_progress_from_the_baseline() -> None:
    results = two_waves()
    summary = report_text.executive_summary(results)
    # (2.4 - 2.0) / (3.0 - 2.0) = 40%
    assert (
        "Since the baseline in wave 2025-Q3, the overall score has risen from 2.0 to 2.4, 40% of "
        "the way to target; Governance improved most (+1.0), while Risk and Issue Management "
        "fell (-0.3)."
    ) in summary.findings
    assert len(summary.findings) == 5
    assert summary.implications.endswith(
        "The rise since wave 2025-Q3 shows that improvement is under way."
    )
    trend = report_text.trend_title(results)
    assert trend is not None
    assert trend.text == (
        "The overall score has risen from 2.0 to 2.4 since wave 2025-Q3; Governance rose most "
        "(+1.0), while Risk and Issue Management fell (-0.3)"
    )
    assert trend.source_line.startswith(
        "Source: PMO Maturity Assessment 1.0.0; waves 2025-Q3 and 2026-Q1"
    )


def test_no_library_means_no_generated_priorities() -> None:
    results = make_results()
    results["roadmap"] = {"items": [], "priorities": {}, "unscored": [], "library": None}
    summary = report_text.executive_summary(results)
    assert summary.priorities == (
        "No priorities are generated: the PMO Maturity Assessment has no library of improvement "
        "actions, so priorities are agreed with the client directly.",
    )
    assert summary.implications.endswith(
        "comes first: until then Acme Ltd's PMO cannot fully deliver higher project success "
        "rates, lower project costs, greater efficiency and productivity, better decision-making "
        "and communication, and stronger strategic alignment."
    )
    assert report_text.roadmap_title(results).text == (
        "No roadmap is generated: the PMO Maturity Assessment has no library of improvement actions"
    )


def test_targets_met() -> None:
    results = targets_met()
    summary = report_text.executive_summary(results)
    assert summary.headline == (
        "Acme Ltd's PMO is at level 2 (Repeatable, 2.4 of 5), meeting every target, and ahead "
        "of 60% of synthetic peers"
    )
    assert summary.priorities == (
        "Every dimension meets its target, so the roadmap adds no new actions.",
    )
    # closest margin: reporting 1.8 against 1.5
    assert summary.findings[1] == (
        "Every dimension meets its target; the closest to its target is Status and Risk "
        "Reporting at 1.8 against 1.5."
    )
    assert report_text.gap_title(results).text == (
        "Every dimension meets its target, so there are no gaps to close"
    )
    assert report_text.roadmap_title(results).text == (
        "No new actions are needed: every dimension meets its target"
    )


def test_no_targets() -> None:
    results = make_results()
    for d in results["assessment"]["dimensions"]:
        d["target"] = d["gap"] = None
    for g in results["gaps"]:
        g["target"] = g["gap"] = g["priority"] = None
    results["assessment"]["overall"]["percentage_to_target"] = None
    summary = report_text.executive_summary(results)
    assert (
        summary.headline
        == "Acme Ltd's PMO is at level 2 (Repeatable, 2.4 of 5) and ahead of 60% of synthetic peers"
    )
    assert summary.situation.endswith(
        "No targets have been set yet, so the distance to target is not measured."
    )
    assert summary.findings[1] == (
        "No targets are set, so gaps cannot be measured; the lowest scores are Status and Risk "
        "Reporting (1.8), and Risk and Issue Management (2.2)."
    )


def test_a_single_respondent_reads_in_the_singular_and_shows_no_role_comparison() -> None:
    results = make_results()
    results["respondents"] = {"total": 1, "by_role": {"executive": 1}}
    for row in results["roles"]:
        row["scores"] = {"executive": row["scores"]["executive"]}
        row["respondents"], row["spread"] = {"executive": 1}, None
    summary = report_text.executive_summary(results)
    assert "rests on 1 respondent (the executive) in wave 2026-Q1" in summary.situation
    assert not any(f.startswith("Scores differ by role") for f in summary.findings)
    assert report_text.role_gap_title(results).text == (
        "Roles cannot be compared: the answers come from 1 respondent (the executive)"
    )
    assert "1 respondent," in summary.source and "respondents" not in summary.source


def test_insufficient_evidence_is_named_and_never_called_weakest() -> None:
    results = make_results()
    reporting = results["assessment"]["dimensions"][1]
    reporting["insufficient"], reporting["coverage"] = True, 0.4
    summary = report_text.executive_summary(results)
    assert summary.findings[0] == (
        "Governance is the strongest dimension at 3.2 (Defined) and Risk and Issue Management "
        "the weakest at 2.2 (Repeatable), 1.0 points apart. One dimension (Status and Risk "
        "Reporting) lacks the evidence for a reliable score."
    )


# --- action titles ---------------------------------------------------------------------------


def test_titles_of_the_base_case() -> None:
    results = make_results()
    assert report_text.scorecard_title(results).text == (
        "One of the 3 dimensions meets its target; Status and Risk Reporting is lowest at 1.8"
    )
    assert report_text.radar_title(results).text == (
        "The profile is uneven: scores run from 1.8 in Status and Risk Reporting to 3.2 in Governance"
    )
    # 3.0 - 1.8 = 1.2; one other dimension (risk) is short
    assert report_text.gap_title(results).text == (
        "Status and Risk Reporting has the largest gap, 1.2 below its target of 3.0, and one more "
        "falls short"
    )
    # question means below 2.0: 1.5, 1.8 and 1.9, all under reporting
    assert report_text.heatmap_title(results).text == (
        "Three of the 10 scored questions score below 2.0, all in Status and Risk Reporting"
    )
    # only risk (2.7 - 1.7 = 1.0) is a full level apart
    assert report_text.role_gap_title(results).text == (
        "The executive gives the highest scores and the 2 project managers the lowest, 2.9 "
        "against 2.1 overall; roles are a full level or more apart on 1 of 3 dimensions"
    )
    assert report_text.agreement_title(results).text == (
        "Answers to 1 of 10 questions lie at least 2 points apart, in Risk and Issue Management, "
        "and roles differ most on Risk and Issue Management (1.0 points)"
    )
    assert report_text.peer_title(results).text == (
        "Acme Ltd's PMO is ahead of 60% of synthetic peers in Retail, Small, but trails on Status "
        "and Risk Reporting (10th percentile)"
    )
    # last action ends in week 40: 40 * 12 / 52 = 9.2, so 10 months
    assert report_text.roadmap_title(results).text == (
        "Four actions over 10 months close the gaps, starting with two quick wins in Status and "
        "Risk Reporting"
    )


def test_heatmap_title_without_weak_questions() -> None:
    results = make_results()
    for q in results["assessment"]["questions"]:
        q["mean"] += 0.5  # now the lowest is 1.5 + 0.5 = 2.0, under reporting
    assert report_text.heatmap_title(results).text == (
        "No question scores below 2.0; the lowest, in Status and Risk Reporting, scores 2.0"
    )


def test_every_title_has_a_source_line_with_n() -> None:
    results = two_waves()
    for title in TITLES:
        found = title(results)
        assert found is not None
        assert found.source_line.startswith("Source: ")
        assert re.search(r"\d+ respondents?", found.source_line), found.source_line
        assert not found.text.endswith(".")


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (
            "scorecard",
            "Source: PMO Maturity Assessment 1.0.0; 3 respondents (2 roles), wave "
            "2026-Q1 (2 March 2026); targets set for this engagement",
        ),
        (
            "heatmap",
            "Source: PMO Maturity Assessment 1.0.0; 3 respondents in 2 roles "
            "(1 executive and 2 project managers), wave 2026-Q1 (2 March 2026)",
        ),
        (
            "peers",
            "Source: PMO Maturity Assessment 1.0.0; 3 respondents (2 roles), wave 2026-Q1 "
            "(2 March 2026); peer set of 20 organisations in Retail, Small, synthetic benchmark",
        ),
        (
            "roadmap",
            "Source: gaps to target in wave 2026-Q1 (2 March 2026), 3 respondents; "
            "actions from library lib 1.0.0",
        ),
    ],
)
def test_exhibit_source(kind: str, expected: str) -> None:
    assert report_text.exhibit_source(make_results(), kind) == expected


def test_unknown_exhibit_kind() -> None:
    with pytest.raises(
        PmoAssessError, match=r"Unknown exhibit kind 'pie'.*Kinds: summary, scorecard"
    ):
        report_text.exhibit_source(make_results(), "pie")


# --- engagement frame ------------------------------------------------------------------------


def test_optimize_frame_with_one_wave() -> None:
    frame = report_text.engagement_frame(make_results())
    assert [(s.step, s.label, s.status) for s in frame] == [
        ("Regular re-assessment", "Baseline set", "partial"),
        ("Continuous improvement", "Starting", "partial"),
        ("Performance monitoring", "Not yet assessed", "unknown"),
    ]
    assert frame[0].explanation == (
        "One wave so far, 2026-Q1 (2 March 2026); a second wave in 6 to 12 months will show progress."
    )
    assert frame[2].explanation == (
        "No dimension of the PMO Maturity Assessment covers performance monitoring."
    )


def test_optimize_frame_with_two_waves() -> None:
    results = two_waves()
    results["assessment"]["dimensions"].append(
        dim("performance", "Performance Monitoring", 3.4, "Defined", 3.0)
    )
    frame = report_text.engagement_frame(results)
    # 2025-09-01 to 2026-03-02 is 182 days, 6 months
    assert frame[0].label == "Two waves"
    assert frame[0].explanation == (
        "Waves 2025-Q3 (1 September 2025) and 2026-Q1 (2 March 2026), on average 6 months apart."
    )
    assert (frame[1].label, frame[1].status) == ("Improving", "done")
    assert frame[1].explanation.startswith(
        "Since wave 2025-Q3 the overall score has risen from 2.0 to 2.4 and 1 of 2 dimensions improved."
    )
    assert (frame[2].label, frame[2].status) == ("Evident", "done")
    assert frame[2].explanation.startswith("Performance Monitoring scores 3.4 of 5 (Defined)")


def test_establish_frame() -> None:
    results = establish()
    results["assessment"]["dimensions"].append(
        dim("sponsorship", "Executive Sponsorship", 1.6, "Initial", 3.0)
    )
    frame = report_text.engagement_frame(results)
    assert [(s.step, s.label, s.status) for s in frame] == [
        (
            "Scope and objectives",
            "Defined: 2 PMO functions, 1 objective, a controlling PMO",
            "done",
        ),
        ("Maturity assessment", "Done in wave 2026-Q1", "done"),
        ("Implementation plan", "Drafted: 4 actions in 3 phases", "partial"),
        ("Senior-management support", "Weak", "open"),
        ("Implementation", "Not started", "open"),
    ]
    assert frame[0].explanation == (
        "The engagement covers 2 of the 8 PMO functions: governance, and status and risk "
        "reporting. Objectives: Cut late projects by half. The PMO is to be a controlling PMO, "
        "which sets standards and checks that projects follow them."
    )


def test_establish_frame_before_scope_is_set_and_without_a_sponsorship_dimension() -> None:
    results = establish(functions_in_scope=[], objectives=[], pmo_type=None)
    results["roadmap"] = {"items": [], "priorities": {}, "unscored": [], "library": None}
    frame = report_text.engagement_frame(results)
    assert (frame[0].label, frame[0].status) == ("Not yet defined", "open")
    assert frame[0].explanation == (
        "No PMO functions have been put in scope yet. No objectives recorded yet. No PMO type "
        "chosen yet."
    )
    assert (frame[2].label, frame[2].status) == ("Not started", "open")
    assert (frame[3].label, frame[3].status) == ("Not yet assessed", "unknown")


def test_establish_implications_speak_of_foundations() -> None:
    summary = report_text.executive_summary(establish())
    assert summary.headline.startswith("Acme Ltd's project management practice is at level 2")
    assert summary.implications.endswith(
        "With the PMO still being set up, these are the foundations to lay first."
    )


# --- methodology notes -----------------------------------------------------------------------


def test_methodology_notes() -> None:
    notes = report_text.methodology_notes(make_results(), load_questionnaire("pmo-maturity"))
    assert list(notes) == ["Questionnaire", "Scoring", "Respondents", "Data quality", "Benchmark"]
    assert notes["Questionnaire"].startswith(
        "The assessment used the PMO Maturity Assessment (id pmo-maturity, version 1.0.0): 60 "
        "questions in 12 dimensions, each answered on a scale from 1 (Initial) to 5 (Optimizing)"
    )
    assert "never counts as zero" in notes["Scoring"]
    assert "below 50% is flagged as insufficient evidence" in notes["Scoring"]
    assert "Initial from 1.0, Repeatable from 2.0" in notes["Scoring"]
    assert notes["Respondents"] == (
        "In wave 2026-Q1, 3 people answered: 1 executive and 2 project managers. Of the 30 "
        "answers, 30 (100%) came from interviews. Respondents are shown by role only, never by name."
    )
    # 2 / 30 = 7%, 3 / 30 = 10%
    assert notes["Data quality"] == (
        "Of the 30 answers, 2 (7%) were 'Not applicable' and 3 (10%) 'Don't know'. One question "
        "was marked not applicable by every respondent and is treated as out of scope: 'Is there "
        "a risk committee?'. Every dimension has enough evidence (coverage of at least 50%)."
    )
    assert "a synthetic data set" in notes["Benchmark"]
    assert "Survey A (100 organisations)" in notes["Benchmark"]
    assert "the 20 organisations in Retail, Small" in notes["Benchmark"]


def test_methodology_notes_name_insufficient_dimensions() -> None:
    results = make_results()
    results["data_quality"]["insufficient_dimensions"] = [
        {"dimension": "risk", "title": "Risk and Issue Management", "coverage": 0.4}
    ]
    notes = report_text.methodology_notes(results, load_questionnaire("pmo-maturity"))
    assert notes["Data quality"].endswith(
        "Evidence is insufficient for Risk and Issue Management (40% coverage)."
    )


def test_methodology_notes_need_the_questionnaire_the_results_were_scored_with() -> None:
    with pytest.raises(
        PmoAssessError, match=r"'pmo-readiness' 1\.0\.0.*scored with 'pmo-maturity'"
    ):
        report_text.methodology_notes(make_results(), load_questionnaire("pmo-readiness"))


# --- the demo programme ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Results of every demo client, built once."""
    with Store.open(workspace=tmp_path_factory.mktemp("demo")) as store:
        built = build_demo_workspace(store)
        return {slug: build_results(store, slug).to_dict() for slug in built.clients}


def render(summary: report_summary.Summary) -> str:
    priorities = [
        p if isinstance(p, str) else f"{p.title} ({p.dimension})" for p in summary.priorities
    ]
    return "\n".join(
        [
            summary.headline,
            "",
            summary.situation,
            "",
            *(f"- {f}" for f in summary.findings),
            "",
            summary.implications,
            "",
            *(f"{i}. {p}" for i, p in enumerate(priorities, start=1)),
            "",
            summary.source,
            "",
        ]
    )


def test_golden_executive_summary(demo: dict[str, dict[str, Any]]) -> None:
    text = render(report_text.executive_summary(demo["quellbach-prazision"]))
    if os.environ.get("PMO_ASSESS_UPDATE_GOLDEN") == "1":  # rewrite, but never pass by it
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
        pytest.fail(
            f"{GOLDEN.name}: golden file rewritten; review the diff and rerun without "
            "PMO_ASSESS_UPDATE_GOLDEN"
        )
    if not GOLDEN.is_file():
        pytest.fail(f"{GOLDEN} is missing; write it with PMO_ASSESS_UPDATE_GOLDEN=1 and review it.")
    assert text == GOLDEN.read_text(encoding="utf-8")


def one(value: float) -> str:
    """A score as the report shows it: one decimal, halves up."""
    return number_text(value, 1)


@pytest.mark.parametrize(
    "slug",
    [
        "quellbach-prazision",
        "larkspur-mutual-assurance",
        "hollowmere-county-council",
        "marrowfield-grocers",
        "st-aldric-health-partners",
        "glimmerfen-grid-services",
    ],
)
def test_numbers_in_the_words_are_the_numbers_in_the_results(
    demo: dict[str, dict[str, Any]], slug: str
) -> None:
    results = demo[slug]
    summary = report_text.executive_summary(results)
    overall = results["assessment"]["overall"]
    level = re.search(r"level (\d) \(([\w ]+), (\d\.\d) of 5\)", summary.headline)
    assert level is not None
    assert level.groups() == (
        str(math.floor(round_half_up(overall["score"], 1))),  # the level of the shown score
        overall["level"],
        one(overall["score"]),
    )
    ahead = re.search(r"ahead of (\d+)% of", summary.headline)
    if ahead:
        assert int(ahead.group(1)) == round_half_up(
            results["benchmark"]["overall"]["percentile"], 0
        )
    below = re.search(r"(\d\.\d) below its (?:average )?target of (\d\.\d)", summary.headline)
    if below:
        targets = [d["target"] for d in results["assessment"]["dimensions"]]
        assert below.group(2) == one(sum(targets) / len(targets))
        assert float(below.group(1)) == pytest.approx(
            float(below.group(2)) - float(one(overall["score"]))
        )
    reach = re.search(r"reach (\d+)% of the targets", summary.situation)
    if reach:
        assert int(reach.group(1)) == round_half_up(overall["percentage_to_target"] * 100, 0)
    assert f"rests on {results['respondents']['total']} respondents" in summary.situation
    gaps = {g["title"]: g for g in results["gaps"]}
    for title, score, target in re.findall(
        r"(?:in |, |; |and )([A-Z][\w ,-]+?) \((\d\.\d) against a target of (\d\.\d)\)",
        summary.findings[1],
    ):
        gap = gaps[title.removeprefix("and ")]
        assert (score, target) == (one(gap["score"]), one(gap["target"]))
    peers = re.search(
        r"peer group of (\d+) .* score of (\d\.\d) is at the (\d+)\w\w percentile \(peer median (\d\.\d)\)",
        summary.findings[2],
    )
    if peers:
        bm = results["benchmark"]
        assert peers.groups() == (
            str(bm["n"]),
            one(overall["score"]),
            str(int(round_half_up(bm["overall"]["percentile"], 0))),
            one(bm["overall"]["median"]),
        )
    moved = re.search(r"from (\d\.\d) to (\d\.\d)", " ".join(summary.findings))
    if results["progress"]:
        assert moved is not None
        progress = results["progress"]["overall"]
        assert moved.groups() == (one(progress["baseline"]), one(progress["current"]))


def test_every_demo_client_reads_well(demo: dict[str, dict[str, Any]]) -> None:
    questionnaire = load_questionnaire("pmo-maturity")
    for slug, results in demo.items():
        summary = report_text.executive_summary(results)
        assert 3 <= len(summary.findings) <= 5, slug
        assert 1 <= len(summary.priorities) <= 3, slug
        titles = [t(results) for t in TITLES]
        frame = report_text.engagement_frame(results)
        notes = report_text.methodology_notes(results, questionnaire)
        words = [
            summary.headline,
            summary.situation,
            *summary.findings,
            summary.implications,
            summary.source,
            *(t.text for t in titles if t),
            *(t.source_line for t in titles if t),
            *(s.label + " " + s.explanation for s in frame),
            *notes.values(),
            report_text.functions_in_scope_text(results),
        ]
        for text in words:
            assert not re.search(
                r"\b1 (respondents|roles|questions|dimensions|organisations|actions|months)\b", text
            ), text
            assert not re.search(r"\bNone\b(?! of)|\bnan\b|\{|\}|  |\.\.| ,| \.|\(\)", text), text
            # one decimal for scores; the scoring note's example of the rule shows 1.96 on purpose
            unrounded = re.sub(r"\d\.\d\d is shown as", "", text)
            assert not re.search(r"\d\.\d\d", unrounded), text
        for sentence in [summary.situation, *summary.findings, summary.implications]:
            assert sentence.endswith("."), sentence
        expected = 5 if results["engagement"]["kind"] == "establish" else 3
        assert len(frame) == expected, slug
        assert (report_text.trend_title(results) is None) == (len(results["waves"]) == 1), slug


def test_the_weakest_and_the_strongest_client_read_differently(
    demo: dict[str, dict[str, Any]],
) -> None:
    weak = report_text.executive_summary(demo["marrowfield-grocers"])
    strong = report_text.executive_summary(demo["larkspur-mutual-assurance"])
    assert weak.headline.startswith(
        "Marrowfield Grocers' project management practice is at level 1 (Initial"
    )
    assert "meeting every target" in strong.headline
    assert strong.priorities == (
        "Every dimension meets its target, so the roadmap adds no new actions.",
    )
    assert all(isinstance(p, Priority) for p in weak.priorities)


# --- one rounding rule: the words follow the numbers as shown ---------------------------------


def test_a_score_shown_at_a_levels_start_is_called_that_level() -> None:
    results = make_results()
    # 1.96 is shown as 2.0: the level is read from the shown score, never "2.0 (Initial)"
    results["assessment"]["overall"] |= {"score": 1.96, "level": "Repeatable"}
    headline = report_text.executive_summary(results).headline
    assert headline.startswith("Acme Ltd's PMO is at level 2 (Repeatable, 2.0 of 5)")


def test_a_change_that_rounds_to_nothing_is_held_steady() -> None:
    results = make_results()
    assert report_facts.change_text(results, 2.34, 2.26) == "held steady at 2.3"
    assert report_facts.change_text(results, 2.25, 2.34) == "held steady at 2.3"  # 2.25 shows 2.3
    assert report_facts.change_text(results, 2.24, 2.35) == "risen from 2.2 to 2.4"


def test_a_score_shown_equal_to_its_target_meets_it() -> None:
    from pmo_assess.model.scale import ScoreScale

    scale = ScoreScale.from_dict(make_results()["scale"])
    assert not scale.below(3.46, 3.5)  # 3.5 against 3.5
    assert scale.below(3.44, 3.5)  # 3.4 against 3.5


def test_tied_roles_are_never_named_highest_and_lowest() -> None:
    results = make_results()
    overall = next(r for r in results["roles"] if r["dimension"] == "overall")
    overall["scores"] = {"executive": 3.0, "project-manager": 3.04}
    title = report_text.role_gap_title(results).text
    assert title.startswith("Every role gives the same overall score, 3.0")
    assert "the executive the lowest" not in title


def test_an_establish_frame_after_a_fall_says_so() -> None:
    results = two_waves()
    results["engagement"]["kind"] = "establish"
    results["progress"]["overall"] |= {"baseline": 2.6, "current": 2.4, "change": -0.2}
    step = next(s for s in report_text.engagement_frame(results) if s.step == "Implementation")
    assert step.label == "Not yet showing"
    assert step.explanation.startswith("The overall score has fallen from 2.6 to 2.4")


def test_one_respondent_in_both_waves_reads_in_the_singular() -> None:
    results = two_waves()
    results["progress"]["like_for_like"] = {
        "respondents": 1,
        "baseline": 4.0,
        "current": 4.0,
        "change": 0.0,
        "left": {"executive": 1},
        "joined": {},
    }
    finding = next(f for f in report_text.executive_summary(results).findings if "baseline" in f)
    assert finding.endswith(
        "The respondents changed: 1 executive from the baseline did not answer again. For the one "
        "respondent who answered both waves, the overall score has held steady at 4.0."
    )
