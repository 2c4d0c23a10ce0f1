"""Survey imports never drop a question silently (issue 16 §2): unmatched columns stop the import
unless mapped or ignored, platform columns need no mapping, a dry run drafts the mapping, roles
come from a documented vocabulary, the kept mapping grows and never shrinks, free-text columns
become notes, and respondents are stored under anonymous codes.

Expected values are read off the small exports written in each test, by hand.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
import yaml

from pmo_assess.core.errors import PmoAssessError, ValidationError
from pmo_assess.importers import ImportMapping, load_mapping, read_survey
from pmo_assess.insight.contract import check_results
from pmo_assess.insight.results import build_results
from pmo_assess.model.loading import load_questionnaire
from pmo_assess.model.terms import ROLES
from pmo_assess.report import text as report_text
from pmo_assess.report.branding import Branding
from pmo_assess.report.sections import ReportBook
from pmo_assess.store.import_record import import_record_file, read_import_record
from pmo_assess.store.repository import Store

DATA = Path(__file__).parent / "data" / "surveys"
SURVEY = str(DATA / "survey.yaml")
CLIENT = "door"


@pytest.fixture(scope="module")
def survey():
    return load_questionnaire(DATA / "survey.yaml")


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pmo_assess", *args], capture_output=True, text=True, check=False
    )


@pytest.fixture
def ws(tmp_path) -> Path:
    workspace = tmp_path / "ws"
    done = cli("client", "add", "Door (fictional)", "--slug", CLIENT, "--workspace", str(workspace))
    assert done.returncode == 0, done.stderr
    return workspace


def run_import(ws: Path, export: Path, wave: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return cli(
        "import", str(export), "--client", CLIENT, "--wave", wave, "--questionnaire", SURVEY,
        "--workspace", str(ws), *extra,
    )  # fmt: skip


def stored(ws: Path) -> list[tuple[str, str, str | None, str | None]]:
    """(code, role, name, email) of every stored respondent."""
    with Store.open(ws) as store:
        engagement = store.find_engagement(CLIENT)
        if engagement is None:
            return []
        waves = store.waves(engagement.id)
        return [(r.code, r.role, r.name, r.email) for w in waves for r in store.respondents(w.id)]


def google(tmp_path: Path, header: str, *rows: str, name: str = "export.csv") -> Path:
    """A Google Forms sheet export: Timestamp first, then the given columns."""
    path = tmp_path / name
    path.write_text("\n".join([f"Timestamp,{header}", *rows]) + "\n", encoding="utf-8")
    return path


# A department column matches no question; the rest matches survey.yaml.
DEPARTMENT = (
    "Your role,How do projects pass stage gates?,Which department are you in?",
    "6/22/2022 11:07:29,Project Manager,Defined,Finance",
    "6/22/2022 14:30:02,Executive,Managed,IT",
)


# --- an unmatched column stops the import ------------------------------------------------------


def test_an_unmatched_column_stops_the_import_and_the_dry_run(ws, tmp_path):
    export = google(tmp_path, *DEPARTMENT)
    for extra in ((), ("--dry-run",)):
        done = run_import(ws, export, "w1", *extra)
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert (
            f"{export} column D 'Which department are you in?': matches no question (closest: "
        ) in done.stderr
        assert "or pass --ignore-unmatched to leave it out" in done.stderr
        assert stored(ws) == []
    assert not (ws / "mappings").exists() and not (ws / "imports").exists()


def test_mapped_to_ignore_or_ignore_unmatched_imports(ws, tmp_path):
    export = google(tmp_path, *DEPARTMENT)
    done = run_import(ws, export, "w1", "--ignore-unmatched")
    assert done.returncode == 0, done.stderr
    assert "The 1 unmatched column is left out (--ignore-unmatched)." in done.stdout
    mapping = tmp_path / "map.yaml"
    mapping.write_text('schema_version: 1\ncolumns: {"Which department are you in?": ignore}\n')
    done = run_import(ws, export, "w2", "--mapping", str(mapping))
    assert done.returncode == 0, done.stderr
    assert "Unmatched columns: none" in done.stdout
    # roles from "Your role": Project Manager, Executive
    assert sorted({role for _, role, _, _ in stored(ws)}) == ["executive", "project-manager"]


@pytest.mark.parametrize(
    ("export", "mapping"),
    [
        ("google_download.csv", None),  # Timestamp, Email Address
        ("ms_forms_modified.csv", None),  # Id, Start time, ..., Name, Last modified time
        ("ms_forms.csv", None),  # ID ... Name, Name2
        # the mappings name question columns only: Respondent ID ... Custom Data 1 need none
        ("surveymonkey.csv", "mapping_surveymonkey.yaml"),
        # StartDate ... UserLanguage, and Department (embedded data)
        ("qualtrics.csv", "mapping_qualtrics.yaml"),
    ],
)
def test_platform_columns_need_no_mapping(survey, export, mapping):
    rules = load_mapping(DATA / mapping, survey) if mapping else None
    result = read_survey(DATA / export, survey, mapping=rules, default_role="pmo")
    assert result.unmatched_columns == ()


def test_microsoft_forms_quiz_columns_need_no_mapping(survey, tmp_path):
    path = tmp_path / "quiz.csv"
    path.write_text(
        "ID,Start time,Completion time,Email,Name,Total points,Quiz feedback,"
        "How do projects pass stage gates?,Points - How do projects pass stage gates?,"
        "Feedback - How do projects pass stage gates?\n"
        "1,2024-03-05 09:01,2024-03-05 09:09,anonymous,,0,,Defined,0,\n",
        encoding="utf-8",
    )
    result = read_survey(path, survey, default_role="pmo")
    assert result.unmatched_columns == ()
    assert list(result.answers["question_id"]) == ["governance.stage-gates"]


# --- matching tolerates what survey tools do to text -------------------------------------------


@pytest.mark.parametrize(
    ("header", "question_id"),
    [
        ("How consistently are the PMO\u2019s templates used", "methods.templates"),  # curly, no ?
        ("\u201cStage gates\u201d", "governance.stage-gates"),  # curly double quotes
        ("How often is project status reported??", "reporting.cadence"),
        ("How are lessons learned captured and reused?", "methods.lessons"),  # "and" for "&"
        ("How are issues escalated to the steering-committee?", "governance.escalation"),
        ("How reliable are the status reports ?", "reporting.quality"),  # space before "?"
    ],
)
def test_headers_match_whatever_survey_tools_did_to_the_text(survey, tmp_path, header, question_id):
    quoted = '"' + header.replace('"', '""') + '"'
    result = read_survey(google(tmp_path, quoted, "1/1/2024 9:00:00,3"), survey, default_role="pmo")
    assert list(result.answers["question_id"]) == [question_id]


def test_dashes_for_commas_match(tmp_path):
    maturity = load_questionnaire("pmo-maturity")
    # the question: "How are projects approved, reviewed at stage gates and closed?"
    header = "How are projects approved - reviewed at stage gates and closed"
    result = read_survey(
        google(tmp_path, header, "1/1/2024 9:00:00,3"), maturity, default_role="pmo"
    )
    assert list(result.answers["question_id"]) == ["governance.stage-gates"]
    assert result.unmatched_columns == ()


# --- roles ----------------------------------------------------------------------------------------


def test_a_column_whose_header_names_a_role_gives_the_roles(survey, tmp_path):
    export = google(
        tmp_path,
        "Your role,Stage gates",
        "1/1/2024 9:00:00,PMO staff,3",  # a role's display name
        "1/1/2024 9:05:00,project manager,4",
        "1/1/2024 9:10:00,,5",  # blank: the default role
    )
    result = read_survey(export, survey, default_role="finance")
    assert [r.role for r in result.respondents] == ["pmo", "project-manager", "finance"]
    assert result.summary().splitlines()[2] == (
        "Roles from column B 'Your role' (its header names a role)"
    )


def test_a_question_about_roles_is_not_taken_for_the_role_column(survey, tmp_path):
    export = google(tmp_path, "What role do templates play in your projects today?", "1/1/2024,3")
    result = read_survey(export, survey, default_role="pmo")
    assert [c.header for c in result.unmatched_columns] == [
        "What role do templates play in your projects today?"
    ]


def test_an_unknown_role_is_refused_with_the_closest_roles(survey, ws, tmp_path):
    export = google(tmp_path, "Your role,Stage gates", "1/1/2024 9:00:00,Sponser,3")
    result = read_survey(export, survey)
    assert [str(p) for p in result.rejected] == [
        f"{export} row 2, column B 'Your role': role 'Sponser' is not a known role (closest: "
        "sponsor); map it to one under 'roles' in a mapping file, or add it with its names "
        "under 'role_names'"
    ]
    assert result.respondents == ()
    done = run_import(ws, export, "w1")
    assert done.returncode == 1 and "closest: sponsor" in done.stderr and stored(ws) == []
    given = run_import(ws, DATA / "google_download.csv", "w1", "--role", "project-manger")
    assert given.returncode == 1
    assert "--role: role 'project-manger' is not a known role (closest: project-manager" in (
        given.stderr
    )


def test_a_mapping_adds_a_role_with_its_display_names(survey, tmp_path):
    export = google(tmp_path, "Your role,Stage gates", "1/1/2024 9:00:00,Risk Officer,3")
    mapping = tmp_path / "map.yaml"
    mapping.write_text(
        "schema_version: 1\n"
        'role_names:\n  risk-officer: "Risk officer"\n'
        '  staff-rep: {one: "staff representative", many: "staff representatives", '
        'label: "Staff reps"}\n',
        encoding="utf-8",
    )
    rules = load_mapping(mapping, survey)
    assert rules.role_names["risk-officer"].label == "Risk officers"  # plural made with "s"
    assert rules.role_names["staff-rep"].label == "Staff reps"
    result = read_survey(export, survey, mapping=rules)
    assert [r.role for r in result.respondents] == ["risk-officer"]
    mapping.write_text(
        'schema_version: 1\nrole_names: {pmo: "PMO team", "Bad slug": "X", boss: "Executive"}\n'
    )
    with pytest.raises(ValidationError) as caught:
        load_mapping(mapping, survey)
    assert [p.message for p in caught.value.problems] == [
        "role_names: role 'pmo' is already in the vocabulary as PMO staff; give the new role "
        "another slug",
        "role_names: role 'Bad slug' must be a slug: lower-case letters, digits and dashes",
        "role_names: role 'boss': 'executive' already names the role 'executive'; choose "
        "another name",
    ]


def test_roles_a_mapping_adds_reach_the_report_by_their_names(survey, ws, tmp_path):
    questions = [q.text for q in survey.questions()]  # six questions, in three dimensions
    export = google(
        tmp_path,
        "Your role," + ",".join(questions),
        "1/1/2024 9:00:00,Risk Officer,2,2,2,2,2,2",
        "1/1/2024 9:05:00,Risk Officer,2,2,2,2,2,2",
        "1/1/2024 9:10:00,Executive,5,5,5,5,5,5",
    )
    mapping = tmp_path / "map.yaml"
    mapping.write_text('schema_version: 1\nrole_names:\n  risk-officer: "Risk officer"\n')
    done = run_import(ws, export, "w1", "--mapping", str(mapping))
    assert done.returncode == 0, done.stderr
    with Store.open(ws) as store:
        results = build_results(store, CLIENT).to_dict()
    check_results(results)
    assert results["respondents"]["role_names"] == {
        "executive": {"one": "executive", "many": "executives", "label": "Executives"},
        "risk-officer": {"one": "risk officer", "many": "risk officers", "label": "Risk officers"},
    }
    summary = report_text.executive_summary(results)
    assert "3 respondents in 2 roles (1 executive and 2 risk officers)" in summary.situation
    # the executive scores 5.0 and the risk officers 2.0: scores differ by role
    assert any(
        "from the executive against 2.0 from the 2 risk officers" in f for f in summary.findings
    )
    notes = report_text.methodology_notes(results, survey)
    assert "3 people answered: 1 executive and 2 risk officers." in notes["Respondents"]
    table = ReportBook(results, Branding(), survey).methodology().markup
    assert "<td>Risk officers</td>" in re.sub(r"<td[^>]*>\s*", "<td>", table)
    words = " ".join([summary.situation, *summary.findings, *notes.values(), table])
    assert "risk-officer" not in words and "Risk officer " not in words


def test_the_vocabulary_names_pmo_staff_not_pmo_staffs():
    assert ROLES["pmo"].label == "PMO staff" and ROLES["pmo"].many == "PMO members"
    assert {"executive", "pmo", "project-manager", "team-member", "finance"} <= set(ROLES)


# --- the draft mapping ----------------------------------------------------------------------------


def test_a_dry_run_drafts_a_mapping_that_imports_once_its_suggestions_are_accepted(ws, tmp_path):
    export = google(
        tmp_path,
        "Email Address,Your role,Escalation of issues?,How do projects pass stage gates?",
        "6/22/2022 11:07:29,ana@client.example,Project Manager,Defined,Optimising",
        "6/22/2022 14:30:02,ben@client.example,Sponser,Managed,Initial",
    )
    draft = tmp_path / "draft.yaml"
    done = run_import(ws, export, "w1", "--dry-run", "--write-mapping", str(draft))
    assert done.returncode == 1 and stored(ws) == []
    assert f"Draft mapping written to {draft} (3 values to fill in)" in done.stderr
    text = draft.read_text(encoding="utf-8")
    assert yaml.safe_load(text) == {
        "schema_version": 1,
        "columns": {"Escalation of issues?": None},
        "options": {"Optimising": None},
        "role_column": "Your role",
        "roles": {"Project Manager": "project-manager", "Sponser": None},
    }
    assert '  "Escalation of issues?":  # suggestion: "governance.escalation"' in text
    assert '  "Optimising":  # suggestion: "Optimizing"' in text
    assert '  "Sponser":  # suggestion: "sponsor"' in text
    with pytest.raises(ValidationError) as caught:  # passed back unedited: every blank, by line
        load_mapping(draft)
    assert [p.message.split(";")[0] for p in caught.value.problems] == [
        "columns: 'Escalation of issues?' has no value yet",
        "options: 'Optimising' has no value yet",
        "roles: 'Sponser' has no value yet",
    ]
    accepted = re.sub(r":\s+# suggestion: (.+)$", r": \1", text, flags=re.MULTILINE)
    draft.write_text(accepted, encoding="utf-8")
    done = run_import(ws, export, "w1", "--mapping", str(draft))
    assert done.returncode == 0, done.stderr
    assert "4 answers added" in done.stdout
    assert sorted(role for _, role, _, _ in stored(ws)) == ["project-manager", "sponsor"]


def test_a_draft_without_roles_suggests_the_likely_column(ws, tmp_path):
    export = google(tmp_path, "Job title,Stage gates", "1/1/2024 9:00:00,PMO staff,3")
    draft = tmp_path / "draft.yaml"
    done = run_import(ws, export, "w1", "--dry-run", "--write-mapping", str(draft))
    assert done.returncode == 1 and "--role ROLE" in done.stderr
    assert f"Draft mapping written to {draft}" in done.stderr
    text = draft.read_text(encoding="utf-8")
    assert 'role_column: "Job title"  # looks like the respondents\' roles' in text
    assert yaml.safe_load(text)["roles"] == {"PMO staff": "pmo"}
    assert run_import(ws, export, "w1", "--mapping", str(draft)).returncode == 0


def test_write_mapping_needs_a_dry_run_and_never_overwrites_a_file(ws, tmp_path):
    export = google(tmp_path, *DEPARTMENT)
    mine = tmp_path / "mine.yaml"
    mine.write_text("# my notes\nschema_version: 1\n", encoding="utf-8")
    alone = run_import(ws, export, "w1", "--write-mapping", str(tmp_path / "new.yaml"))
    assert alone.returncode == 1 and "add --dry-run" in alone.stderr
    clash = run_import(ws, export, "w1", "--dry-run", "--write-mapping", str(mine))
    assert clash.returncode == 1 and "already exists" in clash.stderr
    assert mine.read_text(encoding="utf-8") == "# my notes\nschema_version: 1\n"
    # the --mapping file itself may be redrafted: its entries are carried over
    again = run_import(
        ws, export, "w1", "--dry-run", "--mapping", str(mine), "--write-mapping", str(mine)
    )
    assert again.returncode == 1 and "Draft mapping written to" in again.stderr
    assert "Which department are you in?" in yaml.safe_load(mine.read_text())["columns"]


# --- the kept mapping -----------------------------------------------------------------------------


def test_the_kept_mapping_is_merged_never_shrunk_and_changes_are_reported(ws, tmp_path):
    export = google(
        tmp_path,
        "Your role,Escalation of issues?,Stage gates",
        "6/22/2022 11:07:29,Executive,Optimising,3",
    )
    first = tmp_path / "first.yaml"
    first.write_text(
        'schema_version: 1\ncolumns: {"Escalation of issues?": governance.escalation}\n'
        'options: {"Optimising": "Optimizing"}\n',
        encoding="utf-8",
    )
    assert run_import(ws, export, "w1", "--mapping", str(first)).returncode == 0
    kept = ws / "mappings" / CLIENT / "survey-test.yaml"
    assert kept.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")
    smaller = tmp_path / "smaller.yaml"  # only one entry, changed: the column entry must stay
    smaller.write_text('schema_version: 1\noptions: {"optimising": 5}\n', encoding="utf-8")
    done = run_import(ws, export, "w2", "--mapping", str(smaller))
    assert done.returncode == 0, done.stderr
    assert f"{smaller} merged into the mapping kept in {kept}: 0 entries added, 1 changed" in (
        done.stdout
    )
    assert "  changed: options 'optimising': was 'Optimizing', now 5" in done.stdout
    merged = load_mapping(kept)
    assert merged.columns == {"Escalation of issues?": "governance.escalation"}
    assert merged.options == {"optimising": 5}
    assert run_import(ws, export, "w3").returncode == 0  # the kept mapping alone still imports


# --- notes and respondent codes -------------------------------------------------------------------


NOTED = "Stage gates,Any comments?,About governance,Why?"


def noted_import(ws: Path, tmp_path: Path, *rows: str, name: str = "export.csv") -> str:
    """Import a Google Forms export whose free-text columns note the respondent, the governance
    dimension and the stage-gates answer (the mapping is kept after the first); its stdout."""
    mapping = tmp_path / "notes.yaml"
    mapping.write_text(
        'schema_version: 1\ncolumns:\n  "Any comments?": "note: respondent"\n'
        '  "About governance": {note: governance}\n  "Why?": "note: governance.stage-gates"\n',
        encoding="utf-8",
    )
    done = run_import(
        ws, google(tmp_path, NOTED, *rows, name=name), "w1", "--mapping", str(mapping), "--role", "pmo"
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def stored_notes(ws: Path) -> list[tuple[str, str | None, str]]:
    """(respondent code, dimension id or None for the respondent, note) of every stored note."""
    with Store.open(ws) as store:
        notes = store.load_notes(CLIENT)
    return [(n.respondent, n.dimension_id, n.note) for n in notes.itertuples()]


FIRST = (
    "6/22/2022 11:07:29,3,Gates are minuted,Board meets monthly,",
    "6/22/2022 14:30:02,4,,,Slow",
)


def test_free_text_columns_become_notes_on_the_respondent_or_a_dimension(ws, tmp_path):
    done = noted_import(ws, tmp_path, *FIRST)
    assert "Notes: 1 on dimensions, 1 on respondents" in done
    assert "2 notes on respondents or dimensions stored." in done
    assert stored_notes(ws) == [
        ("R01", None, "Gates are minuted"),
        ("R01", "governance", "Board meets monthly"),
    ]
    with Store.open(ws) as store:  # the third column notes one answer, and stays with it
        answers = store.load_answers(CLIENT)
    assert answers[answers["note"] != ""][["respondent", "note"]].values.tolist() == [
        ["R02", "Slow"]
    ]
    record = json.loads(import_record_file(ws, CLIENT, "survey-test").read_text(encoding="utf-8"))
    assert list(record) == ["references"]  # the import's own record: response references only


def test_importing_an_export_again_stores_each_note_once(ws, tmp_path):
    noted_import(ws, tmp_path, *FIRST)
    noted_import(ws, tmp_path, *FIRST)
    assert stored_notes(ws) == [
        ("R01", None, "Gates are minuted"),
        ("R01", "governance", "Board meets monthly"),
    ]
    # A later export of the same responses: R01's comment edited, its governance cell blank.
    # The new comment replaces the old; the governance note stays, as a blank answer would.
    later = ("6/22/2022 11:07:29,3,Gates are minuted and filed,,", "6/22/2022 14:30:02,4,,,Slow")
    done = noted_import(ws, tmp_path, *later, name="later.csv")
    assert "1 note on respondents or dimensions stored." in done
    assert stored_notes(ws) == [
        ("R01", "governance", "Board meets monthly"),
        ("R01", None, "Gates are minuted and filed"),
    ]


def test_the_export_lists_the_notes_on_respondents_and_dimensions(ws, tmp_path):
    noted_import(ws, tmp_path, *FIRST)
    out = tmp_path / "answers.xlsx"
    done = cli("export", "--client", CLIENT, "--format", "xlsx", "--out", str(out), "--workspace", str(ws))  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(out)["Notes"].iter_rows()]
    gates = "How do projects pass stage gates?"
    assert rows == [
        ["Wave", "Respondent", "Role", "About", "Question id", "Question", "Answer", "Note"],
        ["w1", "R01", "PMO staff", "(respondent)", None, None, None, "Gates are minuted"],
        ["w1", "R01", "PMO staff", "Governance and stage gates", None, None, None, "Board meets monthly"],
        ["w1", "R02", "PMO staff", "Governance and stage gates", "governance.stage-gates", gates, "Managed", "Slow"],
    ]  # fmt: skip
    done = cli("export", "--client", CLIENT, "--format", "json", "--workspace", str(ws))
    notes = json.loads(done.stdout)["notes"]
    assert [(n["respondent"], n["role"], n["dimension_id"], n["note"]) for n in notes] == [
        ("R01", "pmo", None, "Gates are minuted"),
        ("R01", "pmo", "governance", "Board meets monthly"),
    ]
    assert notes[0]["source"] == "export.csv, column 'Any comments?'"


def test_a_note_on_an_unknown_dimension_is_refused(survey):
    mapping = ImportMapping(columns={"Comments": "note: governanse"})
    with pytest.raises(ValidationError, match="unknown question or dimension id 'governanse'"):
        read_survey(DATA / "google_download.csv", survey, mapping=mapping, default_role="pmo")


def test_respondents_are_anonymous_unless_identity_is_kept(ws):
    export = DATA / "ms_forms_modified.csv"  # ids 7 and 8, Ana Silva and Ben Ode with e-mails
    done = run_import(ws, export, "w1", "--role", "pmo")
    assert done.returncode == 0, done.stderr
    assert "Respondent codes: R01, R02 (anonymous)" in done.stdout
    assert stored(ws) == [("R01", "pmo", None, None), ("R02", "pmo", None, None)]
    # neither names nor e-mails reach the workspace: not the store, not the import's record
    for path in ws.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            assert b"Ana Silva" not in content and b"ana.silva@" not in content, path
    again = run_import(ws, export, "w1", "--role", "pmo")  # the same responses, found again
    assert "Respondent codes: R01, R02 (anonymous; 2 already in the wave)" in again.stdout
    assert "0 new respondents" in again.stdout and len(stored(ws)) == 2
    kept = run_import(ws, export, "w2", "--role", "pmo", "--keep-identity")
    assert kept.returncode == 0, kept.stderr
    assert stored(ws)[2:] == [
        ("7", "pmo", "Ana Silva", "ana.silva@client.example"),
        ("8", "pmo", "Ben Ode", "ben.ode@client.example"),
    ]


def test_a_damaged_import_record_says_how_to_recover(ws):
    path = import_record_file(ws, CLIENT, "survey-test")
    path.parent.mkdir(parents=True)
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(PmoAssessError, match="is not the import record this tool writes"):
        read_import_record(path)
