"""Profile: where one client's report spends its CPU, stage by stage, with cProfile.

Builds a demo workspace (``--clients N``, default 3) and, in this process, takes the client with
every chart (two waves, a benchmark, a roadmap) through each stage of a batch render: building
the results; the report kernel's work (the notebook's sections and their eight charts, after the
warm-up a batch's fork server does); the HTML export; the PDF; the deck; the Word report, reusing
the charts. Each stage runs once to warm up, then once under cProfile. For each stage it prints
its CPU seconds (without the profiler) and the share of the profiled time of its main parts,
the rows of the table in ``bench/README.md``. Run: ``.venv/bin/python bench/stages.py``.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

#: What each stage is made of: a label and (file fragment, function name) of the function whose
#: cumulative time it is. Shares of one stage can overlap (drawing text is part of the layout).
PARTS: dict[str, list[tuple[str, str, str]]] = {
    "results": [
        ("reading answers from the store", "store/", "load_answers"),
        ("scoring", "scoring/assessment.py", "score_assessment"),
        ("benchmark", "insight/results.py", "_benchmark"),
        ("roadmap", "insight/results.py", "_roadmap"),
    ],
    "kernel": [
        ("building the figures", "pmo_assess/charts/style.py", "wrapper"),
        ("drawing them (Agg, 200 dpi)", "backend_agg.py", "draw"),
        ("  of which constrained layout", "_constrained_layout.py", "do_constrained_layout"),
        ("  of which text", "matplotlib/text.py", "draw"),
        ("PNG encoding", "PIL/ImageFile.py", "_save"),
        ("HTML templates", "pmo_assess/report/templates.py", "render"),
    ],
    "html": [
        ("nbconvert export", "nbconvert/exporters/templateexporter.py", "from_notebook_node"),
        ("sanitising commentary", "pmo_assess/report/commentary.py", "sanitize_commentary"),
        ("script guard", "pmo_assess/report/guard.py", "script_in"),
    ],
    "pdf": [
        ("parsing the HTML", "tinyhtml5/parser.py", "parse"),
        ("computing styles", "weasyprint/css/__init__.py", "get_all_computed_styles"),
        ("layout", "weasyprint/layout/__init__.py", "layout_document"),
        ("  of which tables", "weasyprint/layout/table.py", "table_layout"),
        ("painting pages", "weasyprint/document.py", "paint"),
        ("writing the PDF", "weasyprint/document.py", "write_pdf"),
        ("  of which pictures", "weasyprint/images.py", "get_x_object"),
        ("  of which fonts", "weasyprint/pdf/fonts.py", "build_fonts_dictionary"),
    ],
    "pptx": [
        ("native charts", "pmo_assess/report/deck/bodies.py", "draw_chart"),
        ("tables", "pmo_assess/report/deck/bodies.py", "draw_table"),
        ("fitting text", "pmo_assess/report/deck/", "fitting_size"),
        ("saving", "pptx/presentation.py", "save"),
    ],
    "docx": [
        ("pictures", "pmo_assess/report/document/pictures.py", "add_picture"),
        ("tables", "pmo_assess/report/document/body.py", "_table"),
        ("saving", "docx/document.py", "save"),
    ],
}
CLIENT = "quellbach-prazision"  # two waves, a benchmark, a roadmap: every chart


def cumulative(stats: pstats.Stats, fragment: str, name: str) -> float:
    """Cumulative seconds of the outermost calls of functions ``name`` in files matching
    ``fragment`` (recursive and nested calls counted once)."""
    entries = stats.stats  # type: ignore[attr-defined]
    total = 0.0
    for (file, _, function), (_, _, _, cum, callers) in entries.items():
        if function != name or fragment not in file:
            continue
        # leave out calls made from another call of the same function (counted in it already)
        total += cum - sum(
            c[3] for (cf, _, cfn), c in callers.items() if cfn == name and fragment in cf
        )
    return total


def profiled(stage: str, work: Callable[[], object]) -> None:
    """Print ``stage``'s CPU seconds and the shares of its parts."""
    work()  # warm up: a worker has done this stage for an earlier client
    started = time.process_time()
    work()
    seconds = time.process_time() - started
    profile = cProfile.Profile()
    profile.runcall(work)
    stats = pstats.Stats(profile)
    whole = stats.total_tt  # type: ignore[attr-defined]
    print(f"{stage:8} {seconds:5.2f} s")
    for label, fragment, name in PARTS.get(stage, []):
        share = cumulative(stats, fragment, name) / whole if whole else 0.0
        print(f"         {share:5.0%}  {label}" if share >= 0.005 else f"           <1%  {label}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=3)
    clients = parser.parse_args().clients
    os.environ.setdefault("MPLBACKEND", "agg")
    from pmo_assess.engagement.demo import build_demo_workspace
    from pmo_assess.insight.results import build_results, questionnaire_file
    from pmo_assess.report.branding import Branding
    from pmo_assess.report.guard import write_report_pdf
    from pmo_assess.report.kernel_fork import _prepare
    from pmo_assess.report.office import drawn_charts, export_office
    from pmo_assess.report.render import html_outputs, notebook_html, render_results, stylesheet
    from pmo_assess.report.sections import ReportBook
    from pmo_assess.store.repository import Store

    _prepare()  # what a fork server does before forking a kernel
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with Store.open(folder / "ws") as store:
            build_demo_workspace(store, clients=clients)
            slug = next(c.slug for c in store.clients() if c.slug == CLIENT)
            profiled("results", lambda: build_results(store, slug))
            results = build_results(store, slug)
            questionnaire = questionnaire_file(store, slug)
        out = folder / "report"
        outputs = render_results(results, out, ("html", "pdf"), questionnaire=questionnaire)
        book = ReportBook.load(out / "results.json", out / "branding.json")
        sections = [name for name in vars(ReportBook) if not name.startswith("_")]
        kernel_work = [
            "cover", "contents", "executive_summary", "scorecard", "maturity_profile",
            "question_detail", "agreement", "peers", "trend", "roadmap", "engagement_frame",
            "methodology",
        ]  # fmt: skip
        assert set(kernel_work) <= set(sections), "the report notebook's sections"

        def kernel() -> None:
            fresh = ReportBook.load(out / "results.json", out / "branding.json")
            for name in kernel_work:
                getattr(fresh, name)()

        profiled("kernel", kernel)
        import nbformat

        notebook = nbformat.read(out / "report.ipynb", as_version=4)
        branding = Branding()
        profiled("html", lambda: notebook_html(notebook, branding))
        html = notebook_html(notebook, branding)
        css = stylesheet(branding)
        profiled("pdf", lambda: write_report_pdf(html, folder / "x.pdf", out, css))
        pictures = drawn_charts(html_outputs(notebook))
        profiled("pptx", lambda: export_office(book, out, ("pptx",)))
        profiled("docx", lambda: export_office(book, out, ("docx",), pictures=pictures))
        print(f"(files: {', '.join(sorted(outputs.files))})")


if __name__ == "__main__":
    main()
