"""The questionnaire validator: one small invalid file per rule, each message and line asserted.

Every expected line number below was read off the fixture in ``tests/data/questionnaires``
(its first line says where the problem is), not copied from the program's output.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from pmo_assess.core.errors import Problem, ValidationError
from pmo_assess.core.paths import questionnaires_dir
from pmo_assess.model.loading import load_questionnaire, validate_questionnaire_file
from pmo_assess.model.questionnaire import PMO_FUNCTIONS

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data" / "questionnaires"
VALID = DATA / "valid_minimal.yaml"
SAMM = Path(__file__).resolve().parents[2] / "shared" / "samm" / "owasp_samm.yaml"

# (file, line, regex on the message). A file with two problems has two rows.
RULES = [
    (
        "yaml_syntax_error.yaml",
        5,
        r"^YAML syntax error, column 15: mapping values are not allowed here$",
    ),
    ("missing_title.yaml", 2, r"^the questionnaire is missing the required key 'title'$"),
    (
        "duplicate_question_id.yaml",
        18,
        r"^question id 'governance\.gates' is used twice \(first at line 15\)$",
    ),
    (
        "duplicate_dimension_id.yaml",
        16,
        r"^dimension id 'governance' is used twice \(first at line 12\)$",
    ),
    (
        "unknown_answer_set.yaml",
        17,
        r"^question 'governance\.gates' uses answer set 'scale-5', which is not defined; "
        r"defined answer sets: scale-3$",
    ),
    (
        "label_read_as_boolean.yaml",
        9,
        r"^'label' of answer set 'yes-no' option 1 must be text, but YAML read `No` as a boolean; "
        r'put it in quotes: "No"$',
    ),
    (
        "label_read_as_number.yaml",
        9,
        r"^'label' of answer set 'scale-3' option 2 must be text, but YAML read `2\.5` as a number; "
        r'put it in quotes: "2\.5"$',
    ),
    (
        "weight_not_positive.yaml",
        14,
        r"^'weight' of dimension 'governance' must be greater than 0; got 0$",
    ),
    (
        "weight_not_positive.yaml",
        19,
        r"^'weight' of question 'governance\.gates' must be greater than 0; got -1$",
    ),
    (
        "levels_not_ascending.yaml",
        12,
        r"^levels must ascend by 'min': level 3 has min 2, not above the previous level's 3$",
    ),
    (
        "node_both_dimensions_and_questions.yaml",
        12,
        r"^dimension 'governance' has both 'dimensions' and 'questions'; "
        r"a dimension holds either child dimensions or questions$",
    ),
    (
        "node_neither.yaml",
        16,
        r"^dimension 'reporting' has neither 'dimensions' nor 'questions'; "
        r"a dimension holds either child dimensions or questions$",
    ),
    (
        "anchor_not_in_answer_set.yaml",
        22,
        r"^question 'governance\.gates' has an anchor for 4, which is not a value of answer set "
        r"'scale-3' \(values: 1, 2, 3\)$",
    ),
    (
        "unknown_key_typo.yaml",
        14,
        r"^dimension 'governance' has unknown key 'wieght' \(did you mean 'weight'\?\); "
        r"allowed keys: aggregation, .*, weight \(extension keys start with 'x-'\)$",
    ),
    (
        "duplicate_yaml_key.yaml",
        14,
        r"^key 'title' appears twice in one mapping \(first at line 13\)$",
    ),
    (
        "bad_aggregation.yaml",
        14,
        r"^'aggregation' of dimension 'governance' must be one of: mean, sum; got 'median'$",
    ),
    (
        "unknown_pmo_function.yaml",
        16,
        r"of dimension 'governance' must be one of: standard-processes, .*, lessons-learned; "
        r"got 'finance'$",
    ),
    (
        "option_without_value.yaml",
        10,
        r"^answer set 'scale-3' option 3 must have exactly one of 'value', "
        r"'not_applicable: true' or 'dont_know: true'; it has none$",
    ),
]
INVALID_FILES = sorted({name for name, _, _ in RULES})

# many_problems.yaml, worked out line by line from the file, in the order they must be reported.
MANY = [
    (8, r"YAML read `No` as a boolean"),
    (12, r"^levels must ascend by 'min': level 2 has min 1, not above the previous level's 1$"),
    (16, r"^dimension 'governance' has unknown key 'wieght' \(did you mean 'weight'\?\)"),
    (19, r"^question id 'governance\.gates' is used twice \(first at line 18\)$"),
    (22, r"^'aggregation' of dimension 'reporting' must be one of: mean, sum; got 'median'$"),
    (24, r"^question 'reporting\.cadence' uses answer set 'scale-5', which is not defined"),
]


def _lines(problems: list[Problem], path: Path) -> list[int]:
    prefix = f"{path}:"
    assert all(p.location.startswith(prefix) for p in problems), problems
    return [int(p.location[len(prefix) :]) for p in problems]


@pytest.mark.parametrize(("name", "line", "pattern"), RULES)
def test_rule_is_reported_at_its_line(name: str, line: int, pattern: str) -> None:
    path = DATA / name
    problems = validate_questionnaire_file(path)
    at_line = [p for p in problems if p.location == f"{path}:{line}"]
    assert len(at_line) == 1, [str(p) for p in problems]
    assert re.search(pattern, at_line[0].message), at_line[0].message


@pytest.mark.parametrize("name", INVALID_FILES)
def test_invalid_file_reports_only_its_own_rule(name: str) -> None:
    path = DATA / name
    expected = [line for file, line, _ in RULES if file == name]
    assert _lines(validate_questionnaire_file(path), path) == expected


def test_every_fixture_is_covered() -> None:
    on_disk = {p.name for p in DATA.glob("*.yaml")}
    assert on_disk == {*INVALID_FILES, "valid_minimal.yaml", "many_problems.yaml"}


def test_many_problems_are_all_reported_in_line_order() -> None:
    path = DATA / "many_problems.yaml"
    problems = validate_questionnaire_file(path)
    assert _lines(problems, path) == [line for line, _ in MANY]
    for problem, (_, pattern) in zip(problems, MANY, strict=True):
        assert re.search(pattern, problem.message), problem.message


def test_valid_minimal_has_no_problems() -> None:
    assert validate_questionnaire_file(VALID) == []


def test_valid_minimal_loads_into_the_model() -> None:
    q = load_questionnaire(VALID)
    assert [d.id for d in q.dimensions] == ["governance", "delivery"]
    assert [d.id for d in q.dimensions[1].dimensions] == ["delivery.planning", "delivery.reporting"]
    options = q.answer_sets["scale-3"].options
    assert [o.value for o in options] == [1, 2, 3, None, None]
    assert options[3].not_applicable and options[4].dont_know


# Rules without a fixture of their own: valid_minimal.yaml with one edit. (old, new, line, regex)
EDITS = [
    (
        '{value: 2, label: "Medium"}',
        '{value: 2, label: "low"}',
        9,
        r"^answer set 'scale-3' has the label 'low' twice \(first at line 8\)$",
    ),
    (
        '{value: 2, label: "Medium"}',
        '{value: 1, label: "Medium"}',
        9,
        r"^answer set 'scale-3' has the value 1 twice \(first at line 8\)$",
    ),
    (
        '{value: 3, label: "High"}',
        "{value: 3, label: }",
        10,
        r"^'label' of answer set 'scale-3' option 3 is empty; it must be text$",
    ),
    (
        'version: "1.0"',
        "version: 1.0",
        4,
        r"^'version' of the questionnaire must be text, but YAML read `1\.0` as a number; "
        r'put it in quotes: "1\.0"$',
    ),
    (
        "levels:\n",
        '  unscored:\n    - {label: "Don\'t know", dont_know: true}\nlevels:\n',
        13,
        r"^answer set 'unscored' has no option with a value, so nothing could be scored$",
    ),
    (
        'text: "How often is status reported?"',
        'text: "is there a BASELINE plan"',
        40,
        r"^question 'delivery\.reporting\.cadence' has the same wording as question "
        r"'delivery\.planning\.baseline' \(line 36\)",
    ),
    (
        # a block value starts below its key; the problem is on the key's line (27)
        '        evidence: ["Gate minutes"]',
        '        evidense:\n          - "Gate minutes"',
        27,
        r"^question 'governance\.gates' has unknown key 'evidense' \(did you mean 'evidence'\?\)",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "line", "pattern"),
    EDITS,
    ids=[
        "duplicate-label",
        "duplicate-value",
        "empty-label",
        "version-read-as-number",
        "answer-set-without-values",
        "same-wording",
        "unknown-key-with-block-value",
    ],
)
def test_rule_in_edited_valid_file(
    tmp_path: Path, old: str, new: str, line: int, pattern: str
) -> None:
    text = VALID.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path = tmp_path / "edited.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    problems = validate_questionnaire_file(path)
    assert _lines(problems, path) == [line], [str(p) for p in problems]
    assert re.search(pattern, problems[0].message), problems[0].message


def test_extension_keys_are_allowed(tmp_path: Path) -> None:
    path = tmp_path / "extended.yaml"
    text = VALID.read_text(encoding="utf-8")
    path.write_text(text.replace("    weight: 2\n", '    weight: 2\n    x-owner: "PMO lead"\n'))
    assert validate_questionnaire_file(path) == []


@pytest.mark.parametrize(
    ("content", "location", "pattern"),
    [
        (None, "", r"^file not found$"),
        (b"title: \xff\n", "", r"^not UTF-8 text \(invalid start byte at byte 7\)$"),
        (b"- a\n- b\n", ":1", r"^expected a mapping of questionnaire keys at the top$"),
    ],
    ids=["missing", "not-utf8", "not-a-mapping"],
)
def test_unreadable_file(
    tmp_path: Path, content: bytes | None, location: str, pattern: str
) -> None:
    path = tmp_path / "q.yaml"
    if content is not None:
        path.write_bytes(content)
    [problem] = validate_questionnaire_file(path)
    assert problem.location == f"{path}{location}"
    assert re.search(pattern, problem.message), problem.message


def test_load_questionnaire_raises_with_every_problem_and_the_file_path() -> None:
    path = DATA / "many_problems.yaml"
    with pytest.raises(
        ValidationError, match=r"^6 problems in .*many_problems\.yaml:\n  1\. "
    ) as info:
        load_questionnaire(path)
    assert len(info.value.problems) == len(MANY)
    assert _lines(list(info.value.problems), path.resolve()) == [line for line, _ in MANY]


def test_load_questionnaire_raises_for_one_rule() -> None:
    with pytest.raises(
        ValidationError, match=r"duplicate_question_id\.yaml:18: question id 'governance\.gates'"
    ):
        load_questionnaire(DATA / "duplicate_question_id.yaml")


# --- the built-in questionnaires and the SAMM conversion ---------------------------------------


@pytest.mark.parametrize("name", ["pmo_maturity.yaml", "pmo_readiness.yaml"])
def test_builtin_questionnaire_validates_clean(name: str) -> None:
    assert validate_questionnaire_file(questionnaires_dir() / name) == []


def test_pmo_maturity_meets_the_content_rules() -> None:
    q = load_questionnaire(questionnaires_dir() / "pmo_maturity.yaml")
    questions = list(q.questions())
    assert len(q.dimensions) >= 10
    assert len(questions) >= 50
    for question in questions:
        assert set(question.anchors) == {1.0, 2.0, 3.0, 4.0, 5.0}, question.id
        assert question.evidence, question.id
    for set_id in {question.answer_set for question in questions}:
        options = q.answer_sets[set_id].options
        assert any(o.not_applicable for o in options), set_id
        assert any(o.dont_know for o in options), set_id
    covered = {f for d in q.walk() for f in d.pmo_functions}
    assert covered == set(PMO_FUNCTIONS)


def test_pmo_readiness_has_15_to_25_questions() -> None:
    q = load_questionnaire(questionnaires_dir() / "pmo_readiness.yaml")
    assert 15 <= len(list(q.questions())) <= 25


def test_owasp_samm_conversion_validates_clean() -> None:
    if not SAMM.is_file():
        pytest.skip(f"OWASP SAMM conversion not found at {SAMM} (it lives in the shared folder)")
    assert validate_questionnaire_file(SAMM) == []


# --- the command line --------------------------------------------------------------------------


def _cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pmo_assess", "validate", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO, check=False)


def test_cli_validate_valid_files_exits_0() -> None:
    builtin = questionnaires_dir() / "pmo_maturity.yaml"
    result = _cli(VALID, builtin)
    assert result.returncode == 0, result.stderr
    assert f"{VALID}: valid" in result.stdout
    assert f"{builtin}: valid" in result.stdout


def test_cli_validate_invalid_file_exits_1_without_traceback() -> None:
    path = DATA / "unknown_answer_set.yaml"
    result = _cli(VALID, path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{path}: 1 problem\n  1. {path}:17: question 'governance.gates'" in result.stderr
    assert f"{VALID}: valid" in result.stdout


def test_cli_validate_numbers_every_problem() -> None:
    path = DATA / "many_problems.yaml"
    result = _cli(path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    for number, (line, _) in enumerate(MANY, start=1):
        assert f"  {number}. {path}:{line}: " in result.stderr


def test_cli_validate_missing_file_exits_1_without_traceback(tmp_path: Path) -> None:
    result = _cli(tmp_path / "nowhere.yaml")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "nowhere.yaml: file not found" in result.stderr


def test_cli_validate_without_a_file_is_a_usage_error() -> None:
    result = _cli()
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "the following arguments are required: FILE" in result.stderr
