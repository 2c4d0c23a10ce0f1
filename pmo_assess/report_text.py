"""The report's words: action titles, the engagement frame and the appendix notes, by rules.

Each function takes the results dict of one client and wave (``ClientResults.to_dict()``) and
returns plain text (the renderer escapes it). This is the module the report reads its words
from; the executive summary and the shared phrasing live one floor down, in
:mod:`pmo_assess.report_summary`, and are re-exported here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from pmo_assess.errors import PmoAssessError
from pmo_assess.model import PMO_FUNCTIONS, Questionnaire, format_value
from pmo_assess.report_summary import (
    MIN_COVERAGE,
    PERCEPTION_GAP,
    Priority,
    Summary,
    ahead_of_text,
    below_target,
    benchmark_kind,
    biggest_moves,
    cap,
    change_text,
    counted,
    date_text,
    difference,
    dimensions,
    executive_summary,
    exhibit_source,
    join_list,
    lower_first,
    no_peers_reason,
    number_word,
    overall_change,
    peer_set_text,
    percent,
    percentile_text,
    plural,
    points,
    respondents_text,
    role_extremes,
    role_group,
    roles_breakdown,
    score_text,
    signed,
    subject,
    targeted,
    weakest_peer_position,
    widest_role_gap,
)

__all__ = [
    "ActionTitle",
    "FrameStep",
    "Priority",
    "Summary",
    "agreement_title",
    "engagement_frame",
    "executive_summary",
    "exhibit_source",
    "functions_in_scope_text",
    "gap_title",
    "heatmap_title",
    "methodology_notes",
    "peer_title",
    "radar_title",
    "roadmap_title",
    "role_gap_title",
    "scorecard_title",
    "trend_title",
]

#: A question whose mean is below this is counted as weak in the heatmap's title.
WEAK_QUESTION = 2.0
PMO_TYPES = {
    "supportive": "a supportive PMO, which offers templates, training and advice",
    "controlling": "a controlling PMO, which sets standards and checks that projects follow them",
    "directive": "a directive PMO, which runs projects itself",
}


@dataclass(frozen=True)
class ActionTitle:
    """A section's or exhibit's title stating its insight, and the exhibit's source line."""

    text: str
    source_line: str


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


# --- action titles ---------------------------------------------------------------------------


def scorecard_title(results: dict[str, Any]) -> ActionTitle:
    """How many dimensions meet their target, and the lowest one."""
    dims, with_target = dimensions(results), targeted(results)
    source = exhibit_source(results, "scorecard")
    if not dims:
        return ActionTitle("No dimension has enough evidence to be scored", source)
    low = min(dims, key=lambda d: d["score"])
    high = max(dims, key=lambda d: d["score"])
    short, total = len(below_target(results)), len(with_target)
    lowest = f"{low['title']} is lowest at {score_text(low['score'])}"
    if not with_target:
        return ActionTitle(
            f"{high['title']} scores highest at {score_text(high['score'])}; {lowest}", source
        )
    if short == 0:
        return ActionTitle(
            f"All {total} dimensions with a target meet it, from {score_text(low['score'])} in "
            f"{low['title']} to {score_text(high['score'])} in {high['title']}",
            source,
        )
    met = total - short
    verb = "meets its target" if met == 1 else "meet their target"
    text = f"{number_word(met, capital=True)} of the {total} dimensions {verb}"
    text = f"None of the {total} dimensions meets its target yet" if not met else text
    return ActionTitle(f"{text}; {lowest}", source)


def radar_title(results: dict[str, Any]) -> ActionTitle:
    """Whether the profile is even or uneven, with its range."""
    dims = dimensions(results)
    source = exhibit_source(results, "radar")
    if len(dims) < 2:
        return ActionTitle("Too few dimensions are scored to show a profile", source)
    low = min(dims, key=lambda d: d["score"])
    high = max(dims, key=lambda d: d["score"])
    if high["score"] - low["score"] >= PERCEPTION_GAP:
        text = (
            f"The profile is uneven: scores run from {score_text(low['score'])} in "
            f"{low['title']} to {score_text(high['score'])} in {high['title']}"
        )
    else:
        text = (
            f"The profile is even: all {len(dims)} scored dimensions lie between "
            f"{score_text(low['score'])} and {score_text(high['score'])}"
        )
    return ActionTitle(text, source)


def gap_title(results: dict[str, Any]) -> ActionTitle:
    """The largest gap to target and how many dimensions fall short."""
    short, source = below_target(results), exhibit_source(results, "gap")
    if not targeted(results):
        return ActionTitle("No targets are set yet, so there are no gaps to show", source)
    if not short:
        return ActionTitle(
            "Every dimension meets its target, so there are no gaps to close", source
        )
    top = short[0]
    where = (
        f"{difference(top['target'], top['score'])} below its target of {score_text(top['target'])}"
    )
    if len(short) == 1:
        return ActionTitle(f"{top['title']} is the only dimension below target, {where}", source)
    verb = "falls" if len(short) == 2 else "fall"
    more = f"{number_word(len(short) - 1)} more {verb} short"
    return ActionTitle(f"{top['title']} has the largest gap, {where}, and {more}", source)


def heatmap_title(results: dict[str, Any]) -> ActionTitle:
    """Where the weakest questions lie: those scoring below 2.0, or else the lowest one."""
    source = exhibit_source(results, "heatmap")
    top = _top_dimension_titles(results)
    scored = [q for q in results["assessment"]["questions"] if q.get("mean") is not None]
    if not scored:
        return ActionTitle("No question has a scored answer yet", source)
    weak = [top.get(q["dimension"], q["dimension"]) for q in scored if q["mean"] < WEAK_QUESTION]
    if not weak:
        low = min(scored, key=lambda q: q["mean"])
        return ActionTitle(
            f"No question scores below {score_text(WEAK_QUESTION)}; the lowest, in "
            f"{top.get(low['dimension'], low['dimension'])}, scores {score_text(low['mean'])}",
            source,
        )
    most = max(dict.fromkeys(weak), key=weak.count)
    verb = "scores" if len(weak) == 1 else "score"
    where = (
        f"in {most}"
        if len(weak) == 1
        else f"all in {most}"
        if weak.count(most) == len(weak)
        else f"{weak.count(most)} of them in {most}"
    )
    return ActionTitle(
        f"{number_word(len(weak), capital=True)} of the {len(scored)} scored questions {verb} "
        f"below {score_text(WEAK_QUESTION)}, {where}",
        source,
    )


def _top_dimension_titles(results: dict[str, Any]) -> dict[str, str]:
    """Every dimension id, at any depth, to the title of the top-level dimension above it."""
    found: dict[str, str] = {}

    def visit(node: dict[str, Any], title: str) -> None:
        found[node["id"]] = title
        for child in node.get("children") or []:
            visit(child, title)

    for top in results["assessment"]["dimensions"]:
        visit(top, top["title"])
    return found


def role_gap_title(results: dict[str, Any]) -> ActionTitle:
    """Which role rates highest and lowest overall, and on how many dimensions roles differ
    (the perception gap between roles)."""
    source = exhibit_source(results, "roles")
    overall = next(r for r in results["roles"] if r["dimension"] == "overall")
    extremes = role_extremes(overall)
    if extremes is None:
        return ActionTitle(
            f"Roles cannot be compared: the answers come from {respondents_text(results)}", source
        )
    high, low = extremes
    counts = overall["respondents"]
    wide = [r for r in results["roles"] if r["dimension"] != "overall" and (r["spread"] or 0) >= 1]
    verb = "gives" if counts[high] == 1 else "give"
    text = (
        f"{cap(role_group(high, counts[high]))} {verb} the highest scores and "
        f"{role_group(low, counts[low])} the lowest, {score_text(overall['scores'][high])} "
        f"against {score_text(overall['scores'][low])} overall"
    )
    dims = len(results["roles"]) - 1
    tail = (
        f"; roles are a full level or more apart on {len(wide)} of {dims} dimensions"
        if wide
        else "; no dimension shows roles a full level apart"
    )
    return ActionTitle(text + tail, source)


def agreement_title(results: dict[str, Any]) -> ActionTitle:
    """How often answers to one question were far apart, and the widest gap between roles."""
    source = exhibit_source(results, "agreement")
    flagged = results["disagreements"]
    asked = sum(1 for q in results["assessment"]["questions"] if q["n"] > 1)
    if flagged:
        apart = min(d["max"] - d["min"] for d in flagged)
        places = [d["dimension_title"] for d in flagged]
        most = max(dict.fromkeys(places), key=places.count)
        where = (
            f"most often in {most} ({plural(places.count(most), 'question')})"
            if len(flagged) > 1
            else f"in {most}"
        )
        text = (
            f"Answers to {len(flagged)} of {asked} questions lie at least {points(apart)} "
            f"points apart, {where}"
        )
    else:
        text = "Respondents broadly agree: no question has answers far apart"
    row = widest_role_gap(results)
    if row and row["spread"] >= PERCEPTION_GAP:
        text += f", and roles differ most on {row['title']} ({score_text(row['spread'])} points)"
    return ActionTitle(text, source)


def peer_title(results: dict[str, Any]) -> ActionTitle:
    """The position against peers, or why no peer comparison is shown."""
    source = exhibit_source(results, "peer")
    peers, bm = peer_set_text(results), results["benchmark"]
    overall = (bm or {}).get("overall") or {}
    if peers is None or overall.get("percentile") is None:
        reason = no_peers_reason(results) if peers is None else "the overall score is missing"
        return ActionTitle(f"No peer comparison is shown because {reason}", source)
    kind = "synthetic peers" if "synthetic" in benchmark_kind(results) else "peers"
    text = f"{subject(results)} is {ahead_of_text(overall['percentile'], kind)} in {bm['label']}"
    text = text if bm["group"] != "all" else text.replace(f" in {bm['label']}", " overall")
    weakest = weakest_peer_position(results)
    if weakest and weakest[1]["percentile"] < 50:
        title, pos = weakest
        text += f", but trails on {title} ({percentile_text(pos['percentile'])})"
    elif weakest:
        text += ", and at or above the peer median on every dimension"
    return ActionTitle(text, source)


def trend_title(results: dict[str, Any]) -> ActionTitle | None:
    """The overall change since the baseline wave and the biggest moves; None with one wave."""
    progress = results["progress"]
    if progress is None or len(results["trend"]) < 2:
        return None
    overall = progress["overall"]
    if overall["baseline"] is None or overall["current"] is None:
        return None
    text = (
        f"The overall score has {change_text(overall['baseline'], overall['current'])} "
        f"since wave {progress['baseline_wave']}"
    )
    up, down = biggest_moves(results)
    if up:
        text += f"; {up['title']} rose most ({signed(up['change'])})"
    if down:
        text += f"{', while' if up else ';'} {down['title']} fell ({signed(down['change'])})"
    return ActionTitle(text, exhibit_source(results, "trend"))


def roadmap_title(results: dict[str, Any]) -> ActionTitle:
    """How many actions over how many months, and where the roadmap starts."""
    roadmap, source = results["roadmap"], exhibit_source(results, "roadmap")
    items = roadmap["items"]
    if roadmap["library"] is None:
        text = f"No roadmap is generated: the {results['questionnaire']['title']} has no library"
        return ActionTitle(text + " of improvement actions", source)
    if not items:
        return ActionTitle("No new actions are needed: every dimension meets its target", source)
    months = math.ceil(max(i["end_week"] for i in items) * 12 / 52)
    count = number_word(len(items), capital=True)
    closes = (
        "action over {} closes the gap" if len(items) == 1 else "actions over {} close the gaps"
    )
    text = f"{count} {closes.format(plural(months, 'month'))}"
    quick = [i for i in items if i["phase"] == "quick-wins"]
    where = list(dict.fromkeys(i["dimension_title"] for i in (quick or items[:1])))
    place = (
        f"in {join_list(where)}"
        if len(where) <= 2
        else f"across {number_word(len(where))} dimensions"
    )
    if quick:
        wins = "quick win" if len(quick) == 1 else "quick wins"
        text += f", starting with {number_word(len(quick))} {wins} {place}"
    else:
        text += f", starting with {lower_first(items[0]['phase_name'])} work {place}"
    return ActionTitle(text, source)


# --- the engagement frame --------------------------------------------------------------------


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


# --- appendix notes --------------------------------------------------------------------------


def methodology_notes(results: dict[str, Any], questionnaire: Questionnaire) -> dict[str, str]:
    """Plain-text paragraphs for the appendix, keyed by their heading: ``Questionnaire``,
    ``Scoring``, ``Respondents``, ``Data quality`` and ``Benchmark``."""
    used = results["questionnaire"]
    if (questionnaire.id, questionnaire.version) != (used["id"], used["version"]):
        raise PmoAssessError(
            f"methodology_notes was given questionnaire '{questionnaire.id}' "
            f"{questionnaire.version}, but the results were scored with '{used['id']}' "
            f"{used['version']}; pass load_questionnaire('{used['id']}')."
        )
    return {
        "Questionnaire": _questionnaire_note(results, questionnaire),
        "Scoring": _scoring_note(questionnaire),
        "Respondents": _respondents_note(results),
        "Data quality": _data_quality_note(results),
        "Benchmark": _benchmark_note(results),
    }


def _questionnaire_note(results: dict[str, Any], questionnaire: Questionnaire) -> str:
    questions = list(questionnaire.questions())
    options = questionnaire.answer_sets[questions[0].answer_set].options
    scored = [o for o in options if o.value is not None]
    return (
        f"The assessment used the {questionnaire.title} (id {questionnaire.id}, version "
        f"{questionnaire.version}): {len(questions)} questions in "
        f"{len(questionnaire.dimensions)} dimensions, each answered on a scale from "
        f"{format_value(scored[0].value or 0)} ({scored[0].label}) to "
        f"{format_value(scored[-1].value or 0)} ({scored[-1].label}), with 'Not applicable' "
        f"and 'Don't know' as further choices. This report covers wave {results['wave']['label']}."
    )


def _scoring_note(questionnaire: Questionnaire) -> str:
    heavier = [q for q in questionnaire.questions() if q.weight != 1]
    weights = (
        f" {counted(len(heavier), 'question')} {'carries' if len(heavier) == 1 else 'carry'} "
        "extra weight: "
        + join_list([f"'{q.text}' (weight {format_value(q.weight)})" for q in heavier], plain=True)
        + "."
        if heavier
        else " Every question carries the same weight."
    )
    levels = join_list([f"{lv.name} from {lv.min:.1f}" for lv in questionnaire.levels])
    first = next(questionnaire.questions())
    apart = format_value(questionnaire.disagreement_threshold_for(first))
    return (
        "A question's score is the mean of the answers given to it; a dimension's score is the "
        "weighted mean of its questions, and the overall score the weighted mean of the "
        f"dimensions.{weights} An answer of 'Not applicable' is left out of the score and never "
        "counts as zero; a question that every respondent marks not applicable is out of scope "
        "for this organisation and leaves the coverage too. 'Don't know' is missing evidence: "
        "it is not scored either, and a question with nothing but 'Don't know' lowers coverage, "
        "the share of in-scope questions with at least one scored answer. A "
        f"dimension with coverage below {percent(MIN_COVERAGE)} is flagged as insufficient "
        "evidence and shown as such, never as a low score. The level is the highest "
        f"band the score reaches: {levels}. Answers to one question that lie {apart} or more "
        "points apart are flagged as a disagreement."
    )


def _respondents_note(results: dict[str, Any]) -> str:
    total, by_role = results["respondents"]["total"], results["respondents"]["by_role"]
    text = (
        f"In wave {results['wave']['label']}, {plural(total, 'person', 'people')} answered: "
        f"{roles_breakdown(by_role)}."
    )
    confidence = results["data_quality"]["confidence"]
    answers = results["data_quality"]["answers"]
    if confidence and answers:
        parts = [
            f"{n} ({percent(n / answers)}) {_CONFIDENCE.get(k, f'marked {k!r}')}"
            for k, n in confidence.items()
        ]
        text += f" Of the {answers} answers, {join_list(parts)}."
    return text + " Respondents are shown by role only, never by name."


_CONFIDENCE = {
    "interview": "came from interviews",
    "self-reported": "were self-reported in a survey",
    "document": "rest on documents",
}


def _data_quality_note(results: dict[str, Any]) -> str:
    dq = results["data_quality"]
    total = dq["answers"]
    text = (
        f"Of the {total} answers, {dq['not_applicable']} ({percent(dq['not_applicable'] / total)}) "
        f"were 'Not applicable' and {dq['dont_know']} ({percent(dq['dont_know'] / total)}) "
        "'Don't know'."
        if total
        else "No answers were recorded."
    )
    scope = dq["out_of_scope_questions"]
    if scope:
        one = len(scope) == 1
        text += (
            f" {counted(len(scope), 'question')} {'was' if one else 'were'} marked not "
            f"applicable by every respondent and {'is' if one else 'are'} treated as out of "
            f"scope: {_quoted(scope)}."
        )
    blank = dq["unanswered_questions"]
    if blank:
        text += (
            f" {counted(len(blank), 'question')} received only 'Don't know', which lowers "
            f"coverage: {_quoted(blank)}."
        )
    thin = dq["insufficient_dimensions"]
    if thin:
        named = [f"{d['title']} ({percent(d['coverage'] or 0)} coverage)" for d in thin]
        return text + f" Evidence is insufficient for {join_list(named)}."
    return (
        text
        + f" Every dimension has enough evidence (coverage of at least {percent(MIN_COVERAGE)})."
    )


def _quoted(questions: list[dict[str, Any]]) -> str:
    return join_list([f"'{q['text']}'" for q in questions], plain=True)


def _benchmark_note(results: dict[str, Any]) -> str:
    bm = results["benchmark"]
    if bm is None:
        return f"No peer comparison is made: {no_peers_reason(results)}."
    about = bm["benchmark"]
    nature = (
        "a synthetic data set: its organisations are made up, not real, and their scores are "
        "shaped to follow the published figures it cites"
        if about["synthetic"]
        else "built from the firm's own assessments"
    )
    text = f"Peer comparisons use the {about['title']} (version {about['version']}), {nature}."
    if about["sources"]:
        text += f" Sources: {'; '.join(about['sources'])}."
    if not bm["available"]:
        return text + f" No peer comparison is shown, because {no_peers_reason(results)}."
    return text + (
        f" The peer group is the {peer_set_text(results)}, the closest group with at least "
        f"{bm['min_peers']} organisations. A percentile is the share of peers scoring below "
        "the client, with ties counted as half."
    )
