"""What the report's nbconvert template needs beyond nbconvert itself: the preprocessor that lets
``jupyter nbconvert`` render a report notebook alone, and the sanitiser of the consultant's
commentary."""

from __future__ import annotations

from functools import cache
from typing import Any

import nbformat
from nbconvert.preprocessors import Preprocessor
from nbconvert.preprocessors.sanitize import SanitizeHTML

from pmo_assess.report.branding import Branding
from pmo_assess.report.render import stylesheet

#: What a consultant's Markdown commentary keeps once it is HTML: the tags Markdown writes
#: (headings and their anchor links, paragraphs, emphasis, lists, tables, quotes, code, links).
#: Anything else (script, frames, images, objects, forms, ``link``, ``style``, ``meta``) is
#: dropped, and so is every attribute not listed (event handlers, ``src``, ``style`` beyond text
#: alignment). Links keep only http, https and mailto addresses, and anchors within the report.
COMMENTARY_TAGS = [
    *("h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "pre", "code"),
    *("em", "strong", "b", "i", "del", "s", "sub", "sup", "abbr", "kbd", "span", "div"),
    *("ul", "ol", "li", "dl", "dt", "dd", "a"),
    *("table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td"),
]
COMMENTARY_ATTRIBUTES = {
    "*": ["class", "id"],
    "a": ["class", "id", "href", "title"],
    "abbr": ["title"],
    "ol": ["start"],
    "th": ["style", "colspan", "rowspan"],
    "td": ["style", "colspan", "rowspan"],
}


def sanitize_commentary(html: str) -> str:
    """A commentary cell's HTML (its Markdown, rendered) through nbconvert's sanitiser, keeping
    only :data:`COMMENTARY_TAGS` and :data:`COMMENTARY_ATTRIBUTES`; what is not allowed is
    removed, not shown as text. The ``pmo_report`` template applies it as a filter.

    >>> sanitize_commentary('<h2 id="x">Plan</h2><script>alert(1)</script><img src=x onerror=y()>')
    '<h2 id="x">Plan</h2>alert(1)'
    """
    return _commentary_sanitizer().sanitize_html_tags(html)


@cache
def _commentary_sanitizer() -> SanitizeHTML:
    # nbconvert 7 sanitises with bleach. Its ``clean_html`` filter would escape the headings,
    # paragraphs and table parts Markdown writes (they are not on its list), hence this one.
    return SanitizeHTML(
        tags=COMMENTARY_TAGS,
        attributes=COMMENTARY_ATTRIBUTES,
        styles=["text-align"],
        strip=True,
        strip_comments=True,
    )


class ReportPreprocessor(Preprocessor):
    """Gives the ``pmo_report`` template what it needs when nbconvert runs alone.

    ``notebook_html`` passes the title, language and stylesheet itself; this fills any that are
    missing (default branding), so ``jupyter nbconvert --to html --template pmo_report
    --HTMLExporter.preprocessors=pmo_assess.report.preprocessor.ReportPreprocessor`` also works.
    Add ``--HTMLExporter.filters="{'sanitize_commentary':
    'pmo_assess.report.preprocessor.sanitize_commentary'}"`` for the commentary to keep its
    headings and tables; without it the template falls back to nbconvert's stricter
    ``clean_html``.
    """

    def preprocess(
        self, nb: nbformat.NotebookNode, resources: dict[str, Any]
    ) -> tuple[nbformat.NotebookNode, dict[str, Any]]:
        meta = nb.metadata.get("pmo_assess", {})
        report = resources.setdefault("report", {})
        report.setdefault("lang", meta.get("lang", "en"))
        report.setdefault("title", meta.get("title", "Report"))
        if "css" not in report:
            report["css"] = stylesheet(Branding())
        return nb, resources
