"""Imports that must not go wrong quietly: a long answers file for another client or wave,
control characters, a respondent with two roles, extra columns, CJK encodings read as
Windows-1252, and files too large to read in reasonable time (issue 17, part C)."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pmo_assess.core.errors import PmoAssessError, ValidationError
from pmo_assess.importers import ImportMapping, read_survey
from pmo_assess.importers import grid as grid_module
from pmo_assess.importers.long import EXPORTED_COLUMNS
from pmo_assess.model.loading import load_questionnaire
from pmo_assess.scoring.answers import ANSWER_COLUMNS, OPTIONAL_COLUMNS
from pmo_assess.store.export import LONG_COLUMNS
from pmo_assess.store.intake import import_survey_file
from pmo_assess.store.repository import Store
from pmo_assess.store.workbook import write_sheets

DATA = Path(__file__).parent / "data" / "surveys"
HEADER = "client,wave,respondent,role,question_id,answer,note"


@pytest.fixture(scope="module")
def survey():
    return load_questionnaire(DATA / "survey.yaml")


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "ws") as opened:
        opened.add_client("Base Co (fictional)", slug="base-co")
        yield opened


def long_file(tmp_path: Path, *rows: str, header: str = HEADER, name: str = "long.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def run(store: Store, path: Path, wave: str = "W1", **options: object) -> str:
    options = {"questionnaire": str(DATA / "survey.yaml"), **options}
    return import_survey_file(store, path, "base-co", wave, **options)  # type: ignore[arg-type]


# --- 1. a long answers file for another client or wave ------------------------------------------


def test_a_file_for_another_client_and_wave_is_refused_naming_both(store, tmp_path):
    path = long_file(tmp_path, "Contoso Secret Client,2025-Q1,R1,pmo,governance.stage-gates,3,")
    with pytest.raises(ValidationError) as refused:
        run(store, path)
    assert (
        "the file's answers are for client 'Contoso Secret Client' and wave '2025-Q1', not for "
        "client base-co ('Base Co (fictional)'), wave W1" in str(refused.value)
    )
    assert "--relabel" in str(refused.value)
    assert store.load_answers("base-co").empty


@pytest.mark.parametrize(
    ("client", "wave"),
    [("base-co", "W1"), ("BASE CO (fictional)", "w1"), ("Base-Co", "W1")],
)
def test_a_file_naming_the_clients_slug_or_name_in_any_case_imports(store, tmp_path, client, wave):
    path = long_file(tmp_path, f"{client},{wave},R1,pmo,governance.stage-gates,3,")
    assert "1 answers added" in run(store, path)


def test_the_wave_alone_differing_is_refused_too(store, tmp_path):
    path = long_file(tmp_path, "base-co,2025-Q1,R1,pmo,governance.stage-gates,3,")
    with pytest.raises(ValidationError, match=r"for wave '2025-Q1', not for client base-co"):
        run(store, path)


def test_relabel_stores_the_answers_under_the_given_client_and_wave(store, tmp_path):
    path = long_file(tmp_path, "Contoso Secret Client,2025-Q1,R1,pmo,governance.stage-gates,3,")
    report = run(store, path, relabel=True)
    assert (
        "The file names client 'Contoso Secret Client' and wave '2025-Q1'; its answers are "
        "stored for base-co, wave W1 (--relabel)." in report
    )
    assert list(store.load_answers("base-co")["wave"]) == ["W1"]


def test_the_import_command_refuses_and_relabel_lets_it_through(tmp_path):
    ws = str(tmp_path / "ws")
    path = long_file(tmp_path, "Contoso Secret Client,2025-Q1,R1,pmo,governance.stage-gates,3,")
    base = [sys.executable, "-m", "pmo_assess"]
    add = [*base, "client", "add", "Base Co", "--slug", "base-co", "--workspace", ws]
    subprocess.run(add, check=True, capture_output=True)
    command = [*base, "import", str(path), "--client", "base-co", "--wave", "W1"]
    command += ["--questionnaire", str(DATA / "survey.yaml"), "--workspace", ws]
    refused = subprocess.run(command, capture_output=True, text=True, check=False)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "client 'Contoso Secret Client' and wave '2025-Q1'" in refused.stderr
    done = subprocess.run([*command, "--relabel"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


# --- 2. control characters ----------------------------------------------------------------------


def test_control_characters_are_cleaned_at_import_and_said(store, tmp_path):
    path = long_file(
        tmp_path, "base-co,W1,R1,pmo,governance.stage-gates,3,late\x00 but\x0b done\tok"
    )
    report = run(store, path)
    # one NUL and one vertical tab; the tab stays
    assert "Cleaned 2 control characters" in report
    assert list(store.load_answers("base-co")["note"]) == ["late but done\tok"]


def test_control_characters_in_a_survey_export_are_cleaned(survey, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "Timestamp,Email Address,How do projects pass stage gates?\n"
        "2026/03/14 10:00:00,a\x07b@example.com,Defined\n",
        encoding="utf-8",
    )
    result = read_survey(path, survey, default_role="pmo", format="google-forms")
    assert result.cleaned == 1 and "\x07" not in str(result.respondents)


def test_the_xlsx_writer_never_fails_on_control_characters(tmp_path):
    out = tmp_path / "out.xlsx"
    write_sheets({"Notes": pd.DataFrame({"note\x01": ["late\x00 but\x0b done\nnext line"]})}, out)
    sheet = openpyxl.load_workbook(out).active
    assert [c.value for c in sheet["A"]] == ["note", "late but done\nnext line"]


# --- 3. two roles, extra columns, CJK encodings -------------------------------------------------


def test_a_respondent_given_two_roles_is_refused_naming_the_rows(survey, tmp_path):
    path = long_file(
        tmp_path,
        "base-co,W1,R1,pmo,governance.stage-gates,3,",
        "base-co,W1,R2,pmo,governance.stage-gates,3,",
        "base-co,W1,R1,executive,reporting.cadence,2,",
    )
    result = read_survey(path, survey)
    assert [str(p) for p in result.rejected] == [
        f"{path} rows 2, 4: respondent 'R1' is given 2 roles: pmo (row 2), executive (row 4); "
        "a respondent has one role in a wave, so correct the role column"
    ]


def test_extra_columns_of_a_long_file_are_unmatched_unless_ignored(survey, store, tmp_path):
    path = long_file(
        tmp_path,
        "base-co,W1,R1,pmo,governance.stage-gates,3,,Finance",
        header=HEADER + ",Department",
    )
    result = read_survey(path, survey)
    assert [(c.header, c.position) for c in result.unmatched_columns] == [("Department", 8)]
    assert "Unmatched columns: 1" in result.summary()
    with pytest.raises(ValidationError, match=r"column H 'Department'.*matches no question"):
        run(store, path)
    ignored = read_survey(path, survey, mapping=ImportMapping(columns={"Department": "ignore"}))
    assert ignored.unmatched_columns == ()
    assert "1 answers added" in run(store, path, ignore_unmatched=True)


def test_the_columns_our_own_export_adds_are_not_unmatched():
    # an exported long file imports back (tests/test_store_cli.py) without --ignore-unmatched
    own = {*ANSWER_COLUMNS, *OPTIONAL_COLUMNS, *EXPORTED_COLUMNS}
    assert set(LONG_COLUMNS) == own


@pytest.mark.parametrize(
    ("text", "encoding"),
    [("プロジェクト管理", "shift_jis"), ("项目管理已定义", "gb18030"), ("프로젝트 관리", "euc-kr")],
)
def test_cjk_text_is_refused_rather_than_stored_as_mojibake(survey, tmp_path, text, encoding):
    path = tmp_path / "export.csv"
    path.write_bytes(
        f"Timestamp,How do projects pass stage gates?,Comments\n2026/03/14,Defined,{text}\n".encode(
            encoding
        )
    )
    with pytest.raises(PmoAssessError, match=r"is not UTF-8, UTF-16 or Windows-1252.*UTF-8"):
        read_survey(path, survey, default_role="pmo")


def test_western_windows_1252_is_still_read(survey, tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(
        "Timestamp,How do projects pass stage gates?,Größe – “Müller”\n2026/03/14,Defined,déjà\n".encode(
            "cp1252"
        )
    )
    result = read_survey(path, survey, default_role="pmo")
    assert [c.header for c in result.unmatched_columns] == ["Größe – “Müller”"]


# --- 4. size limits -----------------------------------------------------------------------------


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_an_xlsx_with_too_many_rows_is_refused(survey, tmp_path, monkeypatch):
    monkeypatch.setattr(grid_module, "MAX_ROWS", 10)
    path = _xlsx(tmp_path / "big.xlsx", [["Timestamp", "Q"]] + [["2026-03-14", "1"]] * 20)
    with pytest.raises(PmoAssessError, match=r"has at least 21 rows; an import takes at most 10"):
        read_survey(path, survey, default_role="pmo")


def test_an_xlsx_that_states_no_size_is_counted_while_read(survey, tmp_path, monkeypatch):
    monkeypatch.setattr(grid_module, "MAX_ROWS", 10)
    path = _xlsx(tmp_path / "big.xlsx", [["Timestamp", "Q"]] + [["2026-03-14", "1"]] * 20)
    monkeypatch.setattr(
        openpyxl.worksheet._read_only.ReadOnlyWorksheet, "max_row", property(lambda self: None)
    )
    with pytest.raises(PmoAssessError, match=r"has at least 11 rows"):
        read_survey(path, survey, default_role="pmo")


def test_a_csv_with_too_many_columns_is_refused(survey, tmp_path, monkeypatch):
    monkeypatch.setattr(grid_module, "MAX_COLUMNS", 5)
    path = tmp_path / "wide.csv"
    path.write_text("Timestamp," + ",".join(f"Q{i}" for i in range(6)) + "\n", encoding="utf-8")
    with pytest.raises(PmoAssessError, match=r"has at least 7 columns; .* and 5 columns"):
        read_survey(path, survey, default_role="pmo")


def test_a_header_cell_over_128_kb_is_read(survey, tmp_path):
    path = tmp_path / "export.csv"
    long_header = "Why? " + "x" * 200_000
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(
            [
                ["Timestamp", "How do projects pass stage gates?", long_header],
                ["2026/03/14", "3", ""],
            ]
        )
    result = read_survey(path, survey, default_role="pmo", format="google-forms")
    assert [c.header for c in result.unmatched_columns] == [long_header]


def test_a_csv_cell_over_the_limit_is_refused_clearly(survey, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        f'Timestamp,Q\n2026/03/14,"{"x" * (grid_module.MAX_CELL + 1)}"\n', encoding="utf-8"
    )
    with pytest.raises(PmoAssessError, match=re.escape("a cell holds more than 1,000,000")):
        read_survey(path, survey, default_role="pmo")


def test_an_xlsx_with_a_huge_cell_is_refused_before_it_is_read(survey, tmp_path, monkeypatch):
    # a 1 GB cell unpacks to a part over 256 MB; scaled down: a 300,000-character cell, 100 KB
    monkeypatch.setattr(grid_module, "MAX_XLSX_PART", 100_000)
    small = _xlsx(tmp_path / "small.xlsx", [["Timestamp", "Q"], ["x", "HUGE"]])
    path = tmp_path / "cell.xlsx"  # openpyxl cuts cells to 32,767 characters: write the zip
    with zipfile.ZipFile(small) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"HUGE", b"y" * 300_000)
            target.writestr(info, data)
    with pytest.raises(
        PmoAssessError, match=r"cell.xlsx unpacks to a part of 0.3 MB; .* at most 0.1 MB"
    ):
        read_survey(path, survey, default_role="pmo")


def test_an_xlsx_that_unpacks_too_large_is_refused_before_it_is_read(survey, tmp_path, monkeypatch):
    monkeypatch.setattr(grid_module, "MAX_XLSX_PART", 2_000)
    path = _xlsx(tmp_path / "bomb.xlsx", [["Timestamp", "Q"]] + [["2026-03-14", "1"]] * 100)
    with pytest.raises(PmoAssessError, match=r"unpacks to a part of .* MB; an import takes XLSX"):
        read_survey(path, survey, default_role="pmo")
