"""The appendix's methodology notes: questionnaire, scoring, respondents, data quality, benchmark.

Takes the results dict of one client and wave (``ClientResults.to_dict()``) and the questionnaire
it was scored with, and returns plain-text paragraphs (the renderer escapes them).
"""

from __future__ import annotations

from typing import Any

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.insight.contract import role_names
from pmo_assess.model.questionnaire import (
    AnswerOption,
    AnswerSet,
    Dimension,
    Questionnaire,
    format_value,
)
from pmo_assess.model.scale import ScoreScale
from pmo_assess.report.text.facts import scale_of
from pmo_assess.report.text.peers import benchmark_note
from pmo_assess.report.text.phrases import (
    counted,
    join_list,
    number_word,
    percent,
    plural,
    role_group,
    roles_breakdown,
)
from pmo_assess.scoring.options import MIN_COVERAGE


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
        "Scoring": _scoring_note(results, questionnaire),
        "Respondents": _respondents_note(results),
        "Data quality": _data_quality_note(results),
        "Benchmark": benchmark_note(results),
    }


def _questionnaire_note(results: dict[str, Any], questionnaire: Questionnaire) -> str:
    questions = list(questionnaire.questions())
    used = {q.answer_set for q in questions}
    sets = [questionnaire.answer_sets[k] for k in questionnaire.answer_sets if k in used]
    extras = sorted(
        {o.label for s in sets for o in s.options if o.value is None},
        key=lambda label: label.lower(),
    )
    further = (
        f", with {join_list([_quote(e) for e in extras], plain=True)} as further "
        f"{'choice' if len(extras) == 1 else 'choices'}"
        if extras
        else ""
    )
    return (
        f"The assessment used the {questionnaire.title} (id {questionnaire.id}, version "
        f"{questionnaire.version}): {plural(len(questions), 'question')} in "
        f"{plural(len(questionnaire.dimensions), 'dimension')}, {_answer_scales(sets)}{further}. "
        f"This report covers wave {results['wave']['label']}."
    )


def _answer_scales(sets: list[AnswerSet]) -> str:
    """'each answered on a scale from 1 (Initial) to 5 (Optimizing)', or, for several answer
    sets, their ranges without the labels ('answered on scales from 0 to 1')."""
    if len(sets) == 1:
        scored = sorted((o for o in sets[0].options if o.value is not None), key=_value)
        low, high = scored[0], scored[-1]
        return (
            f"each answered on a scale from {format_value(_value(low))} ({low.label}) to "
            f"{format_value(_value(high))} ({high.label})"
        )
    ranges = sorted({(min(s.values), max(s.values)) for s in sets if s.values})
    spans = [f"{format_value(low)} to {format_value(high)}" for low, high in ranges]
    many = len(sets)
    if len(spans) == 1:
        return (
            f"each answered on a scale from {spans[0]} ({number_word(many)} sets of answer labels)"
        )
    return f"answered on scales from {join_list(spans)}"


def _value(option: AnswerOption) -> float:
    return option.value or 0.0


def _quote(text: str) -> str:
    return f"'{text}'"


def _scoring_note(results: dict[str, Any], questionnaire: Questionnaire) -> str:
    heavier = [q for q in questionnaire.questions() if q.weight != 1]
    weights = (
        f" {counted(len(heavier), 'question')} {'carries' if len(heavier) == 1 else 'carry'} "
        "extra weight: "
        + join_list([f"'{q.text}' (weight {format_value(q.weight)})" for q in heavier], plain=True)
        + "."
        if heavier
        else " Every question carries the same weight."
    )
    summed = [d for d in questionnaire.walk() if d.aggregation == "sum"]
    aggregation = (
        "A question's score is the mean of the answers given to it; a dimension's score is the "
        "weighted mean of its parts, and the overall score the weighted mean of the dimensions."
    )
    if summed:
        aggregation += (
            f" {counted(len(summed), 'dimension')} "
            f"{'adds up its parts' if len(summed) == 1 else 'add up their parts'} instead of "
            f"averaging them ({_titles(summed)}), so their scores run higher than a single answer."
        )
    scale = scale_of(results)
    levels = join_list([f"{band.name} from {scale.text(band.min)}" for band in scale.levels])
    first = next(questionnaire.questions())
    apart = format_value(questionnaire.disagreement_threshold_for(first))
    example = _rounding_example(scale)
    return (
        f"{aggregation}{weights} Scores run from {scale.text(scale.low)} to "
        f"{scale.text(scale.high)}.{_missing_answers(questionnaire)} Coverage is the share of "
        "in-scope questions with at least one scored answer; a "
        f"dimension with coverage below {percent(MIN_COVERAGE)} is flagged as insufficient "
        "evidence and shown as such, never as a low score. Scores are shown with "
        f"{_decimals(scale.precision)}, halves rounded up, and everything said about a score is "
        f"read from the score as shown: {example} The level is the highest band the shown score "
        f"reaches: {levels}. A dimension meets its target when its shown score is at least the "
        "target, and has improved when its shown score is higher than in the baseline wave. "
        f"Answers to one question that lie {apart} or more points apart are flagged as a "
        "disagreement."
    )


def _missing_answers(questionnaire: Questionnaire) -> str:
    """How 'Not applicable' and 'Don't know' are scored, for the choices the questionnaire has."""
    options = [o for s in questionnaire.answer_sets.values() for o in s.options]
    text = ""
    if any(o.not_applicable for o in options):
        text += (
            " An answer of 'Not applicable' is left out of the score and never counts as zero; "
            "a question that every respondent marks not applicable is out of scope for this "
            "organisation and leaves the coverage too."
        )
    if any(o.dont_know for o in options):
        text += (
            " 'Don't know' is missing evidence: it is not scored either, and a question with "
            "nothing but 'Don't know' lowers coverage."
        )
    return text


def _decimals(precision: int) -> str:
    return "no decimals" if precision == 0 else plural(precision, "decimal")


def _rounding_example(scale: ScoreScale) -> str:
    """An example of the rule on this scale: a score just below a level's start, shown at it
    ("1.96 is shown as 2.0 and reaches Repeatable")."""
    band = scale.levels[1] if len(scale.levels) > 1 else scale.levels[0]
    step = 10**-scale.precision
    below = band.min - 0.4 * step
    exact = f"{below:.{scale.precision + 1}f}"
    return (
        f"{exact} is shown as {scale.text(below)} and reaches {band.name}, as a reader of "
        f"{scale.text(below)} would expect."
    )


def _titles(dimensions: list[Dimension]) -> str:
    names = [d.title for d in dimensions]
    shown = names[:3] + ([f"{len(names) - 3} more"] if len(names) > 3 else [])
    return join_list(shown)


def _respondents_note(results: dict[str, Any]) -> str:
    total, by_role = results["respondents"]["total"], results["respondents"]["by_role"]
    wave, names = results["wave"]["label"], role_names(results)
    if total == 1:
        text = f"In wave {wave}, one person answered: {role_group(next(iter(by_role)), 1, names)}."
    else:
        text = f"In wave {wave}, {total} people answered: {roles_breakdown(by_role, names)}."
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
    "evidence-verified": "were checked against evidence",
}


def _data_quality_note(results: dict[str, Any]) -> str:
    dq = results["data_quality"]
    total = dq["answers"]
    unscored = dq["not_applicable"] + dq["dont_know"]
    if not total:
        text = "No answers were recorded."
    elif not unscored:
        text = f"Every one of the {total} answers has a score."
    else:
        text = (
            f"Of the {total} answers, {dq['not_applicable']} "
            f"({percent(dq['not_applicable'] / total)}) "
            f"{'was' if dq['not_applicable'] == 1 else 'were'} 'Not applicable' and "
            f"{dq['dont_know']} ({percent(dq['dont_know'] / total)}) 'Don't know'."
        )
    scope = dq["out_of_scope_questions"]
    everyone = "the respondent" if results["respondents"]["total"] == 1 else "every respondent"
    if scope:
        one = len(scope) == 1
        text += (
            f" {counted(len(scope), 'question')} {'was' if one else 'were'} marked not "
            f"applicable by {everyone} and {'is' if one else 'are'} treated as out of "
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


#: A scorecard row is highlighted when its gap to target is this many levels or more.
HIGHLIGHT_LEVELS = 0.75


def highlight_gap(results: dict[str, Any]) -> float:
    """The gap at which a scorecard row is highlighted: three quarters of a level (0.75 on a
    five-level 1-to-5 scale), at the scale's precision."""
    scale = scale_of(results)
    return scale.shown(HIGHLIGHT_LEVELS * scale.level_step())


def scorecard_footnote(results: dict[str, Any]) -> list[str]:
    """The scorecard's footnote: the scale, the highlight, the peer percentile, coverage and
    confidence, each defined by the numbers this client's report uses."""
    scale = scale_of(results)
    rule = results["confidence"]["rule"]
    first, last = scale.levels[0], scale.levels[-1]
    notes = [
        f"Scores run from {scale.text(scale.low)} to {scale.text(scale.high)}; the levels run "
        f"from {first.name} (from {scale.text(first.min)}) to {last.name} (from "
        f"{scale.text(last.min)}). Highlighted rows are {scale.text(highlight_gap(results))} or "
        "more below target.",
    ]
    if (results["benchmark"] or {}).get("available"):
        notes.append(
            "Peer pct. is the percentile rank among the peer group named in the benchmark section."
        )
    notes.append(
        "Coverage is the share of questions with at least one scored answer; below "
        f"{percent(MIN_COVERAGE)} the evidence is insufficient and the score is shown but not "
        "relied on."
    )
    notes.append(
        f"Confidence is High when a dimension has at least {rule['min_respondents']} "
        f"respondents, at least {percent(rule['min_coverage'])} coverage, and at least "
        f"{percent(rule['min_direct_share'])} of its scored answers given in an interview or "
        "checked against evidence rather than self-reported in a survey; Medium when two of "
        "these hold; Low when one or none does."
    )
    return notes
