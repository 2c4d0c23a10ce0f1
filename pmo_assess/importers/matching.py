"""Match survey columns to questions, in a fixed order of trust.

1. the mapping file (a header, Qualtrics internal name or ImportId → question id, ``ignore`` or
   a note: ``note: <question id>``, ``note: respondent``, ``note: <dimension id>``);
2. the question id itself as a column name;
3. the exact question text, then an exact alias;
4. the folded text or alias (case, spacing, curly quotes, punctuation, dashes for commas and a
   trailing ``?`` ignored: :func:`~pmo_assess.importers.base.fold`), then the row of a grid
   (``Question [Row]``) or the statement of a matrix (``Question - Statement``).

A column that none of these match, and that is not a platform's own column, is reported with
the three question texts closest to it; an import refuses it until it is mapped or ignored.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from pmo_assess.importers.base import SurveyColumn, fold
from pmo_assess.importers.mapping import IGNORE, ImportMapping, note_about
from pmo_assess.importers.result import UnmatchedColumn
from pmo_assess.model.questionnaire import Questionnaire

_STOP_WORDS = {"the", "and", "are", "how", "what", "which", "who", "does", "for", "you", "your"}


@dataclass(frozen=True)
class Target:
    """Where a column's cells go: the answer to a question, a note on that answer, or a note on
    the respondent or a dimension (``about``: ``respondent`` or the dimension id)."""

    question_id: str = ""
    note: bool = False
    about: str = ""


class QuestionIndex:
    """The questionnaire's ids, texts and aliases, exact and normalised, for column lookups."""

    def __init__(self, questionnaire: Questionnaire) -> None:
        questions = list(questionnaire.questions())
        self.ids = {q.id for q in questions}
        self.texts = {q.text: q.id for q in questions}
        self.aliases = {a: q.id for q in questions for a in q.aliases}
        self.folded = {fold(w): q.id for q in questions for w in (q.text, *q.aliases)}
        self.wordings = [(q.id, q.text, [fold(w) for w in (q.text, *q.aliases)]) for q in questions]

    def find(self, column: SurveyColumn) -> str | None:
        """The question a column names by id, text or alias; None when there is none."""
        for name in column.names:
            if name in self.ids:
                return name
        for table in (self.texts, self.aliases):
            if column.header in table:
                return table[column.header]
        for wording in (column.header, *column.texts):
            if fold(wording) in self.folded:
                return self.folded[fold(wording)]
        return None

    def closest(self, column: SurveyColumn, n: int = 3) -> tuple[tuple[str, str], ...]:
        """Up to ``n`` (question id, text) pairs most like the column, best first."""
        candidates = [fold(w) for w in (column.header, *column.texts)]

        def best(wordings: list[str]) -> float:
            return max(likeness(c, w) for c in candidates for w in wordings)

        ranked = sorted(self.wordings, key=lambda entry: -best(entry[2]))  # ties keep order
        return tuple((qid, text) for qid, text, _ in ranked[:n])


def likeness(column_text: str, wording: str) -> float:
    """How alike two normalised texts are, from 0 to 1: difflib's ratio of the characters,
    averaged with the share of the column's words (stems) that the wording holds too, so that
    "Escalation of issues" is near "How are issues escalated ...?" despite its word order.

    >>> likeness("stage gates", "stage gates")
    1.0
    >>> column = "escalation of issues"
    >>> likeness(column, "how are issues escalated?") > likeness(column, "how often are issues met?")
    True
    """
    ratio = difflib.SequenceMatcher(None, column_text, wording, autojunk=False).ratio()
    words = _stems(column_text)
    shared = len(words & _stems(wording)) / len(words) if words else 0.0
    return (ratio + shared) / 2


def _stems(text: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[a-z0-9]+", text) if len(w) > 2 and w not in _STOP_WORDS}


def match_columns(
    columns: Iterable[SurveyColumn],
    questionnaire: Questionnaire,
    mapping: ImportMapping | None,
) -> tuple[dict[int, Target], tuple[UnmatchedColumn, ...]]:
    """Targets by column position, and the question-like columns that matched nothing.

    Metadata columns are matched only through the mapping and never reported as unmatched.
    """
    index = QuestionIndex(questionnaire)
    targets: dict[int, Target] = {}
    unmatched = []
    for column in columns:
        mapped = mapping.column_target(column.names) if mapping else None
        if mapped is not None:
            if mapped != IGNORE:
                targets[column.position] = _target(mapped, index)
            continue
        if column.metadata:
            continue
        found = index.find(column)
        if found is not None:
            targets[column.position] = Target(found)
        else:
            unmatched.append(UnmatchedColumn(column.header, column.position, index.closest(column)))
    return targets, tuple(unmatched)


def _target(mapped: str, index: QuestionIndex) -> Target:
    about = note_about(mapped)
    if about is None:
        return Target(mapped)
    return Target(about, note=True) if about in index.ids else Target(note=True, about=about)
