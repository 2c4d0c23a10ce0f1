"""The built-in deck template: python-pptx's default made into a clean 16:9 deck in the report's
house style, for a firm without a template of its own.

Titles left-aligned in the brand colour, a thin brand-coloured rule under them, Arial for text
(on every Office install, and metric-compatible with LibreOffice's Liberation Sans), the brand
and accent colours as the theme's first two accents (which tables and charts take their colours
from). Everything is set on the master and the theme, so the slides themselves carry no fonts
or colours and a consultant restyles the deck in one place.
"""

from __future__ import annotations

from lxml import etree
from pptx import Presentation as open_presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.presentation import Presentation
from pptx.slide import SlideMaster
from pptx.util import Emu, Inches

from pmo_assess.report.branding import Branding
from pmo_assess.report.deck.layouts import placeholders

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.6)
FONT = "Arial"
TITLE_SIZE = 28  # points; fitting makes long titles smaller
#: (left, top, width, height) in inches of the master's placeholders by type.
MASTER_BOXES = {
    "title": (0.6, 0.3, 12.13, 1.15),
    "body": (0.6, 1.65, 12.13, 5.15),
    "dt": (0.6, 6.95, 2.5, 0.35),
    "ftr": (3.6, 6.95, 6.1, 0.35),
    "sldNum": (10.73, 6.95, 2.0, 0.35),
}
TITLE_SLIDE_BOXES = {"ctrTitle": (0.9, 2.1, 11.5, 1.6), "subTitle": (0.9, 3.85, 11.5, 1.8)}


def house_presentation(branding: Branding) -> Presentation:
    """A new, empty presentation in the house style with the firm's colours."""
    prs = open_presentation()
    scale = WIDTH / prs.slide_width
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    master = prs.slide_masters[0]
    original = {_ph_type(shape): _box(shape) for shape in placeholders(master)}
    for layout in master.slide_layouts:
        for shape in placeholders(layout):
            if shape._element.spPr.find(qn("a:xfrm")) is None:
                continue
            if _box(shape) == original.get(_ph_type(shape), ()):  # the master's own place
                shape._element.spPr.remove(shape._element.spPr.find(qn("a:xfrm")))
            else:  # a 4:3 position stretched to 16:9
                shape.left, shape.width = (
                    Emu(int(shape.left * scale)),
                    Emu(int(shape.width * scale)),
                )
    _place(master.placeholders, MASTER_BOXES)
    _place(master.slide_layouts[0].placeholders, TITLE_SLIDE_BOXES)
    _cover(master.slide_layouts[0])
    _style_text(master, branding.primary)
    _title_rule(master, branding.primary)
    _theme(master, branding)
    return prs


def _ph_type(shape: object) -> str:
    """A placeholder's type as the XML writes it (``obj`` when it names none)."""
    ph = shape._element.find(".//" + qn("p:ph"))  # type: ignore[attr-defined]
    found = "obj" if ph is None else ph.get("type", "obj")
    return "body" if found == "obj" else found


def _box(shape: object) -> tuple[int, int, int, int]:
    return (shape.left, shape.top, shape.width, shape.height)  # type: ignore[attr-defined]


def _place(placeholders: object, boxes: dict[str, tuple[float, float, float, float]]) -> None:
    for shape in placeholders:  # type: ignore[attr-defined]
        box = boxes.get(_ph_type(shape))
        if box:
            shape.left, shape.top, shape.width, shape.height = (Inches(v) for v in box)


def _cover(layout: object) -> None:
    """The title slide: no rule from the master, title and subtitle left-aligned."""
    element = layout._element  # type: ignore[attr-defined]
    element.set("showMasterSp", "0")
    for paragraph_style in element.iter(*(qn(f"a:lvl{n}pPr") for n in range(1, 10))):
        paragraph_style.set("algn", "l")


def _style_text(master: SlideMaster, brand: str) -> None:
    """Titles left-aligned in the brand colour; body text a size a room can read."""
    styles = master._element.find(qn("p:txStyles"))
    title = styles.find(f"{qn('p:titleStyle')}/{qn('a:lvl1pPr')}")
    title.set("algn", "l")
    _run_style(title.find(qn("a:defRPr")), TITLE_SIZE, brand)
    body = styles.find(qn("p:bodyStyle"))
    for level, size in zip(range(1, 10), (18, 16, 14, 14, 14, 14, 14, 14, 14), strict=False):
        found = body.find(qn(f"a:lvl{level}pPr"))
        if found is not None:
            _run_style(found.find(qn("a:defRPr")), size, None)


def _run_style(default: etree._Element, size: int, colour: str | None) -> None:
    default.set("sz", str(size * 100))
    if colour:
        fill = default.find(qn("a:solidFill"))
        for child in list(fill):
            fill.remove(child)
        etree.SubElement(fill, qn("a:srgbClr"), val=colour.lstrip("#").upper())


def _title_rule(master: SlideMaster, brand: str) -> None:
    """A thin rule in the brand colour under the title area, on every slide but the title."""
    left, top, width, height = MASTER_BOXES["title"]
    add_master_rect(
        master,
        "House rule",
        Inches(left),
        Inches(top + height + 0.05),
        Inches(width),
        Inches(0.03),
        brand,
    )


def add_master_rect(
    master: SlideMaster, name: str, left: int, top: int, width: int, height: int, colour: str
) -> None:
    """A filled rectangle on the slide master (python-pptx adds shapes to slides only)."""
    tree = master.shapes._spTree
    ids = [int(v) for v in tree.xpath("//p:cNvPr/@id")]
    xml = (
        f'<p:sp xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
        f'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        f'<p:nvSpPr><p:cNvPr id="{max(ids, default=1) + 1}" name="{name}"/><p:cNvSpPr/><p:nvPr userDrawn="1"/>'
        f'</p:nvSpPr><p:spPr><a:xfrm><a:off x="{left}" y="{top}"/><a:ext cx="{width}" '
        f'cy="{height}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        f'<a:solidFill><a:srgbClr val="{colour.lstrip("#").upper()}"/></a:solidFill><a:ln><a:noFill/></a:ln>'
        f"</p:spPr></p:sp>"
    )
    tree.append(etree.fromstring(xml))


def _theme(master: SlideMaster, branding: Branding) -> None:
    """The brand and accent colours as accents 1 and 2, Arial for headings and text."""
    part = master.part.part_related_by(RT.THEME)
    theme = etree.fromstring(part.blob)
    scheme = theme.find(f".//{qn('a:clrScheme')}")
    for slot, colour in (("a:accent1", branding.primary), ("a:accent2", branding.accent)):
        holder = scheme.find(qn(slot))
        for child in list(holder):
            holder.remove(child)
        etree.SubElement(holder, qn("a:srgbClr"), val=colour.lstrip("#").upper())
    for font in ("a:majorFont", "a:minorFont"):
        theme.find(f".//{qn(font)}/{qn('a:latin')}").set("typeface", FONT)
    part._blob = etree.tostring(theme, xml_declaration=True, encoding="UTF-8", standalone=True)
