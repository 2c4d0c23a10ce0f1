"""The engagement notebooks: committed without outputs, thin, and each one runs top to bottom
with papermill on a fresh demo workspace, so none can rot unnoticed."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import nbformat
import papermill
import pytest

from pmo_assess.engagement.demo import build_demo_workspace
from pmo_assess.report.kernels import IPCKernelManager
from pmo_assess.store.repository import Store

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
STEPS = [p for p in NOTEBOOKS if p.name[:2].isdigit()]
FIRST_CLIENT = "quellbach-prazision"


def test_every_step_of_the_method_has_its_notebook():
    names = {p.stem for p in STEPS}
    expected = {
        "00_start_here",
        "01_scope_and_objectives",
        "02_interview",
        "03_analysis",
        "04_implementation_plan",
        "05_executive_briefing",
        "06_optimize_reassessment",
        "07_performance_monitoring",
    }
    assert expected <= names, f"missing: {sorted(expected - names)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_committed_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, path.name
    assert notebook.metadata.kernelspec["name"] == "python3"


@pytest.mark.parametrize("path", STEPS, ids=lambda p: p.name)
def test_step_notebooks_take_workspace_and_client_and_stay_thin(path):
    notebook = nbformat.read(path, as_version=4)
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "one cell tagged 'parameters'"
    names = {
        target.id
        for node in ast.parse(tagged[0].source).body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    assert {"workspace", "client"} <= names
    assert notebook.cells[0].cell_type == "markdown"
    for cell in notebook.cells:
        if cell.cell_type == "code":  # logic belongs in the package, not in the notebook
            tree = ast.parse(cell.source)
            assert not any(isinstance(n, ast.FunctionDef | ast.ClassDef) for n in tree.body)
            assert len(cell.source.splitlines()) <= 30, f"{path.name}: a long code cell"


@pytest.fixture(scope="module")
def demo_workspace(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("notebooks") / "ws"
    with Store.open(folder) as store:
        build_demo_workspace(store, clients=3)
    return folder


@pytest.mark.parametrize(
    ("path", "client"),
    [(p, FIRST_CLIENT) for p in STEPS] + [(STEPS[0], "")] if STEPS else [],
    ids=lambda value: value.name if isinstance(value, Path) else (value or "first-client"),
)
def test_step_notebook_runs_top_to_bottom(path, client, demo_workspace, tmp_path):
    workspace = tmp_path / "ws"
    shutil.copytree(demo_workspace, workspace)
    output = tmp_path / path.name
    papermill.execute_notebook(
        str(path),
        str(output),
        parameters={"workspace": str(workspace), "client": client},
        kernel_name="python3",
        kernel_manager_class=IPCKernelManager,
        cwd=str(tmp_path),
        execution_timeout=300,
        progress_bar=False,
    )
    executed = nbformat.read(output, as_version=4)
    errors = [
        o for c in executed.cells for o in c.get("outputs", []) if o.get("output_type") == "error"
    ]
    assert not errors
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["ws", path.name]), (
        "a notebook wrote outside its workspace"
    )


def test_only_the_widgets_package_imports_ipywidgets():
    offenders = []
    for source in (ROOT / "pmo_assess").rglob("*.py"):
        if "widgets" in source.relative_to(ROOT / "pmo_assess").parts:
            continue
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(n.split(".")[0] == "ipywidgets" for n in names):
                offenders.append(str(source.relative_to(ROOT)))
    assert not offenders
