"""SurveyMonkey: the "All responses" export, CSV or XLSX, with two header rows.

Row 1 holds ``Respondent ID, Collector ID, Start Date, End Date, IP Address, Email Address,
First Name, Last Name, Custom Data 1`` and then each question's text over its first column only.
Row 2 holds ``Response`` or ``Open-Ended Response`` under a single-column question, and under a
matrix the label of each row: such a column is ``Question - Row label`` and can match on the
row label alone. XLSX exports write HTML entities (``&apos;``, ``&amp;``), which are unescaped.
A respondent's code is the ``Respondent ID``.
"""

from __future__ import annotations

import html
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
    joined_name,
    text_or_none,
)

_METADATA = re.compile(
    r"respondent id|collector id|start date|end date|ip address|email address|first name"
    r"|last name|custom data( \d+)?",
    re.IGNORECASE,
)
_SINGLE = {"", "response", "open-ended response"}


def looks_like(rows: Grid) -> bool:
    """Whether the file starts with SurveyMonkey's two header rows (``Respondent ID`` first)."""
    return len(rows) >= 2 and bool(rows[0]) and rows[0][0].casefold() == "respondent id"


def parse(rows: Grid, name: str, include_unfinished: bool) -> ParsedSurvey:
    """Columns and responses of a SurveyMonkey export."""
    rows = [[html.unescape(cell) for cell in row] for row in rows]
    titles, labels = rows[0], rows[1]
    columns, question = [], ""
    for i, title in enumerate(titles + [""] * (len(labels) - len(titles)), start=1):
        label = cell_at(labels, i - 1)
        question = title or (question if label else "")
        if question:
            columns.append(_column(i, question, label))
    ident, ended = find_column(titles, "Respondent ID"), find_column(titles, "End Date")
    email, first, last = (
        find_column(titles, n) for n in ("Email Address", "First Name", "Last Name")
    )
    responses = tuple(
        Response(
            row=number,
            code=cell_at(cells, ident) or f"row-{number}",
            cells=tuple(cells),
            email=text_or_none(cell_at(cells, email)),
            name=joined_name(cell_at(cells, first), cell_at(cells, last)),
            submitted_at=text_or_none(cell_at(cells, ended)),
        )
        for number, cells in data_rows(rows, first=3)
    )
    return ParsedSurvey(
        "surveymonkey", tuple(columns), responses, time_column=column_at(columns, ended)
    )


def _column(position: int, question: str, label: str) -> SurveyColumn:
    if label.casefold() in _SINGLE:
        return SurveyColumn(position, question, metadata=bool(_METADATA.fullmatch(question)))
    return SurveyColumn(position, f"{question} - {label}", texts=(label,))


PLATFORM = Platform(
    name="surveymonkey",
    title="SurveyMonkey",
    expected=(
        "two header rows: Respondent ID, Collector ID, Start Date, End Date, ... then the "
        "questions; below them Response, Open-Ended Response or the matrix row labels"
    ),
    looks_like=looks_like,
    parse=parse,
)
