"""Turn a parsed export into a :class:`SurveyImport`: roles, answers matched to options, notes,
and a problem for every value, row or column left out."""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from typing import Any

import pandas as pd

from pmo_assess.core.errors import Problem, ValidationError
from pmo_assess.importers.base import ParsedSurvey, Response, SurveyColumn, column_letter, fold
from pmo_assess.importers.completion import CompletionTimes, completion_times
from pmo_assess.importers.mapping import ImportMapping
from pmo_assess.importers.matching import QuestionIndex, Target, match_columns
from pmo_assess.importers.result import (
    IMPORT_COLUMNS,
    ImportedNote,
    ImportedRespondent,
    RoleHints,
    SurveyImport,
    UnknownAnswer,
)
from pmo_assess.importers.roles import Roles, likely_role_column, no_role, role_column
from pmo_assess.model.questionnaire import AnswerOption, AnswerSet, Questionnaire
from pmo_assess.scoring.answers import ANSWERED, DONT_KNOW, NOT_APPLICABLE, match_option

_ROW_CODE = re.compile(r"row-\d+")  # the code of a response without an id of its own


def build_import(
    parsed: ParsedSurvey,
    questionnaire: Questionnaire,
    mapping: ImportMapping | None,
    default_role: str | None,
    name: str,
) -> SurveyImport:
    """Match a parsed export's columns and answers against a questionnaire."""
    mapping = mapping or ImportMapping()
    vocabulary = mapping.vocabulary()
    default = vocabulary.default(default_role)
    index = QuestionIndex(questionnaire)
    column, how = role_column(parsed.columns, mapping, index, name)
    likely = None if column else likely_role_column(parsed.columns, mapping, index)
    if column is None and default is None:
        raise no_role(name, likely)
    columns = [c for c in parsed.columns if c is not column]
    targets, unmatched = match_columns(columns, questionnaire, mapping)
    _check_duplicates(columns, targets, name)
    reader = _Reader(questionnaire, mapping, name, targets, columns)
    roles = Roles(column, mapping, vocabulary, default)
    respondents = reader.read_all(parsed.responses, roles)
    answers = pd.DataFrame(reader.answers, columns=IMPORT_COLUMNS)
    answers = answers.astype({"value": float, "row": int})
    return SurveyImport(
        name,
        parsed.platform,
        respondents,
        answers,
        unmatched,
        tuple(reader.rejected),
        (*parsed.skipped, *reader.skipped),
        _completion(parsed, respondents, name),
        tuple(reader.notes),
        _hints(roles, how, likely, parsed.responses),
        tuple(reader.unknown.values()),
    )


def _hints(
    roles: Roles, how: str, likely: SurveyColumn | None, responses: tuple[Response, ...]
) -> RoleHints:
    if roles.column is None:
        guessed = Roles(likely, roles.mapping, roles.vocabulary, None)
        return RoleHints(likely=likely.header if likely else None, found=guessed.found(responses))
    column = roles.column
    return RoleHints(column.header, how, column.describe(), None, roles.found(responses))


def _completion(
    parsed: ParsedSurvey, respondents: tuple[ImportedRespondent, ...], name: str
) -> CompletionTimes | None:
    column = parsed.time_column
    if column is None:
        return None
    texts = {r.row: r.cell(column.position) for r in parsed.responses if r.cell(column.position)}
    return completion_times(column, texts, {r.row for r in respondents}, name)


def _check_duplicates(columns: list[SurveyColumn], targets: dict[int, Target], name: str) -> None:
    first: dict[Target, SurveyColumn] = {}
    problems = []
    for column in columns:
        target = targets.get(column.position)
        if target is None or target.about:  # several columns may note a respondent or dimension
            continue
        if target in first:
            kind = "a note on" if target.note else ""
            problems.append(
                Problem(
                    f"{name} {column.describe()}",
                    f"matches {kind or 'question'} '{target.question_id}' like "
                    f"{first[target].describe()}; map one of them to another question or to "
                    "'ignore' under 'columns' in a mapping file",
                )
            )
        first.setdefault(target, column)
    if problems:
        raise ValidationError(problems, what=name)


def _reference(response: Response, seen: Counter[str]) -> str:
    """The response's id; without one, its completion time (rows move when responses are deleted),
    numbered when two responses share it."""
    if not _ROW_CODE.fullmatch(response.code):
        key = f"id {response.code}"
    else:
        key = f"time {response.submitted_at}" if response.submitted_at else response.code
    seen[key] += 1
    return key if seen[key] == 1 else f"{key} #{seen[key]}"


class _Reader:
    """Reads responses into respondents and answer rows, collecting what it leaves out."""

    def __init__(
        self,
        questionnaire: Questionnaire,
        mapping: ImportMapping | None,
        name: str,
        targets: dict[int, Target],
        columns: list[SurveyColumn],
    ) -> None:
        self.questionnaire = questionnaire
        self.mapping = mapping
        self.name = name
        self.targets = dict(sorted(targets.items()))
        self.columns = {c.position: c for c in columns}
        self.answers: list[dict[str, Any]] = []
        self.notes: list[ImportedNote] = []
        self.rejected: list[Problem] = []
        self.skipped: list[Problem] = []
        self.unknown: dict[str, UnknownAnswer] = {}  # by folded text, the first seen

    def read_all(
        self, responses: tuple[Response, ...], roles: Roles
    ) -> tuple[ImportedRespondent, ...]:
        if responses and all(t.note for t in self.targets.values()):
            self.skipped.append(
                Problem(
                    self.name,
                    f"no column matched a question, so none of its {len(responses)} "
                    "responses was read; see the unmatched columns",
                )
            )
            return ()
        respondents: dict[str, ImportedRespondent] = {}
        seen: Counter[str] = Counter()
        for response in responses:
            role, unknown = roles.of(response)
            problem = self._skip_reason(response, respondents)
            if unknown and not problem and roles.column:
                where = f"{self.name} row {response.row}, {roles.column.describe()}"
                self.rejected.append(Problem(where, unknown))
                continue
            if problem or role is None:
                reason = problem or roles.missing()
                self.skipped.append(Problem(f"{self.name} row {response.row}", reason))
                continue
            respondents[response.code] = ImportedRespondent(
                response.code,
                role,
                response.email,
                response.name,
                response.submitted_at,
                response.row,
                _reference(response, seen),
            )
            self.answers += self._answers(response, role)
        return tuple(respondents.values())

    def _skip_reason(self, response: Response, seen: dict[str, ImportedRespondent]) -> str | None:
        if response.code in seen:
            return f"response id '{response.code}' already read at row {seen[response.code].row}"
        if not any(response.cell(p) for p, t in self.targets.items() if not t.note):
            return "no answer to any matched question"
        return None

    def _answers(self, response: Response, role: str) -> list[dict[str, Any]]:
        rows: dict[str, dict[str, Any]] = {}
        notes: dict[str, list[tuple[SurveyColumn, str]]] = defaultdict(list)
        for position, target in self.targets.items():
            text, column = response.cell(position), self.columns[position]
            if text and target.about:
                note = ImportedNote(response.code, target.about, text, response.row, column.header)
                self.notes.append(note)
            elif text and target.note:
                notes[target.question_id].append((column, text))
            elif text:
                option = self._option(text, target.question_id, response.row, column)
                if option is not None:
                    rows[target.question_id] = _answer_row(response, role, target, option, column)
        for question_id, texts in notes.items():
            self._attach(rows.get(question_id), question_id, texts, response.row)
        return list(rows.values())

    def _attach(
        self,
        row: dict[str, Any] | None,
        question_id: str,
        texts: list[tuple[SurveyColumn, str]],
        number: int,
    ) -> None:
        if row is not None:
            row["note"] = "\n".join(text for _, text in texts)
            return
        column, text = texts[0]
        self.rejected.append(
            Problem(
                f"{self.name} row {number}, {column.describe()}",
                f"note {text!r} on '{question_id}' has no answer to go with",
            )
        )

    def _option(
        self, text: str, question_id: str, row: int, column: SurveyColumn
    ) -> AnswerOption | None:
        question = self.questionnaire.question(question_id)
        answer_set = self.questionnaire.answer_sets[question.answer_set]
        option = _match(text, answer_set, self.mapping)
        if option is None:
            where = f"row {row}, column {column_letter(column.position)}"
            self.unknown.setdefault(
                fold(text), UnknownAnswer(text, question_id, where, _closest(text, answer_set))
            )
            self.rejected.append(
                Problem(
                    f"{self.name} row {row}, {column.describe()}",
                    f"answer {text!r} to '{question_id}' is not one of: {answer_set.describe()}; "
                    "map it to one under 'options' in a mapping file",
                )
            )
        return option


def _match(text: str, answer_set: AnswerSet, mapping: ImportMapping | None) -> AnswerOption | None:
    mapped = mapping.option_for(text) if mapping else None
    text = mapped if mapped is not None else text
    option = match_option(text, answer_set)
    if option is None and text.endswith(";") and text.count(";") == 1:
        option = match_option(text[:-1], answer_set)  # Microsoft Forms ends choices with ";"
    return option


def _closest(text: str, answer_set: AnswerSet) -> str | None:
    labels = {fold(o.label): o.label for o in answer_set.options}
    near = difflib.get_close_matches(fold(text), list(labels), n=1, cutoff=0.6)
    return labels[near[0]] if near else None


def _answer_row(
    response: Response, role: str, target: Target, option: AnswerOption, column: SurveyColumn
) -> dict[str, Any]:
    status = (
        NOT_APPLICABLE if option.not_applicable else DONT_KNOW if option.dont_know else ANSWERED
    )
    return {
        "respondent": response.code,
        "role": role,
        "question_id": target.question_id,
        "value": option.value if option.value is not None else float("nan"),
        "status": status,
        "option_label": option.label,
        "note": "",
        "row": response.row,
        "column": column.header,
    }
