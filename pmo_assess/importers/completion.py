"""When each response was completed, read from the export's completion-time column.

The platforms write these times in several ways: ISO (``2026-03-14 10:22:31``, Qualtrics and
every XLSX cell), year first with a time zone (``2022/06/22 11:07:29 AM AST``, the Google Forms
download), or in the exporter's locale with the year last (``3/14/2026 10:22:31 AM`` in the US,
``14/03/2026 10:22:31`` in Europe). A year-last date with slashes or dashes can be read day first
or month first: the whole column decides (one ``14/03`` or ``3/14`` settles every row), and a
column that nothing settles is refused rather than guessed. Dotted dates (``14.03.2026``) are
day first. Only the date as written counts: time zones are not converted.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from pmo_assess.core.errors import Problem
from pmo_assess.importers.base import SurveyColumn

_TIME = (
    r"(?:[ T,]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,]\d+)?)?"
    r"\s*(?P<half>[AaPp]\.?[Mm]\.?)?)?"
    r"\s*(?:Z|UTC|GMT|[A-Z]{2,5})?(?:\s*[+-]\d{1,2}(?::?\d{2})?)?"  # zones are left as written
)
_YEAR_FIRST = re.compile(r"(?P<year>\d{4})([/.-])(?P<a>\d{1,2})\2(?P<b>\d{1,2})" + _TIME)
_YEAR_LAST = re.compile(
    r"(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})" + _TIME
)
_SUFFIX = "give the wave's date with --date YYYY-MM-DD"
_EXAMPLES = "e.g. 2026-03-14 10:22:31, 3/14/2026 10:22:31 AM or 14/03/2026 10:22:31"

# A time's readings: (month first, day first); equal when the text is unambiguous.
Readings = tuple[datetime | None, datetime | None]


@dataclass(frozen=True)
class CompletionTimes:
    """The completion times of the imported responses, from one column of the export.

    ``times`` holds ``(row, time)`` for each imported response with a readable time; ``problems``
    every time that could not be read, or a column whose dates could be day or month first.
    """

    column: str  # "column C 'Completion time'"
    times: tuple[tuple[int, datetime], ...]
    problems: tuple[Problem, ...] = ()

    @property
    def last_date(self) -> date | None:
        """The latest completion date, or None when no time was read (or any was not)."""
        if self.problems or not self.times:
            return None
        return max(time for _, time in self.times).date()


def read_times(text: str) -> Readings:
    """A completion time read month first and day first (None where that reading is impossible).

    >>> read_times("2022/06/22 2:30:02 PM AST")[0]
    datetime.datetime(2022, 6, 22, 14, 30, 2)
    >>> [t.date().isoformat() for t in read_times("3/5/24 9:09:45")]
    ['2024-03-05', '2024-05-03']
    >>> read_times("14/03/2026 10:22:31")[0] is None, read_times("31/02/2026")
    (True, (None, None))
    """
    try:
        iso = datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        pass
    else:
        return iso, iso
    first = _YEAR_FIRST.fullmatch(text)
    if first:
        time = _when(first, int(first["year"]), int(first["a"]), int(first["b"]))
        return time, time
    last = _YEAR_LAST.fullmatch(text)
    if not last:
        return None, None
    year, a, b = int(last["year"]), int(last["a"]), int(last["b"])
    year += 2000 if year < 100 else 0
    day_first = _when(last, year, b, a)
    return (None if last["sep"] == "." else _when(last, year, a, b)), day_first


def completion_times(
    column: SurveyColumn, texts: Mapping[int, str], imported: Collection[int], name: str
) -> CompletionTimes:
    """Read a column's times (``texts`` by row, blanks left out) for the ``imported`` rows.

    Every row's text takes part in deciding between day first and month first; only imported
    rows give times, or problems when unreadable.
    """
    where = f"{name} {column.describe()}"
    readings = {row: read_times(text) for row, text in texts.items()}
    problems = [
        Problem(
            f"{name} row {row}, {column.describe()}",
            f"completion time {texts[row]!r} is not a date and time ({_EXAMPLES}); correct "
            f"the cell, or {_SUFFIX}",
        )
        for row, reading in readings.items()
        if row in imported and reading == (None, None)
    ]
    order, problem = _order(readings, texts, imported, where)
    problems += [problem] if problem else []
    times = tuple(
        (row, time)
        for row, reading in readings.items()
        if row in imported and (time := reading[order]) is not None
    )
    return CompletionTimes(column.describe(), times, tuple(problems))


def _order(
    readings: dict[int, Readings], texts: Mapping[int, str], imported: Collection[int], where: str
) -> tuple[int, Problem | None]:
    """0 to read the column month first, 1 day first; a problem when the column mixes them, or
    when an imported row's date depends on it and no row settles it."""
    month_only = [row for row, (m, d) in readings.items() if m and not d]
    day_only = [row for row, (m, d) in readings.items() if d and not m]
    if month_only and day_only:
        a, b = month_only[0], day_only[0]
        return 0, Problem(
            where,
            f"the completion dates mix month first ({texts[a]!r} at row {a}) and day first "
            f"({texts[b]!r} at row {b}); correct the column, or {_SUFFIX}",
        )
    if month_only or day_only:
        return (0 if month_only else 1), None
    open_ = [
        (row, m.date(), d.date())
        for row, (m, d) in readings.items()
        if row in imported and m and d and m.date() != d.date()
    ]
    if not open_:
        return 0, None
    row, month, day = open_[0]
    return 0, Problem(
        where,
        f"the completion dates can be read day first or month first ({texts[row]!r} at row "
        f"{row} is {written(month)} or {written(day)}) and no value settles it; {_SUFFIX}",
    )


def _when(match: re.Match[str], year: int, month: int, day: int) -> datetime | None:
    hour, minute, second = (int(match[k] or 0) for k in ("hour", "minute", "second"))
    half = (match["half"] or "").casefold()[:1]
    if half and not 1 <= hour <= 12:
        return None
    hour = hour % 12 + (12 if half == "p" else 0) if half else hour
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None


def written(day: date) -> str:
    """A date as people write it.

    >>> written(date(2026, 3, 4))
    '4 March 2026'
    """
    return f"{day.day} {day:%B %Y}"
