"""Kernels forked from a batch worker's fork server: each one a fresh, ordinary kernel process."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import nbformat
import papermill
import psutil
import pytest

from pmo_assess.report import kernel_fork
from pmo_assess.report.kernels import ReportKernelManager, reap_kernels

PROBE = """
import json, os, sys
import pmo_assess
seen = getattr(pmo_assess, "_left_by_an_earlier_kernel", None)
pmo_assess._left_by_an_earlier_kernel = os.getpid()
print(json.dumps({
    "pid": os.getpid(), "ppid": os.getppid(), "sid": os.getsid(0), "cwd": os.getcwd(),
    "env": os.environ.get("PMO_FORK_TEST"), "seen": seen, "argv0": sys.argv[0],
    "report_modules": "pmo_assess.report.sections" in sys.modules,
}))
"""


def probe_notebook(path: Path) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    notebook.metadata["language_info"] = {"name": "python"}
    notebook.cells = [nbformat.v4.new_code_cell(PROBE)]
    nbformat.write(notebook, path)
    return path


def run_probe(notebook: Path, work: Path) -> dict:
    work.mkdir()
    output = work / "out.ipynb"
    try:
        papermill.execute_notebook(
            str(notebook),
            str(output),
            cwd=str(work),
            kernel_name="python3",
            kernel_manager_class=ReportKernelManager,
            progress_bar=False,
            shutdown_kernel="immediate",
            execution_timeout=120,
        )
    finally:
        reap_kernels()
    cell = nbformat.read(output, as_version=4).cells[0]
    text = "".join(o["text"] for o in cell.outputs if o.get("name") == "stdout")
    return json.loads(text)


@pytest.fixture
def server(monkeypatch):
    monkeypatch.setenv("PMO_FORK_TEST", "from the worker")
    started = kernel_fork.start_fork_server()
    yield started
    kernel_fork.stop_fork_server()


def test_each_kernel_is_a_fresh_fork_of_the_server_in_its_own_folder(server, tmp_path):
    notebook = probe_notebook(tmp_path / "probe.ipynb")
    first = run_probe(notebook, tmp_path / "first")
    second = run_probe(notebook, tmp_path / "second")

    for run, folder in ((first, "first"), (second, "second")):
        assert run["ppid"] == server.pid  # forked by the server, not started by us
        assert run["sid"] == run["pid"]  # a session of its own, as jupyter_client starts one
        assert run["cwd"] == str(tmp_path / folder)
        assert run["env"] == "from the worker"  # the environment jupyter_client gave it
        assert run["report_modules"]  # the imports it was forked to skip
    assert first["pid"] != second["pid"]
    # nothing one client's kernel did reaches the next: both found the module untouched
    assert first["seen"] is None and second["seen"] is None
    # shut down and collected by the server: no zombie left
    assert gone(first["pid"]) and gone(second["pid"])


def test_without_a_working_server_the_kernel_starts_the_usual_way(server, tmp_path):
    notebook = probe_notebook(tmp_path / "probe.ipynb")
    os.kill(server.pid, 9)
    psutil.Process(server.pid).wait(timeout=10)
    run = run_probe(notebook, tmp_path / "work")
    assert run["ppid"] == os.getpid()
    assert run["report_modules"] is False


def test_the_server_forks_only_the_stock_python_kernel(server, tmp_path):
    assert (
        server.spawn(
            ["/usr/bin/other-python", "-m", "ipykernel_launcher", "-f", "x"],
            str(tmp_path),
            {},
            tmp_path / "log",
        )
        is None
    )
    assert (
        server.spawn(
            [sys.executable, "-m", "some_other_kernel", "-f", "x"],
            str(tmp_path),
            {},
            tmp_path / "log",
        )
        is None
    )


def test_stopping_the_server_leaves_no_process(tmp_path):
    server = kernel_fork.start_fork_server()
    server_process = psutil.Process(server.pid)
    notebook = probe_notebook(tmp_path / "probe.ipynb")
    run = run_probe(notebook, tmp_path / "work")
    kernel_fork.stop_fork_server()
    assert gone(server_process.pid) and gone(run["pid"])


def gone(pid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while psutil.pid_exists(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not psutil.pid_exists(pid)
