"""Survey imports: matching columns to questions, mapping files and their validation."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from pmo_assess.core.errors import ValidationError
from pmo_assess.importers import ImportMapping, load_mapping, read_survey
from pmo_assess.model.loading import load_questionnaire

DATA = Path(__file__).parent / "data" / "surveys"
ALLOWED = "1 Initial, 2 Repeatable, 3 Defined, 4 Managed, 5 Optimizing, Not applicable, Don't know"


@pytest.fixture(scope="module")
def survey():
    return load_questionnaire(DATA / "survey.yaml")


def one_column(tmp_path: Path, header: str, answer: str = "3") -> Path:
    """A Google Forms export with one question column and one response."""
    path = tmp_path / "one.csv"
    quoted = '"' + header.replace('"', '""') + '"'
    path.write_text(f"Timestamp,{quoted}\n1/1/2024 9:00:00,{answer}\n", encoding="utf-8")
    return path


# --- matching columns --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "question_id"),
    [
        ("governance.escalation", "governance.escalation"),  # the question id
        ("How do projects pass stage gates?", "governance.stage-gates"),  # exact text
        ("Stage gates", "governance.stage-gates"),  # exact alias
        ("  HOW DO PROJECTS   pass stage gates ", "governance.stage-gates"),  # normalised text
        ("stage gates.", "governance.stage-gates"),  # normalised alias
        ("How consistently are the PMO\u2019s templates used?", "methods.templates"),  # curly '
        ("Rate these [How are lessons learned captured & reused?]", "methods.lessons"),  # grid row
        ("Rate the following - How reliable are the status reports?", "reporting.quality"),
        ("How often is project status reported? - Selected Choice", "reporting.cadence"),
        ("How often is project status reported - weekly?", None),  # not a statement of a matrix
        ("Rate these practices", None),
    ],
)
def test_column_matching(survey, tmp_path, header, question_id):
    result = read_survey(one_column(tmp_path, header), survey, default_role="pmo")
    found = list(result.answers["question_id"])
    assert found == ([question_id] if question_id else [])
    assert len(result.unmatched_columns) == (0 if question_id else 1)


@pytest.mark.parametrize(
    ("header", "closest_first"),
    [
        ("How are issues escalated to the steering board?", "governance.escalation"),
        ("Stage gate reviews", "governance.stage-gates"),  # near the alias "Stage gates"
        ("Please rate - Escalation of issues", "governance.escalation"),  # words out of order
        ("How are lessons captured and reused", "methods.lessons"),
    ],
)
def test_unmatched_column_lists_three_closest_questions(survey, tmp_path, header, closest_first):
    result = read_survey(one_column(tmp_path, header), survey, default_role="pmo")
    (column,) = result.unmatched_columns
    assert (column.header, column.position) == (header, 2)
    assert len(column.closest) == 3
    assert column.closest[0][0] == closest_first
    texts = {q.id: q.text for q in survey.questions()}
    assert all(texts[qid] == text for qid, text in column.closest)


def test_mapping_beats_automatic_matching(survey, tmp_path):
    path = one_column(tmp_path, "How do projects pass stage gates?")
    mapping = ImportMapping(columns={"how do projects pass stage gates": "governance.escalation"})
    result = read_survey(path, survey, mapping=mapping, default_role="pmo")
    assert list(result.answers["question_id"]) == ["governance.escalation"]


def test_note_without_an_answer_is_reported(survey, tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text(
        "Timestamp,How do projects pass stage gates?,Why?,Stage comment\n"
        "1/1/2024 9:00:00,3,,Minuted\n"
        "1/1/2024 9:05:00,,No gates yet,\n",
        encoding="utf-8",
    )
    mapping = ImportMapping(
        columns={"Stage comment": "note:governance.stage-gates", "Why?": "note:reporting.cadence"}
    )
    result = read_survey(path, survey, mapping=mapping, default_role="pmo")
    # row 3 answers nothing but a note, so it is skipped as a respondent with no answers
    assert [(a.respondent, a.question_id, a.note) for a in result.answers.itertuples()] == [
        ("row-2", "governance.stage-gates", "Minuted")
    ]
    assert [str(p) for p in result.skipped_rows] == [
        f"{path} row 3: no answer to any matched question"
    ]
    path.write_text(
        "Timestamp,How do projects pass stage gates?,Why?\n1/1/2024 9:00:00,3,No cadence\n",
        encoding="utf-8",
    )
    result = read_survey(path, survey, mapping=mapping, default_role="pmo")
    assert [str(p) for p in result.rejected] == [
        f"{path} row 2, column C 'Why?': note 'No cadence' on 'reporting.cadence' has no answer "
        "to go with"
    ]


# --- mapping files -----------------------------------------------------------------------------


def test_load_mapping(survey):
    mapping = load_mapping(DATA / "mapping.yaml", survey)
    assert mapping.columns == {"Which department are you in?": "ignore"}
    assert mapping.options == {"Sometimes": "Repeatable", "Monthly": 3}
    assert mapping.role_column == "What is your role?"
    assert mapping.roles == {"Project Manager": "project-manager", "Executive": "executive"}
    assert mapping.source == str(DATA / "mapping.yaml")


def test_mapping_fixes_columns_labels_and_roles(survey):
    mapping = load_mapping(DATA / "mapping.yaml", survey)
    result = read_survey(DATA / "google_sheet.csv", survey, mapping=mapping)
    assert [(r.code, r.role) for r in result.respondents] == [
        ("row-2", "project-manager"),
        ("row-3", "executive"),
        ("row-4", "project-manager"),
    ]
    answers = [
        (a.respondent, a.question_id, None if math.isnan(a.value) else a.value, a.option_label)
        for a in result.answers.itertuples()
    ]
    # as without the mapping, plus row 2 "Monthly" → 3 and row 4 "Sometimes" → Repeatable
    assert answers == [
        ("row-2", "governance.escalation", 3.0, "Defined"),
        ("row-2", "governance.stage-gates", 2.0, "Repeatable"),
        ("row-2", "reporting.quality", 4.0, "Managed"),
        ("row-2", "reporting.cadence", 3.0, "Defined"),
        ("row-3", "governance.escalation", 2.0, "Repeatable"),
        ("row-3", "governance.stage-gates", 3.0, "Defined"),
        ("row-3", "reporting.quality", None, "Don't know"),
        ("row-3", "reporting.cadence", 5.0, "Optimizing"),
        ("row-4", "governance.escalation", None, "Not applicable"),
        ("row-4", "reporting.quality", 2.0, "Repeatable"),
        ("row-4", "reporting.cadence", 1.0, "Initial"),
    ]
    assert result.unmatched_columns == ()  # department ignored, role column read as roles
    assert result.rejected == ()
    assert result.summary().splitlines()[1] == "Respondents: 3 (executive 1, project-manager 2)"


def test_mapping_validation_lists_every_problem_with_its_line(survey):
    where = DATA / "mapping_bad.yaml"
    with pytest.raises(ValidationError) as caught:
        load_mapping(where, survey)
    problems = [str(p) for p in caught.value.problems]
    assert [p.split(": ", 1)[0] for p in problems] == [
        f"{where}:{line}" for line in (1, 2, 5, 6, 7, 9, 10, 11, 12, 13)
    ]
    assert problems[2].startswith(
        f"{where}:5: column 'How do gates work?' maps to unknown question id "
        "'governance.stage-gate'; closest ids: governance.stage-gates"
    )
    assert problems[3].startswith(
        f"{where}:6: column 'Comments' maps to unknown question or dimension id "
        "'reporting.cadense'; closest ids: reporting.cadence"
    )
    assert problems[4:] == [
        f"{where}:7: columns: 'Department' must map to a question id, ignore, "
        '"note: respondent", "note: <dimension id>" or "note: <question id>"; got 3',
        f"{where}:9: options: YAML read a key as true/false; put it in quotes",
        f"{where}:10: options: 'Always' must map to an answer label or value; got True",
        f"{where}:11: option 'Often' maps to 'Frequently', which is no answer of the "
        f"questionnaire; answers: {ALLOWED}",
        f"{where}:12: 'role_column' must be a column header (text)",
        f"{where}:13: 'roles' must be a mapping (key: value)",
    ]
    assert caught.value.report().startswith(f"10 problems in {where}:\n  1. {where}:1: ")


def test_mapping_shape_is_checked_without_a_questionnaire():
    with pytest.raises(ValidationError) as caught:
        load_mapping(DATA / "mapping_bad.yaml")
    lines = [p.location.rsplit(":", 1)[1] for p in caught.value.problems]
    assert lines == ["1", "2", "7", "9", "10", "12", "13"]  # ids and answers need a questionnaire


def test_mapping_yaml_syntax_error_names_its_line():
    where = DATA / "mapping_syntax.yaml"
    with pytest.raises(ValidationError, match=re.escape(f"{where}:4: YAML syntax error")):
        load_mapping(where)


def test_mapping_file_not_found(tmp_path):
    with pytest.raises(
        ValidationError, match=re.escape(f"{tmp_path / 'none.yaml'}: file not found")
    ):
        load_mapping(tmp_path / "none.yaml")


def test_mapping_top_level_must_be_a_mapping(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- columns\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=re.escape(f"{path}:1: expected a mapping with keys")):
        load_mapping(path)


def test_role_column_missing_from_the_export(survey):
    mapping = load_mapping(DATA / "mapping_role_missing.yaml", survey)
    message = (
        f"{DATA / 'mapping_role_missing.yaml'}:2: role_column 'Your job' is not a column of "
        f"{DATA / 'google_sheet_email_lower.csv'}; its columns: "
        "'How are lessons learned captured & reused?'"
    )
    with pytest.raises(ValidationError, match=re.escape(message)):
        read_survey(DATA / "google_sheet_email_lower.csv", survey, mapping=mapping)


def test_mapping_made_in_code_is_checked_against_the_questionnaire(survey):
    mapping = ImportMapping(columns={"Gates": "governance.gates"}, options={"Often": 7})
    with pytest.raises(ValidationError) as caught:
        read_survey(DATA / "google_sheet.csv", survey, mapping=mapping, default_role="pmo")
    assert [p.location for p in caught.value.problems] == ["the mapping", "the mapping"]
    assert caught.value.problems[0].message.startswith(
        "column 'Gates' maps to unknown question id 'governance.gates'; closest ids: "
    )
    assert caught.value.problems[1].message == (
        f"option 'Often' maps to 7, which is no answer of the questionnaire; answers: {ALLOWED}"
    )


def test_option_rules_match_whatever_the_case_and_map_to_values(survey, tmp_path):
    path = one_column(tmp_path, "Stage gates", answer="  ALWAYS ")
    mapping = ImportMapping(options={"Always": 5})
    result = read_survey(path, survey, mapping=mapping, default_role="pmo")
    assert list(result.answers["option_label"]) == ["Optimizing"]


def test_export_without_any_matched_column_reports_once(survey, tmp_path):
    path = tmp_path / "none.csv"
    path.write_text("Timestamp,Team,Site\n1/1/2024 9:00:00,A,B\n1/1/2024 9:05:00,C,D\n")
    result = read_survey(path, survey, default_role="pmo")
    assert result.respondents == ()
    assert [str(p) for p in result.skipped_rows] == [
        f"{path}: no column matched a question, so none of its 2 responses was read; see the "
        "unmatched columns"
    ]
    assert [c.header for c in result.unmatched_columns] == ["Team", "Site"]
