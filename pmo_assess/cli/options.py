"""Argument types shared by several commands, checked as argparse parses them, and the one way
commands open the store (so ``--verbose`` and error messages can name it)."""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.core.workspace import workspace_dir
from pmo_assess.report.render import ALL_FORMATS
from pmo_assess.store.repository import Store

_INVALID_CHOICE = re.compile(
    r"invalid choice: '?(?P<given>[^']*?)'? \(choose from (?P<choices>.*)\)"
)


class Parser(argparse.ArgumentParser):
    """argparse's parser, adding "did you mean ...?" to a mistyped command or choice.

    Its sub-commands' parsers are of this class too (argparse makes them with the parent's).
    """

    def error(self, message: str) -> NoReturn:
        """Print the usage and the message, with the closest choice when one is close; exit 2."""
        super().error(message + did_you_mean(message))


def did_you_mean(message: str) -> str:
    """The suggestion for argparse's "invalid choice" message; empty when nothing is close.

    >>> did_you_mean("argument COMMAND: invalid choice: 'clinet' (choose from 'client', 'demo')")
    ". Did you mean 'client'?"
    """
    found = _INVALID_CHOICE.search(message)
    if not found:
        return ""
    choices = [c.strip().strip("'") for c in found["choices"].split(",")]
    close = difflib.get_close_matches(found["given"], choices, n=1, cutoff=0.6)
    return f". Did you mean {close[0]!r}?" if close else ""


class Version(argparse.Action):
    """``--version``: the installed package's version (looked up only when asked)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="print the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *_: Any, **__: Any) -> None:
        from pmo_assess.batch.inputs import package_version

        print(f"{parser.prog} {package_version()}")
        parser.exit()


#: Spreadsheet and document files that ``score --answers`` cannot read (survey exports, mostly).
NOT_ANSWERS = {".xlsx", ".xlsm", ".xls", ".ods", ".json", ".html", ".pdf"}


def formats(text: str) -> tuple[str, ...]:
    """``html,pdf`` (or any of ``html,pdf,pptx,docx``) as a tuple, each checked (an argparse
    type)."""
    chosen = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [f for f in chosen if f not in ALL_FORMATS]
    if not chosen or unknown:
        raise argparse.ArgumentTypeError(
            f"expected a comma-separated list of {', '.join(ALL_FORMATS)}; got {text!r}"
        )
    return chosen


def existing_file(option: str, what: str) -> Callable[[str], Path]:
    """An argparse type for ``option``: the path of an existing file, else a user error.

    A missing file is the user's input, not a misuse of the command, so it raises
    :class:`PmoAssessError` (exit 1, one line) rather than argparse's usage error, and before
    any work is done.
    """

    def check(text: str) -> Path:
        path = Path(text)
        if path.is_file():
            return path
        found = "is a folder, not a file" if path.is_dir() else "does not exist"
        raise PmoAssessError(
            f"{option} {text}: {found} (looked for {path.resolve()}); expected the path of an "
            f"existing {what}."
        )

    return check


TEMPLATE_FILE = existing_file("--template", "PowerPoint (.pptx) or Word (.docx) template")


def out_folder(text: str) -> Path:
    """An argparse type for ``--out DIR``: a folder, or a path where one can be made."""
    path = Path(text)
    if path.exists() and not path.is_dir():
        raise PmoAssessError(
            f"--out {text}: is a file, but reports go into a folder; give a folder's path "
            "(it is made when it does not exist)."
        )
    return path


def out_file(text: str) -> Path:
    """An argparse type for ``--out FILE``: a file's path, not an existing folder."""
    path = Path(text)
    if path.is_dir():
        raise PmoAssessError(
            f"--out {text}: is a folder, but this command writes one file; give a file's path, "
            f"such as {path / 'out.csv'}."
        )
    return path


#: ``--benchmark FILE`` of every command that takes one.
BENCHMARK_FILE = existing_file("--benchmark", "benchmark CSV file")
#: ``--branding FILE`` of every command that takes one.
BRANDING_FILE = existing_file("--branding", "branding YAML file (firm_name, logo, primary, accent)")
#: A survey export or long answers file to import.
IMPORT_FILE = existing_file("import FILE", "survey export or long answers file (CSV, TSV, XLSX)")
#: ``import --mapping FILE``.
MAPPING_FILE = existing_file("--mapping", "mapping YAML file")


def answers_file(text: str) -> Path:
    """``score --answers``: the long answers CSV; a spreadsheet is refused with what to run instead."""
    path = Path(text)
    if path.suffix.lower() in NOT_ANSWERS:
        raise PmoAssessError(
            f"--answers {text}: score reads the long answers CSV (columns client, wave, "
            f"respondent, role, question_id, answer), not a {path.suffix} file; import a survey "
            f"export with `pmo-assess import {text} --client SLUG --wave LABEL`, then run "
            "`pmo-assess results --client SLUG`."
        )
    return path  # a missing file is reported by the reader, with its name


def report_notebook(text: str) -> Path:
    """``render NOTEBOOK``: an existing report notebook (JSON), kept beside a rendered report."""
    path = Path(text)
    kept = path.with_name("report.ipynb")
    if path.suffix.lower() != ".ipynb":
        beside = f" ({kept} is beside it)" if kept.is_file() else ""
        raise PmoAssessError(
            f"render {text}: expected the executed report notebook, not a {path.suffix or 'plain'} "
            f"file; pass the kept report.ipynb from the report's folder{beside}, "
            "e.g. pmo-assess render reports/CLIENT/WAVE/report.ipynb."
        )
    existing_file("render", "report notebook (report.ipynb beside a rendered report)")(text)
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError):
        notebook = None
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise PmoAssessError(
            f"render {text}: not a Jupyter notebook (no JSON with cells); pass the report.ipynb "
            "that `pmo-assess report` kept beside report.html."
        )
    return path


def open_store(args: argparse.Namespace, *, create: bool = False) -> Store:
    """Open the store the command's ``--workspace`` and ``--db`` name.

    Only commands that create (``init``, ``client add``, ``demo``) pass ``create=True``; the
    others refuse a missing workspace rather than leave an empty one behind. ``--verbose`` prints
    which store was opened, and :func:`pmo_assess.cli.main.main` names it in any later error.
    """
    store = Store.open(args.workspace, args.db, create=create)
    args.opened_store = store.location()
    if getattr(args, "verbose", False):
        print(f"Opened {args.opened_store}", file=sys.stderr)
    return store


def path_error(exc: OSError, args: argparse.Namespace) -> str | None:
    """A one-line message for an error on a path the user gave (or inside it); None for any
    other path, which is a bug and keeps its traceback."""
    if exc.filename is None:
        return None
    failed = Path(exc.filename).absolute()
    given = [v.absolute() for v in vars(args).values() if isinstance(v, Path)]
    given += [Path(name).absolute() for name in getattr(args, "files", [])]  # validate FILE...
    if "workspace" in vars(args):
        given.append(workspace_dir(args.workspace).absolute())
    if not any(_related(failed, path) for path in given):
        return None
    if isinstance(exc, FileExistsError | NotADirectoryError):
        return f"{exc.filename}: expected a folder, found a file; give the path of a folder."
    return (
        f"{exc.filename}: {exc.strerror or exc}. Check the path: its folder must exist, and you "
        "must be allowed to read and write there."
    )


def _related(failed: Path, given: Path) -> bool:
    return failed == given or failed.is_relative_to(given) or failed.parent == given.parent


def add_template_option(parser: argparse.ArgumentParser) -> None:
    """``--template FILE``, once per format: the firm's .pptx (deck) or .docx (Word report)."""
    parser.add_argument(
        "--template",
        action="append",
        default=[],
        type=TEMPLATE_FILE,
        metavar="FILE",
        help="the firm's PowerPoint (.pptx) or Word (.docx) template; once per format",
    )
