"""The consultant's commentary in a report: Markdown cells added to a kept ``report.ipynb``,
which become HTML in the client's report and so are sanitised on the way."""

from __future__ import annotations

from functools import cache

from nbconvert.preprocessors.sanitize import SanitizeHTML

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
