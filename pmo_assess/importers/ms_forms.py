"""Microsoft Forms: the responses workbook (or its CSV).

One header row ``ID, Start time, Completion time, Email, Name`` (``Id`` in some versions, and
``Last modified time`` after ``Name`` in others), then the questions, not always in the form's
order. Anonymous forms write ``anonymous`` in ``Email``. A question whose title is one of those
column names gets a ``2`` appended: ``Name2`` is then the name the respondent typed, used when
``Name`` is blank. A quiz adds ``Total points``, ``Quiz feedback`` and, beside each question,
``Points - <question>`` and ``Feedback - <question>``: platform columns, like the first five. A
respondent's code is the response ``ID``.
"""

from __future__ import annotations

import re

from pmo_assess.importers.base import (
    Grid,
    ParsedSurvey,
    Platform,
    Response,
    SurveyColumn,
    cell_at,
    column_at,
    data_rows,
    find_column,
    text_or_none,
)

_FIXED = ("id", "start time", "completion time", "email", "name", "last modified time")
_METADATA = {*_FIXED, "total points", "quiz feedback", "name2"}
_QUIZ = ("points - ", "feedback - ")  # a quiz's score and feedback beside each question
_RENAMED = re.compile(r"^(.*\D)(\d+)$")  # "Name2": a question named like a fixed column


def looks_like(rows: Grid) -> bool:
    """Whether the first row is a Microsoft Forms header (``ID, Start time, Completion time``)."""
    header = [h.casefold() for h in rows[0]] if rows else []
    return header[:3] == ["id", "start time", "completion time"]


def parse(rows: Grid, name: str, include_unfinished: bool) -> ParsedSurvey:
    """Columns and responses of a Microsoft Forms export (it holds only finished responses)."""
    header = rows[0]
    columns = tuple(_column(i, h) for i, h in enumerate(header, start=1) if h)
    ident, done = find_column(header, "ID"), find_column(header, "Completion time")
    email, person, typed = (find_column(header, n) for n in ("Email", "Name", "Name2"))
    responses = []
    for number, cells in data_rows(rows, first=2):
        address = cell_at(cells, email)
        responses.append(
            Response(
                row=number,
                code=cell_at(cells, ident) or f"row-{number}",
                cells=tuple(cells),
                email=None if address.casefold() == "anonymous" else text_or_none(address),
                name=text_or_none(cell_at(cells, person) or cell_at(cells, typed)),
                submitted_at=text_or_none(cell_at(cells, done)),
            )
        )
    return ParsedSurvey("ms-forms", columns, tuple(responses), time_column=column_at(columns, done))


def _column(position: int, header: str) -> SurveyColumn:
    renamed = _RENAMED.match(header)
    texts = (renamed.group(1),) if renamed and renamed.group(1).casefold() in _FIXED else ()
    folded = header.casefold()
    metadata = folded in _METADATA or folded.startswith(_QUIZ)
    return SurveyColumn(position, header, texts=texts, metadata=metadata)


PLATFORM = Platform(
    name="ms-forms",
    title="Microsoft Forms",
    expected="one header row: ID, Start time, Completion time, Email, Name, then the questions",
    looks_like=looks_like,
    parse=parse,
)
