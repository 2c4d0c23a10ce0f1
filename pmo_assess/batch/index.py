"""``<out>/index.html``: the firm's overview of a batch — every client, headline scores, links.

For the firm's own use, never for a client: it names every client. It lists the clients of the
run that wrote it, plus any other client whose report is already in the folder from an earlier
run. Headline figures come from each report's ``results.json`` and are shown as the report shows
them: scores by the product's one rounding rule at the client's precision, shares as the
executive summary words them. One self-contained page: no script, no external resource, every
value escaped. The markup is the template
``report/assets/templates/index.html.j2``; this module works out what it shows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from statistics import median
from typing import Any
from urllib.parse import quote

from pmo_assess.batch.run import FAILED, LOGS, MANIFEST, RENDERED, SKIPPED, Outcome
from pmo_assess.core.atomic import write_text_atomic
from pmo_assess.core.rounding import number_text
from pmo_assess.report.office import output_name
from pmo_assess.report.templates import render
from pmo_assess.report.text.phrases import percent

STATUS_TEXT = {
    RENDERED: "Rendered",
    SKIPPED: "Unchanged",
    FAILED: "Failed",
    "earlier": "Earlier run",
}
#: What "Largest gap" says of a client whose every scored dimension meets its target.
ALL_MET = "All targets met"


@dataclass(frozen=True)
class IndexRow:
    """One client on the index: how its last run went and its report's headline figures."""

    slug: str
    name: str
    wave: str | None
    status: str
    folder: Path | None
    results: dict[str, Any] | None
    cause: str = ""
    log: Path | None = None


def write_index(out_dir: Path, outcomes: list[Outcome]) -> Path:
    """Write ``out_dir/index.html`` for ``outcomes`` and the reports already in ``out_dir``."""
    rows = index_rows(out_dir, outcomes)
    path = out_dir / "index.html"
    write_text_atomic(path, index_html(out_dir, rows))
    return path


def index_rows(out_dir: Path, outcomes: list[Outcome]) -> list[IndexRow]:
    """This run's clients, then earlier reports of other clients found in ``out_dir``."""
    rows = []
    for outcome in outcomes:
        folder = next(iter(outcome.files.values())).parent if outcome.files else None
        rows.append(
            IndexRow(
                outcome.slug,
                outcome.name,
                outcome.wave,
                outcome.status,
                folder,
                _results(folder) if outcome.status != FAILED else None,
                outcome.cause.split("\n\n")[0],
                outcome.log,
            )
        )
    seen = {o.slug for o in outcomes}
    for folder in _earlier_reports(out_dir, seen):
        results = _results(folder)
        if results is not None:
            rows.append(
                IndexRow(
                    folder.parent.name,
                    str(results["client"]["name"]),
                    folder.name,
                    "earlier",
                    folder,
                    results,
                )
            )
    return sorted(rows, key=lambda r: (r.name.casefold(), r.slug))


def index_html(out_dir: Path, rows: list[IndexRow]) -> str:
    """The page itself."""
    counts = {s: sum(1 for r in rows if r.status == s) for s in STATUS_TEXT}
    scored = [r.results for r in rows if r.results and _overall(r.results).get("score") is not None]
    scores = [_overall(results)["score"] for results in scored]
    # clients may show scores at different precisions; the median is shown at the finest of them
    digits = max((_precision(results) for results in scored), default=1)
    cards = [
        ("Clients", str(len(rows))),
        ("Rendered now", str(counts[RENDERED])),
        ("Unchanged", str(counts[SKIPPED] + counts["earlier"])),
        ("Failed", str(counts[FAILED])),
        ("Median overall score", number_text(median(scores) if scores else None, digits)),
    ]
    return render(
        "index.html.j2",
        cards=[
            {"label": label, "value": value, "alert": label == "Failed" and value != "0"}
            for label, value in cards
        ],
        rows=[_row(out_dir, row) for row in rows],
        stamp=datetime.now(UTC).strftime("%d %b %Y, %H:%M UTC"),
    )


def _row(out_dir: Path, row: IndexRow) -> dict[str, Any]:
    """What the index shows of one client, as plain values."""
    results = row.results or {}
    overall = _overall(results)
    client = results.get("client", {})
    gap = _largest_gap(results)
    return {
        "status": row.status,
        "name": row.name,
        "details": " · ".join(
            str(v) for v in (client.get("industry"), client.get("size_band")) if v
        ),
        "wave": row.wave or "–",
        "score": number_text(overall.get("score"), _precision(results)),
        "level": overall.get("level") or "–",
        "share": _target_reached(overall.get("percentage_to_target")),
        "gap": gap,
        "gap_state": "met" if gap == ALL_MET else "",
        "percentile": _percentile(results),
        "respondents": results.get("respondents", {}).get("total", "–"),
        "status_text": STATUS_TEXT[row.status],
        "cause": row.cause,
        "links": _links(out_dir, row),
    }


def _overall(results: dict[str, Any]) -> dict[str, Any]:
    overall: dict[str, Any] = (results.get("assessment") or {}).get("overall") or {}
    return overall


def _precision(results: dict[str, Any]) -> int:
    """Decimals the client's report shows scores with (1 in results written before the scale
    carried its precision)."""
    return int((results.get("scale") or {}).get("precision", 1))


def _target_reached(share: float | None) -> str:
    """``percentage_to_target`` worded as the executive summary words it, or a dash."""
    return "–" if share is None else percent(share)


def _largest_gap(results: dict[str, Any]) -> str | dict[str, str]:
    """The scored dimension furthest below its target (its title, and by how much; ties go to
    the first title alphabetically), or why there is none.

    Gaps are the results' own, between the score and target as shown, so the index names the
    gap the report's scorecard shows.

    >>> gaps = [{"title": "Tools", "score": 2.0, "target": 3.0, "gap": 1.0, "priority": 1.0},
    ...         {"title": "Risk", "score": 2.5, "target": 3.5, "gap": 1.0, "priority": 3.0},
    ...         {"title": "People", "score": 1.0, "target": 3.0, "gap": 2.0, "priority": 0.5}]
    >>> _largest_gap({"gaps": gaps}), _largest_gap({"gaps": gaps[:2]})["title"]
    ({'title': 'People', 'note': '(2.0 below target)'}, 'Risk')
    >>> _largest_gap({"gaps": [{"title": "Risk", "score": 3.6, "target": 3.5, "gap": 0.0}]})
    'All targets met'
    """
    if not results:
        return "–"
    gaps = results.get("gaps") or []
    targeted = [g for g in gaps if g.get("score") is not None and g.get("target") is not None]
    if not targeted:
        return "No targets set"
    below = [g for g in targeted if (g.get("gap") or 0) > 0]
    if not below:
        return ALL_MET
    top = min(below, key=lambda g: (-g["gap"], g["title"].casefold(), g["title"]))
    shown = number_text(top["gap"], _precision(results))
    return {"title": top["title"], "note": f"({shown} below target)"}


def _percentile(results: dict[str, Any]) -> str:
    benchmark = results.get("benchmark") or {}
    value = (
        (benchmark.get("overall") or {}).get("percentile") if benchmark.get("available") else None
    )
    return "–" if value is None else f"{value:.0f}"


def _links(out_dir: Path, row: IndexRow) -> list[tuple[str, str]]:
    """(label, relative address) of the client's report files and log that exist."""
    links = []
    if row.folder is not None and row.status != FAILED:
        for kind, label in (("html", "HTML"), ("pdf", "PDF"), ("pptx", "Deck"), ("docx", "Word")):
            target = row.folder / output_name(kind)
            if target.is_file():
                links.append((label, _href(out_dir, target)))
    if row.log is not None and row.log.is_file():
        links.append(("Log", _href(out_dir, row.log)))
    return links


def _href(out_dir: Path, target: Path) -> str:
    return quote(target.resolve().relative_to(out_dir.resolve()).as_posix())


def _results(folder: Path | None) -> dict[str, Any] | None:
    if folder is None:
        return None
    try:
        data = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _earlier_reports(out_dir: Path, seen: set[str]) -> list[Path]:
    """The most recent reported wave of each client folder not in this run."""
    found = []
    for client_dir in (
        sorted(p for p in out_dir.iterdir() if p.is_dir()) if out_dir.is_dir() else []
    ):
        if client_dir.name in seen or client_dir.name == LOGS or client_dir.name.startswith("."):
            continue
        waves = [w for w in client_dir.iterdir() if (w / MANIFEST).is_file()]
        if waves:
            found.append(max(waves, key=lambda w: (w / MANIFEST).stat().st_mtime))
    return found
