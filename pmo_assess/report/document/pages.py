"""The Word report's pages: A4 with the print report's margins, a running header (the client,
"Confidential") and footer (the firm, "Page X of Y"), none on the cover.

With a firm's template the template's page size, margins, header and footer are kept; what the
report needs is added to them only where it is missing: a line saying "Confidential" with the
client's name when the header does not say it, "Page X of Y" when the footer has no page
number.
"""

from __future__ import annotations

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.section import Section, _Footer, _Header
from docx.shared import Length, Mm
from docx.text.paragraph import Paragraph

from pmo_assess.report.document.fields import add_field, xml_safe

#: Margins of the print report (``report.css``: ``@page { margin: 24mm 20mm 22mm 20mm }``).
MARGINS = {"top": Mm(24), "right": Mm(20), "bottom": Mm(22), "left": Mm(20)}
CONFIDENTIAL = "Confidential"


def a4_pages(document: Document) -> None:
    """A4 pages with the print report's margins, the cover without header or footer."""
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.right_margin = MARGINS["top"], MARGINS["right"]
        section.bottom_margin, section.left_margin = MARGINS["bottom"], MARGINS["left"]
        section.header_distance, section.footer_distance = Mm(10), Mm(10)
        section.different_first_page_header_footer = True


def text_width(document: Document) -> Length:
    """The width between the margins of the document's last section (where the report is)."""
    section = document.sections[-1]
    width = (section.page_width or Mm(210)) - (section.left_margin or 0)
    return Length(width - (section.right_margin or 0))


def running_head(document: Document, client: str, firm: str) -> None:
    """The header and footer of the report's pages: built-in ones when the document has none,
    otherwise the missing confidentiality line and page numbers added to the template's."""
    section = document.sections[-1]
    header, footer = section.header, section.footer
    if _blank(header):
        _two_sided(_first(header, "Header"), client, section).add_run(CONFIDENTIAL)
    elif CONFIDENTIAL.casefold() not in _text(header).casefold():
        line = header.add_paragraph(style="Header")
        line.add_run(xml_safe(f"{CONFIDENTIAL} · {client}"))
    if _blank(footer):
        _page_x_of_y(_two_sided(_first(footer, "Footer"), firm, section))
    elif "PAGE" not in _instructions(footer).split():
        line = footer.add_paragraph(style="Footer")
        line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _page_x_of_y(line)


def _two_sided(paragraph: Paragraph, left: str, section: Section) -> Paragraph:
    """``left`` at the left margin and a tab to the right margin, for what follows."""
    width = (section.page_width or Mm(210)) - (section.left_margin or 0)
    width -= section.right_margin or 0
    stops = paragraph.paragraph_format.tab_stops
    for inherited in _style_tabs(paragraph):  # the style's centre and right stops sit elsewhere
        stops.add_tab_stop(inherited, WD_TAB_ALIGNMENT.CLEAR)
    stops.add_tab_stop(Length(width), WD_TAB_ALIGNMENT.RIGHT)
    paragraph.add_run(xml_safe(left) + "\t")
    return paragraph


def _page_x_of_y(paragraph: Paragraph) -> None:
    paragraph.add_run("Page ")
    add_field(paragraph, "PAGE", "1")
    paragraph.add_run(" of ")
    add_field(paragraph, "NUMPAGES", "1")


def _style_tabs(paragraph: Paragraph) -> list[Length]:
    style = paragraph.style
    if style is None:
        return []
    return [
        Length(stop.position) for stop in style.paragraph_format.tab_stops if stop.position != 0
    ]


def _first(part: _Header | _Footer, style: str) -> Paragraph:
    paragraph = part.paragraphs[0] if part.paragraphs else part.add_paragraph()
    paragraph.style = style
    return paragraph


def _blank(part: _Header | _Footer) -> bool:
    """Whether a header or footer shows nothing: no text, picture, table or field (one linked
    to the previous section's is read as that one)."""
    element = part._element
    return not _text(part).strip() and not any(
        element.iter(qn("w:drawing"), qn("w:pict"), qn("w:tbl"), qn("w:fldChar"))
    )


def _text(part: _Header | _Footer) -> str:
    return "".join(node.text or "" for node in part._element.iter(qn("w:t")))


def _instructions(part: _Header | _Footer) -> str:
    fields = [node.text or "" for node in part._element.iter(qn("w:instrText"))]
    fields += [node.get(qn("w:instr")) or "" for node in part._element.iter(qn("w:fldSimple"))]
    return " ".join(fields)
