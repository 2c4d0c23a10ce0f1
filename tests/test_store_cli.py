"""The workspace commands, run as a consultant runs them: client, import, export and demo."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pmo_assess import load_questionnaire
from pmo_assess.store.export import FORMULA_STARTS
from pmo_assess.store.repository import Store

SURVEYS = Path(__file__).parent / "data" / "surveys"
COMPARED = ["respondent", "role", "question_id", "value", "status", "note"]


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pmo_assess", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
    )


def ok(*args: str) -> str:
    done = cli(*args)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    workspace = tmp_path_factory.mktemp("demo")
    ok("demo", "--workspace", str(workspace), "--clients", "3")
    return workspace


def test_client_add_and_list(tmp_path):
    ws = str(tmp_path)
    assert "as acme-rail" in ok(
        "client",
        "add",
        "Acme Rail <Ltd> (fictional)",
        "--slug",
        "acme-rail",
        "--industry",
        "Logistics",
        "--size-band",
        "Large",
        "--region",
        "DACH",
        "--workspace",
        ws,
    )
    ok("client", "add", "Zebra & Co (fictional)", "--workspace", ws)
    listed = json.loads(ok("client", "list", "--format", "json", "--workspace", ws))
    assert [(c["slug"], c["name"]) for c in listed] == [
        ("acme-rail", "Acme Rail <Ltd> (fictional)"),
        ("zebra-co-fictional", "Zebra & Co (fictional)"),
    ]
    assert (listed[0]["industry"], listed[0]["size_band"]) == ("Logistics", "Large (>5,000)")
    assert "acme-rail" in ok("client", "list", "--workspace", ws)


def test_client_errors_are_clear(tmp_path):
    ws = str(tmp_path)
    ok("client", "add", "Acme (fictional)", "--slug", "acme", "--workspace", ws)
    duplicate = cli("client", "add", "Other", "--slug", "acme", "--workspace", ws)
    assert duplicate.returncode == 1 and "slug 'acme' already exists" in duplicate.stderr
    escape = cli("client", "add", "Evil", "--slug", "../../etc", "--workspace", ws)
    assert escape.returncode == 1 and "Invalid slug '../../etc'" in escape.stderr
    assert "Traceback" not in duplicate.stderr + escape.stderr
    unknown = cli("export", "--client", "nobody", "--workspace", ws)
    assert (
        unknown.returncode == 1
        and "Unknown client 'nobody'. Clients in this workspace: acme." in unknown.stderr
    )


def test_demo_builds_twelve_fictional_clients_and_rebuilds_in_place(tmp_path):
    out = ok("demo", "--workspace", str(tmp_path))
    assert "12 fictional clients" in out and "Overall" not in out
    again = ok("demo", "--workspace", str(tmp_path), "--clients", "2")
    assert "2 fictional clients" in again
    with Store.open(tmp_path) as store:
        assert len(store.clients()) == 2


def test_demo_never_touches_a_real_workspace(tmp_path):
    ok("client", "add", "Real Client", "--workspace", str(tmp_path))
    refused = cli("demo", "--workspace", str(tmp_path))
    assert refused.returncode == 1 and "holds a store that the demo did not build" in refused.stderr
    with Store.open(tmp_path) as store:
        assert [c.slug for c in store.clients()] == ["real-client"]


def test_export_csv_imports_back_to_the_same_answers(demo, tmp_path):
    with Store.open(demo) as store:
        slug = store.clients()[0].slug
        original = store.load_answers(slug)
    exported = tmp_path / "answers.csv"
    exported.write_text(ok("export", "--client", slug, "--workspace", str(demo)), encoding="utf-8")
    fresh = tmp_path / "fresh"
    ok("client", "add", "Copy (fictional)", "--slug", slug, "--workspace", str(fresh))
    for wave in original["wave"].unique():
        wave_rows = pd.read_csv(exported, dtype=str, keep_default_na=False)
        wave_file = tmp_path / f"{wave}.csv"
        wave_rows[wave_rows["wave"] == wave].to_csv(wave_file, index=False)
        ok("import", str(wave_file), "--client", slug, "--wave", wave, "--workspace", str(fresh))
    with Store.open(fresh) as store:
        copied = store.load_answers(slug)
    key = ["wave", "respondent", "question_id"]
    left = original.sort_values(key)[["wave", *COMPARED]].reset_index(drop=True)
    right = copied.sort_values(key)[["wave", *COMPARED]].reset_index(drop=True)
    pd.testing.assert_frame_equal(left, right)


def test_export_json_holds_answers_and_scores_per_wave(demo):
    with Store.open(demo) as store:
        client = store.clients()[0]
        waves = store.load_answers(client.slug)["wave"].unique().tolist()
    document = json.loads(
        ok("export", "--client", client.slug, "--format", "json", "--workspace", str(demo))
    )
    assert [s["wave"] for s in document["scores"]] == waves
    assert document["scores"][0]["client"] == client.slug
    assert {"respondent", "question_id", "answer", "note"} <= set(document["answers"][0])


def planted_formulas(workspace: Path) -> str:
    """Give a demo answer notes that a spreadsheet would run as formulas; returns the client."""
    with Store.open(workspace) as store:
        slug = store.clients()[1].slug
        engagement = store.engagement(slug)
        wave = store.waves(engagement.id)[-1]
        respondent = store.respondents(wave.id)[0]
        questions = [q.id for q in load_questionnaire("pmo-maturity").questions()]
        for question_id, start in zip(questions, FORMULA_STARTS, strict=False):
            store.record_answer(
                respondent.id,
                question_id,
                status="na",
                note=f'{start}HYPERLINK("http://evil.invalid","x")',
            )
    return slug


def test_exports_cannot_carry_formulas(demo, tmp_path):
    slug = planted_formulas(demo)
    csv_text = ok("export", "--client", slug, "--workspace", str(demo))
    notes = pd.read_csv(pd.io.common.StringIO(csv_text), dtype=str, keep_default_na=False)["note"]
    planted = [n for n in notes if "HYPERLINK" in n]
    assert len(planted) == len(FORMULA_STARTS)
    assert all(n.startswith("'") for n in planted)
    out = tmp_path / "export.xlsx"
    ok("export", "--client", slug, "--format", "xlsx", "--out", str(out), "--workspace", str(demo))
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Answers", "Scores", "Questions", "Notes"]
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert len(texts) == 2 * len(FORMULA_STARTS)  # in Answers and Notes
    assert all(c.quotePrefix for c in texts)


def test_xlsx_export_needs_an_output_file(demo):
    done = cli("export", "--client", "x", "--format", "xlsx", "--workspace", str(demo))
    assert done.returncode == 1 and "needs --out" in done.stderr


SURVEY = str(SURVEYS / "survey.yaml")


@pytest.fixture
def client_ws(tmp_path) -> str:
    ok(
        "client",
        "add",
        "Survey Client (fictional)",
        "--slug",
        "survey-client",
        "--workspace",
        str(tmp_path),
    )
    return str(tmp_path)


def survey_import(workspace: str, export: str, wave: str, *extra: str) -> list[str]:
    """The import command for a survey fixture into the survey client of ``workspace``."""
    return [
        "import",
        str(SURVEYS / export),
        "--client",
        "survey-client",
        "--wave",
        wave,
        "--questionnaire",
        SURVEY,
        "--workspace",
        workspace,
        *extra,
    ]


def imported(workspace: str) -> pd.DataFrame:
    with Store.open(workspace) as store:
        return store.load_answers()


def test_import_needs_an_existing_client(tmp_path):
    done = cli(
        "import",
        str(SURVEYS / "google_sheet.csv"),
        "--client",
        "ghost",
        "--wave",
        "w1",
        "--workspace",
        str(tmp_path),
    )
    assert done.returncode == 1 and "Unknown client 'ghost'" in done.stderr


def test_dry_run_reports_and_writes_nothing(client_ws):
    # the import would be refused (an unmatched column, two rejected values): the dry run fails
    done = cli(*survey_import(client_ws, "google_sheet.csv", "w1", "--dry-run", "--role", "pmo"))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    report = done.stderr
    assert "Rejected values: 2" in report and "'Sometimes'" in report
    assert "(dry run: nothing was written; the import would be refused)" in report
    assert "Which department are you in?" in report  # unmatched, with its closest questions
    assert imported(client_ws).empty
    mapped = survey_import(client_ws, "google_sheet.csv", "w1", "--dry-run")
    out = ok(*mapped, "--mapping", str(SURVEYS / "mapping.yaml"))
    assert out.endswith("Dry run: nothing was written.\n")
    assert imported(client_ws).empty
    with Store.open(client_ws) as store:
        assert store.find_engagement("survey-client") is None


def test_rejected_values_stop_the_import_and_keep_the_store_as_it_was(client_ws):
    mapping = str(SURVEYS / "mapping.yaml")
    # ms_forms.csv's completion times (3/5/24) can be 5 March or 3 May: the date is given
    ok(*survey_import(client_ws, "ms_forms.csv", "w1", "--role", "pmo", "--date", "2024-03-05"))
    before = imported(client_ws)
    done = cli(*survey_import(client_ws, "google_sheet.csv", "w2", "--role", "pmo"))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "row 4, column F" in done.stderr and "nothing was imported" in done.stderr
    pd.testing.assert_frame_equal(imported(client_ws)[COMPARED], before[COMPARED])
    # the mapping translates the two words; it is kept and used again for the next wave
    out = ok(*survey_import(client_ws, "google_sheet.csv", "w2", "--mapping", mapping))
    assert "Mapping kept for the next wave" in out
    kept = Path(client_ws) / "mappings" / "survey-client" / "survey-test.yaml"
    assert kept.read_text(encoding="utf-8") == Path(mapping).read_text(encoding="utf-8")
    again = ok(*survey_import(client_ws, "google_sheet.csv", "w3"))
    assert "Using the mapping kept from an earlier import" in again
    waves = imported(client_ws).groupby("wave")["role"].agg(set)
    assert waves["w3"] == {"executive", "project-manager"}


def test_import_without_a_role_says_how_to_give_one(client_ws):
    done = cli(*survey_import(client_ws, "google_sheet_no_email.csv", "w1"))
    assert done.returncode == 1 and "--role ROLE" in done.stderr and "Traceback" not in done.stderr


def test_a_questionnaire_given_as_a_file_is_kept_for_later_commands(client_ws):
    ok(*survey_import(client_ws, "ms_forms.csv", "w1", "--role", "pmo", "--date", "2024-03-05"))
    assert (Path(client_ws) / "questionnaires" / "survey-test@0.1.yaml").is_file()
    exported = ok("export", "--client", "survey-client", "--workspace", client_ws)
    assert exported.startswith("client,wave,respondent,role,question_id,answer,note")
    # an anonymous code, not Microsoft Forms' response ID; the role from "What is your role?"
    assert "survey-client,w1,R01,project-manager," in exported
