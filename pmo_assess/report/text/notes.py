"""The appendix's methodology notes: questionnaire, scoring, respondents, data quality, benchmark.

Takes the results dict of one client and wave (``ClientResults.to_dict()``) and the questionnaire
it was scored with, and returns plain-text paragraphs (the renderer escapes them).
"""

from __future__ import annotations

from typing import Any

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.model.questionnaire import Questionnaire, format_value
from pmo_assess.report.text.facts import no_peers_reason, peer_set_text
from pmo_assess.report.text.phrases import counted, join_list, percent, plural, roles_breakdown
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
