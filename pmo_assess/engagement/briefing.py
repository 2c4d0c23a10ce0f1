"""The one-page executive briefing that asks senior management to back the PMO.

It ties the five benefits of a PMO to this client's gaps, cites published figures with their
sources, and states the ask: a sponsor, decision rights, and time for the roadmap's first phase.
The ask follows the decisions of the implementation plan (04): it names the agreed actions once
there are any, the proposed ones (saying so) before, and never a dropped one.
What it says about benefits, figures and asks is data (``briefing_benefits.yaml``, loaded and
validated by :mod:`pmo_assess.engagement.briefing_data`); :func:`write_briefing` writes
``briefings/<client>/<wave>/briefing.html`` and ``.pdf`` inside the workspace, one A4 page,
self-contained (fonts embedded, no script, no link out).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import pandas as pd

from pmo_assess.core.atomic import atomic_path, write_text_atomic
from pmo_assess.core.workspace import inside
from pmo_assess.engagement.briefing_data import (
    Benefit,
    BriefingData,
    ReferenceFigure,
    load_briefing_data,
)
from pmo_assess.engagement.briefing_page import Briefing, briefing_page
from pmo_assess.engagement.house_table import HouseTable, cell_text, house_table
from pmo_assess.engagement.notebook import file_link
from pmo_assess.engagement.plan import DROPPED, UNDECIDED, decisions
from pmo_assess.insight.results import build_results
from pmo_assess.insight.roadmap import EFFORT_POINTS, PHASES
from pmo_assess.model.questionnaire import PMO_FUNCTIONS, Questionnaire
from pmo_assess.report.guard import render_safely
from pmo_assess.report.markup import percent, score
from pmo_assess.report.text.facts import below_target, short_name
from pmo_assess.report.text.phrases import join_list, plural
from pmo_assess.store.questionnaires import engagement_questionnaire as kept_questionnaire
from pmo_assess.store.repository import Store

EFFORT_WORDS = {"S": "small", "M": "medium", "L": "large"}
#: The statuses of an action the client agreed to fund (done ones need no more).
AGREED = ("accepted", "in-progress")
#: Each density shrinks the page a step; the first that fits one A4 page is kept.
DENSITIES = 3


def build_briefing(store: Store, client_slug: str, wave: str | None = None) -> Briefing:
    """The briefing of a client's wave (the latest when ``wave`` is None), with the decisions
    recorded in 04: a dropped action is never asked for."""
    results = briefing_results(store, client_slug, wave)
    questionnaire = kept_questionnaire(store.workspace, store.engagement(client_slug))
    return briefing_from_results(results, questionnaire, load_briefing_data())


def briefing_results(store: Store, client_slug: str, wave: str | None = None) -> dict[str, Any]:
    """The wave's results (``ClientResults.to_dict()``) with the plan's decisions applied by
    :func:`with_decisions`."""
    results = build_results(store, client_slug, wave).to_dict()
    statuses = {a: d.status for a, d in decisions(store, client_slug).items()}
    return with_decisions(results, statuses)


def with_decisions(results: dict[str, Any], statuses: Mapping[str, str]) -> dict[str, Any]:
    """The results with each roadmap action's status (``proposed`` when undecided) and without
    the dropped ones, whose number goes to ``roadmap["dropped"]``.

    >>> items = [{"action_id": "a"}, {"action_id": "b"}]
    >>> roadmap = with_decisions({"roadmap": {"items": items}}, {"a": "dropped"})["roadmap"]
    >>> roadmap
    {'items': [{'action_id': 'b', 'status': 'proposed'}], 'dropped': 1}
    """
    items = [
        i | {"status": statuses.get(i["action_id"], UNDECIDED)} for i in results["roadmap"]["items"]
    ]
    kept = [i for i in items if i["status"] != DROPPED]
    return results | {
        "roadmap": results["roadmap"] | {"items": kept, "dropped": len(items) - len(kept)}
    }


def briefing_from_results(
    results: dict[str, Any], questionnaire: Questionnaire, data: BriefingData
) -> Briefing:
    """The briefing's words from a results dict (``ClientResults.to_dict()``)."""
    overall = results["assessment"]["overall"]
    targets = [d["target"] for d in results["assessment"]["dimensions"] if d["target"] is not None]
    target = sum(targets) / len(targets) if targets else None
    name = short_name(results)
    establish = results["engagement"]["kind"] == "establish"
    owner = name + ("'" if name.endswith("s") else "'s")
    figures = tuple(r for r in data.references if r.briefing)
    return Briefing(
        client=results["client"]["name"],
        title=f"The case for establishing a PMO at {name}"
        if establish
        else f"The case for backing {owner} PMO",
        wave=results["wave"]["label"],
        held_on=cell_text(held, "date") if (held := results["wave"]["held_on"]) else None,
        overall=_scored(overall["score"], questionnaire),
        target=_scored(target, questionnaire),
        share_of_target=percent(overall.get("percentage_to_target")),
        gaps=tuple(
            (g["title"], score(g["score"]), score(g["target"]), score(g["gap"]))
            for g in below_target(results)[:3]
        ),
        benefits=tuple((b.name, b.explanation, benefit_meaning(b, results)) for b in data.benefits),
        figures=figures,
        position=next((p for f in figures if (p := position(overall["score"], f, name))), ""),
        asks=_asks(results, data),
    )


def _scored(value: float | None, questionnaire: Questionnaire) -> str:
    level = questionnaire.level_for(value)
    return score(value) + (f" ({level})" if level else "")


def benefit_meaning(benefit: Benefit, results: dict[str, Any]) -> str:
    """What one benefit means for this client: the gaps that hold it back, the roadmap actions
    that serve it, and whether any PMO function that delivers it is in scope."""
    gaps = {g["dimension"]: g for g in results["gaps"]}
    short = sorted(
        (gaps[d] for d in benefit.dimensions if d in gaps and (gaps[d]["gap"] or 0) > 0),
        key=lambda g: -g["gap"],
    )
    actions = sum(i["benefit"] == benefit.id for i in results["roadmap"]["items"])
    if short:
        named = [f"{g['title']} ({score(g['score'])} vs {score(g['target'])})" for g in short[:2]]
        served = f"; {plural(actions, 'roadmap action')} address it" if actions else ""
        text = f"Held back by {join_list(named)}{served}."
    elif any(gaps.get(d, {}).get("score") is not None for d in benefit.dimensions):
        titles = [gaps[d]["title"] for d in benefit.dimensions if d in gaps][:2]
        text = f"Its foundations ({join_list(titles)}) meet their targets: keep them there."
    else:
        text = "Not measured yet: none of the dimensions it rests on has a score."
    in_scope = {f["id"] for f in results["engagement"]["functions_in_scope"]}
    if in_scope and not in_scope & set(benefit.pmo_functions):
        text += " No PMO function that delivers it is in scope yet."
    return text


def position(overall: float | None, figure: ReferenceFigure, who: str = "the client") -> str:
    """Where a score sits among a study's groups; empty when the figure has no groups.

    >>> fig = ReferenceFigure("x", "", "Study", 2014, True, (("low", 1.7), ("high", 3.4)))
    >>> position(2.9, fig)
    'At 2.9 overall, the client sits between the low (1.7) and the high (3.4) in Study (2014).'
    >>> position(3.5, fig, "Acme"), position(1.2, fig, "Acme")[16:]
    ('At 3.5 overall, Acme is above the high (3.4) in Study (2014).', 'Acme is below the low (1.7) in Study (2014).')
    """
    if overall is None or not figure.bands:
        return ""
    bands = sorted(figure.bands, key=lambda b: b[1])
    at, cited = f"At {score(overall)} overall, {who}", f"in {figure.cited}."
    if overall >= bands[-1][1]:
        return f"{at} is above the {bands[-1][0]} ({bands[-1][1]:g}) {cited}"
    if overall < bands[0][1]:
        return f"{at} is below the {bands[0][0]} ({bands[0][1]:g}) {cited}"
    low, high = next(p for p in pairwise(bands) if p[1][1] > overall)
    return f"{at} sits between the {low[0]} ({low[1]:g}) and the {high[0]} ({high[1]:g}) {cited}"


def _asks(results: dict[str, Any], data: BriefingData) -> tuple[tuple[str, str], ...]:
    sponsor = data.sponsor
    gap = next((g for g in results["gaps"] if g["dimension"] == data.sponsor_dimension), None)
    if gap and (gap["gap"] or 0) > 0:
        sponsor += f" {gap['title']} scores {score(gap['score'])} against a target of {score(gap['target'])}."
    kind = results["engagement"]["pmo_type"] or "unspecified"
    rights = data.decision_rights.get(kind, data.decision_rights["unspecified"])
    return (
        ("A sponsor", sponsor),
        ("Decision rights", rights),
        ("Time and budget", first_phase_ask(results)),
    )


def first_phase_ask(results: dict[str, Any]) -> str:
    """The time and effort the first phase of the roadmap's open actions needs, as an ask.

    Once actions are agreed in 04 (accepted or in progress) only those are asked for; before
    that the proposed ones are, and the ask says they are proposed. Dropped actions are never
    named (:func:`with_decisions` leaves them out) and done ones need no more budget.
    """
    roadmap = results["roadmap"]
    if roadmap["library"] is None:
        return "Fund the PMO lead's time to agree the first phase's actions and owners with us."
    items = roadmap["items"]
    if not items and not roadmap.get("dropped"):
        return "No new actions are needed to reach the targets: keep the PMO's people and budget, and fund a re-assessment in a year."
    open_items = [i for i in items if i.get("status", UNDECIDED) != "done"]
    if not open_items:
        return "Every roadmap action is done or dropped: keep the PMO's people and budget, and fund a re-assessment to set the next targets."
    agreed = [i for i in open_items if i.get("status") in AGREED]
    order = [p for p, *_ in PHASES]
    first = min((i["phase"] for i in agreed or open_items), key=order.index)
    phase = [i for i in agreed or open_items if i["phase"] == first]
    weeks = max(i["end_week"] for i in phase) - min(i["start_week"] for i in phase)
    sizes = [f"{n} {EFFORT_WORDS[e]}" for e in EFFORT_POINTS if (n := _count(phase, e))]
    which = "first" if first == min((i["phase"] for i in items), key=order.index) else "next"
    kind = "agreed action" if agreed else "proposed action"
    return (
        f"Approve the people and budget for the {which} phase, {phase[0]['phase_name']}: "
        f"{plural(len(phase), kind)} over about {weeks} weeks (effort: {', '.join(sizes)}), "
        f"starting with: {'; '.join(i['title'] for i in phase[:3])}."
        + _still_open(open_items, first, bool(agreed))
    )


def _still_open(items: list[dict[str, Any]], phase: str, agreed: bool) -> str:
    if not agreed:
        return " No action is agreed with the PMO lead yet: we confirm each before work starts."
    waiting = sum(i["phase"] == phase and i.get("status", UNDECIDED) == UNDECIDED for i in items)
    verb = "awaits" if waiting == 1 else "await"
    return f" {plural(waiting, 'more action')} of this phase {verb} a decision." if waiting else ""


def _count(items: list[dict[str, Any]], effort: str) -> int:
    return sum(i["effort"] == effort for i in items)


@dataclass(frozen=True)
class BriefingFiles:
    """Where :func:`write_briefing` put the briefing; a notebook shows a link to each."""

    html: Path
    pdf: Path

    def _repr_html_(self) -> str:
        return "".join(file_link(path)._repr_html_() for path in (self.pdf, self.html))


def write_briefing(store: Store, client_slug: str, wave: str | None = None) -> BriefingFiles:
    """Write ``<workspace>/briefings/<client>/<wave>/briefing.html`` and ``briefing.pdf``,
    each atomically; the page is tightened step by step until it fits one A4 page."""
    briefing = build_briefing(store, client_slug, wave)
    folder = inside(store.workspace, "briefings", client_slug, briefing.wave)
    for density in range(DENSITIES):
        page = briefing_page(briefing, density)
        # the same guard as the report's PDF: nothing fetched, no file read or attached
        document = render_safely(page, folder)
        if len(document.pages) == 1:
            break
    files = BriefingFiles(folder / "briefing.html", folder / "briefing.pdf")
    write_text_atomic(files.html, page)
    with atomic_path(files.pdf) as temporary:
        document.write_pdf(temporary, attachments=[])
    return files


def benefit_table(results: dict[str, Any], data: BriefingData | None = None) -> pd.DataFrame:
    """Each benefit with the dimensions and PMO functions it depends on and what it means for
    this client; functions in this engagement's scope say so."""
    data = data or load_briefing_data()
    titles = {d["id"]: d["title"] for d in results["assessment"]["dimensions"]}
    in_scope = {f["id"] for f in results["engagement"]["functions_in_scope"]}
    return pd.DataFrame(
        [
            {
                "benefit": b.name,
                "depends on (dimensions)": ", ".join(titles.get(d, d) for d in b.dimensions),
                "PMO functions": ", ".join(
                    PMO_FUNCTIONS[f] + (" (in scope)" if f in in_scope else "")
                    for f in b.pmo_functions
                ),
                "what it means here": benefit_meaning(b, results),
            }
            for b in data.benefits
        ]
    )


def benefit_view(store: Store, client_slug: str, wave: str | None = None) -> HouseTable:
    """:func:`benefit_table` for the notebook, with the decisions of 04 applied."""
    results = briefing_results(store, client_slug, wave)
    scoped = bool(results["engagement"]["functions_in_scope"])
    note = () if scoped else ("No PMO function is in scope yet: set the scope in 01.",)
    return house_table(
        benefit_table(results),
        labels={
            "benefit": "Benefit",
            "depends on (dimensions)": "Depends on (dimensions)",
            "what it means here": "What it means here",
        },
        notes=note,
    )
