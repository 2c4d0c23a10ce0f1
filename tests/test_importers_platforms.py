"""Survey imports: SurveyMonkey (CSV and XLSX) and Qualtrics (CSV and UTF-16 TSV), plus a
Microsoft Forms workbook. XLSX files are written here with openpyxl, as the platforms write them.
Expected answers are read off the fixtures in tests/data/surveys by hand."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import openpyxl
import pytest

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.importers import ImportedRespondent, load_mapping, read_survey
from pmo_assess.model.loading import load_questionnaire

DATA = Path(__file__).parent / "data" / "surveys"
SM_FIXED = [
    "Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address",
    "First Name", "Last Name", "Custom Data 1",
]  # fmt: skip


@pytest.fixture(scope="module")
def survey():
    return load_questionnaire(DATA / "survey.yaml")


def answers_of(result):
    """(respondent, question, value or None, status, option label, row, note) per answer."""
    return [
        (
            a.respondent,
            a.question_id,
            None if math.isnan(a.value) else a.value,
            a.status,
            a.option_label,
            a.row,
            a.note,
        )
        for a in result.answers.itertuples()
    ]


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


# --- SurveyMonkey ------------------------------------------------------------------------------


def test_surveymonkey_csv_two_header_rows_matrix_and_line_break(survey):
    result = read_survey(DATA / "surveymonkey.csv", survey, default_role="pmo")
    assert result.platform == "surveymonkey"
    # Data starts at row 3 (two header rows); First and Last Name make the name. J "What is
    # your role?" names a role, so it gives the roles without a mapping.
    assert result.respondents == (
        ImportedRespondent(
            "114233445501", "project-manager", None, None, "06/22/2022 10:09:13 AM", 3
        ),
        ImportedRespondent(
            "114233445502", "executive", "eve@client.example", "Eve Ng", "06/22/2022 11:41:27 AM", 4
        ),
    )
    # K "How often is project\nstatus reported?" (line break) → cadence; L-N the matrix
    # "Please rate these practices": L "Stage gates" (alias), M the quality text, N unmatched.
    assert answers_of(result) == [
        ("114233445501", "reporting.cadence", 3.0, "answered", "Defined", 3, ""),
        ("114233445501", "governance.stage-gates", 3.0, "answered", "Defined", 3, ""),
        ("114233445501", "reporting.quality", 2.0, "answered", "Repeatable", 3, ""),
        ("114233445502", "reporting.cadence", 4.0, "answered", "Managed", 4, ""),  # 4 - Managed
        ("114233445502", "governance.stage-gates", 5.0, "answered", "Optimizing", 4, ""),
        ("114233445502", "reporting.quality", None, "dont_know", "Don't know", 4, ""),
    ]
    assert result.answers["column"].iloc[1] == "Please rate these practices - Stage gates"
    assert [(c.position, c.header) for c in result.unmatched_columns] == [
        (14, "Please rate these practices - Escalation of issues"),
        (15, "Any comments?"),
    ]  # A-I are SurveyMonkey's own columns


def test_surveymonkey_mapping_adds_matrix_row_note_and_roles(survey):
    mapping = load_mapping(DATA / "mapping_surveymonkey.yaml", survey)
    result = read_survey(DATA / "surveymonkey.csv", survey, mapping=mapping)
    assert [(r.code, r.role) for r in result.respondents] == [
        ("114233445501", "project-manager"),
        ("114233445502", "executive"),
    ]
    assert answers_of(result) == [
        ("114233445501", "reporting.cadence", 3.0, "answered", "Defined", 3, ""),
        # "Any comments?" is mapped to note:governance.stage-gates
        (
            "114233445501",
            "governance.stage-gates",
            3.0,
            "answered",
            "Defined",
            3,
            "Gates are minuted",
        ),
        ("114233445501", "reporting.quality", 2.0, "answered", "Repeatable", 3, ""),
        # N "Escalation of issues" mapped to governance.escalation: "Managed"
        ("114233445501", "governance.escalation", 4.0, "answered", "Managed", 3, ""),
        ("114233445502", "reporting.cadence", 4.0, "answered", "Managed", 4, ""),
        ("114233445502", "governance.stage-gates", 5.0, "answered", "Optimizing", 4, ""),
        ("114233445502", "reporting.quality", None, "dont_know", "Don't know", 4, ""),
    ]
    assert result.unmatched_columns == ()


def test_surveymonkey_xlsx_html_entities_and_typed_cells(survey, tmp_path):
    path = write_xlsx(
        tmp_path / "surveymonkey.xlsx",
        [
            [*SM_FIXED, "How consistently are the PMO&apos;s templates used?",
             "How are lessons learned captured &amp; reused?"],
            [None] * 9 + ["Response", "Response"],
            [114233445601, 431234567, dt.datetime(2022, 6, 22, 10, 1), dt.datetime(2022, 6, 22, 10, 9, 13),
             "203.0.113.5", None, None, None, None, "Managed", "Don&apos;t know"],
            [114233445602, 431234567, dt.datetime(2022, 6, 23, 8, 0), dt.datetime(2022, 6, 23, 8, 30),
             "203.0.113.6", None, "Gus", None, None, 3, "Optimizing"],
        ],
    )  # fmt: skip
    result = read_survey(path, survey, default_role="pmo")
    assert result.platform == "surveymonkey"
    # Numbers read as whole numbers, dates as ISO text; "Gus" alone is the name.
    assert result.respondents == (
        ImportedRespondent("114233445601", "pmo", None, None, "2022-06-22 10:09:13", 3),
        ImportedRespondent("114233445602", "pmo", None, "Gus", "2022-06-23 08:30:00", 4),
    )
    assert answers_of(result) == [
        ("114233445601", "methods.templates", 4.0, "answered", "Managed", 3, ""),
        ("114233445601", "methods.lessons", None, "dont_know", "Don't know", 3, ""),
        ("114233445602", "methods.templates", 3.0, "answered", "Defined", 4, ""),  # the number 3
        ("114233445602", "methods.lessons", 5.0, "answered", "Optimizing", 4, ""),
    ]
    assert list(result.answers["column"][:2]) == [
        "How consistently are the PMO's templates used?",
        "How are lessons learned captured & reused?",
    ]
    assert result.unmatched_columns == ()


# --- Qualtrics ---------------------------------------------------------------------------------

QUALTRICS_SKIPPED = [
    (4, "response R_preview0001 left out: its Status is 'Survey Preview', not a real response"),
    (5, "response R_test000001 left out: its Status is 'Survey Test', not a real response"),
    (
        7,
        "response R_2b3c4d5e6f left out: unfinished (Progress 40%, Finished False); pass "
        "--include-unfinished to import unfinished responses",
    ),
]


def test_qualtrics_csv_three_header_rows_preview_test_and_unfinished(survey):
    result = read_survey(DATA / "qualtrics.csv", survey, default_role="pmo")
    assert result.platform == "qualtrics"
    where = DATA / "qualtrics.csv"
    assert [str(p) for p in result.skipped_rows] == [
        f"{where} row {row}: {message}" for row, message in QUALTRICS_SKIPPED
    ]
    # R Q1 "What is your role?" gives the roles: Project Manager, Executive.
    assert result.respondents == (
        ImportedRespondent(
            "R_1a2b3c4d5e",
            "project-manager",
            "ana@client.example",
            "Ana Silva",
            "2024-05-02 10:09:00",
            6,
        ),
        ImportedRespondent(
            "R_3c4d5e6f7g", "executive", "eve@client.example", "Eve Ng", "2024-05-04 12:05:00", 8
        ),
    )
    # S/T the matrix "Rate the following - <question>", U cadence, V "... - Selected Choice".
    assert answers_of(result) == [
        ("R_1a2b3c4d5e", "governance.stage-gates", 3.0, "answered", "Defined", 6, ""),
        ("R_1a2b3c4d5e", "governance.escalation", 2.0, "answered", "Repeatable", 6, ""),
        ("R_1a2b3c4d5e", "reporting.cadence", 4.0, "answered", "Managed", 6, ""),
        ("R_1a2b3c4d5e", "reporting.quality", 4.0, "answered", "Managed", 6, ""),
        ("R_3c4d5e6f7g", "governance.stage-gates", 5.0, "answered", "Optimizing", 8, ""),
        ("R_3c4d5e6f7g", "governance.escalation", None, "dont_know", "Don't know", 8, ""),
        ("R_3c4d5e6f7g", "reporting.cadence", None, "na", "Not applicable", 8, ""),
        # row 8 V "Other" is rejected
    ]
    assert [str(p) for p in result.rejected] == [
        f"{where} row 8, column V 'How reliable are the status reports? - Selected Choice': "
        "answer 'Other' to 'reporting.quality' is not one of: 1 Initial, 2 Repeatable, "
        "3 Defined, 4 Managed, 5 Optimizing, Not applicable, Don't know; map it to one under "
        "'options' in a mapping file"
    ]
    # W the "Other" text; X Department is embedded data, not reported.
    assert [(c.position, c.header) for c in result.unmatched_columns] == [
        (23, "How reliable are the status reports? - Other - Text"),
    ]
    assert result.unmatched_columns[0].closest[0] == (
        "reporting.quality",
        "How reliable are the status reports?",
    )


def test_qualtrics_include_unfinished(survey):
    result = read_survey(
        DATA / "qualtrics.csv", survey, default_role="pmo", include_unfinished=True
    )
    assert [r.code for r in result.respondents] == ["R_1a2b3c4d5e", "R_2b3c4d5e6f", "R_3c4d5e6f7g"]
    assert [p.location.rsplit(" ", 1)[-1] for p in result.skipped_rows] == ["4", "5"]
    unfinished = result.answers[result.answers["respondent"] == "R_2b3c4d5e6f"]
    assert answers_of(result)[4:5] == [
        ("R_2b3c4d5e6f", "governance.stage-gates", 2.0, "answered", "Repeatable", 7, "")
    ]
    assert len(unfinished) == 1


@pytest.mark.parametrize("name", ["qualtrics.csv", "qualtrics_utf16.tsv"])
def test_qualtrics_mapping_by_internal_name_and_import_id(survey, name):
    mapping = load_mapping(DATA / "mapping_qualtrics.yaml", survey)
    result = read_survey(DATA / name, survey, mapping=mapping)
    assert [(r.code, r.role) for r in result.respondents] == [
        ("R_1a2b3c4d5e", "project-manager"),  # role_column: Q1
        ("R_3c4d5e6f7g", "executive"),
    ]
    # options: "Other" → Don't know; QID4_7_TEXT → note on reporting.quality
    assert answers_of(result)[-1] == (
        "R_3c4d5e6f7g", "reporting.quality", None, "dont_know", "Don't know", 8, "Weekly emails"
    )  # fmt: skip
    assert len(result.answers) == 8
    assert result.rejected == ()
    assert result.unmatched_columns == ()
    assert len(result.skipped_rows) == 3


def test_qualtrics_numeric_status_and_finished(survey, tmp_path):
    rows = (DATA / "qualtrics.csv").read_text(encoding="utf-8").splitlines()
    numeric = [
        rows[0], rows[1], rows[2],
        rows[3].replace("Survey Preview", "1"),
        rows[4].replace("Survey Test", "2"),
        rows[5].replace(",IP Address,", ",0,").replace(",True,", ",1,"),
        rows[6].replace(",IP Address,", ",0,").replace(",40,", ",100,").replace(",False,", ",0,"),
    ]  # fmt: skip
    path = tmp_path / "numeric.csv"
    path.write_text("\n".join(numeric) + "\n", encoding="utf-8")
    result = read_survey(path, survey, default_role="pmo")
    # Status 1 (preview) and 2 (test) are left out; Finished 0 is unfinished even at 100%.
    assert [r.code for r in result.respondents] == ["R_1a2b3c4d5e"]
    assert [p.location for p in result.skipped_rows] == [f"{path} row {n}" for n in (4, 5, 7)]


# --- Microsoft Forms workbook ------------------------------------------------------------------


def test_ms_forms_xlsx_with_dates_and_name2(survey, tmp_path):
    path = write_xlsx(
        tmp_path / "forms.xlsx",
        [
            ["Id", "Start time", "Completion time", "Email", "Name", "Last modified time",
             "Name2", "How do projects pass stage gates?"],
            [3, dt.datetime(2024, 3, 5, 9, 1, 12), dt.datetime(2024, 3, 5, 9, 9, 45), "anonymous",
             None, None, "Ana Silva", "3 - Defined"],
        ],
    )  # fmt: skip
    result = read_survey(path, survey, default_role="pmo")
    assert result.platform == "ms-forms"
    assert result.respondents == (
        ImportedRespondent("3", "pmo", None, "Ana Silva", "2024-03-05 09:09:45", 2),
    )
    assert answers_of(result) == [
        ("3", "governance.stage-gates", 3.0, "answered", "Defined", 2, ""),
    ]
    assert result.unmatched_columns == ()


def test_long_file_as_xlsx_is_refused(survey, tmp_path):
    path = write_xlsx(
        tmp_path / "long.xlsx",
        [["client", "wave", "respondent", "role", "question_id", "answer", "note"]],
    )
    with pytest.raises(PmoAssessError, match="the long answers file is read from CSV"):
        read_survey(path, survey, default_role="pmo")
