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

from pmo_assess.model.scale import names_its_number
from pmo_assess.report.text.facts import (
    below_target,
    benchmark_kind,
    dimensions,
    level_phrase,
    of_top,
    overall_change,
    peer_set_text,
    programme_noun,
    respondents_text,
    scale_of,
    shown,
    shown_difference,
    subject,
    targeted,
)
from pmo_assess.report.text.findings import key_findings
from pmo_assess.report.text.phrases import (
    ahead_of_text,
    all_of,
    date_text,
    join_list,
    lower_first,
    number_word,
    percent,
    plural,
)
from pmo_assess.report.text.sources import exhibit_source
from pmo_assess.scoring.options import MIN_COVERAGE


class Priority(NamedTuple):
    """A top priority: a roadmap action and its dimension."""

    title: str
    dimension: str


@dataclass(frozen=True)
class Summary:
    """The one-page executive summary: ``priorities`` holds the roadmap's three highest-priority
    actions, or one sentence saying why there are none."""

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
    level = level_phrase(results, overall["score"])
    target, peers = _target_clause(results), _peer_clause(results)
    clauses = [c for c in (target, peers) if c]
    # "..., with 2 dimensions still below target" reads as an aside, never "and with ..."
    aside = bool(target and target.startswith("with"))
    if len(clauses) == 2:
        return f"{subject(results)} is at {level}, {clauses[0]}, and {clauses[1]}"
    if clauses:
        joint = ", " if aside else " and "
        return f"{subject(results)} is at {level}{joint}{clauses[0]}"
    return f"{subject(results)} is at {level}"


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
    if scale_of(results).below(score, target):
        return (
            f"{shown_difference(results, target, score)} below {name} of {shown(results, target)}"
        )
    short = below_target(results)
    return f"with {number_word(len(short))} {'dimension' if len(short) == 1 else 'dimensions'} still below target"


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
        title = results["questionnaire"]["title"]
        across = (
            f"Across the {count} dimensions of the {title}"
            if count > 1
            else f"On the one dimension of the {title}"
        )
        first = (
            f"{across}, {subject(results)} scores {of_top(results, overall['score'])}, which is "
            f"{_level_clause(results, overall['score'])}."
        )
    coverage = overall["coverage"] or 0.0
    answered = (
        "between them they gave a scored answer to every question in scope"
        if coverage >= 1 - 1e-9
        else f"between them they gave a scored answer to {percent(coverage)} of the questions "
        "in scope" + (", too few for firm conclusions" if coverage < MIN_COVERAGE else "")
    )
    if results["respondents"]["total"] == 1:
        answered = answered.replace("between them they gave", "they gave")
    second = f"The result rests on {respondents_text(results)} in wave {wave['label']}{held}; {answered}."
    return f"{first} {second} {_target_sentence(results)}{_later_waves(results)}".strip()


def _level_clause(results: dict[str, Any], score: float) -> str:
    """'level 2, Repeatable', 'level 1' (a level named "Level 1"), 'below the first level'."""
    band = scale_of(results).level(score)
    if band is None:
        return "below the first level"
    return f"level {band.number}" + ("" if names_its_number(band) else f", {band.name}")


def _later_waves(results: dict[str, Any]) -> str:
    """A pointer to the latest wave when this report is of an earlier one."""
    if results["wave"]["latest"]:
        return ""
    labels = [w["label"] for w in results["waves"]]
    later = len(labels) - 1 - labels.index(results["wave"]["label"])
    latest = results["waves"][-1]
    when = f" ({date_text(latest['held_on'])})" if latest["held_on"] else ""
    return (
        f" This report covers an earlier wave: {plural(later, 'later wave')} "
        f"{'has' if later == 1 else 'have'} been assessed since, and the latest, "
        f"wave {latest['label']}{when}, has its own report."
    )


def _target_sentence(results: dict[str, Any]) -> str:
    with_target, short = targeted(results), below_target(results)
    share = results["assessment"]["overall"]["percentage_to_target"]
    if not dimensions(results):
        return "Without reliable scores, the distance to target cannot be measured."
    if not with_target or share is None:
        return "No targets have been set yet, so the distance to target is not measured."
    if not short:
        return (
            f"{all_of(len(with_target), capital=True)} dimensions with a target meet or exceed it."
        )
    return (
        f"Counting each dimension only up to its target, the scores reach {percent(share)} of "
        f"the targets; {_share_of(len(short), len(with_target))} "
        f"{'is' if len(short) == 1 and len(with_target) > 1 else 'are'} still below target."
    )


def _share_of(part: int, whole: int) -> str:
    """'1 of the 3 dimensions', 'both dimensions', 'all 12 dimensions', 'the one dimension'."""
    if whole == 1:
        return "the one dimension"
    return f"{all_of(whole)} dimensions" if part == whole else f"{part} of the {whole} dimensions"


def _implications(results: dict[str, Any]) -> str:
    first = _benefit_sentence(results)
    kind, progress = results["engagement"]["kind"], results["progress"]
    if kind == "establish" and below_target(results):
        return (
            f"{first} With the {programme_noun(results)} still being set up, these are the "
            "foundations to lay first."
        )
    change = overall_change(results)
    if change is not None and below_target(results):
        if change > 0:
            return f"{first} The rise since wave {progress['baseline_wave']} shows that improvement is under way."
        if change < 0:
            return (
                f"{first} The fall since wave {progress['baseline_wave']} needs explaining first."
            )
    return first


def _benefit_sentence(results: dict[str, Any]) -> str:
    """What closing the gaps would bring: the benefits the roadmap's actions serve, else the
    benefits the questionnaire declares, else no promise at all."""
    short = [g for g in results["gaps"] if g["gap"] and g["gap"] > 0][:2]
    if not dimensions(results):
        return "More evidence is needed before the results can show where improvement pays off."
    if not targeted(results):
        return "Without agreed targets the results cannot yet show where improvement pays off most."
    declared = results["questionnaire"]["benefits"]
    hold = "the task now is to hold this level and decide whether higher targets would pay off"
    if not short:
        if declared:
            return f"With every target met, the benefits the assessment looks for are within reach; {hold}."
        return f"Every target is met; {hold}."
    names = join_list([g["title"] for g in short])
    library = results["roadmap"]["library"]
    items = [
        i for i in results["roadmap"]["items"] if i["dimension"] in {g["dimension"] for g in short}
    ]
    if library and items and library["benefits"]:
        counted = Counter(i["benefit"] for i in items).most_common(2)
        benefits = [lower_first(library["benefits"].get(b, b)) for b, _ in counted]
        how_many = f"{number_word(len(benefits))} of the {number_word(len(library['benefits']))}"
        return (
            f"Closing the highest-priority gaps, in {names}, would do most for {how_many} "
            f"benefits the improvement actions serve: {join_list(benefits)}."
        )
    if declared:
        return (
            f"Closing the highest-priority gaps, in {names}, comes first: until then "
            f"{subject(results)} cannot fully deliver "
            f"{join_list([lower_first(b) for b in declared])}."
        )
    return f"Closing the highest-priority gaps, in {names}, comes first."


def _priorities(results: dict[str, Any]) -> tuple[Priority | str, ...]:
    roadmap = results["roadmap"]
    if roadmap["library"] is None:
        return (
            f"No priorities are generated: the {results['questionnaire']['title']} has no "
            "library of improvement actions, so priorities are agreed with the client directly.",
        )
    if not roadmap["items"]:
        return ("Every dimension meets its target, so the roadmap adds no new actions.",)
    # the three highest-priority actions (ties in roadmap order), not the first three listed,
    # which are the quick wins of the first phase whatever their priority
    top = sorted(roadmap["items"], key=lambda i: (-i["priority"], i["order"]))[:3]
    return tuple(Priority(i["title"], i["dimension_title"]) for i in top)
