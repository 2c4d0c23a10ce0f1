"""Google Forms: the responses sheet exported as CSV or XLSX, and the form's direct CSV download.

One header row: ``Timestamp``, ``Email Address`` (or ``Email address``; only when the form
collects e-mails), then one column per question, and one per row of a grid question
(``Question [Row]``). The direct download quotes every field and writes timestamps like
``2022/06/22 11:07:29 AM AST``; both read the same way. Google gives no response id, so a
respondent's code is ``row-<n>``.
"""

from __future__ import annotations

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
    grid_texts,
    text_or_none,
)

_METADATA = {"timestamp", "email address", "score"}


def looks_like(rows: Grid) -> bool:
    """Whether the first row is a Google Forms header (it starts with ``Timestamp``)."""
    return bool(rows and rows[0] and rows[0][0].casefold() == "timestamp")


def parse(rows: Grid, name: str, include_unfinished: bool) -> ParsedSurvey:
    """Columns and responses of a Google Forms export (every response is a finished one)."""
    header = rows[0]
    columns = tuple(
        SurveyColumn(i, h, texts=grid_texts(h), metadata=h.casefold() in _METADATA)
        for i, h in enumerate(header, start=1)
        if h
    )
    stamp, email = find_column(header, "Timestamp"), find_column(header, "Email address")
    responses = tuple(
        Response(
            row=number,
            code=f"row-{number}",
            cells=tuple(cells),
            email=text_or_none(cell_at(cells, email)),
            submitted_at=text_or_none(cell_at(cells, stamp)),
        )
        for number, cells in data_rows(rows, first=2)
    )
    return ParsedSurvey("google-forms", columns, responses, time_column=column_at(columns, stamp))


PLATFORM = Platform(
    name="google-forms",
    title="Google Forms",
    expected="one header row: Timestamp, Email Address (when collected), then the questions",
    looks_like=looks_like,
    parse=parse,
)
