"""What the cells of a client's project list mean: the fields and the headers that name them,
and how a date, an amount or a status is read from its text.

A date is taken as ISO (``2025-06-30``) or with the day first (``30.06.2025``, ``30/06/2025``,
``30 Jun 2025``); month-first dates are refused. A slash date whose first two numbers could each
be the month (``03/04/2025``) is ambiguous unless the caller says the file writes days first.
An amount may carry a currency sign or code and thousands separators.
"""

from __future__ import annotations

import re
from calendar import month_name
from datetime import date, datetime

RAG = ("green", "amber", "red")
#: A status as written -> the stored status; green, amber and red are projects in flight.
STATUS_WORDS = {
    **dict.fromkeys(("green", "g", "on track"), "green"),
    **dict.fromkeys(("amber", "a", "yellow", "at risk"), "amber"),
    **dict.fromkeys(("red", "r", "off track"), "red"),
    **dict.fromkeys(("completed", "complete", "done", "closed", "finished"), "completed"),
    **dict.fromkeys(("cancelled", "canceled", "stopped", "terminated"), "cancelled"),
}
#: Each field and the headers that name it, compared lower-case without punctuation or "(...)".
HEADERS: dict[str, tuple[str, ...]] = {
    "project": ("project", "project name", "name", "project title"),
    "status": ("status", "rag", "rag status", "overall status"),
    "planned_start": (
        "planned start",
        "baseline start",
        "planned start date",
        "baseline start date",
    ),
    "planned_end": (
        *("planned end", "baseline end", "planned finish", "baseline finish"),
        *("planned end date", "baseline end date", "planned finish date", "baseline finish date"),
    ),
    "actual_start": ("actual start", "actual start date"),
    "actual_end": ("actual end", "actual finish", "actual end date", "actual finish date"),
    "budget": ("budget", "bac", "budget at completion", "approved budget"),
    "actual_cost": ("actual cost", "ac", "actual costs", "acwp"),
    "planned_value": ("planned value", "pv", "bcws"),
    "earned_value": ("earned value", "ev", "bcwp"),
    "as_of": ("as of", "as of date", "status date", "reporting date", "data date"),
}
REQUIRED_COLUMNS = tuple(HEADERS)[:8]  # every field but planned value, earned value and as-of
DATE_FIELDS = ("planned_start", "planned_end", "actual_start", "actual_end", "as_of")
AMOUNT_FIELDS = ("budget", "actual_cost", "planned_value", "earned_value")
RECORD_COLUMNS = ["project", "status", "rag", "state", *DATE_FIELDS[:4], *AMOUNT_FIELDS, "as_of"]

_DATE_FORMS = "YYYY-MM-DD, or day first as DD.MM.YYYY, DD/MM/YYYY or 30 Jun 2025"
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
SLASHED_DATE = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})")
_SHORT_YEAR = re.compile(r"\d{1,2}[./-]\d{1,2}[./-]\d{2}")
_CURRENCY = re.compile(r"^[A-Za-z]{3}\.?\s*|\s*[A-Za-z]{3}$|[€$£¥\s'’]")


class CellError(ValueError):
    """A cell that cannot be read; its message is what was expected."""


def parse_date(text: str, day_first: bool = False) -> date:
    """A date written as ISO or day first; ``day_first`` settles ``03/04/2025`` as 3 April.

    >>> parse_date("2025-06-30"), parse_date("30.06.2025"), parse_date("30/06/2025")
    (datetime.date(2025, 6, 30), datetime.date(2025, 6, 30), datetime.date(2025, 6, 30))
    >>> parse_date("03/04/2025", day_first=True)
    datetime.date(2025, 4, 3)
    """
    text = text.strip()
    if match := _ISO.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _DOTTED.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
    elif match := SLASHED_DATE.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
        _check_day_first(text, day, month, day_first)
    elif _SHORT_YEAR.fullmatch(text):
        raise CellError(f"a four-digit year: {_DATE_FORMS}")
    else:
        return _named_month_date(text)
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(f"a date that exists: {_DATE_FORMS}") from None


def _check_day_first(text: str, first: int, second: int, day_first: bool) -> None:
    if second > 12 and first <= 12:
        raise CellError(f"day first, not month first (US style): {_DATE_FORMS}")
    if first <= 12 and first != second and not day_first:
        one, other = f"{first} {month_name[second]}", f"{second} {month_name[first]}"
        raise CellError(
            f"an unambiguous date, as '{text}' could be {one} or {other}: write it as "
            "YYYY-MM-DD, or import with day_first=True when the file writes days first"
        )


def _named_month_date(text: str) -> date:
    for form in ("%d %b %Y", "%d %B %Y"):
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    raise CellError(f"a date: {_DATE_FORMS}")


def parse_amount(text: str) -> float:
    """An amount with optional currency and thousands separators; a lone comma before three
    digits separates thousands, before one or two digits it is a decimal comma.

    >>> parse_amount("€1,250,000.50"), parse_amount("1.250.000,50 EUR"), parse_amount("CHF 80'000")
    (1250000.5, 1250000.5, 80000.0)
    >>> parse_amount("(1,000)"), parse_amount("12,5")
    (-1000.0, 12.5)
    """
    cleaned = _CURRENCY.sub("", text.strip())
    negative = cleaned.startswith("-") or (cleaned.startswith("(") and cleaned.endswith(")"))
    cleaned = cleaned.strip("()").removeprefix("-")
    thousands, decimal = _separators(cleaned)
    grouped = rf"\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})+" if thousands else r"\d+"
    if not re.fullmatch(rf"(?:{grouped}|\d+)(?:{re.escape(decimal)}\d+)?", cleaned):
        raise CellError("an amount such as 120000, 120,000.00, 120.000,00 or €120,000")
    value = float(cleaned.replace(thousands or "\0", "").replace(decimal, "."))
    return -value if negative else value


def _separators(text: str) -> tuple[str, str]:
    """The thousands separator ("" when none) and the decimal mark of a number."""
    commas, dots = text.count(","), text.count(".")
    if commas and dots:
        return (".", ",") if text.rfind(",") > text.rfind(".") else (",", ".")
    if commas > 1 or re.search(r",\d{3}$", text):
        return ",", "."
    if commas:
        return "", ","
    return (".", ",") if dots > 1 else ("", ".")


def normalise_status(text: str) -> str:
    """The stored status (green, amber, red, completed or cancelled) of a status as written.

    >>> normalise_status("At risk"), normalise_status("GREEN"), normalise_status("Canceled")
    ('amber', 'green', 'cancelled')
    """
    found = STATUS_WORDS.get(header_key(text))
    if found is None:
        raise CellError(
            "a status: on track, at risk, off track; green, amber, red; completed or cancelled"
        )
    return found


def header_key(text: str) -> str:
    """``"Budget (EUR)"`` -> ``"budget"``; ``"As-of"`` -> ``"as of"``."""
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", text.casefold())
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())
