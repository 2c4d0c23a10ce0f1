"""The document a Word report is written into: a firm's template, or the built-in one.

A firm's template is a Word document (``.docx``) or Word template (``.dotx``) made in Word the
way the firm makes its reports. From it the report takes

- its **styles**: Normal, Heading 1 to 3, Title, Caption, Header, Footer, the List styles and,
  for every table, the table style named ``Report Table`` (the report's own styles are listed
  in :mod:`pmo_assess.report.document.styles`; those the template lacks are added in the house
  look);
- its **page setup, header and footer**, to which "Confidential" and "Page X of Y" are added
  where they are missing (:mod:`pmo_assess.report.document.pages`);
- its **body, as the cover**: kept as it is, with ``{{client}}``, ``{{title}}``, ``{{wave}}``,
  ``{{date}}`` and ``{{firm}}`` filled in (:mod:`pmo_assess.report.document.cover`); a
  template with an empty body gets the built-in cover.

Without a template the report is written into python-docx's blank document, restyled in the
house look of the HTML report: A4, the print margins, Lato, the brand colour on headings.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
from docx.document import Document
from docx.opc.exceptions import OpcError
from lxml.etree import XMLSyntaxError

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.report.document.pages import a4_pages
from pmo_assess.report.document.styles import house_styles, missing_styles

SUFFIXES = (".docx", ".dotx")
#: The main part's content type in a Word template and in a Word document: all that tells a
#: ``.dotx`` from the ``.docx`` it would save as (python-docx opens documents only).
TEMPLATE_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
DOCUMENT_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def open_document(template: Path | None, brand: str) -> Document:
    """The firm's ``template`` with the styles the report needs, or the built-in document in
    the house style, brand colour ``brand`` (``#RRGGBB``) on its headings."""
    if template is None:
        document = docx.Document()
        house_styles(document, brand)
        a4_pages(document)
        return document
    document = read_template(template)
    missing_styles(document, brand)
    return document


def read_template(path: Path) -> Document:
    """The Word document or template at ``path``, or an error that says what is wrong with it
    and how to fix it."""
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise PmoAssessError(
            f"Word template {path}: a template must be a Word document or template ending in "
            f".docx or .dotx; got '{path.suffix}'. In Word, save it with File > Save As > "
            "Word Document (*.docx)."
        )
    if not path.is_file():
        raise PmoAssessError(
            f"Word template {path} does not exist. Give the path of the firm's .docx template, "
            "or leave the template out for the built-in document."
        )
    try:
        if path.suffix.lower() == ".dotx":
            return docx.Document(_as_document(path))
        return docx.Document(str(path))
    except (zipfile.BadZipFile, OpcError, KeyError, ValueError, XMLSyntaxError) as exc:
        raise PmoAssessError(
            f"Word template {path} cannot be read as a Word document ({exc}). Open it in Word "
            "and save it again as a Word Document (*.docx)."
        ) from exc


def _as_document(path: Path) -> io.BytesIO:
    """The ``.dotx`` template at ``path`` as the ``.docx`` Word would make of it: the same
    parts, the main part typed as a document's."""
    copy = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(TEMPLATE_TYPE, DOCUMENT_TYPE)
            out.writestr(item, data)
    copy.seek(0)
    return copy
