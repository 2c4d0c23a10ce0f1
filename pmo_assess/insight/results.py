"""Everything a client report shows for one client and wave, as one typed, JSON-ready object.

``build_results`` gathers it from the store: scores (the scoring engine's), targets and gaps,
percentage to target, progress since the first wave, scores by role, disagreements, the position
against peers and the roadmap. ``results.json`` is :meth:`ClientResults.to_dict`; the report
renders it and the notebooks show it.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.insight.benchmarks import Benchmark, compare, default_benchmark_path, load_benchmark
from pmo_assess.insight.contract import RESULTS_SCHEMA_VERSION
from pmo_assess.insight.recommendations import library_path, load_recommendations
from pmo_assess.insight.roadmap import Roadmap, RoadmapOptions, build_roadmap
from pmo_assess.model.answer_status import ANSWERED
from pmo_assess.model.questionnaire import PMO_FUNCTIONS, Questionnaire
from pmo_assess.model.scale import ScoreScale, score_scale
from pmo_assess.model.terms import ROLES, RoleName, named_role
from pmo_assess.scoring.assessment import AssessmentResult, role_scores, score_assessment
from pmo_assess.scoring.engine import ScoringOptions, progress_to_date
from pmo_assess.store.questionnaires import (
    engagement_questionnaire,
    engagement_questionnaire_file,
)
from pmo_assess.store.repository import Store, choose_wave, no_answers_message

# Version 2 added the scale, the subject and benefits, confidence, like-for-like progress, the
# considered peer groups, whether the wave is the latest and the roles' names (see
# results.schema.json).

#: The rule behind a dimension's confidence: High when all three criteria hold, Medium when two
#: do, Low when one or none does. "Direct" answers were given in an interview or checked against
#: evidence, not self-reported in a survey.
CONFIDENCE_RULE = {"min_respondents": 3, "min_coverage": 0.8, "min_direct_share": 0.5}
DIRECT_SOURCES = ("interview", "evidence-verified")


@dataclass(frozen=True)
class Gap:
    """A top-level dimension's distance to its target and the priority that follows."""

    dimension: str
    title: str
    score: float | None
    target: float | None
    gap: float | None
    importance: int
    priority: float | None


@dataclass(frozen=True)
class Progress:
    """Change since the baseline (first) wave, overall and per top-level dimension.

    ``change`` is the difference of the scores as shown, so "improved" and "held steady" agree
    with the numbers printed. ``like_for_like`` is None when the same respondents answered both
    waves; otherwise it holds the overall scores of only the respondents present in both, and
    how many left and joined, so the report can say how much of a change is who answered."""

    baseline_wave: str
    overall: dict[str, float | None]
    dimensions: list[dict[str, Any]]
    like_for_like: dict[str, Any] | None = None


@dataclass(frozen=True)
class ClientResults:
    """The whole content of one client's report."""

    client: dict[str, Any]
    engagement: dict[str, Any]
    questionnaire: dict[str, Any]
    scale: dict[str, Any]
    wave: dict[str, Any]
    waves: list[dict[str, Any]]
    respondents: dict[str, Any]
    assessment: dict[str, Any]
    gaps: list[Gap]
    progress: Progress | None
    trend: list[dict[str, Any]]
    roles: list[dict[str, Any]]
    disagreements: list[dict[str, Any]]
    benchmark: dict[str, Any] | None
    roadmap: dict[str, Any]
    data_quality: dict[str, Any]
    confidence: dict[str, Any]
    schema_version: int = RESULTS_SCHEMA_VERSION
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types only (lists, never tuples), exactly what ``results.json`` holds."""
        loaded: dict[str, Any] = json.loads(self.to_json())
        return loaded

    def to_json(self) -> str:
        """``results.json``: stable key order, non-ASCII kept as is."""
        return json.dumps(asdict(self), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def questionnaire_file(store: Store, client_slug: str) -> Path:
    """The file of the questionnaire a client's engagement uses: the workspace's own first, as
    :func:`build_results` finds it. A report run gets a copy, so a workspace questionnaire (or a
    workspace's edited copy of a built-in one) is the one its report shows."""
    return engagement_questionnaire_file(store.workspace, store.engagement(client_slug))


def build_results(
    store: Store,
    client_slug: str,
    wave: str | None = None,
    benchmark_path: str | Path | None = None,
    roadmap_options: RoadmapOptions | None = None,
    min_peers: int = 5,
) -> ClientResults:
    """The results of a client's wave (the latest when ``wave`` is None)."""
    client = store.client(client_slug)
    engagement = store.engagement(client_slug)
    waves = store.waves(engagement.id)
    chosen = choose_wave(waves, wave, client_slug)
    questionnaire = engagement_questionnaire(store.workspace, engagement)
    answers = store.load_answers(client_slug, questionnaire_id=questionnaire.id)
    check_answered_questions(client_slug, questionnaire, answers)
    options = ScoringOptions(targets=engagement.targets or None)
    current_answers = answers[answers["wave"] == chosen.label]
    if current_answers.empty:
        raise PmoAssessError(
            no_answers_message(client_slug, chosen.label, store.respondents(chosen.id))
        )
    benchmark = _benchmark_file(questionnaire, benchmark_path)
    scale = score_scale(questionnaire)
    result = score_assessment(questionnaire, current_answers, options=options)
    earlier = [
        score_assessment(questionnaire, answers[answers["wave"] == w.label], options=options)
        for w in waves[: waves.index(chosen)]
        if (answers["wave"] == w.label).any()
    ]
    baseline_answers = answers[answers["wave"] == earlier[0].wave] if earlier else None
    roadmap, library = _roadmap(questionnaire, result, engagement.importance, roadmap_options)
    return ClientResults(
        client={
            "slug": client.slug,
            "name": client.name,
            "industry": client.industry,
            "size_band": client.size_band,
            "region": client.region,
        },
        engagement={
            "kind": engagement.kind,
            "pmo_type": engagement.pmo_type,
            "functions_in_scope": [
                {"id": f, "name": PMO_FUNCTIONS.get(f, f)} for f in engagement.functions_in_scope
            ],
            "objectives": list(engagement.objectives),
        },
        questionnaire={
            "id": questionnaire.id,
            "version": questionnaire.version,
            "title": questionnaire.title,
            "subject": questionnaire.subject or None,
            "benefits": list(questionnaire.benefits),
        },
        scale=scale.to_dict(),
        wave={
            "label": chosen.label,
            "held_on": _date(chosen.held_on),
            "latest": chosen is waves[-1],
        },
        waves=[{"label": w.label, "held_on": _date(w.held_on)} for w in waves],
        respondents=_respondents(current_answers, answers, store.role_names(engagement.id)),
        assessment=result.to_dict(),
        gaps=_gaps(questionnaire, result, engagement.importance, roadmap),
        progress=(
            _progress(
                questionnaire, options, scale, result, earlier[0], current_answers, baseline_answers
            )
            if earlier and baseline_answers is not None
            else None
        ),
        trend=[_trend_point(r) for r in [*earlier, result]],
        roles=_roles(questionnaire, scale, current_answers),
        disagreements=_disagreements(questionnaire, result, current_answers),
        benchmark=_benchmark(
            questionnaire, client.industry, client.size_band, result, benchmark, min_peers
        ),
        roadmap=roadmap.to_dict() | {"library": library},
        data_quality=_data_quality(questionnaire, result, current_answers),
        confidence=_confidence(questionnaire, result, current_answers),
    )


def _roadmap(
    questionnaire: Questionnaire,
    result: AssessmentResult,
    importance: dict[str, int],
    options: RoadmapOptions | None,
) -> tuple[Roadmap, dict[str, Any] | None]:
    """The roadmap from the questionnaire's library and the library's id, version and benefits;
    an empty roadmap and None when the questionnaire has no library (e.g. pmo-readiness)."""
    path = library_path(questionnaire)
    if not path.is_file():
        return Roadmap((), {}, ()), None
    library = load_recommendations(path, questionnaire)
    scores = {d.id: d.score for d in result.dimensions}
    targets = {d.id: d.target for d in result.dimensions}
    roadmap = build_roadmap(questionnaire, library, scores, targets, importance, options)
    return roadmap, {"id": library.id, "version": library.version, "benefits": library.benefits}


def check_answered_questions(
    client_slug: str, questionnaire: Questionnaire, answers: pd.DataFrame
) -> None:
    """Refuse stored answers to questions the questionnaire no longer has: scoring would drop
    them without a word, and the report would rest on fewer answers than were given."""
    known = {q.id for q in questionnaire.questions()}
    stray = answers[~answers["question_id"].isin(known)]
    if stray.empty:
        return
    ids = sorted(set(stray["question_id"].astype(str)))
    waves = ", ".join(sorted(set(stray["wave"].astype(str))))
    shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
    raise PmoAssessError(
        f"Client '{client_slug}' has {len(stray)} stored answer(s) (wave {waves}) to question(s) "
        f"that questionnaire '{questionnaire.id}' version {questionnaire.version} does not have: "
        f"{shown}. Put the questions back in the questionnaire, or move those answers to the "
        "questions' new ids, then render again."
    )


def _respondents(
    current: pd.DataFrame, answers: pd.DataFrame, added: dict[str, RoleName]
) -> dict[str, Any]:
    """The wave's respondents by role, and the names of every role of any wave (a like-for-like
    comparison names the baseline's roles too), so the report looks no name up elsewhere."""
    people = current.drop_duplicates("respondent")
    by_role = Counter(_role(r) for r in people["role"])
    names = {**ROLES, **added}
    return {
        "total": len(people),
        "by_role": dict(sorted(by_role.items())),
        "role_names": {
            role: asdict(named_role(role, names))
            for role in sorted(set(map(_role, answers["role"])))
        },
    }


def _gaps(
    questionnaire: Questionnaire,
    result: AssessmentResult,
    importance: dict[str, int],
    roadmap: Roadmap,
) -> list[Gap]:
    gaps = [
        Gap(
            d.id,
            d.title,
            d.score,
            d.target,
            d.gap,
            importance.get(d.id, 2),
            roadmap.priorities.get(d.id),
        )
        for d in result.dimensions
    ]
    return sorted(gaps, key=lambda g: (-(g.priority or 0), -(g.gap or 0), g.dimension))


def _progress(
    questionnaire: Questionnaire,
    options: ScoringOptions,
    scale: ScoreScale,
    current: AssessmentResult,
    baseline: AssessmentResult,
    current_answers: pd.DataFrame,
    baseline_answers: pd.DataFrame,
) -> Progress:
    before = {d.id: d.score for d in baseline.dimensions}
    dimensions = [
        {
            "dimension": d.id,
            "title": d.title,
            "baseline": before.get(d.id),
            "current": d.score,
            "target": d.target,
            "change": _change(scale, before.get(d.id), d.score),
            "progress": _shown_progress(scale, d.score, before.get(d.id), d.target),
        }
        for d in current.dimensions
    ]
    mean_target = _mean_target(current)
    overall = {
        "baseline": baseline.overall.score,
        "current": current.overall.score,
        "target": mean_target,
        "change": _change(scale, baseline.overall.score, current.overall.score),
        "progress": _shown_progress(
            scale, current.overall.score, baseline.overall.score, mean_target
        ),
    }
    like = _like_for_like(questionnaire, options, scale, current_answers, baseline_answers)
    return Progress(baseline.wave, overall, dimensions, like)


def _shown_progress(
    scale: ScoreScale, current: float | None, baseline: float | None, target: float | None
) -> float | None:
    """Progress to target from the scores as shown, so the share printed beside them is the
    share a reader works out from them (2.5 to 3.4 against 3.5 is 90%, not 88%)."""
    values = [None if v is None else scale.shown(v) for v in (current, baseline, target)]
    return progress_to_date(*values)


def _change(scale: ScoreScale, before: float | None, after: float | None) -> float | None:
    return None if before is None or after is None else scale.change(before, after)


def _like_for_like(
    questionnaire: Questionnaire,
    options: ScoringOptions,
    scale: ScoreScale,
    current: pd.DataFrame,
    baseline: pd.DataFrame,
) -> dict[str, Any] | None:
    """The overall change among the respondents who answered both waves (matched by their
    respondent code), or None when both waves had the same respondents."""
    now, before = set(current["respondent"]), set(baseline["respondent"])
    if now == before:
        return None
    both = now & before
    left, joined = before - now, now - before
    scores: dict[str, float | None] = {"baseline": None, "current": None}
    if both:
        for key, frame in (("baseline", baseline), ("current", current)):
            kept = frame[frame["respondent"].isin(both)]
            scores[key] = score_assessment(questionnaire, kept, options=options).overall.score
    return {
        "respondents": len(both),
        "baseline": scores["baseline"],
        "current": scores["current"],
        "change": _change(scale, scores["baseline"], scores["current"]),
        "left": _roles_of(baseline, left),
        "joined": _roles_of(current, joined),
    }


def _roles_of(answers: pd.DataFrame, respondents: set[str]) -> dict[str, int]:
    """How many of these respondents hold each role."""
    people = answers[answers["respondent"].isin(respondents)].drop_duplicates("respondent")
    return dict(sorted(Counter(_role(r) for r in people["role"]).items()))


def _role(value: Any) -> str:
    """A respondent's role, or ``unspecified`` when none was given."""
    return (
        "unspecified" if value is None or pd.isna(value) or not str(value).strip() else str(value)
    )


def _mean_target(result: AssessmentResult) -> float | None:
    pairs = [(d.target, 1.0) for d in result.dimensions if d.target is not None]
    return sum(t for t, _ in pairs) / len(pairs) if pairs else None


def _trend_point(result: AssessmentResult) -> dict[str, Any]:
    return {
        "wave": result.wave,
        "overall": result.overall.score,
        "dimensions": {d.id: d.score for d in result.dimensions},
    }


def _roles(
    questionnaire: Questionnaire, scale: ScoreScale, answers: pd.DataFrame
) -> list[dict[str, Any]]:
    table = role_scores(questionnaire, answers)
    top = {d.id: d.title for d in questionnaire.dimensions} | {"overall": "Overall"}
    rows = []
    for dimension, title in top.items():
        part = table[table["dimension"] == dimension]
        scores = {
            str(r.role): (None if pd.isna(r.score) else float(r.score)) for r in part.itertuples()
        }
        counts = {str(r.role): int(r.respondents) for r in part.itertuples()}
        known = [s for s in scores.values() if s is not None]
        rows.append(
            {
                "dimension": dimension,
                "title": title,
                "scores": scores,
                "respondents": counts,
                # between the scores as shown, so the spread printed equals their printed difference
                "spread": scale.change(min(known), max(known)) if len(known) > 1 else None,
            }
        )
    return rows


def _disagreements(
    questionnaire: Questionnaire, result: AssessmentResult, answers: pd.DataFrame
) -> list[dict[str, Any]]:
    """Flagged questions, widest range first, each with what respondents noted (by role, never
    by name or code) so the consultant can take the discussion back to the client."""
    titles = {d.id: d.title for d in questionnaire.walk()}
    noted = answers[answers["note"].fillna("").str.strip() != ""]
    flagged = [q for q in result.questions if q.disagreement]
    flagged.sort(key=lambda q: (-((q.max or 0) - (q.min or 0)), q.id))
    return [
        {
            "question_id": q.id,
            "text": questionnaire.question(q.id).text,
            "dimension": q.dimension,
            "dimension_title": titles[q.dimension],
            "min": q.min,
            "max": q.max,
            "sd": q.sd,
            "n": q.n,
            "notes": [
                {"role": str(row.role), "note": str(row.note).strip()}
                for row in noted[noted["question_id"] == q.id].itertuples()
            ][:3],
        }
        for q in flagged
    ]


def _benchmark_file(questionnaire: Questionnaire, path: str | Path | None) -> Path | None:
    """The benchmark to compare with: the one given (an error when it does not exist, before
    anything is scored), else the questionnaire's own, else None."""
    if path:
        given = Path(path)
        if not given.is_file():
            raise PmoAssessError(
                f"Benchmark file not found: {given}. Give the path of a benchmark CSV, or leave "
                "out --benchmark to use the questionnaire's own."
            )
        return given
    found = default_benchmark_path(questionnaire)
    return found if found is not None and found.is_file() else None


def _benchmark(
    questionnaire: Questionnaire,
    industry: str | None,
    size_band: str | None,
    result: AssessmentResult,
    chosen: Path | None,
    min_peers: int,
) -> dict[str, Any] | None:
    if chosen is None:
        return None
    benchmark: Benchmark = load_benchmark(chosen)
    scores = {"overall": result.overall.score} | {d.id: d.score for d in result.dimensions}
    comparison = compare(
        benchmark,
        {
            "industry": industry,
            "size_band": size_band,
            "scores": scores,
            "questionnaire_id": questionnaire.id,
            "questionnaire_version": questionnaire.version,
            "dimension_ids": [d.id for d in questionnaire.dimensions],
        },
        min_peers=min_peers,
    )
    return comparison.to_dict() | {"organisations": len(benchmark.rows)}


def _data_quality(
    questionnaire: Questionnaire, result: AssessmentResult, answers: pd.DataFrame
) -> dict[str, Any]:
    out_of_scope = [
        q.id for q in result.questions if q.n == 0 and q.n_na > 0 and q.n_dont_know == 0
    ]
    unanswered = [q.id for q in result.questions if q.n == 0 and q.id not in out_of_scope]
    insufficient = [
        {"dimension": d.id, "title": d.title, "coverage": d.coverage}
        for _, d in result.flat_dimensions()
        if d.insufficient
    ]
    statuses = answers["status"].value_counts()
    total = int(statuses.sum())
    return {
        "answers": total,
        "not_applicable": int(statuses.get("na", 0)),
        "dont_know": int(statuses.get("dont_know", 0)),
        "out_of_scope_questions": [
            {"id": q, "text": questionnaire.question(q).text} for q in out_of_scope
        ],
        "unanswered_questions": [
            {"id": q, "text": questionnaire.question(q).text} for q in unanswered
        ],
        "insufficient_dimensions": insufficient,
        "confidence": {
            str(k): int(v) for k, v in answers["confidence"].value_counts().sort_index().items()
        }
        if "confidence" in answers
        else {},
    }


def _confidence(
    questionnaire: Questionnaire, result: AssessmentResult, answers: pd.DataFrame
) -> dict[str, Any]:
    """How far each dimension's score (at any depth) and the overall score can be trusted, by
    :data:`CONFIDENCE_RULE`: the number of respondents, the coverage, and the share of scored
    answers given in an interview or checked against evidence rather than self-reported."""
    scored = answers[answers["status"] == ANSWERED]
    direct = (
        scored["confidence"].isin(DIRECT_SOURCES)
        if "confidence" in scored
        else pd.Series(False, index=scored.index)
    )
    below = {d.id: {q.id for q in d.all_questions()} for d in questionnaire.walk()}
    below["overall"] = {q.id for q in questionnaire.questions()}
    nodes = [
        (d.id, d.score, d.coverage, d.respondents, d.insufficient)
        for _, d in result.flat_dimensions()
    ]
    overall = result.overall
    nodes.append(
        ("overall", overall.score, overall.coverage, overall.respondents, overall.insufficient)
    )
    found = {}
    for node_id, score, coverage, respondents, insufficient in nodes:
        inside = scored["question_id"].isin(below[node_id])
        share = float(direct[inside].mean()) if inside.any() else 0.0
        met = [
            respondents >= CONFIDENCE_RULE["min_respondents"],
            (coverage or 0.0) >= CONFIDENCE_RULE["min_coverage"],
            share >= CONFIDENCE_RULE["min_direct_share"],
        ]
        if score is None and coverage is None:
            level = "Out of scope"  # every question marked not applicable: nothing to trust
        elif insufficient or score is None:
            level = "Insufficient"
        else:
            level = ("Low", "Low", "Medium", "High")[sum(met)]
        found[node_id] = {"level": level, "respondents": respondents, "direct_share": share}
    return {"rule": dict(CONFIDENCE_RULE), "dimensions": found}


def _date(value: Any) -> str | None:
    return value.isoformat() if value is not None else None
