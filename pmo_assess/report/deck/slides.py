"""What each slide of the deck says, from the report's content: the storyline of a
steering-committee deck, each slide with its action title, source line and speaker notes.

The slides, in order, each left out when it has nothing to show: title; executive summary;
scorecard; maturity against target and peers (radar); gaps by priority; questions respondents
disagree on; how roles differ; position against peers; progress since the baseline; the roadmap
(Gantt, then its table); next steps (the engagement's frame); the appendix on method and
respondents. Words come from :func:`pmo_assess.report.content.report_content`; chart data from
:mod:`pmo_assess.report.deck.charts`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pmo_assess.report.anchors import order
from pmo_assess.report.branding import Branding
from pmo_assess.report.content import Exhibit, Section, Table
from pmo_assess.report.deck.charts import NATIVE, ChartData
from pmo_assess.report.text.phrases import date_text

#: The summary's findings the deck shows (the issue asks for three to five messages).
MAX_FINDINGS = 5


@dataclass(frozen=True)
class SlidePlan:
    """One slide before it is written: its layout ``role``, the ``section`` (commentary anchor)
    it belongs to, its action title and source line, the speaker ``notes``, and one body: text
    (``paragraphs`` or ``bullets``, with ``side`` bullets under ``side_heading`` beside them and
    headline ``figures`` above), a ``chart`` (under a ``caption``) or a ``table``."""

    role: str
    section: str
    title: str
    source: str = ""
    notes: tuple[str, ...] = ()
    subtitle: str = ""
    paragraphs: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()
    side_heading: str = ""
    side: tuple[str, ...] = ()
    figures: tuple[tuple[str, str], ...] = ()
    caption: str = ""
    chart: ChartData | None = None
    table: Table | None = None


def plan_deck(
    results: dict[str, Any], sections: tuple[Section, ...], branding: Branding
) -> list[SlidePlan]:
    """The deck's slides, in order, for one client's results and their report content
    (:func:`pmo_assess.report.content.report_content`)."""
    by_key = {s.key: s for s in sections}
    summary = by_key["summary"]
    slides = [_title_slide(results, summary, branding), _summary_slide(summary)]
    slides.append(_table_slide(by_key["scorecard"], by_key["scorecard"].tables[0]))
    for more in (_profile_slides, _agreement_slides, _peer_slides, _trend_slides, _roadmap_slides):
        slides += more(results, by_key)
    return [*slides, _next_steps(by_key["frame"], summary), _appendix(by_key["method"], summary)]


def _title_slide(results: dict[str, Any], summary: Section, branding: Branding) -> SlidePlan:
    wave = results["wave"]
    held = date_text(wave["held_on"])
    lines = [results["client"]["name"], f"Wave {wave['label']}" + (f", {held}" if held else "")]
    if branding.firm_name != Branding().firm_name:  # the default is a product label, not a firm
        lines.append(f"Prepared by {branding.firm_name}")
    return SlidePlan(
        "title",
        "cover",
        results["questionnaire"]["title"],
        subtitle="\n".join(lines),
        notes=(summary.title, *summary.talking_points),
    )


def _summary_slide(summary: Section) -> SlidePlan:
    parts = {p.key: p for p in summary.parts}
    return SlidePlan(
        "content",
        "summary",
        summary.title,
        summary.source,
        notes=(*summary.talking_points, *summary.paragraphs, *parts["implications"].paragraphs),
        bullets=parts["findings"].bullets[:MAX_FINDINGS],
        side_heading=parts["priorities"].heading,
        side=parts["priorities"].bullets,
        figures=summary.figures,
    )


def _table_slide(
    section: Section, table: Table, title: str = "", source: str = "", notes: tuple[str, ...] = ()
) -> SlidePlan:
    return SlidePlan(
        "title_only",
        section.key,
        title or section.title or section.heading,
        source or section.source,
        notes=notes or (*section.talking_points, *section.notes),
        table=table,
    )


def _exhibit(section: Section | None, kind: str) -> Exhibit | None:
    return next((e for e in (section.exhibits if section else ()) if e.kind == kind), None)


def _chart_slide(
    results: dict[str, Any],
    section: Section | None,
    kind: str,
    caption: str = "",
    extra: tuple[str, ...] = (),
) -> list[SlidePlan]:
    exhibit, chart = _exhibit(section, kind), NATIVE[kind](results)
    if section is None or exhibit is None or chart is None:
        return []
    return [
        SlidePlan(
            "title_only",
            section.key,
            exhibit.title or section.heading,
            exhibit.source,
            notes=(exhibit.alt, *extra),
            caption=caption,
            chart=chart,
        )
    ]


def _profile_slides(results: dict[str, Any], by_key: dict[str, Section]) -> list[SlidePlan]:
    profile = by_key.get("profile")
    return _chart_slide(results, profile, "radar") + _chart_slide(results, profile, "gap")


def _peer_slides(results: dict[str, Any], by_key: dict[str, Section]) -> list[SlidePlan]:
    peers = by_key.get("peers")
    if peers is None:
        return []
    return _chart_slide(results, peers, "peers", " ".join(peers.paragraphs), peers.notes)


def _agreement_slides(results: dict[str, Any], by_key: dict[str, Section]) -> list[SlidePlan]:
    section = by_key["agreement"]
    slides = []
    exhibit = _exhibit(section, "agreement")
    if section.tables:
        quotes = next((p.bullets for p in section.parts if p.key == "quotes"), ())
        slides.append(
            _table_slide(
                section,
                section.tables[0],
                exhibit.title if exhibit else section.title,
                exhibit.source if exhibit else "",
                ((exhibit.alt,) if exhibit else ()) + quotes,
            )
        )
    return slides + _chart_slide(results, section, "roles")


def _trend_slides(results: dict[str, Any], by_key: dict[str, Section]) -> list[SlidePlan]:
    section = by_key.get("trend")
    if section is None:
        return []
    table = section.tables[0]
    rows = tuple(
        ": ".join((r[0], " → ".join(r[1:3]) + f" (target {r[3]}, progress {r[4]})"))
        for r in table.rows
    )
    return _chart_slide(results, section, "trend", extra=(*rows, *section.notes))


def _roadmap_slides(results: dict[str, Any], by_key: dict[str, Section]) -> list[SlidePlan]:
    section = by_key["roadmap"]
    if not section.tables:
        return []
    gantt = _chart_slide(results, section, "roadmap")
    title = gantt[0].title if gantt else section.heading
    return [
        *gantt,
        _table_slide(section, section.tables[0], title, gantt[0].source if gantt else ""),
    ]


def _next_steps(frame: Section, summary: Section) -> SlidePlan:
    """The engagement's frame as next steps: where the client stands on each step."""
    rows = tuple((step.heading, step.title, step.paragraphs[0]) for step in frame.parts)
    table = Table(("Step", "Where it stands", "What it means"), rows, (False, False, False))
    return _table_slide(
        frame, table, source=summary.source, notes=(*frame.paragraphs, *frame.talking_points)
    )


def _appendix(method: Section, summary: Section) -> SlidePlan:
    notes = {p.heading: p.paragraphs[0] for p in method.parts if p.paragraphs}
    shown = [
        notes[h]
        for h in ("Questionnaire", "Respondents", "Data quality", "Benchmark")
        if h in notes
    ]
    respondents = notes.get("Respondents", "")
    title = re.split(r"(?<=\.)\s", respondents, maxsplit=1)[0].rstrip(".") or method.heading
    return SlidePlan(
        "content",
        "method",
        title,
        summary.source,
        notes=(notes.get("Scoring", ""), *method.talking_points),
        paragraphs=tuple(shown),
    )


def commentary_slide(plans: list[SlidePlan], anchor: str) -> int:
    """The index of the slide a piece of commentary on section ``anchor`` goes with: the first
    slide of that section, else the last slide of the nearest section before it in the report."""
    for index, plan in enumerate(plans):
        if plan.section == anchor:
            return index
    wanted = order(anchor)
    before = [i for i, plan in enumerate(plans) if order(plan.section) <= wanted]
    return before[-1] if before else 0
