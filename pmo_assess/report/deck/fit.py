"""Fitting text to boxes: how wide a line is, how many lines a text wraps to, the largest font
size that keeps a title or a list in its placeholder, and how a long table splits over slides.

Widths are measured with the metrics of DejaVu Sans (shipped with Matplotlib, so present wherever
pmo-assess runs), times a ``margin``. DejaVu Sans is wider than Arial, the built-in deck's font
(margin 1); a firm's theme font may be wider still (a serif such as Georgia, or DejaVu Serif where
LibreOffice lacks it), which :data:`TEMPLATE_MARGIN` covers. A text that fits by this measure
fits on screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import matplotlib
from PIL import ImageFont

#: A line's height as a multiple of the font size (PowerPoint's single spacing is about 1.2).
LINE_HEIGHT = 1.2
#: Points per inch and EMU per point: python-pptx measures in EMU.
EMU_PER_PT = 12700
#: How much wider than DejaVu Sans a firm template's fonts are taken to be.
TEMPLATE_MARGIN = 1.1
_MEASURE_SIZE = 100  # the font is loaded once at this size and widths scaled from it


@cache
def _font(bold: bool) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name
    return ImageFont.truetype(str(path), _MEASURE_SIZE)


def text_width(text: str, size: float, bold: bool = False, margin: float = 1.0) -> float:
    """The width of one line of ``text`` at ``size`` points, in points.

    >>> round(text_width("Governance", 10)), round(text_width("Governance", 10, margin=1.1))
    (60, 66)
    >>> text_width("MM", 20) == 2 * text_width("MM", 10)
    True
    """
    return _word_width(text, bold) * size / _MEASURE_SIZE * margin


def wrap(
    text: str, size: float, width: float, bold: bool = False, margin: float = 1.0
) -> list[str]:
    """``text`` broken into lines no wider than ``width`` points, at spaces (a word wider than
    the line keeps a line of its own); line breaks in the text are kept. A line's width is the
    sum of its words' and spaces' widths, each measured once.

    >>> wrap("one two three four", 10, 60)
    ['one two', 'three four']
    """
    scale, space = size / _MEASURE_SIZE * margin, _word_width(" ", bold)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0.0
        for word in paragraph.split(" "):
            needed = _word_width(word, bold)
            if line and (used + space + needed) * scale > width:
                lines.append(line)
                line, used = word, needed
            else:
                line, used = (f"{line} {word}", used + space + needed) if line else (word, needed)
        lines.append(line)
    return lines


@cache
def _word_width(word: str, bold: bool) -> float:
    """A word's width at the measuring size."""
    return float(_font(bold).getlength(word))


def text_height(
    text: str, size: float, width: float, bold: bool = False, margin: float = 1.0
) -> float:
    """The height in points that ``text`` takes, wrapped to ``width`` points at ``size``."""
    return len(wrap(text, size, width, bold, margin)) * size * LINE_HEIGHT


def fitting_size(
    texts: Sequence[str],
    width: float,
    height: float,
    sizes: tuple[float, float],
    *,
    bold: bool = False,
    gap: float = 0.0,
    margin: float = 1.0,
) -> float | None:
    """The largest whole size from ``sizes[0]`` down to ``sizes[1]`` points at which the
    paragraphs ``texts``, each wrapped to ``width`` and ``gap`` times the size apart, fit in
    ``height``; None when they do not fit even at the smallest.

    >>> fitting_size(["A short title"], 600, 40, (28, 18))
    28.0
    >>> fitting_size(["word " * 200], 600, 40, (28, 18)) is None
    True
    """
    size = float(sizes[0])
    while size >= sizes[1]:
        used = sum(text_height(t, size, width, bold, margin) for t in texts)
        if used + gap * size * max(len(texts) - 1, 0) <= height:
            return size
        size -= 1
    return None


@dataclass(frozen=True)
class TableFit:
    """How a table is laid out: font size, column widths and header height (points), each
    row's height and the rows of each slide (indices into the table's rows)."""

    size: float
    widths: tuple[float, ...]
    header_height: float
    row_heights: tuple[float, ...]
    pages: tuple[tuple[int, ...], ...]


#: Space inside a table cell (python-pptx's defaults: 0.1 in left and right, 0.05 in top and
#: bottom), in points.
CELL_MARGIN_X = 7.2
#: The share of a table's width its longest texts may claim before they wrap.
WIDEST_COLUMN = 0.4
CELL_MARGIN_Y = 3.6


def column_widths(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    width: float,
    size: float,
    margin: float = 1.0,
) -> tuple[float, ...]:
    """Column widths in points that add up to ``width``: each column's natural width (its
    longest cell, a long text counted at most as wide as :data:`WIDEST_COLUMN` of the table),
    and no column narrower than its longest word in bold, so that no word breaks."""
    cap = width * WIDEST_COLUMN
    natural, least = [], []
    for index, header in enumerate(headers):
        cells = [header, *(row[index] for row in rows)]
        widest = max(text_width(c, size, True, margin) for c in cells) + 2 * CELL_MARGIN_X
        natural.append(min(widest, cap))
        words = max(text_width(w, size, True, margin) for c in cells for w in [*c.split(), ""])
        least.append(min(words, cap) + 2 * CELL_MARGIN_X)
    scale = width / sum(natural)
    widths = [max(n * scale, low) for n, low in zip(natural, least, strict=True)]
    while sum(widths) > width + 1e-6:  # words pushed some columns wider: take it from the others
        roomy = [i for i, w in enumerate(widths) if w > least[i] + 1e-6]
        if not roomy:
            break
        excess = sum(widths) - width
        for i in roomy:
            widths[i] = max(least[i], widths[i] - excess / len(roomy))
    return tuple(widths)


def row_height(
    cells: Sequence[str], widths: Sequence[float], size: float, bold: bool, margin: float = 1.0
) -> float:
    """The height of a table row: its tallest cell, wrapped in its column, with the margins."""
    tallest = max(
        text_height(c, size, w - 2 * CELL_MARGIN_X, bold, margin)
        for c, w in zip(cells, widths, strict=True)
    )
    return tallest + 2 * CELL_MARGIN_Y


def fit_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    width: float,
    height: float,
    sizes: tuple[float, float] = (14, 10),
    bold: Sequence[bool] = (),
    margin: float = 1.0,
) -> TableFit:
    """The largest font from ``sizes`` at which the whole table fits in ``width`` by
    ``height`` points; at the smallest, the rows split into pages, the header repeated on each.
    ``bold`` marks the rows set in bold (they are measured so).

    >>> fit = fit_table(("Role", "n"), [("Executives", "1")] * 40, 300, 200)
    >>> fit.size, len(fit.pages), sum(len(p) for p in fit.pages)
    (10.0, 5, 40)
    """
    bold = tuple(bold) or (False,) * len(rows)
    size = float(sizes[0])
    while True:
        widths = column_widths(headers, rows, width, size, margin)
        head = row_height(headers, widths, size, True, margin)
        heights = tuple(
            row_height(r, widths, size, b, margin) for r, b in zip(rows, bold, strict=True)
        )
        if head + sum(heights) <= height or size <= sizes[1]:
            break
        size -= 1
    return TableFit(size, widths, head, heights, paginate(heights, height - head))


def paginate(heights: Sequence[float], room: float) -> tuple[tuple[int, ...], ...]:
    """Row indices split into as few pages as fit ``room`` each, the rows spread evenly over
    them (no page of one row after a full one); a row taller than ``room`` gets a page of its own.

    >>> paginate([10, 10, 10, 25], 20)
    ((0, 1), (2,), (3,))
    >>> paginate([10] * 5, 40)  # two pages: three rows and two, not four and one
    ((0, 1, 2), (3, 4))
    """
    pages = _greedy(heights, room)
    low, high = max(heights, default=0.0), room
    for _ in range(30):  # the least room that still needs no more pages
        middle = (low + high) / 2
        if len(_greedy(heights, middle)) <= len(pages):
            high = middle
        else:
            low = middle
    return _greedy(heights, high) if len(_greedy(heights, high)) == len(pages) else pages


def _greedy(heights: Sequence[float], room: float) -> tuple[tuple[int, ...], ...]:
    pages: list[tuple[int, ...]] = []
    page: list[int] = []
    used = 0.0
    for index, height in enumerate(heights):
        if page and used + height > room:
            pages.append(tuple(page))
            page, used = [], 0.0
        page.append(index)
        used += height
    if page or not pages:
        pages.append(tuple(page))
    return tuple(pages)
