"""The door: every command, given a missing, wrong-type or malformed argument or file, exits 1 (or 2
for usage) with one line that says what was expected and what to do next, never a traceback; and
a command that only reads never leaves a workspace behind.

Each command runs in-process through ``main(argv)``, in an empty folder with no workspace and
``PMO_ASSESS_WORKSPACE`` / ``PMO_ASSESS_DB`` unset.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pytest

from pmo_assess.cli import store as commands_store
from pmo_assess.cli.main import _parser, main

NO_WORKSPACE = "No workspace in"


@dataclass(frozen=True)
class Row:
    """One bad call: the arguments, the exit code, a phrase stderr must hold."""

    argv: tuple[str, ...]
    code: int
    phrase: str
    creates: bool = False  # a command that creates a workspace (client add, import, demo, init)
    lines: int = 1  # lines on stderr for exit 1 (validate lists the problems under the file)


ROWS = [
    Row((), 2, "the following arguments are required: COMMAND"),
    Row(("validate",), 2, "the following arguments are required: FILE"),
    Row(("validate", "missing.yaml"), 1, "missing.yaml: file not found", lines=2),
    Row(("validate", "."), 1, ".: Is a directory. Check the path"),
    Row(
        ("score", "--questionnaire", "pmo-maturity", "--answers", "survey.xlsx"),
        1,
        "score reads the long answers CSV (columns client, wave, respondent, role, question_id, "
        "answer), not a .xlsx file; import a survey export with `pmo-assess import survey.xlsx",
    ),
    Row(
        ("score", "--questionnaire", "pmo-maturity", "--answers", "missing.csv"),
        1,
        "File not found: missing.csv",
    ),
    Row(("score", "--questionnaire", "nope", "--answers", "answers.csv"), 1, "Questionnaires:"),
    Row(("score", "--answers", "answers.csv"), 2, "required: --questionnaire"),
    Row(("client",), 2, "required: ACTION"),
    Row(("client", "add"), 2, "required: NAME"),
    Row(("client", "add", "Acme", "--slug", "../etc"), 1, "Invalid slug '../etc'", creates=True),
    Row(("client", "list"), 1, NO_WORKSPACE),
    Row(("use", "acme"), 1, NO_WORKSPACE),
    Row(
        ("report", "--client", "acme", "--template", "firm.pptx"),
        1,
        "--template firm.pptx: does not exist",
    ),
    Row(("report", "--client", "acme", "--format", "pptx,key"), 2, "html, pdf, pptx, docx; got"),
    Row(("use", "acme", "--engagement", "one"), 2, "invalid int value: 'one'"),
    Row(("client", "list", "--format", "xml"), 2, "invalid choice: 'xml'"),
    Row(("client", "edit", "acme", "--name", "Acme Rail"), 1, NO_WORKSPACE),
    Row(("client", "edit"), 2, "required: SLUG"),
    Row(("engagement", "set", "--client", "acme", "--type", "optimize"), 1, NO_WORKSPACE),
    Row(("engagement", "show", "--client", "acme"), 1, NO_WORKSPACE),
    Row(
        ("wave", "set", "--client", "acme", "--wave", "w1", "--date", "2026-03-14"), 1, NO_WORKSPACE
    ),
    Row(
        ("wave", "set", "--client", "acme", "--wave", "w1", "--date", "14/03/2026"), 2, "YYYY-MM-DD"
    ),
    Row(
        ("import", "missing.csv", "--client", "acme", "--wave", "w1"),
        1,
        "import FILE missing.csv: does not exist",
    ),
    Row(
        ("import", "answers.csv", "--client", "acme", "--wave", "w1", "--mapping", "missing.yaml"),
        1,
        "--mapping missing.yaml: does not exist",
    ),
    Row(("import", "answers.csv", "--client", "acme"), 2, "required: --wave"),
    Row(
        ("import", "answers.csv", "--client", "acme", "--wave", "w1"),
        1,
        "Unknown client 'acme'",
        creates=True,
    ),
    Row(("export", "--client", "acme"), 1, NO_WORKSPACE),
    Row(("export", "--client", "acme", "--format", "xlsx"), 1, "needs --out FILE.xlsx"),
    Row(("demo", "--clients", "0"), 2, "expected a whole number from 1 to"),
    Row(("demo", "--workspace", "a-file"), 1, "a-file: expected a folder, found a file"),
    Row(("init", "--workspace", "a-file"), 1, "a-file: expected a folder, found a file"),
    Row(("init", "--db", "nonsense"), 1, "Not a database URL: 'nonsense'; expected e.g."),
    Row(("results", "--client", "acme"), 1, NO_WORKSPACE),
    Row(
        ("results", "--client", "acme", "--benchmark", "missing.csv"),
        1,
        "--benchmark missing.csv: does not exist",
    ),
    Row(("roadmap", "--client", "acme"), 1, NO_WORKSPACE),
    Row(("roadmap", "--client", "acme", "--format", "xlsx"), 1, "needs --out FILE.xlsx"),
    Row(("benchmark", "build"), 1, NO_WORKSPACE),
    Row(("report", "--client", "acme"), 1, NO_WORKSPACE),
    Row(("report", "--client", "all"), 1, NO_WORKSPACE),
    Row(
        ("report", "--client", "acme", "--branding", "missing.yaml"),
        1,
        "--branding missing.yaml: does not exist",
    ),
    Row(("report", "--client", "acme", "--format", "xlsx"), 2, "expected a comma-separated list"),
    Row(("render", "report.html"), 1, "pass the kept report.ipynb"),
    Row(("render", "missing.ipynb"), 1, "render missing.ipynb: does not exist"),
    Row(("render", "broken.ipynb"), 1, "render broken.ipynb: not a Jupyter notebook"),
    Row(("batch",), 1, NO_WORKSPACE),
    Row(("batch", "--branding", "missing.yaml"), 1, "--branding missing.yaml: does not exist"),
    Row(("batch", "--workers", "0"), 2, "expected a whole number from 1 to 64"),
    Row(("cockpit",), 1, NO_WORKSPACE),
    Row(("cockpit", "--client", "acme", "--port", "8866"), 1, NO_WORKSPACE),
    Row(("cockpit", "--port", "notaport"), 2, "invalid port: expected a whole number from 1 to"),
    # Commands being added alongside this test; their rows run once the parser has them.
    Row(("commentary",), 2, "usage: pmo-assess commentary"),
    Row(("commentary", "--client", "acme"), 1, NO_WORKSPACE),
    Row(
        ("commentary", "--client", "acme", "--import", "missing.md"),
        1,
        "--import missing.md: does not exist",
    ),
]


def leaf_commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> set[str]:
    """Every command a user can run, sub-commands spelt out ("client add")."""
    groups = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not groups:
        return {" ".join(prefix)}
    return {
        command
        for name, child in groups[0].choices.items()
        for command in leaf_commands(child, (*prefix, name))
    }


COMMANDS = leaf_commands(_parser())
#: Commands and the groups above them ("client", "client add").
NAMES = {" ".join(c.split()[:n]) for c in COMMANDS for n in range(1, len(c.split()) + 1)}


def command_of(argv: tuple[str, ...]) -> str | None:
    """The command a row calls: the longest run of leading words that names one."""
    words = [w for w in argv if not w.startswith("-")]
    for size in range(len(words), 0, -1):
        if " ".join(words[:size]) in COMMANDS:
            return " ".join(words[:size])
    return None


def not_yet_a_command(argv: tuple[str, ...]) -> bool:
    """True for a row of a command the parser does not have yet (added alongside this test)."""
    words = [w for w in argv if not w.startswith("-")]
    return bool(words) and command_of(argv) is None and " ".join(words) not in NAMES


@pytest.fixture
def empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with a few bad inputs and no workspace anywhere."""
    monkeypatch.delenv("PMO_ASSESS_WORKSPACE", raising=False)
    monkeypatch.delenv("PMO_ASSESS_DB", raising=False)
    tmp_path = tmp_path.resolve()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "survey.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (tmp_path / "report.html").write_text("<html></html>")
    (tmp_path / "broken.ipynb").write_text('{"not": "a notebook"}')
    (tmp_path / "a-file").write_text("a file where a folder belongs")
    (tmp_path / "answers.csv").write_text("client,wave,respondent,role,question_id,answer\n")
    return tmp_path


def run(
    argv: list[str] | tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_every_command_has_a_row():
    covered = {command_of(row.argv) for row in ROWS}
    missing = sorted(COMMANDS - covered)
    assert not missing, "".join(
        f"add a row for command '{name}' to ROWS in tests/test_cli_door.py\n" for name in missing
    )


@pytest.mark.parametrize("row", ROWS, ids=[" ".join(r.argv) or "(nothing)" for r in ROWS])
def test_a_bad_call_exits_with_what_to_do_and_no_traceback(row, empty_folder, capsys):
    if not_yet_a_command(row.argv):
        pytest.skip(f"'{' '.join(row.argv)}' names no command yet")
    before = sorted(p.name for p in empty_folder.iterdir())
    code, out, err = run(row.argv, capsys)
    assert code == row.code, err
    assert row.phrase in err
    assert "Traceback" not in err and out == ""
    if code == 1:
        assert err.startswith("error: ") or row.lines > 1, err
        assert err.count("\n") == row.lines, err
    else:
        assert err.startswith("usage: pmo-assess")
    if not row.creates:
        assert sorted(p.name for p in empty_folder.iterdir()) == before


def test_a_read_only_command_names_the_folder_it_looked_in_and_how_to_make_one(
    empty_folder, capsys
):
    code, _, err = run(["client", "list"], capsys)
    assert code == 1
    assert err == (
        f"error: No workspace in {empty_folder / 'workspace'} (the default, ./workspace): it "
        "holds no store (pmo-assess.sqlite). Create one with `pmo-assess init` or "
        "`pmo-assess client add NAME`, or give --workspace DIR (or $PMO_ASSESS_WORKSPACE) of an "
        "existing workspace.\n"
    )
    code, _, err = run(["report", "--client", "acme", "--workspace", "elsewhere"], capsys)
    assert f"No workspace in {empty_folder / 'elsewhere'} (from --workspace)" in err
    assert "`pmo-assess init --workspace elsewhere`" in err
    assert not (empty_folder / "elsewhere").exists() and not (empty_folder / "reports").exists()


def test_the_environment_variables_are_named_when_they_chose_the_store(
    empty_folder, capsys, monkeypatch
):
    monkeypatch.setenv("PMO_ASSESS_WORKSPACE", str(empty_folder / "from-env"))
    assert "(from $PMO_ASSESS_WORKSPACE)" in run(["results", "--client", "acme"], capsys)[2]
    monkeypatch.setenv("PMO_ASSESS_DB", f"sqlite:///{empty_folder / 'team.sqlite'}")
    err = run(["results", "--client", "acme"], capsys)[2]
    assert (
        f"No store at {empty_folder / 'team.sqlite'} (the SQLite file $PMO_ASSESS_DB names)" in err
    )
    assert not (empty_folder / "from-env").exists() and not (empty_folder / "team.sqlite").exists()


def test_init_creates_a_workspace_once(empty_folder, capsys):
    folder = empty_folder / "workspace"
    assert run(["init"], capsys)[:2] == (
        0,
        f"Created workspace {folder}. Next: pmo-assess client add NAME\n",
    )
    assert (folder / "pmo-assess.sqlite").is_file()
    again = run(["init"], capsys)
    assert again[1] == f"Workspace {folder} exists with 0 client(s); nothing changed.\n"
    assert run(["client", "list"], capsys)[0] == 0


def test_verbose_names_the_workspace_and_errors_name_it_too(empty_folder, capsys):
    folder = empty_folder / "ws"
    run(["client", "add", "Acme (fictional)", "--slug", "acme", "--workspace", "ws"], capsys)
    code, out, err = run(["client", "list", "--workspace", "ws", "--verbose"], capsys)
    assert code == 0 and "acme" in out
    assert err == f"Opened workspace {folder}\n"
    code, _, err = run(["results", "--client", "ghost", "--workspace", "ws"], capsys)
    assert code == 1
    assert err == (
        f"error: Unknown client 'ghost'. Clients in this workspace: acme. (workspace {folder})\n"
    )


@pytest.mark.parametrize(
    "argv",
    [
        ("results", "--client", "acme"),
        ("roadmap", "--client", "acme"),
        ("export", "--client", "acme"),
        ("report", "--client", "acme"),
    ],
)
def test_a_client_without_answers_says_to_import_them_first(argv, empty_folder, capsys):
    run(["client", "add", "Acme (fictional)", "--slug", "acme"], capsys)
    code, out, err = run(argv, capsys)
    assert (code, out) == (1, "")
    assert "Client 'acme' has no engagement and no answers yet; import answers first: " in err
    assert "pmo-assess import FILE --client acme --wave LABEL." in err
    assert not (empty_folder / "reports").exists()


def test_batch_reports_a_client_without_answers_once_as_a_failure(empty_folder, capsys):
    run(["client", "add", "Acme (fictional)", "--slug", "acme"], capsys)
    code, out, err = run(["batch", "--clients", "acme", "--out", "out"], capsys)
    assert code == 1
    assert err.splitlines()[0] == (
        "1 client(s): 0 to render, 0 unchanged (skipped), 1 cannot be rendered (reasons below)."
    )
    assert err.count("import answers first") == 1 and "[1/" not in err
    assert "error: acme: Client 'acme' has no engagement and no answers yet" in err
    row = next(line for line in out.splitlines() if line.startswith("acme "))
    assert row.split()[2] == "failed"
    assert "0 rendered, 0 unchanged, 1 failed" in out


def test_render_of_the_html_points_at_the_notebook_beside_it(empty_folder, capsys):
    folder = empty_folder / "reports" / "acme" / "2026-Q3"
    folder.mkdir(parents=True)
    (folder / "report.html").write_text("<html></html>")
    (folder / "report.ipynb").write_text(json.dumps({"cells": [], "metadata": {}}))
    code, _, err = run(["render", str(folder / "report.html")], capsys)
    assert code == 1
    assert f"pass the kept report.ipynb from the report's folder ({folder / 'report.ipynb'} " in err


def test_version_prints_the_installed_version(capsys):
    assert run(["--version"], capsys)[:2] == (0, f"pmo-assess {metadata.version('pmo-assess')}\n")


@pytest.mark.parametrize(
    ("argv", "suggestion"),
    [
        (["clinet", "list"], "Did you mean 'client'?"),
        (["rendr", "report.ipynb"], "Did you mean 'render'?"),
        (["client", "lst"], "Did you mean 'list'?"),
        (["results", "--client", "acme", "--workspace", "w", "--formt", "json"], None),
        (["export", "--client", "acme", "--format", "jsn"], "Did you mean 'json'?"),
        (["frobnicate"], None),
    ],
)
def test_a_mistyped_command_gets_a_suggestion(argv, suggestion, empty_folder, capsys):
    code, _, err = run(argv, capsys)
    assert code == 2 and "Traceback" not in err
    if suggestion:
        assert err.rstrip().endswith(suggestion)
    else:
        assert "Did you mean" not in err


def test_a_bug_keeps_its_traceback(empty_folder, capsys, monkeypatch):
    run(["init"], capsys)

    def broken(args: argparse.Namespace) -> int:
        raise FileNotFoundError(2, "No such file or directory", "/somewhere/the/code/chose")

    monkeypatch.setattr(commands_store, "client_list", broken)
    with pytest.raises(FileNotFoundError):
        main(["client", "list"])
