"""What the package's HTML is made with: escaped text, numbers as the pages show them, and
:class:`Html`, the markup a notebook displays.

The markup itself is in Jinja2 templates (:mod:`pmo_assess.report.templates`), which escape every
value as :func:`esc` does; ``esc`` is for the few widgets that still write small pieces of HTML.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from pmo_assess.core.rounding import number_text, percent_text


def esc(value: object) -> str:
    """Text made safe for HTML, quotes included.

    >>> esc('<script>alert("x")</script> & Co')
    '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co'
    """
    return html.escape("" if value is None else str(value), quote=True)


def score(value: float | None, precision: int = 1) -> str:
    """A score as shown (halves up, ``precision`` decimals), or an en dash when there is none."""
    return number_text(value, precision)


def percent(value: float | None) -> str:
    """A share as a whole percentage, as the report's words write it; an en dash for none."""
    return percent_text(value)


@dataclass(frozen=True)
class Html:
    """Markup that notebooks display as HTML (and nbconvert copies into the report)."""

    markup: str

    def _repr_html_(self) -> str:
        return self.markup

    def __str__(self) -> str:
        return self.markup
