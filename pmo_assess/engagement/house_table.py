"""The one way the notebooks show a table: in words a client reads, in the report's house style.

``house_table(frame)`` turns any DataFrame the package returns into a table fit to show across the
desk: headers in words, no row numbers, numbers at the report's precision (halves up, as
everywhere), dates as dates, "yes"/"no", "—" for a missing value with a footnote saying why, and
text wrapped, never cut. A table wider than the notebook shows its main columns and keeps the
rest under "More columns", so nothing runs off the right edge. Every row is shown.

Rendered with pandas' Styler, escaped: a note or an owner typed by someone else stays text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd

from pmo_assess.core.rounding import number_text, percent_text, round_half_up
from pmo_assess.report.markup import esc

#: What a missing value is shown as, everywhere.
MISSING = "—"

#: The width of JupyterLab's notebook area at 1440 px with the file browser open.
FIT_WIDTH_PX = 1070

#: Columns beyond this many go under "More columns" unless ``main`` says otherwise.
MAX_MAIN_COLUMNS = 8

#: Words kept in capitals when a snake_case header becomes words.
_ACRONYMS = {
    "id": "ID",
    "pmo": "PMO",
    "rag": "RAG",
    "spi": "SPI",
    "cpi": "CPI",
    "pv": "PV",
    "ev": "EV",
    "ac": "AC",
    "bac": "BAC",
    "eac": "EAC",
    "csv": "CSV",
    "n": "n",
}

Format = str | Callable[[Any], str]
"""A column's format: "number", "integer", "money", "share" (0.25 is 25%), "percent" (a value
already in percent), "date", "text", or a function of the value."""

_STYLE = f"""<style>
.pmo-table-wrap {{ max-width: {FIT_WIDTH_PX}px; overflow-x: auto; margin: 0.4em 0 1em; }}
div.pmo-table-wrap table.pmo-table {{ border-collapse: collapse; font-size: 13px; line-height: 1.4; width: auto;
  max-width: 100%; font-variant-numeric: tabular-nums; }}
div.pmo-table-wrap table.pmo-table th {{ text-align: left; font-weight: 600; color: #0B3C5D; border-bottom: 2px solid #0B3C5D;
  padding: 4px 10px 4px 0; vertical-align: bottom; }}
div.pmo-table-wrap table.pmo-table td {{ border-bottom: 1px solid #d9dee5; padding: 4px 10px 4px 0; vertical-align: top;
  white-space: normal; overflow-wrap: break-word; max-width: 32em; text-align: left; }}
div.pmo-table-wrap table.pmo-table td.pmo-num {{ text-align: right; white-space: nowrap; }}
div.pmo-table-wrap table.pmo-table td.pmo-nowrap {{ white-space: nowrap; }}
.pmo-table-note {{ font-size: 12px; color: #555; margin: 0.2em 0 0; }}
.pmo-table-more summary {{ cursor: pointer; color: #0B3C5D; font-size: 13px; margin-top: 0.4em; }}
</style>"""


def column_label(name: object) -> str:
    """A column's name in words.

    >>> column_label("action_id"), column_label("due_date"), column_label("spi"), column_label("n")
    ('Action ID', 'Due date', 'SPI', 'n')
    """
    text = str(name)
    if not re.fullmatch(r"[a-z0-9_\-]+", text):
        return text
    words = [w for w in re.split(r"[_\-]+", text) if w]
    shown = [_ACRONYMS.get(w, w) for w in words]
    if shown and words[0] not in _ACRONYMS:
        shown[0] = shown[0][:1].upper() + shown[0][1:]
    return " ".join(shown)


def is_missing(value: object) -> bool:
    """True for None, NaN, NaT and pandas' NA."""
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


def cell_text(value: object, kind: Format | None = None, precision: int = 1) -> str:
    """One value as the table shows it.

    >>> cell_text(True), cell_text(None), cell_text(3.083333), cell_text(420000.0)
    ('yes', '—', '3.1', '420,000')
    >>> cell_text(-5.952381, "percent"), cell_text(date(2026, 12, 18)), cell_text(0.25, "share")
    ('-6%', '18 Dec 2026', '25%')
    """
    if callable(kind):
        return kind(value)
    if is_missing(value):
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if kind == "text":
        return str(value)
    if isinstance(value, datetime | pd.Timestamp | date) or kind == "date":
        return _date_text(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _number_text(float(value), kind, precision)
    if hasattr(value, "dtype") and hasattr(value, "item"):  # a numpy scalar
        return cell_text(value.item(), kind, precision)
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(str(v) for v in value) or MISSING
    return str(value)


def _number_text(value: float, kind: str | None, precision: int) -> str:
    if kind == "share":  # 0.25 is 25%
        return ("-" + percent_text(-value)) if value < 0 else percent_text(value)
    if kind == "percent":  # already a percentage: -5.95 is -6%
        return f"{number_text(value, 0)}%"
    if kind in ("integer", "money") or (kind is None and value.is_integer()):
        return f"{int(round_half_up(value, 0)):,}"
    return number_text(value, precision)


def _date_text(value: object) -> str:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return str(value)
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f"{value.day} {value:%b %Y}"
    return str(value)


@dataclass(frozen=True)
class HouseTable:
    """A table ready to show: ``display(table)`` or leave it as a cell's last line.

    ``frame`` holds the words exactly as shown (strings), so tests can read what a client sees;
    ``data`` the values it was made from, for code that works on them.
    """

    frame: pd.DataFrame
    more: pd.DataFrame | None = None
    notes: tuple[str, ...] = ()
    caption: str = ""
    numeric: frozenset[str] = field(default_factory=frozenset)
    data: pd.DataFrame | None = field(default=None, compare=False)
    #: Columns kept on one line: dates ("1 Feb 2026" never breaks after the day).
    unbroken: frozenset[str] = field(default_factory=frozenset)

    def __len__(self) -> int:
        return len(self.frame)

    def _repr_html_(self) -> str:
        parts = [_STYLE, '<div class="pmo-table-wrap">']
        if self.caption:
            parts.append(f'<p class="pmo-table-note"><b>{esc(self.caption)}</b></p>')
        parts.append(_styled(self.frame, self.numeric, self.unbroken))
        if self.more is not None:
            parts.append(
                '<details class="pmo-table-more"><summary>More columns ('
                + esc(", ".join(str(c) for c in self.more.columns[1:]))
                + ")</summary>"
                + _styled(self.more, self.numeric, self.unbroken)
                + "</details>"
            )
        parts.extend(f'<p class="pmo-table-note">{esc(note)}</p>' for note in self.notes)
        parts.append("</div>")
        return "".join(parts)

    def __repr__(self) -> str:  # a plain-text view for consoles and logs
        text = "No rows." if self.frame.empty else self.frame.to_string(index=False)
        return "\n".join([text, *self.notes])


def _styled(frame: pd.DataFrame, numeric: frozenset[str], unbroken: frozenset[str]) -> str:
    if frame.empty:
        return '<p class="pmo-table-note">No rows.</p>'
    styler = frame.style.hide(axis="index").format(escape="html")
    styler = styler.set_table_attributes('class="pmo-table"')
    right = [c for c in frame.columns if c in numeric]
    classes = [
        "pmo-num" if c in numeric else "pmo-nowrap" if c in unbroken else "" for c in frame.columns
    ]
    if any(classes):
        styler = styler.set_td_classes(
            pd.DataFrame([classes] * len(frame), index=frame.index, columns=frame.columns)
        )
    if right:
        styler = styler.set_table_styles(
            {c: [{"selector": "th", "props": "text-align: right;"}] for c in right}, overwrite=False
        )
    return styler.to_html(doctype_html=False)


def house_table(
    frame: pd.DataFrame | pd.Series,
    *,
    labels: Mapping[str, str] | None = None,
    formats: Mapping[str, Format] | None = None,
    precision: int = 1,
    main: Sequence[str] | None = None,
    key: str | None = None,
    missing_note: str = "",
    caption: str = "",
    notes: Sequence[str] = (),
) -> HouseTable:
    """``frame`` as a client-readable table.

    ``labels`` renames columns (others are turned into words); ``formats`` sets a column's kind;
    ``main`` lists the columns shown at once, the rest going under "More columns" with the
    ``key`` column repeated (default: the first column); without ``main``, a table of more than
    eight columns keeps its first eight. ``missing_note`` says why a value can be missing;
    the note is shown only when a "—" is.
    """
    if isinstance(frame, pd.Series):
        frame = frame.to_frame()
    labels, formats = dict(labels or {}), dict(formats or {})
    shown = pd.DataFrame(
        {
            labels.get(str(column), column_label(column)): [
                cell_text(v, formats.get(str(column)), precision) for v in frame[column].tolist()
            ]
            for column in frame.columns
        },
        columns=[labels.get(str(c), column_label(c)) for c in frame.columns],
    )
    numeric = frozenset(
        labels.get(str(c), column_label(c))
        for c in frame.columns
        if formats.get(str(c)) not in ("text", "date")
        and pd.api.types.is_numeric_dtype(frame[c])
        and not pd.api.types.is_bool_dtype(frame[c])
    )
    unbroken = frozenset(
        labels.get(str(c), column_label(c))
        for c in frame.columns
        if formats.get(str(c)) == "date"
        or pd.api.types.is_datetime64_any_dtype(frame[c])
        or any(isinstance(v, date) for v in frame[c].tolist())
    )
    more = None
    wanted = [labels.get(c, column_label(c)) for c in main] if main else None
    if wanted is None and len(shown.columns) > MAX_MAIN_COLUMNS:
        wanted = list(shown.columns[:MAX_MAIN_COLUMNS])
    if wanted is not None and len(wanted) < len(shown.columns):
        anchor = labels.get(key, column_label(key)) if key else wanted[0]
        rest = [c for c in shown.columns if c not in wanted]
        more = shown[[anchor, *rest]]
        shown = shown[wanted]
    all_notes = list(notes)
    if (shown == MISSING).any().any() or (more is not None and (more == MISSING).any().any()):
        all_notes.insert(0, f"{MISSING} " + (missing_note or "no value recorded."))
    return HouseTable(shown, more, tuple(all_notes), caption, numeric, frame, unbroken)
