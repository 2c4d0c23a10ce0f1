"""The editable Word report of one client and wave: ``report.docx``.

The same sections and words as the HTML report, from the same content
(:func:`pmo_assess.report.content.report_content`): a cover, a table of contents (a Word field,
filled when the consultant updates it), then every section under a real heading, with its
action title, native tables, charts as pictures with alt text, numbered captions and source
lines, and the consultant's commentary after the section it belongs to. Written in the firm's
template when there is one (:mod:`pmo_assess.report.document.template`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from docx.document import Document

from pmo_assess.core.atomic import atomic_path
from pmo_assess.model.commentary import CommentaryPiece
from pmo_assess.report.anchors import order
from pmo_assess.report.content import report_content
from pmo_assess.report.document.body import SectionWriter
from pmo_assess.report.document.cover import (
    built_in_cover,
    cover_values,
    fill_placeholders,
    has_cover,
)
from pmo_assess.report.document.fields import (
    TOC_INSTRUCTION,
    TOC_PLACEHOLDER,
    add_field,
    xml_safe,
)
from pmo_assess.report.document.markdown import write_markdown
from pmo_assess.report.document.pages import running_head
from pmo_assess.report.document.template import open_document
from pmo_assess.report.sections import ReportBook


def write_document(
    book: ReportBook,
    target: Path,
    *,
    template: Path | None = None,
    commentary: Sequence[CommentaryPiece] = (),
    pictures: Mapping[str, bytes] | None = None,
) -> Path:
    """Write the report of ``book`` as a Word document to ``target`` (atomically: a reader sees
    the previous file or the new one) and return ``target``.

    Parameters
    ----------
    book
        The report's results, branding and questionnaire (:meth:`ReportBook.load`).
    target
        Where to write, usually ``reports/<client>/<wave>/report.docx``.
    template
        The firm's Word template (``.docx``): its styles, header, footer and cover are used.
    commentary
        The consultant's commentary; each piece follows the section its ``anchor`` names.
    pictures
        Charts drawn already, as PNG bytes at 200 dpi by exhibit kind (a key of
        :data:`pmo_assess.charts.exhibits.CHARTS`), so a run that renders several formats
        draws each chart once; those not given are drawn here.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from docx import Document
    >>> from pmo_assess.engagement.demo import build_demo_workspace
    >>> from pmo_assess.insight.results import build_results
    >>> from pmo_assess.store.repository import Store
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> with Store.open(workspace=folder / "ws") as store:
    ...     _ = build_demo_workspace(store, clients=1)
    ...     _ = (folder / "results.json").write_text(
    ...         build_results(store, "quellbach-prazision").to_json(), encoding="utf-8")
    >>> book = ReportBook.load(folder / "results.json")
    >>> path = write_document(book, folder / "report.docx")
    >>> Document(str(path)).paragraphs[0].style.name
    'Kicker'
    """
    results, branding = book.results, book.branding
    document = open_document(template, branding.primary)
    if template is not None:
        fill_placeholders(document, cover_values(results, branding))
    if template is None or not has_cover(document):
        built_in_cover(document, results, branding)
    sections = report_content(results, book.questionnaire)
    pieces = _by_section(commentary, [s.key for s in sections])
    _commentary(document, pieces["cover"])
    _contents(document)
    _commentary(document, pieces["contents"])
    writer = SectionWriter(
        document, results, book.questionnaire, branding.primary, dict(pictures or {})
    )
    for section in sections:
        writer.section(section)
        _commentary(document, pieces[section.key])
    running_head(document, results["client"]["name"], branding.firm_name)
    _properties(document, results, branding.firm_name)
    with atomic_path(target) as temporary:
        document.save(str(temporary))
    return Path(target)


def _contents(document: Document) -> None:
    """The table of contents on a page of its own: a TOC field over headings 1 to 3."""
    heading = document.add_paragraph("Contents", style="TOC Heading")
    heading.paragraph_format.page_break_before = True
    add_field(document.add_paragraph(), TOC_INSTRUCTION, TOC_PLACEHOLDER)


def _by_section(
    commentary: Iterable[CommentaryPiece], keys: list[str]
) -> defaultdict[str, list[CommentaryPiece]]:
    """The commentary under the section each piece follows: its anchor, or, when this report
    has no such section (no trend in a report of one wave), the last section before it in
    report order, so no piece is lost."""
    present = ["cover", "contents", *keys]
    placed: defaultdict[str, list[CommentaryPiece]] = defaultdict(list)
    for piece in commentary:
        where = piece.anchor
        if where not in present:
            where = max((k for k in present if order(k) <= order(where)), key=order)
        placed[where].append(piece)
    return placed


def _commentary(document: Document, pieces: list[CommentaryPiece]) -> None:
    for piece in pieces:
        write_markdown(document, piece.markdown)


def _properties(document: Document, results: dict[str, Any], firm: str) -> None:
    """The file's properties name this report only: a template's own (perhaps another
    client's report it was saved from) are replaced or cleared."""
    properties, client = document.core_properties, xml_safe(results["client"]["name"])
    properties.title = xml_safe(f"{results['questionnaire']['title']}: {client}")[:255]
    properties.subject = client[:255]
    properties.author = properties.last_modified_by = xml_safe(firm)[:255]
    properties.keywords = properties.comments = properties.category = ""
    properties.identifier = properties.content_status = properties.version = ""
