"""Small HTML building blocks for the report: escaped text, tables, exhibits, sections.

Every piece of data that reaches HTML passes through :func:`esc`; nothing else builds markup.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


def esc(value: object) -> str:
    """Text made safe for HTML, quotes included.

    >>> esc('<script>alert("x")</script> & Co')
    '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co'
    """
    return html.escape("" if value is None else str(value), quote=True)


def score(value: float | None, digits: int = 1) -> str:
    """A score with one decimal, or an en dash when there is none."""
    return "–" if value is None else f"{value:.{digits}f}"


def percent(value: float | None) -> str:
    """A share as a whole percentage."""
    return "–" if value is None else f"{value:.0%}"


@dataclass(frozen=True)
class Html:
    """Markup that notebooks display as HTML (and nbconvert copies into the report)."""

    markup: str

    def _repr_html_(self) -> str:
        return self.markup

    def __str__(self) -> str:
        return self.markup


def section(
    anchor: str,
    kicker: str,
    heading: str,
    body: str,
    action_title: object = "",
    continues: bool = False,
) -> Html:
    """A report section: new page in print, kicker, heading (in the contents) and action title
    (text, or anything with a ``text`` attribute such as ``report_text.ActionTitle``)."""
    classes = "report-section continues" if continues else "report-section"
    words = getattr(action_title, "text", action_title)
    title = f'<p class="action-title">{esc(words)}</p>' if words else ""
    return Html(
        f'<section class="{classes}" id="section-{esc(anchor)}"><p class="kicker">{esc(kicker)}</p>'
        f'<h2 id="{esc(anchor)}">{esc(heading)}</h2>{title}{body}</section>'
    )


def table(
    headers: Sequence[tuple[str, str]],
    rows: Iterable[Sequence[str]],
    css: str = "",
    row_classes: Sequence[str] | None = None,
) -> str:
    """A table; ``headers`` are (label, "num" or "") and cells are already-escaped markup."""
    head = "".join(f'<th class="{kind}" scope="col">{esc(label)}</th>' for label, kind in headers)
    body = []
    for i, row in enumerate(rows):
        cells = "".join(f'<td class="{headers[j][1]}">{cell}</td>' for j, cell in enumerate(row))
        extra = f' class="{row_classes[i]}"' if row_classes and row_classes[i] else ""
        body.append(f"<tr{extra}>{cells}</tr>")
    # a short table is kept on one page; a long one may break between rows, its header repeated
    classes = f"{css} keep-together".strip() if len(body) <= 15 else css
    return f'<table class="{classes}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def exhibit(number: int, image_uri: str, title: str, alt: str, source: str) -> str:
    """A numbered figure: the chart image (a data URI) with alt text, its action title as the
    caption, and a source line."""
    return (
        f'<figure class="exhibit" id="exhibit-{number}"><img src="{esc(image_uri)}" alt="{esc(alt)}">'
        f'<figcaption><span class="num">Exhibit {number}.</span> {esc(title)}'
        f'<div class="source">{esc(source)}</div></figcaption></figure>'
    )


def bullets(items: Iterable[str], css: str = "") -> str:
    """A list of plain-text items."""
    return f'<ul class="{css}">' + "".join(f"<li>{esc(item)}</li>" for item in items) + "</ul>"
