"""The engagement notebooks: committed without outputs, thin, and each one runs top to bottom
with papermill on a fresh demo workspace, so none can rot unnoticed."""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import nbformat
import papermill
import pytest

from pmo_assess.engagement.demo import build_demo_workspace
from pmo_assess.engagement.notebook import choose
from pmo_assess.report.kernels import IPCKernelManager
from pmo_assess.store.projects import project_snapshots
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


def run_notebook(path: Path, folder: Path, parameters: dict[str, object] | None = None) -> Path:
    """Execute a notebook in ``folder`` as a consultant's JupyterLab would, returning the output."""
    output = folder / path.name
    papermill.execute_notebook(
        str(path),
        str(output),
        parameters=parameters or {},
        kernel_name="python3",
        kernel_manager_class=IPCKernelManager,
        cwd=str(folder),
        execution_timeout=300,
        progress_bar=False,
    )
    return output


def shown_outputs(notebook: nbformat.NotebookNode) -> list[tuple[str, str]]:
    """Every output a reader sees, as (mime type, text)."""
    seen = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                seen.append(("stream", output.get("text", "")))
            for mime, data in output.get("data", {}).items():
                if mime.startswith("text/"):
                    seen.append((mime, data if isinstance(data, str) else "".join(data)))
    return seen


RAW_CELL = re.compile(r"<td[^>]*>\s*(nan|NaN|None|True|False|NaT|<NA>)\s*</td>")
LONG_FLOAT = re.compile(r"<td[^>]*>\s*-?\d+\.\d{4,}\s*</td>")


RAW_REPR = re.compile(r"^[A-Z]\w*\(\w+=")


def raw_values(notebook: nbformat.NotebookNode) -> list[str]:
    """What a client must never see in a notebook's tables: raw pandas output and Python values,
    and a form shown twice."""
    found = []
    for cell in notebook.cells:
        outputs = [o for o in cell.get("outputs", []) if "data" in o]
        forms = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o["data"]]
        if len(forms) > 1:
            found.append(f"a form shown {len(forms)} times by one cell: {cell.source[:60]}")
        for output in outputs:
            plain = output["data"].get("text/plain", "")
            if set(output["data"]) == {"text/plain"} and RAW_REPR.match(plain):
                found.append(f"a Python object printed raw: {plain[:60]}")
    for mime, text in shown_outputs(notebook):
        if "dtype:" in text:
            found.append(f"{mime}: a pandas Series printed raw")
        if 'class="dataframe"' in text:
            found.append(f"{mime}: a DataFrame shown by pandas, not through house_table")
        found += [f"{mime}: cell {m.group(0)}" for m in RAW_CELL.finditer(text)]
        found += [f"{mime}: cell {m.group(0)}" for m in LONG_FLOAT.finditer(text)]
    return found


def store_counts(folder: Path) -> dict[str, int]:
    """What running a notebook as shipped must not add to: clients, respondents, project rows."""
    with Store.open(folder, create=False) as store:
        counts = {"clients": len(store.clients())}
        for client in store.clients():
            engagement = store.find_engagement(client.slug)
            if engagement is None:
                continue
            counts[f"{client.slug} respondents"] = sum(
                len(store.respondents(w.id)) for w in store.waves(engagement.id)
            )
            counts[f"{client.slug} project rows"] = project_snapshots(store, engagement.id).records
    return counts


@pytest.mark.parametrize("path", STEPS, ids=lambda p: p.name)
def test_step_notebook_runs_as_shipped_with_only_the_workspace_set(
    path, demo_workspace, tmp_path, monkeypatch
):
    workspace = tmp_path / "ws"
    shutil.copytree(demo_workspace, workspace)
    with Store.open(workspace, create=False) as store:
        choose(store, FIRST_CLIENT)  # what 00_start_here or `pmo-assess use` records
    before = store_counts(workspace)
    monkeypatch.setenv("PMO_ASSESS_WORKSPACE", str(workspace))
    monkeypatch.delenv("PMO_ASSESS_CLIENT", raising=False)
    executed = nbformat.read(run_notebook(path, tmp_path), as_version=4)
    errors = [
        o for c in executed.cells for o in c.get("outputs", []) if o.get("output_type") == "error"
    ]
    assert not errors
    assert not [t for _, t in shown_outputs(executed) if "pmo-error" in t]
    assert raw_values(executed) == []
    banner = [t for m, t in shown_outputs(executed) if "pmo-step-banner" in t]
    assert path.name.startswith("00") or banner, "every step notebook says what it works on"
    assert store_counts(workspace) == before, "a notebook run as shipped added records"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["ws", path.name]), (
        "a notebook wrote outside its workspace"
    )


def test_the_client_chosen_in_00_is_the_one_every_notebook_opens(
    demo_workspace, tmp_path, monkeypatch
):
    workspace = tmp_path / "ws"
    shutil.copytree(demo_workspace, workspace)
    monkeypatch.setenv("PMO_ASSESS_WORKSPACE", str(workspace))
    with Store.open(workspace, create=False) as store:
        other = [c for c in store.clients() if c.slug != FIRST_CLIENT][-1]
    start = nbformat.read(run_notebook(STEPS[0], tmp_path, {"client": other.slug}), as_version=4)
    assert any(other.slug in t and "pmo-step-banner" in t for _, t in shown_outputs(start))
    analysis = next(p for p in STEPS if p.name.startswith("03"))
    executed = nbformat.read(run_notebook(analysis, tmp_path), as_version=4)
    banner = next(t for _, t in shown_outputs(executed) if "pmo-step-banner" in t)
    assert other.name in banner and FIRST_CLIENT not in banner


@pytest.mark.parametrize(
    ("setting", "phrase"),
    [
        ("no workspace", "No workspace chosen"),
        ("missing folder", "No workspace in"),
        ("no client chosen", "none is chosen"),
    ],
)
def test_a_notebook_that_cannot_tell_what_to_open_says_so_without_a_traceback(
    setting, phrase, demo_workspace, tmp_path, monkeypatch
):
    monkeypatch.delenv("PMO_ASSESS_WORKSPACE", raising=False)
    monkeypatch.delenv("PMO_ASSESS_CLIENT", raising=False)
    if setting == "missing folder":
        monkeypatch.setenv("PMO_ASSESS_WORKSPACE", str(tmp_path / "nowhere"))
    if setting == "no client chosen":
        shutil.copytree(demo_workspace, tmp_path / "ws")
        monkeypatch.setenv("PMO_ASSESS_WORKSPACE", str(tmp_path / "ws"))
    analysis = next(p for p in STEPS if p.name.startswith("03"))
    with pytest.raises(papermill.PapermillExecutionError):
        run_notebook(analysis, tmp_path)
    executed = nbformat.read(tmp_path / analysis.name, as_version=4)
    messages = [t for _, t in shown_outputs(executed) if "pmo-error" in t]
    assert len(messages) == 1 and phrase in messages[0]
    tracebacks = [
        o for c in executed.cells for o in c.get("outputs", []) if o.get("output_type") == "error"
    ]
    assert tracebacks == [], "the user sees the message, not a traceback"
    assert not (tmp_path / "nowhere").exists() and not (tmp_path / "workspace").exists()


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


@pytest.mark.parametrize("shape", ["samm", "four-level"])
@pytest.mark.parametrize("name", ["01_scope_and_objectives.ipynb", "03_analysis.ipynb"])
def test_the_scale_minded_notebooks_read_right_for_another_model(
    shape, name, tmp_path, monkeypatch
):
    """The scope targets and the analysis on a 0-3 SAMM-like model and a firm's 4-level one."""
    from report_shapes import build_shape

    workspace = tmp_path / "ws"
    with Store.open(workspace) as store:
        choose(store, build_shape(store, shape))
    monkeypatch.setenv("PMO_ASSESS_WORKSPACE", str(workspace))
    monkeypatch.delenv("PMO_ASSESS_CLIENT", raising=False)
    executed = nbformat.read(run_notebook(ROOT / "notebooks" / name, tmp_path), as_version=4)
    assert not [t for _, t in shown_outputs(executed) if "pmo-error" in t]
    assert raw_values(executed) == []
    assert not any("of 5" in t or "1 to 5" in t for _, t in shown_outputs(executed))
