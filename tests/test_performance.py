"""Performance monitoring: reading client project lists, storing snapshots, and the measures."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import nbformat
import pytest

from pmo_assess.charts.performance import rag_trend_figure, rag_trend_image
from pmo_assess.core.errors import PmoAssessError, ValidationError
from pmo_assess.importers.project_fields import normalise_status, parse_amount, parse_date
from pmo_assess.importers.projects import (
    SAMPLE_PROJECTS,
    problems_frame,
    read_projects,
    sample_snapshot_dates,
)
from pmo_assess.insight.performance import (
    earned_value_table,
    performance_summary,
    project_measures,
    rag_trend,
    snapshot_overview,
)
from pmo_assess.insight.performance_reference import (
    REFERENCE_PATH,
    load_reference,
    reference_comparison,
)
from pmo_assess.model.loading import load_questionnaire
from pmo_assess.store.projects import (
    delete_snapshots,
    import_projects,
    project_records,
    try_import_projects,
)
from pmo_assess.store.repository import Store

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "projects"
NOTEBOOK = ROOT / "notebooks" / "07_performance_monitoring.ipynb"
HEADER = "Project,Planned start,Planned end,Actual start,Actual end,Budget,Actual cost,Status"


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "ws") as opened:
        opened.add_client("Acme Rail (fictional)", slug="acme")
        opened.start_engagement("acme", load_questionnaire("pmo-maturity"))
        yield opened


def write_csv(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "projects.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


# --- cells ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day_first", "expected"),
    [
        ("2025-06-30", False, date(2025, 6, 30)),
        ("2025-06-30 00:00:00", False, date(2025, 6, 30)),  # an XLSX date cell
        ("30.06.2025", False, date(2025, 6, 30)),  # dots: always day first
        ("03.04.2025", False, date(2025, 4, 3)),
        ("30/06/2025", False, date(2025, 6, 30)),  # 30 cannot be a month
        ("05/05/2025", False, date(2025, 5, 5)),  # both readings agree
        ("03/04/2025", True, date(2025, 4, 3)),
        ("3 Apr 2025", False, date(2025, 4, 3)),
        ("3 April 2025", False, date(2025, 4, 3)),
    ],
)
def test_dates_are_read_as_iso_or_day_first(text, day_first, expected):
    assert parse_date(text, day_first) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("03/04/2025", "could be 3 April or 4 March"),
        ("04/13/2025", "day first, not month first"),
        ("31.02.2025", "a date that exists"),
        ("3/4/25", "a four-digit year"),
        ("next week", "a date: YYYY-MM-DD"),
    ],
)
def test_unreadable_or_ambiguous_dates_say_what_is_expected(text, message):
    with pytest.raises(ValueError, match=message):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("120000", 120000.0),
        ("120,000", 120000.0),
        ("€1,250,000.50", 1250000.5),
        ("1.250.000,50 EUR", 1250000.5),
        ("CHF 80'000", 80000.0),
        ("$ 80 000", 80000.0),
        ("12,5", 12.5),  # a lone comma before one or two digits is a decimal comma
        ("(1,000)", -1000.0),
        ("USD 99.95", 99.95),
    ],
)
def test_amounts_take_currency_and_thousands_separators(text, expected):
    assert parse_amount(text) == expected


@pytest.mark.parametrize("text", ["lots", "1,2,3", "12.5k", ""])
def test_amounts_that_are_not_numbers_are_rejected(text):
    with pytest.raises(ValueError, match="an amount such as"):
        parse_amount(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("On track", "green"),
        ("at-risk", "amber"),
        ("OFF TRACK", "red"),
        ("Green", "green"),
        ("Amber", "amber"),
        ("red", "red"),
        ("Completed", "completed"),
        ("Canceled", "cancelled"),
    ],
)
def test_statuses_become_rag_or_state(text, expected):
    assert normalise_status(text) == expected


# --- reading files -------------------------------------------------------------------------------


def test_good_csv_reads_every_project_with_common_spellings():
    frame, problems = read_projects(DATA / "good.csv", as_of="2025-06-30")
    assert problems == []
    assert frame["project"].tolist() == [
        *("Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel"),
    ]
    assert frame["row"].tolist() == list(range(2, 10))  # the header is row 1
    bravo = frame.set_index("project").loc["Bravo"]
    assert bravo["planned_end"].date() == date(2025, 4, 30)  # written 30.04.2025
    assert bravo["budget"] == 80000.0  # written $80,000.00
    charlie = frame.set_index("project").loc["Charlie"]
    # 03/02/2025 is read day first because the same file writes 20/06/2025
    assert charlie["planned_start"].date() == date(2025, 2, 3)
    assert frame.set_index("project")["state"].to_dict() == {
        **dict.fromkeys(("Alpha", "Bravo", "Charlie", "Hotel"), "completed"),
        **dict.fromkeys(("Delta", "Echo", "Foxtrot"), "active"),
        "Golf": "cancelled",
    }
    assert frame.attrs["ignored_columns"] == ["Sponsor"]


def test_good_xlsx_reads_the_same_projects_as_the_csv():
    from_csv, _ = read_projects(DATA / "good.csv", as_of="2025-06-30")
    from_xlsx, problems = read_projects(DATA / "good.xlsx")
    assert problems == []
    columns = ["project", "status", "planned_start", "planned_end", "actual_end", "budget", "as_of"]
    assert from_xlsx[columns].equals(from_csv[columns])


def test_missing_columns_are_named_with_the_headers_accepted_and_found(tmp_path):
    path = write_csv(
        tmp_path, "A,2025-01-01,2025-02-01,,,,,Green", header=HEADER.replace("Budget", "Cost")
    )
    with pytest.raises(
        ValidationError, match=r"no column for the budget \(headers accepted: 'Budget', 'Bac'"
    ) as error:
        read_projects(path, as_of="2025-06-30")
    assert "Columns in the file: 'Project', 'Planned start'" in str(error.value)


def test_an_as_of_date_is_needed_from_the_file_or_the_caller(tmp_path):
    path = write_csv(tmp_path, "A,2025-01-01,2025-02-01,,,100,,Green")
    with pytest.raises(PmoAssessError, match=r"has no as-of column .*\(as_of='2025-06-30'\)"):
        read_projects(path)
    with pytest.raises(PmoAssessError, match="The as-of date must be a date"):
        read_projects(path, as_of="soon")


def test_bad_rows_are_named_by_row_column_value_and_expectation():
    with pytest.raises(ValidationError) as error:
        read_projects(DATA / "bad_rows.csv")
    found = [(p.row, p.column, p.value) for p in error.value.problems]
    assert found == [
        (3, "C 'Planned end'", "31.02.2025"),
        (4, "F 'Budget'", "lots"),
        (5, "H 'Status'", "Purple"),
        (6, "B 'Planned start'", "03/04/2025"),
        (7, "A 'Project'", ""),
        (9, "A 'Project'", "atlas"),  # the same project as row 2, for the same as-of date
    ]
    report = str(error.value)
    assert report.startswith("6 problems in ")
    assert "bad_rows.csv row 4: column F 'Budget' is 'lots'; expected an amount" in report
    assert "row 7: column A 'Project' is empty; expected the project's name" in report
    assert "row 9: column A 'Project' is 'atlas'; expected each project once" in report


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (
            "A,2025-01-01,2025-03-01,2025-01-01,,100,,Completed",
            "E 'Actual end'",
            "the date the project finished",
        ),
        (
            "A,2025-01-01,2025-03-01,2025-01-01,2025-07-01,100,,Completed",
            "E 'Actual end'",
            "on or before the as-of date 2025-06-30",
        ),
        (
            "A,2025-03-01,2025-01-01,,,100,,Green",
            "C 'Planned end'",
            "on or after the planned start",
        ),
        ("A,2025-01-01,2025-03-01,,,0,,Green", "F 'Budget'", "an amount above 0"),
        ("A,2025-01-01,2025-03-01,,,100,-5,Green", "G 'Actual cost'", "an amount of 0 or more"),
    ],
)
def test_cells_that_contradict_each_other_are_bad_rows(tmp_path, row, column, message):
    with pytest.raises(ValidationError, match=message) as error:
        read_projects(write_csv(tmp_path, row), as_of="2025-06-30")
    assert [(p.row, p.column) for p in error.value.problems] == [(2, column)]


# --- the store -----------------------------------------------------------------------------------


def test_an_import_with_a_bad_row_writes_nothing(store):
    with pytest.raises(ValidationError, match="6 problems"):
        import_projects(store, "acme", DATA / "bad_rows.csv")
    assert project_records(store, "acme").empty
    blocked = try_import_projects(store, "acme", DATA / "bad_rows.csv")
    assert blocked.blocked and blocked.written == 0 and len(blocked.problems) == 6
    assert problems_frame(blocked.problems)["row"].tolist() == [3, 4, 5, 6, 7, 9]
    assert project_records(store, "acme").empty


def test_skipping_bad_rows_imports_the_good_ones_and_returns_the_problems(store):
    result = import_projects(store, "acme", DATA / "bad_rows.csv", skip_bad=True)
    assert result.written == 2 and len(result.problems) == 6 and not result.blocked
    assert project_records(store, "acme")["project"].tolist() == ["Atlas", "Fjord"]
    assert "6 bad row problem(s) skipped" in result.describe()


def test_imported_projects_are_stored_as_read(store):
    import_projects(store, "acme", DATA / "good.xlsx")
    stored = project_records(store, "acme")
    read, _ = read_projects(DATA / "good.xlsx")
    assert len(stored) == 8
    assert performance_summary(stored) == performance_summary(read)


def test_reimporting_an_as_of_date_replaces_its_snapshot_and_a_new_date_adds_one(store):
    first = import_projects(store, "acme", DATA / "good.csv", as_of="2025-06-30")
    again = import_projects(store, "acme", DATA / "good.csv", as_of="2025-06-30")
    assert (first.written, first.replaced, again.written, again.replaced) == (8, 0, 8, 8)
    assert len(project_records(store, "acme")) == 8
    later = import_projects(store, "acme", DATA / "good.csv", as_of="2025-09-30")
    assert (later.snapshots, later.replaced) == ((date(2025, 9, 30),), 0)
    assert len(project_records(store, "acme")) == 16
    trend = rag_trend(project_records(store, "acme"))
    assert trend.index.tolist() == [date(2025, 6, 30), date(2025, 9, 30)]


def test_the_files_as_of_column_wins_over_the_parameter(store):
    # earned_value.csv says 2025-06-30 in every row; the parameter only fills empty cells
    result = import_projects(store, "acme", DATA / "earned_value.csv", as_of="2025-09-30")
    assert result.snapshots == (date(2025, 6, 30),)


def test_the_shipped_sample_is_never_imported_into_a_client(store, tmp_path):
    with pytest.raises(PmoAssessError, match="is the sample project list shipped with pmo-assess"):
        import_projects(store, "acme", SAMPLE_PROJECTS)
    copy = tmp_path / "client_export.csv"  # the same file under another name is still the sample
    copy.write_bytes(SAMPLE_PROJECTS.read_bytes())
    blocked = try_import_projects(store, "acme", copy)
    assert blocked.blocked and "try_sample = True" in blocked.problems[0].message
    assert project_records(store, "acme").empty


def test_deleting_a_snapshot_removes_only_that_as_of_date(store):
    import_projects(store, "acme", DATA / "good.csv", as_of="2025-06-30")
    import_projects(store, "acme", DATA / "good.csv", as_of="2025-09-30")
    assert delete_snapshots(store, "acme", [date(2025, 6, 30)]) == 8
    records = project_records(store, "acme")
    assert set(records["as_of"].dt.date) == {date(2025, 9, 30)} and len(records) == 8


def test_deleting_a_date_without_a_snapshot_names_those_there_are_and_deletes_nothing(store):
    import_projects(store, "acme", DATA / "good.csv", as_of="2025-06-30")
    import_projects(store, "acme", DATA / "good.csv", as_of="2025-09-30")
    with pytest.raises(
        PmoAssessError,
        match=r"no project snapshot as of 2025-07-01; nothing was deleted\. "
        r"Its snapshots: 2025-06-30, 2025-09-30\.",
    ):
        delete_snapshots(store, "acme", [date(2025, 6, 30), date(2025, 7, 1)])
    assert len(project_records(store, "acme")) == 16  # one transaction: 30 June is still there
    with pytest.raises(PmoAssessError, match="Its snapshots: none yet"):
        delete_snapshots(store, "acme", [date(2025, 1, 1)], engagement=_second_engagement(store))


def test_an_engagement_can_be_named_for_import_and_reading(store):
    older = store.engagement("acme")
    newer = _second_engagement(store)
    import_projects(store, "acme", DATA / "good.csv", as_of="2025-06-30", engagement=older)
    assert project_records(store, "acme").empty  # the latest engagement, by default
    assert len(project_records(store, "acme", engagement=older)) == 8
    assert project_records(store, "acme", engagement=newer).empty


def _second_engagement(store):
    store.start_engagement("acme", load_questionnaire("pmo-maturity"), "optimize", [], None, [])
    return store.engagement("acme")


def test_an_import_says_what_it_did_with_dates_as_dates(store):
    result = import_projects(store, "acme", DATA / "bad_rows.csv", skip_bad=True)
    text = result.describe()
    assert text.startswith("Imported 2 project row(s) from bad_rows.csv (as of 30 Jun 2025).")
    assert "6 bad row problem(s) skipped: those rows were not stored" in text


def test_problems_of_the_whole_file_have_no_row_column_or_value(store, tmp_path):
    blocked = try_import_projects(store, "acme", tmp_path / "missing.csv")
    frame = problems_frame(blocked.problems)
    assert frame.iloc[0][["row", "column", "value"]].isna().all()
    assert frame.iloc[0]["expected"].startswith("File not found")


def test_stored_snapshots_of_the_sample_are_found_by_date_and_projects(store):
    sample, _ = read_projects(SAMPLE_PROJECTS)
    assert sample_snapshot_dates(sample) == (
        date(2025, 3, 31),
        date(2025, 6, 30),
        date(2025, 9, 30),
    )
    client, _ = read_projects(DATA / "good.csv", as_of="2025-06-30")  # same date, other projects
    assert sample_snapshot_dates(client) == ()
    overview = snapshot_overview(sample, sample_snapshot_dates(sample)[:1])
    assert overview.to_dict("list") == {
        "as_of": [date(2025, 3, 31), date(2025, 6, 30), date(2025, 9, 30)],
        "projects": [8, 8, 8],
        "in_flight": [7, 4, 2],  # as the RAG trend counts them: 3+3+1, 1+2+1, 0+1+1
        "imported": [None] * 3,  # read, never stored
        "sample": [True, False, False],
    }


# --- measures ------------------------------------------------------------------------------------


def test_summary_of_the_hand_computed_fixture():
    frame, _ = read_projects(DATA / "good.csv", as_of="2025-06-30")
    summary = performance_summary(frame)
    # Finished (actual end, not cancelled): Alpha 0, Bravo +14, Charlie -10, Hotel +5 days late.
    assert (summary.finished, summary.in_flight, summary.cancelled) == (4, 3, 1)
    assert summary.on_time == 2 and summary.on_time_rate == 0.5  # Alpha, Charlie
    # Actual ≤ budget: Alpha 110k ≤ 120k, Charlie 45k ≤ 50k, Hotel 60k ≤ 60k; Bravo 92k > 80k.
    assert summary.on_budget == 3 and summary.on_budget_rate == 0.75
    assert summary.median_schedule_variance_days == 2.5  # median of -10, 0, 5, 14
    # (120 + 80 + 50 + 60)k budget − (110 + 92 + 45 + 60)k actual = 3,000 of 310,000
    assert summary.cost_variance == 3000.0
    assert summary.cost_variance_pct == pytest.approx(3000 / 310000 * 100)
    assert (summary.green, summary.amber, summary.red) == (1, 1, 1)
    assert summary.spi is None and summary.cpi is None
    assert summary.as_of == date(2025, 6, 30)


def test_summary_table_is_in_words_and_house_rounded():
    frame, _ = read_projects(DATA / "good.csv", as_of="2025-06-30")
    summary = performance_summary(frame)
    values = dict(summary.table().itertuples(index=False))
    assert values["As of"] == "30 Jun 2025"
    assert values["Finished on time"] == "2 of 4 (50%)"
    assert values["Finished within budget"] == "3 of 4 (75%)"
    assert values["Median schedule variance (days late)"] == "3"  # 2.5 days, halves up
    assert values["Cost variance, finished (budget − actual)"] == "3,000"
    assert values["Cost variance, % of budget"] == "1%"  # 3,000 of 310,000 = 0.97%
    assert (values["SPI (EV / PV)"], values["CPI (EV / AC)"]) == ("—", "—")
    assert summary.missing_reasons() == ["no earned value given (SPI and CPI need PV, EV and AC)"]


def test_a_small_cost_variance_is_not_shown_as_none():
    sample, _ = read_projects(SAMPLE_PROJECTS)
    values = dict(performance_summary(sample).table().itertuples(index=False))
    # finished by 30 Sep: budget 420 + 600 + 310 + 180 + 250 = 1,760k, actual 445 + 585 + 298
    # + 176 + 262 = 1,766k: -6,000, -0.34% of budget (a whole "0%" would hide it)
    assert values["Cost variance, finished (budget − actual)"] == "-6,000"
    assert values["Cost variance, % of budget"] == "-0.3%"
    assert (values["SPI (EV / PV)"], values["CPI (EV / AC)"]) == ("0.94", "0.95")


def test_per_project_variances():
    frame, _ = read_projects(DATA / "good.csv", as_of="2025-06-30")
    measures = project_measures(frame).set_index("project")
    assert measures["schedule_variance_days"].dropna().to_dict() == {
        "Alpha": 0,
        "Bravo": 14,
        "Charlie": -10,
        "Hotel": 5,
    }
    assert measures.loc["Bravo", "cost_variance"] == -12000.0
    assert measures.loc["Bravo", "cost_variance_pct"] == -15.0  # -12,000 of 80,000
    assert measures["cost_variance"].isna().sum() == 4  # in flight or cancelled


def test_spi_and_cpi_only_with_earned_value():
    without, _ = read_projects(DATA / "good.csv", as_of="2025-06-30")
    assert earned_value_table(without).empty
    with_ev, _ = read_projects(DATA / "earned_value.csv")
    summary = performance_summary(with_ev)
    # P1: EV 90k / PV 100k, EV 90k / AC 95k; P2: 60k / 50k, 60k / 50k; P3 gives no EV.
    assert summary.spi == 1.0  # (90 + 60) / (100 + 50)
    assert summary.cpi == pytest.approx(150 / 145)
    table = earned_value_table(with_ev).set_index("project")
    assert table.index.tolist() == ["P1", "P2", "Portfolio (sums)"]
    assert table.loc["P1", "spi"] == 0.9 and table.loc["P1", "cpi"] == pytest.approx(90 / 95)
    assert table.loc["P2", "spi"] == 1.2 and table.loc["P2", "cpi"] == 1.2


def test_summary_of_no_records_is_empty_not_an_error(store):
    records = project_records(store, "acme")
    summary = performance_summary(records)
    assert summary.projects == 0 and summary.on_time_rate is None and summary.as_of is None
    assert rag_trend(records).empty
    assert "no snapshot yet" in summary.table()["value"].tolist()


def test_rag_trend_counts_projects_in_flight_per_snapshot():
    frame, _ = read_projects(SAMPLE_PROJECTS)
    trend = rag_trend(frame)
    # sample: 7, 4 and 2 projects in flight; completed and cancelled ones are not counted
    assert trend.to_dict("index") == {
        date(2025, 3, 31): {"green": 3, "amber": 3, "red": 1},
        date(2025, 6, 30): {"green": 1, "amber": 2, "red": 1},
        date(2025, 9, 30): {"green": 0, "amber": 1, "red": 1},
    }
    figure = rag_trend_figure(trend)
    bars = figure.axes[0].patches
    assert len(bars) == 9 and sum(b.get_height() for b in bars) == 13
    assert rag_trend_image(trend).data.startswith(b"\x89PNG")


def test_reference_figures_are_data_with_source_and_year():
    reference = load_reference()
    assert "Indicative" in reference.caveat
    frame, _ = read_projects(DATA / "good.csv", as_of="2025-06-30")
    table = reference_comparison(performance_summary(frame)).set_index("measure")
    assert table["client_pct"].to_dict() == {
        "Finished on time": 50.0,
        "Finished within budget": 75.0,
    }
    assert table["reference_pct"].to_dict() == {
        "Finished on time": 69.0,
        "Finished within budget": 57.0,
    }
    assert set(table["source"]) == {"PMI, Pulse of the Profession (2017)"}


def test_a_broken_reference_file_names_its_line(tmp_path):
    text = REFERENCE_PATH.read_text(encoding="utf-8").replace("value: 0.57", "value: 57")
    path = tmp_path / "reference.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(
        ValidationError, match=r"reference.yaml:\d+: value must be a share from 0 to 1; got 57"
    ):
        load_reference(path)


# --- the notebook --------------------------------------------------------------------------------


def test_notebook_is_committed_without_outputs():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    assert code[0].metadata["tags"] == ["parameters"]
    assert 'projects_file = ""' in code[0].source and 'as_of = ""' in code[0].source
    assert 'delete_snapshot = ""' in code[0].source and "try_sample = False" in code[0].source
    assert "SAMPLE_PROJECTS" not in "".join(c.source for c in code)  # nothing imports it
