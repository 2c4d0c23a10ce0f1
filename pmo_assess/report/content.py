"""The report's content as plain data, one source for several writers (the deck, the Word report).

:func:`report_content` turns ``results.json`` into :class:`Section` objects in report order:
the action title, paragraphs, bullets, tables with every cell as shown (house rounding), the
exhibits with their action titles and source lines, and sub-parts with their own headings. The
words come from :mod:`pmo_assess.report.text`, the same functions the HTML report
(:mod:`pmo_assess.report.sections`) calls, so every writer says the same thing. Plain text only:
each writer escapes and formats it its own way.

A section is left out where the HTML report shows nothing (the trend with one wave; the maturity
profile or the question detail with no chart to draw). A section that only says why there is
nothing to show (no peer comparison, no roadmap) is kept with that sentence, as the report
prints it; a short form such as the deck may leave it out. ``title`` is the action title where
the report gives the section one; where its exhibits carry the titles (the profile, the
agreement with charts, peers, trend, roadmap) it is empty and each exhibit has its own. The
engagement frame, which the report heads only with a label, gets a title counting its steps
done (:func:`frame_title`).

A section's ``key`` is its commentary anchor (:data:`pmo_assess.report.anchors.ANCHORS`), so a
consultant's :class:`~pmo_assess.model.commentary.CommentaryPiece` goes where its ``anchor``
says. An exhibit's ``kind`` is its chart's name in :data:`pmo_assess.charts.exhibits.CHARTS`,
so a writer that draws pictures calls ``CHARTS[kind][0](results, questionnaire)`` and one that
draws native charts reads the same data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pmo_assess.charts.exhibits import CHARTS
from pmo_assess.core.rounding import percent_text, round_half_up
from pmo_assess.insight.contract import role_names
from pmo_assess.model.loading import load_questionnaire
from pmo_assess.model.questionnaire import Questionnaire
from pmo_assess.model.scale import ScoreScale
from pmo_assess.report import text as report_text
from pmo_assess.report.text.facts import programme_noun, scale_of
from pmo_assess.report.text.findings import like_for_like_text
from pmo_assess.report.text.notes import highlight_gap, scorecard_footnote
from pmo_assess.report.text.peers import peer_choice_text, peers_section_note
from pmo_assess.report.text.phrases import all_of, lower_first, number_word, role_display
from pmo_assess.report.text.sources import exhibit_source

#: Indentation of a sub-dimension's title in a table, per level (no-break spaces, which writers
#: keep as they are).
INDENT = "\u00a0\u00a0"
#: The disagreements listed as questions to discuss, and those whose respondents' notes are quoted.
DISCUSS_ROWS = 12
QUOTED_QUESTIONS = 6


@dataclass(frozen=True)
class Table:
    """A table as shown: every cell a string, with which columns hold numbers (right-aligned).

    ``emphasis`` marks rows a writer sets apart (1 for a highlighted gap or the overall row,
    2 for a group heading such as a roadmap phase); empty means none is."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]
    caption: str = ""
    emphasis: tuple[int, ...] = ()


@dataclass(frozen=True)
class Exhibit:
    """A chart of the report: which one (``kind``, a key of ``CHARTS``), its action title, its
    source line and its alt text (with the key numbers)."""

    kind: str
    title: str
    source: str
    alt: str


@dataclass(frozen=True)
class Section:
    """One section of the report: its label, its action title and what it says, in this order:
    ``figures`` (headline value and label), ``paragraphs``, ``bullets``, ``exhibits``,
    ``tables``, then ``parts`` (sub-sections under their own ``heading``, whose ``key`` says
    what they are, e.g. ``findings`` or ``priorities``), then ``notes`` (small print) and the
    ``source`` line. ``talking_points`` are the numbers a partner should have at hand (speaker
    notes), not shown on the page."""

    key: str
    heading: str
    title: str
    paragraphs: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    source: str = ""
    talking_points: tuple[str, ...] = ()
    exhibits: tuple[Exhibit, ...] = ()
    parts: tuple[Section, ...] = ()
    figures: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    kicker: str = ""


def report_content(
    results: Mapping[str, Any], questionnaire: Questionnaire | None = None
) -> tuple[Section, ...]:
    """The sections that have something to say, in report order; ``questionnaire`` is the one
    the results were scored with (the built-in one of the results' id when not given).

    Examples
    --------
    >>> import tempfile
    >>> from pmo_assess.engagement.demo import build_demo_workspace
    >>> from pmo_assess.insight.results import build_results
    >>> from pmo_assess.store.repository import Store
    >>> with tempfile.TemporaryDirectory() as tmp, Store.open(workspace=tmp) as store:
    ...     _ = build_demo_workspace(store, clients=1)
    ...     results = build_results(store, "quellbach-prazision").to_dict()
    >>> [section.key for section in report_content(results)]  # doctest: +NORMALIZE_WHITESPACE
    ['summary', 'scorecard', 'profile', 'questions', 'agreement', 'peers', 'trend', 'roadmap',
     'frame', 'method']
    """
    data = dict(results)
    used = questionnaire or load_questionnaire(data["questionnaire"]["id"])
    sections = (
        _summary(data),
        _scorecard(data),
        _exhibits_section(data, "profile", "Maturity against target", ("radar", "gap")),
        _exhibits_section(data, "questions", "Question by question", ("heatmap",)),
        _agreement(data),
        _peers(data),
        _trend(data),
        _roadmap(data),
        _frame(data),
        _method(data, used),
    )
    return tuple(s for s in sections if s is not None)


def headline_figures(results: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """The executive summary's headline figures, each a value as shown and what it is."""
    overall, scale = results["assessment"]["overall"], scale_of(results)
    level = overall["level"] or "no level"
    cards = [(scale.text(overall["score"]), f"Overall score of {scale.top_text()} · {level}")]
    if overall["percentage_to_target"] is not None:
        cards.append((percent_text(overall["percentage_to_target"]), "of the targets reached"))
    benchmark = results.get("benchmark") or {}
    overall_peer = benchmark.get("overall") or {}
    if benchmark.get("available") and overall_peer.get("percentile") is not None:
        cards.append(
            (
                percentile_number(overall_peer["percentile"]),
                f"percentile among {benchmark['n']} peers",
            )
        )
    total = results["respondents"]["total"]
    cards.append((str(total), "respondent" if total == 1 else "respondents"))
    return tuple(cards)


def percentile_number(percentile: float | None) -> str:
    """A percentile rank as the tables print it: a whole number, halves up; an en dash for none.

    >>> percentile_number(65.2), percentile_number(82.5), percentile_number(None)
    ('65', '83', '–')
    """
    return "–" if percentile is None else str(int(round_half_up(percentile, 0)))


def _summary(results: dict[str, Any]) -> Section:
    summary = report_text.executive_summary(results)
    priorities = tuple(
        item if isinstance(item, str) else f"{item[0]} · {item[1]}" for item in summary.priorities
    )
    figures = headline_figures(results)
    return Section(
        "summary",
        "Executive summary",
        summary.headline,
        kicker="Executive summary",
        figures=figures,
        paragraphs=(summary.situation,),
        parts=(
            Section("findings", "What we found", "", bullets=summary.findings),
            Section("implications", "What it means", "", paragraphs=(summary.implications,)),
            Section("priorities", "Top priorities", "", bullets=priorities),
        ),
        source=summary.source,
        talking_points=tuple(f"{value} {label}" for value, label in figures),
    )


def _scorecard(results: dict[str, Any]) -> Section:
    title = report_text.scorecard_title(results)
    table = scorecard_table(results)
    return Section(
        "scorecard",
        "Scorecard",
        title.text,
        kicker="Findings",
        tables=(table,),
        notes=tuple(scorecard_footnote(results)),
        source=title.source_line,
        talking_points=tuple(_scorecard_points(results)),
    )


def scorecard_table(results: dict[str, Any]) -> Table:
    """Every dimension (sub-dimensions indented) with score, level, target, gap, peer
    percentile (when peers are shown), coverage and confidence, then the overall row."""
    benchmark = results.get("benchmark") or {}
    available = bool(benchmark.get("available"))
    peers, scale = benchmark.get("dimensions") or {}, scale_of(results)
    confidence, highlight = results["confidence"]["dimensions"], highlight_gap(results)
    rows, emphasis = [], []
    for depth, node in walk_dimensions(results["assessment"]["dimensions"]):
        peer = (peers.get(node["id"]) or {}) if available and depth == 0 else {}
        rows.append(
            (
                INDENT * depth + node["title"],
                scale.text(node["score"]),
                node["level"] or "–",
                scale.text(node["target"]),
                scale.text(node["gap"]),
                *([percentile_number(peer.get("percentile"))] if available else []),
                percent_text(node["coverage"]),
                confidence_text(confidence[node["id"]]["level"]),
            )
        )
        emphasis.append(int(node["gap"] is not None and node["gap"] >= highlight))
    overall = results["assessment"]["overall"]
    overall_peer = (benchmark.get("overall") or {}) if available else {}
    rows.append(
        (
            "Overall",
            scale.text(overall["score"]),
            overall["level"] or "–",
            "",
            "",
            *([percentile_number(overall_peer.get("percentile"))] if available else []),
            percent_text(overall["coverage"]),
            confidence_text(confidence["overall"]["level"]),
        )
    )
    emphasis.append(1)
    headers: tuple[str, ...] = ("Dimension", "Score", "Level", "Target", "Gap")
    headers += ("Peer pct.",) * available + ("Coverage", "Confidence")
    numeric = tuple(h in ("Score", "Target", "Gap", "Peer pct.", "Coverage") for h in headers)
    return Table(headers, tuple(rows), numeric, emphasis=tuple(emphasis))


def _scorecard_points(results: dict[str, Any]) -> list[str]:
    """One line of numbers per top-level dimension, largest gap first."""
    scale, points = scale_of(results), []
    for gap in results["gaps"]:
        line = f"{gap['title']}: score {scale.text(gap['score'])}"
        if gap["target"] is not None:
            line += f", target {scale.text(gap['target'])}, gap {scale.text(gap['gap'])}"
        points.append(line)
    return points


def confidence_text(level: str) -> str:
    """A dimension's confidence as the scorecard words it."""
    return {
        "Insufficient": "Insufficient evidence",
        "Out of scope": "Out of scope (all not applicable)",
    }.get(level, level)


def _exhibits_section(
    results: dict[str, Any], key: str, heading: str, kinds: tuple[str, ...]
) -> Section | None:
    exhibits = exhibits_of(results, kinds)
    if not exhibits:
        return None
    return Section(
        key,
        heading,
        "",
        kicker="Findings",
        exhibits=exhibits,
        talking_points=tuple(e.alt for e in exhibits),
    )


def exhibits_of(results: dict[str, Any], kinds: tuple[str, ...]) -> tuple[Exhibit, ...]:
    """The exhibits among ``kinds`` that have something to show (their chart's alt text is
    empty exactly when the chart is not drawn), with action titles and source lines."""
    found = []
    for kind in kinds:
        alt = CHARTS[kind][1](results)
        title = _TITLES[kind](results)
        if alt and title is not None:
            found.append(Exhibit(kind, title.text, exhibit_source(results, kind), alt))
    return tuple(found)


_TITLES: dict[str, Callable[[dict[str, Any]], report_text.ActionTitle | None]] = {
    "radar": report_text.radar_title,
    "gap": report_text.gap_title,
    "heatmap": report_text.heatmap_title,
    "agreement": report_text.agreement_title,
    "roles": report_text.role_gap_title,
    "peers": report_text.peer_title,
    "trend": report_text.trend_title,
    "roadmap": report_text.roadmap_title,
}


def _agreement(results: dict[str, Any]) -> Section:
    exhibits = exhibits_of(results, ("agreement", "roles"))
    scale = scale_of(results)
    rows = tuple(
        (
            d["text"],
            d["dimension_title"],
            f"{scale.answer_text(d['min'])}–{scale.answer_text(d['max'])}",
            str(d["n"]),
        )
        for d in results["disagreements"][:DISCUSS_ROWS]
    )
    names = role_names(results)
    quotes = tuple(
        f"“{n['note']}” ({role_display(n['role'], names)}, on: {d['text']})"
        for d in results["disagreements"][:QUOTED_QUESTIONS]
        for n in d.get("notes", [])
    )
    table = Table(
        ("Question", "Dimension", "Range", "n"),
        rows,
        (False, False, True, True),
        caption="Questions to discuss",
    )
    title = "" if exhibits else report_text.agreement_title(results).text
    return Section(
        "agreement",
        "Where respondents disagree",
        title,
        kicker="Findings",
        exhibits=exhibits,
        tables=(table,) if rows else (),
        parts=(Section("quotes", "What respondents said", "", bullets=quotes),) if quotes else (),
        talking_points=tuple(e.alt for e in exhibits),
    )


def _peers(results: dict[str, Any]) -> Section:
    benchmark = results.get("benchmark")
    if not benchmark or not benchmark.get("available"):
        note = peers_section_note(results)
        return Section(
            "peers", "Position against peers", "", kicker="Benchmark", paragraphs=(note,)
        )
    exhibits = exhibits_of(results, ("peers",))
    group = f"Peer group: {benchmark['label']}, {benchmark['n']} organisations"
    synthetic = bool(benchmark["benchmark"].get("synthetic"))
    return Section(
        "peers",
        "Position against peers",
        "",
        kicker="Benchmark",
        paragraphs=tuple(t for t in (group, peer_choice_text(results)) if t),
        exhibits=exhibits,
        notes=("Synthetic benchmark",) if synthetic else (),
        talking_points=(group, *(e.alt for e in exhibits)),
    )


def _trend(results: dict[str, Any]) -> Section | None:
    progress = results.get("progress")
    if len(results.get("trend") or []) < 2 or not progress:
        return None
    table = progress_table(results)
    exhibits = exhibits_of(results, ("trend",))
    note = like_for_like_text(results).strip()
    return Section(
        "trend",
        "Progress since the baseline",
        "",
        kicker="Progress",
        exhibits=exhibits,
        tables=(table,),
        notes=(note,) if note else (),
        talking_points=tuple(e.alt for e in exhibits),
    )


def progress_table(results: Mapping[str, Any]) -> Table:
    """Each dimension's baseline and latest score, target and progress, as every writer shows
    them (the results must have ``progress``)."""
    progress, scale = results["progress"], scale_of(dict(results))
    rows = tuple(
        (
            d["title"],
            scale.text(d["baseline"]),
            scale.text(d["current"]),
            scale.text(d["target"]),
            progress_cell(scale, d),
        )
        for d in progress["dimensions"]
    )
    headers = ("Dimension", progress["baseline_wave"], results["wave"]["label"], "Target")
    return Table((*headers, "Progress"), rows, (False, True, True, True, True))


def progress_cell(scale: ScoreScale, row: dict[str, Any]) -> str:
    """Progress to target as a share; at or past the target as shown "Target met", below the
    baseline "Fell back" (a percentage there would mislead: 1000% when the baseline sat just
    under target).

    >>> scale = ScoreScale(1, 5, 1, ())
    >>> progress_cell(scale, {"progress": 0.456, "current": 2.8, "target": 3.0, "change": 0.3})
    '46%'
    >>> progress_cell(scale, {"progress": 10.0, "current": 2.96, "target": 3.0, "change": 0.1})
    'Target met'
    >>> progress_cell(scale, {"progress": -0.2, "current": 2.1, "target": 3.0, "change": -0.2})
    'Fell back'
    """
    progress, current, target = row["progress"], row["current"], row["target"]
    if current is not None and target is not None and not scale.below(current, target):
        return "Target met"
    if progress is None or row["change"] is None:
        return "–"
    if row["change"] < 0:
        return "Fell back"
    return "No change" if row["change"] == 0 else percent_text(min(progress, 1.0))


def _roadmap(results: dict[str, Any]) -> Section:
    roadmap = results["roadmap"]
    if not roadmap["items"]:
        text = (
            "Every scored dimension meets its target: no improvement actions are needed now."
            if roadmap.get("library")
            else "This questionnaire has no recommendations library, so no roadmap is computed."
        )
        return Section("roadmap", "Improvement roadmap", "", kicker="Roadmap", paragraphs=(text,))
    exhibits = exhibits_of(results, ("roadmap",))
    return Section(
        "roadmap",
        "Improvement roadmap",
        "",
        kicker="Roadmap",
        exhibits=exhibits,
        tables=(roadmap_table(results),),
        talking_points=tuple(e.alt for e in exhibits),
    )


def roadmap_table(results: dict[str, Any]) -> Table:
    """The roadmap's actions in order, each phase opened by a heading row (emphasis 2)."""
    benefits = (results["roadmap"].get("library") or {}).get("benefits", {})
    rows: list[tuple[str, ...]] = []
    emphasis, phase = [], None
    for item in results["roadmap"]["items"]:
        if item["phase_name"] != phase:
            phase = item["phase_name"]
            rows.append((phase, "", "", "", ""))
            emphasis.append(2)
        rows.append(
            (
                item["title"],
                item["dimension_title"],
                item["effort"],
                f"{item['duration_weeks']} wk",
                benefits.get(item["benefit"], item["benefit"]),
            )
        )
        emphasis.append(0)
    headers = ("Action", "Dimension", "Effort", "Duration", "Benefit served")
    numeric = (False, False, False, True, False)
    return Table(headers, tuple(rows), numeric, emphasis=tuple(emphasis))


def _frame(results: dict[str, Any]) -> Section:
    noun = programme_noun(results)
    establish = results["engagement"]["kind"] == "establish"
    heading = f"Establishing the {noun}" if establish else f"Optimizing the {noun}"
    steps = report_text.engagement_frame(results)
    functions = report_text.functions_in_scope_text(results)
    return Section(
        "frame",
        heading,
        frame_title(heading, steps),
        kicker="Engagement",
        paragraphs=(functions,) if functions else (),
        parts=tuple(Section(s.status, s.step, s.label, paragraphs=(s.explanation,)) for s in steps),
        talking_points=tuple(f"{s.step}: {s.label}" for s in steps),
    )


def frame_title(heading: str, steps: list[report_text.FrameStep]) -> str:
    """How many of the method's steps are done, and the first that is not.

    >>> step = report_text.FrameStep
    >>> frame_title("Optimizing the PMO", [step("Regular re-assessment", "", "", "done"),
    ...     step("Performance monitoring", "", "", "partial")])
    'One of the 2 steps of optimizing the PMO is done; next: performance monitoring'
    """
    done = sum(1 for s in steps if s.status == "done")
    what = f"steps of {lower_first(heading)}"
    if done == len(steps):
        return f"{all_of(len(steps), capital=True)} {what} are done"
    following = next(s for s in steps if s.status != "done")
    verb = "is" if done <= 1 else "are"
    count = number_word(done, capital=True) if done else "None"
    return f"{count} of the {len(steps)} {what} {verb} done; next: {lower_first(following.step)}"


def _method(results: dict[str, Any], questionnaire: Questionnaire) -> Section:
    notes = report_text.methodology_notes(results, questionnaire)
    by_role, names = results["respondents"]["by_role"], role_names(results)
    rows = tuple((role_display(role, names), str(n)) for role, n in by_role.items())
    table = Table(("Role", "Respondents"), rows, (False, True), caption="Respondents by role")
    return Section(
        "method",
        "Method and data quality",
        "",
        kicker="Appendix",
        parts=(
            *(Section(_slug(h), h, "", paragraphs=(text,)) for h, text in notes.items()),
            Section("respondents", "Respondents by role", "", tables=(table,)),
        ),
        talking_points=tuple(f"{role}: {n}" for role, n in rows),
    )


def _slug(heading: str) -> str:
    return heading.lower().replace(" ", "-")


def walk_dimensions(
    nodes: list[dict[str, Any]], depth: int = 0
) -> list[tuple[int, dict[str, Any]]]:
    """Every dimension node with its depth, parents before their children."""
    found = []
    for node in nodes:
        found.append((depth, node))
        found += walk_dimensions(node.get("children") or [], depth + 1)
    return found
