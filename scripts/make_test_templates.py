"""Write the firm templates the report tests use: ``tests/data/firm.pptx`` (and its Word twin).

``firm.pptx`` stands for a consulting firm's own PowerPoint template, made to catch a deck that
ignores it: a marker shape in the slide master (python-pptx adds shapes only to slides, so it is
written into the master's XML), layouts renamed away from Office's names, a theme with its own
colours and fonts, the 4:3 slide size, and one example slide the deck must leave out.

    .venv/bin/python scripts/make_test_templates.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.util import Inches

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
#: The marker shape's name in the firm template's master, which a test looks for in a deck.
MARKER = "Firm marker"
#: Office's layout names and the firm's names for them.
FIRM_LAYOUTS = {
    "Title Slide": "Firm Cover",
    "Title and Content": "Firm Text",
    "Title Only": "Firm Headline",
    "Section Header": "Firm Divider",
}
FIRM_COLOURS = {"a:accent1": "7A1F5C", "a:accent2": "D98E04"}
FIRM_FONT = "Georgia"


def make_firm_pptx(path: Path) -> Path:
    """Write the test firm template to ``path``."""
    prs = Presentation()
    master = prs.slide_masters[0]
    for layout in master.slide_layouts:
        layout.name = FIRM_LAYOUTS.get(layout.name, layout.name)
    _add_marker(master)
    _firm_theme(master)
    example = prs.slides.add_slide(master.slide_layouts[1])
    example.shapes.title.text = "Example slide of the firm's template, to be left out"
    path.parent.mkdir(parents=True, exist_ok=True)
    prs.save(str(path))
    return path


def _add_marker(master: object) -> None:
    """A small square with the firm's name, bottom left of every slide."""
    tree = master.shapes._spTree  # type: ignore[attr-defined]
    ids = [int(v) for v in tree.xpath("//p:cNvPr/@id")]
    left, top, size = Inches(0.15), Inches(6.85), Inches(0.5)
    tree.append(
        etree.fromstring(
            '<p:sp xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
            'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
            f'<p:nvSpPr><p:cNvPr id="{max(ids) + 1}" name="{MARKER}"/><p:cNvSpPr/>'
            '<p:nvPr userDrawn="1"/></p:nvSpPr>'
            f'<p:spPr><a:xfrm><a:off x="{left}" y="{top}"/><a:ext cx="{size}" cy="{size}"/>'
            '</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
            '<a:solidFill><a:schemeClr val="accent2"/></a:solidFill></p:spPr>'
            '<p:txBody><a:bodyPr anchor="ctr" lIns="0" rIns="0"/><a:lstStyle/><a:p><a:pPr algn="ctr"/>'
            '<a:r><a:rPr lang="en-GB" sz="800" b="1"/><a:t>FIRM</a:t></a:r></a:p></p:txBody>'
            "</p:sp>"
        )
    )


def _firm_theme(master: object) -> None:
    part = master.part.part_related_by(RT.THEME)  # type: ignore[attr-defined]
    theme = etree.fromstring(part.blob)
    theme.find(qn("a:themeElements")).find(qn("a:clrScheme")).set("name", "Firm")
    for slot, colour in FIRM_COLOURS.items():
        holder = theme.find(f".//{qn('a:clrScheme')}/{qn(slot)}")
        for child in list(holder):
            holder.remove(child)
        etree.SubElement(holder, qn("a:srgbClr"), val=colour)
    for font in ("a:majorFont", "a:minorFont"):
        theme.find(f".//{qn(font)}/{qn('a:latin')}").set("typeface", FIRM_FONT)
    part._blob = etree.tostring(theme, xml_declaration=True, encoding="UTF-8", standalone=True)


#: What the firm's Word template carries that a test can see in a document written into it.
DOCX_MARKER = "FIRM-MARKER"
DOCX_HEADING_COLOUR = "7A1F5C"
DOCX_TABLE_FILL = "D98E04"


def make_firm_docx(path: Path) -> Path:
    """Write the test firm's Word template to ``path``: Georgia throughout and Heading 1 in the
    firm's plum, a ``Report Table`` style (9 pt) with an amber header row, a header with a marker and
    ``{{client}}``, a footer without page numbers, and a cover whose placeholders are split
    across runs, as Word leaves them after an edit."""
    # imported here so the deck's template can be written where python-docx is not installed
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Mm, Pt, RGBColor

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    for name, size in (("Normal", 10.5), ("Heading 1", 22), ("Heading 2", 14), ("Title", 34)):
        style = document.styles[name]
        style.font.name, style.font.size = FIRM_FONT, Pt(size)
        for key in ("asciiTheme", "hAnsiTheme"):
            style.element.rPr.rFonts.attrib.pop(f"{{{style.element.nsmap['w']}}}{key}", None)
    document.styles["Heading 1"].font.color.rgb = RGBColor.from_string(DOCX_HEADING_COLOUR)
    table_style = document.styles.add_style("Report Table", WD_STYLE_TYPE.TABLE)
    table_style.font.size = Pt(9)
    table_style.element.append(
        parse_xml(
            f'<w:tblStylePr {nsdecls("w")} w:type="firstRow"><w:rPr><w:b/>'
            '<w:color w:val="FFFFFF"/></w:rPr><w:tcPr>'
            f'<w:shd w:val="clear" w:color="auto" w:fill="{DOCX_TABLE_FILL}"/>'
            "</w:tcPr></w:tblStylePr>"
        )
    )
    section.header.paragraphs[0].text = f"{DOCX_MARKER} · report for {{{{client}}}}"
    section.footer.paragraphs[0].text = "Northlight Advisory · firm template"
    document.add_paragraph("{{title}}", style="Title")
    prepared = document.add_paragraph("Prepared for {{cli")
    prepared.add_run("ent}}").bold = True
    document.add_paragraph("Wave {{ wave }}, data of {{date}}, by {{firm}}")
    document.add_table(rows=1, cols=1).cell(0, 0).text = "Client: {{client}}"
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def main() -> int:
    made = make_firm_pptx(DATA / "firm.pptx")
    print(f"Wrote {made}")
    print(f"Wrote {make_firm_docx(DATA / 'firm.docx')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
