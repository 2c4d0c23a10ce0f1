"""Tables as an Excel workbook a client can open: bold, frozen header row with filters, column
widths measured from the content, long text wrapped, numbers and dates stored as such with the
format they are shown in, and no cell ever a formula.

openpyxl writes any text starting with ``=`` as a formula, so such text (and text starting with
``+``, ``-``, ``@``, tab or carriage return, which spreadsheets may also run) is stored as a text
cell with Excel's quote prefix: the client sees it as typed and nothing runs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from pmo_assess.core.atomic import atomic_path
from pmo_assess.core.formulas import FORMULA_STARTS

#: Widest column, in characters; longer text wraps inside it.
MAX_WIDTH = 60
MIN_WIDTH = 6
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


@dataclass(frozen=True)
class Sheet:
    """A table as one sheet: its columns are the headers, in words.

    ``formats`` maps a column to the Excel number format its numbers are shown in ("0.0", "0%");
    ``choices`` maps a column to the values a drop-down offers (a data validation list, so the
    client fills the column in with the allowed words); ``bold_rows`` are row positions of the
    frame to set in bold (an overall row).
    """

    frame: pd.DataFrame
    formats: Mapping[str, str] = field(default_factory=dict)
    choices: Mapping[str, Sequence[str]] = field(default_factory=dict)
    bold_rows: tuple[int, ...] = ()


def number_format(precision: int) -> str:
    """The Excel number format that shows ``precision`` decimals.

    >>> number_format(1), number_format(0), number_format(2)
    ('0.0', '0', '0.00')
    """
    return "0" if precision <= 0 else "0." + "0" * precision


def write_sheets(sheets: Mapping[str, pd.DataFrame | Sheet], out: str | Path) -> None:
    """Write tables as sheets of one Excel file, atomically, with no cell ever a formula."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, table in sheets.items():
        _fill(workbook.create_sheet(title), table if isinstance(table, Sheet) else Sheet(table))
    with atomic_path(out) as temporary:
        workbook.save(temporary)


def cell_value(value: Any) -> Any:
    """A value as openpyxl stores it: numbers, dates and text; None for missing.

    Control characters XLSX cannot hold are left out (imports remove them; this is the last
    defence, so an export never fails on them).

    >>> cell_value(np.int64(3)), cell_value(float("nan")), cell_value(pd.Timestamp("2026-03-14"))
    (3, None, datetime.datetime(2026, 3, 14, 0, 0))
    >>> cell_value("late\\x00 but\\x0b done")
    'late but done'
    """
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)  # Excel has no time zones
    if isinstance(value, bool | int | float | date):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _fill(sheet: Worksheet, table: Sheet) -> None:
    columns = [str(c) for c in table.frame.columns]
    sheet.append([cell_value(c) for c in columns])
    for row in table.frame.itertuples(index=False):
        sheet.append([cell_value(v) for v in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top")
    for position in table.bold_rows:
        for cell in sheet[position + 2]:
            cell.font = Font(bold=True)
    for index, column in enumerate(columns, start=1):
        _format_column(sheet, index, table.formats.get(column))
    _never_formulas(sheet)
    for column, allowed in table.choices.items():
        _drop_down(sheet, columns.index(column) + 1, allowed)
    sheet.freeze_panes = "A2"
    if columns:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{sheet.max_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"


def _format_column(sheet: Worksheet, index: int, fmt: str | None) -> None:
    """Number format, width measured from the content (capped) and wrapping of long text."""
    cells = [row[0] for row in sheet.iter_rows(min_row=2, min_col=index, max_col=index)]
    for cell in cells:
        if fmt and isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
            cell.number_format = fmt
        elif isinstance(cell.value, datetime):
            cell.number_format = DATETIME_FORMAT
        elif isinstance(cell.value, date):
            cell.number_format = DATE_FORMAT
    header = str(sheet.cell(1, index).value)
    longest = max([len(header) + 3, *(_shown_width(c.value, fmt) for c in cells)])  # 3: filter
    width = min(max(longest + 1, MIN_WIDTH), MAX_WIDTH)
    sheet.column_dimensions[get_column_letter(index)].width = width
    wraps = longest > MAX_WIDTH
    for cell in cells:
        cell.alignment = Alignment(vertical="top", wrap_text=wraps)


def _shown_width(value: Any, fmt: str | None) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return len(DATETIME_FORMAT)
    if isinstance(value, date):
        return len(DATE_FORMAT)
    if isinstance(value, float) and fmt:
        return len(fmt) + len(str(int(abs(value))))
    return max(len(line) for line in str(value).splitlines() or [""])


def _drop_down(sheet: Worksheet, index: int, allowed: Sequence[str]) -> None:
    """A list the client picks from; it covers the rows written (at least one)."""
    letter = get_column_letter(index)
    rule = DataValidation(
        type="list",
        formula1='"' + ",".join(allowed) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Not a known value",
        error="Pick one of: " + ", ".join(allowed) + ".",
    )
    rule.add(f"{letter}2:{letter}{max(sheet.max_row, 2)}")
    sheet.add_data_validation(rule)


def _never_formulas(sheet: Worksheet) -> None:
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = "s"
                cell.quotePrefix = True
