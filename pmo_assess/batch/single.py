"""One client's report straight from the store: build its results, then render them.

The renderer (:mod:`pmo_assess.report.render`) reads only the results contract; this is the
convenience that builds that contract from the engagement store first, for ``pmo-assess report``
and for tests.
"""

from __future__ import annotations

from pathlib import Path

from pmo_assess.insight.results import build_results, questionnaire_file
from pmo_assess.report.branding import load_branding
from pmo_assess.report.render import FORMATS, ReportOutputs, render_results, report_folder
from pmo_assess.store.repository import Store


def render_client_report(
    store: Store,
    client_slug: str,
    wave: str | None = None,
    out_dir: str | Path = "reports",
    formats: tuple[str, ...] = FORMATS,
    branding_path: str | Path | None = None,
    benchmark_path: str | Path | None = None,
    timeout: float = 600,
) -> ReportOutputs:
    """Render ``<out>/<client>/<wave>/report.{html,pdf,ipynb}`` and ``results.json``."""
    results = build_results(store, client_slug, wave, benchmark_path=benchmark_path)
    folder = report_folder(Path(out_dir), client_slug, results.wave["label"])
    return render_results(
        results,
        folder,
        formats,
        load_branding(branding_path),
        timeout,
        questionnaire_file(store, client_slug),
    )
