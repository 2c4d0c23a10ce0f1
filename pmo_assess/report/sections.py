"""The report's sections as HTML, one method each, called from the cells of ``report.ipynb``.

``ReportBook`` reads ``results.json`` and ``branding.json`` (paths relative to the notebook),
numbers the exhibits in the order they appear, and returns :class:`~pmo_assess.report.markup.Html`
objects. Words come from :mod:`pmo_assess.report.text`, charts from :mod:`pmo_assess.charts.exhibits`,
markup from the section templates (``assets/templates/*.html.j2``, see
:mod:`pmo_assess.report.templates`): each method works out plain values and a template lays them
out, escaping every one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pmo_assess.charts import exhibits as charts
from pmo_assess.charts.style import figure_png_data_uri, report_style
from pmo_assess.core.paths import QUESTIONNAIRE_FILE
from pmo_assess.insight.contract import read_results, role_names
from pmo_assess.model.loading import load_questionnaire
from pmo_assess.model.questionnaire import Questionnaire
from pmo_assess.model.scale import ScoreScale
from pmo_assess.report import text as report_text
from pmo_assess.report.branding import Branding
from pmo_assess.report.content import percentile_number, progress_table, walk_dimensions
from pmo_assess.report.markup import Html, percent
from pmo_assess.report.templates import render, template
from pmo_assess.report.text.facts import programme_noun, scale_of
from pmo_assess.report.text.findings import like_for_like_text
from pmo_assess.report.text.notes import highlight_gap, scorecard_footnote
from pmo_assess.report.text.peers import peer_choice_text, peers_section_note
from pmo_assess.report.text.phrases import date_text, role_display

EMPTY = Html("")
CHART_DPI = 200
#: One template per section (and the base and macros they share); compiled when this module is
#: imported, so a report kernel forked from a server that imported it (``kernel_fork``) starts
#: with them ready.
TEMPLATES = (
    "section.html.j2",
    "_macros.html.j2",
    "cover.html.j2",
    "contents.html.j2",
    "summary.html.j2",
    "scorecard.html.j2",
    "exhibits.html.j2",
    "agreement.html.j2",
    "peers.html.j2",
    "trend.html.j2",
    "roadmap.html.j2",
    "frame.html.j2",
    "methodology.html.j2",
)


def _compile_templates() -> None:
    for name in TEMPLATES:
        template(name)


_compile_templates()


@dataclass
class ReportBook:
    """One client's report, section by section."""

    results: dict[str, Any]
    branding: Branding
    questionnaire: Questionnaire
    exhibits: int = field(default=0)

    @classmethod
    def load(
        cls,
        results_path: str | Path,
        branding_path: str | Path | None = None,
        questionnaire: Path | None = None,
    ) -> ReportBook:
        """Read the results and branding files a report run was given; ``questionnaire`` is the
        file to use when no copy lies beside the results (a kept report folder has none)."""
        results = read_results(results_path)
        branding = Branding()
        if branding_path and Path(branding_path).is_file():
            branding = Branding(**json.loads(Path(branding_path).read_text(encoding="utf-8")))
        # The questionnaire the results were scored with, copied beside them by the report run;
        # a bare results.json (a run by hand) falls back to the built-in one of the same id.
        own = Path(results_path).with_name(QUESTIONNAIRE_FILE)
        chosen = own if own.is_file() else questionnaire or results["questionnaire"]["id"]
        return cls(results, branding, load_questionnaire(chosen))

    @property
    def scale(self) -> ScoreScale:
        """The scale the client's scores are read on, from the results."""
        return scale_of(self.results)

    # --- front matter -------------------------------------------------------------------------

    def cover(self) -> Html:
        """Cover page: firm, title, client, engagement, wave, date of the data."""
        r, b = self.results, self.branding
        noun = programme_noun(r)
        kind = {"establish": f"Establishing a {noun}", "optimize": f"Optimizing the {noun}"}.get(
            r["engagement"]["kind"], ""
        )
        wave = r["wave"]["label"] + ("" if r["wave"]["latest"] else " (an earlier wave)")
        details = [
            ("Client", r["client"]["name"]),
            ("Engagement", kind),
            ("Assessment wave", wave),
            ("Date of the data", date_text(r["wave"]["held_on"]) or "Not recorded"),
            ("Respondents", str(r["respondents"]["total"])),
        ]
        if b.firm_name != Branding().firm_name:  # the default name is a product label, not a firm
            details.append(("Prepared by", b.firm_name))
        return Html(
            render(
                "cover.html.j2",
                logo=b.logo_data_uri,
                firm=b.firm_name,
                title=r["questionnaire"]["title"],
                client=r["client"]["name"],
                details=details,
            )
        )

    def contents(self) -> Html:
        """The table of contents; filled with every section heading when the page is rendered."""
        return Html(render("contents.html.j2"))

    def executive_summary(self) -> Html:
        """One page a busy executive reads: the headline, findings, what they mean, priorities."""
        summary = report_text.executive_summary(self.results)
        return _section(
            "summary.html.j2",
            "summary",
            "Executive summary",
            "Executive summary",
            summary.headline,
            cards=self._headline_figures(),
            situation=summary.situation,
            findings=list(summary.findings),
            implications=_paragraphs(summary.implications),
            priorities=[
                (item, None) if isinstance(item, str) else tuple(item)
                for item in summary.priorities
            ],
            source=summary.source,
        )

    def _headline_figures(self) -> list[tuple[str, str]]:
        overall, scale = self.results["assessment"]["overall"], self.scale
        cards = [
            (
                scale.text(overall["score"]),
                f"Overall score of {scale.top_text()} · {overall['level'] or 'no level'}",
            )
        ]
        if overall["percentage_to_target"] is not None:
            cards.append((percent(overall["percentage_to_target"]), "of the targets reached"))
        benchmark = self.results.get("benchmark") or {}
        overall_peer = benchmark.get("overall") or {}
        if benchmark.get("available") and overall_peer.get("percentile") is not None:
            cards.append(
                (
                    ordinal_number(overall_peer["percentile"]),
                    f"percentile among {benchmark['n']} peers",
                )
            )
        total = self.results["respondents"]["total"]
        cards.append((str(total), "respondent" if total == 1 else "respondents"))
        return cards

    # --- findings ---------------------------------------------------------------------------

    def scorecard(self) -> Html:
        """Every dimension: score, level, target, gap, peer percentile, coverage and confidence."""
        benchmark = self.results.get("benchmark") or {}
        available = bool(benchmark.get("available"))
        peers = benchmark.get("dimensions") or {}
        confidence = self.results["confidence"]["dimensions"]
        scale, highlight = self.scale, highlight_gap(self.results)
        rows = []
        for depth, node in walk_dimensions(self.results["assessment"]["dimensions"]):
            peer = peers.get(node["id"]) if available and depth == 0 else None
            rows.append(
                {
                    "depth": depth,
                    "title": node["title"],
                    "score": scale.text(node["score"]),
                    "level": node["level"] or "–",
                    "target": scale.text(node["target"]),
                    "gap": scale.text(node["gap"]),
                    "percentile": _percentile(peer),
                    "coverage": percent(node["coverage"]),
                    "confidence": _confidence(confidence[node["id"]]["level"]),
                    "highlight": node["gap"] is not None and node["gap"] >= highlight,
                }
            )
        overall = self.results["assessment"]["overall"]
        headers = [
            ("Dimension", ""),
            ("Score", "num"),
            ("Level", ""),
            ("Target", "num"),
            ("Gap", "num"),
            *([("Peer pct.", "num")] if available else []),
            ("Coverage", "num"),
            ("Confidence", ""),
        ]
        return _section(
            "scorecard.html.j2",
            "scorecard",
            "Findings",
            "Scorecard",
            report_text.scorecard_title(self.results),
            headers=headers,
            rows=rows,
            peers=available,
            overall={
                "score": scale.text(overall["score"]),
                "level": overall["level"] or "–",
                "percentile": _percentile(benchmark.get("overall") if available else None),
                "coverage": percent(overall["coverage"]),
                "confidence": _confidence(confidence["overall"]["level"]),
            },
            notes=scorecard_footnote(self.results),
            source=report_text.exhibit_source(self.results, "scorecard"),
        )

    def maturity_profile(self) -> Html:
        """Radar of current, target and peers; gaps ordered by priority."""
        exhibits = self._exhibits(
            ("radar", report_text.radar_title, "radar"),
            ("gap", report_text.gap_title, "gaps"),
        )
        return _section(
            "exhibits.html.j2", "profile", "Findings", "Maturity against target", charts=exhibits
        )

    def question_detail(self) -> Html:
        """Heatmap of question scores per dimension."""
        exhibits = self._exhibits(
            ("heatmap", report_text.heatmap_title, "heatmap"),
        )
        return _section(
            "exhibits.html.j2", "questions", "Findings", "Question by question", charts=exhibits
        )

    def agreement(self) -> Html:
        """Where respondents disagree, and how roles see the assessed practice differently."""
        exhibits = self._exhibits(
            ("agreement", report_text.agreement_title, "agreement"),
            ("roles", report_text.role_gap_title, "roles"),
        )
        scale = self.scale
        rows = [
            [
                d["text"],
                d["dimension_title"],
                f"{scale.answer_text(d['min'])}–{scale.answer_text(d['max'])}",
                d["n"],
            ]
            for d in self.results["disagreements"][:12]
        ]
        names = role_names(self.results)
        quotes = [
            {"note": n["note"], "role": role_display(n["role"], names), "question": d["text"]}
            for d in self.results["disagreements"][:6]
            for n in d.get("notes", [])
        ]
        titles = [t for t in (report_text.agreement_title(self.results),) if not exhibits]
        return _section(
            "agreement.html.j2",
            "agreement",
            "Findings",
            "Where respondents disagree",
            titles[0] if titles else "",
            continues=not exhibits and not rows,
            charts=exhibits,
            headers=[("Question", ""), ("Dimension", ""), ("Range", "num"), ("n", "num")],
            rows=rows,
            quotes=quotes,
        )

    def peers(self) -> Html:
        """The client against its peer group; nothing from a group below the minimum size."""
        benchmark = self.results.get("benchmark")
        if not benchmark or not benchmark.get("available"):
            # one line, so it follows the section before it rather than take a page of its own
            return _section(
                "peers.html.j2",
                "peers",
                "Benchmark",
                "Position against peers",
                continues=True,
                note=peers_section_note(self.results),
            )
        exhibits = self._exhibits(
            ("peers", report_text.peer_title, "peers"),
        )
        return _section(
            "peers.html.j2",
            "peers",
            "Benchmark",
            "Position against peers",
            note="",
            group=f"Peer group: {benchmark['label']}, {benchmark['n']} organisations",
            choice=peer_choice_text(self.results) or "",
            synthetic=bool(benchmark["benchmark"].get("synthetic")),
            charts=exhibits,
        )

    def trend(self) -> Html:
        """Change across waves; nothing when there is only one."""
        if len(self.results.get("trend") or []) < 2 or not self.results.get("progress"):
            return EMPTY
        exhibits = self._exhibits(("trend", report_text.trend_title, "trend"))
        table = progress_table(self.results)
        rows = [list(row) for row in table.rows]
        headers = [
            (header, "num" if numeric else "")
            for header, numeric in zip(table.headers, table.numeric, strict=True)
        ]
        return _section(
            "trend.html.j2",
            "trend",
            "Progress",
            "Progress since the baseline",
            charts=exhibits,
            headers=headers,
            rows=rows,
            note=like_for_like_text(self.results).strip(),
        )

    def roadmap(self) -> Html:
        """The roadmap: Gantt by phase, then the actions in a table."""
        items = self.results["roadmap"]["items"]
        if not items:
            text = (
                "Every scored dimension meets its target: no improvement actions are needed now."
                if self.results["roadmap"].get("library")
                else "This questionnaire has no recommendations library, so no roadmap is computed."
            )
            return _section(
                "roadmap.html.j2",
                "roadmap",
                "Roadmap",
                "Improvement roadmap",
                continues=True,
                note=text,
            )
        exhibits = self._exhibits(("roadmap", report_text.roadmap_title, "roadmap"))
        benefits = (self.results["roadmap"].get("library") or {}).get("benefits", {})
        rows: list[list[Any]] = []
        classes, phase = [], None
        for item in items:
            if item["phase_name"] != phase:
                phase = item["phase_name"]
                rows.append([phase, "", "", "", ""])
                classes.append("phase-row")
            rows.append(
                [
                    item["title"],
                    item["dimension_title"],
                    item["effort"],
                    f"{item['duration_weeks']} wk",
                    benefits.get(item["benefit"], item["benefit"]),
                ]
            )
            classes.append("")
        headers = [
            ("Action", ""),
            ("Dimension", ""),
            ("Effort", ""),
            ("Duration", "num"),
            ("Benefit served", ""),
        ]
        return _section(
            "roadmap.html.j2",
            "roadmap",
            "Roadmap",
            "Improvement roadmap",
            note="",
            charts=exhibits,
            headers=headers,
            rows=rows,
            row_classes=classes,
        )

    def engagement_frame(self) -> Html:
        """The PMO functions in scope and where the client stands on the method's steps."""
        frame = report_text.engagement_frame(self.results)
        noun = programme_noun(self.results)
        establish = self.results["engagement"]["kind"] == "establish"
        return _section(
            "frame.html.j2",
            "frame",
            "Engagement",
            f"Establishing the {noun}" if establish else f"Optimizing the {noun}",
            functions=report_text.functions_in_scope_text(self.results),
            steps=[asdict(step) for step in frame],
        )

    def methodology(self) -> Html:
        """Appendix: method, respondents by role, data quality, benchmark source."""
        notes = report_text.methodology_notes(self.results, self.questionnaire)
        by_role, names = self.results["respondents"]["by_role"], role_names(self.results)
        return _section(
            "methodology.html.j2",
            "method",
            "Appendix",
            "Method and data quality",
            notes=[(heading, _paragraphs(text)) for heading, text in notes.items()],
            headers=[("Role", ""), ("Respondents", "num")],
            rows=[[role_display(role, names), n] for role, n in by_role.items()],
        )

    # --- helpers ------------------------------------------------------------------------------

    def _exhibits(self, *specs: ExhibitSpec) -> list[dict[str, Any]]:
        """The charts that have something to show, numbered in order, for the exhibit macro."""
        found = []
        for spec in specs:
            drawn = self._exhibit(*spec)
            if drawn is not None:
                found.append(drawn)
        return found

    def _exhibit(
        self, chart: str, title: Callable[[dict[str, Any]], Any] | None, kind: str
    ) -> dict[str, Any] | None:
        """Chart ``chart`` (a key of ``CHARTS``) as the exhibit macro shows it, or None when it
        has nothing to show; ``kind`` names its source line."""
        draw, alt = charts.CHARTS[chart]
        with report_style(brand=self.branding.primary):
            figure = draw(self.results, self.questionnaire)
            if figure is None:
                return None
            # PNG at 200 dpi: crisp on paper and on screen, and WeasyPrint lays it out in
            # milliseconds, where the same chart as SVG took about 1 s per report (bench/README).
            image = figure_png_data_uri(figure, dpi=CHART_DPI)
        self.exhibits += 1
        return {
            "number": self.exhibits,
            # the chart's key, so the Word report reuses the picture instead of drawing it
            "chart": chart,
            "image": image,
            "title": _text(title(self.results)) if title else "",
            "alt": alt(self.results),
            "source": report_text.exhibit_source(self.results, kind),
        }


#: What :meth:`ReportBook._exhibit` draws: the chart's key, its action title and source kind.
ExhibitSpec = tuple[str, Callable[[dict[str, Any]], Any] | None, str]


def _section(
    name: str,
    anchor: str,
    kicker: str,
    heading: str,
    action_title: object = "",
    continues: bool = False,
    **body: Any,
) -> Html:
    """A report section from its template: new page in print, kicker, heading (in the contents)
    and action title (text, or anything with a ``text`` attribute such as
    ``report_text.ActionTitle``), then what the template makes of ``body``."""
    return Html(
        render(
            name,
            anchor=anchor,
            kicker=kicker,
            heading=heading,
            action_title=getattr(action_title, "text", action_title),
            continues=continues,
            **body,
        )
    )


def _confidence(level: str) -> dict[str, str]:
    """The confidence mark of a level of the results' confidence: its class and its words."""
    if level == "Insufficient":
        return {"kind": "flag", "text": "Insufficient evidence"}
    if level == "Out of scope":
        return {"kind": "flag", "text": "Out of scope (all not applicable)"}
    return {"kind": "conf", "text": level}


def _percentile(position: dict[str, Any] | None) -> str:
    """A peer percentile as a whole number, halves up; an en dash when there is none."""
    return percentile_number(position.get("percentile") if position else None)


def ordinal_number(percentile: float) -> str:
    """A percentile rank as the tables print it: a whole number, halves up."""
    return percentile_number(percentile)


def _paragraphs(text: Any) -> list[str]:
    if text is None:
        return []
    return [text] if isinstance(text, str) else [str(t) for t in text]


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(getattr(value, "text", value))
