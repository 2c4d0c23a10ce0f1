"""The long answers file: answer variants, encodings, and one test per error message."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest

from pmo_assess.core.errors import PmoAssessError, ValidationError
from pmo_assess.model.loading import load_questionnaire
from pmo_assess.scoring.answers import (
    TIDY_COLUMNS,
    match_option,
    read_answers_file,
    select_assessment,
)

DATA = Path(__file__).parent / "data" / "answers"
ALLOWED = "1 Initial, 2 Repeatable, 3 Defined, 4 Managed, 5 Optimizing, Not applicable, Don't know"


@pytest.fixture(scope="module")
def tiny():
    return load_questionnaire(DATA / "tiny.yaml")


def read(name: str, tiny) -> pd.DataFrame:
    return read_answers_file(DATA / name, tiny)


def raises_at(name: str, message: str):
    """pytest.raises for a ValidationError whose report ends with ``<file><message>`` verbatim."""
    return pytest.raises(ValidationError, match=re.escape(f"{DATA / name}{message}") + "$")


# --- answers that parse ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("respondent", "value", "status"),
    [
        ("value", 3.0, "answered"),  # 3
        ("value-decimal", 4.0, "answered"),  # 4.0
        ("label", 3.0, "answered"),  # Defined
        ("label-lower", 5.0, "answered"),  # optimizing
        ("label-upper-spaced", 2.0, "answered"),  # "  REPEATABLE  "
        ("label-inner-space", None, "na"),  # Not   applicable
        ("value-dash-label", 3.0, "answered"),  # 3 - Defined
        ("value-dash-label-loose", 1.0, "answered"),  # 1-initial
        ("value-space-label", 5.0, "answered"),  # 5 Optimizing
        ("na-slash", None, "na"),  # N/A
        ("na-lower", None, "na"),  # n/a
        ("na-letters", None, "na"),  # NA
        ("dk-label", None, "dont_know"),  # Don't know
        ("dk-curly", None, "dont_know"),  # Don’t Know (curly apostrophe)
        ("dk-no-apostrophe", None, "dont_know"),  # dont know
        ("dk-words", None, "dont_know"),  # Do not know
    ],
)
def test_answer_variants_parse_to_value_and_status(tiny, respondent, value, status):
    answers = read("variants.csv", tiny).set_index("respondent")
    row = answers.loc[respondent]
    assert row["status"] == status
    if value is None:
        assert math.isnan(row["value"])
    else:
        assert row["value"] == value


@pytest.mark.parametrize(
    ("answer", "label"),
    [
        ("3", "Defined"),
        (" defined ", "Defined"),
        ("3 - Defined", "Defined"),
        ("3 – defined", "Defined"),  # en dash, as Word and Excel autocorrect it
        ("3: Defined", "Defined"),
        ("3) Defined", "Defined"),
        ("Managed.", "Managed"),
        ("not applicable", "Not applicable"),
        ("Unknown", "Don't know"),
        ("3 - Managed", None),  # value and label disagree
        ("6", None),  # not on the scale
        ("0", None),
        ("Sometimes", None),
        ("", None),
    ],
)
def test_match_option(tiny, answer, label):
    option = match_option(answer, tiny.answer_sets["maturity-5"])
    assert (option.label if option else None) == label


def test_valid_file_gives_the_tidy_table(tiny):
    answers = read("valid.csv", tiny)
    assert list(answers.columns) == TIDY_COLUMNS
    # 11 data rows, one with a blank answer (R3, reporting.cadence) is a question not asked
    assert len(answers) == 10
    assert not (
        (answers["respondent"] == "R3") & (answers["question_id"] == "reporting.cadence")
    ).any()
    assert answers["status"].value_counts().to_dict() == {"answered": 6, "dont_know": 3, "na": 1}
    r2 = answers[answers["respondent"] == "R2"].set_index("question_id")
    assert r2.loc["governance.stage-gates", "value"] == 4.0  # Managed
    assert r2.loc["governance.stage-gates", "note"] == "Gates are minuted"
    assert r2.loc["reporting.cadence", "value"] == 2.0  # "  repeatable "
    assert r2.loc["governance.escalation", "status"] == "na"


def test_blank_role_becomes_unspecified(tiny):
    roles = read("valid.csv", tiny).groupby("respondent")["role"].first().to_dict()
    assert roles == {"R1": "pmo", "R2": "executive", "R3": "unspecified"}


def test_text_columns_are_text(tiny):
    answers = read("valid.csv", tiny)
    assert answers["wave"].unique().tolist() == ["2026-Q1"]
    assert answers["note"].iloc[0] == ""


# --- encodings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "utf8_bom.csv",  # Excel's "CSV UTF-8"
        "cp1252.csv",  # Excel's "CSV" on Western-European Windows
        "utf16.csv",
        "semicolon_cp1252.csv",  # Excel's "CSV" where the list separator is ';'
        "utf16_tab.txt",  # Excel's "Unicode Text"
    ],
)
def test_encodings_and_separators_read_the_same(tiny, name):
    answers = read(name, tiny)
    assert answers["client"].tolist() == ["Café Crème", "Café Crème"]
    assert answers["note"].tolist() == ["Revue trimestrielle, l’équipe a validé", "pas sûr"]
    # "Don’t know" with the curly apostrophe Word and Excel type
    assert answers["status"].tolist() == ["answered", "dont_know"]
    assert answers["value"].iloc[0] == 3.0


def test_bom_is_not_part_of_the_first_column(tiny):
    assert "client" in read("utf8_bom.csv", tiny).columns


def test_blank_columns_and_rows_left_by_excel_are_ignored(tiny):
    answers = read("excel_blank_columns.csv", tiny)
    assert answers["value"].tolist() == [3.0, 4.0]
    assert answers["note"].tolist() == ["", ""]  # row 3 stops before the note cell


# --- errors: one per rule, with row numbers (the header is row 1) ----------------------------


def test_empty_file(tiny):
    with raises_at(
        "empty.csv",
        ": the file is empty; expected a header row with columns "
        "client, wave, respondent, role, question_id, answer, note",
    ):
        read("empty.csv", tiny)


def test_header_only_file(tiny):
    with raises_at("header_only.csv", ": the file holds no answers"):
        read("header_only.csv", tiny)


def test_missing_columns_lists_the_columns_found(tiny):
    with raises_at(
        "missing_columns.csv",
        " row 1: missing column(s) role, question_id; columns found: "
        "'client', 'wave', 'respondent', 'question', 'answer', 'note'",
    ):
        read("missing_columns.csv", tiny)


def test_duplicate_column(tiny):
    with raises_at(
        "duplicate_column.csv", " row 1: column 'answer' appears more than once (columns 6, 7)"
    ):
        read("duplicate_column.csv", tiny)


def test_unquoted_comma_makes_stray_cells(tiny):
    with raises_at(
        "stray_cells.csv",
        " row 3: cells outside the header's columns: ' but done'; "
        'put text that holds a comma in double quotes, e.g. "late, but done"',
    ):
        read("stray_cells.csv", tiny)


def test_unknown_question_suggests_the_closest(tiny):
    with raises_at(
        "unknown_question.csv",
        " row 3: unknown question id 'governance.stage-gate'; "
        "did you mean 'governance.stage-gates'?",  # only the closest, not its neighbours
    ):
        read("unknown_question.csv", tiny)


def test_answer_not_in_answer_set_lists_the_allowed(tiny):
    with raises_at(
        "bad_answer.csv",
        f" row 4: answer 'Sometimes' to 'reporting.cadence' is not one of: {ALLOWED}",
    ):
        read("bad_answer.csv", tiny)


def test_same_respondent_twice(tiny):
    with raises_at(
        "duplicate.csv",
        " row 4: respondent 'R1' answers 'governance.stage-gates' twice (also at row 2)",
    ):
        read("duplicate.csv", tiny)


def test_several_problems_reported_together_in_row_order(tiny):
    with pytest.raises(ValidationError) as caught:
        read("several_problems.csv", tiny)
    path = DATA / "several_problems.csv"
    assert [str(p) for p in caught.value.problems] == [
        f"{path} row 2: unknown question id 'reporting.cadance'; did you mean 'reporting.cadence'?",
        f"{path} row 3: answer '6' to 'governance.stage-gates' is not one of: {ALLOWED}",
        f"{path} row 5: answer '3 - Managed' to 'reporting.quality' is not one of: {ALLOWED}",
        f"{path} row 6: respondent 'R1' answers 'governance.escalation' twice (also at row 4)",
        f"{path} row 7: answer 'Sometimes' to 'governance.escalation' is not one of: {ALLOWED}",
        f"{path} row 11: respondent 'R2' answers 'governance.stage-gates' twice (also at row 10)",
    ]
    report = str(caught.value)
    assert report.startswith(f"6 problems in {path}:\n  1. {path} row 2: ")
    assert f"\n  6. {path} row 11: " in report


def test_missing_file(tiny, tmp_path):
    with pytest.raises(PmoAssessError, match=re.escape(f"File not found: {tmp_path / 'no.csv'}")):
        read_answers_file(tmp_path / "no.csv", tiny)


# --- choosing one client and wave ------------------------------------------------------------


def test_several_clients_without_a_choice(tiny):
    answers = read("two_clients.csv", tiny)
    with pytest.raises(
        PmoAssessError,
        match=re.escape(
            "The answers hold several clients (acme, globex); choose one with --client."
        ),
    ):
        select_assessment(answers, None, None)


def test_unknown_client_lists_the_clients(tiny):
    answers = read("two_clients.csv", tiny)
    with pytest.raises(
        PmoAssessError,
        match=re.escape("No answers for client 'initech'. Clients in the answers: acme, globex."),
    ):
        select_assessment(answers, "initech", None)


def test_choosing_a_client(tiny):
    chosen = select_assessment(read("two_clients.csv", tiny), "acme", None)
    assert chosen["respondent"].tolist() == ["R1", "R2"]
    assert set(chosen["client"]) == {"acme"}
