"""Text a spreadsheet would run as a formula, and how our written files keep it plain text.

A cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return may run as a formula when
a CSV file is opened in a spreadsheet (``=cmd|' /C calc'!A0``). Every CSV file we write puts an
apostrophe before such text, which spreadsheets show as text; Excel files use a quote prefix.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """Text that no spreadsheet will run as a formula; other values unchanged.

    >>> spreadsheet_safe("=HYPERLINK(\\"http://x\\")"), spreadsheet_safe("fine"), spreadsheet_safe(-1)
    ('\\'=HYPERLINK("http://x")', 'fine', -1)
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
