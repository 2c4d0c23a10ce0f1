"""The executive summary: headline, situation, findings, implications and priorities.

Takes the results dict of one client and wave (``ClientResults.to_dict()``) and returns plain
text (the renderer escapes it): scores with one decimal, shares as whole percentages, n beside
every statistic, synthetic benchmarks called synthetic. Facts come from
:mod:`pmo_assess.report.text.facts`, phrasing from :mod:`pmo_assess.report.text.phrases`; the report reads
:func:`executive_summary` through :mod:`pmo_assess.report.text`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, NamedTuple

from pmo_assess.report.text.facts import (
    SCALE_TOP,
    below_target,
    benchmark_kind,
    dimensions,
    level_number,
    level_phrase,
    overall_change,
    peer_set_text,
    respondents_text,
    subject,
    targeted,
)
from pmo_assess.report.text.findings import key_findings
from pmo_assess.report.text.phrases import (
    ahead_of_text,
    date_text,
    difference,
    join_list,
    lower_first,
    number_word,
    percent,
    plural,
    score_text,
)
from pmo_assess.report.text.sources import exhibit_source
from pmo_assess.scoring.options import MIN_COVERAGE

#: The five benefits a PMO brings, for engagements whose questionnaire has no library.
BENEFITS = (
    "higher project success rates",
    "lower project costs",
    "greater efficiency",
    "better decisions and communication",
    "closer alignment with strategy",
)


class Priority(NamedTuple):
    """A top priority: a roadmap action and its dimension."""

    title: str
    dimension: str


@dataclass(frozen=True)
class Summary:
    """The one-page executive summary: ``priorities`` holds the roadmap's first three actions,
    or one sentence saying why there are none."""

    headline: str
    situation: str
    findings: tuple[str, ...]
    implications: str
    priorities: tuple[Priority | str, ...]
    source: str


def executive_summary(results: dict[str, Any]) -> Summary:
    """The executive summary of one client's wave.

    Examples
    --------
    >>> import tempfile
    >>> from pmo_assess.engagement.demo import build_demo_workspace
    >>> from pmo_assess.insight.results import build_results
    >>> from pmo_assess.store.repository import Store
    >>> with tempfile.TemporaryDirectory() as tmp, Store.open(workspace=tmp) as store:
    ...     _ = build_demo_workspace(store, clients=1)
    ...     results = build_results(store, "quellbach-prazision").to_dict()
    >>> print(executive_summary(results).headline)  # doctest: +NORMALIZE_WHITESPACE
    Quellbach Präzision's PMO is at level 2 (Repeatable, 2.9 of 5), 0.2 below its average
    target of 3.1, and ahead of 65% of synthetic peers
    """
    findings = key_findings(results)
    return Summary(
        headline=_headline(results),
        situation=_situation(results),
        findings=tuple(findings),
        implications=_implications(results),
        priorities=_priorities(results),
        source=exhibit_source(results, "summary"),
    )


def _headline(results: dict[str, Any]) -> str:
    overall = results["assessment"]["overall"]
    if overall["score"] is None:
        return f"{subject(results)} could not be scored: too few questions were answered"
    clauses = [level_phrase(results, overall["score"], overall["level"])]
    clauses += [c for c in (_target_clause(results), _peer_clause(results)) if c]
    if len(clauses) == 3:
        return f"{subject(results)} is at {clauses[0]}, {clauses[1]}, and {clauses[2]}"
    return f"{subject(results)} is at {' and '.join(clauses)}"


def _mean_target(results: dict[str, Any]) -> float | None:
    targets = [d["target"] for d in results["assessment"]["dimensions"] if d["target"] is not None]
    return sum(targets) / len(targets) if targets else None


def _target_clause(results: dict[str, Any]) -> str | None:
    target, score = _mean_target(results), results["assessment"]["overall"]["score"]
    if target is None or not targeted(results):
        return None
    if not below_target(results):
        return "meeting every target"
    uniform = len({g["target"] for g in targeted(results)}) == 1
    name = "its target" if uniform else "its average target"
    if round(target, 1) - round(score, 1) >= 0.05:
        return f"{difference(target, score)} below {name} of {score_text(target)}"
    short = below_target(results)
    return f"with {plural(len(short), 'dimension')} still below target"


def _peer_clause(results: dict[str, Any]) -> str | None:
    overall = ((results["benchmark"] or {}).get("overall")) or {}
    if not peer_set_text(results) or overall.get("percentile") is None:
        return None
    synthetic = "synthetic" in benchmark_kind(results)
    return ahead_of_text(overall["percentile"], "synthetic peers" if synthetic else "peers")


def _situation(results: dict[str, Any]) -> str:
    overall, wave = results["assessment"]["overall"], results["wave"]
    count = len(results["assessment"]["dimensions"])
    held = f", held on {date_text(wave['held_on'])}" if wave["held_on"] else ""
    first = f"{subject(results)} has no overall score: too few questions have a scored answer."
    if overall["score"] is not None:
        level = f"level {level_number(results, overall['score'])}"
        first = (
            f"Across the {count} dimensions of the {results['questionnaire']['title']}, "
            f"{subject(results)} scores {score_text(overall['score'])} of {SCALE_TOP}, which is "
            + (f"{level}, {overall['level']}." if overall["level"] else f"{level}.")
        )
    coverage = overall["coverage"] or 0.0
    answered = (
        "between them they gave a scored answer to every question in scope"
        if coverage >= 0.995
        else f"between them they gave a scored answer to {percent(coverage)} of the questions "
        "in scope" + (", too few for firm conclusions" if coverage < MIN_COVERAGE else "")
    )
    second = f"The result rests on {respondents_text(results)} in wave {wave['label']}{held}; {answered}."
    return f"{first} {second} {_target_sentence(results)}".strip()


def _target_sentence(results: dict[str, Any]) -> str:
    with_target, short = targeted(results), below_target(results)
    share = results["assessment"]["overall"]["percentage_to_target"]
    if not dimensions(results):
        return "Without reliable scores, the distance to target cannot be measured."
    if not with_target or share is None:
        return "No targets have been set yet, so the distance to target is not measured."
    if not short:
        return f"All {len(with_target)} dimensions with a target meet or exceed it."
    return (
        f"Counting each dimension only up to its target, the scores reach {percent(share)} of "
        f"the targets; {_share_of(len(short), len(with_target))} dimensions are still below target."
    )


def _share_of(part: int, whole: int) -> str:
    return f"all {whole}" if part == whole else f"{part} of the {whole}"


def _implications(results: dict[str, Any]) -> str:
    first = _benefit_sentence(results)
    kind, progress = results["engagement"]["kind"], results["progress"]
    if kind == "establish" and below_target(results):
        return f"{first} With the PMO still being set up, these are the foundations to lay first."
    change = overall_change(results)
    if change is not None and below_target(results):
        if change >= 0.05:
            return f"{first} The rise since wave {progress['baseline_wave']} shows that improvement is under way."
        if change <= -0.05:
            return (
                f"{first} The fall since wave {progress['baseline_wave']} needs explaining first."
            )
    return first


def _benefit_sentence(results: dict[str, Any]) -> str:
    short = [g for g in results["gaps"] if g["gap"] and g["gap"] > 0][:2]
    if not dimensions(results):
        return "More evidence is needed before the results can show where improvement pays off."
    if not targeted(results):
        return "Without agreed targets the results cannot yet show where improvement pays off most."
    if not short:
        return (
            "With every target met, the PMO is placed to deliver its benefits; the task now is "
            "to hold this level and decide whether higher targets would pay off."
        )
    names = join_list([g["title"] for g in short])
    library = results["roadmap"]["library"]
    items = [
        i for i in results["roadmap"]["items"] if i["dimension"] in {g["dimension"] for g in short}
    ]
    if not library or not items:
        new = results["engagement"]["kind"] == "establish"
        who = "a new PMO would struggle to deliver" if new else "the PMO cannot fully deliver"
        return (
            f"Closing the highest-priority gaps, in {names}, comes first: until then {who} "
            f"its benefits of {join_list(list(BENEFITS))}."
        )
    counted = Counter(i["benefit"] for i in items).most_common(2)
    benefits = [lower_first(library["benefits"].get(b, b)) for b, _ in counted]
    how_many = f"{number_word(len(benefits))} of the {number_word(len(library['benefits']))}"
    return (
        f"Closing the highest-priority gaps, in {names}, would do most for {how_many} benefits "
        f"a PMO exists to deliver: {join_list(benefits)}."
    )


def _priorities(results: dict[str, Any]) -> tuple[Priority | str, ...]:
    roadmap = results["roadmap"]
    if roadmap["library"] is None:
        return (
            f"No priorities are generated: the {results['questionnaire']['title']} has no "
            "library of improvement actions, so priorities are agreed with the client directly.",
        )
    if not roadmap["items"]:
        return ("Every dimension meets its target, so the roadmap adds no new actions.",)
    return tuple(Priority(i["title"], i["dimension_title"]) for i in roadmap["items"][:3])
