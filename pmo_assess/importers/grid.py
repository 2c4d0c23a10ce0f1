"""Read a survey export into rows of cell texts: CSV or TSV in any encoding the platforms write,
or the first sheet of an XLSX workbook."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.core.text import decode_text
from pmo_assess.importers.base import Grid

_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary Excel format
_DELIMITERS = (",", "\t", ";")


def read_grid(path: Path) -> tuple[Grid, bool]:
    """The cells of a file, stripped, without trailing blank rows; and whether it is XLSX."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PmoAssessError(f"Cannot read {path}: {exc.strerror}") from None
    if raw.startswith(_XLS_MAGIC):
        raise PmoAssessError(
            f"{path} is an old binary Excel (.xls) file; save it as .xlsx or CSV and import that."
        )
    is_xlsx = raw.startswith(_XLSX_MAGIC)
    try:
        rows = _xlsx_rows(path) if is_xlsx else parse_csv(decode_text(raw)[0])
    except csv.Error as exc:
        raise PmoAssessError(f"Cannot read {path} as CSV or TSV text: {exc}") from None
    while rows and not any(rows[-1]):
        rows.pop()
    return rows, is_xlsx


def parse_csv(text: str) -> Grid:
    """Rows of a CSV or TSV text, split by comma, tab or semicolon: whichever splits the header
    into several cells and the next rows into as many; quoted fields may hold delimiters and
    line breaks.

    >>> parse_csv('a;"b, c, d"\\n1;"two\\nlines"\\n')
    [['a', 'b, c, d'], ['1', 'two\\nlines']]
    """
    delimiter = max(_DELIMITERS, key=lambda d: _fit(text, d))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [[cell.strip() for cell in row] for row in reader]


def _fit(text: str, delimiter: str) -> tuple[bool, int, int]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    head = [len(row) for _, row in zip(range(6), reader, strict=False)] or [0]
    return head[0] > 1, sum(n == head[0] for n in head), head[0]


def _xlsx_rows(path: Path) -> Grid:
    import openpyxl  # only XLSX files need it; importing it costs time

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise PmoAssessError(f"Cannot read {path} as an XLSX workbook: {exc}") from None
    try:
        sheet = workbook.worksheets[0]
        return [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    """A cell as the CSV export of the same sheet would write it."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
