"""Read a survey export into rows of cell texts: CSV or TSV in any encoding the platforms write,
or the first sheet of an XLSX workbook."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
import zlib
from pathlib import Path

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.core.text import decode_text
from pmo_assess.importers.base import Grid

_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary Excel format
#: What openpyxl raises on a damaged workbook (a bad zip, inflate error, broken or missing XML
#: part (an XML parse error is a SyntaxError), a value that does not parse), as found by tests/test_fuzz_readers.py.
_BROKEN_XLSX = (
    *(zipfile.BadZipFile, zlib.error, KeyError, OSError, EOFError, SyntaxError),
    *(ValueError, TypeError, IndexError, AttributeError),
)
_DELIMITERS = (",", "\t", ";")
#: Limits no real engagement meets, so a runaway file is refused in seconds, not read for minutes.
MAX_ROWS = 100_000
MAX_COLUMNS = 2_000
MAX_CELL = 1_000_000  # characters in one cell
MAX_XLSX_PART = 256 * 2**20  # bytes of one part of an XLSX workbook, unpacked


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
        rows = _xlsx_rows(path) if is_xlsx else _csv_rows(decode_text(raw, str(path))[0])
    except csv.Error as exc:
        raise PmoAssessError(f"Cannot read {path} as CSV or TSV text: {exc}") from None
    _check_size(path, len(rows), max(map(len, rows), default=0))
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


def _csv_rows(text: str) -> Grid:
    # the csv module's limit is 128 KB per cell; a long header or note is not an unreadable file
    if csv.field_size_limit() < MAX_CELL:
        csv.field_size_limit(MAX_CELL)
    try:
        return parse_csv(text)
    except csv.Error as exc:
        if "field larger than field limit" not in str(exc):
            raise
        raise csv.Error(f"a cell holds more than {MAX_CELL:,} characters") from None


def _check_size(path: Path, rows: int, columns: int) -> None:
    if rows > MAX_ROWS or columns > MAX_COLUMNS:
        found = f"{rows:,} rows" if rows > MAX_ROWS else f"{columns:,} columns"
        raise PmoAssessError(
            f"{path} has at least {found}; an import takes at most {MAX_ROWS:,} rows and "
            f"{MAX_COLUMNS:,} columns. Split the file, or remove rows and columns that are "
            "not answers."
        )


def _fit(text: str, delimiter: str) -> tuple[bool, int, int]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    head = [len(row) for _, row in zip(range(6), reader, strict=False)] or [0]
    return head[0] > 1, sum(n == head[0] for n in head), head[0]


def _xlsx_rows(path: Path) -> Grid:
    import openpyxl  # only XLSX files need it; importing it costs time
    from openpyxl.utils.exceptions import InvalidFileException

    _check_parts(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (*_BROKEN_XLSX, InvalidFileException) as exc:
        raise PmoAssessError(f"Cannot read {path} as an XLSX workbook: {exc}") from None
    try:
        sheet = workbook.worksheets[0]
        # the sheet's stated size first; then count, since a sheet need not state it
        _check_size(path, sheet.max_row or 0, sheet.max_column or 0)
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([_cell_text(value) for value in row])
            _check_size(path, len(rows), len(row))
        return rows
    except _BROKEN_XLSX as exc:  # a sheet is read as it is iterated
        raise PmoAssessError(f"Cannot read {path} as an XLSX workbook: {exc}") from None
    finally:
        workbook.close()


def _check_parts(path: Path) -> None:
    """Refuse a workbook whose sheets or strings unpack to more than :data:`MAX_XLSX_PART`
    (a huge cell, or a zip bomb) before openpyxl reads them into memory."""
    try:
        with zipfile.ZipFile(path) as packed:
            largest = max((info.file_size for info in packed.infolist()), default=0)
    except (zipfile.BadZipFile, OSError) as exc:
        raise PmoAssessError(f"Cannot read {path} as an XLSX workbook: {exc}") from None
    if largest > MAX_XLSX_PART:
        raise PmoAssessError(
            f"{path} unpacks to a part of {largest / 2**20:,.1f} MB; an import takes XLSX "
            f"workbooks whose parts are at most {MAX_XLSX_PART / 2**20:,.1f} MB. Save the sheet "
            "as CSV, or remove what is not answers."
        )


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
