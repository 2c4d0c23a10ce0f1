"""What an import found: respondents, tidy answers, and every column, value and row it left out."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pandas as pd

from pmo_assess.core.errors import Problem
from pmo_assess.importers.base import column_letter
from pmo_assess.importers.completion import CompletionTimes, written

#: Columns of :attr:`SurveyImport.answers`, one row per respondent and question answered.
IMPORT_COLUMNS = [
    "respondent",
    "role",
    "question_id",
    "value",
    "status",
    "option_label",
    "note",
    "row",
    "column",
]


@dataclass(frozen=True)
class ImportedRespondent:
    """One respondent of a survey export.

    ``code`` is the platform's response id when it has one, else ``row-<n>``; ``row`` is the
    spreadsheet row of the response, header rows counted.
    """

    code: str
    role: str
    email: str | None = None
    name: str | None = None
    submitted_at: str | None = None
    row: int = 0


@dataclass(frozen=True)
class UnmatchedColumn:
    """A survey column that matched no question, with up to three (question id, text) closest."""

    header: str
    position: int
    closest: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SurveyImport:
    """The result of reading one survey export against a questionnaire; nothing is stored yet."""

    source: str
    platform: str
    respondents: tuple[ImportedRespondent, ...]
    answers: pd.DataFrame
    unmatched_columns: tuple[UnmatchedColumn, ...] = ()
    rejected: tuple[Problem, ...] = ()
    skipped_rows: tuple[Problem, ...] = ()
    completion: CompletionTimes | None = None  # None: the export has no completion times

    def summary(self) -> str:
        """A multi-line report for a dry run: respondents by role, answers, and what was left out.

        >>> empty = pd.DataFrame(columns=IMPORT_COLUMNS)
        >>> print(SurveyImport("s.csv", "google-forms", (ImportedRespondent("row-2", "pmo"),), empty).summary())
        s.csv (google-forms)
        Respondents: 1 (pmo 1)
        Answers: 0
        Completion times: none
        Unmatched columns: none
        Rejected values: none
        Skipped rows: none
        """
        roles = Counter(r.role for r in self.respondents)
        by_role = ", ".join(f"{role} {count}" for role, count in sorted(roles.items()))
        lines = [
            f"{self.source} ({self.platform})",
            f"Respondents: {len(self.respondents)}" + (f" ({by_role})" if by_role else ""),
            f"Answers: {len(self.answers)}",
            *_completion(self.completion),
        ]
        lines += _section("Unmatched columns", [_unmatched(c) for c in self.unmatched_columns])
        lines += _section("Rejected values", [str(p) for p in self.rejected])
        lines += _section("Skipped rows", [str(p) for p in self.skipped_rows])
        return "\n".join(lines)


def _section(title: str, items: list[str]) -> list[str]:
    if not items:
        return [f"{title}: none"]
    return [f"{title}: {len(items)}"] + [f"  {i}. {item}" for i, item in enumerate(items, 1)]


def _completion(completion: CompletionTimes | None) -> list[str]:
    if completion is None or not (completion.times or completion.problems):
        where = f" in {completion.column}" if completion else ""
        return [f"Completion times: none{where}"]
    if completion.problems:
        count = len(completion.problems)
        return [f"Completion times: not read, {count} problem{'s' if count > 1 else ''}"] + [
            f"  {i}. {p}" for i, p in enumerate(completion.problems, 1)
        ]
    last = completion.last_date
    assert last is not None
    return [
        f"Completion times: {len(completion.times)} in {completion.column}, "
        f"the last on {written(last)}"
    ]


def _unmatched(column: UnmatchedColumn) -> str:
    header = " ".join(column.header.split())
    text = f"column {column_letter(column.position)} '{header}' matches no question"
    if not column.closest:
        return text
    closest = "".join(f"\n       - {qid}: {wording}" for qid, wording in column.closest)
    return f"{text}; closest:{closest}"
