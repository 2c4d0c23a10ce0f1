"""One client's report straight from the store: build its results, then render them.

The renderer (:mod:`pmo_assess.report.render`) reads only the results contract; this is the
convenience that builds that contract from the engagement store first, for ``pmo-assess report``
and for tests. The wave's commentary comes from the store too, after any commentary found only
in the kept notebook it replaces has been saved there (:mod:`pmo_assess.batch.commentary`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from pmo_assess.batch.commentary import keep_unsaved_commentary
from pmo_assess.insight.results import build_results, questionnaire_file
from pmo_assess.report.branding import load_branding
from pmo_assess.report.render import FORMATS, ReportOutputs, render_results, report_folder
from pmo_assess.store.commentary import read_commentary
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
    templates: Mapping[str, Path] | None = None,
) -> ReportOutputs:
    """Render ``<out>/<client>/<wave>/report.{html,pdf,ipynb}`` and ``results.json``, with the
    wave's commentary; ``notes`` say what was saved or removed on the way."""
    results = build_results(store, client_slug, wave, benchmark_path=benchmark_path)
    label = results.wave["label"]
    folder = report_folder(Path(out_dir), client_slug, label)
    kept = keep_unsaved_commentary(store, client_slug, label, folder)
    outputs = render_results(
        results,
        folder,
        formats,
        load_branding(branding_path),
        timeout,
        questionnaire_file(store, client_slug),
        commentary=read_commentary(store, client_slug, label),
        templates=templates,
    )
    return replace(outputs, notes=(*([kept] if kept else []), *outputs.notes))
