"""What an import found: respondents, tidy answers, and every column, value and row it left out."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from pmo_assess.core.errors import Problem
from pmo_assess.core.text import without_control
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
    spreadsheet row of the response, header rows counted. ``reference`` finds the response again
    in a later export of the same survey: its id, else its completion time, else its row.
    """

    code: str
    role: str
    email: str | None = None
    name: str | None = None
    submitted_at: str | None = None
    row: int = 0
    # how this import finds the response again, not a fact about the respondent
    reference: str = field(default="", compare=False)


@dataclass(frozen=True)
class ImportedNote:
    """A free-text cell mapped to a note on its respondent (``about`` = ``respondent``) or on a
    dimension (``about`` = the dimension id), rather than on one answer."""

    respondent: str  # the respondent's code in the import
    about: str
    text: str
    row: int
    column: str


@dataclass(frozen=True)
class FoundRole:
    """A distinct text of the role column, the role it gives (None: unknown) and the closest."""

    text: str
    role: str | None
    closest: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnknownAnswer:
    """An answer text that matched no option, for a draft mapping: where first seen, and the
    option label most like it (None when none is close)."""

    text: str
    question_id: str
    where: str  # "row 4, column F"
    suggestion: str | None = None


@dataclass(frozen=True)
class RoleHints:
    """Where the respondents' roles come from, for the summary and a draft mapping."""

    column: str | None = None  # the role column's header, when roles are read from one
    how: str = ""  # "its header names a role" or "role_column in the mapping"
    described: str = ""  # "column C 'What is your role?'"
    likely: str | None = None  # a header that looks like roles but is not read as them
    found: tuple[FoundRole, ...] = ()


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
    notes: tuple[ImportedNote, ...] = ()
    roles: RoleHints = RoleHints()
    unknown_answers: tuple[UnknownAnswer, ...] = ()
    cleaned: int = 0  # control characters removed from codes, names, e-mails and notes
    named: tuple[str, str] | None = None  # the client and wave a long answers file names

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
            *_roles(self.roles),
            f"Answers: {len(self.answers)}",
            *_notes(self.notes),
            *_completion(self.completion),
        ]
        lines += _section("Unmatched columns", [_unmatched(c) for c in self.unmatched_columns])
        lines += _section("Rejected values", [str(p) for p in self.rejected])
        lines += _section("Skipped rows", [str(p) for p in self.skipped_rows])
        if self.cleaned:
            lines.append(
                f"Cleaned {self.cleaned} control character{'s' if self.cleaned > 1 else ''} "
                "(such as NUL or vertical tab) from codes, names and notes; tabs and line "
                "breaks kept."
            )
        return "\n".join(lines)

    def without_control(self) -> SurveyImport:
        """The import with control characters removed from its free text, counted in
        :attr:`cleaned` (nothing a person types, and what XLSX exports cannot hold)."""
        removed = 0

        def clean(text: Any) -> Any:
            nonlocal removed
            if not isinstance(text, str):
                return text
            kept, count = without_control(text)
            removed += count
            return kept

        answers = self.answers.assign(
            **{c: [clean(v) for v in self.answers[c]] for c in ("respondent", "note")}
        )
        respondents = tuple(
            replace(r, code=clean(r.code), name=clean(r.name), email=clean(r.email))
            for r in self.respondents
        )
        notes = tuple(
            replace(n, respondent=clean(n.respondent), text=clean(n.text)) for n in self.notes
        )
        return replace(self, answers=answers, respondents=respondents, notes=notes, cleaned=removed)


def _section(title: str, items: list[str]) -> list[str]:
    if not items:
        return [f"{title}: none"]
    return [f"{title}: {len(items)}"] + [f"  {i}. {item}" for i, item in enumerate(items, 1)]


def _roles(roles: RoleHints) -> list[str]:
    return [f"Roles from {roles.described} ({roles.how})"] if roles.column is not None else []


def _notes(notes: tuple[ImportedNote, ...]) -> list[str]:
    if not notes:
        return []
    on = Counter("respondents" if n.about == "respondent" else "dimensions" for n in notes)
    return ["Notes: " + ", ".join(f"{count} on {about}" for about, count in sorted(on.items()))]


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
