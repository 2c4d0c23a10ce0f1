"""The briefing as HTML: what the one page says (:class:`Briefing`, plain text), the article that
shows it, and the whole self-contained page around it.

The markup and styling are in ``briefing_assets``: the templates ``briefing_article.html.j2``,
``briefing_page.html.j2`` and ``briefing_preview.html.j2`` (rendered by
:mod:`pmo_assess.report.templates`, which escapes every value the briefing holds) and
``briefing.css``. The stylesheet and the Lato fonts are inlined, so the page fetches nothing and
runs no script. Each density step tightens the layout a little more;
:func:`pmo_assess.engagement.briefing.write_briefing` steps up until the PDF fits one A4 page.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from pmo_assess.core.paths import PACKAGE_DIR
from pmo_assess.engagement.briefing_data import ReferenceFigure
from pmo_assess.report.templates import render

FONTS = PACKAGE_DIR / "report" / "assets" / "fonts"


@dataclass(frozen=True)
class Briefing:
    """What the one-page briefing says about one client and wave; plain text, escaped later."""

    client: str
    title: str
    wave: str
    held_on: str | None
    overall: str
    target: str
    share_of_target: str
    gaps: tuple[tuple[str, str, str, str], ...]  # dimension, score, target, gap
    benefits: tuple[tuple[str, str, str], ...]  # name, explanation, what it means here
    figures: tuple[ReferenceFigure, ...]
    position: str
    asks: tuple[tuple[str, str], ...]  # heading, text

    def _repr_html_(self) -> str:
        return render("briefing_preview.html.j2", **_values(self, 0))


def briefing_article(briefing: Briefing, density: int = 0) -> str:
    """The briefing's body, every value escaped."""
    return render("briefing_article.html.j2", **_values(briefing, density))


def briefing_page(briefing: Briefing, density: int = 0) -> str:
    """The whole self-contained page: stylesheet and fonts inlined, nothing fetched."""
    return render("briefing_page.html.j2", fonts=_fonts(), **_values(briefing, density))


def _values(briefing: Briefing, density: int) -> dict[str, Any]:
    """What the briefing templates show, as plain values."""
    return {
        "density": density,
        "title": briefing.title,
        "client": briefing.client,
        "wave": briefing.wave,
        "held_on": briefing.held_on,
        "cards": [
            ("Overall score", briefing.overall),
            ("Target", briefing.target),
            ("Share of target", briefing.share_of_target),
        ],
        "gaps": briefing.gaps,
        "benefits": briefing.benefits,
        "figures": [{"statement": f.statement, "cited": f.cited} for f in briefing.figures],
        "position": briefing.position,
        "asks": briefing.asks,
    }


def _fonts() -> list[dict[str, Any]]:
    """The two Lato faces the page embeds, base64-encoded."""
    return [
        {"weight": weight, "data": base64.b64encode((FONTS / name).read_bytes()).decode()}
        for name, weight in (("Lato-Regular.ttf", 400), ("Lato-Bold.ttf", 700))
    ]
