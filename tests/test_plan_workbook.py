"""plan.xlsx as the client's PMO lead opens it: real dates, widths fitted to the content, a
filtered and frozen header row on the Plan and Dropped sheets, and no formula anywhere."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from pmo_assess.engagement.demo import build_demo_workspace
from pmo_assess.engagement.plan import decide, export_plan_xlsx
from pmo_assess.insight.results import build_results
from pmo_assess.store.repository import Store
from pmo_assess.store.workbook import MAX_WIDTH

CLIENT = "quellbach-prazision"
START = date(2026, 9, 7)
DATES = ("Starts on", "Ends on", "Due date")


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> openpyxl.Workbook:
    folder = tmp_path_factory.mktemp("plan-workbook") / "ws"
    with Store.open(folder) as store:
        build_demo_workspace(store, clients=1)
    with Store.open(folder) as store:
        items = build_results(store, CLIENT).roadmap["items"]
        decide(store, CLIENT, items[0]["action_id"], status="accepted", owner="Head of PMO",
               due="2026-12-18", note="=1+1")  # fmt: skip
        decide(store, CLIENT, items[1]["action_id"], status="dropped", owner="-COO",
               due="2026-10-30", note="@SUM(A1) " + "agreed last year " * 8)  # fmt: skip
        written = export_plan_xlsx(store, CLIENT, "exports/plan.xlsx", start=START)
    return openpyxl.load_workbook(written)


def columns(sheet) -> dict[str, int]:
    return {cell.value: cell.column for cell in sheet[1]}


@pytest.mark.parametrize("name", ["Plan", "Dropped"])
def test_dates_are_excel_dates_with_a_date_format(book, name):
    sheet = book[name]
    where = columns(sheet)
    for header in DATES:
        cell = sheet.cell(2, where[header])
        assert cell.is_date and isinstance(cell.value, datetime), (name, header)
        assert cell.number_format == "yyyy-mm-dd"
    due = sheet.cell(2, where["Due date"]).value
    assert due == (datetime(2026, 12, 18) if name == "Plan" else datetime(2026, 10, 30))
    # the plan's first action starts on the programme's first day
    if name == "Plan":
        assert sheet.cell(2, where["Starts on"]).value == datetime(2026, 9, 7)


@pytest.mark.parametrize("name", ["Plan", "Dropped"])
def test_the_header_row_is_filtered_frozen_and_bold(book, name):
    sheet = book[name]
    last = get_column_letter(sheet.max_column)
    assert sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}"
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])


@pytest.mark.parametrize("name", ["Plan", "Dropped"])
def test_columns_are_as_wide_as_their_content_within_a_cap(book, name):
    sheet = book[name]
    where = columns(sheet)
    widths = {h: sheet.column_dimensions[get_column_letter(c)].width for h, c in where.items()}
    assert all(6 <= w <= MAX_WIDTH for w in widths.values())
    for header, index in where.items():
        longest = max(len(str(c.value or "")) for c in sheet[get_column_letter(index)][1:])
        if longest < MAX_WIDTH and header not in DATES:
            assert widths[header] >= longest, (name, header)
    assert widths["Order"] < widths["Dimension"]  # fitted, not one width for all
    if name == "Dropped":  # a note longer than the cap wraps inside it
        note = sheet.cell(2, where["Note"])
        assert widths["Note"] == MAX_WIDTH and note.alignment.wrap_text


def test_text_that_looks_like_a_formula_stays_text(book):
    found = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            found += [c for c in row if c.data_type == "f"]
    assert found == []
    plan, dropped = book["Plan"], book["Dropped"]
    note = plan.cell(2, columns(plan)["Note"])
    assert (note.value, note.data_type, note.quotePrefix) == ("=1+1", "s", True)
    owner = dropped.cell(2, columns(dropped)["Owner"])
    assert (owner.value, owner.data_type) == ("-COO", "s")


def test_the_about_sheet_gives_its_dates_as_dates(book):
    about = {row[0].value: row[1] for row in book["About"].iter_rows(min_row=2)}
    assert about["Programme starts"].value == datetime(2026, 9, 7)
    assert about["Programme starts"].is_date and about["Written on"].is_date


def test_an_empty_dropped_sheet_keeps_its_header_and_filter(tmp_path):
    with Store.open(tmp_path / "ws") as store:
        build_demo_workspace(store, clients=1)
        written = export_plan_xlsx(store, CLIENT, Path("exports") / "plan.xlsx", start=START)
    sheet = openpyxl.load_workbook(written)["Dropped"]
    assert (
        sheet.max_row == 1 and sheet.auto_filter.ref == f"A1:{get_column_letter(sheet.max_column)}1"
    )
