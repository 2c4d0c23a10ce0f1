"""Argument types shared by several commands, checked as argparse parses them."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.report.render import FORMATS


def formats(text: str) -> tuple[str, ...]:
    """``html,pdf`` as a tuple, each checked (an argparse type)."""
    chosen = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [f for f in chosen if f not in FORMATS]
    if not chosen or unknown:
        raise argparse.ArgumentTypeError(
            f"expected a comma-separated list of {', '.join(FORMATS)}; got {text!r}"
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


#: ``--benchmark FILE`` of every command that takes one.
BENCHMARK_FILE = existing_file("--benchmark", "benchmark CSV file")
