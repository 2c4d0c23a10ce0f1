"""Benchmark: what the deck and the Word report add to one client's report.

Renders one demo client's report as HTML and PDF (the notebook run and its export), then writes
the deck and the Word report from the same results, and prints each stage's wall time (median of
``--reps`` runs after one warm-up). The Word report is timed twice: drawing its charts again (the
naive way) and reusing the pictures the HTML report drew, as ``report`` and ``batch`` do. Target (issue 19): the deck and the document together cost at
most 1.5 s more than HTML and PDF alone. Run: ``.venv/bin/python bench/office.py [--reps N]``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import nbformat

from pmo_assess.engagement.demo import build_demo_workspace
from pmo_assess.insight.results import build_results, questionnaire_file
from pmo_assess.report.office import drawn_charts, export_office
from pmo_assess.report.render import html_outputs, render_results
from pmo_assess.report.sections import ReportBook
from pmo_assess.store.repository import Store

TARGET_SECONDS = 1.5


def timed(work: Callable[[], object], reps: int) -> float:
    """The median wall time of ``reps`` runs of ``work``, after one run to warm up."""
    work()
    runs = []
    for _ in range(reps):
        started = time.perf_counter()
        work()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    reps = parser.parse_args().reps
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with Store.open(folder / "ws") as store:
            build_demo_workspace(store, clients=1)
            slug = store.clients()[0].slug
            results = build_results(store, slug)
            questionnaire = questionnaire_file(store, slug)
        out = folder / "report"
        html_pdf = timed(
            lambda: render_results(results, out, ("html", "pdf"), questionnaire=questionnaire),
            reps,
        )
        book = ReportBook.load(out / "results.json", out / "branding.json")
        kept = nbformat.read(out / "report.ipynb", as_version=4)
        pictures = drawn_charts(html_outputs(kept))
        deck = timed(lambda: export_office(book, out, ("pptx",)), reps)
        drawing = timed(lambda: export_office(book, out, ("docx",)), reps)
        document = timed(lambda: export_office(book, out, ("docx",), pictures=pictures), reps)
    added = deck + document
    print(f"HTML and PDF (notebook run and export): {html_pdf:6.2f} s")
    print(f"deck (deck.pptx):                       {deck:6.2f} s")
    print(f"Word report, drawing its charts again:  {drawing:6.2f} s  (the naive way)")
    print(f"Word report, the HTML's {len(pictures)} charts reused: {document:6.2f} s")
    print(
        f"deck and Word report add {added:.2f} s ({added / html_pdf:.0%} of HTML and PDF); "
        f"target at most {TARGET_SECONDS:.1f} s: {'met' if added <= TARGET_SECONDS else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
