"""The tables of the workbooks a client gets, in words: answers, scores, questions and notes
for ``pmo-assess export --format xlsx``, and the roadmap for ``pmo-assess roadmap --format xlsx``.

Scores are numbers rounded half up to the questionnaire's display precision, with a number
format that shows that many decimals, so a cell reads as the report prints it; shares are the
percentages the report prints, stored as numbers with a % format.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from pmo_assess.core.rounding import percent_text, round_half_up
from pmo_assess.model.questionnaire import Questionnaire, format_value
from pmo_assess.model.terms import ACTION_STATUSES, ROLES, RoleName, named_role
from pmo_assess.scoring.assessment import AssessmentResult, DimensionResult, OverallResult
from pmo_assess.store.actions import action_decisions
from pmo_assess.store.records import ActionRecord
from pmo_assess.store.workbook import Sheet, number_format, write_sheets

if TYPE_CHECKING:
    from pmo_assess.store.repository import Store

_ANSWER_WORDS = {"na": "N/A", "dont_know": "Don't know"}
_STATUS_WORDS = {"answered": "Answered", "na": "Not applicable", "dont_know": "Don't know"}
#: Roadmap weeks per quarter: the phases run 0-13, 13-26, 26-52 weeks, i.e. months 0-3, 3-6, 6-12.
_WEEKS_PER_QUARTER = 13
_ROADMAP_COLUMNS = ["Order", "Phase", "Action", "Dimension", "Level step", "Effort",
                    "Duration (weeks)", "Start month", "Depends on", "Status", "Owner",
                    "Due date", "Description", "Action id"]  # fmt: skip


def answers_sheet(
    questionnaire: Questionnaire,
    answers: pd.DataFrame,
    client_name: str | None = None,
    names: Mapping[str, RoleName] = ROLES,
) -> Sheet:
    """One row per answer, the question and its dimension beside the id, in words; roles by
    ``names`` (the vocabulary's, and the engagement's own)."""
    answers = answers.reset_index(drop=True)
    texts, dimensions = _question_texts(questionnaire), _question_dimensions(questionnaire)
    frame = pd.DataFrame(
        {
            "Client": client_name or answers["client"],
            "Wave": answers["wave"],
            "Respondent": answers["respondent"],
            "Role": answers["role"].map(lambda role: role_label(role, names)),
            "Question id": answers["question_id"],
            "Question": answers["question_id"].map(texts),
            "Dimension": answers["question_id"].map(dimensions),
            "Value": answers["value"].where(answers["status"] == "answered"),
            "Answer": _answer_labels(questionnaire, answers),
            "Status": answers["status"].map(lambda s: _STATUS_WORDS.get(s, s)),
            "Note": answers["note"],
            "Evidence": answers["evidence"].map("; ".join),
            "Confidence": answers["confidence"].map(_sentence_case),
            "Recorded at (UTC)": answers["recorded_at"].map(_to_the_second),
        }
    )
    return Sheet(frame)


def scores_sheet(scores: list[AssessmentResult], precision: int) -> Sheet:
    """Per wave an Overall row (in bold) then every dimension: level, score, target and gap at
    the report's precision, coverage as a percentage, respondents."""
    rows: list[dict[str, Any]] = []
    bold: list[int] = []
    for result in scores:
        bold.append(len(rows))
        overall = result.overall
        rows.append(_score_row(result.wave, "Overall", overall, None, None, precision))
        for _depth, node in result.flat_dimensions():
            rows.append(_score_row(result.wave, node.title, node, node.target, node.gap, precision))
    columns = ["Wave", "Dimension", "Level", "Score", "Target", "Gap", "Coverage",
               "Respondents", "Evidence"]  # fmt: skip
    digits = number_format(precision)
    formats = {"Score": digits, "Target": digits, "Gap": digits, "Coverage": "0%"}
    return Sheet(pd.DataFrame(rows, columns=columns), formats, bold_rows=tuple(bold))


def questions_sheet(questionnaire: Questionnaire, scores: list[AssessmentResult]) -> Sheet:
    """Per wave and question: the mean at the report's precision, the range of the answers,
    how many answered, N/A and Don't know, and whether respondents disagree."""
    precision = questionnaire.display_precision
    texts, dimensions = _question_texts(questionnaire), _question_dimensions(questionnaire)
    rows = [
        {
            "Wave": result.wave,
            "Question id": q.id,
            "Question": texts.get(q.id),
            "Dimension": dimensions.get(q.id),
            "Mean": _shown(q.mean, precision),
            "Lowest": q.min,
            "Highest": q.max,
            "Standard deviation": _shown(q.sd, precision),
            "Answers": q.n,
            "N/A": q.n_na,
            "Don't know": q.n_dont_know,
            "Disagreement": "Yes" if q.disagreement else "No",
        }
        for result in scores
        for q in result.questions
    ]
    digits = number_format(precision)
    return Sheet(pd.DataFrame(rows), {"Mean": digits, "Standard deviation": digits})


def notes_sheet(
    questionnaire: Questionnaire,
    answers: pd.DataFrame,
    notes: pd.DataFrame | None = None,
    names: Mapping[str, RoleName] = ROLES,
) -> Sheet:
    """Every note, each respondent's together: on the respondent or a dimension (``notes``, as
    :meth:`Store.load_notes` reads them), then on its answers, with the question and the answer
    given. About names the dimension, or "(respondent)" for a note on the respondent."""
    noted = answers[answers["note"].fillna("").str.strip() != ""].reset_index(drop=True)
    texts, dimensions = _question_texts(questionnaire), _question_dimensions(questionnaire)
    on_answers = pd.DataFrame(
        {
            "Wave": noted["wave"],
            "Respondent": noted["respondent"],
            "Role": noted["role"].map(lambda role: role_label(role, names)),
            "About": noted["question_id"].map(dimensions),
            "Question id": noted["question_id"],
            "Question": noted["question_id"].map(texts),
            "Answer": _answer_labels(questionnaire, noted),
            "Note": noted["note"],
        }
    )
    if notes is None or notes.empty:
        return Sheet(on_answers)
    # respondents in the order the store lists them, as in the Answers sheet
    people = [
        *zip(answers["wave"], answers["respondent"], strict=True),
        *zip(notes["wave"], notes["respondent"], strict=True),
    ]
    on_others = _other_notes(questionnaire, notes, names)
    return Sheet(_each_respondent_together(on_others, on_answers, list(dict.fromkeys(people))))


def _other_notes(
    questionnaire: Questionnaire, notes: pd.DataFrame, names: Mapping[str, RoleName]
) -> pd.DataFrame:
    titles = {d.id: d.title for d in questionnaire.walk()}
    return pd.DataFrame(
        {
            "Wave": notes["wave"],
            "Respondent": notes["respondent"],
            "Role": notes["role"].map(lambda role: role_label(role, names)),
            "About": [
                "(respondent)" if d is None or pd.isna(d) else titles.get(d, d)
                for d in notes["dimension_id"]
            ],
            "Note": notes["note"],
        }
    )


def _each_respondent_together(
    first: pd.DataFrame, then: pd.DataFrame, people: list[tuple[str, str]]
) -> pd.DataFrame:
    """Both tables' rows by (wave, respondent) in ``people`` order, ``first``'s rows of a
    respondent before ``then``'s."""
    parts = [part for part in (first, then) if not part.empty]
    frame = pd.concat(parts, ignore_index=True).reindex(columns=then.columns)
    position = {person: i for i, person in enumerate(people)}
    key = pd.Series(
        [position[p] for p in zip(frame["Wave"], frame["Respondent"], strict=True)],
        index=frame.index,
    )
    return frame.loc[key.sort_values(kind="stable").index].reset_index(drop=True)


def role_label(role: str, names: Mapping[str, RoleName] = ROLES) -> str:
    """A role as the report's tables label its respondents.

    >>> role_label("project-manager"), role_label("risk-officer")
    ('Project managers', 'Risk officers')
    """
    return named_role(role, names).label


def _score_row(
    wave: str,
    title: str,
    node: OverallResult | DimensionResult,
    target: float | None,
    gap: float | None,
    precision: int,
) -> dict[str, Any]:
    return {
        "Wave": wave,
        "Dimension": title,
        "Level": node.level,
        "Score": _shown(node.score, precision),
        "Target": _shown(target, precision),
        "Gap": _shown(gap, precision),
        "Coverage": _shown_share(node.coverage),
        "Respondents": node.respondents,
        "Evidence": "Insufficient" if node.insufficient else "Sufficient",
    }


def _shown(value: float | None, precision: int) -> float | None:
    return None if value is None else round_half_up(value, precision) + 0.0


def _shown_share(share: float | None) -> float | None:
    """The share the report prints (its rule never rounds a part up to 100%), as a number."""
    return None if share is None else int(percent_text(share).rstrip("%")) / 100


def _question_texts(questionnaire: Questionnaire) -> dict[str, str]:
    return {q.id: q.text for q in questionnaire.questions()}


def _question_dimensions(questionnaire: Questionnaire) -> dict[str, str]:
    return {q.id: d.title for d in questionnaire.walk() for q in d.questions}


def _answer_labels(questionnaire: Questionnaire, answers: pd.DataFrame) -> list[str | None]:
    """The option each answer chose, as the respondent saw it (the stored label, else the
    label of the option with the answer's value)."""
    labels: list[str | None] = []
    for question_id, value, status, stored in zip(
        answers["question_id"], answers["value"], answers["status"], answers["option_label"],
        strict=True,
    ):  # fmt: skip
        if isinstance(stored, str) and stored:
            labels.append(stored)
        else:
            labels.append(_option_label(questionnaire, question_id, value, status))
    return labels


def _option_label(questionnaire: Questionnaire, question_id: str, value: float, status: str) -> str:
    if status in _ANSWER_WORDS:
        return _ANSWER_WORDS[status]
    try:
        options = questionnaire.answer_sets[questionnaire.question(question_id).answer_set].options
    except KeyError:
        return format_value(value)
    chosen = [o.label for o in options if o.value is not None and abs(o.value - value) < 1e-9]
    return chosen[0] if chosen else format_value(value)


def _sentence_case(text: Any) -> Any:
    return text[:1].upper() + text[1:] if isinstance(text, str) else text


def _to_the_second(moment: Any) -> Any:
    return moment.replace(microsecond=0) if isinstance(moment, pd.Timestamp) else moment


def start_month(start_week: int) -> int:
    """The month of the programme an action starts in, the first month being 1 (13 weeks make
    three months, as the roadmap's phases count them).

    >>> start_month(0), start_month(4), start_month(5), start_month(13), start_month(52)
    (1, 1, 2, 4, 13)
    """
    return start_week * 3 // _WEEKS_PER_QUARTER + 1


def roadmap_sheet(
    items: Sequence[Mapping[str, Any]], decided: Mapping[str, ActionRecord] | None = None
) -> Sheet:
    """The roadmap's actions in order, with the status, owner and due date decided so far
    (``proposed`` and blank when nothing is) for the client's PMO lead to fill in; the Status
    column offers the allowed statuses as a drop-down."""
    decided = decided or {}
    orders = {i["action_id"]: i["order"] for i in items}
    rows = []
    for item in items:
        decision = decided.get(item["action_id"])
        needs = [f"#{orders[d]}" for d in item["depends_on"] if d in orders]
        rows.append(
            {
                "Order": item["order"],
                "Phase": item["phase_name"],
                "Action": item["title"],
                "Dimension": item["dimension_title"],
                "Level step": item["step"],
                "Effort": item["effort"],
                "Duration (weeks)": item["duration_weeks"],
                "Start month": start_month(item["start_week"]),
                "Depends on": ", ".join(needs) or None,
                "Status": decision.status if decision else ACTION_STATUSES[0],
                "Owner": decision.owner if decision else None,
                "Due date": decision.due_date if decision else None,
                "Description": item["description"],
                "Action id": item["action_id"],
            }
        )
    frame = pd.DataFrame(rows, columns=_ROADMAP_COLUMNS)
    return Sheet(frame, choices={"Status": ACTION_STATUSES})


def write_roadmap_xlsx(
    store: Store, slug: str, items: Sequence[Mapping[str, Any]], wave: str, out: str | Path
) -> None:
    """Write the roadmap of the client's wave as sheets Roadmap and About, atomically, with the
    decisions recorded on the client's latest engagement."""
    engagement = store.engagement(slug)
    decided = {d.action_id: d for d in action_decisions(store, engagement.id)}
    about = [
        ("Client", store.client(slug).name),
        ("Wave", wave),
        ("Written on", date.today().isoformat()),
        ("Start month", "The month of the programme the action starts in; 1 is the first."),
        ("Depends on", "The actions (by order) that must be finished first."),
        ("Status", "One of: " + ", ".join(ACTION_STATUSES) + "; proposed: not decided yet."),
        ("Owner, Due date", "For the PMO lead to fill in."),
    ]
    sheets = {
        "Roadmap": roadmap_sheet(items, decided),
        "About": pd.DataFrame(about, columns=["Item", "Value"]),
    }
    write_sheets(sheets, out)
