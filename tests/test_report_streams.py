"""What the report kernel writes to stderr (warnings naming files on this machine) is logged for
whoever runs the report and never kept in report.ipynb."""

from __future__ import annotations

import json
import logging

import nbformat
import pytest

from pmo_assess.batch.single import render_client_report
from pmo_assess.core.paths import report_notebook
from pmo_assess.engagement.demo import build_demo_workspace
from pmo_assess.report import render
from pmo_assess.report.streams import drop_stderr
from pmo_assess.store.repository import Store

#: A cell the way a library warns: warnings.warn names the file it came from (in a kernel, a
#: path like /tmp/ipykernel_123/456.py), and a stray message goes straight to stderr.
NOISY_CELL = (
    "import sys, warnings\n"
    "warnings.warn('the font cache is being rebuilt')\n"
    "sys.stderr.write('a stray message on stderr\\n')"
)


@pytest.fixture
def noisy_template(tmp_path, monkeypatch):
    """The report template with a warning cell after its setup cell."""
    notebook = nbformat.read(report_notebook(), as_version=4)
    setup = next(i for i, c in enumerate(notebook.cells) if "ReportBook.load" in c.source)
    notebook.cells.insert(setup + 1, nbformat.v4.new_code_cell(NOISY_CELL))
    path = tmp_path / "noisy-report.ipynb"
    nbformat.write(notebook, path)
    monkeypatch.setattr(render, "report_notebook", lambda: path)


def test_a_kernel_warning_never_reaches_the_kept_notebook(tmp_path, noisy_template, caplog):
    with Store.open(tmp_path / "ws") as store:
        build_demo_workspace(store, clients=1)
        slug = store.clients()[0].slug
        with caplog.at_level(logging.WARNING, logger="pmo_assess"):
            outputs = render_client_report(
                store, slug, out_dir=tmp_path / "reports", formats=("html",)
            )
    kept = outputs.files["notebook"].read_text(encoding="utf-8")
    outputs_of = [o for c in json.loads(kept)["cells"] for o in c.get("outputs", [])]
    assert not [o for o in outputs_of if o.get("name") == "stderr"]
    html = outputs.files["html"].read_text(encoding="utf-8")
    for leak in ("UserWarning", "ipykernel_", "/tmp", str(tmp_path)):
        assert leak not in kept and leak not in html
    assert "stray message" not in json.dumps(outputs_of) and "stray message" not in html
    logged = caplog.text
    assert "font cache is being rebuilt" in logged and "a stray message on stderr" in logged


def test_a_notebook_without_stderr_is_left_as_it_was():
    cell = nbformat.v4.new_code_cell(
        outputs=[nbformat.v4.new_output("stream", name="stdout", text="kept")]
    )
    notebook = nbformat.v4.new_notebook(cells=[cell, nbformat.v4.new_markdown_cell("prose")])
    assert drop_stderr(notebook) == 0
    assert notebook.cells[0].outputs[0]["text"] == "kept"
