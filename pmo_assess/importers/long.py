"""The long answers file (``client, wave, respondent, role, question_id, answer, note``) as a
survey import, read and checked by :func:`pmo_assess.scoring.answers.read_answers_file`.

That reader is strict: a bad answer or an unknown question id fails the whole file with every
problem listed, as ``pmo-assess score`` does. A respondent's code is the file's ``respondent``;
a blank role takes the default role. No mapping applies: the file names ids and answers itself;
only the roles a mapping adds to the vocabulary count, since every role must be a known one,
and a column beyond the file's own is unmatched unless the mapping ignores it. The client and
wave the file names are kept (:attr:`SurveyImport.named`) so the store can refuse a file meant
for another client or wave.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from pmo_assess.core.errors import PmoAssessError, Problem
from pmo_assess.importers.base import Grid, cell_at
from pmo_assess.importers.mapping import IGNORE, ImportMapping
from pmo_assess.importers.result import (
    IMPORT_COLUMNS,
    ImportedRespondent,
    SurveyImport,
    UnmatchedColumn,
)
from pmo_assess.importers.role_names import Vocabulary
from pmo_assess.model.answer_status import ANSWERED, DONT_KNOW, NOT_APPLICABLE
from pmo_assess.model.questionnaire import Questionnaire
from pmo_assess.scoring.answers import ANSWER_COLUMNS, OPTIONAL_COLUMNS, read_answers_file

#: Columns ``pmo-assess export`` adds to the long file; an import does not read them back.
EXPORTED_COLUMNS = ("confidence", "evidence", "recorded_at", "recorded_by")
EXPECTED = "one header row: " + ", ".join(ANSWER_COLUMNS) + ", note"


def looks_like(rows: Grid) -> bool:
    """Whether the header names every column of the long answers file."""
    header = {h.casefold() for h in rows[0]} if rows else set()
    return set(ANSWER_COLUMNS) <= header


def read_long(
    path: Path,
    rows: Grid,
    questionnaire: Questionnaire,
    default_role: str | None,
    name: str,
    vocabulary: Vocabulary | None = None,
    mapping: ImportMapping | None = None,
) -> SurveyImport:
    """A long answers file as a :class:`SurveyImport` of one client and wave."""
    tidy = read_answers_file(path, questionnaire)
    pairs = sorted(set(zip(tidy["client"], tidy["wave"], strict=True)))
    if len(pairs) > 1:
        listed = ", ".join(f"{c} {w}" for c, w in pairs)
        raise PmoAssessError(
            f"{name} holds answers of several clients or waves ({listed}); an import takes one. "
            "Split the file, one client and wave each."
        )
    header = [h.casefold() for h in rows[0]]
    answer_at, role_at = header.index("answer"), header.index("role")
    # read_answers_file keeps the file's order and drops blank answers: zip it with the rows
    written = [(n, cells) for n, cells in enumerate(rows[1:], start=2) if cell_at(cells, answer_at)]
    if len(written) != len(tidy):
        raise RuntimeError(f"{name}: {len(written)} answer rows read but {len(tidy)} checked")
    blank_role = [not cell_at(cells, role_at) for _, cells in written]
    tidy = tidy.assign(
        row=[n for n, _ in written],
        role=tidy["role"].where(~pd.Series(blank_role, index=tidy.index), default_role or ""),
        option_label=[_label(a, questionnaire) for a in tidy.itertuples()],
        column="answer",
    )
    skipped = _without_role(tidy, name)
    tidy = tidy[tidy["role"] != ""]
    tidy, rejected = _known_roles(tidy, vocabulary or Vocabulary(), name)
    rejected += _two_roles(tidy, name)
    firsts = tidy.drop_duplicates("respondent")
    respondents = tuple(
        ImportedRespondent(code=r.respondent, role=r.role, row=int(r.row))
        for r in firsts.itertuples()
    )
    answers = tidy[IMPORT_COLUMNS].reset_index(drop=True)
    extra = _extra_columns(rows[0], mapping or ImportMapping())
    return SurveyImport(
        name, "long", respondents, answers, extra, rejected, skipped, named=pairs[0]
    )


def _extra_columns(header: list[str], mapping: ImportMapping) -> tuple[UnmatchedColumn, ...]:
    """Columns beyond the file's own, which nothing reads, unless the mapping ignores them."""
    own = {*ANSWER_COLUMNS, *OPTIONAL_COLUMNS, *EXPORTED_COLUMNS}
    return tuple(
        UnmatchedColumn(cell, position)
        for position, cell in enumerate(header, start=1)
        if cell and cell.casefold() not in own and mapping.column_target([cell]) != IGNORE
    )


def _two_roles(tidy: pd.DataFrame, name: str) -> tuple[Problem, ...]:
    """A problem for each respondent given more than one role: a respondent has one a wave."""
    problems = []
    for respondent, rows in tidy.groupby("respondent", sort=False):
        if rows["role"].nunique() > 1:
            firsts = rows.drop_duplicates("role")
            roles = ", ".join(f"{r.role} (row {r.row})" for r in firsts.itertuples())
            problems.append(
                Problem(
                    f"{name} rows {', '.join(str(r) for r in rows['row'])}",
                    f"respondent '{respondent}' is given {len(firsts)} roles: {roles}; a "
                    "respondent has one role in a wave, so correct the role column",
                )
            )
    return tuple(problems)


def _known_roles(
    tidy: pd.DataFrame, vocabulary: Vocabulary, name: str
) -> tuple[pd.DataFrame, tuple[Problem, ...]]:
    """Roles as the vocabulary's slugs ("Project Manager" is project-manager), and a problem at
    the first row of each respondent whose role is not a known one."""
    known = {role: vocabulary.role(role) for role in set(tidy["role"])}
    firsts = tidy.drop_duplicates(["respondent", "role"])
    rejected = tuple(
        Problem(f"{name} row {row}, column 'role'", vocabulary.unknown(role))
        for role, row in zip(firsts["role"], firsts["row"], strict=True)
        if known[role] is None
    )
    return tidy.assign(role=[known[r] or r for r in tidy["role"]]), rejected


def _label(answer: Any, questionnaire: Questionnaire) -> str:
    """The label of the option a checked answer chose, from its value or status."""
    answer_set = questionnaire.answer_sets[questionnaire.question(answer.question_id).answer_set]
    for option in answer_set.options:
        if (
            (answer.status == ANSWERED and option.value == answer.value)
            or (answer.status == NOT_APPLICABLE and option.not_applicable)
            or (answer.status == DONT_KNOW and option.dont_know)
        ):
            return option.label
    return ""


def _without_role(tidy: pd.DataFrame, name: str) -> tuple[Problem, ...]:
    blank = tidy[tidy["role"] == ""]
    return tuple(
        Problem(
            f"{name} row {row}",
            f"respondent '{respondent}' has no role; fill in the role column or pass --role ROLE",
        )
        for respondent, row in zip(blank["respondent"], blank["row"], strict=True)
    )
