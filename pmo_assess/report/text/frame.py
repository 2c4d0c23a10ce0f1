"""The engagement frame: where the client stands on the steps of establishing or optimizing a PMO.

Takes the results dict of one client and wave (``ClientResults.to_dict()``) and returns
:class:`FrameStep` objects of plain text (the renderer escapes it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from pmo_assess.model.questionnaire import PMO_FUNCTIONS
from pmo_assess.report.text.facts import overall_change, respondents_text
from pmo_assess.report.text.phrases import (
    cap,
    change_text,
    date_text,
    join_list,
    lower_first,
    number_word,
    percent,
    plural,
    score_text,
)
from pmo_assess.scoring.options import MIN_COVERAGE

PMO_TYPES = {
    "supportive": "a supportive PMO, which offers templates, training and advice",
    "controlling": "a controlling PMO, which sets standards and checks that projects follow them",
    "directive": "a directive PMO, which runs projects itself",
}


@dataclass(frozen=True)
class FrameStep:
    """Where the client stands on one step of establishing or optimizing a PMO: a one-line
    ``label``, a short ``explanation``, and a ``status`` for the mark beside it (``done``,
    ``partial``, ``open`` or ``unknown``)."""

    step: str
    label: str
    explanation: str
    status: str


def functions_in_scope_text(results: dict[str, Any]) -> str:
    """One sentence naming the PMO functions the engagement covers, out of the method's eight."""
    names = [lower_first(f["name"]) for f in results["engagement"]["functions_in_scope"]]
    if not names:
        return "No PMO functions have been put in scope yet."
    total = len(PMO_FUNCTIONS)
    if len(names) == total:
        return f"The engagement covers all {total} PMO functions: {join_list(names)}."
    return f"The engagement covers {len(names)} of the {total} PMO functions: {join_list(names)}."


def engagement_frame(results: dict[str, Any]) -> list[FrameStep]:
    """Where the client stands on the five steps of establishing a PMO (an establish
    engagement) or the three steps of optimizing one (an optimize engagement)."""
    if results["engagement"]["kind"] == "establish":
        return [
            _scope_step(results),
            _assessment_step(results),
            _plan_step(results),
            _support_step(results),
            _implementation_step(results),
        ]
    return [_reassessment_step(results), _improvement_step(results), _monitoring_step(results)]


def _scope_step(results: dict[str, Any]) -> FrameStep:
    engagement = results["engagement"]
    functions, objectives, pmo_type = (
        engagement["functions_in_scope"],
        engagement["objectives"],
        engagement["pmo_type"],
    )
    kind = PMO_TYPES.get(pmo_type or "", f"a {pmo_type} PMO")
    parts = [plural(len(functions), "PMO function")] if functions else []
    parts += [plural(len(objectives), "objective")] if objectives else []
    parts += [kind.split(",")[0]] if pmo_type else []
    status = "done" if len(parts) == 3 else "partial" if parts else "open"
    label = {"done": "Defined", "partial": "Partly defined", "open": "Not yet defined"}
    goals = f"Objectives: {'; '.join(objectives)}." if objectives else "No objectives recorded yet."
    shape = f"The PMO is to be {kind}." if pmo_type else "No PMO type chosen yet."
    return FrameStep(
        "Scope and objectives",
        label[status] + (f": {', '.join(parts)}" if parts else ""),
        f"{functions_in_scope_text(results)} {goals} {shape}",
        status,
    )


def _assessment_step(results: dict[str, Any]) -> FrameStep:
    overall, wave = results["assessment"]["overall"], results["wave"]
    coverage = overall["coverage"] or 0.0
    thin = coverage < MIN_COVERAGE
    answered = "every question" if coverage >= 0.995 else f"{percent(coverage)} of the questions"
    return FrameStep(
        "Maturity assessment",
        f"Done in wave {wave['label']}" + (", on thin evidence" if thin else ""),
        f"This assessment: {respondents_text(results)}, a scored answer to {answered} in "
        f"scope, and an overall score of {score_text(overall['score'])} of 5.",
        "partial" if thin else "done",
    )


def _plan_step(results: dict[str, Any]) -> FrameStep:
    roadmap = results["roadmap"]
    items = roadmap["items"]
    if roadmap["library"] is None:
        return FrameStep(
            "Implementation plan",
            "Not started",
            "The questionnaire has no library of actions, so the plan is to be drafted by hand "
            "from the gaps in this assessment.",
            "open",
        )
    if not items:
        return FrameStep(
            "Implementation plan",
            "Not needed yet",
            "Every dimension meets its target, so no actions are proposed.",
            "done",
        )
    phases = list(dict.fromkeys(i["phase_name"] for i in items))
    return FrameStep(
        "Implementation plan",
        f"Drafted: {plural(len(items), 'action')} in {plural(len(phases), 'phase')}",
        f"The roadmap in this report is built from the gaps to target ({join_list(phases)}); "
        "owners, resources and dates remain to be agreed with the sponsor.",
        "partial",
    )


def _find_dimension(results: dict[str, Any], key: str) -> dict[str, Any] | None:
    dims = results["assessment"]["dimensions"]
    return next((d for d in dims if d["id"] == key), None) or next(
        (d for d in dims if key in d["title"].lower()), None
    )


def _band_step(
    results: dict[str, Any], step: str, key: str, topic: str, meanings: tuple[str, str, str]
) -> FrameStep:
    """A step judged from one dimension's score: below 2, 2 to 3, 3 and above."""
    dim = _find_dimension(results, key)
    if dim is None or dim["score"] is None or dim["insufficient"]:
        why = (
            f"No dimension of the {results['questionnaire']['title']} covers {topic}."
            if dim is None
            else f"{dim['title']} lacks the evidence for a reliable score."
        )
        return FrameStep(step, "Not yet assessed", why, "unknown")
    band = 0 if dim["score"] < 2 else 1 if dim["score"] < 3 else 2
    target = (
        f", against a target of {score_text(dim['target'])}" if dim["target"] is not None else ""
    )
    return FrameStep(
        step,
        ("Weak", "Partial", "Evident")[band],
        f"{dim['title']} scores {score_text(dim['score'])} of 5 ({dim['level']}){target}: "
        f"{meanings[band]}",
        ("open", "partial", "done")[band],
    )


def _support_step(results: dict[str, Any]) -> FrameStep:
    return _band_step(
        results,
        "Senior-management support",
        "sponsorship",
        "executive sponsorship",
        (
            "senior backing for the PMO is not yet visible and needs securing before launch.",
            "senior managers back the PMO in places, but not consistently.",
            "senior managers visibly back the PMO and its decisions.",
        ),
    )


def _monitoring_step(results: dict[str, Any]) -> FrameStep:
    return _band_step(
        results,
        "Performance monitoring",
        "performance",
        "performance monitoring",
        (
            "project performance is not yet measured in a consistent way.",
            "performance is measured, but not yet on one standard basis for every project.",
            "performance is measured on a standard basis and used to steer projects.",
        ),
    )


def _implementation_step(results: dict[str, Any]) -> FrameStep:
    change, progress = overall_change(results), results["progress"]
    if change is not None and change >= 0.05:
        overall = progress["overall"]
        return FrameStep(
            "Implementation",
            "Under way",
            f"The overall score has {change_text(overall['baseline'], overall['current'])} "
            f"since wave {progress['baseline_wave']}.",
            "partial",
        )
    started = (
        "No change is measurable yet" if change is not None else "This is the first assessment"
    )
    return FrameStep(
        "Implementation",
        "Not started",
        f"{started}; implementation starts once the plan is agreed.",
        "open",
    )


def _reassessment_step(results: dict[str, Any]) -> FrameStep:
    waves = results["waves"]
    labelled = [
        w["label"] + (f" ({date_text(w['held_on'])})" if w["held_on"] else "") for w in waves
    ]
    if len(waves) < 2:
        return FrameStep(
            "Regular re-assessment",
            "Baseline set",
            f"One wave so far, {labelled[0]}; a second wave in 6 to 12 months will show progress.",
            "partial",
        )
    dates = [date.fromisoformat(w["held_on"]) for w in waves if w["held_on"]]
    gap = (
        f", on average {round((dates[-1] - dates[0]).days / 30.44 / (len(dates) - 1))} months apart"
        if len(dates) > 1
        else ""
    )
    return FrameStep(
        "Regular re-assessment",
        f"{cap(number_word(len(waves)))} waves",
        f"Waves {join_list(labelled)}{gap}.",
        "done",
    )


def _improvement_step(results: dict[str, Any]) -> FrameStep:
    progress, items = results["progress"], results["roadmap"]["items"]
    plan = f"The roadmap proposes {plural(len(items), 'action')}." if items else ""
    change = overall_change(results)
    if change is None:
        return FrameStep(
            "Continuous improvement",
            "Starting",
            f"Progress shows from the next wave. {plan}".strip(),
            "partial" if items else "unknown",
        )
    overall = progress["overall"]
    moved = sum(
        1
        for d in progress["dimensions"]
        if d["current"] is not None
        and d["baseline"] is not None
        and d["current"] - d["baseline"] >= 0.05
    )
    state = "done" if change >= 0.05 else "partial" if change > -0.05 else "open"
    return FrameStep(
        "Continuous improvement",
        {"done": "Improving", "partial": "Flat", "open": "Slipping"}[state],
        f"Since wave {progress['baseline_wave']} the overall score has "
        f"{change_text(overall['baseline'], overall['current'])} and {moved} of "
        f"{len(progress['dimensions'])} dimensions improved. {plan}".strip(),
        state,
    )
