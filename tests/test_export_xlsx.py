"""The Excel files a client gets, opened as the client opens them: ``export --format xlsx``
(answers, scores, questions, notes) and ``roadmap --format xlsx`` (the actions for the PMO lead
to fill in)."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pmo_assess.cli.main import main
from pmo_assess.core.rounding import round_half_up
from pmo_assess.engagement.demo import build_demo_workspace
from pmo_assess.engagement.plan import decide, export_plan_xlsx
from pmo_assess.insight.results import build_results
from pmo_assess.model.loading import load_questionnaire
from pmo_assess.model.terms import ACTION_STATUSES, ROLE_LABELS
from pmo_assess.scoring.assessment import AssessmentResult, DimensionResult, OverallResult
from pmo_assess.store.repository import Store
from pmo_assess.store.sheets import scores_sheet, start_month
from pmo_assess.store.workbook import FORMULA_STARTS, MAX_WIDTH

CLIENT = "quellbach-prazision"
HOSTILE = '=HYPERLINK("http://evil.invalid","click")'
OWNER = "@SUM(A1) Dana Ortiz"
WORDS = re.compile(r"[A-Z][A-Za-z' ]*(\([A-Za-z]+\))?$|N/A$")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    """The demo's first client, with a note a spreadsheet would run and a decided action."""
    folder = tmp_path_factory.mktemp("export")
    with Store.open(folder) as store:
        build_demo_workspace(store, clients=1)
        engagement = store.engagement(CLIENT)
        respondent = store.respondents(store.waves(engagement.id)[-1].id)[0]
        store.record_answer(respondent.id, "governance.escalation", value=2.0, note=HOSTILE)
        first = build_results(store, CLIENT).roadmap["items"][0]["action_id"]
        decide(store, CLIENT, first, status="accepted", owner=OWNER, due="2026-10-30")
    return folder


def run(*args: str) -> None:
    assert main(list(args)) == 0


@pytest.fixture(scope="module")
def export_book(workspace) -> openpyxl.Workbook:
    out = workspace / "exports" / "answers.xlsx"
    run("export", "--client", CLIENT, "--format", "xlsx", "--out", str(out), "--workspace", str(workspace))  # fmt: skip
    return openpyxl.load_workbook(out)


@pytest.fixture(scope="module")
def roadmap_book(workspace) -> openpyxl.Workbook:
    out = workspace / "exports" / "roadmap.xlsx"
    run("roadmap", "--client", CLIENT, "--format", "xlsx", "--out", str(out), "--workspace", str(workspace))  # fmt: skip
    return openpyxl.load_workbook(out)


def records(sheet: Worksheet) -> list[dict[str, openpyxl.cell.Cell]]:
    """Each data row as header -> cell."""
    header = [c.value for c in sheet[1]]
    return [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)]


def test_the_export_has_the_sheets_a_client_reads(export_book):
    assert export_book.sheetnames == ["Answers", "Scores", "Questions", "Notes"]


@pytest.mark.parametrize("book", ["export_book", "roadmap_book"])
def test_every_sheet_has_worded_bold_frozen_filtered_headers(book, request):
    for sheet in request.getfixturevalue(book):
        header = [c.value for c in sheet[1]]
        bad = [h for h in header if not isinstance(h, str) or not WORDS.match(h)]
        assert not bad, f"{sheet.title}: headers not in words: {bad}"
        assert all(c.font.bold for c in sheet[1])
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == sheet.dimensions  # every row and column filters


def test_columns_are_sized_to_their_content_and_long_text_wraps(export_book):
    sheet = export_book["Answers"]
    header = [c.value for c in sheet[1]]
    widths = {
        h: sheet.column_dimensions[get_column_letter(i)].width for i, h in enumerate(header, 1)
    }
    assert all(6 <= w <= MAX_WIDTH for w in widths.values())
    assert widths["Wave"] < widths["Question id"] < widths["Question"] == MAX_WIDTH
    question = records(sheet)[0]["Question"]
    assert question.alignment.wrap_text and not records(sheet)[0]["Wave"].alignment.wrap_text


def test_the_question_text_stands_beside_each_id(export_book):
    questionnaire = load_questionnaire("pmo-maturity")
    rows = records(export_book["Answers"])
    assert len(rows) == 600  # the demo client's 10 respondents x 60 questions
    for row in rows:
        assert row["Question"].value == questionnaire.question(row["Question id"].value).text
    for row in records(export_book["Questions"]):
        assert row["Question"].value == questionnaire.question(row["Question id"].value).text


def test_answers_are_numbers_words_and_real_times(export_book):
    rows = records(export_book["Answers"])
    assert {r["Client"].value for r in rows} == {"Quellbach Präzision (fictional)"}
    assert {r["Status"].value for r in rows} == {"Answered", "Not applicable", "Don't know"}
    assert {r["Role"].value for r in rows} <= set(ROLE_LABELS.values())
    for row in rows:
        value = row["Value"].value
        if row["Status"].value == "Answered":
            assert isinstance(value, int | float) and row["Value"].data_type == "n"
        else:
            assert value is None
        assert isinstance(row["Recorded at (UTC)"].value, datetime)
        assert row["Recorded at (UTC)"].number_format == "yyyy-mm-dd hh:mm"


def test_scores_are_numbers_as_the_report_shows_them(export_book, workspace):
    rows = records(export_book["Scores"])
    with Store.open(workspace) as store:
        waves = [w.label for w in store.waves(store.engagement(CLIENT).id)]
        found = {wave: build_results(store, CLIENT, wave) for wave in waves}
    assert [r["Wave"].value for r in rows if r["Dimension"].value == "Overall"] == waves
    for wave, results in found.items():
        precision = results.scale["precision"]
        assert precision == 1  # pmo-maturity's 1-to-5 scale: one decimal, as the report
        mine = [r for r in rows if r["Wave"].value == wave]
        overall = mine[0]
        assert overall["Dimension"].value == "Overall" and overall["Dimension"].font.bold
        expected = round_half_up(results.assessment["overall"]["score"], precision)
        assert overall["Score"].value == expected and overall["Score"].number_format == "0.0"
        assert overall["Level"].value == results.assessment["overall"]["level"]
        by_title = {r["Dimension"].value: r for r in mine[1:]}
        for dimension in results.assessment["dimensions"]:
            row = by_title[dimension["title"]]
            assert row["Score"].value == round_half_up(dimension["score"], precision)
            assert row["Score"].data_type == "n" and row["Score"].number_format == "0.0"
            assert row["Coverage"].number_format == "0%" and 0 <= row["Coverage"].value <= 1
            assert row["Respondents"].value == dimension["respondents"]
        assert len(by_title) == len(results.assessment["dimensions"])


# Hand-worked: 1.95 shows as 2.0 and 2.25 as 2.3 (halves up, not to even); a target of 3.5
# against 2.25 leaves a shown gap of 3.5 - 2.3 = 1.2; 99.8% coverage is printed 99%, not 100%.
@pytest.mark.parametrize(
    ("score", "coverage", "precision", "shown", "share", "fmt"),
    [
        (1.95, 1.0, 1, 2.0, 1.0, "0.0"),
        (2.25, 0.998, 1, 2.3, 0.99, "0.0"),
        (2.125, 0.5, 2, 2.13, 0.5, "0.00"),
        (63.5, 0.125, 0, 64.0, 0.13, "0"),
    ],
)
def test_scores_round_half_up_at_the_precision(score, coverage, precision, shown, share, fmt):
    node = DimensionResult("d", "Delivery", score, "x", coverage, False, 4, 3.5, 1.2)
    overall = OverallResult(score, "x", coverage, False, 4, 0.6)
    result = AssessmentResult("q", "1", "c", "w1", overall, (node,), ())
    sheet = scores_sheet([result], precision)
    assert sheet.frame["Score"].tolist() == [shown, shown]
    assert sheet.frame["Coverage"].tolist() == [share, share]
    assert sheet.formats["Score"] == fmt and sheet.formats["Coverage"] == "0%"


def test_no_cell_is_a_formula_and_the_hostile_note_stays_text(workspace, export_book):
    for name in ("answers.xlsx", "roadmap.xlsx"):
        with zipfile.ZipFile(workspace / "exports" / name) as archive:
            for member in archive.namelist():
                if member.startswith("xl/worksheets/"):
                    assert not re.search(r"<f[ >]", archive.read(member).decode()), member
    cells = [c for sheet in export_book for row in sheet.iter_rows() for c in row]
    risky = [c for c in cells if isinstance(c.value, str) and c.value.startswith(FORMULA_STARTS)]
    assert all(c.data_type == "s" and c.quotePrefix for c in risky)
    planted = [c for c in risky if c.value == HOSTILE]
    assert [c.parent.title for c in planted] == ["Answers", "Notes"]


def test_the_roadmap_has_columns_to_fill_in(roadmap_book, workspace):
    assert roadmap_book.sheetnames == ["Roadmap", "About"]
    sheet = roadmap_book["Roadmap"]
    rows = records(sheet)
    with Store.open(workspace) as store:
        items = build_results(store, CLIENT).roadmap["items"]
    assert [r["Action"].value for r in rows] == [i["title"] for i in items]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Order", "Phase", "Action"]
    assert {"Owner", "Start month", "Status", "Due date", "Duration (weeks)"} <= set(header)
    first, second = rows[0], rows[1]
    assert first["Status"].value == "accepted" and first["Due date"].value == datetime(2026, 10, 30)
    assert first["Owner"].value == OWNER and first["Owner"].quotePrefix
    assert second["Status"].value == "proposed" and second["Owner"].value is None
    for row, item in zip(rows, items, strict=True):
        for column in ("Order", "Duration (weeks)", "Start month"):
            assert row[column].data_type == "n", column
        assert row["Start month"].value == item["start_week"] * 12 // 52 + 1
        assert row["Status"].value in ACTION_STATUSES
    (rule,) = sheet.data_validations.dataValidation
    assert rule.type == "list" and rule.formula1 == '"' + ",".join(ACTION_STATUSES) + '"'
    status = get_column_letter(header.index("Status") + 1)
    assert str(rule.sqref) == f"{status}2:{status}{len(rows) + 1}"


# Hand-worked: the phases run 0-13, 13-26, 26-52 weeks, i.e. from months 1, 4 and 7; a
# 4-week action starting at week 5 starts in the programme's second month.
@pytest.mark.parametrize(("week", "month"), [(0, 1), (4, 1), (5, 2), (13, 4), (26, 7), (52, 13)])
def test_the_start_month_counts_from_one(week, month):
    assert start_month(week) == month


def test_the_plan_workbook_offers_the_statuses_too(workspace):
    with Store.open(workspace) as store:
        written = export_plan_xlsx(store, CLIENT, "exports/plan.xlsx", start=date(2026, 9, 7))
    sheet = openpyxl.load_workbook(written)["Plan"]
    (rule,) = sheet.data_validations.dataValidation
    assert rule.formula1 == '"' + ",".join(ACTION_STATUSES) + '"'
    starts = records(sheet)[0]["Starts on"]
    assert starts.value == datetime(2026, 9, 7) and starts.number_format == "yyyy-mm-dd"
