"""The long answers file: read it, check every row against a questionnaire, and return the tidy table.

The tidy answers table is what the scoring engine takes: one row per respondent and question with
columns ``client, wave, respondent, role, question_id, value, status, note``, where ``status`` is
``answered`` (``value`` holds the scale value), ``na`` (not applicable) or ``dont_know``.
Rows are numbered as a spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from pmo_assess.core.errors import PmoAssessError, Problem, ValidationError
from pmo_assess.core.text import normalise_text, read_text
from pmo_assess.model.answer_status import ANSWERED, DONT_KNOW, NOT_APPLICABLE
from pmo_assess.model.questionnaire import AnswerOption, AnswerSet, Questionnaire

ANSWER_COLUMNS = ("client", "wave", "respondent", "role", "question_id", "answer")
OPTIONAL_COLUMNS = ("note",)
TIDY_COLUMNS = ["client", "wave", "respondent", "role", "question_id", "value", "status", "note"]

_NA_WORDS = {"n/a", "na", "not applicable"}
_DONT_KNOW_WORDS = {"don't know", "dont know", "do not know", "unknown"}
_NUMBER_FIRST = re.compile(r"^(-?\d+(?:[.,]\d+)?)\s*(?:[-–—:.)]\s*|\s)(.*)$")


def read_answers_file(path: str | Path, questionnaire: Questionnaire) -> pd.DataFrame:
    """Read and check a long answers CSV; return the tidy answers table.

    Raises :class:`ValidationError` with one problem per bad row, naming its row number.
    """
    name = str(path)
    text = read_text(path)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows:
        raise ValidationError(
            [
                Problem(
                    name,
                    "the file is empty; expected a header row with columns "
                    + ", ".join(ANSWER_COLUMNS + OPTIONAL_COLUMNS),
                )
            ],
            what=name,
        )
    header = [h.strip().lower() for h in rows[0]]
    problems = _header_problems(header, rows[0], name)
    if problems:
        raise ValidationError(problems, what=name)
    named = [i for i, h in enumerate(header) if h]  # Excel can leave blank header cells at the end
    frame = pd.DataFrame(
        [[r[i] if i < len(r) else "" for i in named] for r in rows[1:]],
        columns=[header[i] for i in named],
        dtype=str,
    )
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="row")
    frame = frame.map(_without_formula_guard)
    return tidy_answers(frame, questionnaire, name, problems=_stray_cells(rows, set(named), name))


def _without_formula_guard(cell: str) -> str:
    """Undo the apostrophe our exports put before text a spreadsheet would run as a formula.

    >>> _without_formula_guard("'=1+1"), _without_formula_guard("'quoted'")
    ('=1+1', "'quoted'")
    """
    return cell[1:] if cell[:1] == "'" and cell[1:2] in ("=", "+", "-", "@", "\t", "\r") else cell


def _delimiter(text: str) -> str:
    """Comma, or the semicolon Excel writes in many European locales, or the tab of its
    Unicode text: whichever splits the header into the most known columns."""
    first = text.split("\n", 1)[0]

    def known(sep: str) -> int:
        return sum(c.strip().strip('"').lower() in ANSWER_COLUMNS for c in first.split(sep))

    return max(",;\t", key=known)


def _header_problems(header: list[str], written: list[str], name: str) -> list[Problem]:
    problems = []
    missing = [c for c in ANSWER_COLUMNS if c not in header]
    if missing:
        found = ", ".join(repr(h) for h in written) or "none"
        problems.append(
            Problem(
                f"{name} row 1", f"missing column(s) {', '.join(missing)}; columns found: {found}"
            )
        )
    for column in dict.fromkeys(h for h in header if h and header.count(h) > 1):
        places = ", ".join(str(i) for i, h in enumerate(header, start=1) if h == column)
        problems.append(
            Problem(f"{name} row 1", f"column {column!r} appears more than once (columns {places})")
        )
    return problems


def _stray_cells(rows: list[list[str]], named: set[int], name: str) -> list[Problem]:
    problems = []
    for number, row in enumerate(rows[1:], start=2):
        stray = [cell for i, cell in enumerate(row) if i not in named and cell.strip()]
        if stray:
            problems.append(
                Problem(
                    f"{name} row {number}",
                    f"cells outside the header's columns: {', '.join(map(repr, stray))}; "
                    'put text that holds a comma in double quotes, e.g. "late, but done"',
                )
            )
    return problems


def tidy_answers(
    frame: pd.DataFrame,
    questionnaire: Questionnaire,
    name: str,
    problems: Iterable[Problem] = (),
) -> pd.DataFrame:
    """Check raw text rows (indexed by row number) and turn them into the tidy answers table.

    ``problems`` already found in the rows are reported together with those found here.
    """
    frame = frame.copy()
    for column in (*ANSWER_COLUMNS, *OPTIONAL_COLUMNS):
        frame[column] = frame[column].str.strip() if column in frame else ""
    frame = frame[frame["answer"] != ""]  # a blank answer is a question not asked
    if frame.empty:
        raise ValidationError([Problem(name, "the file holds no answers")], what=name)
    problems = list(problems)
    questions = {q.id: q for q in questionnaire.questions()}
    values, statuses = [], []
    for row, record in frame.iterrows():
        where = f"{name} row {row}"
        blank = [c for c in ("client", "wave", "respondent", "question_id") if not record[c]]
        if blank:
            problems.append(Problem(where, f"empty {', '.join(blank)}"))
        question = questions.get(record["question_id"])
        option = None
        if question is None and record["question_id"]:
            problems.append(Problem(where, _unknown_question(record["question_id"], questions)))
        elif question is not None:
            answer_set = questionnaire.answer_sets[question.answer_set]
            option = match_option(record["answer"], answer_set)
            if option is None:
                problems.append(
                    Problem(
                        where,
                        f"answer {record['answer']!r} to '{question.id}' is "
                        f"not one of: {answer_set.describe()}",
                    )
                )
        values.append(option.value if option else None)
        statuses.append(_status(option))
    frame["value"] = pd.array(values, dtype="Float64").astype(float)
    frame["status"] = statuses
    frame["role"] = frame["role"].where(frame["role"] != "", "unspecified")
    problems += _duplicate_problems(frame, name)
    if problems:
        problems.sort(key=lambda p: int(re.sub(r"\D", "", p.location.rsplit("row", 1)[-1]) or 0))
        raise ValidationError(problems, what=name)
    return frame[TIDY_COLUMNS].reset_index(drop=True)


def match_option(answer: str, answer_set: AnswerSet) -> AnswerOption | None:
    """The option an answer means: a value (``3``), a label (``defined``), both (``3 - Defined``),
    or the usual words for Not applicable and Don't know. None when it means none of them.

    >>> from pmo_assess.model.questionnaire import AnswerOption as O, AnswerSet
    >>> scale = AnswerSet("s", (O("Initial", 1.0), O("Defined", 2.0), O("N/A", not_applicable=True)))
    >>> [match_option(a, scale).label for a in ("2", " defined ", "2 - Defined", "n/a")]
    ['Defined', 'Defined', 'Defined', 'N/A']
    >>> match_option("2 - Initial", scale) is None
    True
    """
    text = normalise_text(answer)
    for option in answer_set.options:
        if normalise_text(option.label) == text:
            return option
    number, label = _split_number(text)
    if number is not None:
        valued = next((o for o in answer_set.options if o.value == number), None)
        if valued is not None and (not label or normalise_text(valued.label) == label):
            return valued
        return None
    for option in answer_set.options:
        if (option.not_applicable and text in _NA_WORDS) or (
            option.dont_know and text in _DONT_KNOW_WORDS
        ):
            return option
    return None


def _split_number(text: str) -> tuple[float | None, str]:
    try:
        return float(text.replace(",", ".")), ""
    except ValueError:
        pass
    match = _NUMBER_FIRST.match(text)
    if match:
        return float(match.group(1).replace(",", ".")), normalise_text(match.group(2))
    return None, ""


def _status(option: AnswerOption | None) -> str:
    if option is not None and option.not_applicable:
        return NOT_APPLICABLE
    if option is not None and option.dont_know:
        return DONT_KNOW
    return ANSWERED


def _unknown_question(question_id: str, questions: Mapping[str, object]) -> str:
    close = difflib.get_close_matches(question_id, list(questions), n=1, cutoff=0.75)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown question id {question_id!r}{hint}"


def _duplicate_problems(frame: pd.DataFrame, name: str) -> list[Problem]:
    keys = ["client", "wave", "respondent", "question_id"]
    duplicated = frame[frame.duplicated(keys, keep=False)]
    problems = []
    for _, group in duplicated.groupby(keys, sort=False):
        first, *others = list(group.index)
        for row in others:
            r = group.loc[row]
            problems.append(
                Problem(
                    f"{name} row {row}",
                    f"respondent {r['respondent']!r} answers "
                    f"'{r['question_id']}' twice (also at row {first})",
                )
            )
    return problems


def select_assessment(answers: pd.DataFrame, client: str | None, wave: str | None) -> pd.DataFrame:
    """The answers of one client and wave; without a choice, the only one in the table."""
    for column, wanted in (("client", client), ("wave", wave)):
        present = sorted(answers[column].unique())
        if wanted is None and len(present) > 1:
            raise PmoAssessError(
                f"The answers hold several {column}s ({', '.join(present)}); "
                f"choose one with --{column}."
            )
        if wanted is not None and wanted not in present:
            raise PmoAssessError(
                f"No answers for {column} '{wanted}'. {column.capitalize()}s in "
                f"the answers: {', '.join(present)}."
            )
        if wanted is not None:
            answers = answers[answers[column] == wanted]
    return answers
