"""Bulleted and numbered lists in Word, with the document's own list styles.

Word numbers every paragraph of a "List Number" style in one sequence through the whole
document; a list that should start again at 1 (or at the number Markdown gave it) needs a
numbering instance of its own, which :func:`restart_numbering` adds. A document without the
list styles (a firm's template need not have them) gets the bullet or number as text instead,
so a list still reads as one.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.document import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.text.paragraph import Paragraph

#: Word's list styles have three levels of indent; deeper items share the third.
DEPTHS = 3
BULLET = "\u2022"
INDENT = Mm(6)


@dataclass(frozen=True)
class WordList:
    """One list being written: its style (``None`` where the document has none, so the bullet
    or number is written as text), its own numbering (an ordered list) and where it starts."""

    ordered: bool
    depth: int
    start: int = 1
    style: str | None = None
    numbering: int | None = None


def new_list(document: Document, ordered: bool, depth: int, start: int = 1) -> WordList:
    """A list at ``depth`` (0 for the outermost) counting from ``start`` when ``ordered``."""
    style = list_style(document, ordered, depth)
    numbering = restart_numbering(document, style, start) if style and ordered else None
    return WordList(ordered, depth, start, style, numbering)


def add_item(document: Document, word_list: WordList, index: int) -> Paragraph:
    """The paragraph of the list's item ``index`` (from 0), its bullet or number in place."""
    if word_list.style is None:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.left_indent = INDENT * (word_list.depth + 1)
        paragraph.paragraph_format.first_line_indent = -INDENT
        paragraph.add_run(prefix(word_list.ordered, word_list.start + index))
        return paragraph
    paragraph = document.add_paragraph(style=word_list.style)
    if word_list.numbering is not None:
        use_numbering(paragraph, word_list.numbering)
    return paragraph


def list_style(document: Document, ordered: bool, depth: int) -> str | None:
    """The name of the document's list style for this kind and depth, when it has one that
    numbers its paragraphs; ``None`` otherwise.

    >>> from docx import Document as new_document
    >>> list_style(new_document(), ordered=True, depth=1)
    'List Number 2'
    """
    name = ("List Number" if ordered else "List Bullet") + _depth_suffix(depth)
    style = next((s for s in document.styles if s.name == name), None)
    if style is None or _style_numbering(document, name) is None:
        return None
    return name


def _depth_suffix(depth: int) -> str:
    level = min(depth, DEPTHS - 1)
    return f" {level + 1}" if level else ""


def restart_numbering(document: Document, style: str, start: int) -> int:
    """A new numbering instance of ``style``'s list counting from ``start``; returns its id for
    :func:`use_numbering`."""
    numbering = document.part.numbering_part.element
    num_id = _style_numbering(document, style)
    abstract = numbering.num_having_numId(num_id).abstractNumId.val
    num = numbering.add_num(abstract)
    override = num.add_lvlOverride(ilvl=0)
    override.add_startOverride(start)
    return int(num.numId)


def use_numbering(paragraph: Paragraph, num_id: int) -> None:
    """Number ``paragraph`` with the numbering instance ``num_id`` (at its first level)."""
    properties = paragraph._p.get_or_add_pPr()
    numbered = properties.get_or_add_numPr()
    numbered.get_or_add_ilvl().val = 0
    numbered.get_or_add_numId().val = num_id


def _style_numbering(document: Document, name: str) -> int | None:
    """The numbering id a paragraph style applies, or ``None``."""
    style = next((s for s in document.styles if s.name == name), None)
    if style is None:
        return None
    found = style.element.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    if found is None:
        return None
    try:
        numbering = document.part.numbering_part.element
        numbering.num_having_numId(int(found.get(qn("w:val"))))
    except (KeyError, NotImplementedError, ValueError, TypeError):
        return None
    return int(found.get(qn("w:val")))


def prefix(ordered: bool, number: int) -> str:
    """The bullet or number written as text where a document has no list style.

    >>> prefix(True, 3), prefix(False, 3)
    ('3.\\t', '\u2022\\t')
    """
    return f"{number}.\t" if ordered else f"{BULLET}\t"
