"""Raw WordprocessingML that python-docx has no call for: fields (the table of contents, page
numbers, caption numbers), a table's repeating header row, a picture's alt text, and text made
safe for XML.

A field is written as Word writes it, begin, instruction, separate, cached result, end, so
python-docx reads the cached result back as text and Word recomputes it when it lays out the
page (PAGE, NUMPAGES, SEQ) or when asked (TOC: "Update Field").
"""

from __future__ import annotations

import re

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shape import InlineShape
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

#: The table of contents: heading levels 1 to 3, as hyperlinks, without page numbers in web
#: view, with the paragraphs' outline levels.
TOC_INSTRUCTION = 'TOC \\o "1-3" \\h \\z \\u'
TOC_PLACEHOLDER = "Right-click and choose Update Field"
#: Characters XML 1.0 cannot hold (python-docx refuses them): C0 controls but tab, newline
#: and carriage return, lone surrogates and the two non-characters.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters an XML document cannot hold.

    >>> xml_safe("Acme\\x00 Ltd\\x0b")
    'Acme Ltd'
    """
    return _NOT_XML.sub("", text)


def add_field(paragraph: Paragraph, instruction: str, result: str) -> Run:
    """Append a field to ``paragraph``: ``instruction`` (e.g. ``PAGE``) with ``result`` shown
    until Word updates it; returns the run holding the result, for formatting."""
    _field_char(paragraph.add_run(), "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    paragraph.add_run()._r.append(code)
    _field_char(paragraph.add_run(), "separate")
    shown = paragraph.add_run(xml_safe(result))
    _field_char(paragraph.add_run(), "end")
    return shown


def _field_char(run: Run, kind: str) -> None:
    mark = OxmlElement("w:fldChar")
    mark.set(qn("w:fldCharType"), kind)
    run._r.append(mark)


def field_instructions(paragraph: Paragraph) -> list[str]:
    """The instructions of the fields in ``paragraph``, stripped (``["PAGE", "NUMPAGES"]``)."""
    return [(code.text or "").strip() for code in paragraph._p.iter(qn("w:instrText"))]


def repeat_as_header(row: _Row) -> None:
    """Mark ``row`` as the table's header: Word repeats it at the top of every page the table
    runs onto, and screen readers announce it as column headings."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:tblHeader"))


def keep_row_whole(row: _Row) -> None:
    """Keep ``row`` on one page: a row split across pages reads as two half rows."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def set_alt_text(picture: InlineShape, text: str) -> None:
    """Give ``picture`` its alt text, the description a screen reader speaks (``wp:docPr``
    ``descr``, which Word shows under Alt Text)."""
    picture._inline.docPr.set("descr", xml_safe(text))


def shade(cell: _Cell, fill: str) -> None:
    """Fill ``cell`` with the colour ``fill`` (``RRGGBB``)."""
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def left_rule(cell: _Cell, colour: str) -> None:
    """A thick rule down the left of ``cell`` in ``colour`` (``RRGGBB``), as the HTML report's
    headline figures have."""
    borders = OxmlElement("w:tcBorders")
    rule = OxmlElement("w:left")
    for key, value in (("val", "single"), ("sz", "24"), ("space", "0"), ("color", colour)):
        rule.set(qn(f"w:{key}"), value)
    borders.append(rule)
    properties = cell._tc.get_or_add_tcPr()
    # tcBorders comes before shd in a cell's properties
    shading = properties.find(qn("w:shd"))
    if shading is not None:
        shading.addprevious(borders)
    else:
        properties.append(borders)


def full_width(table: Table) -> None:
    """Make ``table`` as wide as the text column, its columns sized to their content."""
    width = table._tbl.tblPr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        table._tbl.tblPr.append(width)
    width.set(qn("w:type"), "pct")
    width.set(qn("w:w"), "5000")
