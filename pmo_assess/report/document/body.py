"""A section of the report's content (:class:`pmo_assess.report.content.Section`) in Word.

Each section starts a new page (one with a single line to say follows the one before, as in
the print report) under its kicker and its heading (``Heading 1``, in the contents and the
navigation pane), then its action title, and its parts in the content's order: headline
figures, paragraphs, bullets, exhibits, tables, sub-sections (``Heading 2``, then
``Heading 3``), notes and the source line.

Exhibits are the HTML report's charts, drawn the same way and numbered in the same order
("Exhibit 1: ..."), each with its source line; a table with a caption is numbered as a table
("Table 1: ..."). The numbers are SEQ fields, as Word's own Insert Caption writes them, so they
renumber when a consultant adds one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from docx.document import Document
from docx.text.paragraph import Paragraph

from pmo_assess.model.questionnaire import Questionnaire
from pmo_assess.report.content import Exhibit, Section, Table
from pmo_assess.report.document.fields import add_field, xml_safe
from pmo_assess.report.document.numbering import add_item, new_list
from pmo_assess.report.document.pages import text_width
from pmo_assess.report.document.pictures import add_picture, chart_png
from pmo_assess.report.document.tables import add_figures, add_table

#: Sub-sections whose bullets are a ranked list, numbered as the HTML report numbers them.
RANKED_PARTS = {"priorities"}


@dataclass
class SectionWriter:
    """Writes sections into ``document``, numbering exhibits and tables as it goes; charts
    are drawn unless ``pictures`` has them already (PNG bytes by exhibit kind)."""

    document: Document
    results: Mapping[str, Any]
    questionnaire: Questionnaire
    brand: str
    pictures: dict[str, bytes] = field(default_factory=dict)
    exhibits: int = 0
    tables: int = 0

    def section(self, section: Section) -> None:
        """``section`` from its kicker and heading to its source line."""
        opening = self._add(section.kicker, "Kicker", keep=True) if section.kicker else None
        heading = self._add(section.heading, "Heading 1", keep=True)
        if not _fits_after_previous(section):
            (opening or heading).paragraph_format.page_break_before = True
        self._body(section, level=1)

    def _body(self, section: Section, level: int) -> None:
        if section.title:
            self._add(section.title, "Action Title", keep=True)
        if section.figures:
            add_figures(self.document, section.figures, self.brand)
        for text in section.paragraphs:
            self._add(text, None)
        self._bullets(section.bullets, ordered=section.key in RANKED_PARTS)
        sources = [self._exhibit(exhibit) for exhibit in section.exhibits]
        for table in section.tables:
            self._table(table, section.heading)
        for part in section.parts:
            self._add(part.heading, "Heading 2" if level == 1 else "Heading 3", keep=True)
            self._body(part, level + 1)
        for note in section.notes:
            self._add(note, "Small Print")
        if section.source and section.source not in sources:
            self._add(section.source, "Source Line")

    def _add(self, text: str, style: str | None, keep: bool = False) -> Paragraph:
        """A paragraph of ``text``; ``keep`` holds it on the page of what follows whatever
        the template's style says (a heading or caption never ends a page)."""
        paragraph = self.document.add_paragraph(xml_safe(text), style=style)
        if keep:
            paragraph.paragraph_format.keep_with_next = True
        return paragraph

    def _bullets(self, bullets: tuple[str, ...], ordered: bool) -> None:
        if not bullets:
            return
        word_list = new_list(self.document, ordered, depth=0)
        for index, text in enumerate(bullets):
            add_item(self.document, word_list, index).add_run(xml_safe(text))

    def _exhibit(self, exhibit: Exhibit) -> str | None:
        """The chart with its numbered caption above and source below; returns the source
        line written, or ``None`` when the chart has nothing to show."""
        png = self.pictures.get(exhibit.kind) or chart_png(
            exhibit.kind, self.results, self.questionnaire, self.brand
        )
        if png is None:
            return None
        self.exhibits += 1
        self._caption("Exhibit", self.exhibits, exhibit.title)
        add_picture(self.document, png, exhibit.alt, text_width(self.document))
        self._add(exhibit.source, "Source Line")
        return exhibit.source

    def _table(self, table: Table, heading: str) -> None:
        # a caption that only repeats the heading above it is left out, and so is its number
        if table.caption and table.caption != heading:
            self.tables += 1
            self._caption("Table", self.tables, table.caption)
        add_table(self.document, table, text_width(self.document))

    def _caption(self, kind: str, number: int, title: str) -> None:
        caption = self._add(f"{kind} ", "Caption", keep=True)
        add_field(caption, f"SEQ {kind} \\* ARABIC", str(number))
        caption.add_run(xml_safe(f": {title}") if title else "")


def _fits_after_previous(section: Section) -> bool:
    """Whether a section is one short paragraph (no benchmark, no roadmap), which follows the
    section before it rather than take a page of its own."""
    bulky = section.figures or section.bullets or section.exhibits or section.tables
    return not bulky and not section.parts and len(section.paragraphs) <= 1
