"""The Word report's styles: the house look of the HTML report (Lato, the brand colour on
headings, muted small print, light table rules), as named styles a consultant can change in
Word and every paragraph of that kind follows.

The report uses Word's own styles (Normal, Heading 1 to 3, Title, TOC Heading, Caption, Header,
Footer, the List styles) and these of its own, which a firm's template may define to restyle
them:

- ``Kicker``: the small label above a section heading ("Findings");
- ``Action Title``: the sentence under a section heading that states its finding;
- ``Source Line``: the source under an exhibit or table;
- ``Small Print``: notes under a table;
- ``Headline Figure`` and ``Headline Label``: the executive summary's figures;
- ``Cover Client`` and ``Cover Detail``: the built-in cover's client name and details;
- ``Report Table`` (a table style): every table of the report.

In the built-in document every one of them gets the house look; with a firm's template the
template's own styles are kept as they are and only the missing ones are added, in the house
look but the template's font. (A template without Word's List styles gets its bullets and
numbers as text: :mod:`pmo_assess.report.document.numbering`.)
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.text.font import CT_RPr
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Pt, RGBColor
from docx.styles.style import ParagraphStyle

#: The report's typeface (shipped with the package and embedded in the HTML and PDF); Word
#: falls back to a sans-serif of its own where Lato is not installed.
FONT = "Lato"
#: Text colours as ``report.css`` has them: ink on white and muted (7.5:1) for small print.
INK = "1B1F24"
MUTED = "4A5560"
RULE = "D5DBE1"
WASH = "F3F5F7"
HIGHLIGHT = "FBF3E4"
TABLE_STYLE = "Report Table"


@dataclass(frozen=True)
class Look:
    """What a paragraph style sets: size in points, bold, colour (``ink``, ``muted`` or
    ``brand``), space before and after in points, whether it stays with what follows, capitals.
    What it leaves as ``None`` comes from the document's defaults (Lato, 10 pt, ink), or, in a
    table, from the table style."""

    size: float | None = None
    bold: bool = False
    colour: str | None = None
    before: float | None = None
    after: float | None = None
    keep: bool = False
    caps: bool = False


#: Every paragraph style the report uses, with its look in the house style. Normal sets
#: nothing of its own: a table style's size and colours apply only over the document's
#: defaults, not over a paragraph style that names its own.
LOOKS = {
    "Normal": Look(),
    "Heading 1": Look(18, bold=True, colour="brand", before=0, after=4, keep=True),
    "Heading 2": Look(13, bold=True, colour="brand", before=14, after=4, keep=True),
    "Heading 3": Look(11, bold=True, colour="ink", before=10, after=3, keep=True),
    "Title": Look(30, bold=True, colour="brand", before=0, after=8),
    "TOC Heading": Look(18, bold=True, colour="brand", before=0, after=12),
    "Caption": Look(9.5, bold=True, colour="ink", before=10, after=4, keep=True),
    "Header": Look(8, colour="muted", after=0),
    "Footer": Look(8, colour="muted", after=0),
    "Quote": Look(colour="muted"),
    "Kicker": Look(8, bold=True, colour="muted", before=0, after=2, keep=True, caps=True),
    "Action Title": Look(11.5, after=10, keep=True),
    "Source Line": Look(8, colour="muted", before=3, after=12),
    "Small Print": Look(8.5, colour="muted", before=4, after=2),
    "Headline Figure": Look(20, bold=True, colour="brand", after=0),
    "Headline Label": Look(8, colour="muted", after=0),
    "Cover Client": Look(18, after=24),
    "Cover Detail": Look(after=2),
}
#: Heading styles Word lists in a table of contents, with their outline level.
OUTLINE = {"Heading 1": 0, "Heading 2": 1, "Heading 3": 2}


def house_styles(document: Document, brand: str) -> None:
    """Give every style the report uses the house look, ``brand`` (``#RRGGBB``) on headings."""
    _defaults(document)
    for name, look in LOOKS.items():
        _apply(_style(document, name), look, brand)
        _set_font(_style(document, name).element.get_or_add_rPr())
        _recolour_rules(_style(document, name), brand)
    _add_table_style(document)


def missing_styles(document: Document, brand: str) -> None:
    """Add the styles the report uses that ``document`` (a firm's template) lacks, in the house
    look but the template's font; the template's own are left as they are."""
    names = {s.name for s in document.styles}
    for name, look in LOOKS.items():
        if name not in names:
            _apply(_style(document, name), look, brand)
    _add_table_style(document)


def has_style(document: Document, name: str) -> bool:
    """Whether ``document`` defines a style called ``name``."""
    return any(s.name == name for s in document.styles)


def _style(document: Document, name: str) -> ParagraphStyle:
    """The paragraph style ``name``, added (based on Normal) when the document lacks it."""
    if has_style(document, name):
        found = document.styles[name]
        assert isinstance(found, ParagraphStyle)
        return found
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    assert isinstance(style, ParagraphStyle)
    if name != "Normal":
        style.base_style = document.styles["Normal"]
    style.quick_style = True
    if name in OUTLINE:  # a heading Word knows as one: in the navigation pane and the contents
        level = parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="{OUTLINE[name]}"/>')
        style.element.get_or_add_pPr().append(level)
    return style


def _apply(style: ParagraphStyle, look: Look, brand: str) -> None:
    font, paragraph = style.font, style.paragraph_format
    if look.size is not None:
        font.size = Pt(look.size)
    font.bold = look.bold or None
    font.all_caps = look.caps or None
    if look.colour is not None:
        colour = {"ink": INK, "muted": MUTED, "brand": brand.lstrip("#")}[look.colour]
        font.color.rgb = RGBColor.from_string(colour.upper())
    if look.before is not None:
        paragraph.space_before = Pt(look.before)
    if look.after is not None:
        paragraph.space_after = Pt(look.after)
    paragraph.keep_with_next = look.keep or None


def table_text_size(document: Document) -> Pt:
    """The size of a table's text: Normal's when it names one (a paragraph style outranks a
    table style), else the ``Report Table`` style's, else the document's default, else Word's
    11 pt."""
    normal = document.styles["Normal"] if has_style(document, "Normal") else None
    if isinstance(normal, ParagraphStyle) and normal.font.size:
        return Pt(normal.font.size.pt)
    table = document.styles[TABLE_STYLE] if has_style(document, TABLE_STYLE) else None
    size = table.element.find(f"{qn('w:rPr')}/{qn('w:sz')}") if table is not None else None
    if size is None:
        size = document.styles.element.find(
            f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:sz')}"
        )
    return Pt(int(size.get(qn("w:val"), "22")) / 2 if size is not None else 11)


def _defaults(document: Document) -> None:
    """The document's defaults, which every style builds on: Lato, 10 pt, ink, 6 pt after a
    paragraph, lines 1.15 apart."""
    defaults = _child(document.styles.element, "w:docDefaults", first=True)
    run = _child(_child(defaults, "w:rPrDefault"), "w:rPr")
    assert isinstance(run, CT_RPr)
    _set_font(run)
    run.sz_val = Pt(10)  # python-docx keeps a run's properties in the order Word requires
    run.get_or_add_color().val = RGBColor.from_string(INK)
    complex_size = run.find(qn("w:szCs"))
    if complex_size is not None:
        complex_size.set(qn("w:val"), "20")
    spacing = _child(_child(_child(defaults, "w:pPrDefault"), "w:pPr"), "w:spacing")
    for key, value in (("before", "0"), ("after", "120"), ("line", "276"), ("lineRule", "auto")):
        spacing.set(qn(f"w:{key}"), value)


def _child(parent: BaseOxmlElement, tag: str, first: bool = False) -> BaseOxmlElement:
    """``parent``'s child ``tag``, added (at the end, or first) when it has none."""
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        if first:
            parent.insert(0, found)
        else:
            parent.append(found)
    return found


def _recolour_rules(style: ParagraphStyle, brand: str) -> None:
    """Draw a style's paragraph rules (the Title's underline) in the brand colour rather than
    the blank document's theme blue."""
    for rule in style.element.iter(qn("w:top"), qn("w:bottom"), qn("w:left"), qn("w:right")):
        rule.attrib.pop(qn("w:themeColor"), None)
        rule.set(qn("w:color"), brand.lstrip("#").upper())


def _set_font(run_properties: BaseOxmlElement) -> None:
    """Name the report's font in ``run_properties`` (``w:rPr``), dropping the theme fonts Word
    would otherwise prefer to a named one."""
    fonts = run_properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        run_properties.insert(0, fonts)
    for key in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{key}"), None)
    for key in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{key}"), FONT)


def _add_table_style(document: Document) -> None:
    """Add ``Report Table`` unless the document has it: light rules between rows, a heavier
    rule under the header row, whose labels are bold and muted, as the HTML report's tables."""
    if has_style(document, TABLE_STYLE):
        return
    document.styles.element.append(
        parse_xml(
            f'<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="ReportTable">'
            f'<w:name w:val="{TABLE_STYLE}"/><w:basedOn w:val="TableNormal"/>'
            '<w:uiPriority w:val="59"/><w:qFormat/>'
            '<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
            '<w:rPr><w:sz w:val="17"/><w:szCs w:val="17"/></w:rPr>'
            "<w:tblPr><w:tblBorders>"
            f'<w:top w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>'
            f'<w:bottom w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>'
            f'<w:insideH w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>'
            "</w:tblBorders><w:tblCellMar>"
            '<w:top w:w="50" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
            '<w:bottom w:w="50" w:type="dxa"/><w:right w:w="85" w:type="dxa"/>'
            "</w:tblCellMar></w:tblPr>"
            '<w:tblStylePr w:type="firstRow">'
            f'<w:rPr><w:b/><w:bCs/><w:color w:val="{MUTED}"/><w:sz w:val="15"/></w:rPr>'
            '<w:tcPr><w:tcBorders><w:top w:val="nil"/>'
            f'<w:bottom w:val="single" w:sz="12" w:space="0" w:color="{INK}"/>'
            "</w:tcBorders></w:tcPr></w:tblStylePr></w:style>"
        )
    )
