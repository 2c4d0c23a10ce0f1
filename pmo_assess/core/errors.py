"""Errors a user can cause and fix: one base class, and a validation error that carries every problem.

The CLI prints these without a traceback; any other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


class PmoAssessError(Exception):
    """Base class of every error caused by the user's input rather than by a bug."""


class RoleNeeded(PmoAssessError):
    """An import found no role for its respondents: give one (``--role``) or map a role column."""


class SaveFailed(PmoAssessError):
    """A write did not reach the store (it was busy, or failed); nothing of it was written, and
    trying again may work."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, and where it is.

    ``location`` is what a person opens to fix it: ``file:line`` for YAML, ``file row N`` for tables.
    """

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class ValidationError(PmoAssessError):
    """Raised with every problem found in one pass, so a user fixes them all in one go."""

    def __init__(self, problems: Iterable[Problem], *, what: str = "input") -> None:
        self.problems = tuple(problems)
        self.what = what
        super().__init__(self.report())

    def report(self) -> str:
        """All problems, numbered, under a one-line heading."""
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = [f"{count} {noun} in {self.what}:"]
        lines += [f"  {i}. {p}" for i, p in enumerate(self.problems, start=1)]
        return "\n".join(lines)
