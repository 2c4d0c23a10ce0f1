"""Notebook 07 and what it calls: nothing is imported that the consultant did not name, the
sample stays out of client records, a failed import is boxed and the figures below it say they
are the old ones, a snapshot can be deleted, and every table reads as words."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import nbformat
import papermill
import pytest
import sqlalchemy as sa

from pmo_assess.engagement.demo import build_demo_workspace
from pmo_assess.engagement.house_table import HouseTable
from pmo_assess.engagement.monitoring import Banner, monitor_projects, snapshot_dates
from pmo_assess.engagement.notebook import choose, open_step
from pmo_assess.importers.projects import SAMPLE_PROJECTS, read_projects
from pmo_assess.report.kernels import IPCKernelManager
from pmo_assess.store import schema as t
from pmo_assess.store.projects import _stored_row, import_projects, project_records
from pmo_assess.store.repository import Store
from pmo_assess.store.writes import now

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "07_performance_monitoring.ipynb"
DATA = ROOT / "tests" / "data" / "projects"
CLIENT = "quellbach-prazision"
NAME = "Quellbach Präzision (fictional)"
RAW = re.compile(r">\s*(nan|NaN|None|True|False|NaT|<NA>|-?\d+\.\d{3,})\s*<")


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("monitoring") / "ws"
    with Store.open(folder) as store:
        build_demo_workspace(store, clients=3)
    return folder


@pytest.fixture
def workspace(demo, tmp_path) -> Path:
    copy = tmp_path / "ws"
    shutil.copytree(demo, copy)
    return copy


@pytest.fixture
def step(workspace):
    opened = open_step(str(workspace), CLIENT)
    yield opened
    opened.store.close()


def every_project_row(workspace: Path) -> int:
    counted = sa.select(sa.func.count()).select_from(t.project_records)
    with Store.open(workspace, create=False) as store, store.engine.connect() as conn:
        return int(conn.execute(counted).scalar_one())


def plant_the_sample(store: Store) -> None:
    """What the earlier notebook 07 did when projects_file was empty."""
    engagement = store.engagement(CLIENT)
    frame, _ = read_projects(SAMPLE_PROJECTS)
    rows = [_stored_row(r, engagement.id, now()) for r in frame.to_dict("records")]
    with store.transaction() as conn:
        conn.execute(t.project_records.insert(), rows)


def assert_readable(shown: HouseTable | Banner) -> None:
    html = shown._repr_html_()
    assert not RAW.findall(html), RAW.findall(html)
    assert "dtype:" not in html and 'class="dataframe"' not in html


# --- what monitor_projects does -------------------------------------------------------------------


def test_with_no_file_nothing_is_imported_and_the_notebook_says_what_to_set(step, workspace):
    monitor = monitor_projects(step)
    assert every_project_row(workspace) == 0
    assert str(monitor.banners[0]).startswith(
        f"No project list imported yet for {NAME}: set projects_file to the client's export "
        "(CSV or XLSX)"
    )
    for table in (monitor.summary_table(), monitor.measures_table(), monitor.trend_chart()):
        assert isinstance(table, Banner) and "no project list on record" in str(table)
    assert monitor.problems_table() is None


def test_the_sample_is_tried_in_memory_labelled_and_never_stored(step, workspace):
    monitor = monitor_projects(step, try_sample=True)
    assert every_project_row(workspace) == 0
    assert str(monitor.banners[0]).startswith(f"Sample data, not {NAME}'s")
    assert monitor.sample and len(monitor.records) == 24
    summary = monitor.summary_table()
    assert isinstance(summary, HouseTable) and summary.caption == f"Sample data, not {NAME}'s"
    assert "Sample" in monitor.reference_table().frame.columns
    assert monitor.trend_chart().data.startswith(b"\x89PNG")


def test_try_sample_with_a_file_or_a_deletion_does_nothing(step, workspace):
    monitor = monitor_projects(step, str(DATA / "good.xlsx"), try_sample=True)
    assert monitor.banners[0].tone == "failed" and not monitor.sample
    assert "try_sample shows the shipped sample on its own" in str(monitor.banners[0])
    assert every_project_row(workspace) == 0


def test_the_sample_named_as_the_file_is_refused(step, workspace):
    monitor = monitor_projects(step, str(SAMPLE_PROJECTS))
    assert monitor.banners[0].tone == "failed"
    assert "is the sample project list shipped with pmo-assess" in str(monitor.banners[0])
    assert every_project_row(workspace) == 0


def test_an_import_is_reported_and_shown_as_on_record(step):
    monitor = monitor_projects(step, str(DATA / "good.csv"), as_of="2025-06-30")
    assert monitor.banners[0].tone == "done"
    assert str(monitor.banners[0]).startswith(
        "Imported 8 project row(s) from good.csv (as of 30 Jun 2025)."
    )
    assert monitor.whose == f"{NAME}'s projects on record, latest snapshot as of 30 Jun 2025"


def test_a_failed_import_is_boxed_and_the_figures_say_they_are_from_before(step):
    monitor_projects(step, str(DATA / "good.csv"), as_of="2025-06-30")
    monitor = monitor_projects(step, str(DATA / "bad_rows.csv"))
    banner = monitor.banners[0]
    assert banner.tone == "failed" and 'role="alert"' in banner._repr_html_()
    assert banner.title == "The import of bad_rows.csv failed: nothing was stored."
    assert banner.lines[1].startswith("Row 4, column F 'Budget': 'lots'; expected an amount")
    assert "… and 1 more, listed below." in banner.lines
    assert any("skip_bad_rows = True" in line for line in banner.lines)
    assert (
        banner.lines[-1] == f"The figures below are {NAME}'s figures on record before this import."
    )
    before = "Figures on record before the failed import of bad_rows.csv"
    for table in (monitor.summary_table(), monitor.measures_table(), monitor.snapshots_table()):
        assert table.caption.startswith(before)
    assert monitor.chart_note == "On record before the failed import of bad_rows.csv"
    assert len(monitor.records) == 8  # the old snapshot, unchanged
    problems = monitor.problems_table()
    assert problems.frame["Row"].tolist() == ["3", "4", "5", "6", "7", "9"]
    assert problems.frame.loc[4, "Value"] == "(empty)"  # row 7's empty project name


def test_a_snapshot_is_deleted_by_its_date(step):
    monitor_projects(step, str(DATA / "good.csv"), as_of="2025-06-30")
    monitor_projects(step, str(DATA / "good.csv"), as_of="2025-09-30")
    monitor = monitor_projects(step, delete_snapshot="2025-06-30")
    assert str(monitor.banners[0]).startswith(
        f"Deleted the project snapshot(s) as of 30 Jun 2025: 8 project row(s) of {NAME}."
    )
    assert set(monitor.records["as_of"].dt.date) == {date(2025, 9, 30)}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2025-07-01", "no project snapshot as of 2025-07-01; nothing was deleted. Its snapshots: "
         "2025-06-30."),
        ("30.06.2025", "delete_snapshot takes as-of dates written YYYY-MM-DD"),
    ],
)  # fmt: skip
def test_a_deletion_that_cannot_be_done_is_boxed_and_deletes_nothing(step, text, message):
    monitor_projects(step, str(DATA / "good.csv"), as_of="2025-06-30")
    monitor = monitor_projects(step, delete_snapshot=text)
    assert monitor.banners[0].tone == "failed" and message in str(monitor.banners[0])
    assert len(monitor.records) == 8


def test_snapshot_dates_take_commas_or_spaces():
    assert snapshot_dates(" 2025-03-31,2025-06-30  2025-09-30 ") == (
        date(2025, 3, 31),
        date(2025, 6, 30),
        date(2025, 9, 30),
    )
    assert snapshot_dates("") == ()


def test_sample_rows_an_earlier_notebook_stored_are_pointed_out_and_can_be_deleted(step):
    plant_the_sample(step.store)
    monitor = monitor_projects(step)
    warning = monitor.banners[-1]
    assert warning.tone == "failed" and "hold the sample project list" in warning.title
    assert 'delete_snapshot = "2025-03-31, 2025-06-30, 2025-09-30"' in str(warning)
    assert monitor.whose.endswith("(includes the shipped sample: see the warning above)")
    flagged = monitor.snapshots_table().frame["The shipped sample"].tolist()
    assert flagged == ["yes", "yes", "yes"]
    cleaned = monitor_projects(step, delete_snapshot="2025-03-31, 2025-06-30, 2025-09-30")
    assert cleaned.records.empty and "24 project row(s)" in str(cleaned.banners[0])
    assert not any("hold the sample" in str(b) for b in cleaned.banners)


# --- tables a client can read -----------------------------------------------------------------------


def test_every_table_is_in_words_with_house_numbers(step):
    sample = monitor_projects(step, try_sample=True)
    measures = sample.measures_table().frame.set_index("Project")
    # CRM replacement: 13 June against 30 May is 14 days late; 420,000 - 445,000 = -25,000,
    # -5.95% of budget; EV 420,000 / AC 445,000 = 0.94
    assert measures.loc["CRM replacement"].tolist() == [
        *("Completed", "14", "-25,000", "-6%", "1.00", "0.94"),
    ]
    assert measures.loc["Warehouse automation", "Days late"] == "—"  # still running
    assert measures.loc["Plant 2 line retrofit", "SPI"] == "—"  # cancelled, no earned value
    notes = " ".join(sample.measures_table().notes)
    assert "the project has not finished" in notes and "no earned value given" in notes
    earned = sample.earned_value().frame.set_index("Project")
    # PV on 30 Sep: 420 + 1,250 + 800 + 600 + 310 + 180 + 250 thousand (the cancelled one gives none)
    assert earned.loc["Portfolio (sums)", "Planned value (PV)"] == "3,810,000"
    assert sample.reference_table().frame["Published"].tolist() == ["69%", "57%"]
    for shown in (
        sample.summary_table(),
        sample.reference_table(),
        sample.measures_table(),
        sample.earned_value(),
        sample.snapshots_table(),
    ):
        assert_readable(shown)
    failed = monitor_projects(step, str(DATA / "bad_rows.csv"))
    assert_readable(failed.problems_table())
    assert_readable(failed)


def test_the_wide_reference_table_fits_and_keeps_its_caveat(step):
    monitor_projects(step, str(DATA / "good.csv"), as_of="2025-06-30")
    reference = monitor_projects(step).reference_table()
    assert list(reference.frame.columns) == [
        *("Measure", NAME, "Published figure", "Published", "Source"),
        "How the definitions differ",
    ]
    assert reference.frame[NAME].tolist() == ["50%", "75%"]
    assert any(note.startswith("Indicative only.") for note in reference.notes)


# --- the notebook ---------------------------------------------------------------------------------


def run(workspace: Path, folder: Path, **parameters: object) -> list[dict]:
    """Run 07 as JupyterLab would, the workspace from the environment and the client chosen."""
    output = folder / NOTEBOOK.name
    papermill.execute_notebook(
        str(NOTEBOOK), str(output), parameters=parameters, kernel_name="python3",
        kernel_manager_class=IPCKernelManager, cwd=str(folder), execution_timeout=300,
        progress_bar=False,
    )  # fmt: skip
    cells = nbformat.read(output, as_version=4).cells
    return [o for c in cells for o in c.get("outputs", [])]


@pytest.fixture
def chosen(workspace, tmp_path, monkeypatch) -> Path:
    with Store.open(workspace, create=False) as store:
        choose(store, CLIENT)  # what 00_start_here remembers
    monkeypatch.setenv("PMO_ASSESS_WORKSPACE", str(workspace))
    monkeypatch.delenv("PMO_ASSESS_CLIENT", raising=False)
    out = tmp_path / "out"
    out.mkdir()
    return out


def html_of(outputs: list[dict]) -> str:
    return " ".join(o.get("data", {}).get("text/html", "") for o in outputs)


def test_run_as_shipped_imports_nothing_and_says_so(workspace, chosen):
    outputs = run(workspace, chosen)
    assert not [o for o in outputs if o["output_type"] == "error" or o.get("name") == "stderr"]
    shown = html_of(outputs)
    assert "pmo-step-banner" in shown
    assert "No project list imported yet for Quellbach" in shown
    assert every_project_row(workspace) == 0  # the sample never lands in the client's records
    assert sorted(p.name for p in chosen.iterdir()) == [NOTEBOOK.name]


def test_run_with_try_sample_shows_labelled_figures_and_stores_nothing(workspace, chosen):
    outputs = run(workspace, chosen, try_sample=True)
    assert not [o for o in outputs if o["output_type"] == "error"]
    shown = html_of(outputs)
    assert shown.count("Sample data, not Quellbach") >= 6  # the banner and every table
    assert any("image/png" in o.get("data", {}) for o in outputs)
    assert not RAW.findall(shown) and "pmo-error" not in shown
    assert every_project_row(workspace) == 0


def test_run_with_a_bad_file_boxes_the_failure_and_keeps_running(workspace, chosen):
    with Store.open(workspace, create=False) as store:
        import_projects(store, CLIENT, DATA / "good.csv", as_of="2025-06-30")
    outputs = run(workspace, chosen, projects_file=str(DATA / "bad_rows.csv"))
    assert not [o for o in outputs if o["output_type"] == "error"]  # no traceback, Run All goes on
    shown = html_of(outputs)
    assert "pmo-banner-failed" in shown and "The import of bad_rows.csv failed" in shown
    # snapshots, summary, reference and per-project tables (good.csv gives no earned value)
    assert shown.count("Figures on record before the failed import of bad_rows.csv") == 4
    with Store.open(workspace, create=False) as store:
        assert len(project_records(store, CLIENT)) == 8


def test_run_with_delete_snapshot_removes_the_sample_an_old_run_stored(workspace, chosen):
    with Store.open(workspace, create=False) as store:
        plant_the_sample(store)
    shown = html_of(run(workspace, chosen))
    assert "hold the sample project list shipped with pmo-assess" in shown
    dates = "2025-03-31, 2025-06-30, 2025-09-30"
    shown = html_of(run(workspace, chosen, delete_snapshot=dates))
    assert "Deleted the project snapshot(s) as of 31 Mar 2025, 30 Jun 2025, 30 Sep 2025" in shown
    assert every_project_row(workspace) == 0
