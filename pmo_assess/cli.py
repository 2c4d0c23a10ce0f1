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

from pmo_assess.answers import read_answers_file
from pmo_assess.assessment import score_assessment
from pmo_assess.console import dimension_frame, format_table
from pmo_assess.errors import PmoAssessError
from pmo_assess.paths import SAMPLE_DIR
from pmo_assess.questionnaire import load_questionnaire, validate_questionnaire_file
from pmo_assess.scoring import ScoringOptions


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
        return code
    except PmoAssessError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pmo-assess", description="Assess, establish and optimize a PMO."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate", help="check questionnaire files; exit 1 when any is invalid"
    )
    validate.add_argument("files", nargs="+", metavar="FILE")
    validate.set_defaults(run=_validate)

    score = commands.add_parser("score", help="score answers against a questionnaire")
    score.add_argument("--questionnaire", required=True, metavar="ID_OR_PATH")
    score.add_argument("--answers", required=True, metavar="FILE", type=Path)
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

    demo = commands.add_parser("demo", help="score the sample answers shipped with the package")
    demo.set_defaults(run=_demo)
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
        problems = validate_questionnaire_file(name)
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
        print(format_table(result))
    return 0


def _demo(args: argparse.Namespace) -> int:
    sample = SAMPLE_DIR / "answers_demo.csv"
    print(f"Scoring the sample answers in {sample}\n")
    return _score(
        argparse.Namespace(
            questionnaire="pmo-maturity",
            answers=sample,
            client=None,
            wave=None,
            target=[],
            role_weight=[],
            format="table",
        )
    )
