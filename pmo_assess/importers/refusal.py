"""Why a survey import is refused: columns that matched no question (unless left out on purpose),
rejected values and roles, and completion times that cannot date the wave (unless it is dated).
A dry run is refused for the same reasons, with its report before them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from pmo_assess.core.errors import Problem, ValidationError
from pmo_assess.importers.base import column_letter
from pmo_assess.importers.result import SurveyImport, UnmatchedColumn


class ImportRefused(ValidationError):
    """A dry run whose import would be refused: the dry run's report, then every problem."""

    def __init__(self, preamble: str, problems: Sequence[Problem], source: str) -> None:
        self.preamble = preamble
        what = f"{source} (dry run: nothing was written; the import would be refused)"
        super().__init__(problems, what=what)

    def report(self) -> str:
        """The dry run's report, then the problems, numbered."""
        return f"{self.preamble}\n{super().report()}"


def refusals(survey: SurveyImport, ignore_unmatched: bool, held_on: date | None) -> list[Problem]:
    """Every reason to refuse an import: columns that matched no question (unless ignored),
    rejected values and roles, and completion times that cannot date the wave (unless dated)."""
    unmatched = () if ignore_unmatched else survey.unmatched_columns
    unread = survey.completion.problems if survey.completion and held_on is None else ()
    return [*(_unmatched(survey.source, c) for c in unmatched), *survey.rejected, *unread]


def _unmatched(source: str, column: UnmatchedColumn) -> Problem:
    header = " ".join(column.header.split())
    closest = f" (closest: {', '.join(q for q, _ in column.closest)})" if column.closest else ""
    return Problem(
        f"{source} column {column_letter(column.position)} '{header}'",
        f'matches no question{closest}; map it to a question id, ignore or "note: respondent" '
        "under 'columns' in a mapping file (--dry-run --write-mapping FILE drafts one), or pass "
        "--ignore-unmatched to leave it out",
    )


def ignored_line(survey: SurveyImport, ignore_unmatched: bool) -> list[str]:
    """The report's line on unmatched columns left out with ``--ignore-unmatched``."""
    count = len(survey.unmatched_columns)
    if not (ignore_unmatched and count):
        return []
    return [
        f"The {count} unmatched column{'s are' if count > 1 else ' is'} left out (--ignore-unmatched)."
    ]


def named_elsewhere(survey: SurveyImport, slug: str, name: str, wave: str) -> list[str]:
    """What a long answers file names that is not the import's client (its slug or name) or
    wave, ignoring case: ``["client 'Contoso'", "wave '2025-Q1'"]``, or none."""
    if survey.named is None:
        return []
    client, label = survey.named
    other = []
    if client.casefold() not in (slug.casefold(), name.casefold()):
        other.append(f"client '{client}'")
    if label.casefold() != wave.casefold():
        other.append(f"wave '{label}'")
    return other


def relabelling(
    survey: SurveyImport, slug: str, name: str, wave: str, relabel: bool
) -> tuple[list[Problem], list[str]]:
    """A refusal when a long answers file names another client or wave, or with ``relabel`` the
    report's line saying its answers are stored under the import's client and wave."""
    other = named_elsewhere(survey, slug, name, wave)
    if not other:
        return [], []
    named = " and ".join(other)
    if relabel:
        return [], [
            f"The file names {named}; its answers are stored for {slug}, wave {wave} (--relabel)."
        ]
    return [
        Problem(
            survey.source,
            f"the file's answers are for {named}, not for client {slug} ('{name}'), wave {wave}; "
            "import it for its own client and wave, or pass --relabel to store its answers "
            f"for {slug}, wave {wave} on purpose",
        )
    ], []
