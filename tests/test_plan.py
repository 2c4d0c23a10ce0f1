"""The implementation plan: decisions kept in the store, the plan table and its views, its Gantt
chart and the client's Excel workbook (its layout: test_plan_workbook; the form: test_plan_form)."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import nbformat
import openpyxl
import pytest
import sqlalchemy as sa
from matplotlib.figure import Figure

from pmo_assess.charts.plan import gantt_figure
from pmo_assess.core.errors import PmoAssessError
from pmo_assess.engagement.demo import build_demo_workspace
from pmo_assess.engagement.notebook import file_link
from pmo_assess.engagement.plan import (
    decide,
    decision_problems,
    decisions,
    dropped_actions,
    dropped_view,
    export_plan_xlsx,
    merged_plan,
    plan_table,
    plan_view,
)
from pmo_assess.insight.results import build_results
from pmo_assess.store import schema as t
from pmo_assess.store.repository import Store

ROOT = Path(__file__).resolve().parents[1]
CLIENT = "quellbach-prazision"
START = date(2026, 9, 7)
INJECTION = '=HYPERLINK("http://x")'


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("plan") / "ws"
    with Store.open(folder) as store:
        build_demo_workspace(store, clients=1)
    return folder


@pytest.fixture
def store(built, tmp_path):
    shutil.copytree(built, tmp_path / "ws")
    with Store.open(tmp_path / "ws") as opened:
        yield opened


@pytest.fixture(scope="module")
def roadmap(built) -> list[str]:
    with Store.open(built) as opened:
        return [i["action_id"] for i in build_results(opened, CLIENT).roadmap["items"]]


def stored_rows(store: Store) -> int:
    with store.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(t.roadmap_actions)).scalar_one()


def test_a_decision_round_trips_and_a_second_one_updates_it(store, roadmap):
    first = decide(store, CLIENT, roadmap[0], status="accepted", owner="Head of PMO",
                   due="2026-10-05", note="Start with the finance projects")  # fmt: skip
    assert (first.status, first.owner, first.due_date, first.note) == (
        "accepted", "Head of PMO", date(2026, 10, 5), "Start with the finance projects",
    )  # fmt: skip
    assert decisions(store, CLIENT) == {roadmap[0]: first}
    # None keeps what was decided; "" clears it
    second = decide(store, CLIENT, roadmap[0], status="in-progress", owner="")
    assert (second.status, second.owner, second.due_date, second.note) == (
        "in-progress", None, date(2026, 10, 5), "Start with the finance projects",
    )  # fmt: skip
    decide(store, CLIENT, roadmap[0], due="", note="")
    assert decisions(store, CLIENT)[roadmap[0]].due_date is None
    assert stored_rows(store) == 1  # an upsert, never a second row


def test_a_new_decision_without_status_is_proposed(store, roadmap):
    assert decide(store, CLIENT, roadmap[1], owner="COO").status == "proposed"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"action_id": "reporting.2-3.reporting-cycl"}, r"Unknown action 'reporting\.2-3\.reporting-cycl' for client 'quellbach-prazision'\. Did you mean: reporting\.2-3\.reporting-cycle"),
        ({"action_id": "nothing-like-it"}, r"Unknown action 'nothing-like-it' .*library 'pmo-maturity-recommendations' has 154 in all\."),
        ({"status": "acepted"}, r"status of '.+' must be one of: proposed, accepted, in-progress, done, dropped; got 'acepted'\."),
        ({"due": "05/10/2026"}, r"due date of '.+' must be a date written YYYY-MM-DD, e\.g\. 2026-09-30; got '05/10/2026'\."),
        ({"owner": "x" * 201}, r"owner of '.+' must be at most 200 characters; got 201\."),
    ],
)  # fmt: skip
def test_bad_decisions_are_refused_and_nothing_is_written(store, roadmap, change, message):
    arguments = {"action_id": roadmap[0], "status": "accepted"} | change
    with pytest.raises(PmoAssessError, match=message):
        decide(store, CLIENT, **arguments)
    assert stored_rows(store) == 0


def test_unknown_client_is_named(store):
    with pytest.raises(PmoAssessError, match=r"Unknown client 'acme'\. Clients in this workspace"):
        decide(store, "acme", "reporting.2-3.reporting-cycle", status="accepted")


def test_the_plan_leaves_out_dropped_actions_but_lists_them(store, roadmap):
    decide(store, CLIENT, roadmap[1], status="dropped", note="Done last year already")
    plan = plan_table(store, CLIENT, start=START)
    assert roadmap[1] not in set(plan["action_id"])
    assert list(plan["action_id"]) == [a for a in roadmap if a != roadmap[1]]
    dropped = dropped_actions(store, CLIENT, start=START)
    assert list(dropped["action_id"]) == [roadmap[1]]
    assert dropped.iloc[0]["note"] == "Done last year already"
    assert len(merged_plan(store, CLIENT, start=START)) == len(roadmap)


def test_undecided_actions_are_proposed_and_dated_from_the_start(store, roadmap):
    plan = plan_table(store, CLIENT, start="2026-09-07")
    first = plan.iloc[0]
    assert (first["status"], first["owner"], first["note"]) == ("proposed", None, "")
    # start week 0 and end week n: from the programme's first day, n weeks later
    assert first["starts_on"] == START
    assert first["ends_on"] == date.fromordinal(START.toordinal() + 7 * int(first["end_week"]))


def test_a_due_date_ends_the_action(store, roadmap):
    decide(store, CLIENT, roadmap[0], status="accepted", due="2026-10-19")
    row = plan_table(store, CLIENT, start=START).iloc[0]
    # 7 Sep to 19 Oct 2026 is 42 days: the bar ends at week 6
    assert (row["end_week"], row["ends_on"], row["due_date"]) == (
        6,
        date(2026, 10, 19),
        date(2026, 10, 19),
    )


def test_an_action_taken_from_the_library_joins_the_plan(store, roadmap):
    extra = "strategy.1-2.pmo-charter"
    assert extra not in roadmap
    decide(store, CLIENT, extra, status="accepted")
    plan = plan_table(store, CLIENT, start=START)
    row = plan[plan["action_id"] == extra].iloc[0]
    assert not row["in_roadmap"] and row["phase_name"] == "Added from the library"
    assert row["order"] == len(roadmap) + 1 and row["title"].startswith("Draft a PMO charter")


def test_the_gantt_chart_has_one_bar_per_action(store, roadmap):
    decide(store, CLIENT, roadmap[0], status="done")
    decide(store, CLIENT, roadmap[2], status="dropped")
    plan = plan_table(store, CLIENT, start=START)
    fig = gantt_figure(plan)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert len(ax.patches) == len(plan) == len(roadmap) - 1
    assert ax.patches[0].get_width() == plan.iloc[0]["end_week"] - plan.iloc[0]["start_week"]
    assert "07 Sep 2026" in ax.get_xlabel()
    assert gantt_figure(plan.iloc[0:0]) is None


def test_the_workbook_has_three_sheets_and_no_formulas(store, roadmap):
    decide(store, CLIENT, roadmap[0], status="accepted", owner=INJECTION, note=INJECTION)
    decide(store, CLIENT, roadmap[1], status="dropped", note="@SUM(A1)")
    written = export_plan_xlsx(store, CLIENT, "exports/plan.xlsx", start=START)
    assert written == (store.workspace / "exports" / "plan.xlsx").resolve()
    assert [p.name for p in written.parent.iterdir()] == ["plan.xlsx"]  # no temporary left
    book = openpyxl.load_workbook(written)
    assert book.sheetnames == ["Plan", "Dropped", "About"]
    plan, dropped = book["Plan"], book["Dropped"]
    header = [c.value for c in plan[1]]
    owner, note = plan.cell(2, header.index("Owner") + 1), plan.cell(2, header.index("Note") + 1)
    for cell in (owner, note):
        assert cell.value == INJECTION and cell.data_type == "s"
    assert plan.max_row == len(roadmap)  # header and every action but the dropped one
    assert dropped.cell(2, header.index("Note") + 1).data_type == "s"
    about = {row[0]: row[1] for row in book["About"].iter_rows(min_row=2, values_only=True)}
    assert about["Programme starts"] == datetime(2026, 9, 7)  # an Excel date, not text
    assert about["Actions in the plan / dropped"] == f"{len(roadmap) - 1} / 1"


@pytest.mark.parametrize(
    ("path", "message"),
    [("../plan.xlsx", r"Refusing a path outside"), ("/tmp/plan.xlsx", r"Refusing a path outside"),
     ("exports/plan.csv", r"give a path ending in \.xlsx; got 'exports/plan\.csv'")],
)  # fmt: skip
def test_the_workbook_stays_inside_the_workspace(store, path, message):
    with pytest.raises(PmoAssessError, match=message):
        export_plan_xlsx(store, CLIENT, path)
    assert not (store.workspace.parent / "plan.xlsx").exists()


def test_the_plan_view_shows_the_columns_that_matter_and_every_row(store, roadmap):
    decide(store, CLIENT, roadmap[0], status="accepted", owner="COO", due="2026-12-18")
    view = plan_view(merged_plan(store, CLIENT, start=START))
    assert list(view.frame.columns) == ["#", "Phase", "Dimension", "Action", "Status", "Owner",
                                        "Due date"]  # fmt: skip
    assert list(view.more.columns) == ["Action", "Note", "Level step", "Effort", "Starts on",
                                       "Ends on", "On the roadmap", "Action ID"]  # fmt: skip
    assert len(view) == len(roadmap)  # every row, none hidden behind "..."
    first = view.frame.iloc[0]
    assert (first["#"], first["Status"], first["Owner"], first["Due date"]) == (
        "1", "accepted", "COO", "18 Dec 2026",
    )  # fmt: skip
    second = view.frame.iloc[1]
    assert (second["Status"], second["Owner"], second["Due date"]) == ("proposed", "—", "—")
    assert view.notes == ("— no owner or due date decided yet.",)
    assert set(view.more["On the roadmap"]) == {"yes"}
    assert view.more.iloc[0]["Starts on"] == "7 Sep 2026"
    html = view._repr_html_()
    assert "…" not in html and "NaN" not in html and "None" not in html


def test_the_dropped_view_says_why_and_says_when_none_is(store, roadmap):
    assert dropped_view(dropped_actions(store, CLIENT, start=START)).notes == (
        "No action is dropped.",
    )
    decide(store, CLIENT, roadmap[1], status="dropped", note="Done last year already")
    view = dropped_view(dropped_actions(store, CLIENT, start=START))
    assert list(view.frame.columns) == ["#", "Phase", "Dimension", "Action", "Owner", "Note"]
    assert view.frame.iloc[0]["Note"] == "Done last year already"
    assert "Status" in view.more.columns


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"status": "accepted", "owner": "COO", "due": date(2026, 9, 30)}, set()),
        ({"owner": "  " + "x" * 200 + "  "}, set()),  # spaces around do not count
        ({"status": "acepted", "owner": "x" * 201, "due": "30/09/2026"}, {"status", "owner", "due"}),
        ({"due": "2026-02-30"}, {"due"}),
    ],
)  # fmt: skip
def test_each_problem_of_a_decision_is_named_by_its_field(fields, expected):
    assert set(decision_problems("governance.gates", **fields)) == expected


def test_a_link_to_a_written_file_is_relative_to_the_notebook(tmp_path, monkeypatch):
    written = tmp_path / "ws" / "exports" / "plan.xlsx"
    written.parent.mkdir(parents=True)
    written.write_bytes(b"x")
    monkeypatch.chdir(tmp_path)  # the notebook's folder
    html = file_link(written)._repr_html_()
    assert (
        html
        == "Open: <a href='ws/exports/plan.xlsx' download target='_blank'>ws/exports/plan.xlsx</a><br>"
    )
    (tmp_path / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")  # the workspace beside the notebooks' folder
    html = file_link(written)._repr_html_()
    assert "href='../ws/exports/plan.xlsx'" in html and "(in " not in html
    (tmp_path / "a" / "notebooks").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "a" / "notebooks")  # elsewhere: the link may not reach it
    html = file_link(written)._repr_html_()
    assert "href='../../ws/exports/plan.xlsx'" in html and f"(in {written.parent})" in html


def test_plan_notebook_is_kept_without_outputs_with_its_parameters():
    notebook = nbformat.read(ROOT / "notebooks" / "04_implementation_plan.ipynb", as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert code and all(c.outputs == [] and c.execution_count is None for c in code)
    parameters = next(c for c in code if "parameters" in c.metadata.get("tags", []))
    assert 'export_to = "exports/plan.xlsx"' in parameters.source
