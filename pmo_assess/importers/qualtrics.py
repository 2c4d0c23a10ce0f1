"""Qualtrics: the CSV or TSV data export with three header rows.

Row 1 holds internal names (``StartDate, EndDate, Status, IPAddress, Progress, Duration (in
seconds), Finished, RecordedDate, ResponseId, ...`` then ``Q1, Q2_1, Q2_2``), row 2 the question
texts (``Question - Statement`` for the rows of a matrix), row 3 import ids
(``{"ImportId":"QID2_1"}``, stable when questions are reworded). A mapping may name a column by
any of the three. Preview and test responses are left out, and so are unfinished ones unless
asked for. The TSV export is UTF-16. A respondent's code is the ``ResponseId``.
"""

from __future__ import annotations

import json

from pmo_assess.core.errors import Problem
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
    joined_name,
    text_or_none,
)

_METADATA = {
    "startdate", "enddate", "status", "ipaddress", "progress", "duration (in seconds)",
    "finished", "recordeddate", "responseid", "recipientlastname", "recipientfirstname",
    "recipientemail", "externalreference", "locationlatitude", "locationlongitude",
    "distributionchannel", "userlanguage", "q_recaptchascore",
}  # fmt: skip
_LEFT_OUT = {"survey preview", "survey test", "1", "2"}  # numeric exports: 1 preview, 2 test
_FALSE = {"false", "0"}


def looks_like(rows: Grid) -> bool:
    """Whether the first row holds Qualtrics internal names (``StartDate`` ... ``ResponseId``)."""
    header = {h.casefold() for h in rows[0]} if rows else set()
    return len(rows) >= 3 and {"startdate", "responseid"} <= header


def parse(rows: Grid, name: str, include_unfinished: bool) -> ParsedSurvey:
    """Columns and responses of a Qualtrics export, without preview, test and (unless
    ``include_unfinished``) unfinished responses, which are reported as skipped."""
    names, texts, imports = rows[0], rows[1], rows[2]
    columns = tuple(
        _column(i, internal, cell_at(texts, i - 1), _import_id(cell_at(imports, i - 1)))
        for i, internal in enumerate(names, start=1)
        if internal
    )
    at = {key: find_column(names, key) for key in _METADATA}
    # EndDate is when the respondent finished; RecordedDate can be days later for a response
    # Qualtrics closed itself.
    ended = at["enddate"] if at["enddate"] is not None else at["recordeddate"]
    responses, skipped = [], []
    for number, cells in data_rows(rows, first=4):
        reason = _left_out(cells, at, include_unfinished)
        if reason:
            skipped.append(Problem(f"{name} row {number}", reason))
            continue
        responses.append(
            Response(
                row=number,
                code=cell_at(cells, at["responseid"]) or f"row-{number}",
                cells=tuple(cells),
                email=text_or_none(cell_at(cells, at["recipientemail"])),
                name=joined_name(
                    cell_at(cells, at["recipientfirstname"]),
                    cell_at(cells, at["recipientlastname"]),
                ),
                submitted_at=text_or_none(cell_at(cells, ended)),
            )
        )
    return ParsedSurvey(
        "qualtrics", columns, tuple(responses), tuple(skipped), column_at(columns, ended)
    )


def _column(position: int, internal: str, text: str, import_id: str) -> SurveyColumn:
    # Embedded data and scores have import ids of their own; only questions have QIDs.
    metadata = internal.casefold() in _METADATA or bool(
        import_id and not import_id.startswith("QID")
    )
    keys = tuple(dict.fromkeys(k for k in (internal, import_id) if k and k != text))
    return SurveyColumn(position, text or internal, keys, grid_texts(text), metadata)


def _import_id(cell: str) -> str:
    try:
        data = json.loads(cell)
    except ValueError:
        return ""
    return str(data.get("ImportId", "")) if isinstance(data, dict) else ""


def _left_out(cells: list[str], at: dict[str, int | None], include_unfinished: bool) -> str:
    code = cell_at(cells, at["responseid"]) or "without id"
    status = cell_at(cells, at["status"])
    if status.casefold() in _LEFT_OUT:
        return f"response {code} left out: its Status is '{status}', not a real response"
    finished, progress = cell_at(cells, at["finished"]), cell_at(cells, at["progress"])
    if include_unfinished or not (finished.casefold() in _FALSE or _below_100(progress)):
        return ""
    return (
        f"response {code} left out: unfinished (Progress {progress or '?'}%, Finished "
        f"{finished or '?'}); pass --include-unfinished to import unfinished responses"
    )


def _below_100(progress: str) -> bool:
    try:
        return float(progress) < 100
    except ValueError:
        return False


PLATFORM = Platform(
    name="qualtrics",
    title="Qualtrics",
    expected=(
        "three header rows: internal names (StartDate, EndDate, Status, ..., ResponseId, ..., "
        'Q1, Q2_1), question texts, and import ids ({"ImportId":"QID1"})'
    ),
    looks_like=looks_like,
    parse=parse,
)
