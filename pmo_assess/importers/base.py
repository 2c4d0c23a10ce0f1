"""The platform-neutral shape every survey export is parsed into before its columns are matched.

Each platform module turns the raw cells of an export (a :data:`Grid`) into a
:class:`ParsedSurvey`: its columns, with the names a mapping or a question may use, and one
:class:`Response` per respondent row. Matching columns to questions and answers to options is
the same for every platform and happens afterwards (:mod:`pmo_assess.importers.build`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from pmo_assess.core.errors import Problem
from pmo_assess.core.text import normalise_text

Grid = list[list[str]]  # rows of stripped cell texts, as a spreadsheet shows them

_GRID_ROW = re.compile(r"^(.*?\S)\s*\[([^\[\]]+)\]$")  # Google Forms: "Question [Row]"
_SEPARATOR = " - "  # Qualtrics and SurveyMonkey: "Question - Statement"
_CHOICE_SUFFIXES = {"selected choice"}  # Qualtrics: "Question - Selected Choice"
_APOSTROPHES = re.compile(r"['`\u2018\u2019]")
_PUNCTUATION = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class SurveyColumn:
    """One column of an export: its header, other names, and extra wordings to match on."""

    position: int  # 1-based, as a spreadsheet counts
    header: str
    keys: tuple[str, ...] = ()  # other exact names: a Qualtrics internal name and ImportId
    texts: tuple[str, ...] = ()  # extra wordings: the row of a grid, the statement of a matrix
    metadata: bool = False  # a platform column such as Timestamp or Respondent ID

    @property
    def names(self) -> tuple[str, ...]:
        """Every exact name of the column: its header, then its keys."""
        return (self.header, *self.keys)

    def describe(self) -> str:
        """``column C 'What is your role?'`` for messages (line breaks folded)."""
        return f"column {column_letter(self.position)} '{' '.join(self.header.split())}'"


@dataclass(frozen=True)
class Response:
    """One respondent's row: who, when, and the cells in column order."""

    row: int
    code: str
    cells: tuple[str, ...]
    email: str | None = None
    name: str | None = None
    submitted_at: str | None = None

    def cell(self, position: int) -> str:
        """The text of the cell in the 1-based column ``position`` ("" past the row's end)."""
        return self.cells[position - 1] if position <= len(self.cells) else ""


@dataclass(frozen=True)
class ParsedSurvey:
    """An export read into columns and responses, with the rows left out on purpose."""

    platform: str
    columns: tuple[SurveyColumn, ...]
    responses: tuple[Response, ...]
    skipped: tuple[Problem, ...] = ()
    time_column: SurveyColumn | None = None  # where ``Response.submitted_at`` is read from


@dataclass(frozen=True)
class Platform:
    """A survey platform: how to recognise its export and how to parse it."""

    name: str
    title: str
    expected: str  # the header the platform writes, for "unknown layout" messages
    looks_like: Callable[[Grid], bool]
    parse: Callable[[Grid, str, bool], ParsedSurvey]


def column_letter(position: int) -> str:
    """The spreadsheet letter of a 1-based column.

    >>> column_letter(1), column_letter(26), column_letter(28)
    ('A', 'Z', 'AB')
    """
    letters = ""
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def grid_texts(header: str) -> tuple[str, ...]:
    """Wordings inside a grid or matrix header that may name a question on their own.

    >>> grid_texts("Rate these practices [Stage gates]")
    ('Stage gates',)
    >>> grid_texts("Rate the following - Gates - are they run?")
    ('Gates - are they run?', 'are they run?')
    >>> grid_texts("How are gates run? - Selected Choice")
    ('How are gates run?',)
    """
    bracket = _GRID_ROW.match(header)
    if bracket:
        return (bracket.group(2).strip(),)
    parts = header.split(_SEPARATOR)
    if len(parts) > 1 and normalise_text(parts[-1]) in _CHOICE_SUFFIXES:
        return (_SEPARATOR.join(parts[:-1]).strip(),)
    return tuple(_SEPARATOR.join(parts[i:]).strip() for i in range(1, len(parts)))


def fold(text: str) -> str:
    """A header or answer folded for matching, as survey tools mangle text: case, spacing, curly
    quotes, a trailing ``?``, apostrophes and every other punctuation mark ignored; dashes stand
    for commas and ``&`` for "and".

    >>> fold("How are projects approved - reviewed at stage gates and closed ")
    'how are projects approved reviewed at stage gates and closed'
    >>> fold("How are projects approved, reviewed at stage gates and closed?")
    'how are projects approved reviewed at stage gates and closed'
    >>> fold("How consistently are the PMO’s templates used?"), fold("Lessons captured & reused")
    ('how consistently are the pmos templates used', 'lessons captured and reused')
    """
    text = _APOSTROPHES.sub("", normalise_text(text).replace("&", " and "))
    return " ".join(_PUNCTUATION.sub(" ", text).split())


def cell_at(cells: Sequence[str], index: int | None) -> str:
    """The cell at a 0-based index, or "" when the index is None or past the row's end."""
    return cells[index] if index is not None and index < len(cells) else ""


def find_column(header: Sequence[str], *names: str) -> int | None:
    """The 0-based index of the first header cell equal to one of ``names``, ignoring case."""
    wanted = [n.casefold() for n in names]
    for name in wanted:
        for i, cell in enumerate(header):
            if cell.casefold() == name:
                return i
    return None


def column_at(columns: Sequence[SurveyColumn], index: int | None) -> SurveyColumn | None:
    """The column at a 0-based index of the header, or None when the index is None."""
    return next((c for c in columns if index is not None and c.position == index + 1), None)


def data_rows(rows: Grid, first: int) -> Iterator[tuple[int, list[str]]]:
    """``(spreadsheet row number, cells)`` of the non-blank rows from the 1-based row ``first``."""
    for number, cells in enumerate(rows[first - 1 :], start=first):
        if any(cells):
            yield number, cells


def text_or_none(text: str) -> str | None:
    """None for a blank cell, else the text."""
    return text or None


def joined_name(*parts: str) -> str | None:
    """First and last name as one, or None when both are blank."""
    return " ".join(p for p in parts if p) or None
