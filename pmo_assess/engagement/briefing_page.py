"""The briefing as HTML: the article that shows a :class:`~pmo_assess.engagement.briefing.Briefing`, and the
whole self-contained page around it.

Everything here is markup and styling. Each value the briefing holds is escaped on the way in;
the stylesheet (``briefing_assets/briefing.css``) and the Lato fonts are inlined, so the page
fetches nothing and runs no script. Each density step tightens the layout a little more;
:func:`pmo_assess.engagement.briefing.write_briefing` steps up until the PDF fits one A4 page.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

from pmo_assess.core.paths import PACKAGE_DIR
from pmo_assess.report.html import esc

if TYPE_CHECKING:
    from pmo_assess.engagement.briefing import Briefing

ASSETS = PACKAGE_DIR / "engagement" / "briefing_assets"
FONTS = PACKAGE_DIR / "report" / "assets" / "fonts"


def briefing_article(briefing: Briefing, density: int = 0) -> str:
    """The briefing's body, every value escaped."""
    held = f" ({esc(briefing.held_on)})" if briefing.held_on else ""
    gaps = (
        "".join(
            f"<tr><td>{esc(d)}</td><td class='num'>{esc(s)}</td><td class='num'>{esc(t)}</td>"
            f"<td class='num'>{esc(g)}</td></tr>"
            for d, s, t, g in briefing.gaps
        )
        or "<tr><td colspan='4'>Every dimension meets its target.</td></tr>"
    )
    benefits = "".join(
        f"<tr><th scope='row'>{esc(n)}<span class='why'>{esc(e)}</span></th><td>{esc(m)}</td></tr>"
        for n, e, m in briefing.benefits
    )
    figures = "".join(
        f"<li>{esc(f.statement)}<span class='source'>Source: {esc(f.cited)}</span></li>"
        for f in briefing.figures
    )
    asks = "".join(f"<li><strong>{esc(h)}.</strong> {esc(t)}</li>" for h, t in briefing.asks)
    cards = (
        ("Overall score", briefing.overall),
        ("Target", briefing.target),
        ("Share of target", briefing.share_of_target),
    )
    return (
        f"<article class='pmo-briefing density-{density}'>"
        f"<header><p class='kicker'>Executive briefing · Confidential</p><h1>{esc(briefing.title)}</h1>"
        f"<p class='client'>{esc(briefing.client)} · wave {esc(briefing.wave)}{held}</p></header>"
        "<div class='cards'>"
        + "".join(
            f"<div class='card'><span class='value'>{esc(v)}</span><span class='label'>{esc(k)}</span></div>"
            for k, v in cards
        )
        + "</div>"
        "<h2>Largest gaps to target</h2><table class='gaps'><thead><tr><th>Dimension</th>"
        f"<th class='num'>Score</th><th class='num'>Target</th><th class='num'>Gap</th></tr></thead><tbody>{gaps}</tbody></table>"
        f"<h2>What a PMO brings, and what it means here</h2><table class='benefits'><tbody>{benefits}</tbody></table>"
        f"<h2>What published studies show</h2><ul class='figures'>{figures}</ul>"
        + (f"<p class='position'>{esc(briefing.position)}</p>" if briefing.position else "")
        + f"<h2>Our ask of senior management</h2><ol class='asks'>{asks}</ol>"
        "<footer>Published figures come from industry studies with their own samples and "
        "definitions: they show direction, not a forecast for this organisation.</footer></article>"
    )


def briefing_page(briefing: Briefing, density: int = 0) -> str:
    """The whole self-contained page: stylesheet and fonts inlined, nothing fetched."""
    faces = "".join(
        f'@font-face {{ font-family: "Lato"; font-weight: {weight}; '
        f'src: url("data:font/ttf;base64,{base64.b64encode((FONTS / name).read_bytes()).decode()}"); }}'
        for name, weight in (("Lato-Regular.ttf", 400), ("Lato-Bold.ttf", 700))
    )
    css = (ASSETS / "briefing.css").read_text(encoding="utf-8")
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{esc(briefing.title)}"
        f"</title><style>{faces}\nbody {{ margin: 0; }}\n{css}</style></head><body>{briefing_article(briefing, density)}</body></html>\n"
    )
