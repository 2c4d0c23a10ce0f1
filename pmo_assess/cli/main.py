"""The ``pmo-assess`` command: parse arguments, make one library call, print the result.

A user error (bad input, unknown id) is printed to stderr without a traceback and exits 1;
a usage error exits 2 (argparse's convention); anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pmo_assess.cli import batch as commands_batch
from pmo_assess.cli import cockpit as commands_cockpit
from pmo_assess.cli import commentary as commands_commentary
from pmo_assess.cli import engagement as commands_engagement
from pmo_assess.cli import report as commands_report
from pmo_assess.cli import results as commands_results
from pmo_assess.cli import store as commands_store
from pmo_assess.cli.console import format_table
from pmo_assess.cli.options import (
    BENCHMARK_FILE,
    BRANDING_FILE,
    IMPORT_FILE,
    MAPPING_FILE,
    Parser,
    Version,
    add_template_option,
    answers_file,
    formats,
    open_store,
    out_file,
    out_folder,
    path_error,
    report_notebook,
)
from pmo_assess.core.errors import PmoAssessError
from pmo_assess.core.workspace import NoStore
from pmo_assess.engagement.demo import DEMO_CLIENTS
from pmo_assess.importers import FORMATS as IMPORT_FORMATS
from pmo_assess.insight.datafiles import validate_data_file
from pmo_assess.model.loading import load_questionnaire
from pmo_assess.scoring.answers import read_answers_file
from pmo_assess.scoring.assessment import dimension_frame, score_assessment
from pmo_assess.scoring.engine import ScoringOptions
from pmo_assess.store.export import EXPORT_FORMATS


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _parser()
    args = argparse.Namespace()  # kept outside the try, so an error can name the opened store
    try:
        try:
            parser.parse_args(argv, namespace=args)  # an argument type may raise a user error
        except SystemExit as stop:  # --help, --version, or a usage error argparse printed
            return stop.code if isinstance(stop.code, int) else 2
        code: int = args.run(args)
        return code
    except PmoAssessError as exc:
        print(f"error: {_naming_store(str(exc), args)}", file=sys.stderr)
        return 1
    except OSError as exc:  # on a path the user gave: a user error; on any other, a bug
        message = path_error(exc, args)
        if message is None:
            raise
        print(f"error: {_naming_store(message, args)}", file=sys.stderr)
        return 1


def _naming_store(message: str, args: argparse.Namespace) -> str:
    """The message, naming the store the command opened unless it does already."""
    opened = getattr(args, "opened_store", None)
    if not opened or opened.split()[1] in message:
        return message
    return f"{message}\n({opened})" if "\n" in message else f"{message} ({opened})"


def _parser() -> argparse.ArgumentParser:
    parser = Parser(prog="pmo-assess", description="Assess, establish and optimize a PMO.")
    parser.add_argument("--version", action=Version)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate",
        help="check questionnaires, recommendation libraries and benchmark files; exit 1 when any is invalid",
    )
    validate.add_argument("files", nargs="+", metavar="FILE")
    validate.set_defaults(run=_validate)

    score = commands.add_parser("score", help="score answers against a questionnaire")
    score.add_argument("--questionnaire", required=True, metavar="ID_OR_PATH")
    score.add_argument(
        "--answers", required=True, metavar="FILE", type=answers_file, help="long answers CSV"
    )
    score.add_argument("--client")
    score.add_argument("--wave")
    score.add_argument(
        "--target",
        action="append",
        default=[],
        type=_target,
        metavar="DIM=VALUE",
        help="override a dimension's target (repeatable)",
    )
    score.add_argument(
        "--role-weight",
        action="append",
        default=[],
        type=_role_weight,
        metavar="ROLE=W",
        help="weight the answers of a role, e.g. project-manager=2 (repeatable)",
    )
    score.add_argument("--format", choices=("table", "csv", "json"), default="table")
    score.set_defaults(run=_score)

    _add_store_commands(commands)
    return parser


def _target(text: str) -> tuple[str, float]:
    return _assignment(text, "DIM=VALUE, e.g. governance=3.5", positive=False)


def _role_weight(text: str) -> tuple[str, float]:
    return _assignment(
        text, "ROLE=WEIGHT with a weight above 0, e.g. project-manager=2", positive=True
    )


def _assignment(text: str, expected: str, *, positive: bool) -> tuple[str, float]:
    name, sep, value = text.partition("=")
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not sep or not name.strip() or not math.isfinite(number) or (positive and number <= 0):
        raise argparse.ArgumentTypeError(f"expected {expected}; got {text!r}")
    return name.strip(), number


def _validate(args: argparse.Namespace) -> int:
    invalid = 0
    for name in args.files:
        problems = validate_data_file(name)
        if problems:
            invalid += 1
            print(
                f"{name}: {len(problems)} problem{'s' if len(problems) != 1 else ''}",
                file=sys.stderr,
            )
            for i, problem in enumerate(problems, start=1):
                print(f"  {i}. {problem}", file=sys.stderr)
        else:
            print(f"{name}: valid")
    return 1 if invalid else 0


def _score(args: argparse.Namespace) -> int:
    questionnaire = load_questionnaire(args.questionnaire)
    answers = read_answers_file(args.answers, questionnaire)
    options = ScoringOptions(
        targets=dict(args.target) or None, role_weights=dict(args.role_weight) or None
    )
    result = score_assessment(questionnaire, answers, args.client, args.wave, options)
    if args.format == "json":
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    elif args.format == "csv":
        print(dimension_frame(result).to_csv(index=False), end="")
    else:
        print(format_table(result, questionnaire.display_precision))
    return 0


def _add_store_commands(commands: Any) -> None:
    store = argparse.ArgumentParser(add_help=False)
    store.add_argument(
        "--workspace",
        metavar="DIR",
        help="workspace folder (default ./workspace or $PMO_ASSESS_WORKSPACE)",
    )
    store.add_argument(
        "--db",
        metavar="URL",
        help="store URL, e.g. postgresql+psycopg://host/db (default: the workspace's SQLite file, or $PMO_ASSESS_DB)",
    )
    store.add_argument(
        "--verbose", action="store_true", help="say which workspace and store were opened"
    )

    client = commands.add_parser("client", help="add, edit or list clients").add_subparsers(
        dest="client_command", required=True, metavar="ACTION"
    )
    add = client.add_parser("add", parents=[store], help="add a client")
    add.add_argument("name", metavar="NAME")
    add.add_argument(
        "--slug", help="short name used in paths and commands (made from NAME if left out)"
    )
    commands_engagement.add_description_options(add)
    add.set_defaults(run=commands_store.client_add)
    listing = client.add_parser("list", parents=[store], help="list the clients")
    listing.add_argument("--format", choices=("table", "json"), default="table")
    listing.set_defaults(run=commands_store.client_list)
    commands_engagement.add_parsers(commands, client, store)

    survey = commands.add_parser(
        "import", parents=[store], help="import answers from a survey export or a long answers file"
    )
    survey.add_argument("file", metavar="FILE", type=IMPORT_FILE)
    survey.add_argument("--client", required=True, metavar="SLUG")
    survey.add_argument("--wave", required=True, metavar="LABEL")
    survey.add_argument(
        "--questionnaire",
        metavar="ID_OR_PATH",
        help="default: the client's engagement's, else pmo-maturity",
    )
    survey.add_argument("--format", default="auto", choices=IMPORT_FORMATS)
    survey.add_argument(
        "--mapping",
        metavar="FILE",
        type=MAPPING_FILE,
        help="YAML mapping of columns and labels (kept in the workspace for the next wave)",
    )
    survey.add_argument(
        "--role", help="role of every respondent, when the export has no role column"
    )
    survey.add_argument(
        "--include-unfinished", action="store_true", help="keep partial responses (Qualtrics)"
    )
    survey.add_argument(
        "--keep-identity",
        action="store_true",
        help="store respondents' names and e-mails (anonymous codes otherwise)",
    )
    survey.add_argument(
        "--date",
        type=commands_store.iso_date,
        metavar="YYYY-MM-DD",
        help="the wave's date (default: the last completion date in the export)",
    )
    survey.add_argument(
        "--dry-run",
        action="store_true",
        help="show what would be imported; write nothing (exit 1 when the import would fail)",
    )
    survey.add_argument(
        "--ignore-unmatched",
        action="store_true",
        help="leave out columns that match no question (refused otherwise)",
    )
    survey.add_argument(
        "--relabel",
        action="store_true",
        help="store a long answers file's answers under --client and --wave although the file "
        "names another client or wave",
    )
    survey.add_argument(
        "--write-mapping",
        metavar="FILE",
        type=Path,
        help="with --dry-run: write a draft mapping of what the import could not place",
    )
    survey.set_defaults(run=commands_store.import_file)

    export = commands.add_parser(
        "export", parents=[store], help="export a client's answers, notes and scores"
    )
    export.add_argument("--client", required=True, metavar="SLUG")
    export.add_argument("--wave", metavar="LABEL")
    export.add_argument("--format", choices=EXPORT_FORMATS, default="csv")
    export.add_argument(
        "--out",
        metavar="FILE",
        type=out_file,
        help="required for xlsx; csv and json go to standard output without it",
    )
    export.set_defaults(run=commands_store.export)

    demo = commands.add_parser(
        "demo", parents=[store], help="build a sample workspace of fictional clients"
    )
    demo.add_argument(
        "--clients",
        type=_client_count,
        default=12,
        metavar="N",
        help=f"how many clients, 1 to {DEMO_CLIENTS} (default 12)",
    )
    demo.add_argument(
        "--seed",
        type=int,
        default=2026,
        help="random seed; the same seed builds the same workspace",
    )
    demo.set_defaults(run=commands_store.demo)
    init = commands.add_parser(
        "init", parents=[store], help="create a workspace with an empty store (or check one)"
    )
    init.set_defaults(run=_init)
    commands_cockpit.add_parser(commands, store)
    _add_result_commands(commands, store)
    _add_report_commands(commands, store)


def _add_report_commands(commands: Any, store: argparse.ArgumentParser) -> None:
    report = commands.add_parser(
        "report", parents=[store], help="render client reports (HTML, PDF, deck, Word)"
    )
    report.add_argument(
        "--client",
        required=True,
        metavar="SLUG",
        help="a slug, several separated by commas, or all",
    )
    report.add_argument("--wave", metavar="LABEL", help="default: each client's latest wave")
    report.add_argument(
        "--format", type=formats, default=("html", "pdf"), metavar="html,pdf[,pptx,docx]"
    )
    add_template_option(report)
    report.add_argument("--out", type=out_folder, default=Path("reports"), metavar="DIR")
    report.add_argument(
        "--branding",
        type=BRANDING_FILE,
        metavar="FILE",
        help="YAML with firm_name, logo, primary, accent",
    )
    report.add_argument(
        "--benchmark",
        type=BENCHMARK_FILE,
        metavar="FILE",
        help="benchmark CSV (default: the synthetic one)",
    )
    report.set_defaults(run=commands_report.report)

    render = commands.add_parser(
        "render",
        parents=[store],  # saves the notebook's commentary to the store
        help="save an edited report notebook's commentary, then re-render it",
    )
    render.add_argument(
        "notebook",
        type=report_notebook,
        metavar="NOTEBOOK",
        help="the report.ipynb kept beside a report",
    )
    render.add_argument(
        "--format", type=formats, default=("html", "pdf"), metavar="html,pdf[,pptx,docx]"
    )
    add_template_option(render)
    render.set_defaults(run=commands_report.render)

    commands_batch.add_parser(commands, store)
    commands_commentary.add_parser(commands, store)


def _add_result_commands(commands: Any, store: argparse.ArgumentParser) -> None:
    results = commands.add_parser(
        "results", parents=[store], help="everything a report shows, as JSON"
    )
    results.add_argument("--client", required=True, metavar="SLUG")
    results.add_argument("--wave", metavar="LABEL", help="default: the latest wave")
    results.add_argument(
        "--benchmark",
        type=BENCHMARK_FILE,
        metavar="FILE",
        help="benchmark CSV (default: the synthetic one)",
    )
    results.add_argument("--out", metavar="FILE", type=out_file, help="default: standard output")
    results.set_defaults(run=commands_results.results)

    roadmap = commands.add_parser(
        "roadmap", parents=[store], help="the improvement roadmap computed from the gaps"
    )
    roadmap.add_argument("--client", required=True, metavar="SLUG")
    roadmap.add_argument("--wave", metavar="LABEL", help="default: the latest wave")
    roadmap.add_argument("--format", choices=("table", "csv", "xlsx", "json"), default="table")
    roadmap.add_argument("--out", metavar="FILE", type=out_file, help="required for xlsx")
    roadmap.set_defaults(run=commands_results.roadmap)

    benchmark = commands.add_parser("benchmark", help="benchmarks against peers").add_subparsers(
        dest="benchmark_command", required=True, metavar="ACTION"
    )
    build = benchmark.add_parser(
        "build",
        parents=[store],
        help="a benchmark from the firm's own assessments (no client names)",
    )
    build.add_argument("--questionnaire", default="pmo-maturity", metavar="ID")
    build.add_argument("--out", metavar="FILE", type=out_file, default=Path("benchmark.csv"))
    build.set_defaults(run=commands_results.benchmark_build)


def _init(args: argparse.Namespace) -> int:
    try:
        with open_store(args) as store:
            count = len(store.clients())
        where = store.location()
        print(f"{where[0].upper()}{where[1:]} exists with {count} client(s); nothing changed.")
        return 0
    except NoStore:
        pass
    with open_store(args, create=True) as store:
        print(f"Created {store.location()}. Next: pmo-assess client add NAME")
    return 0


def _client_count(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= DEMO_CLIENTS:
        raise argparse.ArgumentTypeError(
            f"expected a whole number from 1 to {DEMO_CLIENTS}; got {text!r}"
        )
    return int(text)
