"""The nbconvert preprocessor that lets ``jupyter nbconvert`` render a report notebook alone
(the commentary's sanitiser is in :mod:`pmo_assess.report.commentary`)."""

from __future__ import annotations

from typing import Any

import nbformat
from nbconvert.preprocessors import Preprocessor

from pmo_assess.report.branding import Branding
from pmo_assess.report.render import stylesheet


class ReportPreprocessor(Preprocessor):
    """Gives the ``pmo_report`` template what it needs when nbconvert runs alone.

    ``notebook_html`` passes the title, language and stylesheet itself; this fills any that are
    missing (default branding), so ``jupyter nbconvert --to html --template pmo_report
    --HTMLExporter.preprocessors=pmo_assess.report.preprocessor.ReportPreprocessor`` also works.
    Add ``--HTMLExporter.filters="{'sanitize_commentary':
    'pmo_assess.report.commentary.sanitize_commentary'}"`` for the commentary to keep its
    headings and tables; without it the template falls back to nbconvert's stricter
    ``clean_html``.
    """

    def preprocess(
        self, nb: nbformat.NotebookNode, resources: dict[str, Any]
    ) -> tuple[nbformat.NotebookNode, dict[str, Any]]:
        meta = nb.metadata.get("pmo_assess", {})
        report = resources.setdefault("report", {})
        report.setdefault("lang", meta.get("lang", "en"))
        report.setdefault("title", meta.get("title", "Report"))
        if "css" not in report:
            report["css"] = stylesheet(Branding())
        return nb, resources
