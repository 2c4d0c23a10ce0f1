"""``<out>/index.html``: the firm's overview of a batch — every client, headline scores, links.

For the firm's own use, never for a client: it names every client. It lists the clients of the
run that wrote it, plus any other client whose report is already in the folder from an earlier
run. Headline figures come from each report's ``results.json``. One self-contained page: no
script, no external resource, every value escaped.
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
from pmo_assess.report.html import esc, percent, score

STATUS_TEXT = {
    RENDERED: "Rendered",
    SKIPPED: "Unchanged",
    FAILED: "Failed",
    "earlier": "Earlier run",
}


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
    scores = [r.results["assessment"]["overall"]["score"] for r in rows if r.results]
    scores = [s for s in scores if s is not None]
    cards = [
        ("Clients", str(len(rows))),
        ("Rendered now", str(counts[RENDERED])),
        ("Unchanged", str(counts[SKIPPED] + counts["earlier"])),
        ("Failed", str(counts[FAILED])),
        ("Median overall score", score(median(scores)) if scores else "–"),
    ]
    card_html = "".join(
        f'<div class="card{" alert" if label == "Failed" and value != "0" else ""}">'
        f'<span class="value">{esc(value)}</span><span class="label">{esc(label)}</span></div>'
        for label, value in cards
    )
    body = "".join(_row_html(out_dir, row) for row in rows)
    stamp = datetime.now(UTC).strftime("%d %b %Y, %H:%M UTC")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="pmo-assess">
<title>Client reports · overview</title>
<style>{_CSS}</style>
</head>
<body>
<header>
<p class="kicker">For the firm's own use · names every client · do not send to a client</p>
<h1>Client reports</h1>
<p class="lede">Headline maturity of every client in this folder, how its last batch run went,
and links to its reports. Updated {esc(stamp)}.</p>
</header>
<section class="cards">{card_html}</section>
<table>
<thead><tr><th>Client</th><th>Wave</th><th class="num">Overall</th><th>Level</th>
<th class="num">Of target</th><th>Largest gap</th><th class="num">Peer percentile</th>
<th class="num">Respondents</th><th>Status</th><th>Reports</th></tr></thead>
<tbody>{body}</tbody>
</table>
<footer>Scores on the questionnaire's scale (1–5 for PMO maturity). “Of target” is the overall
score as a share of the overall target. Peer percentile: where the client stands among
comparable organisations in the benchmark (50 = median).</footer>
</body>
</html>
"""


def _row_html(out_dir: Path, row: IndexRow) -> str:
    results = row.results or {}
    overall = results.get("assessment", {}).get("overall", {})
    client = results.get("client", {})
    details = " · ".join(str(v) for v in (client.get("industry"), client.get("size_band")) if v)
    name = f'<span class="name">{esc(row.name)}</span>' + (
        f'<span class="sub">{esc(details)}</span>' if details else ""
    )
    status = f'<span class="status {esc(row.status)}">{esc(STATUS_TEXT[row.status])}</span>'
    if row.cause:
        status += f'<span class="cause">{esc(row.cause)}</span>'
    cells = [
        name,
        esc(row.wave or "–"),
        score(overall.get("score"), 2),
        esc(overall.get("level") or "–"),
        percent(overall.get("percentage_to_target")),
        _largest_gap(results),
        _percentile(results),
        esc(results.get("respondents", {}).get("total", "–")),
        status,
        _links(out_dir, row),
    ]
    numeric = {2, 4, 6, 7}
    return (
        f'<tr class="{esc(row.status)}">'
        + "".join(
            f'<td class="num">{c}</td>' if i in numeric else f"<td>{c}</td>"
            for i, c in enumerate(cells)
        )
        + "</tr>"
    )


def _largest_gap(results: dict[str, Any]) -> str:
    gaps = [g for g in results.get("gaps", []) if g.get("gap") is not None and g["gap"] > 0]
    if not gaps:
        return "–" if not results else "None"
    top = max(gaps, key=lambda g: (g.get("priority") or 0, g["gap"]))
    return f'{esc(top["title"])} <span class="sub">({score(top["gap"])} below target)</span>'


def _percentile(results: dict[str, Any]) -> str:
    benchmark = results.get("benchmark") or {}
    value = (
        (benchmark.get("overall") or {}).get("percentile") if benchmark.get("available") else None
    )
    return "–" if value is None else f"{value:.0f}"


def _links(out_dir: Path, row: IndexRow) -> str:
    links = []
    if row.folder is not None and row.status != FAILED:
        for kind, label in (("html", "HTML"), ("pdf", "PDF")):
            target = row.folder / f"report.{kind}"
            if target.is_file():
                links.append(f'<a href="{_href(out_dir, target)}">{label}</a>')
    if row.log is not None and row.log.is_file():
        links.append(f'<a href="{_href(out_dir, row.log)}">Log</a>')
    return " · ".join(links) or "–"


def _href(out_dir: Path, target: Path) -> str:
    return esc(quote(target.resolve().relative_to(out_dir.resolve()).as_posix()))


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


_CSS = """
:root { --ink: #1d2733; --muted: #5b6775; --rule: #d9dee4; --wash: #f4f6f8; --brand: #0B3C5D;
  --good: #1b7f4b; --bad: #b3261e; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1280px; padding: 2.5rem 2rem 3rem; color: var(--ink);
  font: 15px/1.45 "Lato", "Segoe UI", "Helvetica Neue", Arial, sans-serif; }
header { border-top: 8px solid var(--brand); padding-top: 1.2rem; }
.kicker { text-transform: uppercase; letter-spacing: .08em; font-size: .75rem; color: var(--bad);
  font-weight: 700; margin: 0; }
h1 { font-size: 2rem; margin: .3rem 0 .4rem; color: var(--brand); }
.lede { color: var(--muted); margin: 0 0 1.5rem; max-width: 60rem; }
.cards { display: flex; flex-wrap: wrap; gap: .8rem; margin-bottom: 1.8rem; }
.card { flex: 1 1 10rem; background: var(--wash); border-left: 4px solid var(--brand);
  padding: .7rem .9rem; }
.card.alert { border-left-color: var(--bad); }
.card .value { display: block; font-size: 1.7rem; font-weight: 700; color: var(--brand);
  font-variant-numeric: tabular-nums; }
.card.alert .value { color: var(--bad); }
.card .label { color: var(--muted); font-size: .85rem; }
table { width: 100%; border-collapse: collapse; font-size: .92rem; }
th { text-align: left; font-size: .78rem; text-transform: uppercase; letter-spacing: .04em;
  color: var(--muted); border-bottom: 2px solid var(--ink); padding: .5rem .6rem; }
td { border-bottom: 1px solid var(--rule); padding: .55rem .6rem; vertical-align: top; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.name { display: block; font-weight: 700; }
.sub { display: block; color: var(--muted); font-size: .82rem; }
td .sub { display: inline; }
td:first-child .sub { display: block; }
.status { font-weight: 700; white-space: nowrap; }
.status.rendered { color: var(--good); }
.status.failed { color: var(--bad); }
.status.skipped, .status.earlier { color: var(--muted); }
.cause { display: block; color: var(--bad); font-size: .82rem; max-width: 28rem; }
tr.failed { background: #fdf3f2; }
td:nth-child(2), td:last-child { white-space: nowrap; }
a { color: var(--brand); font-weight: 700; }
footer { margin-top: 1.5rem; color: var(--muted); font-size: .82rem; max-width: 60rem; }
"""
