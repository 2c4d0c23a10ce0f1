"""The report's tables as native Word tables: a header row that repeats on every page the table
runs onto, numbers right-aligned, rows never split, a short table kept on one page, all in the
``Report Table`` style (the firm's, when its template defines one), and the executive summary's
headline figures as a row of cards.
"""

from __future__ import annotations

from collections.abc import Iterable

from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Length, Mm
from docx.table import Table as WordTable
from docx.table import _Cell

from pmo_assess.report.content import Table
from pmo_assess.report.document.fields import (
    full_width,
    keep_row_whole,
    left_rule,
    repeat_as_header,
    shade,
    xml_safe,
)
from pmo_assess.report.document.styles import HIGHLIGHT, TABLE_STYLE, WASH, table_text_size

#: A table of at most this many rows stays on one page, as in the print report.
KEEP_TOGETHER_ROWS = 15
#: A column's text longer than this many characters wraps rather than widen it further.
WIDEST = 40
#: The width of a character, in ems of the table's text, with room for a bold header and for a
#: wider fallback font (DejaVu Sans where Lato is not installed), and of a cell's margins.
CHARACTER_EM = 0.66
PADDING = Mm(4)


def add_table(document: Document, table: Table, width: Length) -> WordTable:
    """``table`` as a Word table at the end of ``document``, ``width`` wide."""
    character = Length(int(table_text_size(document) * CHARACTER_EM))
    word = document.add_table(rows=len(table.rows) + 1, cols=len(table.headers))
    word.style = TABLE_STYLE
    word.alignment = WD_TABLE_ALIGNMENT.LEFT
    full_width(word)
    widths = column_widths((table.headers, *table.rows), width, character)
    for column, column_width in zip(word.columns, widths, strict=True):
        column.width = column_width
    rows = word.rows
    repeat_as_header(rows[0])
    keep = len(table.rows) <= KEEP_TOGETHER_ROWS
    for index, (row, values) in enumerate(zip(rows, (table.headers, *table.rows), strict=True)):
        keep_row_whole(row)
        emphasis = table.emphasis[index - 1] if 0 < index <= len(table.emphasis) else 0
        last = index == len(table.rows)
        for cell, value, numeric, column_width in zip(
            row.cells, values, table.numeric, widths, strict=True
        ):
            cell.width = column_width
            _fill(cell, value, numeric, keep=keep and not last, emphasis=emphasis)
    return word


def column_widths(
    rows: tuple[tuple[str, ...], ...], width: Length, character: Length
) -> list[Length]:
    """Widths for the columns of ``rows`` (the header first) sharing ``width``, ``character``
    being the width of one character: each column first gets room for its longest word, so a
    short column (a score, a level) is not broken mid-word where the page has room; what is left goes to the columns whose text is longer than that, in proportion to
    how much longer (up to :data:`WIDEST` characters). Word and LibreOffice both lay a table
    out on these widths rather than guess from the text.

    With characters 2 mm wide, the first column needs 6 (its longest word, "Action":
    6 x 2 + 4 = 16 mm) and
    asks for 12 ("Set up a PMO"); the second needs and asks for 1 (2 + 4 = 6 mm). Of 22 mm and
    2 inches, the 2 inches left over go to the first column: 16 mm (0.63 inches) plus 2.

    >>> from docx.shared import Inches
    >>> rows = (("Action", "n"), ("Set up a PMO", "4"))
    >>> [round(w / Inches(1), 2) for w in column_widths(rows, Inches(2) + Mm(22), Mm(2))]
    [2.63, 0.24]
    """
    columns = list(zip(*rows, strict=True))
    floors = [_room([w for text in column for w in text.split()], character) for column in columns]
    wanted = [max(_room(column, character), f) for column, f in zip(columns, floors, strict=True)]
    spare = width - sum(floors)
    if spare <= 0:  # too many columns for the page: each its share of its words' room
        return [Length(int(width * floor / sum(floors))) for floor in floors]
    extra = [w - f for w, f in zip(wanted, floors, strict=True)]
    if not any(extra):
        return [Length(floor + spare // len(floors)) for floor in floors]
    return [Length(f + spare * e // sum(extra)) for f, e in zip(floors, extra, strict=True)]


def _room(texts: Iterable[str], character: Length) -> int:
    """Room for the longest of ``texts`` (up to :data:`WIDEST` characters) and the cell's
    margins, in EMU."""
    return min(max((len(text) for text in texts), default=1), WIDEST) * character + PADDING


def _fill(cell: _Cell, value: str, numeric: bool, *, keep: bool, emphasis: int) -> None:
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(xml_safe(value))
    if numeric:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if keep:
        paragraph.paragraph_format.keep_with_next = True
    if emphasis == 1:  # a gap the report highlights, or the overall row
        shade(cell, HIGHLIGHT)
    elif emphasis == 2:  # a group heading, such as a roadmap phase
        shade(cell, WASH)
        run.bold = True


def add_figures(document: Document, figures: tuple[tuple[str, str], ...], brand: str) -> None:
    """The headline figures (value and label) side by side, each a card with a rule in the
    brand colour, as the HTML report's executive summary shows them."""
    cards = document.add_table(rows=1, cols=len(figures))
    full_width(cards)
    for cell, (value, label) in zip(cards.rows[0].cells, figures, strict=True):
        shade(cell, WASH)
        left_rule(cell, brand.lstrip("#").upper())
        cell.paragraphs[0].style = "Headline Figure"
        cell.paragraphs[0].add_run(xml_safe(value))
        cell.add_paragraph(xml_safe(label), style="Headline Label")
    document.add_paragraph()  # room between the cards and what follows
