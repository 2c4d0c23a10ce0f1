"""The deliverables consultants edit: the PowerPoint deck and the Word report, written beside the
HTML and PDF from the same results, in the firm's templates when it has them.

The HTML and PDF come from the executed report notebook (:mod:`pmo_assess.report.render`); the
deck and the document come from the results contract through :mod:`pmo_assess.report.content`,
the same words the notebook's sections use, so a report folder's files say the same things.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.core.timing import CpuStages
from pmo_assess.model.commentary import CommentaryPiece

if TYPE_CHECKING:  # the report's sections pull in charts: imported only when writing
    from pmo_assess.report.sections import ReportBook

#: The formats written here, and the file each becomes in a report folder.
OFFICE_FORMATS = ("pptx", "docx")
OUTPUT_NAMES = {
    "html": "report.html",
    "pdf": "report.pdf",
    "pptx": "deck.pptx",
    "docx": "report.docx",
}
#: A template's extensions, by the format it serves.
TEMPLATE_SUFFIXES = {"pptx": (".pptx", ".potx"), "docx": (".docx", ".dotx")}


def output_name(format_name: str) -> str:
    """The file a format is written to in a report folder: ``deck.pptx``, ``report.pdf``, ..."""
    return OUTPUT_NAMES[format_name]


def templates_by_format(paths: Sequence[str | Path]) -> dict[str, Path]:
    """``--template`` files told apart by extension, one per format; a clear error for a
    missing file, an unknown extension or two templates for one format."""
    chosen: dict[str, Path] = {}
    for given in paths:
        path = Path(given)
        format_name = next(
            (f for f, suffixes in TEMPLATE_SUFFIXES.items() if path.suffix.lower() in suffixes),
            None,
        )
        if format_name is None:
            raise PmoAssessError(
                f"--template {given}: a template is a PowerPoint (.pptx, .potx) or Word (.docx, "
                ".dotx) file; the extension tells which format it serves."
            )
        if not path.is_file():
            raise PmoAssessError(f"--template {given}: file not found.")
        if format_name in chosen:
            raise PmoAssessError(
                f"--template {given}: a {format_name} template was given already "
                f"({chosen[format_name]}); give one template per format."
            )
        chosen[format_name] = path
    return chosen


def export_office(
    book: ReportBook,
    folder: Path,
    formats: Sequence[str],
    templates: Mapping[str, Path] | None = None,
    commentary: Sequence[CommentaryPiece] = (),
    pictures: Mapping[str, bytes] | None = None,
    stages: CpuStages | None = None,
) -> dict[str, Path]:
    """Write the deck and/or the Word report of ``book`` into ``folder``; the template for a
    format is ``templates[format]``, else the one the branding names, else the built-in.
    ``pictures`` are charts the HTML report drew already (PNG by chart key), which the Word
    report reuses instead of drawing them again. CPU time is counted in ``stages`` by format."""
    from pmo_assess.report.deck import write_deck
    from pmo_assess.report.document import write_document

    templates = templates or {}
    stages = stages or CpuStages()
    written: dict[str, Path] = {}
    if "pptx" in formats:
        target = folder / output_name("pptx")
        template = templates.get("pptx") or book.branding.template_for("pptx")
        with stages.stage("pptx"):
            written["pptx"] = write_deck(
                book,
                target,
                template=template,
                layout_names=book.branding.deck_layouts,
                commentary=commentary,
            )
    if "docx" in formats:
        target = folder / output_name("docx")
        template = templates.get("docx") or book.branding.template_for("docx")
        with stages.stage("docx"):
            written["docx"] = write_document(
                book, target, template=template, commentary=commentary, pictures=pictures
            )
    return written


_DRAWN = re.compile(
    r'<figure class="exhibit"[^>]*\sdata-chart="(?P<chart>[a-z_]+)"[^>]*>\s*'
    r'<img src="data:image/png;base64,(?P<png>[A-Za-z0-9+/=]+)"'
)


def drawn_charts(html_outputs: Sequence[str]) -> dict[str, bytes]:
    """The chart pictures in the executed report notebook's HTML outputs, by chart key."""
    found: dict[str, bytes] = {}
    for html in html_outputs:
        for match in _DRAWN.finditer(html):
            found.setdefault(match["chart"], base64.b64decode(match["png"]))
    return found
