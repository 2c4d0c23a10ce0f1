"""Survey imports: Google Forms and Microsoft Forms exports, the long answers file, layout
detection, encodings, roles and the dry-run summary. Expected answers are read off the fixtures
in tests/data/surveys by hand (see the comments)."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from pmo_assess.core.errors import PmoAssessError, RoleNeeded, ValidationError
from pmo_assess.importers import (
    IMPORT_COLUMNS,
    ImportedRespondent,
    ImportMapping,
    SurveyImport,
    read_survey,
)
from pmo_assess.model.loading import load_questionnaire

DATA = Path(__file__).parent / "data" / "surveys"
ALLOWED = "1 Initial, 2 Repeatable, 3 Defined, 4 Managed, 5 Optimizing, Not applicable, Don't know"


@pytest.fixture(scope="module")
def survey():
    return load_questionnaire(DATA / "survey.yaml")


def answers_of(result: SurveyImport) -> list[tuple[object, ...]]:
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


# --- Google Forms ------------------------------------------------------------------------------


def test_google_sheet_export_with_email_and_grid(survey):
    result = read_survey(DATA / "google_sheet.csv", survey, default_role="pmo")
    assert result.platform == "google-forms"
    assert result.source == str(DATA / "google_sheet.csv")
    # No response id in Google exports: the code is the spreadsheet row (header is row 1).
    # C "What is your role?" names a role: Project Manager, Executive, Project Manager.
    assert result.respondents == (
        ImportedRespondent(
            "row-2", "project-manager", "ana@client.example", None, "6/22/2022 11:07:29", 2
        ),
        ImportedRespondent(
            "row-3", "executive", "ben@client.example", None, "6/22/2022 14:30:02", 3
        ),
        ImportedRespondent(
            "row-4", "project-manager", "cara@client.example", None, "6/23/2022 9:15:45", 4
        ),
    )
    # Without an id, a response is known again by its completion time.
    assert [r.reference for r in result.respondents] == [
        "time 6/22/2022 11:07:29",
        "time 6/22/2022 14:30:02",
        "time 6/23/2022 9:15:45",
    ]
    # Columns: D escalation (exact text), E grid row "Stage gates" (an alias), F grid row
    # "How reliable are the status reports?" (a text), G cadence in lower case without "?".
    assert answers_of(result) == [
        ("row-2", "governance.escalation", 3.0, "answered", "Defined", 2, ""),  # 3 - Defined
        ("row-2", "governance.stage-gates", 2.0, "answered", "Repeatable", 2, ""),
        ("row-2", "reporting.quality", 4.0, "answered", "Managed", 2, ""),  # 4
        # row 2 G "Monthly" is rejected
        ("row-3", "governance.escalation", 2.0, "answered", "Repeatable", 3, ""),
        ("row-3", "governance.stage-gates", 3.0, "answered", "Defined", 3, ""),
        ("row-3", "reporting.quality", None, "dont_know", "Don't know", 3, ""),
        ("row-3", "reporting.cadence", 5.0, "answered", "Optimizing", 3, ""),  # 5 - Optimizing
        ("row-4", "governance.escalation", None, "na", "Not applicable", 4, ""),  # N/A
        # row 4 E is blank (not answered); F "Sometimes" is rejected
        ("row-4", "reporting.cadence", 1.0, "answered", "Initial", 4, ""),
    ]
    assert list(result.answers.columns) == IMPORT_COLUMNS
    assert result.answers["column"].iloc[1] == "Rate these practices [Stage gates]"
    assert [c.header for c in result.unmatched_columns] == ["Which department are you in?"]
    assert [(c.position) for c in result.unmatched_columns] == [8]
    assert result.skipped_rows == ()


def test_google_sheet_rejected_values_name_row_column_value_and_answers(survey):
    result = read_survey(DATA / "google_sheet.csv", survey, default_role="pmo")
    where = str(DATA / "google_sheet.csv")
    assert [str(p) for p in result.rejected] == [
        f"{where} row 2, column G 'how often is project status reported': answer 'Monthly' to "
        f"'reporting.cadence' is not one of: {ALLOWED}; map it to one under 'options' in a "
        "mapping file",
        f"{where} row 4, column F 'Rate these practices [How reliable are the status reports?]': "
        f"answer 'Sometimes' to 'reporting.quality' is not one of: {ALLOWED}; map it to one "
        "under 'options' in a mapping file",
    ]


def test_google_sheet_without_email_column(survey):
    result = read_survey(DATA / "google_sheet_no_email.csv", survey, default_role="pmo")
    assert [(r.code, r.email, r.submitted_at) for r in result.respondents] == [
        ("row-2", None, "7/1/2022 8:00:00"),
        ("row-3", None, "7/1/2022 8:05:10"),
    ]
    assert answers_of(result) == [
        ("row-2", "governance.stage-gates", 4.0, "answered", "Managed", 2, ""),
        ("row-2", "methods.templates", 3.0, "answered", "Defined", 2, ""),
        ("row-3", "governance.stage-gates", 5.0, "answered", "Optimizing", 3, ""),
        # row 3 leaves the templates question blank: no answer row
    ]
    assert result.unmatched_columns == ()


def test_google_sheet_email_address_in_lower_case(survey):
    result = read_survey(DATA / "google_sheet_email_lower.csv", survey, default_role="pmo")
    assert [(r.code, r.email) for r in result.respondents] == [("row-2", "dee@client.example")]
    # "How are lessons learned captured & reused?" is the question's exact text
    assert answers_of(result) == [
        ("row-2", "methods.lessons", 3.0, "answered", "Defined", 2, ""),
    ]
    assert result.unmatched_columns == ()  # "Email address" is Google's column, not a question


def test_google_direct_csv_download_all_quoted_with_ast_timestamps(survey):
    result = read_survey(DATA / "google_download.csv", survey, default_role="pmo")
    assert result.platform == "google-forms"
    assert [(r.code, r.submitted_at) for r in result.respondents] == [
        ("row-2", "2022/06/22 11:07:29 AM AST"),  # kept as written: AST is ambiguous
        ("row-3", "2022/06/22 2:30:02 PM AST"),
    ]
    assert answers_of(result) == [
        ("row-2", "governance.stage-gates", 3.0, "answered", "Defined", 2, ""),
        ("row-2", "reporting.cadence", 4.0, "answered", "Managed", 2, ""),
        ("row-3", "governance.stage-gates", 1.0, "answered", "Initial", 3, ""),
        ("row-3", "reporting.cadence", None, "na", "Not applicable", 3, ""),
    ]


def test_cp1252_sheet_with_curly_apostrophes(survey):
    # Header "PMO’s" and answer "Don’t know" are cp1252 byte 0x92.
    result = read_survey(DATA / "google_sheet_cp1252.csv", survey, default_role="pmo")
    assert result.answers["column"].iloc[0] == "How consistently are the PMO\u2019s templates used?"
    assert answers_of(result) == [
        ("row-2", "methods.templates", None, "dont_know", "Don't know", 2, ""),
        ("row-3", "methods.templates", 4.0, "answered", "Managed", 3, ""),
    ]


def test_grid_questions_matching_the_same_question_twice_are_an_error(survey):
    # B is the question's text, C "Stage gates" its alias.
    name = DATA / "duplicate_match.csv"
    message = (
        f"{name} column C 'Stage gates': matches question 'governance.stage-gates' like column B "
        "'How do projects pass stage gates?'; map one of them to another question or to "
        "'ignore' under 'columns' in a mapping file"
    )
    with pytest.raises(ValidationError, match=re.escape(message)):
        read_survey(name, survey, default_role="pmo")


def test_duplicate_match_resolved_by_ignoring_one_column(survey):
    mapping = ImportMapping(columns={"Stage gates": "ignore"})
    result = read_survey(DATA / "duplicate_match.csv", survey, mapping=mapping, default_role="pmo")
    assert answers_of(result) == [
        ("row-2", "governance.stage-gates", 3.0, "answered", "Defined", 2, ""),
    ]


# --- Microsoft Forms ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ms_forms.csv", "ms_forms_bom.csv"])
def test_ms_forms_anonymous_with_name2_and_shuffled_columns(survey, name):
    mapping = ImportMapping(
        role_column="What is your role?",
        roles={"Project Manager": "project-manager", "Executive": "executive"},
    )
    result = read_survey(DATA / name, survey, mapping=mapping)
    assert result.platform == "ms-forms"
    # Email "anonymous" means none; Name is blank, so Name2 (a question called "Name") gives it.
    assert result.respondents == (
        ImportedRespondent("1", "project-manager", None, "Ana Silva", "3/5/24 9:09:45", 2),
        ImportedRespondent("2", "executive", None, None, "3/5/24 10:22:31", 3),
    )
    # Columns in the form's order, not the questionnaire's: cadence, stage gates, role, quality.
    assert answers_of(result) == [
        ("1", "reporting.cadence", 4.0, "answered", "Managed", 2, ""),
        ("1", "governance.stage-gates", 3.0, "answered", "Defined", 2, ""),
        ("1", "reporting.quality", 4.0, "answered", "Managed", 2, ""),  # "4;"
        ("2", "reporting.cadence", 2.0, "answered", "Repeatable", 3, ""),
        ("2", "governance.stage-gates", 5.0, "answered", "Optimizing", 3, ""),
        ("2", "reporting.quality", None, "dont_know", "Don't know", 3, ""),
    ]
    assert result.unmatched_columns == ()  # Name2 is the respondent's name, not a question
    assert result.rejected == ()


def test_ms_forms_id_and_last_modified_time_variant(survey):
    result = read_survey(DATA / "ms_forms_modified.csv", survey, default_role="pmo")
    assert result.platform == "ms-forms"
    assert result.respondents == (
        ImportedRespondent(
            "7", "pmo", "ana.silva@client.example", "Ana Silva", "2024-03-05 09:09:45", 2
        ),
        ImportedRespondent(
            "8", "pmo", "ben.ode@client.example", "Ben Ode", "2024-03-05 11:04:59", 3
        ),
    )
    assert answers_of(result) == [
        ("7", "methods.lessons", 3.0, "answered", "Defined", 2, ""),
        ("7", "methods.templates", 4.0, "answered", "Managed", 2, ""),
        ("8", "methods.lessons", 1.0, "answered", "Initial", 3, ""),
        ("8", "methods.templates", None, "na", "Not applicable", 3, ""),
    ]
    assert result.unmatched_columns == ()  # Last modified time is a Forms column


# --- the long answers file ---------------------------------------------------------------------


def test_long_file_respondent_codes_roles_and_rows(survey):
    result = read_survey(DATA / "long.csv", survey, default_role="executive")
    assert result.platform == "long"
    # R2's role is blank, so the default role applies; row 5 has a blank answer (no row).
    assert result.respondents == (
        ImportedRespondent("R1", "pmo", row=2),
        ImportedRespondent("R2", "executive", row=4),
    )
    assert answers_of(result) == [
        ("R1", "governance.stage-gates", 3.0, "answered", "Defined", 2, ""),
        ("R1", "reporting.cadence", 4.0, "answered", "Managed", 3, "Weekly report"),
        ("R2", "governance.stage-gates", 2.0, "answered", "Repeatable", 4, ""),
        ("R2", "reporting.quality", None, "na", "Not applicable", 6, ""),
    ]
    assert list(result.answers["role"]) == ["pmo", "pmo", "executive", "executive"]
    assert set(result.answers["column"]) == {"answer"}


def test_long_file_rows_without_role_are_skipped_without_default(survey):
    result = read_survey(DATA / "long.csv", survey)
    assert [r.code for r in result.respondents] == ["R1"]
    assert [str(p) for p in result.skipped_rows] == [
        f"{DATA / 'long.csv'} row {n}: respondent 'R2' has no role; fill in the role column or "
        "pass --role ROLE"
        for n in (4, 6)
    ]
    assert len(result.answers) == 2


def test_long_file_bad_answer_fails_like_the_answers_reader(survey):
    message = (
        f"{DATA / 'long_bad_answer.csv'} row 2: answer 'Sometimes' to 'governance.stage-gates'"
    )
    with pytest.raises(ValidationError, match=re.escape(message)):
        read_survey(DATA / "long_bad_answer.csv", survey)


def test_long_file_with_two_waves_is_refused(survey):
    with pytest.raises(
        PmoAssessError, match=r"several clients or waves \(acme 2025-Q1, acme 2026-Q1\)"
    ):
        read_survey(DATA / "long_two_waves.csv", survey)


def test_long_file_ignores_a_mapping(survey):
    # A mapping kept for a client's survey exports must not get in the way of a long file.
    mapping = ImportMapping(columns={"answer": "ignore"}, options={"3": "Initial"})
    result = read_survey(DATA / "long.csv", survey, mapping=mapping, default_role="pmo")
    assert list(result.answers["value"])[:2] == [3.0, 4.0]


# --- detection and formats ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "platform"),
    [
        ("google_sheet.csv", "google-forms"),
        ("google_sheet_no_email.csv", "google-forms"),
        ("google_download.csv", "google-forms"),
        ("google_sheet_cp1252.csv", "google-forms"),
        ("ms_forms.csv", "ms-forms"),
        ("ms_forms_bom.csv", "ms-forms"),
        ("ms_forms_modified.csv", "ms-forms"),
        ("surveymonkey.csv", "surveymonkey"),
        ("qualtrics.csv", "qualtrics"),
        ("qualtrics_utf16.tsv", "qualtrics"),
        ("long.csv", "long"),
    ],
)
def test_layout_is_detected(survey, name, platform):
    assert read_survey(DATA / name, survey, default_role="pmo").platform == platform


def test_named_format_is_used_when_it_fits(survey):
    result = read_survey(DATA / "ms_forms.csv", survey, format="ms-forms", default_role="pmo")
    assert result.platform == "ms-forms"


def test_named_format_that_does_not_fit_names_what_was_expected(survey):
    message = (
        f"{DATA / 'ms_forms.csv'} is not a Qualtrics export: expected three header rows: "
        "internal names (StartDate, EndDate, Status, ..., ResponseId, ..., Q1, Q2_1), question "
        "texts, and import ids ({\"ImportId\":\"QID1\"}); its first row is 'ID', 'Start time', "
        "'Completion time', 'Email', 'Name', 'Name2', ..."
    )
    with pytest.raises(PmoAssessError, match=re.escape(message)):
        read_survey(DATA / "ms_forms.csv", survey, format="qualtrics", default_role="pmo")


def test_unknown_layout_names_the_file_and_the_layouts_expected(survey):
    with pytest.raises(PmoAssessError) as caught:
        read_survey(DATA / "unknown_layout.csv", survey, default_role="pmo")
    message = str(caught.value)
    assert message.startswith(
        f"{DATA / 'unknown_layout.csv'}: unknown survey layout; its first row is 'Respondent', "
        "'Question 1', 'Question 2'. Expected Qualtrics: three header rows"
    )
    for expected in ("SurveyMonkey: two header rows", "Microsoft Forms: one header row: ID",
                     "Google Forms: one header row: Timestamp",
                     "the long answers file: one header row: client, wave"):  # fmt: skip
        assert expected in message
    assert message.endswith("Pass --format to name the platform.")


def test_unknown_format_name(survey):
    with pytest.raises(
        PmoAssessError,
        match=re.escape(
            "Unknown survey format 'typeform'. Formats: auto, long, qualtrics, surveymonkey, "
            "ms-forms, google-forms."
        ),
    ):
        read_survey(DATA / "google_sheet.csv", survey, format="typeform")


def test_missing_file(survey, tmp_path):
    with pytest.raises(PmoAssessError, match=re.escape(f"File not found: {tmp_path / 'x.csv'}")):
        read_survey(tmp_path / "x.csv", survey)


def test_empty_file(survey, tmp_path):
    (tmp_path / "empty.csv").write_text("\n\n")
    with pytest.raises(PmoAssessError, match=re.escape("empty.csv is empty; expected a survey")):
        read_survey(tmp_path / "empty.csv", survey, default_role="pmo")


def test_old_excel_file_is_refused(survey, tmp_path):
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 60)
    with pytest.raises(PmoAssessError, match=r"old binary Excel \(\.xls\) file; save it as \.xlsx"):
        read_survey(tmp_path / "old.xls", survey)


def test_semicolon_csv_is_split_on_semicolons(survey, tmp_path):
    path = tmp_path / "semicolon.csv"
    path.write_text(
        'Timestamp;"How, and how often, is project status reported?";How do projects pass stage gates?\n1/1/2024 9:00:00;3;4\n'
    )
    result = read_survey(path, survey, default_role="pmo")
    assert answers_of(result) == [
        ("row-2", "governance.stage-gates", 4.0, "answered", "Managed", 2, ""),
    ]
    assert [c.header for c in result.unmatched_columns] == [
        "How, and how often, is project status reported?"
    ]


# --- roles -------------------------------------------------------------------------------------


def test_without_role_column_or_default_role_the_error_says_what_to_do(survey, tmp_path):
    path = tmp_path / "titles.csv"
    path.write_text(
        "Timestamp,Job title,How do projects pass stage gates?\n1/1/2024 9:00:00,PMO lead,3\n"
    )
    # "Job title" looks like a role but does not name one: it is suggested, not used
    message = (
        f"{path}: no role for the respondents. Pass --role ROLE to give them all one role, or "
        "map the column that holds each respondent's role in a mapping file "
        '(e.g. role_column: "Job title").'
    )
    with pytest.raises(RoleNeeded, match=re.escape(message)):
        read_survey(path, survey)
    with pytest.raises(RoleNeeded, match=r"in a mapping file\.$"):  # nothing to suggest
        read_survey(DATA / "google_sheet_no_email.csv", survey)


def test_role_values_not_in_the_roles_map_become_slugs(survey):
    result = read_survey(
        DATA / "google_sheet.csv", survey, mapping=ImportMapping(role_column="What is your role?")
    )
    # "Project Manager" → project-manager, "Executive" → executive
    assert [r.role for r in result.respondents] == [
        "project-manager",
        "executive",
        "project-manager",
    ]
    assert set(result.answers["role"]) == {"project-manager", "executive"}


def test_blank_role_cell_takes_the_default_role_or_skips_the_row(survey, tmp_path):
    path = tmp_path / "roles.csv"
    path.write_text(
        "Timestamp,Role,How do projects pass stage gates?\n"
        "1/1/2024 9:00:00,Sponsor,3\n"
        "1/1/2024 9:05:00,,4\n"
    )
    mapping = ImportMapping(role_column="role", roles={"sponsor": "executive"})
    with_default = read_survey(path, survey, mapping=mapping, default_role="pmo")
    assert [(r.code, r.role) for r in with_default.respondents] == [
        ("row-2", "executive"),  # "Sponsor" matches "sponsor" whatever the case
        ("row-3", "pmo"),
    ]
    without = read_survey(path, survey, mapping=mapping)
    assert [r.code for r in without.respondents] == ["row-2"]
    assert [str(p) for p in without.skipped_rows] == [
        f"{path} row 3: no role: column B 'Role' is blank; fill it in, or pass --role ROLE to "
        "give respondents without one that role"
    ]


def test_rows_without_any_answer_are_skipped(survey, tmp_path):
    path = tmp_path / "blank.csv"
    path.write_text(
        "Timestamp,How do projects pass stage gates?,Comments\n"
        "1/1/2024 9:00:00,,just browsing\n"
        "1/1/2024 9:05:00,2,\n"
    )
    mapping = ImportMapping(columns={"Comments": "ignore"})
    result = read_survey(path, survey, mapping=mapping, default_role="pmo")
    assert [r.code for r in result.respondents] == ["row-3"]
    assert [str(p) for p in result.skipped_rows] == [
        f"{path} row 2: no answer to any matched question"
    ]


# --- summary -----------------------------------------------------------------------------------


def test_summary_for_a_dry_run(survey):
    result = read_survey(DATA / "google_sheet.csv", survey, default_role="pmo")
    where = DATA / "google_sheet.csv"
    lines = result.summary().splitlines()
    assert lines[:7] == [
        f"{where} (google-forms)",
        "Respondents: 3 (executive 1, project-manager 2)",
        "Roles from column C 'What is your role?' (its header names a role)",
        "Answers: 9",
        "Completion times: 3 in column A 'Timestamp', the last on 23 June 2022",  # 6/23/2022
        "Unmatched columns: 1",
        "  1. column H 'Which department are you in?' matches no question; closest:",
    ]
    assert sum(line.startswith("       - ") for line in lines) == 3  # the three closest
    assert "Rejected values: 2" in lines
    assert lines[-1] == "Skipped rows: none"
