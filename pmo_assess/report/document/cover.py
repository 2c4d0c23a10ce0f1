"""The Word report's cover: the built-in one (the HTML report's cover: firm, title, client and
the engagement's details), or a firm's own, its ``{{placeholders}}`` filled.

A firm's template may write ``{{client}}``, ``{{title}}``, ``{{wave}}``, ``{{date}}`` and
``{{firm}}`` anywhere in its body, header or footer, in any formatting: Word often splits
typed text into several runs (after a spelling check or an edit), so a placeholder is found in
the paragraph's whole text and replaced in the runs it spans, each keeping its formatting.
Any other ``{{name}}`` is left as it is, for the consultant to see and fill.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
from collections.abc import Iterator, Mapping
from typing import Any

from docx.document import Document
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt
from PIL import Image

from pmo_assess.report.branding import Branding
from pmo_assess.report.document.fields import set_alt_text, xml_safe
from pmo_assess.report.text.facts import programme_noun
from pmo_assess.report.text.phrases import date_text

PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def cover_values(results: Mapping[str, Any], branding: Branding) -> dict[str, str]:
    """What a template's placeholders stand for in this report.

    >>> results = {"client": {"name": "Acme"}, "questionnaire": {"title": "PMO Maturity"},
    ...            "wave": {"label": "2026-Q1", "latest": True, "held_on": "2026-03-02"}}
    >>> cover_values(results, Branding(firm_name="Northlight"))["date"]
    '2 March 2026'
    """
    wave = results["wave"]
    return {
        "client": results["client"]["name"],
        "title": results["questionnaire"]["title"],
        "wave": wave["label"] + ("" if wave["latest"] else " (an earlier wave)"),
        "date": date_text(wave["held_on"]) or "Not recorded",
        "firm": branding.firm_name,
    }


def has_cover(document: Document) -> bool:
    """Whether a template's body holds anything to keep as the cover (text, a picture or a
    table), rather than the one empty paragraph of a blank document."""
    body = document.element.body
    text = "".join(node.text or "" for node in body.iter(qn("w:t")))
    return bool(text.strip()) or any(body.iter(qn("w:drawing"), qn("w:pict"), qn("w:tbl")))


def fill_placeholders(document: Document, values: Mapping[str, str]) -> None:
    """Replace every known ``{{name}}`` in the body, headers and footers with its value."""
    for story in _stories(document):
        for paragraph in story.iter(qn("w:p")):
            _fill(paragraph, values)


def _stories(document: Document) -> Iterator[BaseOxmlElement]:
    yield document.element.body
    for section in document.sections:
        for part in (
            section.header,
            section.first_page_header,
            section.even_page_header,
            section.footer,
            section.first_page_footer,
            section.even_page_footer,
        ):
            if not part.is_linked_to_previous:
                yield part._element


def _fill(paragraph: BaseOxmlElement, values: Mapping[str, str]) -> None:
    # only this paragraph's own text: a text box inside it has paragraphs of its own
    nodes = [t for t in paragraph.iter(qn("w:t")) if _paragraph_of(t) is paragraph]
    text = "".join(node.text or "" for node in nodes)
    # right to left, so the offsets of the matches still to do stay as they were
    for match in reversed(list(PLACEHOLDER.finditer(text))):
        key = match.group(1).lower()
        if key in values:
            _splice(nodes, match.start(), match.end(), xml_safe(values[key]))


def _paragraph_of(node: BaseOxmlElement) -> BaseOxmlElement | None:
    parent = node.getparent()
    while parent is not None and parent.tag != qn("w:p"):
        parent = parent.getparent()
    return parent


def _splice(nodes: list[BaseOxmlElement], start: int, end: int, value: str) -> None:
    """Replace characters ``start`` to ``end`` of the nodes' joined text with ``value``, which
    goes into the first node the span touches; the others lose their part of the span."""
    position, placed = 0, False
    for node in nodes:
        text = node.text or ""
        low, high = position, position + len(text)
        position = high
        if high <= start or low >= end:
            continue
        before, after = text[: max(start - low, 0)], text[end - low :] if end < high else ""
        node.text = before + ("" if placed else value) + after
        node.set(qn("xml:space"), "preserve")
        placed = True


def built_in_cover(document: Document, results: Mapping[str, Any], branding: Branding) -> None:
    """The HTML report's cover: firm (logo and name), title, client, the engagement's details
    and the confidentiality note."""
    values = cover_values(results, branding)
    firm = document.add_paragraph(style="Kicker")
    _logo(firm, branding)
    firm.add_run(xml_safe(branding.firm_name))
    title = document.add_paragraph(xml_safe(values["title"]), style="Title")
    title.paragraph_format.space_before = Pt(150)
    document.add_paragraph(xml_safe(values["client"]), style="Cover Client")
    for label, value in cover_details(results, branding):
        line = document.add_paragraph(style="Cover Detail")
        line.paragraph_format.tab_stops.add_tab_stop(Mm(45))
        line.add_run(f"{label}\t").bold = True
        line.add_run(xml_safe(value))
    note = document.add_paragraph(style="Small Print")
    note.paragraph_format.space_before = Pt(60)
    note.add_run(
        xml_safe(
            f"Confidential. Prepared for {values['client']} only; not to be passed to third "
            "parties without the client's consent."
        )
    )


def cover_details(results: Mapping[str, Any], branding: Branding) -> list[tuple[str, str]]:
    """The cover's details as the HTML cover lists them (``ReportBook.cover``)."""
    values = cover_values(results, branding)
    noun = programme_noun(dict(results))
    kind = {"establish": f"Establishing a {noun}", "optimize": f"Optimizing the {noun}"}.get(
        results["engagement"]["kind"], ""
    )
    details = [
        ("Client", values["client"]),
        ("Engagement", kind),
        ("Assessment wave", values["wave"]),
        ("Date of the data", values["date"]),
        ("Respondents", str(results["respondents"]["total"])),
    ]
    if branding.firm_name != Branding().firm_name:  # the default name is a product label
        details.append(("Prepared by", branding.firm_name))
    return [(label, value) for label, value in details if value]


def _logo(paragraph: Any, branding: Branding) -> None:
    """The firm's logo before its name, 14 mm high, when it is a PNG or JPEG. Word cannot show
    an SVG logo (only beside a PNG copy, which we do not have), so an SVG one is left out and
    the firm's name stands alone; so is a file that is not the picture its name says."""
    uri = branding.logo_data_uri or ""
    if not uri.startswith(("data:image/png;base64,", "data:image/jpeg;base64,")):
        return
    try:
        png = _as_png(base64.b64decode(uri.split(",", 1)[1], validate=True))
    except (binascii.Error, OSError, ValueError):
        return
    picture = paragraph.add_run().add_picture(io.BytesIO(png), height=Mm(14))
    set_alt_text(picture, f"{branding.firm_name} logo")
    paragraph.add_run("   ")


def _as_png(data: bytes) -> bytes:
    """The picture ``data`` read and written again as a PNG: python-docx measures a picture by
    parsing its file, and some PNG and JPEG files that browsers show it cannot parse."""
    with Image.open(io.BytesIO(data)) as image:
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
    return buffer.getvalue()
