"""End to end: ``python -m pmo_assess`` in a subprocess, on a temporary workspace."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import pmo_assess as pmo_assess_package

DATA = Path(__file__).parent / "data" / "answers"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A folder holding the tiny questionnaire and the answers fixtures, used as the working dir."""
    for path in DATA.iterdir():
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def pmo_assess(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "pmo_assess", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def score(cwd: Path, answers: str, *args: str) -> subprocess.CompletedProcess[str]:
    return pmo_assess(cwd, "score", "--questionnaire", "tiny.yaml", "--answers", answers, *args)


def user_error(result: subprocess.CompletedProcess[str]) -> str:
    """stderr of a run that failed on the user's input: exit 1, no traceback, nothing on stdout."""
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    return result.stderr


def usage_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("usage: pmo-assess")
    return result.stderr


# valid.csv, worked out by hand (client acme, wave 2026-Q1; default target 3 everywhere):
#   governance.stage-gates  R1 3, R2 "Managed" 4, R3 "2 - Repeatable" 2
#       mean (3+4+2)/3 = 3; sd sqrt((0+1+1)/2) = 1; min 2, max 4; range 2 >= threshold 2: disagreement
#   governance.escalation   R1 4, R2 N/A, R3 Don't know
#       mean 4; sd undefined for n=1 (null); n 1, n_na 1, n_dont_know 1
#   reporting.cadence       R1 2, R2 "  repeatable " 2 (R3's blank answer is skipped)
#       mean 2, sd 0, n 2
#   reporting.quality       R1 and R2 Don't know: no value, n 0, n_dont_know 2
#   governance: score (3+4)/2 = 3.5 Defined; coverage (1+1)/2 = 1; respondents R1,R2,R3 = 3;
#       gap max(3-3.5, 0) = 0
#   reporting:  score 2 Repeatable (quality has no value); coverage (1+0)/2 = 0.5, which is not
#       below the 0.5 minimum, so not insufficient; respondents R1,R2 = 2; gap 3-2 = 1
#   overall: score (3.5+2)/2 = 2.75 Repeatable; coverage (1+0.5)/2 = 0.75;
#       percentage to target 1 - (0+1)/(3+3) = 5/6
EXPECTED_JSON = {
    "questionnaire": {"id": "tiny", "version": "0.1"},
    "client": "acme",
    "wave": "2026-Q1",
    "overall": {
        "score": 2.75,
        "level": "Repeatable",
        "coverage": 0.75,
        "percentage_to_target": pytest.approx(5 / 6),
    },
    "dimensions": [
        {
            "id": "governance",
            "title": "Governance and Stage Gates",
            "score": 3.5,
            "level": "Defined",
            "coverage": 1.0,
            "insufficient": False,
            "respondents": 3,
            "target": 3.0,
            "gap": 0.0,
            "children": [],
        },
        {
            "id": "reporting",
            "title": "Status Reporting",
            "score": 2.0,
            "level": "Repeatable",
            "coverage": 0.5,
            "insufficient": False,
            "respondents": 2,
            "target": 3.0,
            "gap": 1.0,
            "children": [],
        },
    ],
    "questions": [
        {
            "id": "governance.stage-gates",
            "dimension": "governance",
            "mean": 3.0,
            "sd": pytest.approx(1.0),
            "min": 2.0,
            "max": 4.0,
            "n": 3,
            "n_na": 0,
            "n_dont_know": 0,
            "disagreement": True,
        },
        {
            "id": "governance.escalation",
            "dimension": "governance",
            "mean": 4.0,
            "sd": None,
            "min": 4.0,
            "max": 4.0,
            "n": 1,
            "n_na": 1,
            "n_dont_know": 1,
            "disagreement": False,
        },
        {
            "id": "reporting.cadence",
            "dimension": "reporting",
            "mean": 2.0,
            "sd": 0.0,
            "min": 2.0,
            "max": 2.0,
            "n": 2,
            "n_na": 0,
            "n_dont_know": 0,
            "disagreement": False,
        },
        {
            "id": "reporting.quality",
            "dimension": "reporting",
            "mean": None,
            "sd": None,
            "min": None,
            "max": None,
            "n": 0,
            "n_na": 0,
            "n_dont_know": 2,
            "disagreement": False,
        },
    ],
}


def score_json(cwd: Path, answers: str, *args: str) -> dict:
    result = score(cwd, answers, "--format", "json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# --- output formats --------------------------------------------------------------------------


def test_table_shows_dimension_titles_and_overall(workspace):
    result = score(workspace, "valid.csv")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "acme · wave 2026-Q1 · tiny v0.1" in result.stdout
    lines = result.stdout.splitlines()
    governance = next(line for line in lines if line.startswith("Governance and Stage Gates"))
    assert governance.split()[-6:] == ["3.5", "Defined", "3.0", "0.0", "100%", "3"]
    assert any(line.startswith("Status Reporting") for line in lines)
    assert any(line.startswith("Overall") and " 2.8 " in line for line in lines)  # 2.75, halves up
    assert "Percentage to target: 83%" in result.stdout  # 5/6
    assert "governance.stage-gates: answers from 2.00 to 4.00 (n=3)" in result.stdout


def test_json_has_exactly_the_documented_keys(workspace):
    data = score_json(workspace, "valid.csv")
    assert set(data) == {"questionnaire", "client", "wave", "overall", "dimensions", "questions"}
    assert set(data["questionnaire"]) == {"id", "version"}
    assert set(data["overall"]) == {"score", "level", "coverage", "percentage_to_target"}
    for dimension in data["dimensions"]:
        assert set(dimension) == {
            "id",
            "title",
            "score",
            "level",
            "coverage",
            "insufficient",
            "respondents",
            "target",
            "gap",
            "children",
        }
    for question in data["questions"]:
        assert set(question) == {
            "id",
            "dimension",
            "mean",
            "sd",
            "min",
            "max",
            "n",
            "n_na",
            "n_dont_know",
            "disagreement",
        }


def test_json_numbers_match_the_hand_calculation(workspace):
    assert score_json(workspace, "valid.csv") == EXPECTED_JSON


def test_csv_has_one_row_per_dimension(workspace):
    result = score(workspace, "valid.csv", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == [
        "dimension",
        "depth",
        "title",
        "score",
        "level",
        "target",
        "gap",
        "coverage",
        "insufficient",
        "respondents",
    ]
    assert [(r["dimension"], r["title"], float(r["score"]), float(r["gap"])) for r in rows] == [
        ("governance", "Governance and Stage Gates", 3.5, 0.0),
        ("reporting", "Status Reporting", 2.0, 1.0),
    ]


def test_target_changes_target_gap_and_percentage(workspace):
    data = score_json(workspace, "valid.csv", "--target", "governance=4")
    governance, reporting = data["dimensions"]
    # governance: target 4, gap 4 - 3.5 = 0.5; reporting keeps the default 3 and its gap 1
    assert (governance["target"], governance["gap"]) == (4.0, 0.5)
    assert (reporting["target"], reporting["gap"]) == (3.0, 1.0)
    # 1 - (0.5 + 1) / (4 + 3) = 1 - 1.5/7
    assert data["overall"]["percentage_to_target"] == pytest.approx(1 - 1.5 / 7)
    assert data["overall"]["score"] == 2.75  # targets never change scores


def test_role_weight_weights_the_question_mean(workspace):
    data = score_json(workspace, "valid.csv", "--role-weight", "executive=3")
    stage_gates = data["questions"][0]
    # R1 pmo 3 x1, R2 executive 4 x3, R3 unspecified 2 x1: (3 + 12 + 2) / 5 = 3.4
    assert stage_gates["mean"] == pytest.approx(3.4)
    # governance: (3.4 + 4) / 2 = 3.7
    assert data["dimensions"][0]["score"] == pytest.approx(3.7)


@pytest.mark.parametrize("name", ["cp1252.csv", "utf8_bom.csv", "utf16.csv"])
def test_encodings_reach_the_output(workspace, name):
    data = score_json(workspace, name)
    assert data["client"] == "Café Crème"
    # R1 "Defined" 3, R2 "Don’t know": one value, one don't know
    assert data["questions"][0]["mean"] == 3.0
    assert data["questions"][0]["n_dont_know"] == 1


def test_the_sample_answers_shipped_with_the_package_score(workspace):
    sample = Path(pmo_assess_package.__file__).parent / "sample_data" / "answers_demo.csv"
    result = pmo_assess(
        workspace, "score", "--questionnaire", "pmo-maturity", "--answers", str(sample)
    )
    assert result.returncode == 0, result.stderr
    assert "Overall" in result.stdout
    assert "Percentage to target:" in result.stdout


# --- choosing a client -----------------------------------------------------------------------


def test_several_clients_need_a_choice(workspace):
    stderr = user_error(score(workspace, "two_clients.csv"))
    assert stderr == (
        "error: The answers hold several clients (acme, globex); choose one with --client.\n"
    )


def test_unknown_client_lists_the_clients(workspace):
    stderr = user_error(score(workspace, "two_clients.csv", "--client", "initech"))
    assert (
        stderr == "error: No answers for client 'initech'. Clients in the answers: acme, globex.\n"
    )


def test_choosing_a_client(workspace):
    data = score_json(workspace, "two_clients.csv", "--client", "acme")
    assert data["client"] == "acme"
    assert data["questions"][0]["mean"] == 4.0  # acme: (3 + 5) / 2


# --- user errors exit 1 without a traceback --------------------------------------------------


def test_unknown_target_dimension_names_the_known_ones(workspace):
    stderr = user_error(score(workspace, "valid.csv", "--target", "governence=4"))
    assert stderr == (
        "error: Unknown dimension 'governence' in targets. "
        "Dimensions of 'tiny': governance, reporting.\n"
    )


def test_bad_answers_file_gives_the_row(workspace):
    stderr = user_error(score(workspace, "bad_answer.csv"))
    assert stderr == (
        "error: 1 problem in bad_answer.csv:\n"
        "  1. bad_answer.csv row 4: answer 'Sometimes' to 'reporting.cadence' is not one of: "
        "1 Initial, 2 Repeatable, 3 Defined, 4 Managed, 5 Optimizing, Not applicable, Don't know\n"
    )


def test_every_problem_is_printed_numbered(workspace):
    stderr = user_error(score(workspace, "several_problems.csv"))
    assert stderr.startswith("error: 6 problems in several_problems.csv:\n")
    for number, row in enumerate((2, 3, 5, 6, 7, 11), start=1):
        assert f"  {number}. several_problems.csv row {row}: " in stderr


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "empty.csv: the file is empty"),
        ("header_only.csv", "header_only.csv: the file holds no answers"),
        ("missing_columns.csv", "missing_columns.csv row 1: missing column(s) role, question_id"),
        ("duplicate.csv", "duplicate.csv row 4: respondent 'R1' answers"),
        ("stray_cells.csv", "stray_cells.csv row 3: cells outside the header's columns"),
    ],
)
def test_invalid_answers_files(workspace, name, message):
    assert message in user_error(score(workspace, name))


def test_missing_answers_file(workspace):
    stderr = user_error(score(workspace, "nowhere.csv"))
    assert stderr == "error: File not found: nowhere.csv\n"


def test_missing_questionnaire_file(workspace):
    result = pmo_assess(
        workspace, "score", "--questionnaire", "nowhere.yaml", "--answers", "valid.csv"
    )
    assert user_error(result) == "error: Questionnaire file not found: nowhere.yaml\n"


# --- usage errors exit 2 ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "target", ["governance", "governance=high", "=4", "governance:4", "governance=nan"]
)
def test_malformed_target(workspace, target):
    stderr = usage_error(score(workspace, "valid.csv", "--target", target))
    assert f"argument --target: expected DIM=VALUE, e.g. governance=3.5; got {target!r}" in stderr


@pytest.mark.parametrize("weight", ["pmo", "pmo=0", "pmo=-1", "pmo=inf"])
def test_malformed_role_weight(workspace, weight):
    stderr = usage_error(score(workspace, "valid.csv", "--role-weight", weight))
    assert (
        "argument --role-weight: expected ROLE=WEIGHT with a weight above 0, "
        f"e.g. project-manager=2; got {weight!r}"
    ) in stderr


@pytest.mark.parametrize(
    "args",
    [
        ("score", "--questionnaire", "tiny.yaml", "--answers", "valid.csv", "--format", "xml"),
        ("score", "--questionnaire", "tiny.yaml"),
        ("frobnicate",),
        (),
    ],
)
def test_usage_errors(workspace, args):
    usage_error(pmo_assess(workspace, *args))
