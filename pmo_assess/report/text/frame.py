"""The engagement frame: where the client stands on the steps of establishing or optimizing a PMO.

Takes the results dict of one client and wave (``ClientResults.to_dict()``) and returns
:class:`FrameStep` objects of plain text (the renderer escapes it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from pmo_assess.core.rounding import round_half_up
from pmo_assess.model.questionnaire import PMO_FUNCTIONS
from pmo_assess.report.text.facts import (
    change_text,
    of_top,
    overall_change,
    programme_noun,
    respondents_text,
    scale_of,
    shown,
)
from pmo_assess.report.text.phrases import (
    all_of,
    cap,
    date_text,
    join_list,
    lower_first,
    number_word,
    percent,
    plural,
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
    """One sentence naming the PMO functions the engagement covers, out of the method's eight;
    empty for an assessment of something other than a PMO that puts none in scope."""
    names = [lower_first(f["name"]) for f in results["engagement"]["functions_in_scope"]]
    if not names:
        pmo = programme_noun(results) == "PMO"
        return "No PMO functions have been put in scope yet." if pmo else ""
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
    pmo = programme_noun(results) == "PMO"
    kind = PMO_TYPES.get(pmo_type or "", f"a {pmo_type} PMO")
    parts = [plural(len(functions), "PMO function")] if functions else []
    parts += [plural(len(objectives), "objective")] if objectives else []
    parts += [kind.split(",")[0]] if pmo_type else []
    wanted = 3 if pmo else 1  # the PMO functions and type mean nothing for another subject
    status = "done" if len(parts) >= wanted else "partial" if parts else "open"
    label = {"done": "Defined", "partial": "Partly defined", "open": "Not yet defined"}
    goals = f"Objectives: {'; '.join(objectives)}." if objectives else "No objectives recorded yet."
    shape = f"The PMO is to be {kind}." if pmo_type else "No PMO type chosen yet." if pmo else ""
    return FrameStep(
        "Scope and objectives",
        label[status] + (f": {', '.join(parts)}" if parts else ""),
        " ".join(t for t in (functions_in_scope_text(results), goals, shape) if t),
        status,
    )


def _assessment_step(results: dict[str, Any]) -> FrameStep:
    overall, wave = results["assessment"]["overall"], results["wave"]
    coverage = overall["coverage"] or 0.0
    thin = coverage < MIN_COVERAGE
    answered = "every question" if coverage >= 1 - 1e-9 else f"{percent(coverage)} of the questions"
    return FrameStep(
        "Maturity assessment",
        f"Done in wave {wave['label']}" + (", on thin evidence" if thin else ""),
        f"This assessment: {respondents_text(results)}, a scored answer to {answered} in "
        f"scope, and an overall score of {of_top(results, overall['score'])}.",
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
    """A step judged from one dimension's score as shown, by where it lies on the scale: in the
    lowest quarter, the second, or the upper half (below 2, 2 to 3, 3 and above on 1 to 5)."""
    dim = _find_dimension(results, key)
    if dim is None or dim["score"] is None or dim["insufficient"]:
        why = (
            f"No dimension of the {results['questionnaire']['title']} covers {topic}."
            if dim is None
            else f"{dim['title']} lacks the evidence for a reliable score."
        )
        return FrameStep(step, "Not yet assessed", why, "unknown")
    scale = scale_of(results)
    position = (scale.shown(dim["score"]) - scale.low) / ((scale.high - scale.low) or 1.0)
    band = 0 if position < 0.25 else 1 if position < 0.5 else 2
    target = (
        f", against a target of {shown(results, dim['target'])}"
        if dim["target"] is not None
        else ""
    )
    return FrameStep(
        step,
        ("Weak", "Partial", "Evident")[band],
        f"{dim['title']} scores {of_top(results, dim['score'])}"
        f"{f' ({level})' if (level := dim['level']) else ''}{target}: "
        f"{meanings[band]}",
        ("open", "partial", "done")[band],
    )


def _support_step(results: dict[str, Any]) -> FrameStep:
    noun = programme_noun(results)
    return _band_step(
        results,
        "Senior-management support",
        "sponsorship",
        "executive sponsorship",
        (
            f"senior backing for the {noun} is not yet visible and needs securing before launch.",
            f"senior managers back the {noun} in places, but not consistently.",
            f"senior managers visibly back the {noun} and its decisions.",
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
    if change is not None and change != 0:
        overall = progress["overall"]
        moved = (
            f"The overall score has {change_text(results, overall['baseline'], overall['current'])} "
            f"since wave {progress['baseline_wave']}"
        )
        if change > 0:
            return FrameStep("Implementation", "Under way", f"{moved}.", "partial")
        return FrameStep(
            "Implementation",
            "Not yet showing",
            f"{moved}: whatever has been implemented has not yet lifted the scores.",
            "open",
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
    """The waves up to this report's one; a later wave is this report's successor, not part of
    its history (the executive summary points to it)."""
    labels = [w["label"] for w in results["waves"]]
    waves = results["waves"][: labels.index(results["wave"]["label"]) + 1]
    labelled = [
        w["label"] + (f" ({date_text(w['held_on'])})" if w["held_on"] else "") for w in waves
    ]
    if len(waves) < 2:
        return FrameStep(
            "Regular re-assessment",
            "Baseline set",
            f"One wave so far, {labelled[0]}; a second wave in 6 to 12 months will show progress."
            if results["wave"]["latest"]
            else f"This report covers the baseline, wave {labelled[0]}; later waves have their "
            "own reports.",
            "partial",
        )
    dates = [date.fromisoformat(w["held_on"]) for w in waves if w["held_on"]]
    months = (dates[-1] - dates[0]).days / 30.44 / (len(dates) - 1) if len(dates) > 1 else None
    gap = f", on average {plural(int(round_half_up(months, 0)), 'month')} apart" if months else ""
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
            (
                "Progress shows from the next wave."
                if results["wave"]["latest"]
                else "This is the baseline; progress is measured in the later waves' reports."
            )
            + (f" {plan}" if plan else ""),
            "partial" if items else "unknown",
        )
    overall = progress["overall"]
    moved = sum(1 for d in progress["dimensions"] if d["change"] is not None and d["change"] > 0)
    state = "done" if change > 0 else "partial" if change == 0 else "open"
    return FrameStep(
        "Continuous improvement",
        {"done": "Improving", "partial": "Flat", "open": "Slipping"}[state],
        f"Since wave {progress['baseline_wave']} the overall score has "
        f"{change_text(results, overall['baseline'], overall['current'])} and "
        f"{_improved(moved, len(progress['dimensions']))}. {plan}".strip(),
        state,
    )


def _improved(moved: int, total: int) -> str:
    """'2 of 12 dimensions improved', 'all 3 dimensions improved', 'no dimension improved'."""
    if moved == 0:
        return "no dimension improved"
    if moved < total:
        return f"{moved} of {total} dimensions improved"
    return "its one dimension improved" if total == 1 else f"{all_of(total)} dimensions improved"
