"""The report's sections as HTML, one method each, called from the cells of ``report.ipynb``.

``ReportBook`` reads ``results.json`` and ``branding.json`` (paths relative to the notebook),
numbers the exhibits in the order they appear, and returns :class:`~pmo_assess.report.html.Html`
objects. Words come from :mod:`pmo_assess.report.text`, charts from :mod:`pmo_assess.charts.exhibits`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

from pmo_assess.charts import exhibits as charts
from pmo_assess.charts.style import figure_png_data_uri, report_style
from pmo_assess.core.paths import QUESTIONNAIRE_FILE
from pmo_assess.model.loading import load_questionnaire
from pmo_assess.model.questionnaire import Questionnaire
from pmo_assess.report import text as report_text
from pmo_assess.report.branding import Branding
from pmo_assess.report.html import Html, bullets, esc, exhibit, percent, score, section, table

EMPTY = Html("")
CHART_DPI = 200


@dataclass
class ReportBook:
    """One client's report, section by section."""

    results: dict[str, Any]
    branding: Branding
    questionnaire: Questionnaire
    exhibits: int = field(default=0)

    @classmethod
    def load(cls, results_path: str | Path, branding_path: str | Path | None = None) -> ReportBook:
        """Read the results and branding files a report run was given."""
        results = json.loads(Path(results_path).read_text(encoding="utf-8"))
        branding = Branding()
        if branding_path and Path(branding_path).is_file():
            branding = Branding(**json.loads(Path(branding_path).read_text(encoding="utf-8")))
        # The questionnaire the results were scored with, copied beside them by the report run;
        # a bare results.json (a run by hand) falls back to the built-in one of the same id.
        own = Path(results_path).with_name(QUESTIONNAIRE_FILE)
        questionnaire = load_questionnaire(own if own.is_file() else results["questionnaire"]["id"])
        return cls(results, branding, questionnaire)

    # --- front matter -------------------------------------------------------------------------

    def cover(self) -> Html:
        """Cover page: firm, title, client, engagement, wave, date of the data."""
        r, b = self.results, self.branding
        logo = (
            f'<img src="{b.logo_data_uri}" alt="{esc(b.firm_name)} logo">'
            if b.logo_data_uri
            else ""
        )
        kind = {"establish": "Establishing a PMO", "optimize": "Optimizing the PMO"}.get(
            r["engagement"]["kind"], ""
        )
        details = [
            ("Client", r["client"]["name"]),
            ("Engagement", kind),
            ("Assessment wave", r["wave"]["label"]),
            ("Date of the data", r["wave"]["held_on"] or "–"),
            ("Respondents", str(r["respondents"]["total"])),
        ]
        if b.firm_name != Branding().firm_name:  # the default name is a product label, not a firm
            details.append(("Prepared by", b.firm_name))
        rows = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in details)
        return Html(
            f'<section class="cover"><div><div class="firm">{logo}<span class="firm-name">{esc(b.firm_name)}</span></div>'
            f'<h1>{esc(r["questionnaire"]["title"])}</h1><p class="client-name">{esc(r["client"]["name"])}</p>'
            f"<dl>{rows}</dl></div>"
            f'<p class="confidential">Confidential. Prepared for {esc(r["client"]["name"])} only; '
            "not to be passed to third parties without the client's consent.</p></section>"
        )

    def contents(self) -> Html:
        """The table of contents; filled with every section heading when the page is rendered."""
        return Html(
            '<section class="report-section" id="section-contents"><p class="kicker">Contents</p>'
            '<nav class="toc" aria-label="Contents"><!-- contents --></nav></section>'
        )

    def executive_summary(self) -> Html:
        """One page a busy executive reads: the headline, findings, what they mean, priorities."""
        summary = report_text.executive_summary(self.results)
        body = (
            self._headline_figures()
            + f"<p>{esc(summary.situation)}</p><h3>What we found</h3>"
            + bullets(summary.findings, "findings")
            + "<h3>What it means</h3>"
            + "".join(f"<p>{esc(p)}</p>" for p in _paragraphs(summary.implications))
            + "<h3>Top priorities</h3>"
            + _priorities(summary.priorities)
            + f'<p class="source">{esc(summary.source)}</p>'
        )
        return section("summary", "Executive summary", "Executive summary", body, summary.headline)

    def _headline_figures(self) -> str:
        overall = self.results["assessment"]["overall"]
        cards = [
            (
                score(overall["score"]),
                f"Overall maturity of 5 · {overall['level'] or 'not scored'}",
            ),
            (percent(overall["percentage_to_target"]), "of the way to target"),
        ]
        benchmark = self.results.get("benchmark") or {}
        if benchmark.get("available") and benchmark.get("overall"):
            cards.append(
                (
                    f"{benchmark['overall']['percentile']:.0f}",
                    f"percentile among {benchmark['n']} peers",
                )
            )
        cards.append((str(self.results["respondents"]["total"]), "respondents"))
        return (
            '<div class="headline-figures">'
            + "".join(
                f'<div class="figure-card"><div class="value">{esc(v)}</div><div class="label">{esc(label)}</div></div>'
                for v, label in cards
            )
            + "</div>"
        )

    # --- findings ---------------------------------------------------------------------------

    def scorecard(self) -> Html:
        """Every dimension: score, level, target, gap, peer percentile, coverage and confidence."""
        peers = (self.results.get("benchmark") or {}).get("dimensions") or {}
        available = (self.results.get("benchmark") or {}).get("available", False)
        rows, classes = [], []
        for depth, node in _walk(self.results["assessment"]["dimensions"]):
            peer = peers.get(node["id"]) if available and depth == 0 else None
            rows.append(
                [
                    ("&nbsp;&nbsp;" * depth) + esc(node["title"]),
                    score(node["score"]),
                    f'<span class="level-pill">{esc(node["level"] or "–")}</span>',
                    score(node["target"]),
                    score(node["gap"]),
                    f"{peer['percentile']:.0f}" if peer else "–",
                    percent(node["coverage"]),
                    _confidence(node),
                ]
            )
            classes.append("highlight" if (node["gap"] or 0) >= 0.75 else "")
        overall = self.results["assessment"]["overall"]
        peer_overall = (self.results.get("benchmark") or {}).get("overall") if available else None
        rows.append(
            [
                "<strong>Overall</strong>",
                f"<strong>{score(overall['score'])}</strong>",
                f'<span class="level-pill">{esc(overall["level"] or "–")}</span>',
                "",
                "",
                f"{peer_overall['percentile']:.0f}" if peer_overall else "–",
                percent(overall["coverage"]),
                "",
            ]
        )
        classes.append("")
        headers = [
            ("Dimension", ""),
            ("Score", "num"),
            ("Level", ""),
            ("Target", "num"),
            ("Gap", "num"),
            ("Peer pct.", "num"),
            ("Coverage", "num"),
            ("Confidence", ""),
        ]
        body = (
            table(headers, rows, "scorecard", classes)
            + '<p class="note">Scores run from 1 (Initial) to 5 (Optimizing). Highlighted rows are at least '
            "0.75 below target. Peer pct. is the percentile rank among the peer group named in the "
            "benchmark section. Coverage is the share of questions with at least one scored answer; "
            "below 50% the evidence is insufficient and the score is shown but not relied on.</p>"
            + f'<p class="source">{esc(report_text.exhibit_source(self.results, "scorecard"))}</p>'
        )
        return section(
            "scorecard", "Findings", "Scorecard", body, report_text.scorecard_title(self.results)
        )

    def maturity_profile(self) -> Html:
        """Radar of current, target and peers; gaps ordered by priority."""
        body = self._exhibit(
            charts.radar_chart, charts.radar_chart_alt, report_text.radar_title, "radar"
        )
        body += self._exhibit(charts.gap_chart, charts.gap_chart_alt, report_text.gap_title, "gaps")
        return section("profile", "Findings", "Maturity against target", body, continues=False)

    def question_detail(self) -> Html:
        """Heatmap of question scores per dimension."""
        body = self._exhibit(
            lambda r: charts.heatmap_chart(r, self.questionnaire),
            charts.heatmap_chart_alt,
            report_text.heatmap_title,
            "heatmap",
        )
        return section("questions", "Findings", "Question by question", body)

    def agreement(self) -> Html:
        """Where respondents disagree, and how roles see the PMO differently."""
        body = self._exhibit(
            lambda r: charts.agreement_chart(r, self.questionnaire),
            charts.agreement_chart_alt,
            report_text.agreement_title,
            "agreement",
        )
        body += self._exhibit(
            charts.role_gap_chart, charts.role_gap_chart_alt, report_text.role_gap_title, "roles"
        )
        rows = [
            [
                esc(d["text"]),
                esc(d["dimension_title"]),
                f"{score(d['min'])}–{score(d['max'])}",
                str(d["n"]),
            ]
            for d in self.results["disagreements"][:12]
        ]
        if rows:
            body += "<h3>Questions to discuss</h3>" + table(
                [("Question", ""), ("Dimension", ""), ("Range", "num"), ("n", "num")],
                rows,
                "disagreements",
            )
        quotes = [
            (d["text"], n) for d in self.results["disagreements"][:6] for n in d.get("notes", [])
        ]
        if quotes:
            body += "<h3>What respondents said</h3>" + "".join(
                f'<blockquote class="quote"><p>“{esc(n["note"])}”</p><p class="source">{esc(n["role"])}, '
                f"on: {esc(text)}</p></blockquote>"
                for text, n in quotes
            )
        return section("agreement", "Findings", "Where respondents disagree", body)

    def peers(self) -> Html:
        """The client against its peer group; nothing from a group below the minimum size."""
        benchmark = self.results.get("benchmark")
        if not benchmark or not benchmark.get("available"):
            minimum = (benchmark or {}).get("min_peers", 5)
            note = (
                f"No peer comparison is shown: no peer group reached the minimum of {minimum} organisations, "
                "so that no peer could be singled out."
            )
            return section("peers", "Benchmark", "Position against peers", f"<p>{esc(note)}</p>")
        flag = (
            '<span class="synthetic-flag">Synthetic benchmark</span>'
            if benchmark["benchmark"].get("synthetic")
            else ""
        )
        intro = (
            f"<p>Peer group: {esc(benchmark['label'])}, {benchmark['n']} organisations {flag}</p>"
        )
        body = intro + self._exhibit(
            charts.peer_distribution_chart,
            charts.peer_distribution_chart_alt,
            report_text.peer_title,
            "peers",
        )
        return section("peers", "Benchmark", "Position against peers", body)

    def trend(self) -> Html:
        """Change across waves; nothing when there is only one."""
        if len(self.results.get("trend") or []) < 2:
            return EMPTY
        body = self._exhibit(
            charts.trend_chart, charts.trend_chart_alt, report_text.trend_title, "trend"
        )
        progress = self.results.get("progress") or {}
        rows = [
            [
                esc(d["title"]),
                score(d["baseline"]),
                score(d["current"]),
                score(d["target"]),
                _progress_cell(d),
            ]
            for d in progress.get("dimensions", [])
        ]
        body += table(
            [
                ("Dimension", ""),
                (f"{progress.get('baseline_wave', 'Baseline')}", "num"),
                (self.results["wave"]["label"], "num"),
                ("Target", "num"),
                ("Progress", "num"),
            ],
            rows,
        )
        return section("trend", "Progress", "Progress since the baseline", body)

    def roadmap(self) -> Html:
        """The roadmap: Gantt by phase, then the actions in a table."""
        items = self.results["roadmap"]["items"]
        if not items:
            text = (
                "Every scored dimension meets its target: no improvement actions are needed now."
                if self.results["roadmap"].get("library")
                else "This questionnaire has no recommendations library, so no roadmap is computed."
            )
            return section("roadmap", "Roadmap", "Improvement roadmap", f"<p>{esc(text)}</p>")
        body = self._exhibit(
            charts.roadmap_gantt, charts.roadmap_gantt_alt, report_text.roadmap_title, "roadmap"
        )
        benefits = (self.results["roadmap"].get("library") or {}).get("benefits", {})
        rows, classes, phase = [], [], None
        for item in items:
            if item["phase_name"] != phase:
                phase = item["phase_name"]
                rows.append([f"{esc(phase)}", "", "", "", ""])
                classes.append("phase-row")
            rows.append(
                [
                    esc(item["title"]),
                    esc(item["dimension_title"]),
                    esc(item["effort"]),
                    f"{item['duration_weeks']} wk",
                    esc(benefits.get(item["benefit"], item["benefit"])),
                ]
            )
            classes.append("")
        body += table(
            [
                ("Action", ""),
                ("Dimension", ""),
                ("Effort", ""),
                ("Duration", "num"),
                ("Benefit served", ""),
            ],
            rows,
            "roadmap",
            classes,
        )
        return section("roadmap", "Roadmap", "Improvement roadmap", body)

    def engagement_frame(self) -> Html:
        """The PMO functions in scope and where the client stands on the method's steps."""
        frame = report_text.engagement_frame(self.results)
        steps = "".join(
            f'<li><span class="status {esc(s.status)}">{esc(s.label)}</span>'
            f"<div><strong>{esc(s.step)}</strong><br>{esc(s.explanation)}</div></li>"
            for s in frame
        )
        body = f'<p>{esc(report_text.functions_in_scope_text(self.results))}</p><ul class="steps">{steps}</ul>'
        title = (
            "Establishing the PMO"
            if self.results["engagement"]["kind"] == "establish"
            else "Optimizing the PMO"
        )
        return section("frame", "Engagement", title, body)

    def methodology(self) -> Html:
        """Appendix: method, respondents by role, data quality, benchmark source."""
        notes = report_text.methodology_notes(self.results, self.questionnaire)
        by_role = self.results["respondents"]["by_role"]
        body = "".join(
            f"<h3>{esc(heading)}</h3>" + "".join(f"<p>{esc(p)}</p>" for p in _paragraphs(text))
            for heading, text in notes.items()
        )
        body += "<h3>Respondents by role</h3>" + table(
            [("Role", ""), ("Respondents", "num")],
            [[esc(role), str(n)] for role, n in by_role.items()],
        )
        return section("method", "Appendix", "Method and data quality", body)

    # --- helpers ------------------------------------------------------------------------------

    def _exhibit(
        self,
        draw: Callable[[dict[str, Any]], Figure | None],
        alt: Callable[[dict[str, Any]], str],
        title: Callable[[dict[str, Any]], Any] | None,
        kind: str,
    ) -> str:
        with report_style(brand=self.branding.primary):
            figure = draw(self.results)
            if figure is None:
                return ""
            # PNG at 200 dpi: crisp on paper and on screen, and WeasyPrint lays it out in
            # milliseconds, where the same chart as SVG paths took seconds per page.
            image = figure_png_data_uri(figure, dpi=CHART_DPI)
        self.exhibits += 1
        caption = _text(title(self.results)) if title else ""
        return exhibit(
            self.exhibits,
            image,
            caption,
            alt(self.results),
            report_text.exhibit_source(self.results, kind),
        )


def _walk(nodes: list[dict[str, Any]], depth: int = 0) -> list[tuple[int, dict[str, Any]]]:
    found = []
    for node in nodes:
        found.append((depth, node))
        found += _walk(node.get("children") or [], depth + 1)
    return found


def _confidence(node: dict[str, Any]) -> str:
    if node["insufficient"] or node["score"] is None:
        return '<span class="flag">Insufficient evidence</span>'
    strong = (node["coverage"] or 0) >= 0.8 and node["respondents"] >= 3
    return f'<span class="conf">{"High" if strong else "Medium"}</span>'


def _priorities(items: Any) -> str:
    entries = []
    for item in items:
        if isinstance(item, str):
            entries.append(f"<li>{esc(item)}</li>")
        else:
            title, dimension = item
            entries.append(
                f'<li>{esc(title)} <span class="dimension">· {esc(dimension)}</span></li>'
            )
    return f'<ol class="priorities">{"".join(entries)}</ol>'


def _paragraphs(text: Any) -> list[str]:
    if text is None:
        return []
    return [text] if isinstance(text, str) else [str(t) for t in text]


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(getattr(value, "text", value))


def _progress_cell(row: dict[str, Any]) -> str:
    """Progress to target as a share; past the target it is "Target met", below the baseline
    "Fell back" (a percentage there would mislead: 1000% when the baseline sat just under target).

    >>> _progress_cell({"progress": 0.456, "current": 2.8, "target": 3.0})
    '46%'
    >>> _progress_cell({"progress": 10.0, "current": 3.3, "target": 3.0})
    'Target met'
    >>> _progress_cell({"progress": -0.2, "current": 2.1, "target": 3.0})
    'Fell back'
    """
    progress, current, target = row["progress"], row["current"], row["target"]
    if current is not None and target is not None and current >= target:
        return "Target met"
    if progress is None:
        return "–"
    return "Fell back" if progress < 0 else percent(min(progress, 1.0))
